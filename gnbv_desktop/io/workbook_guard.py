"""Checking a workbook from outside before the cell reader allocates anything for it.

python-calamine builds each sheet as a dense rectangle from A1 to the last used cell, and keeps
every shared string in memory. A 5 KB ``.xlsx`` with one cell at XFD1048576 therefore asks for
17 billion cells (512 GiB) and the process aborts; a 400 MB string inside a small zip is read whole.
Before the reader sees a file:

* ``.xlsx``/``.xlsm``: the zip is read as a stream, each part decompressed with a hard cap
  whatever size it declares; the sheets' ``<dimension>`` and every cell reference are scanned for
  the last row and column, and no run of text may be longer than Excel itself allows in a cell.
* ``.xls``, ``.xlsb``, ``.ods`` (binary or repeated-cell formats that cannot be scanned cheaply):
  the sheet sizes are measured in a child process with a memory limit (and a time limit); if the
  child dies the file is refused and the app goes on.

A refused file raises :class:`WorkbookTooLarge` (a ``WorkbookError``) naming what is too large.
"""

from __future__ import annotations

import multiprocessing
import re
import zipfile
import zlib
from dataclasses import dataclass
from itertools import filterfalse, repeat
from pathlib import Path

from gnbv_desktop.core.text import format_number

# What a commune's list can sensibly hold; far above the largest real lists (about 30,000 people).
MAX_ROWS = 200_000
MAX_COLUMNS = 1_000
MAX_CELLS = 5_000_000
MAX_PART_BYTES = 160 * 1024 * 1024  # one decompressed sheet / shared-strings part
MAX_TOTAL_BYTES = 400 * 1024 * 1024  # all parts together
MAX_PARTS = 2_000
# Excel refuses more than 32,767 characters in a cell; escaped as XML that is at most ~6 bytes each.
EXCEL_CELL_CHARS = 32_767
_MAX_TEXT_RUN = EXCEL_CELL_CHARS * 6
PROBE_MEMORY = 768 * 1024 * 1024
PROBE_SECONDS = 45

_CHUNK = 1 << 20
# References as the reader accepts them (it takes lower-case letters too), found in one scan whose
# alternatives each match a few references only: a row's ``r`` (digits only: every row); a cell past
# column Z (its letters, and its row when that has six digits or more); a cell in columns A-Z on a
# row of six digits or more (placed on a far row without its row saying so). Most lists stop before
# column AA and row 100,000, so a cell's reference is seldom returned at all. A lookahead first refuses
# what none of the alternatives can match — one letter and at most five digits closed by the quote, i.e.
# nearly every cell's reference — so they are tried on a few references only (trying them at every
# reference was a third of the guard's time). One group, the reference as written: only digits for a
# row's own reference, letters first for the others.
# The attribute is matched with the space before it (``dir="5400000"`` in a theme is no reference);
# the pattern starts with that literal so the scan runs at the speed of a literal search, and a part
# that separates attributes with tabs or line breaks instead is scanned with the general (slower) form.
_REFERENCE = re.compile(rb' r="(?![A-Za-z][1-9][0-9]{0,4}+")'
                        rb'(0*[0-9]{1,9}(?=")|[A-Za-z]{2,4}(?=[0-9])(?:0*[0-9]{6,9}(?="))?|[A-Za-z]0*[0-9]{6,9}(?=")'
                        rb'|[A-Za-z]{0,4}0*[1-9][0-9]{9}|[A-Za-z]{5})')
