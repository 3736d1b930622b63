"""Reading an official's Excel list: the file, its sheet, and where the column headers are.

Cells are read with python-calamine (Rust; about five times faster than openpyxl's read-only
mode on a 20,000-household list, see ``benchmarks/bench_import.py``, and it reports merged
ranges, which read-only openpyxl cannot). openpyxl stays available as ``engine="openpyxl"`` for
the comparison. A file that cannot be read raises :class:`WorkbookError` with a message for
the user; nothing is written before the whole file has been read.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from gnbv_desktop.core.excel_columns import Catalogs, is_known_header, is_numbering_row, match_header
from gnbv_desktop.core.excel_values import text_of
from gnbv_desktop.io.workbook_guard import WorkbookTooLarge, check_workbook

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HEADER_SCAN_ROWS = 40
MAX_HEADER_ROWS = 3


class WorkbookError(Exception):
    """A file or sheet that cannot be imported; the message says why, in Vietnamese."""


@dataclass
class SheetData:
    """One sheet's cells (0-based rows/columns, blanks as ``None``) and merged ranges."""

    name: str
    rows: list[list[object]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1 inclusive

    @property
    def width(self) -> int:
        """The widest row (worked out again only when rows were added or removed: header detection
        asks for it often)."""
        known = self.__dict__.get("_width")
        if known is None or known[0] != len(self.rows):
            known = self.__dict__["_width"] = (len(self.rows), max((len(r) for r in self.rows), default=0))
        return known[1]


@dataclass
class Column:
    index: int
    letter: str
    parents: tuple[str, ...]
    leaf: str
    field: str

    @property
    def header(self) -> str:
        """The header as the user reads it: ``Năm sinh / Nữ``."""
        return " / ".join([*self.parents, self.leaf]) if self.leaf else " / ".join(self.parents)


@dataclass
class Header:
    first_row: int  # 0-based
    last_row: int
    data_start: int  # first row after the header (and its numbering row)
    columns: list[Column]


def column_letter(index: int) -> str:
    """0 → ``A``, 27 → ``AB``."""
    s = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        s = chr(65 + rem) + s
    return s


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
_ZIP_SUFFIXES = (".xlsx", ".xlsm", ".ods")
_checked: dict[tuple[str, int, int], None] = {}


def check_file(path: Path) -> None:
    """Refuse, with a clear message, what is not a readable workbook of a known kind, or is too large
    to be a list (see :mod:`workbook_guard`) — before the reader allocates anything for it."""
    if not path.exists():
        raise WorkbookError(f"Không tìm thấy tệp '{path}'.")
    if path.is_dir():
        raise WorkbookError(f"'{path}' là một thư mục, không phải tệp bảng tính. Hãy chọn tệp Excel trong thư mục đó.")
    stat = path.stat()
    if stat.st_size == 0:
        raise WorkbookError(f"Tệp '{path.name}' rỗng (0 byte).")
    suffix = path.suffix.lower()
    with path.open("rb") as f:
        head = f.read(8)
    if suffix not in WORKBOOK_SUFFIXES:
        raise WorkbookError(
            f"Tệp '{path.name}' không phải bảng tính Excel (.xlsx, .xls, .xlsb) hay LibreOffice (.ods).")
    if head == _OLE_MAGIC and suffix != ".xls":
        raise WorkbookError(
            f"Tệp '{path.name}' được đặt mật khẩu (mã hóa). Hãy mở bằng Excel, gỡ mật khẩu "
            "(Tệp → Thông tin → Bảo vệ sổ làm việc) và lưu lại, rồi nhập lại."
        )
    if suffix == ".xls" and head != _OLE_MAGIC:
        raise WorkbookError(f"Tệp '{path.name}' không phải tệp Excel .xls hợp lệ hoặc đã hỏng.")
    if suffix != ".xls" and not zipfile.is_zipfile(path):
        raise WorkbookError(
            f"Tệp '{path.name}' không phải tệp Excel {suffix} hợp lệ hoặc đã hỏng. "
            "Hãy mở thử bằng Excel và lưu lại dạng .xlsx."
        )
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key in _checked:
        return
    try:
        check_workbook(path)
    except WorkbookTooLarge as exc:
        raise WorkbookError(str(exc)) from None
    _checked.clear()  # one workbook at a time is being imported; remember only the last
    _checked[key] = None


def list_sheets(path: str | Path) -> list[str]:
    """Visible worksheet names, in workbook order."""
    path = Path(path)
    check_file(path)
    from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    try:
        wb = CalamineWorkbook.from_path(str(path))
        names = [
            m.name
            for m in wb.sheets_metadata
            if m.typ == SheetTypeEnum.WorkSheet and m.visible == SheetVisibleEnum.Visible
        ]
        wb.close()
    except (CalamineError, ValueError, OSError) as exc:
        raise WorkbookError(f"Không đọc được tệp '{path.name}': tệp hỏng hoặc không phải bảng tính.") from exc
    if not names:
        raise WorkbookError(f"Tệp '{path.name}' không có trang tính nào.")
    return names


def read_sheet(path: str | Path, sheet: str | None = None, engine: str = "calamine") -> SheetData:
    """All cells of ``sheet`` (the first visible one when ``None``)."""
    path = Path(path)
    names = list_sheets(path)
    if sheet is None:
        sheet = names[0]
    elif sheet not in names:
        raise WorkbookError(f"Tệp '{path.name}' không có trang tính '{sheet}'. Các trang: {', '.join(names)}.")
    data = _read_openpyxl(path, sheet) if engine == "openpyxl" else _read_calamine(path, sheet)
    while data.rows and all(v is None for v in data.rows[-1]):
        data.rows.pop()
    if not data.rows:
        raise WorkbookError(f"Trang tính '{sheet}' trống, không có dữ liệu để nhập.")
    return data


_BLANK = {"": None}.get  # _BLANK(v, v): None for an empty cell, else the value


def _cells(rows: list[list[object]]) -> list[list[object]]:
    """calamine's rows with its empty cells (``""``) as ``None``, as the parser reads blanks (one
    place for the three readers; the lookup runs in C)."""
    return [list(map(_BLANK, row, row)) for row in rows]


def _read_calamine(path: Path, sheet: str) -> SheetData:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
        ws = wb.get_sheet_by_name(sheet)
        rows = _cells(ws.to_python(skip_empty_area=False))
        merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (ws.merged_cell_ranges or [])]
        wb.close()
    except (CalamineError, ValueError, OSError) as exc:
        raise WorkbookError(f"Không đọc được trang '{sheet}' của tệp '{path.name}' ({exc}).") from exc
    return SheetData(sheet, rows, merged)


