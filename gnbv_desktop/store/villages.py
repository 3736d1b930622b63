"""Villages (thôn/ấp/bản/tổ dân phố), each rural or urban because income lines differ."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from gnbv_desktop.core.limits import MAX_NAME_CHARS, text_problem
from gnbv_desktop.core.text import clean, fold
from gnbv_desktop.store.records import new_record_fields, touch

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass
class Village:
    id: int
    name: str
    area: str
    sort_order: int = 0


class VillageError(ValueError):
    pass


def list_villages(db: Database) -> list[Village]:
    rows = db.execute(
        "SELECT id, name, area, sort_order FROM villages WHERE deleted = 0 ORDER BY sort_order, id"
    ).fetchall()
    return [Village(*r) for r in rows]


def village_key(name: str) -> str:
    """Matching key: case, diacritics kept apart from spacing (``thôn  3`` = ``Thôn 3``)."""
    return clean(name).lower()


def find_village(db: Database, name: str) -> Village | None:
    key = village_key(name)
    for v in list_villages(db):
        if village_key(v.name) == key:
            return v
    folded = fold(name)
    matches = [v for v in list_villages(db) if fold(v.name) == folded]
    return matches[0] if len(matches) == 1 else None


def _checked_name(name: str) -> str:
    """The name cleaned, or VillageError when it is blank, too long for the sync schema or holds
    control characters (checked as typed: cleaning would hide an ESC)."""
    problem = text_problem("Tên thôn", name or "", MAX_NAME_CHARS)
    if problem:
        raise VillageError(problem)
    name = clean(name)
    if not name:
        raise VillageError("Tên thôn không được để trống.")
    return name


def add_village(db: Database, name: str, area: str = "rural") -> Village:
    name = _checked_name(name)
    if area not in ("rural", "urban"):
        raise VillageError(f"Khu vực của thôn '{name}' phải là nông thôn hoặc thành thị.")
    if find_village(db, name):
        raise VillageError(f"Thôn '{name}' đã có.")
    with db.atomic():
        order = db.execute("SELECT COALESCE(MAX(sort_order), 0) + 1 FROM villages").fetchone()[0]
        fields = {"name": name, "area": area, "sort_order": order, **new_record_fields(db)}
        db["villages"].insert(fields)
        vid = db.execute("SELECT last_insert_rowid()").fetchone()[0]
    return Village(vid, name, area, order)


def update_village(db: Database, village_id: int, name: str, area: str) -> None:
    name = _checked_name(name)
    other = find_village(db, name)
    if other and other.id != village_id:
        raise VillageError(f"Thôn '{name}' đã có.")
    with db.atomic():
        touch(db, "villages", village_id, {"name": name, "area": area})


def delete_village(db: Database, village_id: int) -> None:
    used = db.execute(
        "SELECT COUNT(*) FROM households WHERE village_id = ? AND deleted = 0", [village_id]
    ).fetchone()[0]
    if used:
        raise VillageError(f"Không xóa được: thôn còn {used} hộ gia đình.")
    with db.atomic():
        touch(db, "villages", village_id, {"deleted": 1})