_REFERENCE_ANY_SPACE = re.compile(_REFERENCE.pattern.replace(b" r=", rb"\sr="))
_DIGITS = b"0123456789"
_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_SEPARATORS = (b"\t", b"\n", b"\r")  # what XML allows between attributes besides a space
_TAIL = 256  # the end of the previous chunk scanned again with the next one
_SEAM = 32  # bytes of the next chunk read with that tail: more than the longest reference or separator matched
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref=\"([A-Z]{0,4})([0-9]{0,9}):?([A-Z]{0,4})([0-9]{0,9})\"")
# its end, from "ref=": the \b before it as a lookbehind after the literal, so a search runs at literal speed
_DIMENSION_REF = re.compile(rb'ref="(?<!\wref=")' + _DIMENSION.pattern.split(rb'ref=\"')[-1])
_UNREAD_ROWS = 99_999  # the highest row a cell's reference can name without the scan reading it
_PROBED_WIDTH = MAX_CELLS // _UNREAD_ROWS  # columns (AX) past which such a cell could make the rectangle too large
_FAR = 10**10  # a row of ten digits or more (after its zeros): beyond any sheet, refused as such
# Row and cell tags with a namespace prefix: only in a part holding sheet data (a drawing has its own <xdr:row>).
# One scan for all of them, started only in a chunk holding a ":" (see _prefixed).
_PREFIXED = re.compile(rb":(?:row|c[ >/\t\n\r])")
_MAX_DIMENSIONS = 64  # "dimension"s in one chunk before the sheet is left to the reader in the child
_WORD = frozenset(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz")  # \w in a bytes pattern
_WINDOW = 16 * 1024  # a text run of _MAX_TEXT_RUN bytes spans this many whole windows without a tag
_WINDOWS_IN_RUN = _MAX_TEXT_RUN // _WINDOW - 1


class WorkbookTooLarge(Exception):
    """Raised by the guard; :mod:`excel_reader` turns it into its ``WorkbookError``."""


@dataclass
class _Extent:
    rows: int = 0
    columns: int = 0
    cells: int = 0
    row_tags: int = 0
    unreadable: bool = False  # written in a form the scan does not measure: the reader is tried in a child
    prefixed: bool = False  # row or cell tags with a namespace prefix: unreadable too when it is a sheet's data
    sheet_data: bool = False  # the part holds a <sheetData>

    @property
    def too_large(self) -> bool:
        """Beyond the limits, or a rectangle (the reader allocates it whole) of more than MAX_CELLS."""
        return (self.rows > MAX_ROWS or self.columns > MAX_COLUMNS or self.cells > MAX_CELLS
                or self.rows * self.columns > MAX_CELLS)


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _limits_text() -> str:
    return (f"tối đa {format_number(MAX_ROWS)} dòng, {format_number(MAX_COLUMNS)} cột và "
            f"{format_number(MAX_CELLS)} ô mỗi trang")


def check_workbook(path: Path) -> None:
    """Refuse a workbook whose sheets or texts are larger than a commune's list can be."""
    if path.suffix.lower() in (".xlsx", ".xlsm") and zipfile.is_zipfile(path):
        _check_xlsx(path)
    else:  # .xls, .xlsb (binary sheets inside a zip), .ods (repeated cells)
        _probe_in_child(path)


def _check_xlsx(path: Path) -> None:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise WorkbookTooLarge(f"Tệp '{path.name}' hỏng, không đọc được.") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_PARTS:
            raise WorkbookTooLarge(f"Tệp '{path.name}' có {len(infos)} thành phần, quá nhiều cho một danh sách.")
        total = 0
        unreadable = False
        for info in infos:  # every part: the workbook's relations may name any part as a sheet
            name = info.filename
            is_sheet = not name.lower().endswith("sharedstrings.xml")
            extent = _Extent()
            total += _scan_part(zf, info, path, extent if is_sheet else None)
            if total > MAX_TOTAL_BYTES:
                raise WorkbookTooLarge(
                    f"Tệp '{path.name}' khi giải nén lớn hơn {MAX_TOTAL_BYTES // 2**20} MB; không phải một danh "
                    "sách hộ bình thường.")
            if is_sheet:
                _check_extent(path, name, extent)
                # a cell of a row below 100,000 is not read by the scan (only its row's tag is): past
                # column AX, one such cell on a short sheet would make the reader's rectangle too large
                unreadable = (unreadable or extent.unreadable or (extent.prefixed and extent.sheet_data)
                              or extent.columns > _PROBED_WIDTH)
    if unreadable:  # the reader measures it where running out of memory cannot take the app down
        _probe_in_child(path)


def _scan_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, extent: _Extent | None) -> int:
    """Decompress one part in chunks (never more than the cap), noting its cells and text runs."""
    size = 0
    tail = b""  # the end of the previous chunk, so a reference cut in two is still seen
    run = 0  # length of the text run (bytes without a tag) the previous chunk ended in
    try:
        with zf.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > MAX_PART_BYTES:
                    raise WorkbookTooLarge(
                        f"Một trang của tệp '{path.name}' khi giải nén lớn hơn {MAX_PART_BYTES // 2**20} MB; "
                        "không phải một danh sách hộ bình thường.")
                first = chunk.find(b"<")
                run = run + len(chunk) if first < 0 else run + first
                if run >= _MAX_TEXT_RUN or _has_long_text(chunk):
                    raise WorkbookTooLarge(
                        f"Tệp '{path.name}' có ô chứa văn bản dài hơn {format_number(EXCEL_CELL_CHARS)} ký tự (giới hạn "
                        "của chính Excel); tệp đã bị làm hỏng hoặc cố ý tạo ra, không nhập.")
                if first >= 0:
                    run = len(chunk) - chunk.rfind(b"<") - 1
                if extent is not None:
                    _note_cells(tail, chunk, extent)
                    if extent.too_large:
                        return size
                    tail = chunk[-_TAIL:]
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, zlib.error):
        raise WorkbookTooLarge(f"Tệp '{path.name}' hỏng, không đọc được.") from None
    return size