def read_sheets_where(
    path: str | Path, names: list[str], head_rows: int, accept: Callable[[SheetData], object]
) -> Iterator[tuple[object, SheetData]]:
    """(what ``accept`` said, all cells) of each of ``names`` whose first ``head_rows`` rows it
    accepts (returns something truthy for); the workbook is opened and each sheet parsed once."""
    from python_calamine import CalamineError, CalamineWorkbook

    path = Path(path)
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except (CalamineError, ValueError, OSError) as exc:
        raise WorkbookError(f"Không đọc được tệp '{path.name}' ({exc}).") from exc
    try:
        for name in names:
            try:
                ws = wb.get_sheet_by_name(name)
                head = SheetData(name, _cells(ws.to_python(skip_empty_area=False, nrows=head_rows)))
                found = accept(head)
                if found:
                    rows = _cells(ws.to_python(skip_empty_area=False))
                    yield found, SheetData(name, rows)
            except (CalamineError, ValueError) as exc:
                raise WorkbookError(f"Không đọc được trang '{name}' của tệp '{path.name}' ({exc}).") from exc
    finally:
        wb.close()


def _read_openpyxl(path: Path, sheet: str) -> SheetData:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        rows = [list(r) for r in wb[sheet].iter_rows(values_only=True)]
        wb.close()
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise WorkbookError(f"Không đọc được trang '{sheet}' của tệp '{path.name}' ({exc}).") from exc
    return SheetData(sheet, rows)


