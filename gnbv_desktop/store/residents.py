"""Resident households per village and year (số hộ, số nhân khẩu dân cư): the denominator of rates.

The commune's total is the "Tổng số hộ dân cư" typed on the year's commune plan when there is
one (the figure the plan adopted); otherwise the sum over its villages when every village has its
figure; otherwise unknown, and every rate says so instead of dividing by the list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gnbv_desktop.core.limits import MAX_RESIDENTS
from gnbv_desktop.store.records import new_record_fields, next_rev, touch
from gnbv_desktop.store.villages import list_villages

if TYPE_CHECKING:
    from sqlite_utils import Database


class ResidentsError(ValueError):
    """A resident figure that cannot be stored; message for the user."""


@dataclass
class Residents:
    """The year's resident figures: per village id (households, people or None), and the commune's."""

    year: int
    by_village: dict[int, tuple[int, int | None]] = field(default_factory=dict)
    households: int | None = None
    people: int | None = None
    source: str = ""  # "villages", "plan" or "" (unknown)
    missing_villages: list[str] = field(default_factory=list)


def set_residents(db: Database, year: int, village_id: int, households: int, people: int | None = None) -> None:
    """Record (or replace) one village's resident households and people for ``year``."""
    if not 1900 <= year <= 2200:
        raise ResidentsError(f"Năm {year} không hợp lệ.")
    if households < 0 or households > MAX_RESIDENTS:
        raise ResidentsError(f"Số hộ dân cư {households} không hợp lệ (từ 0 đến {MAX_RESIDENTS:,}).".replace(",", "."))
    if people is not None and (people < 0 or people > 10 * MAX_RESIDENTS):
        raise ResidentsError(f"Số nhân khẩu {people} không hợp lệ.")
    if people and not households:
        raise ResidentsError(f"Có {people} nhân khẩu nhưng số hộ dân cư là 0.")
    if people is not None and people < households:
        raise ResidentsError(f"Số nhân khẩu ({people}) không thể ít hơn số hộ ({households}).")
    if db.execute("SELECT 1 FROM villages WHERE id = ? AND deleted = 0", [village_id]).fetchone() is None:
        raise ResidentsError("Thôn không tồn tại.")
    with db.atomic():
        rev = next_rev(db)
        row = db.execute(
            "SELECT id FROM resident_households WHERE village_id = ? AND year = ?", [village_id, year]
        ).fetchone()
        values = {"households": households, "people": people}
        if row:
            touch(db, "resident_households", row[0], {**values, "deleted": 0}, rev)
        else:
            db["resident_households"].insert({"village_id": village_id, "year": year, **values,
                                               **new_record_fields(db, rev)})


def residents(db: Database, year: int) -> Residents:
    """The year's resident figures with the commune total (see the module note for its source)."""
    out = Residents(year)
    for vid, households, people in db.execute(
        "SELECT village_id, households, people FROM resident_households WHERE year = ? AND deleted = 0", [year]
    ):
        out.by_village[vid] = (households, people)
    villages = list_villages(db)
    out.missing_villages = [v.name for v in villages if v.id not in out.by_village]
    row = db.execute(
        "SELECT total_households FROM commune_plans WHERE year = ? AND deleted = 0 AND total_households > 0", [year]
    ).fetchone()
    if row:
        out.households = row[0]
        out.source = "plan"
    elif villages and not out.missing_villages:
        out.households = sum(out.by_village[v.id][0] for v in villages)
        out.source = "villages"
    if villages and not out.missing_villages:
        people = [out.by_village[v.id][1] for v in villages]
        out.people = None if None in people else sum(p for p in people if p is not None)
    return out
