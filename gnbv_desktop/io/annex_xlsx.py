"""The plan annex as an Excel workbook, laid out like the PDF so it prints the same.

Merged title rows, bordered and wrapped cells, landscape A4 fitted to the page width with the
two header rows repeated on every printed page, frozen panes below the header, numbers stored as
numbers with a ``#,##0`` format (Excel shows ``1.500.000`` under Vietnamese regional settings).
openpyxl's write-only mode keeps 3,000 households within a couple of seconds.
"""

from __future__ import annotations

import datetime as _dt
from copy import copy
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from gnbv_desktop.core.classifications import NEAR_POOR, POOR
from gnbv_desktop.core.document import annex_reference, place_date_line, roman, signature_titles
from gnbv_desktop.io.annex_pdf import annex_title, group_summary, item_line
from gnbv_desktop.io.xlsx_safe import guard_cell
from gnbv_desktop.store.report_data import ReportData, ReportHousehold

FONT_NAME = "Times New Roman"
COLUMNS = [
    ("TT", 5),
    ("Họ và tên chủ hộ", 22),
    ("Năm sinh", 7),
    ("Dân tộc", 10),
    ("Thôn", 12),
    ("Phân loại", 10),
    ("Chỉ số thiếu hụt", 28),
    ("Nguyên nhân nghèo", 26),
    ("Giải pháp hỗ trợ (nội dung; kinh phí; nguồn)", 48),
    ("Kinh phí dự kiến (đồng)", 15),
    ("Người/tổ chức giúp đỡ", 26),
    ("Dự kiến kết quả", 13),
    ("Ghi chú", 12),
]
AMOUNT_COL = 10  # 1-based
NUMBER_FORMAT = "#,##0"
HEADER_ROW = 8  # first of the two header rows

_thin = Side(style="thin", color="000000")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
CENTRE_TOP = Alignment(horizontal="center", vertical="top", wrap_text=True)
RIGHT_TOP = Alignment(horizontal="right", vertical="top")


def _font(size: float = 11, bold: bool = False, italic: bool = False) -> Font:
    return Font(name=FONT_NAME, size=size, bold=bold, italic=italic)


BODY = _font(10)
BODY_BOLD = _font(10, bold=True)


class _Cells:
    """Makes styled cells for one sheet; each distinct style is registered once and its index
    array reused (assigning font/alignment/border per cell would cost most of the run time)."""

    def __init__(self, ws: Worksheet):
        self.ws = ws
        self._styles: dict[tuple, object] = {}

    def __call__(self, value, font: Font = BODY, align: Alignment = WRAP_TOP, border: bool = True,
                 number: bool = False) -> WriteOnlyCell:
        c = WriteOnlyCell(self.ws, value=value)
        key = (id(font), id(align), border, number)
        cached = self._styles.get(key)
        if cached is None:
            c.font = font
            c.alignment = align
            if border:
                c.border = BORDER
            if number:
                c.number_format = NUMBER_FORMAT
            self._styles[key] = copy(c._style)
        else:
            c._style = copy(cached)
        return guard_cell(c)


def _household_cells(cell: _Cells, n: int, h: ReportHousehold) -> list[WriteOnlyCell]:
    live = [it for it in h.items if it.status != "cancelled"]
    values = [
        (n, CENTRE_TOP, False),
        (h.head_name, WRAP_TOP, False),
        (h.head_birth_year, CENTRE_TOP, False),
        (h.ethnicity, WRAP_TOP, False),
        (h.village, WRAP_TOP, False),
        (h.classification_label.replace("Hộ ", "", 1).capitalize(), WRAP_TOP, False),
        ("\n".join(f"{c} {name}" for c, name in h.deprived) or "Không", WRAP_TOP, False),
        ("\n".join(h.causes), WRAP_TOP, False),
        ("\n".join(item_line(it) for it in live), WRAP_TOP, False),
        (h.expected_amount or None, RIGHT_TOP, True),
        ("\n".join(h.helpers), WRAP_TOP, False),
        (h.expected_result, WRAP_TOP, False),
        (h.note, WRAP_TOP, False),
    ]
    return [cell(v, align=a, number=num) for v, a, num in values]


def _total_cells(cell: _Cells, label: str, amount: int) -> list[WriteOnlyCell]:
    cells = [cell(None, BODY_BOLD), cell(label, BODY_BOLD)]
    cells += [cell(None, BODY_BOLD) for _ in range(AMOUNT_COL - 3)]
    cells.append(cell(amount, BODY_BOLD, RIGHT_TOP, number=True))
    cells += [cell(None, BODY_BOLD) for _ in range(len(COLUMNS) - AMOUNT_COL)]
    return cells