def _note_cells(tail: bytes, chunk: bytes, extent: _Extent) -> None:
    """Update the extent from one window: the previous chunk's tail, then this chunk.

    The chunk is never copied: what starts in the tail (a reference or tag cut in two by the chunk
    boundary) is looked for in the tail and the first bytes of the chunk, the rest in the chunk alone."""
    seam = tail + chunk[:_SEAM]
    # the tabs and line breaks each holds, one memchr apiece: what is written with one is looked for only then
    in_chunk = [sep for sep in _SEPARATORS if sep in chunk]
    in_seam = [sep for sep in _SEPARATORS if sep in seam]
    if not extent.unreadable and (_unmeasured(chunk, in_chunk) or _unmeasured(seam, in_seam)):
        extent.unreadable = True
    extent.prefixed = extent.prefixed or _prefixed(chunk) or _prefixed(seam)
    extent.sheet_data = extent.sheet_data or b"sheetData" in chunk or b"sheetData" in seam
    if extent.unreadable:
        pass  # the <dimension> tags too are left to the reader in the child
    elif (dimensions := chunk.count(b"dimension")) > _MAX_DIMENSIONS:  # a sheet has one; thousands only slow the scan
        extent.unreadable = True
    elif dimensions or b"dimension" in seam:  # the count, not a second search of the chunk, says whether it holds one
        for first_letters, first_digits, last_letters, last_digits in _dimensions(tail + chunk):
            for letters, digits in ((first_letters, first_digits), (last_letters, last_digits)):
                if digits:
                    extent.rows = max(extent.rows, int(digits))
                if letters:
                    extent.columns = max(extent.columns, _column_number(letters))
    odd = any(sep + b'r="' in chunk for sep in in_chunk) or any(sep + b'r="' in seam for sep in in_seam)
    reference = _REFERENCE_ANY_SPACE if odd else _REFERENCE
    found = reference.findall(chunk) + reference.findall(seam)
    rows = [*filter(bytes.isdigit, found)]  # rows' own references: all of them, or nearly
    if len(rows) < len(found):  # cells past column Z or on far rows: their letters, then their digits
        others = [*filterfalse(bytes.isdigit, found)]
        for letters in set(map(bytes.rstrip, others, repeat(_DIGITS))):
            if len(letters) > 1:
                extent.columns = max(extent.columns, _column_number(letters))
        rows += filter(None, map(bytes.lstrip, others, repeat(_LETTERS)))
    if rows:  # without their leading zeros, nine digits or fewer: padded, the largest string is the largest number
        rows = [*map(bytes.lstrip, rows, repeat(b"0"))]
        longest = max(map(len, rows))
        extent.rows = max(extent.rows, _FAR if longest > 9 else int(max(map(bytes.zfill, rows, repeat(9))) or 0))
    extent.row_tags += chunk.count(b"<row")
    extent.rows = max(extent.rows, extent.row_tags)
    referenced = chunk.count(b'<c r="')
    # when every "<c" opens a cell with a reference (no <cols>, <cfRule>… in this chunk), those are all its cells;
    # else a cell's tag is "<c" and what may end a tag name: ">", "/", a space, or a tab or line break the chunk holds
    openings = (b"<c ", b"<c>", b"<c/", *(b"<c" + sep for sep in in_chunk))
    cells = referenced if chunk.count(b"<c") == referenced else sum(map(chunk.count, openings))
    extent.cells += cells
    if cells != referenced:
        # cells without a reference are placed one after another: a row's cell count is a width too
        # (one part per row, tens of thousands in a chunk of tiny rows: the usual openings are counted inline)
        parts = chunk.split(b"<row")
        if in_chunk:
            widths = (sum(map(part.count, openings)) for part in parts)
        else:
            widths = (part.count(b"<c ") + part.count(b"<c>") + part.count(b"<c/") for part in parts)
        extent.columns = max(extent.columns, *widths)


