"""Exporting the commune's households (with members and the year's assessment) to ``.xlsx``.

The file is written next to the target and moved into place at the end, so a cancelled or
failed export never leaves a half-written workbook under the user's chosen name.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from gnbv_desktop.core.text import format_number
from gnbv_desktop.io.excel_export import HOUSEHOLD_COLUMNS, PersonRow, SheetSpec, write_workbook
from gnbv_desktop.jobs.progress import Job, Progress
from gnbv_desktop.store.catalog_store import catalog_names
from gnbv_desktop.store.settings import load_settings

_LIST_FIELDS = ("categories",)
_ASSESSMENT_LIST_FIELDS = ("deprived", "causes", "needs")


def _households(db: Database) -> list[dict]:
    rows = db.query(
        """SELECT h.*, COALESCE(v.name, '') AS village, COALESCE(v.area, 'rural') AS village_area
           FROM households h LEFT JOIN villages v ON v.id = h.village_id
           WHERE h.deleted = 0 ORDER BY v.sort_order, h.code, h.id"""
    )
    out = []
    for r in rows:
        for f in _LIST_FIELDS:
            r[f] = json.loads(r[f])
        out.append(r)
    return out


def _members(db: Database) -> dict[int, list[dict]]:
    by_household: dict[int, list[dict]] = defaultdict(list)
    for m in db.query("SELECT * FROM members WHERE deleted = 0 ORDER BY household_id, sort_order, id"):
        by_household[m["household_id"]].append(m)
    return by_household


def _assessments(db: Database, year: int) -> dict[int, dict]:
    out = {}
    for a in db.query("SELECT * FROM assessments WHERE year = ? AND deleted = 0", [year]):
        for f in _ASSESSMENT_LIST_FIELDS:
            a[f] = json.loads(a[f])
        out[a["household_id"]] = a
    return out


def household_sheet(db: Database, year: int) -> tuple[SheetSpec, int]:
    """The household list sheet and how many households it holds."""
    households = _households(db)
    members = _members(db)
    assessments = _assessments(db, year)
    labels = {name: catalog_names(db, name) for name in ("household_categories", "causes", "needs")}
    settings = load_settings(db)

    def rows() -> Iterator[PersonRow]:
        for n, h in enumerate(households, start=1):
            a = assessments.get(h["id"])
            yield PersonRow(n, None, h, None, a, labels)
            for k, m in enumerate(members.get(h["id"], []), start=1):
                yield PersonRow(n, k, h, m, a, labels)

    place = ", ".join(p for p in (settings.commune_name, settings.province_name) if p)
    spec = SheetSpec(
        name="Danh sách hộ",
        title=f"DANH SÁCH HỘ GIA ĐÌNH VÀ THÀNH VIÊN NĂM {year}",
        subtitle=f"({place})" if place else "",
        preamble=[settings.commune_name.upper()] if settings.commune_name else [],
        columns=HOUSEHOLD_COLUMNS,
        rows=rows,
    )
    return spec, len(households)


def export_excel(db: Database, path: str | Path, year: int) -> Job[int]:
    """Write the households of the commune with the ``year`` assessment; returns the household count."""
    path = Path(path)
    yield Progress(0, 0, "Đang đọc dữ liệu…")
    spec, count = household_sheet(db, year)
    members = db.execute(
        "SELECT COUNT(*) FROM members m JOIN households h ON h.id = m.household_id "
        "WHERE m.deleted = 0 AND h.deleted = 0"
    ).fetchone()[0]
    total_rows = count + members
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        yield Progress(0, total_rows, f"Đang ghi {format_number(count)} hộ…")
        writer = write_workbook(tmp, [spec])
        while True:
            try:
                written = next(writer)
            except StopIteration as stop:
                written = stop.value
                break
            yield Progress(written, total_rows, f"Đã ghi {format_number(written)} dòng…")
        yield Progress(written, total_rows, "Đang lưu tệp…")
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return count
