"""Resident households read from a workbook: one row per village with "Số hộ dân cư" and
(optionally) "Số nhân khẩu", as the commune's statistics or the village heads send them.

The sheet is found by its header (a village column and a households column within the first
rows), numbering rows ``(1) (2) (3)`` and total rows (``Tổng cộng``, ``Toàn xã``) are skipped, and
every problem is collected with its sheet, row and column so the user fixes the file once. The
file passes the same checks as a household list (:func:`excel_reader.check_file`: kind, password,
size guard) before a cell is read. Nothing is written here; see ``jobs/import_residents.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gnbv_desktop.core.excel_columns import is_numbering_row
from gnbv_desktop.core.excel_values import ValueProblem, is_blank, parse_int, text_of
from gnbv_desktop.core.limits import MAX_RESIDENTS
from gnbv_desktop.core.text import fold, shorten
from gnbv_desktop.io.excel_reader import HEADER_SCAN_ROWS, SheetData, WorkbookError, column_letter, list_sheets, read_sheets_where

MAX_PROBLEMS_SHOWN = 10
_TOTAL_WORDS = ("tong", "cong", "toan xa", "toan phuong", "toan thi tran")


class ResidentsFileError(ValueError):
    """A residents workbook that cannot be imported; the message names what and where."""


@dataclass(frozen=True)
class ResidentRow:
    sheet: str
    row: int  # 1-based, as Excel shows it
    village: str
    households: int
    people: int | None


@dataclass(frozen=True)
class _Columns:
    header_row: int  # 0-based
    village: int
    households: int
    people: int | None


def _find_columns(data: SheetData) -> _Columns | None:
    """The first row (of the first rows) naming a village column and a resident-households column."""
    for r, row in enumerate(data.rows[:HEADER_SCAN_ROWS]):
        village = households = people = None
        for c, value in enumerate(row):
            key = fold(text_of(value))
            if not key or "ngheo" in key:  # "Số hộ nghèo", "Số nhân khẩu cận nghèo" are other figures
                continue
            if village is None and ("thon" in key or "to dan pho" in key or key in ("ban", "lang", "ap", "buon")):
                village = c
            elif households is None and "so ho" in key:
                households = c
            elif people is None and "nhan khau" in key:
                people = c
        if village is not None and households is not None:
            return _Columns(r, village, households, people)
    return None


def _number(value: object, what: str) -> int | None:
    if isinstance(value, float) and not value.is_integer():
        raise ValueProblem(f"{what} phải là số nguyên (đang ghi '{text_of(value)}').")
    if isinstance(value, bool):
        raise ValueProblem(f"Không đọc được {what.lower()} '{text_of(value)}'.")
    n = parse_int(value, what.lower())
    if n is not None and not 0 <= n <= 10 * MAX_RESIDENTS:
        raise ValueProblem(f"{what} {n} không hợp lệ.")
    return n


def read_residents(path: str | Path, sheet: str | None = None) -> list[ResidentRow]:
    """The villages' figures in ``path`` (``sheet``, or the first sheet with such a header).

    Raises :class:`ResidentsFileError` (or :class:`WorkbookError` for an unreadable file) listing
    the problems; returns only when every row read cleanly.
    """
    path = Path(path)
    names = list_sheets(path)
    if sheet is not None and sheet not in names:
        raise WorkbookError(f"Tệp '{path.name}' không có trang tính '{sheet}'. Các trang: {', '.join(names)}.")
    found = next(read_sheets_where(path, [sheet] if sheet else names, HEADER_SCAN_ROWS, _find_columns), None)
    if found is None:
        where = f"Trang '{sheet}'" if sheet else f"Tệp '{path.name}'"
        raise ResidentsFileError(
            f"{where} không có dòng tiêu đề gồm cột thôn (\"Thôn\", \"Tên thôn\", \"Tổ dân phố\") và cột "
            "\"Số hộ dân cư\" trong 40 dòng đầu.")
    cols, data = found
    rows: list[ResidentRow] = []
    problems: list[str] = []
    for r in range(cols.header_row + 1, len(data.rows)):
        row = data.rows[r]

        def cell(c: int | None, row=row) -> object:
            return row[c] if c is not None and c < len(row) else None

        values = [cell(c) for c in (cols.village, cols.households, cols.people)]
        if all(is_blank(v) for v in values) or is_numbering_row([text_of(v) for v in row]):
            continue
        village = text_of(values[0])
        if fold(village).startswith(_TOTAL_WORDS):
            continue
        at = f"Trang '{data.name}', dòng {r + 1}"
        shown = shorten(village)
        if not village:
            problems.append(f"{at}: có số liệu nhưng chưa ghi tên thôn (cột {column_letter(cols.village)}).")
            continue
        try:
            households = _number(values[1], "Số hộ dân cư")
            people = _number(values[2], "Số nhân khẩu")
        except ValueProblem as exc:
            problems.append(f"{at} ({shown}): {exc}")
            continue
        if households is None:
            problems.append(f"{at} ({shown}): chưa ghi số hộ dân cư (cột {column_letter(cols.households)}; nếu ô có "
                            "công thức thì tệp chưa được tính lại — mở tệp bằng Excel, lưu lại rồi nhập).")
            continue
        rows.append(ResidentRow(data.name, r + 1, village, households, people))
    if problems:
        raise ResidentsFileError(problem_text(problems))
    if not rows:
        raise ResidentsFileError(f"Trang '{data.name}' có tiêu đề nhưng không có dòng số liệu của thôn nào.")
    return rows


def problem_text(problems: list[str]) -> str:
    """The first problems, one a line, and how many more there are."""
    shown = problems[:MAX_PROBLEMS_SHOWN]
    more = len(problems) - len(shown)
    tail = [f"… và {more} lỗi khác."] if more else []
    return "\n".join(["Chưa nhập được số hộ dân cư, không có gì thay đổi:", *shown, *tail])