def write_annex_xlsx(data: ReportData, path: str | Path) -> int:
    """Write the annex workbook to ``path``; returns the number of household rows."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Phụ lục")
    cell = _Cells(ws)
    last = get_column_letter(len(COLUMNS))
    for i, (_label, width) in enumerate(COLUMNS, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = f"C{HEADER_ROW + 2}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW + 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left, ws.page_margins.right = 30 / 25.4, 15 / 25.4
    ws.page_margins.top = ws.page_margins.bottom = 20 / 25.4
    ws.oddFooter.center.text = "Trang &P/&N"
    ws.oddFooter.center.font = FONT_NAME

    who = data.issuer
    plan = data.plan
    doc_date = _dt.date.fromisoformat(plan.document_date) if plan and plan.document_date else None
    merges: list[str] = []
    split = 5  # the left header block spans A:E, the right one F:last

    def line(row: int, left: tuple | None, right: tuple | None = None, full: tuple | None = None) -> None:
        cells = []
        if full:
            text, font = full
            cells = [cell(text, font, CENTRE, border=False)]
            merges.append(f"A{row}:{last}{row}")
        else:
            cells.append(cell(left[0] if left else None, left[1] if left else BODY, CENTRE, border=False))
            cells += [cell(None, border=False) for _ in range(split - 1)]
            cells.append(cell(right[0] if right else None, right[1] if right else BODY, CENTRE, border=False))
            merges.append(f"A{row}:{get_column_letter(split)}{row}")
            merges.append(f"{get_column_letter(split + 1)}{row}:{last}{row}")
        ws.append(cells)

    line(1, (who.province_line, _font(12)), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", _font(12, bold=True)))
    line(2, (who.commune_line, _font(12, bold=True)), ("Độc lập - Tự do - Hạnh phúc", _font(13, bold=True)))
    line(3, None, (place_date_line(who.bare_name, doc_date, data.year), _font(13, italic=True)))
    ws.append([])
    line(5, None, full=("Phụ lục", _font(13, bold=True)))
    line(6, None, full=(annex_title(data.year), _font(13, bold=True)))
    reference = annex_reference(plan.document_number if plan else "", doc_date, data.year, who)
    if data.village_filter:
        reference += " — Thôn: " + ", ".join(data.village_filter)
    line(7, None, full=(reference, _font(12, italic=True)))
    ws.append([cell(label, _font(10, bold=True), CENTRE) for label, _ in COLUMNS])
    ws.append([cell(f"({i})", _font(9, italic=True), CENTRE) for i in range(1, len(COLUMNS) + 1)])

    row = HEADER_ROW + 2
    count = 0
    for gi, g in enumerate(data.groups, 1):
        ws.append([cell(roman(gi), BODY_BOLD, CENTRE_TOP), cell(g.name, BODY_BOLD)]
                  + [cell(None, BODY_BOLD) for _ in range(len(COLUMNS) - 2)])
        merges.append(f"B{row}:{last}{row}")
        row += 1
        for n, h in enumerate(g.households, 1):
            ws.append(_household_cells(cell, n, h))
            row += 1
            count += 1
        ws.append(_total_cells(cell, f"Cộng {g.name}: {group_summary(g.count(POOR), g.count(NEAR_POOR))}",
                               g.expected_amount))
        merges.append(f"B{row}:{get_column_letter(AMOUNT_COL - 1)}{row}")
        row += 1
    scope = "TỔNG CỘNG" if data.village_filter else "TỔNG CỘNG TOÀN XÃ"
    ws.append(_total_cells(cell, f"{scope}: {group_summary(data.count(POOR), data.count(NEAR_POOR))}",
                           data.expected_amount))
    merges.append(f"B{row}:{get_column_letter(AMOUNT_COL - 1)}{row}")
    row += 2
    ws.append([])
    authority, title = signature_titles(plan.signer_title if plan else "CHỦ TỊCH")
    sign_col = AMOUNT_COL - 1
    bold, italic = _font(12, bold=True), _font(12, italic=True)
    signature = [
        ("NGƯỜI LẬP BIỂU", bold, authority.replace("\n", " - "), bold),
        ("(Ký, ghi rõ họ tên)", italic, title, bold),
        (None, bold, "(Ký tên, đóng dấu)", italic),
        *[(None, bold, None, bold)] * 3,
        (plan.preparer_name if plan else None, bold, plan.signer_name if plan else None, bold),
    ]
    for left, left_font, right, right_font in signature:
        cells = [cell(None, border=False), cell(left, left_font, CENTRE, False)]
        cells += [cell(None, border=False) for _ in range(sign_col - 3)]
        cells.append(cell(right, right_font, CENTRE, False))
        ws.append(cells)
        merges.append(f"B{row}:D{row}")
        merges.append(f"{get_column_letter(sign_col)}{row}:{get_column_letter(sign_col + 3)}{row}")
        row += 1
    for m in merges:
        ws.merged_cells.add(m)
    wb.save(str(path))
    return count