def _unmeasured(data: bytes, separators: list[bytes]) -> bool:
    """Whether ``data`` writes a reference in a form the scan does not measure, though the reader reads it:
    in single quotes, or with a space, tab or line break before or after "=" (``separators``: the tabs and
    line breaks ``data`` holds). Excel and LibreOffice write none of these; a file that does is measured by
    the reader in a child process (text in a cell that happens to look so costs only that). A chunk without
    a "'" (memchr) is not searched for the quoted form: a multi-byte search costs ten times as much."""
    return ((b"'" in data and b"r='" in data) or b"r =" in data or b"r= " in data
            or any(b"r" + sep + b"=" in data or b"r=" + sep in data for sep in separators))


def _prefixed(data: bytes) -> bool:
    """Whether ``data`` holds a row or cell tag with a namespace prefix (``<x:row``, ``<x:c>``): the scan
    counts only unprefixed tags. A chunk without a ":" (memchr; most of an openpyxl sheet) is not searched;
    one with a few per row (Excel's ``spans="1:27"`` and ``x14ac:dyDescent``) is searched once for all the
    forms, not once per form."""
    return b":" in data and _PREFIXED.search(data) is not None


def _dimensions(data: bytes) -> list[tuple[bytes, bytes, bytes, bytes]]:
    """The groups of ``_DIMENSION.finditer(data)``'s matches, in time linear in the data.

    finditer tries the pattern at every "<" (it starts with no literal), and at each "<dimension" its lazy
    ``[^>]*?`` runs on to the next ">": 18 ms on a list's first megabyte, and minutes for a megabyte of
    "<dimension " with no ">" in it. Here the tries are made only where a "dimension" follows "<" (or
    "<prefix:"), and the ``ref="…"`` a try stops at is searched for once per stretch without ">"."""
    tries: dict[int, list[int]] = {}  # a "<" the pattern can start at -> where its "dimension" ends, in the order tried
    at = data.find(b"dimension")
    while at >= 0:
        before = data[at - 1:at]
        if before == b"<":
            tries.setdefault(at - 1, []).append(at + 9)  # "<dimension": tried after "<prefix:dimension"
        elif before == b":":
            word = at - 1  # the prefix is the whole run of word characters before the colon
            while word and data[word - 1] in _WORD:
                word -= 1
            if word < at - 1 and data[word - 1:word] == b"<":
                tries.setdefault(word - 1, []).insert(0, at + 9)
        at = data.find(b"dimension", at + 1)
    found = []
    done = 0  # finditer goes on after a match, never inside it
    gt = -1  # the first ">" at or after the ends looked from (no ">" lies between the ends of one start's tries)
    since, until, ref = -1, -1, None  # the last search: from, to (a ">"), and the first ref="…" it found there
    for start in sorted(tries):
        if start < done:
            continue
        ends = tries[start]
        if gt < min(ends):
            gt = data.find(b">", min(ends))
            gt = len(data) if gt < 0 else gt
        for end in ends:
            if end < len(data) and data[end] in _WORD:  # "dimension\b"
                continue
            if not (until == gt and since <= end and (ref is None or ref.start() >= end)):
                since, until, ref = end, gt, _DIMENSION_REF.search(data, end, gt)
            if ref:
                found.append(ref.groups())
                done = ref.end()
                break
    return found


