"""Printouts checked by content: names with diacritics, totals, masking, xlsx cells and layout."""

from __future__ import annotations

import openpyxl
import pytest

from gnbv_desktop.core.cccd import mask_cccd
from gnbv_desktop.core.classifications import NEAR_POOR, POOR
from gnbv_desktop.core.text import format_number
from gnbv_desktop.jobs.plan_reports import ANNEX, POSTING, SHEETS, ReportError, render_report
from gnbv_desktop.jobs.progress import run_to_end
from gnbv_desktop.store.villages import find_village
from tests.pdf_text import pdf_text


def expected_households(db, year=2026, village=None):
    """Heads and expected totals straight from the tables (independent of the report code)."""
    sql = """SELECT h.id, h.head_name, h.head_cccd, a.classification, v.name FROM households h
             JOIN assessments a ON a.household_id = h.id AND a.year = ? JOIN villages v ON v.id = h.village_id
             WHERE h.deleted = 0 AND a.classification IN ('poor', 'near_poor')"""
    rows = db.execute(sql, [year]).fetchall()
    if village:
        rows = [r for r in rows if r[4] == village]
    ids = [r[0] for r in rows]
    total = db.execute(
        f"""SELECT COALESCE(SUM(expected_amount), 0) FROM plan_items WHERE year = ? AND deleted = 0
            AND status != 'cancelled' AND household_id IN ({','.join('?' * len(ids))})""", [year, *ids]
    ).fetchone()[0]
    return rows, total


def test_annex_pdf_holds_every_head_and_the_totals(demo_db, tmp_path):
    out = tmp_path / "phu_luc.pdf"
    result = run_to_end(render_report(demo_db, ANNEX, out, 2026))
    text = pdf_text(out)
    flat = " ".join(text.split())
    rows, total = expected_households(demo_db)
    assert result.households == len(rows) and result.pages >= 1
    for _id, head, *_ in rows:
        assert " ".join(head.split()) in flat, head
    poor = sum(r[3] == POOR for r in rows)
    near = sum(r[3] == NEAR_POOR for r in rows)
    assert f"TỔNG CỘNG TOÀN XÃ: {len(rows)} hộ ({poor} hộ nghèo, {near} hộ cận nghèo)" in flat
    assert format_number(total) in flat
    assert "DANH SÁCH HỘ NGHÈO, HỘ CẬN NGHÈO VÀ GIẢI PHÁP HỖ TRỢ NĂM 2026" in flat
    assert "(Kèm theo Kế hoạch số" in flat and "ngày 05 tháng 01 năm 2026 của UBND xã Ia Grai)" in flat
    assert "ỦY BAN NHÂN DÂN XÃ IA GRAI" in flat and "TM. ỦY BAN NHÂN DÂN" in flat
    assert "NGƯỜI LẬP BIỂU" in flat
    assert f"Trang {result.pages}/{result.pages}" in flat
    # the column header repeats once at the top of every page the table reaches
    per_page = [p.count("Họ và tên chủ hộ") for p in text.split("\f")[: result.pages]]
    table_pages = [i for i, p in enumerate(text.split("\f")) if "(13)" in p]
    assert per_page[: len(table_pages)] == [1] * len(table_pages) and len(table_pages) >= result.pages - 1


def test_annex_village_filter_and_subtotal(demo_db, tmp_path):
    village = find_village(demo_db, "Thôn 2")
    out = tmp_path / "thon2.pdf"
    run_to_end(render_report(demo_db, ANNEX, out, 2026, [village.id]))
    flat = " ".join(pdf_text(out).split())
    rows, total = expected_households(demo_db, village="Thôn 2")
    assert f"Cộng Thôn 2: {len(rows)} hộ" in flat and f"TỔNG CỘNG: {len(rows)} hộ" in flat
    assert format_number(total) in flat
    others, _ = expected_households(demo_db, village="Thôn 1")
    assert not any(" ".join(r[1].split()) in flat for r in others if r[1] not in {x[1] for x in rows})


def test_annex_xlsx_cells(demo_db, tmp_path):
    out = tmp_path / "phu_luc.xlsx"
    run_to_end(render_report(demo_db, ANNEX, out, 2026))
    ws = openpyxl.load_workbook(out).active
    rows, total = expected_households(demo_db)
    assert ws["A6"].value == "DANH SÁCH HỘ NGHÈO, HỘ CẬN NGHÈO VÀ GIẢI PHÁP HỖ TRỢ NĂM 2026"
    assert ws["B8"].value == "Họ và tên chủ hộ" and ws["J8"].value == "Kinh phí dự kiến (đồng)"
    assert ws.print_title_rows == "$8:$9" and ws.freeze_panes == "C10"
    assert ws.page_setup.orientation == "landscape"
    assert "A6:M6" in {str(r) for r in ws.merged_cells.ranges}
    heads = [ws.cell(r, 2).value for r in range(10, ws.max_row + 1) if isinstance(ws.cell(r, 1).value, int)]
    assert sorted(heads) == sorted(r[1] for r in rows)
    grand = next(r for r in range(10, ws.max_row + 1) if str(ws.cell(r, 2).value).startswith("TỔNG CỘNG"))
    assert ws.cell(grand, 10).value == total and ws.cell(grand, 10).number_format == "#,##0"
    amounts = [ws.cell(r, 10).value or 0 for r in range(10, grand) if isinstance(ws.cell(r, 1).value, int)]
    assert sum(amounts) == total


def test_posting_list_masks_ids(demo_db, tmp_path):
    out = tmp_path / "niem_yet.pdf"
    run_to_end(render_report(demo_db, POSTING, out, 2026))
    flat = " ".join(pdf_text(out).split())
    rows, _ = expected_households(demo_db)
    for _id, head, cccd, *_ in rows:
        assert " ".join(head.split()) in flat
        if cccd:
            assert cccd not in flat and mask_cccd(cccd) in flat
    assert "Niêm yết công khai" in flat
    assert "Kinh" not in flat.replace("Kinh phí", "")  # no ethnicity on a public list


def test_household_sheets_one_per_household(demo_db, tmp_path):
    out = tmp_path / "phieu.pdf"
    village = find_village(demo_db, "Làng Dư")
    result = run_to_end(render_report(demo_db, SHEETS, out, 2026, [village.id]))
    text = pdf_text(out)
    rows, _ = expected_households(demo_db, village="Làng Dư")
    assert result.households == len(rows)
    assert text.count("PHIẾU THEO DÕI HỖ TRỢ HỘ NGHÈO, HỘ CẬN NGHÈO NĂM 2026") == len(rows)
    flat = " ".join(text.split())
    assert "Xác nhận của hộ" in flat and "Thành viên hộ" in flat


def test_wrong_extension_is_refused_and_nothing_written(demo_db, tmp_path):
    with pytest.raises(ReportError, match=r"\.pdf"):
        run_to_end(render_report(demo_db, POSTING, tmp_path / "x.xlsx", 2026))
    assert not (tmp_path / "x.xlsx").exists()
