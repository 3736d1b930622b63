"""Writing the commune's households to ``.xlsx`` in a layout the importer reads back unchanged.

The household sheet is the national detail-list shape: one row per person, the head first
(``Quan hệ với chủ hộ`` = ``Chủ hộ``) carrying the household's columns, members below. Each sheet
is a :class:`SheetSpec` (title + columns + row source), and each column an :class:`ExportColumn`
(header, width, value function); the plan item and helper sheets are in :mod:`.excel_plans`.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from gnbv_desktop.core.cccd import SEX_LABELS
from gnbv_desktop.core.classifications import CLASSIFICATION_LABELS
from gnbv_desktop.core.household import HEAD_RELATION
from gnbv_desktop.core.plans import EXPECTED_RESULT_LABELS
from gnbv_desktop.core.standards import AREA_LABELS
from gnbv_desktop.core.text import format_date
from gnbv_desktop.io.xlsx_safe import guard_cell, safe_row

LIST_SEPARATOR = "; "


@dataclass
class PersonRow:
    """One sheet row: a household's head (``member is None``) or one of its members."""

    household_no: int
    member_no: int | None
    household: dict
    member: dict | None
    assessment: dict | None
    labels: dict[str, dict[str, str]]  # catalogue name → code → label

    @property
    def is_head(self) -> bool:
        return self.member is None


@dataclass(frozen=True)
class ExportColumn:
    """One column: its header, width, and the value it shows for a row of its sheet (a
    :class:`PersonRow` on the household sheet, a dict on the plan sheets)."""

    header: str
    width: int
    value: Callable[[Any], object]


@dataclass
class SheetSpec:
    name: str
    title: str
    columns: list[ExportColumn]
    rows: Callable[[], Iterator[Any]]
    subtitle: str = ""
    preamble: list[str] = field(default_factory=list)


def _head(fn: Callable[[PersonRow], object]) -> Callable[[PersonRow], object]:
    """A household-level value, written on the head's row only."""
    return lambda r: fn(r) if r.is_head else None


def _assess(key: str) -> Callable[[PersonRow], object]:
    return _head(lambda r: r.assessment[key] if r.assessment else None)


def _names(catalog: str, key: str, source: str) -> Callable[[PersonRow], object]:
    def value(r: PersonRow) -> object:
        holder = r.assessment if source == "assessment" else r.household
        if not holder:
            return None
        return LIST_SEPARATOR.join(r.labels[catalog].get(c, c) for c in holder[key]) or None

    return _head(value)


def _person(head_key: str, member_key: str) -> Callable[[PersonRow], object]:
    return lambda r: (r.household[head_key] if r.is_head else r.member[member_key]) or None


def _birth(r: PersonRow) -> object:
    if r.is_head and r.household["head_birth_date"]:
        return format_date(r.household["head_birth_date"])
    return r.household["head_birth_year"] if r.is_head else r.member["birth_year"]


def _classification(r: PersonRow) -> object:
    return CLASSIFICATION_LABELS.get(r.assessment["classification"]) if r.assessment else None


HOUSEHOLD_COLUMNS: list[ExportColumn] = [
    ExportColumn("STT hộ", 6, lambda r: r.household_no if r.is_head else None),
    ExportColumn("STT thành viên", 8, lambda r: r.member_no),
    ExportColumn("Mã hộ", 9, _head(lambda r: r.household["code"])),
    ExportColumn("Họ và tên", 26, _person("head_name", "full_name")),
    ExportColumn("Quan hệ với chủ hộ", 11, lambda r: HEAD_RELATION if r.is_head else r.member["relation"] or None),
    ExportColumn("Năm sinh", 11, _birth),
    ExportColumn("Giới tính", 7, lambda r: SEX_LABELS.get(_person("head_sex", "sex")(r) or "")),
    ExportColumn("Số CCCD", 15, _person("head_cccd", "cccd")),
    ExportColumn("Dân tộc", 10, _person("ethnicity_name", "ethnicity_name")),
    ExportColumn("Thôn", 14, _head(lambda r: r.household["village"])),
    ExportColumn("Khu vực", 10, _head(lambda r: AREA_LABELS.get(r.household["village_area"]))),
    ExportColumn("Địa chỉ", 18, _head(lambda r: r.household["address"] or None)),
    ExportColumn("Điện thoại", 12, _head(lambda r: r.household["phone"] or None)),
    ExportColumn("Đặc điểm hộ", 24, _names("household_categories", "categories", "household")),
    ExportColumn("Thu nhập bình quân (đồng/người/tháng)", 14, _assess("income")),
    ExportColumn("Các chỉ số thiếu hụt (mã)", 14,
                 _head(lambda r: LIST_SEPARATOR.join(r.assessment["deprived"]) or None if r.assessment else None)),
    ExportColumn("Phân loại hộ", 14, _head(_classification)),
    ExportColumn("Nguyên nhân nghèo", 28, _names("causes", "causes", "assessment")),
    ExportColumn("Nhu cầu hỗ trợ", 24, _names("needs", "needs", "assessment")),
    ExportColumn("Kết quả dự kiến", 16, _head(lambda r: EXPECTED_RESULT_LABELS.get(r.household["expected_result"]) or None)),
    ExportColumn("Ghi chú", 16, _head(lambda r: r.household["note"] or None)),
]

_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def write_workbook(path: str | Path, sheets: list[SheetSpec], every: int = 1000) -> Generator[int, None, int]:
    """Write ``sheets`` to ``path``, streaming so 20,000 households stay small.

    A generator: yields the number of data rows written every ``every`` rows (for a progress
    bar) and returns the total.
    """
    wb = Workbook(write_only=True)
    written = 0
    for spec in sheets:
        ws = wb.create_sheet(spec.name)
        for i, col in enumerate(spec.columns, start=1):
            ws.column_dimensions[get_column_letter(i)].width = col.width
        for line in spec.preamble:
            ws.append([_styled(ws, line, bold=True)])
        ws.append([_styled(ws, spec.title, bold=True, size=13)])
        if spec.subtitle:
            ws.append([_styled(ws, spec.subtitle, italic=True)])
        ws.append([])
        ws.append([_styled(ws, c.header, bold=True, wrap=True, border=True) for c in spec.columns])
        ws.freeze_panes = "A" + str(len(spec.preamble) + (3 if spec.subtitle else 2) + 2)
        for row in spec.rows():
            ws.append(safe_row(ws, [_value(c.value(row)) for c in spec.columns]))
            written += 1
            if written % every == 0:
                yield written
    buf = io.BytesIO()  # assembled in memory: a full disk then fails one plain write, leaving no
    wb.save(buf)        # half-closed zip behind to complain from its finaliser
    Path(path).write_bytes(buf.getvalue())
    return written


def _value(v: object) -> object:
    return None if v == "" else v


def _styled(ws, value: object, *, bold: bool = False, italic: bool = False, size: int = 11, wrap: bool = False,
            border: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.font = Font(name="Times New Roman", bold=bold, italic=italic, size=size)
    if wrap:
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    if border:
        cell.border = _BORDER
    return guard_cell(cell)
