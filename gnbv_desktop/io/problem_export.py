"""Xuất danh sách lỗi: the problems of an Excel import as an XLSX the official can sort and fix from.

One row per problem: row, column, value as written, level, message. Every cell is written as a
string (never a formula, whatever it starts with) and characters XML forbids are dropped, so a
hostile list cannot turn its own error report into something harmful or unwritable.
"""

from __future__ import annotations

import os
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font

from gnbv_desktop.io.excel_parser import Problem

HEADERS = ["Trang", "Dòng", "Cột", "Giá trị trong tệp", "Mức", "Nội dung"]
WIDTHS = [18, 8, 28, 30, 8, 90]


def _text(ws, value: object, bold: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=ILLEGAL_CHARACTERS_RE.sub("", str(value)))
    cell.data_type = "s"
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    if bold:
        cell.font = Font(bold=True)
    return cell


def write_problems(path: str | Path, sheet: str, problems: list[Problem]) -> None:
    """Write ``problems`` (of the list on ``sheet``) to ``path``; the file appears whole or not at all."""
    path = Path(path)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách lỗi")
    for i, width in enumerate(WIDTHS):
        ws.column_dimensions[chr(65 + i)].width = width
    ws.append([_text(ws, h, bold=True) for h in HEADERS])
    for p in problems:
        ws.append([_text(ws, v) for v in (p.sheet or sheet, p.row, p.column, p.value,
                                          "Lỗi" if p.error else "Lưu ý", p.message)])
    tmp = path.with_name(path.name + ".tmp")
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.is_file():  # a folder of that name is not ours to remove
            tmp.unlink()