def _has_long_text(chunk: bytes) -> bool:
    """Whether ``chunk`` holds a run without any tag longer than a cell can be (tested on whole
    windows of the chunk, so a 1 MB chunk costs 64 ``find`` calls)."""
    empty = 0
    for start in range(0, len(chunk) - _WINDOW + 1, _WINDOW):
        if chunk.find(b"<", start, start + _WINDOW) < 0:
            empty += 1
            if empty >= _WINDOWS_IN_RUN:
                return True
        else:
            empty = 0
    return False


def _check_extent(path: Path, part: str, extent: _Extent) -> None:
    if extent.too_large:
        sheet = part.rsplit("/", 1)[-1].removesuffix(".xml")
        raise WorkbookTooLarge(
            f"Trang '{sheet}' của tệp '{path.name}' khai báo hoặc dùng tới {format_number(extent.rows)} dòng × "
            f"{format_number(extent.columns)} cột ({_limits_text()}); không phải một danh sách hộ bình thường, "
            "không nhập.")


def _probe_worker(path: str, conn) -> None:  # runs in the child process
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (PROBE_MEMORY, PROBE_MEMORY))
    except (ImportError, ValueError, OSError):
        pass  # no address-space limit on this system: the child may still die alone, never the app
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(path)
        sizes = []
        for name in wb.sheet_names:
            ws = wb.get_sheet_by_name(name)
            sizes.append((name, ws.total_height, ws.total_width))
        wb.close()
        conn.send(("ok", sizes))
    except Exception as exc:  # noqa: BLE001 - any reader failure is reported to the parent as text
        conn.send(("error", str(exc)))
    finally:
        conn.close()


def _probe_in_child(path: Path) -> None:
    """Measure every sheet in a child process; a child that runs out of memory or time refuses the file."""
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_probe_worker, args=(str(path), child), daemon=True)
    proc.start()
    child.close()
    answer = None
    if parent.poll(PROBE_SECONDS):
        try:
            answer = parent.recv()
        except (EOFError, OSError):
            answer = None
    if proc.is_alive():
        proc.kill()
    proc.join(5)
    parent.close()
    if answer is None:
        raise WorkbookTooLarge(
            f"Không đọc được tệp '{path.name}' trong giới hạn bộ nhớ và thời gian cho phép: tệp quá lớn hoặc "
            "đã bị làm hỏng; không nhập.")
    status, detail = answer
    if status == "error":  # broken, or larger than the reader itself allows
        raise WorkbookTooLarge(
            f"Không đọc được tệp '{path.name}': tệp hỏng hoặc không phải bảng tính, hoặc có trang tính lớn hơn "
            f"mức một danh sách hộ có thể có ({_limits_text()}); không nhập.")
    for name, rows, columns in detail:
        _check_extent(path, name, _Extent(rows, columns, rows * columns))
