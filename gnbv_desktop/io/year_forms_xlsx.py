"""Summary forms as workbooks: one sheet per form, totals and rates as formulas, so an official
who corrects a village's figure in Excel sees the totals follow."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from gnbv_desktop.core.document import Issuer
from gnbv_desktop.core.forms import DATA, GROUP, TOTAL, Section, SummaryForm
from gnbv_desktop.core.text import strip_illegal_chars
from gnbv_desktop.io.xlsx_safe import guard_cell

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = "Times New Roman"


def _font(bold: bool = False, italic: bool = False, size: float = 12) -> Font:
    return Font(name=_FONT, bold=bold, italic=italic, size=size)


def write_form_xlsx(forms: list[SummaryForm], who: Issuer, path: str | Path, signer_name: str = "") -> None:
    """Write ``forms`` (one sheet each) to ``path``."""
    wb = Workbook()
    wb.remove(wb.active)
    for form in forms:
        ws = wb.create_sheet(form.number.replace("Biểu số ", "Biểu ")[:31])
        _write_sheet(ws, form, who, signer_name)
    wb.save(path)


def _write_sheet(ws, form: SummaryForm, who: Issuer, signer_name: str) -> None:
    width = max(len(s.columns) for s in form.sections)
    last_col = get_column_letter(width)
    _text(ws, 1, 1, who.province_line)
    _text(ws, 2, 1, who.commune_line).font = _font(bold=True)
    _text(ws, 1, width, form.number).font = _font(bold=True)
    ws.cell(1, width).alignment = Alignment(horizontal="right")
    ws.append([])
    r = 4
    for text, f in ((form.title, _font(bold=True, size=13)), (form.subtitle, _font(italic=True))):
        _text(ws, r, 1, text).font = f
        ws.merge_cells(f"A{r}:{last_col}{r}")
        ws.cell(r, 1).alignment = Alignment(horizontal="center", wrap_text=True)
        r += 1
    r += 1
    for section in form.sections:
        r = _write_section(ws, section, r)
        r += 1
    for note in form.notes:
        _text(ws, r, 1, note).font = _font(italic=True, size=11)
        r += 1
    r += 1
    _text(ws, r, 2, "NGƯỜI LẬP BIỂU").font = _font(bold=True)
    _text(ws, r, max(3, width - 3), "TM. ỦY BAN NHÂN DÂN").font = _font(bold=True)
    _text(ws, r + 1, max(3, width - 3), "CHỦ TỊCH").font = _font(bold=True)
    if signer_name:
        _text(ws, r + 5, max(3, width - 3), signer_name).font = _font(bold=True)
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 30
    for c in range(3, width + 1):
        ws.column_dimensions[get_column_letter(c)].width = 13


def _write_section(ws, section: Section, r: int) -> int:
    cols = section.columns
    if section.title:
        _text(ws, r, 1, section.title).font = _font(bold=True)
        r += 1
    # two header rows: the group over its columns, or the label over both rows
    top, bottom = r, r + 1
    for first, last, group in section.header_spans():
        if group:
            _text(ws, top, first + 1, group)
            if last > first:
                ws.merge_cells(start_row=top, start_column=first + 1, end_row=top, end_column=last + 1)
            for k in range(first, last + 1):
                _text(ws, bottom, k + 1, cols[k].label)
        else:
            _text(ws, top, first + 1, cols[first].label)
            ws.merge_cells(start_row=top, start_column=first + 1, end_row=bottom, end_column=first + 1)
    for rr in (top, bottom):
        for k in range(1, len(cols) + 1):
            cell = ws.cell(rr, k)
            cell.font = _font(bold=True, size=11)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = _BOX
    r = bottom + 1
    data_start = r
    subtotal_rows: list[int] = []
    for row in section.rows:
        for k, col in enumerate(cols):
            cell = ws.cell(r, k + 1)
            letter = get_column_letter(k + 1)
            value = row.cells[k]
            if col.rate_of is not None:
                if row.kind != GROUP:
                    num, den = (get_column_letter(i + 1) for i in col.rate_of)
                    cell.value = f'=IF(AND(ISNUMBER({den}{r}),{den}{r}>0),ROUND({num}{r}/{den}{r}*100,2),"")'
                    cell.number_format = "0.00"
            elif row.kind == TOTAL and col.numeric:
                summed = _formula_total(section, row, k, letter, data_start, r, subtotal_rows)
                cell.value = summed if summed is not None else value
                cell.number_format = "#,##0"
            else:
                _put(cell, value)
                if col.numeric:
                    cell.number_format = "#,##0"
            cell.border = _BOX
            cell.font = _font(bold=row.kind != DATA, size=11)
            if not col.numeric:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        if row.kind == TOTAL:
            subtotal_rows.append(r)
            data_start = r + 1
        r += 1
    if section.note:
        _text(ws, r, 1, section.note).font = _font(italic=True, size=11)
        r += 1
    return r


def _put(cell: Cell, value: object) -> None:
    """Write a value; text is always text — a name typed as ``=HYPERLINK(…)`` never becomes a
    formula (see io.xlsx_safe). Only this module's own SUM/rate formulas are formulas."""
    cell.value = strip_illegal_chars(value) if isinstance(value, str) else value
    guard_cell(cell)


def _text(ws, row: int, column: int, value: object) -> Cell:
    """``ws.cell(row, column, value)`` for text that may come from the user (names, titles)."""
    cell = ws.cell(row, column)
    _put(cell, value)
    return cell


def _formula_total(section: Section, row, k: int, letter: str, start: int, r: int, subtotals: list[int]) -> str | None:
    """A SUM formula for a total cell when the form's total is that sum (a grand total sums the
    subtotals); None when the form states another figure there (e.g. households counted once)."""
    index = section.rows.index(row)
    previous_totals = [i for i, x in enumerate(section.rows[:index]) if x.kind == TOTAL]
    first = previous_totals[-1] + 1 if previous_totals else 0
    summed = sum((x.cells[k] or 0) for x in section.rows[first:index] if x.kind == DATA)
    if row.cells[k] == summed and start < r:
        return f"=SUM({letter}{start}:{letter}{r - 1})"
    grand = sum((x.cells[k] or 0) for x in section.rows[:index] if x.kind == DATA)
    if subtotals and row.cells[k] == grand:
        return "=" + "+".join(f"{letter}{s}" for s in subtotals)
    return None
