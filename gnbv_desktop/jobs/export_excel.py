"""Exporting the commune's households (members, the year's assessment and support plan) to ``.xlsx``.

Three sheets: the household list (one row per person, with the plan's expected result), the
year's plan items, and the helpers with the households they help (see :mod:`..io.excel_plans`).

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

from gnbv_desktop.core.plans import HELPER_KIND_LABELS, STATUS_LABELS, Helper
from gnbv_desktop.core.text import format_date, format_number
from gnbv_desktop.io.excel_export import HOUSEHOLD_COLUMNS, PersonRow, SheetSpec, write_workbook
from gnbv_desktop.io.excel_plans import HELPER_LAYOUT, HELPER_SHEET, PLAN_LAYOUT, PLAN_SHEET, layout_columns
from gnbv_desktop.io.partial_files import track_partial
from gnbv_desktop.jobs.progress import Job, Progress
from gnbv_desktop.store.catalog_store import catalog_names
from gnbv_desktop.store.plans import funding_sources, list_helpers, support_measures
from gnbv_desktop.store.settings import load_settings

_LIST_FIELDS = ("categories",)
_ASSESSMENT_LIST_FIELDS = ("deprived", "causes", "needs")


_ORDER = "v.sort_order, h.code, h.id"


def _households(db: Database, year: int) -> list[dict]:
    rows = db.query(
        f"""SELECT h.*, COALESCE(v.name, '') AS village, COALESCE(v.area, 'rural') AS village_area,
                   COALESCE(hp.expected_result, '') AS expected_result
           FROM households h LEFT JOIN villages v ON v.id = h.village_id
           LEFT JOIN household_plans hp ON hp.household_id = h.id AND hp.year = ? AND hp.deleted = 0
           WHERE h.deleted = 0 ORDER BY {_ORDER}""",
        [year],
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
    households = _households(db, year)
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


def _numbered(rows: list[dict]) -> list[dict]:
    for n, r in enumerate(rows, start=1):
        r["no"] = n
    return rows


def plan_item_sheet(db: Database, year: int) -> tuple[SheetSpec, int]:
    """The year's plan items, one row each, in the household sheet's order."""
    measures = {m.code: m.name for m in support_measures(db)}
    funding = {f["code"]: f["name"] for f in funding_sources(db)}
    rows = []
    for r in db.query(
        f"""SELECT h.code, h.head_name, COALESCE(v.name, '') AS village, p.*
            FROM plan_items p JOIN households h ON h.id = p.household_id AND h.deleted = 0
            LEFT JOIN villages v ON v.id = h.village_id
            WHERE p.year = ? AND p.deleted = 0 ORDER BY {_ORDER}, p.sort_order, p.id""",
        [year],
    ):
        rows.append({
            "code": r["code"], "head_name": r["head_name"], "village": r["village"] or None,
            "measure": measures.get(r["measure_code"], r["measure_code"]), "content": r["content"] or None,
            "expected_amount": r["expected_amount"], "funding_source": funding.get(r["funding_source"],
                                                                                  r["funding_source"]) or None,
            "lead_organisation": r["lead_organisation"] or None, "planned_time": r["planned_time"] or None,
            "status": STATUS_LABELS.get(r["status"], r["status"]), "actual_amount": r["actual_amount"],
            "actual_date": format_date(r["actual_date"]) or None, "result": r["result"] or None,
        })
    spec = SheetSpec(name=PLAN_SHEET, title=f"KẾ HOẠCH HỖ TRỢ HỘ NGHÈO, HỘ CẬN NGHÈO NĂM {year}",
                     columns=layout_columns(PLAN_LAYOUT), rows=lambda: iter(_numbered(rows)))
    return spec, len(rows)


def helper_sheet(db: Database, year: int) -> tuple[SheetSpec, int]:
    """Every helper with each household it helps in ``year``; helpers helping nobody on a row of their own."""
    rows = []
    assigned = set()
    for r in db.query(
        f"""SELECT h.code, h.head_name, COALESCE(v.name, '') AS village, p.id AS helper_id, p.name, p.kind,
                   p.position, p.organisation, p.phone, p.note
            FROM helper_assignments a JOIN households h ON h.id = a.household_id AND h.deleted = 0
            JOIN helpers p ON p.id = a.helper_id AND p.deleted = 0
            LEFT JOIN villages v ON v.id = h.village_id
            WHERE a.year = ? AND a.deleted = 0 ORDER BY {_ORDER}, a.id""",
        [year],
    ):
        assigned.add(r["helper_id"])
        rows.append({"code": r["code"], "head_name": r["head_name"], "village": r["village"] or None,
                     **_helper_cells(Helper(r["name"], r["kind"], r["position"], r["organisation"], r["phone"],
                                            r["note"]))})
    for h in list_helpers(db):
        if h.id not in assigned:
            rows.append({"code": None, "head_name": None, "village": None, **_helper_cells(h)})
    spec = SheetSpec(name=HELPER_SHEET, title=f"NGƯỜI, TỔ CHỨC GIÚP ĐỠ HỘ NGHÈO, HỘ CẬN NGHÈO NĂM {year}",
                     columns=layout_columns(HELPER_LAYOUT), rows=lambda: iter(_numbered(rows)))
    return spec, len(rows)


def _helper_cells(h: Helper) -> dict:
    return {"helper": h.name, "kind": HELPER_KIND_LABELS.get(h.kind, h.kind), "position": h.position or None,
            "organisation": h.organisation or None, "phone": h.phone or None, "note": h.note or None}


def export_excel(db: Database, path: str | Path, year: int) -> Job[int]:
    """Write the households of the commune with the ``year`` assessment and support plan; returns
    the household count."""
    path = Path(path)
    yield Progress(0, 0, "Đang đọc dữ liệu…")
    spec, count = household_sheet(db, year)
    plans, n_items = plan_item_sheet(db, year)
    helpers, n_helpers = helper_sheet(db, year)
    members = db.execute(
        "SELECT COUNT(*) FROM members m JOIN households h ON h.id = m.household_id "
        "WHERE m.deleted = 0 AND h.deleted = 0"
    ).fetchone()[0]
    total_rows = count + members + n_items + n_helpers
    tmp = track_partial(path.with_name(f".{path.name}.tmp"))
    try:
        yield Progress(0, total_rows, f"Đang ghi {format_number(count)} hộ…")
        writer = write_workbook(tmp, [spec, plans, helpers])
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
