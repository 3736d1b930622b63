"""The one rule every XLSX writer applies to text: it is written as text, never as a formula,
and never with a character XML cannot carry.

openpyxl turns any string starting with ``=`` into a live formula, so a name imported as
``=HYPERLINK(…)`` or ``=cmd|' /C calc'!A0`` would run in whoever opens the export; text starting
with ``+``, ``-``, ``@``, tab or carriage return is read as a formula by spreadsheet programs when
the cell is edited or the sheet re-saved as CSV. Such text is stored as a string cell with Excel's
quote prefix (shown as typed, never evaluated). Control characters would make openpyxl refuse the
whole workbook (IllegalCharacterError): they are removed here as a last line of defence, after
the import already removed them with a warning.
"""

from __future__ import annotations

from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.worksheet.worksheet import Worksheet

from gnbv_desktop.core.text import strip_illegal_chars

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet program could take ``text`` for a formula."""
    return text.startswith(FORMULA_PREFIXES)


def guard_cell(cell: Cell | WriteOnlyCell) -> Cell | WriteOnlyCell:
    """Make ``cell`` (value already set) safe: illegal characters removed, formula-like text kept
    as a quoted string. Returns the cell, so writers can wrap their own cell factories."""
    value = cell.value
    if isinstance(value, str):
        text = strip_illegal_chars(value)
        if text != value:
            cell.value = text
        if is_formula_like(text):
            cell.data_type = "s"
            cell.quotePrefix = True
    return cell


def safe_value(ws: Worksheet, value: object) -> object:
    """``value`` ready for ``ws.append``: plain values as they are (fast), risky text as a guarded
    cell of ``ws`` (write-only or normal worksheet alike)."""
    if not isinstance(value, str):
        return value
    text = strip_illegal_chars(value)
    if not is_formula_like(text):
        return text
    return guard_cell(WriteOnlyCell(ws, value=text))


def safe_row(ws: Worksheet, values: list[object]) -> list[object]:
    """Every value of a row through :func:`safe_value`."""
    return [safe_value(ws, v) for v in values]


def guard_sheet(ws: Worksheet) -> None:
    """Guard every text cell of a normal (not write-only) worksheet, once it is filled."""
    for row in ws.iter_rows():
        for cell in row:
            guard_cell(cell)
