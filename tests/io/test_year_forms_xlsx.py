"""The summary-form workbook cell by cell: a small form whose every cell, formula, merge and
width is stated here by hand from the form's layout (headers, group rows, subtotals, a grand
total, a total the form states differently from the sum, rates, notes, signatures)."""

from __future__ import annotations

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from gnbv_desktop.core.document import issuer
from gnbv_desktop.core.forms import GROUP, Column, Section, SummaryForm
from gnbv_desktop.io.year_forms_xlsx import write_form_xlsx

RATE = '=IF(AND(ISNUMBER(E{r}),E{r}>0),ROUND(C{r}/E{r}*100,2),"")'


def _form() -> SummaryForm:
    cols = [Column("TT", numeric=False), Column("Thôn", numeric=False), Column("Số hộ", group="Hộ nghèo"),
            Column("Tỷ lệ (%)", rate_of=(2, 4), group="Hộ nghèo"), Column("Tổng số hộ"),
            Column("Ghi chú", numeric=False)]
    sec = Section("I. Theo nhóm", cols, note="Ghi chú mục")
    sec.add(["I", "Nhóm A", None, None, None, None], GROUP)
    sec.add(["1", '=HYPERLINK("http://x")', 3, None, 40, "-âm"])
    sec.add(["2", "Thôn Hai", 5, None, 50, ""])
    sec.add_total("Cộng nhóm A")
    sec.add(["II", "Nhóm B", None, None, None, None], GROUP)
    sec.add(["3", "Thôn Ba", 2, None, 10, None])
    sec.add_total("Cộng nhóm B")
    grand = sec.add_total("Tổng cộng", grand=True)
    grand.cells[4] = 95  # a figure the form states otherwise (e.g. households counted once)
    return SummaryForm("thu", "Biểu số 09", "TIÊU ĐỀ BIỂU", "(Kèm theo báo cáo)", [sec], notes=["Ghi chú biểu"])


@pytest.fixture
def workbook(tmp_path):
    path = tmp_path / "bieu.xlsx"
    write_form_xlsx([_form()], issuer("Xã Ia Grai", "Tỉnh Gia Lai"), path, "Nguyễn Văn An")
    return path


def test_every_cell_merge_and_width(workbook):
    ws = openpyxl.load_workbook(workbook)["Biểu 09"]
    who = issuer("Xã Ia Grai", "Tỉnh Gia Lai")
    expected = {
        "A1": who.province_line, "F1": "Biểu số 09", "A2": who.commune_line,
        "A4": "TIÊU ĐỀ BIỂU", "A5": "(Kèm theo báo cáo)", "A7": "I. Theo nhóm",
        "A8": "TT", "B8": "Thôn", "C8": "Hộ nghèo", "C9": "Số hộ", "D9": "Tỷ lệ (%)", "E8": "Tổng số hộ", "F8": "Ghi chú",
        "A10": "I", "B10": "Nhóm A",
        "A11": "1", "B11": '=HYPERLINK("http://x")', "C11": 3, "D11": RATE.format(r=11), "E11": 40, "F11": "-âm",
        "A12": "2", "B12": "Thôn Hai", "C12": 5, "D12": RATE.format(r=12), "E12": 50,
        "B13": "Cộng nhóm A", "C13": "=SUM(C10:C12)", "D13": RATE.format(r=13), "E13": "=SUM(E10:E12)",
        "A14": "II", "B14": "Nhóm B",
        "A15": "3", "B15": "Thôn Ba", "C15": 2, "D15": RATE.format(r=15), "E15": 10,
        "B16": "Cộng nhóm B", "C16": "=SUM(C14:C15)", "D16": RATE.format(r=16), "E16": "=SUM(E14:E15)",
        "B17": "Tổng cộng", "C17": "=C13+C16", "D17": RATE.format(r=17), "E17": 95,
        "A18": "Ghi chú mục", "A20": "Ghi chú biểu",
        "B22": "NGƯỜI LẬP BIỂU", "C22": "TM. ỦY BAN NHÂN DÂN", "C23": "CHỦ TỊCH", "C27": "Nguyễn Văn An",
    }
    found = {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value not in (None, "")}
    assert found == expected
    assert sorted(map(str, ws.merged_cells.ranges)) == sorted(
        ["A4:F4", "A5:F5", "A8:A9", "B8:B9", "C8:D8", "E8:E9", "F8:F9"])
    assert {k: d.width for k, d in ws.column_dimensions.items() if d.width} == {
        "A": 6, "B": 30, "C": 13, "D": 13, "E": 13, "F": 13}
    # text that looks like a formula stays text, shown as typed
    assert ws["B11"].data_type == "s" and ws["B11"].quotePrefix and ws["F11"].quotePrefix
    assert ws["C11"].data_type == "n" and ws["C13"].data_type == "f"


