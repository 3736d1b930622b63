"""Summary forms as workbooks: one sheet per form, totals and rates as formulas, so an official
who corrects a village's figure in Excel sees the totals follow.

Written with openpyxl's write-only mode: each row goes to the file as soon as the writer moves
past it, so Biểu 06 (one line per household leaving poverty) stays within a few megabytes of
memory whatever the number of households, and every total is found in one pass over the rows.
"""

from __future__ import annotations

from copy import copy
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from gnbv_desktop.core.document import Issuer
from gnbv_desktop.core.forms import DATA, GROUP, TOTAL, Section, SummaryForm
from gnbv_desktop.core.text import strip_illegal_chars
from gnbv_desktop.io.xlsx_safe import guard_cell

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = "Times New Roman"
_NUMBER = "#,##0"


def _font(bold: bool = False, italic: bool = False, size: float = 12) -> Font:
    return Font(name=_FONT, bold=bold, italic=italic, size=size)


class _Rows:
    """The rows of one write-only sheet not yet written, addressed like a normal sheet's cells.

    A form writes a few rows at a time (the two header rows of a section together), always
    further down; :meth:`flush` sends every row above a given one to the file. Each distinct
    style is registered with the workbook once and its index array copied to later cells
    (assigning font, border and alignment per cell would cost most of the run time)."""

    def __init__(self, ws: WriteOnlyWorksheet):
        self.ws = ws
        self.written = 0
        self.pending: dict[int, dict[int, WriteOnlyCell]] = {}
        self._styles: dict[tuple, object] = {}

    def cell(self, row: int, column: int) -> WriteOnlyCell:
        """The cell at ``row``, ``column``, created empty on first use."""
        if row <= self.written:
            raise ValueError(f"row {row} is already written")
        cells = self.pending.setdefault(row, {})
        cell = cells.get(column)
        if cell is None:
            cell = cells[column] = WriteOnlyCell(self.ws)
        return cell

    def style(self, cell: WriteOnlyCell, font: tuple | None = None, align: tuple | None = None,
              border: bool = False, number: str | None = None) -> WriteOnlyCell:
        """Give ``cell`` a font (``_font`` arguments), alignment (``Alignment`` keyword pairs), the
        thin box border and a number format; call before :func:`_put`, whose quote prefix is part
        of the style."""
        key = (font, align, border, number)
        cached = self._styles.get(key)
        if cached is None:
            if font is not None:
                cell.font = _font(*font)
            if align is not None:
                cell.alignment = Alignment(**dict(align))
            if border:
                cell.border = _BOX
            if number is not None:
                cell.number_format = number
            self._styles[key] = copy(cell._style)
        else:
            cell._style = copy(cached)
        return cell

    def flush(self, below: int) -> None:
        """Write every row above ``below`` (rows never touched are written empty)."""
        while self.written + 1 < below:
            self.written += 1
            cells = self.pending.pop(self.written, {})
            self.ws.append([cells.get(k) for k in range(1, max(cells, default=0) + 1)])


# styles as hashable keys for _Rows.style: (bold, italic, size) and Alignment keywords
_BOLD = (True, False, 12)
_HEADER_FONT = (True, False, 11)
_CENTRE_WRAP = (("horizontal", "center"), ("vertical", "center"), ("wrap_text", True))
_TOP_WRAP = (("wrap_text", True), ("vertical", "top"))


def write_form_xlsx(forms: list[SummaryForm], who: Issuer, path: str | Path, signer_name: str = "") -> None:
    """Write ``forms`` (one sheet each) to ``path``."""
    wb = Workbook(write_only=True)
    for form in forms:
        ws = wb.create_sheet(form.number.replace("Biểu số ", "Biểu ")[:31])
        _write_sheet(ws, form, who, signer_name)
    wb.save(str(path))


def _write_sheet(ws: WriteOnlyWorksheet, form: SummaryForm, who: Issuer, signer_name: str) -> None:
    width = max(len(s.columns) for s in form.sections)
    last_col = get_column_letter(width)
    # a write-only sheet writes its column widths before the first row
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 30
    for c in range(3, width + 1):
        ws.column_dimensions[get_column_letter(c)].width = 13
    rows = _Rows(ws)
    _text(rows, 1, 1, who.province_line)
    _text(rows, 2, 1, who.commune_line, _BOLD)
    _text(rows, 1, width, form.number, _BOLD, (("horizontal", "right"),))
    r = 4
    for text, f in ((form.title, (True, False, 13)), (form.subtitle, (False, True, 12))):
        _text(rows, r, 1, text, f, (("horizontal", "center"), ("wrap_text", True)))
        ws.merged_cells.add(f"A{r}:{last_col}{r}")
        r += 1
    r += 1
    for section in form.sections:
        r = _write_section(rows, section, r)
        r += 1
    for note in form.notes:
        _text(rows, r, 1, note, (False, True, 11))
        r += 1
    r += 1
    right = max(3, width - 3)
    _text(rows, r, 2, "NGƯỜI LẬP BIỂU", _BOLD)
    _text(rows, r, right, "TM. ỦY BAN NHÂN DÂN", _BOLD)
    _text(rows, r + 1, right, "CHỦ TỊCH", _BOLD)
    if signer_name:
        _text(rows, r + 5, right, signer_name, _BOLD)
    rows.flush(max(rows.pending, default=0) + 1)