def _cell(data: SheetData, r: int, c: int) -> object:
    row = data.rows[r] if r < len(data.rows) else []
    return row[c] if c < len(row) else None


def _texts(data: SheetData, r: int) -> list[str]:
    return [text_of(_cell(data, r, c)) for c in range(data.width)]


def _score(data: SheetData, r: int, cats: Catalogs) -> int:
    n = 0
    for v in data.rows[r]:
        if isinstance(v, str) and 0 < len(v) <= 80 and is_known_header(v, cats):
            n += 1
    return n


def detect_header(data: SheetData, cats: Catalogs) -> Header:
    """Find the header rows under any administrative block, with merged parents and numbering."""
    scan = min(len(data.rows), HEADER_SCAN_ROWS)
    scores = [_score(data, r, cats) for r in range(scan)]
    if not scores or max(scores) < 2:
        raise WorkbookError(
            f"Không tìm thấy dòng tiêu đề cột trong {scan} dòng đầu của trang '{data.name}' "
            "(cần các cột như 'Họ và tên chủ hộ', 'Thôn', 'Năm sinh'…)."
        )
    best = scores.index(max(scores))
    first, last = best, best
    for r0, _c0, r1, _c1 in data.merged:
        if r0 <= best <= r1 and r1 > r0 and r1 - r0 < MAX_HEADER_ROWS:
            first, last = min(first, r0), max(last, r1)
    while first > 0 and last - first + 1 < MAX_HEADER_ROWS and scores[first - 1] >= 2:
        first -= 1
    while last + 1 < len(data.rows) and last - first + 1 < MAX_HEADER_ROWS:
        nxt = data.rows[last + 1]
        texts = _texts(data, last + 1)
        if is_numbering_row(texts) or any(isinstance(v, (int, float)) for v in nxt if v is not None):
            break
        filled = sum(1 for t in texts if t)
        if filled == 0 or 2 * _score(data, last + 1, cats) < filled:
            break
        last += 1
    data_start = last + 1
    if data_start < len(data.rows) and is_numbering_row(_texts(data, data_start)):
        data_start += 1
    columns = _columns(data, first, last, cats)
    return Header(first, last, data_start, columns)


def _header_grid(data: SheetData, first: int, last: int) -> list[list[str]]:
    """Header texts with merged parents copied into every column they cover."""
    grid = [_texts(data, r) for r in range(first, last + 1)]
    covered = set()
    for r0, c0, r1, c1 in data.merged:
        if r1 < first or r0 > last:
            continue
        top = text_of(_cell(data, r0, c0))
        for r in range(max(r0, first), min(r1, last) + 1):
            for c in range(c0, min(c1 + 1, data.width)):
                grid[r - first][c] = top
                covered.add((r, c))
    if not data.merged:
        # No merge information: a blank parent cell above a filled sub-header continues the
        # group started to its left when that group's first column has a sub-header too.
        for i in range(len(grid) - 1):
            row, below = grid[i], grid[i + 1]
            for c in range(1, len(row)):
                if not row[c] and below[c] and row[c - 1] and below[c - 1]:
                    row[c] = row[c - 1]
    return grid


def _columns(data: SheetData, first: int, last: int, cats: Catalogs) -> list[Column]:
    grid = _header_grid(data, first, last)
    columns = []
    for c in range(data.width):
        path: list[str] = []
        for row in grid:
            if row[c] and (not path or path[-1] != row[c]):
                path.append(row[c])
        if not path:
            continue
        leaf, parents = path[-1], tuple(path[:-1])
        columns.append(Column(c, column_letter(c), parents, leaf, match_header(leaf, parents, cats)))
    return columns