def test_styles_follow_the_row_kind(workbook):
    ws = openpyxl.load_workbook(workbook)["Biểu 09"]
    for ref in ("A8", "C8", "C9", "D9", "F8"):  # header: bold 11, centred, boxed
        c = ws[ref]
        assert (c.font.b, c.font.sz, c.alignment.horizontal, c.alignment.wrap_text, c.border.left.style) == (
            True, 11, "center", True, "thin"), ref
    assert ws["D9"].border.bottom.style == "thin"
    for row in range(10, 18):
        bold = row in (10, 13, 14, 16, 17)
        for col in "ABCDEF":
            c = ws[f"{col}{row}"]
            assert c.font.b is bold and c.font.sz == 11 and c.font.name == "Times New Roman", c.coordinate
            assert c.border.top.style == c.border.right.style == "thin", c.coordinate
        assert ws[f"B{row}"].alignment.wrap_text and ws[f"B{row}"].alignment.vertical == "top"
        assert ws[f"C{row}"].number_format == ws[f"E{row}"].number_format == "#,##0"
        assert ws[f"D{row}"].number_format == ("General" if row in (10, 14) else "0.00")
    assert ws["A4"].font.b and ws["A4"].font.sz == 13 and ws["A4"].alignment.horizontal == "center"
    assert ws["A5"].font.i and ws["F1"].alignment.horizontal == "right" and ws["A2"].font.b
    assert ws["A18"].font.i and ws["A18"].font.sz == 11 and not ws["A18"].border.left.style


def test_another_reader_sees_the_same_values(workbook):
    rows = CalamineWorkbook.from_path(str(workbook)).get_sheet_by_name("Biểu 09").to_python()
    assert rows[10][:6] == ["1", '=HYPERLINK("http://x")', 3, "", 40, "-âm"]
    assert rows[16][1] == "Tổng cộng" and rows[16][4] == 95
    assert rows[26][2] == "Nguyễn Văn An"


def test_several_forms_one_sheet_each(tmp_path):
    path = tmp_path / "hai.xlsx"
    write_form_xlsx([_form(), _form()], issuer("Xã Ia Grai", "Tỉnh Gia Lai"), path)
    wb = openpyxl.load_workbook(path)
    assert len(wb.sheetnames) == 2
    assert all(ws["C13"].value == "=SUM(C10:C12)" and ws["C27"].value is None for ws in wb.worksheets)


def test_text_in_a_counted_column_is_written_as_text(tmp_path):
    form = _form()
    form.sections[0].rows[2].cells[2] = "—"  # a dash typed where a count belongs, after the totals were made
    path = tmp_path / "gach.xlsx"
    write_form_xlsx([form], issuer("Xã Ia Grai", "Tỉnh Gia Lai"), path)
    ws = openpyxl.load_workbook(path).active
    assert ws["C12"].value == "—"
    assert ws["C13"].value == 8  # the stated total no longer equals the column's sum: kept as stated