def _write_section(rows: _Rows, section: Section, r: int) -> int:
    cols = section.columns
    ws = rows.ws
    if section.title:
        _text(rows, r, 1, section.title, _BOLD)
        r += 1
    # two header rows: the group over its columns, or the label over both rows; every cell of
    # both rows (those under a merge too) bordered, so the printed grid is closed
    top, bottom = r, r + 1
    for rr in (top, bottom):
        for k in range(1, len(cols) + 1):
            rows.style(rows.cell(rr, k), _HEADER_FONT, _CENTRE_WRAP, border=True)
    for first, last, group in section.header_spans():
        if group:
            _put(rows.cell(top, first + 1), group)
            if last > first:
                ws.merged_cells.add(f"{get_column_letter(first + 1)}{top}:{get_column_letter(last + 1)}{top}")
            for k in range(first, last + 1):
                _put(rows.cell(bottom, k + 1), cols[k].label)
        else:
            _put(rows.cell(top, first + 1), cols[first].label)
            ws.merged_cells.add(f"{get_column_letter(first + 1)}{top}:{get_column_letter(first + 1)}{bottom}")
    r = bottom + 1
    rows.flush(r)
    letters = [get_column_letter(k + 1) for k in range(len(cols))]
    rates = {k: tuple(letters[i] for i in col.rate_of) for k, col in enumerate(cols) if col.rate_of is not None}
    summed_cols = [k for k, col in enumerate(cols) if col.numeric and k not in rates]
    since_total = dict.fromkeys(summed_cols, 0)  # the data rows' sums since the last total row
    grand = dict.fromkeys(summed_cols, 0)  # … and since the section's start
    data_start = r
    subtotal_rows: list[str] = []
    for row in section.rows:
        font = (row.kind != DATA, False, 11)
        for k, col in enumerate(cols):
            cell = rows.cell(r, k + 1)
            value = row.cells[k]
            if k in rates:
                rows.style(cell, font, None if col.numeric else _TOP_WRAP, True, None if row.kind == GROUP else "0.00")
                if row.kind != GROUP:
                    num, den = rates[k]
                    cell.value = f'=IF(AND(ISNUMBER({den}{r}),{den}{r}>0),ROUND({num}{r}/{den}{r}*100,2),"")'
            elif row.kind == TOTAL and col.numeric:
                rows.style(cell, font, None, True, _NUMBER)
                formula = _formula_total(value, letters[k], data_start, r, since_total[k], grand[k], subtotal_rows)
                cell.value = formula if formula is not None else value
            else:
                rows.style(cell, font, None if col.numeric else _TOP_WRAP, True, _NUMBER if col.numeric else None)
                _put(cell, value)
        if row.kind == DATA:
            for k in summed_cols:
                figure = _figure(row.cells[k])
                since_total[k] += figure
                grand[k] += figure
        elif row.kind == TOTAL:
            subtotal_rows.append(str(r))
            data_start = r + 1
            since_total = dict.fromkeys(summed_cols, 0)
        r += 1
        rows.flush(r)
    if section.note:
        _text(rows, r, 1, section.note, (False, True, 11))
        r += 1
    return r


def _put(cell: WriteOnlyCell, value: object) -> None:
    """Write a value; text is always text — a name typed as ``=HYPERLINK(…)`` never becomes a
    formula (see io.xlsx_safe). Only this module's own SUM/rate formulas are formulas."""
    cell.value = strip_illegal_chars(value) if isinstance(value, str) else value
    guard_cell(cell)


def _text(rows: _Rows, row: int, column: int, value: object, font: tuple | None = None,
          align: tuple | None = None) -> WriteOnlyCell:
    """A cell of text that may come from the user (names, titles), styled then guarded."""
    cell = rows.style(rows.cell(row, column), font, align)
    _put(cell, value)
    return cell


def _figure(value: object) -> int | float:
    """A counted cell as a number to sum: blank or text (a dash typed in) counts as 0."""
    return value if isinstance(value, (int, float)) else 0


def _formula_total(value: object, letter: str, start: int, r: int, since_total: int, grand: int,
                   subtotals: list[str]) -> str | None:
    """A SUM formula for a total cell when the form's total is that sum (a grand total sums the
    subtotals); None when the form states another figure there (e.g. households counted once).
    ``since_total`` and ``grand`` are the data rows' sums since the last total and the section's start."""
    if value == since_total and start < r:
        return f"=SUM({letter}{start}:{letter}{r - 1})"
    if subtotals and value == grand:
        return "=" + "+".join(f"{letter}{s}" for s in subtotals)
    return None
