"""Catalogues the commune may edit (support measures, funding sources, causes, needs…).

Until a catalogue is edited (in Cài đặt) or replaced by a reference package from the upper level,
the shipped file in ``resources/catalogues`` is used; after that the database copy wins.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from gnbv_desktop.core.catalogs import shipped_catalog_items
from gnbv_desktop.core.text import clean
from gnbv_desktop.store.records import new_record_fields, next_rev, touch

if TYPE_CHECKING:
    from sqlite_utils import Database


class CatalogError(ValueError):
    pass


def is_customised(db: Database, name: str) -> bool:
    return db.execute("SELECT 1 FROM catalog_entries WHERE catalog = ? LIMIT 1", [name]).fetchone() is not None


def load_catalog(db: Database, name: str) -> list[dict]:
    """Items as dicts with at least ``code`` and ``name`` (plus the catalogue's own fields)."""
    if not is_customised(db, name):
        return shipped_catalog_items(name)
    items = []
    for code, label, data in db.execute(
        "SELECT code, name, data FROM catalog_entries WHERE catalog = ? AND deleted = 0 ORDER BY sort_order, id",
        [name],
    ):
        items.append({**json.loads(data), "code": code, "name": label})
    return items


def catalog_names(db: Database, name: str) -> dict[str, str]:
    return {i["code"]: i["name"] for i in load_catalog(db, name)}


def replace_catalog(db: Database, name: str, items: list[dict]) -> None:
    """Store ``items`` as the catalogue, in order; codes no longer listed are soft-deleted."""
    seen = set()
    for i in items:
        code, label = clean(i.get("code")), clean(i.get("name"))
        if not code or not label:
            raise CatalogError("Mỗi mục danh mục cần có mã và tên.")
        if code in seen:
            raise CatalogError(f"Mã '{code}' bị trùng trong danh mục.")
        seen.add(code)
    with db.atomic():
        rev = next_rev(db)
        stored = {
            code: (row_id, (label, data, order, deleted))
            for row_id, code, label, data, order, deleted in db.execute(
                "SELECT id, code, name, data, sort_order, deleted FROM catalog_entries WHERE catalog = ?", [name])
        }
        existing = {code: row_id for code, (row_id, _values) in stored.items()}
        for order, i in enumerate(items):
            data = {k: v for k, v in i.items() if k not in ("code", "name")}
            values = {
                "catalog": name,
                "code": clean(i["code"]),
                "name": clean(i["name"]),
                "data": json.dumps(data, ensure_ascii=False),
                "sort_order": order,
                "deleted": 0,
            }
            if values["code"] in existing:
                same = stored[values["code"]][1] == (values["name"], values["data"], order, 0)
                if not same:  # an unchanged entry keeps its counters: re-importing a package is a no-op
                    touch(db, "catalog_entries", existing[values["code"]], values, rev)
            else:
                db["catalog_entries"].insert({**values, **new_record_fields(db, rev)})
        for code, row_id in existing.items():
            if code not in seen and not stored[code][1][3]:
                touch(db, "catalog_entries", row_id, {"deleted": 1}, rev)
