"""Rows of an official's list → households with members and the year's assessment, plus problems.

Works on the cells :mod:`gnbv_desktop.io.excel_reader` read and a column → field mapping; it
reads the database nowhere, so the preview is the same in the wizard, the CLI and the tests.
Every problem names the Excel row, the column and the reason in Vietnamese; an *error* makes the
row invalid, a *warning* lets it import.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from operator import itemgetter

from gnbv_desktop.core.catalogs import match_ethnicity
from gnbv_desktop.core.cccd import FEMALE, MALE, cccd_errors, normalize_cccd, restore_leading_zero
from gnbv_desktop.core.excel_columns import IGNORE, Catalogs
from gnbv_desktop.core.excel_rows import DATA, GROUP, KIND_LABELS, classify_row, group_label
from gnbv_desktop.core.excel_values import (
    ValueProblem,
    fold,
    is_blank,
    parse_area,
    parse_birth,
    parse_classification,
    parse_codes,
    parse_expected_result,
    parse_labels,
    parse_mark,
    parse_money,
    parse_sex,
    text_of,
)
from gnbv_desktop.core.household import Household, Member
from gnbv_desktop.core.limits import MAX_NAME_CHARS, MAX_NOTE_CHARS, MAX_TEXT_CHARS
from gnbv_desktop.core.plans import EXPECTED_RESULT_LABELS, RESULTS_FOR_CLASSIFICATION, PlanItem
from gnbv_desktop.core.standards import CLASSIFICATION_LABELS, StandardError, classify
from gnbv_desktop.core.text import clean, format_number, has_control_chars, shorten, strip_illegal_chars
from gnbv_desktop.io.excel_reader import Header, SheetData, column_letter

MAX_HOUSEHOLD_SIZE = 50
MAX_INCOME = 1_000_000_000  # đ/người/tháng: far above any real income, far below SQLite's integer range


_clean = clean  # remembers short texts itself: villages, ethnic groups and relations repeat on every row
LAYOUT_HOUSEHOLD = "household"
LAYOUT_MEMBER = "member"
_HEAD_KEYS = {"chu ho", "ch", "chu ho gia dinh", "la chu ho"}


@dataclass
class Problem:
    row: int  # Excel row number (1-based)
    column: str  # ``C (Số CCCD)``, or "" for the whole row
    message: str
    error: bool
    from_database: bool = False  # found by matching with the database, not in the file itself
    sheet: str = ""  # another sheet than the household list (plan items, helpers)
    value: str = ""  # the cell as written (shortened), for the exported problem list

    def __str__(self) -> str:
        where = (f"Trang '{self.sheet}', dòng {self.row}" if self.sheet else f"Dòng {self.row}") + (
            f", cột {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class ParsedHousehold:
    """One household as the file gives it; ``present`` names the household fields the file has.

    ``plan_items`` and ``helper_keys`` stay ``None`` when the workbook has no plan item or helper
    sheet (an official's own list): the household's recorded plan is then left as it is.
    """

    row: int
    household: Household
    village: str = ""
    area: str | None = None
    income: int | None = None
    deprived: list[str] | None = None
    file_classification: str | None = None
    computed_classification: str | None = None
    causes: list[str] | None = None
    needs: list[str] | None = None
    expected_result: str | None = None
    plan_items: list[PlanItem] | None = None
    helper_keys: list[tuple[str, str]] | None = None  # (name key, kind) of the file's helpers
    present: set[str] = field(default_factory=set)
    members_present: bool = False
    problems: list[Problem] = field(default_factory=list)
    last_row: int = 0

    @property
    def valid(self) -> bool:
        for p in self.problems:  # a plain loop: asked for every household several times per import
            if p.error:
                return False
        return True

    @property
    def classification(self) -> str | None:
        """What is stored: the file's classification, else the one computed from the standard."""
        return self.file_classification or self.computed_classification


@dataclass
class SkippedRow:
    row: int
    kind: str
    text: str


def _once(memo: dict, key: tuple, compute, *args: object):
    """``compute(*args)`` once per key: its value, or the same :class:`ValueProblem` raised again."""
    hit = memo.get(key)
    if hit is None:
        try:
            hit = (True, compute(*args))
        except ValueProblem as exc:
            hit = (False, exc)
        memo[key] = hit
    if hit[0]:
        return hit[1]
    raise hit[1]


@dataclass
class ParseContext:
    year: int
    cats: Catalogs
    villages: list[tuple[str, str]]  # (name, area) of the commune's villages
    default_village: str = ""  # for rows with neither a village cell nor a village group row above
    today: _dt.date = field(default_factory=_dt.date.today)
    _found: dict[str, tuple[str, str] | None] = field(default_factory=dict, repr=False)
    _labels: dict[tuple[str, str], tuple[list[str], list[str]]] = field(default_factory=dict, repr=False)

    _memo: dict[tuple, tuple[bool, object]] = field(default_factory=dict, repr=False)
    _ethnic: dict[str, object] = field(default_factory=dict, repr=False)
    _codes_memo: dict[tuple, tuple[bool, object]] = field(default_factory=dict, repr=False)

    @cached_property
    def codes(self) -> tuple[str, ...]:
        """The year's indicator codes, in the standard's order."""
        return self.cats.standard.indicator_codes

    def ethnicity(self, text: str):
        """:func:`match_ethnicity`, once per distinct text."""
        if text not in self._ethnic:
            self._ethnic[text] = match_ethnicity(text)
        return self._ethnic[text]

    def parsed(self, parser, value: object, *args: object):
        """``parser(value, *args)`` once per distinct cell value: a list's columns repeat the same few
        incomes, years, codes and classifications, so each is read (or refused) once per import."""
        return _once(self._memo, (parser, type(value), value, args), parser, value, *args)

    def classified(self, area: str, income: int, deprived: tuple[str, ...]):
        """The standard's classification, once per distinct (area, income, deprivations). The
        standard counts the distinct indicators a household lacks, so lists of the standard's own
        codes that are as long give the same result."""
        n = len(set(deprived))
        key = ("classify", area, income, n if self._known_codes.issuperset(deprived) else deprived)
        hit = self._memo.get(key)
        if hit is None:
            hit = self._memo[key] = (True, classify(self.cats.standard, area, income, list(deprived)))
        return hit[1]

    def deprived_codes(self, value: object) -> list[str]:
        """:func:`parse_codes` of a cell, once per distinct cell (codes as a new list)."""
        return _once(self._codes_memo, (type(value), value), parse_codes, value, self.codes)

    def in_order(self, codes: set[str]) -> list[str]:
        """Indicator codes in the standard's order."""
        order = self._code_order
        return sorted(codes, key=order.__getitem__)

    @cached_property
    def _known_codes(self) -> frozenset[str]:
        return frozenset(self.codes)

    @cached_property
    def _code_order(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.codes)}

    def labels(self, f: str, value: object, items: dict[str, str]) -> tuple[list[str], list[str]]:
        """:func:`parse_labels` of a list cell, once per distinct text (lists repeat the same causes)."""
        key = (f, value if isinstance(value, str) else text_of(value))
        if key not in self._labels:
            self._labels[key] = parse_labels(value, items)
        found, leftovers = self._labels[key]
        return list(found), leftovers

    def find_village(self, name: str) -> tuple[str, str] | None:
        """Match ignoring case and extra spaces, then ignoring diacritics when that is unambiguous."""
        if name not in self._found:
            self._found[name] = self._find_village(name)
        return self._found[name]

    def _find_village(self, name: str) -> tuple[str, str] | None:
        key = _clean(name).lower()
        for v in self.villages:
            if _clean(v[0]).lower() == key:
                return v
        folded = [v for v in self.villages if fold(v[0]) == fold(name)]
        return folded[0] if len(folded) == 1 else None


@dataclass
class ParseResult:
    layout: str
    households: list[ParsedHousehold]
    skipped: list[SkippedRow]
    rows_read: int


# Longest text a mapped cell may hold (core.limits, the bounds the sync schema uses too); longer
# cells are an error on their row, so nothing imported can swell the database or be refused by the
# upper level in a sync package.
_FIELD_LIMITS = {"head_name": MAX_NAME_CHARS, "name": MAX_NAME_CHARS, "note": MAX_NOTE_CHARS,
                 "causes": MAX_NOTE_CHARS, "needs": MAX_NOTE_CHARS, "categories": MAX_NOTE_CHARS}


def _has_control(text: str) -> bool:
    """Control or direction-override characters left once what XML cannot hold is removed (each
    distinct short text tested once: most cells of a list repeat; long ones are not kept). Every such
    character is outside the printable ones, so a printable text needs no further look."""
    if text.isprintable():
        return False
    return _short_has_control(text) if len(text) <= 200 else _control_left(text)


def _control_left(text: str) -> bool:
    return has_control_chars(strip_illegal_chars(text), allow_newlines=True)


_short_has_control = lru_cache(maxsize=65536)(_control_left)


def _column_plan(mapping: dict[int, str]) -> list[tuple[int, str, int, str, str]]:
    """(column, field, longest text, item kind, item code) of each mapped column, worked out once
    per sheet rather than on every row."""
    out = []
    for c, f in mapping.items():
        kind, _, code = f.partition(":")
        out.append((c, f, _FIELD_LIMITS.get(f, MAX_TEXT_CHARS), kind, code))
    return out


class _Columns:
    """The mapping worked out once per sheet, and the cells it refuses found column by column.

    A cell holding control characters, or longer than its column allows, is an error on its row
    and read as blank. Each distinct text of a column is tested once (most repeat: villages,
    ethnic groups, marks), and only the rows holding a refused text are looked at again.
    """

    def __init__(self, mapping: dict[int, str], headers: dict[int, str], rows: list[list[object]], start: int):
        """``headers``: column → ``C (Số CCCD)``, as problems name the column."""
        self.headers = headers
        self.fields: dict[str, list[int]] = {}  # field → its columns, in mapping order (not item columns)
        self.items: list[tuple[str, str, int]] = []  # kind, code, column of each item column (indicators…)
        self.width = max(mapping, default=-1) + 1
        self.refused: dict[int, list[tuple[int, str]]] = {}  # row index → (column, message), in mapping order
        below = rows[start:]
        shortest = min(map(len, below), default=0)
        for c, f, limit, kind, code in _column_plan(mapping):
            if code:
                self.items.append((kind, code, c))
            else:
                self.fields.setdefault(f, []).append(c)
            column = list(map(itemgetter(c), below)) if c < shortest else [r[c] if c < len(r) else None for r in below]
            self._refuse(column, start, limit, c)
        self.single = {f: cs[0] for f, cs in self.fields.items() if len(cs) == 1}
        item_columns = [c for _kind, _code, c in self.items]
        self._item_values = itemgetter(*item_columns) if len(item_columns) > 1 else (
            lambda read: tuple(read[c] for c in item_columns))
        self._marks: dict[tuple, tuple[dict[str, set[str]], list[tuple[int, str]]]] = {}

    def marks(self, read: list[object], ctx: ParseContext) -> tuple[dict[str, set[str]], list[tuple[int, str]]]:
        """The item columns of a row read as ticks: kind → the codes ticked (a kind whose every cell was
        refused is left out), and (column, message) of each refused cell. Worked out once per distinct
        combination of ticks (a list has a few hundred); the sets are shared, never to be changed."""
        key = self._item_values(read)
        hit = self._marks.get(key)
        if hit is None:
            lists: dict[str, set[str]] = {}
            refused: list[tuple[int, str]] = []
            for (kind, code, col), value in zip(self.items, key, strict=True):
                try:
                    marked = value is not None and ctx.parsed(parse_mark, value)  # most tick cells are empty
                except ValueProblem as exc:
                    refused.append((col, str(exc)))
                    continue
                bucket = lists.setdefault(kind, set())
                if marked:
                    bucket.add(code)
            hit = self._marks[key] = (lists, refused)
        return hit

    def _refuse(self, column: list[object], start: int, limit: int, c: int) -> None:
        """Note the cells of ``column`` (column ``c`` from row ``start`` down) that are refused."""
        try:
            distinct = set(column)
        except TypeError:  # an unhashable cell value: look at every cell
            distinct = column
        bad: dict[object, str] = {}
        for v in distinct:
            if isinstance(v, str):
                if _has_control(v):
                    bad[v] = ("Ô chứa ký tự điều khiển không được phép (như ký tự đảo chiều chữ U+202E); "
                              "hãy gõ lại ô này.")
                elif len(v) > limit:
                    bad[v] = (f"Ô dài {format_number(len(v))} ký tự, quá giới hạn {format_number(limit)} ký tự "
                              "của cột này; hãy rút gọn.")
        if bad:
            for i, v in enumerate(column):
                if isinstance(v, str) and v in bad:
                    self.refused.setdefault(start + i, []).append((c, bad[v]))


class _Row:
    """One Excel row seen through the mapping (:class:`_Columns`)."""

    def __init__(self, index: int, values: list[object], columns: _Columns):
        self.number = index + 1
        self.values = values  # as read: a problem quotes the cell as written
        self.columns = columns
        self.cells = columns.fields  # the fields the sheet has (a field is there on every row)
        self._single = columns.single
        refused = columns.refused.get(index)
        if len(values) < columns.width or refused:
            read = list(values) + [None] * (columns.width - len(values))
            for c, _message in refused or ():
                read[c] = None
            self.too_long = [Problem(self.number, self.where(c), message, True) for c, message in refused or ()]
        else:
            read = values
            self.too_long = []
        self.read = read  # values with the refused cells blank, at least as wide as the mapping

    def column(self, f: str) -> int:
        """The column ``f`` is read from: its first non-blank column when it is mapped more than once."""
        c = self.columns.single.get(f)
        if c is not None:
            return c
        cs = self.columns.fields[f]
        return next((c for c in cs if not is_blank(self.read[c])), cs[0])

    def get(self, f: str) -> object:
        c = self._single.get(f)
        if c is None:
            return self.read[self.column(f)] if f in self.cells else None
        return self.read[c]

    def text(self, f_or_col: str | int) -> str:
        """The cell as text, at most 200 characters (an over-long cell is not repeated whole)."""
        c = f_or_col if isinstance(f_or_col, int) else self.column(f_or_col)
        value = text_of(self.values[c]) if c < len(self.values) else ""
        return shorten(value, 200)

    def where(self, f_or_col: str | int) -> str:
        c = f_or_col if isinstance(f_or_col, int) else self.column(f_or_col)
        headers = self.columns.headers
        return headers[c] if c in headers else f"{column_letter(c)} ()"


def parse_rows(data: SheetData, header: Header, mapping: dict[int, str], ctx: ParseContext) -> ParseResult:
    """Read every row under the header into households (see module docstring)."""
    mapping = {c: f for c, f in mapping.items() if f != IGNORE}
    headers = {c.index: f"{column_letter(c.index)} ({c.header})" for c in header.columns}  # how problems name it
    fields = set(mapping.values())
    layout = LAYOUT_MEMBER if fields & {"relation", "member_no"} else LAYOUT_HOUSEHOLD
    name_cols = {c for c, f in mapping.items() if f in ("head_name", "name")}
    columns = _Columns(mapping, headers, data.rows, header.data_start)
    known = {fold(v[0]) for v in ctx.villages}
    households: list[ParsedHousehold] = []
    skipped: list[SkippedRow] = []
    group_village = ""
    group_class: str | None = None
    in_signature = False
    rows_read = 0
    current: ParsedHousehold | None = None
    current_no = ""
    for r in range(header.data_start, len(data.rows)):
        values = data.rows[r]
        number = r + 1
        kind = "signature" if in_signature else classify_row(values, name_cols, known)
        if kind != DATA:
            if kind == "blank":
                continue
            text = " ".join(text_of(v) for v in values if not is_blank(v))
            skipped.append(SkippedRow(number, KIND_LABELS.get(kind, kind), text))
            in_signature = in_signature or kind == "signature"
            if kind == GROUP:
                what, label = group_label(text, known)
                if what == "village":
                    group_village = label
                elif what == "classification":
                    group_class = label
            continue
        rows_read += 1
        row = _Row(r, values, columns)
        if layout == LAYOUT_HOUSEHOLD:
            households.append(_household_from_row(row, ctx, group_village, group_class))
            continue
        relation = _clean(row.get("relation"))
        household_no = text_of(row.get("household_no"))
        starts = fold(relation) in _HEAD_KEYS or bool(household_no and household_no != current_no)
        if starts or current is None:
            current = _household_from_row(row, ctx, group_village, group_class)
            current_no = household_no
            current.members_present = True
            households.append(current)
            if fold(relation) not in _HEAD_KEYS and relation:
                current.problems.append(
                    Problem(number, row.where("relation"), f"Dòng đầu của hộ ghi quan hệ '{relation}', "
                            "không phải 'Chủ hộ'; người này được coi là chủ hộ.", False)
                )
        else:
            current.household.members.append(_member_from_row(row, ctx, current.problems))
            current.last_row = number
    for ph in households:
        declared = ph.household.declared_size
        if ph.members_present and declared is not None and declared != 1 + len(ph.household.members):
            ph.problems.append(Problem(ph.row, "", f"Ghi số nhân khẩu {declared}, nhưng danh sách có "
                                       f"{1 + len(ph.household.members)} người trong hộ.", False))
    _check_duplicates(households)
    return ParseResult(layout, households, skipped, rows_read)


def _problem(problems: list[Problem], row: _Row, f: str | int, message: str, error: bool = True) -> None:
    problems.append(Problem(row.number, row.where(f), message, error, value=row.text(f)))


def _read_cccd(row: _Row, problems: list[Problem], birth_year: int | None, sex: str) -> str:
    """The CCCD as typed; only a number cell can have lost a leading zero, so only there is it put back."""
    raw = row.get("cccd")
    if is_blank(raw):
        return ""
    cccd = str(raw) if type(raw) is int and raw >= 0 else normalize_cccd(raw)  # a number cell: digits already
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        cccd, restored = restore_leading_zero(cccd)
        if restored:
            _problem(problems, row, "cccd", f"Số CCCD bị mất số 0 ở đầu (Excel lưu dạng số); đã khôi phục thành "
                     f"{cccd}.", error=False)
    if not cccd.isdigit():
        _problem(problems, row, "cccd", f"Số CCCD '{text_of(raw)}' chỉ được gồm chữ số.")
        return cccd
    if len(cccd) != 12:
        _problem(problems, row, "cccd", f"Số CCCD '{text_of(raw)}' phải có đúng 12 chữ số (đang có {len(cccd)}).")
        return cccd
    for message in _cccd_errors(cccd[:6], birth_year, sex):
        _problem(problems, row, "cccd", message, error=False)
    return cccd


@lru_cache(maxsize=65536)
def _cccd_errors(head: str, birth_year: int | None, sex: str) -> tuple[str, ...]:
    """:func:`cccd_errors` of a 12-digit CCCD, which reads only its first six digits (province,
    century and sex, year): once per distinct head, birth year and sex."""
    return tuple(cccd_errors(head + "000000", birth_year, sex))


def _read_person(row: _Row, ctx: ParseContext, problems: list[Problem]) -> dict:
    """Name, birth, sex, CCCD, ethnicity and relation of the person on ``row``."""
    name = _clean(row.get("name")) if "name" in row.cells else ""
    if not name:
        name = _clean(row.get("head_name"))
    year, date, sex = None, "", ""
    if "birth" in row.cells:
        try:
            year, date = ctx.parsed(parse_birth, row.get("birth"), ctx.today)
        except ValueProblem as exc:
            _problem(problems, row, "birth", str(exc))
    for f, s in (("birth_male", MALE), ("birth_female", FEMALE)):
        if f not in row.cells:
            continue
        v = row.get(f)
        if is_blank(v):
            continue
        if sex and sex != s:
            _problem(problems, row, f, "Ghi cả ở cột Nam và cột Nữ; không biết giới tính.")
            continue
        sex = s
        try:
            if not ctx.parsed(parse_mark, v):
                sex = ""
            continue
        except ValueProblem:
            pass
        try:
            year, date = ctx.parsed(parse_birth, v, ctx.today)
        except ValueProblem as exc:
            _problem(problems, row, f, str(exc))
    if "sex" in row.cells and not is_blank(row.get("sex")):
        try:
            sex = ctx.parsed(parse_sex, row.get("sex")) or sex
        except ValueProblem as exc:
            _problem(problems, row, "sex", str(exc))
    cccd = _read_cccd(row, problems, year, sex)
    eth_name, eth_code, eth_list = "", "", ""
    raw_eth = _clean(row.get("ethnicity")) if "ethnicity" in row.cells else ""
    if raw_eth:
        found = ctx.ethnicity(raw_eth)
        if found is None:
            eth_name = raw_eth
            _problem(problems, row, "ethnicity", f"Không tìm thấy dân tộc '{raw_eth}' trong danh mục các dân tộc "
                     "Việt Nam; giữ nguyên tên đã ghi.", error=False)
        else:
            eth_name, eth_code, eth_list = found.name, found.code, found.code_list
            if found.note:
                _problem(problems, row, "ethnicity", found.note, error=False)
    return {
        "name": name,
        "birth_year": year,
        "birth_date": date,
        "sex": sex,
        "cccd": cccd,
        "ethnicity": (eth_name, eth_code, eth_list),
        "relation": _clean(row.get("relation")) if "relation" in row.cells else "",
    }


def _read_count(row: _Row, problems: list[Problem], f: str, what: str, most: int) -> int | None:
    """A whole number of people or indicators: ``5``, ``5.0`` (a number cell), ``"5"``; blank → None."""
    value = row.get(f)
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and re.fullmatch(r"\d{1,4}(?:[.,]0+)?", _clean(value)):
        value = int(re.split(r"[.,]", _clean(value))[0])
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= most:
        _problem(problems, row, f, f"Không đọc được {what} '{text_of(row.get(f))}' (ghi một số từ 0 đến {most}).")
        return None
    return value


def _member_from_row(row: _Row, ctx: ParseContext, problems: list[Problem]) -> Member:
    problems.extend(row.too_long)
    p = _read_person(row, ctx, problems)
    if not p["name"]:
        f = "name" if "name" in row.cells else "head_name"
        if f in row.cells:
            _problem(problems, row, f, "Thiếu họ tên thành viên.")
        else:  # no name column mapped yet (the wizard goes on to its mapping table): the row, not a column
            problems.append(Problem(row.number, "", "Thiếu họ tên thành viên.", True))
    eth_name, eth_code, eth_list = p["ethnicity"]
    return Member(
        full_name=p["name"],
        relation=p["relation"],
        birth_year=p["birth_year"],
        sex=p["sex"],
        cccd=p["cccd"],
        ethnicity_name=eth_name,
        ethnicity_code=eth_code,
        ethnicity_list=eth_list,
    )


def _household_from_row(row: _Row, ctx: ParseContext, group_village: str, group_class: str | None) -> ParsedHousehold:
    problems: list[Problem] = []
    p = _read_person(row, ctx, problems)
    eth_name, eth_code, eth_list = p["ethnicity"]
    present = set(row.cells)
    h = Household(
        head_name=p["name"],
        code=_clean(row.get("code")),
        head_cccd=p["cccd"],
        head_birth_year=p["birth_year"],
        head_birth_date=p["birth_date"],
        head_sex=p["sex"],
        ethnicity_name=eth_name,
        ethnicity_code=eth_code,
        ethnicity_list=eth_list,
        address=_clean(row.get("address")),
        phone=text_of(row.get("phone")),
        note=_clean(row.get("note")),
    )
    problems.extend(row.too_long)
    if p["birth_date"]:
        present.add("birth_date")
    if "household_size" in row.cells:
        size = _read_count(row, problems, "household_size", "số nhân khẩu", MAX_HOUSEHOLD_SIZE)
        if size is not None:
            if size < 1:
                _problem(problems, row, "household_size", "Số nhân khẩu phải từ 1 trở lên.")
            else:
                h.declared_size = size
                present.add("declared_size")
    if h.phone and h.phone.isdigit() and len(h.phone) == 9:
        h.phone = "0" + h.phone  # a number cell drops the leading zero of 09…
    out = ParsedHousehold(row.number, h, problems=problems, present=present, last_row=row.number)
    if not h.head_name:
        name_field = "head_name" if "head_name" in row.cells else "name"
        problems.append(Problem(row.number, row.where(name_field) if name_field in row.cells else "",
                                "Thiếu họ tên chủ hộ.", True))
    _read_place(row, ctx, out, group_village)
    _read_assessment(row, ctx, out, group_class)
    _read_expected_result(row, ctx, out)
    return out




def _read_expected_result(row: _Row, ctx: ParseContext, out: ParsedHousehold) -> None:
    """The plan's expected result, which must suit the household's classification."""
    if "expected_result" not in row.cells:
        return
    try:
        result = ctx.parsed(parse_expected_result, row.get("expected_result"))
    except ValueProblem as exc:
        _problem(out.problems, row, "expected_result", str(exc))
        return
    if result is None:
        return
    if result not in RESULTS_FOR_CLASSIFICATION.get(out.classification or "", ("",)):
        cls = CLASSIFICATION_LABELS.get(out.classification or "", "chưa phân loại")
        _problem(out.problems, row, "expected_result",
                 f"Kết quả dự kiến '{EXPECTED_RESULT_LABELS[result]}' không phù hợp với phân loại '{cls}'.")
        return
    out.expected_result = result


def _read_place(row: _Row, ctx: ParseContext, out: ParsedHousehold, group_village: str) -> None:
    village = _clean(row.get("village")) or group_village or _clean(ctx.default_village)
    if "area" in row.cells:
        try:
            out.area = ctx.parsed(parse_area, row.get("area"))
        except ValueProblem as exc:
            _problem(out.problems, row, "area", str(exc))
    if not village:
        out.problems.append(Problem(row.number, row.where("village") if "village" in row.cells else "",
                                    "Chưa có thôn của hộ (không có cột Thôn, không có dòng nhóm thôn ở trên và "
                                    "chưa chọn thôn mặc định).", True))
        return
    found = ctx.find_village(village)
    if found:
        out.village, area = found
        out.area = area
    else:
        out.village = village
        where = row.where("village") if "village" in row.cells else ""
        out.problems.append(Problem(row.number, where, f"Thôn '{village}' chưa có trong danh sách thôn của xã; "
                                    "sẽ được tạo mới khi nhập.", False))
    out.present.add("village")


def _read_assessment(row: _Row, ctx: ParseContext, out: ParsedHousehold, group_class: str | None) -> None:
    std = ctx.cats.standard
    if "income" in row.cells:
        try:
            out.income = ctx.parsed(parse_money, row.get("income"))
        except ValueProblem as exc:
            _problem(out.problems, row, "income", str(exc))
        if out.income is not None and out.income > MAX_INCOME:
            _problem(out.problems, row, "income", f"Thu nhập {format_number(out.income)} đ/người/tháng không hợp lý "
                     f"(quá {format_number(MAX_INCOME)} đ); hãy kiểm tra lại ô này.")
            out.income = None
    deprived: set[str] | None = None
    codes = ctx.codes
    if "deprived_codes" in row.cells:
        try:
            deprived = set(ctx.deprived_codes(row.get("deprived_codes")))
        except ValueProblem as exc:
            _problem(out.problems, row, "deprived_codes", str(exc))
            deprived = set()
    lists: dict[str, set[str]] = {}
    if row.columns.items:
        lists, refused = row.columns.marks(row.read, ctx)
        for col, message in refused:
            _problem(out.problems, row, col, message)
    if "indicator" in lists:
        deprived = (deprived or set()) | lists["indicator"]
    if deprived is not None:
        out.deprived = ctx.in_order(deprived)
        out.present.add("deprived")
    if "deprived_count" in row.cells:
        count = _read_count(row, out.problems, "deprived_count", "số chỉ số thiếu hụt", len(codes))
        if count is not None and out.deprived is not None and count != len(out.deprived):
            listed = ", ".join(out.deprived) or "không có chỉ số nào"
            _problem(out.problems, row, "deprived_count", f"Ghi {count} chỉ số thiếu hụt, nhưng các cột chỉ số liệt kê "
                     f"{len(out.deprived)} ({listed}); dùng các chỉ số được liệt kê.", error=False)
        elif count and out.deprived is None:
            _problem(out.problems, row, "deprived_count", f"Tệp chỉ ghi số chỉ số thiếu hụt ({count}), không ghi là "
                     "những chỉ số nào; hãy bổ sung các chỉ số trong hồ sơ hộ.", error=False)
    out.causes = _read_list(row, ctx, out, "causes", "cause", ctx.cats.causes, lists)
    out.needs = _read_list(row, ctx, out, "needs", "need", ctx.cats.needs, lists)
    categories = _read_list(row, ctx, out, "categories", "category", ctx.cats.categories, lists)
    if categories is not None:
        out.household.categories = categories
        out.present.add("categories")
    out.file_classification = _read_classification(row, ctx, out) or group_class
    if out.income is None and out.file_classification is None:
        out.problems.append(Problem(row.number, "", f"Không có phân loại hay thu nhập: hộ được nhập nhưng chưa có "
                                    f"trong danh sách năm {ctx.year}.", False))
    if out.income is not None:
        try:
            result = ctx.classified(out.area or "rural", out.income, tuple(out.deprived or ()))
        except StandardError as exc:
            out.problems.append(Problem(row.number, "", str(exc), True))
            return
        out.computed_classification = result.classification
        if out.file_classification and out.file_classification != result.classification:
            where = row.where("classification") if "classification" in row.cells else ""
            out.problems.append(Problem(
                row.number, where,
                f"Tệp ghi {CLASSIFICATION_LABELS[out.file_classification]}, nhưng theo chuẩn {std.short_name} là "
                f"{result.explanation[0].lower()}{result.explanation[1:]}; giữ phân loại trong tệp.", False))


def _read_classification(row: _Row, ctx: ParseContext, out: ParsedHousehold) -> str | None:
    if "classification" in row.cells:
        try:
            return ctx.parsed(parse_classification, row.get("classification"))
        except ValueProblem as exc:
            _problem(out.problems, row, "classification", str(exc))
            return None
    marked = []
    for f, cls in (("mark_poor", "poor"), ("mark_near_poor", "near_poor"), ("mark_average", "average")):
        if f in row.cells:
            try:
                if ctx.parsed(parse_mark, row.get(f)):
                    marked.append((f, cls))
            except ValueProblem as exc:
                _problem(out.problems, row, f, str(exc))
    if len(marked) > 1:
        _problem(out.problems, row, marked[1][0], "Đánh dấu nhiều loại hộ cùng lúc (nghèo, cận nghèo…).")
        return None
    return marked[0][1] if marked else None


def _read_list(
    row: _Row, ctx: ParseContext, out: ParsedHousehold, f: str, kind: str, items: dict[str, str],
    marks: dict[str, set[str]],
) -> list[str] | None:
    if f not in row.cells and kind not in marks:
        return None
    found: list[str] = []
    if f in row.cells:
        found, leftovers = ctx.labels(f, row.get(f), items)
        for text in leftovers:
            _problem(out.problems, row, f, f"Không nhận ra '{text}' trong danh mục; bỏ qua mục này.", error=False)
    out.present.add(f)
    marked = marks.get(kind)
    if not marked:
        return found
    return found + [code for code in items if code in marked and code not in found]


def household_keys(h: Household, village: str) -> dict[str, str]:
    """Identity keys, strongest first: mã hộ, CCCD of the head, head name + village + birth year."""
    keys = {}
    if h.code:
        keys["code"] = h.code
    if h.head_cccd:
        keys["cccd"] = h.head_cccd
    if h.head_name:
        year = "" if h.head_birth_year is None else str(h.head_birth_year)
        keys["person"] = f"{fold(h.head_name)}|{fold(village)}|{year}"
    return keys


class HouseholdIndex:
    """Finds the household a row means: matched on the strongest key both sides have.

    Two households with different mã hộ (or different CCCDs) are never the same, even when
    their head's name, village and birth year agree.
    """

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, str], object] = {}
        self._keys: dict[object, dict[str, str]] = {}

    def add(self, ref: object, keys: dict[str, str]) -> None:
        self._keys[ref] = keys
        for kind, value in keys.items():
            self._by_key.setdefault((kind, value), ref)

    def find(self, keys: dict[str, str]) -> tuple[object, str] | tuple[None, None]:
        """(matched ref, the kind of key that matched) or (None, None)."""
        for kind, value in keys.items():
            ref = self._by_key.get((kind, value))
            if ref is None:
                continue
            other = self._keys[ref]
            stronger = list(keys)[: list(keys).index(kind)]
            if any(k in other and other[k] != keys[k] for k in stronger):
                continue
            return ref, kind
        return None, None


_KEY_WORDS = {"code": "mã hộ", "cccd": "số CCCD chủ hộ", "person": "họ tên, thôn và năm sinh chủ hộ"}


def _check_duplicates(households: list[ParsedHousehold]) -> None:
    """The same household twice in the file, or one CCCD for two people, is an error on the later row."""
    seen = HouseholdIndex()
    people: dict[str, int] = {}
    for ph in households:
        if not ph.household.head_name:
            continue
        keys = household_keys(ph.household, ph.village)
        first, kind = seen.find(keys)
        if first is not None:
            message = f"Trùng hộ ở dòng {first} ({_KEY_WORDS[kind]} giống nhau)."
            ph.problems.append(Problem(ph.row, "", message, True))
        else:
            seen.add(ph.row, keys)
        if not ph.valid:
            continue
        cccds = [ph.household.head_cccd] + [m.cccd for m in ph.household.members]
        for cccd in cccds:
            if not cccd or len(cccd) != 12:
                continue
            if cccd in people and people[cccd] != ph.row:
                ph.problems.append(Problem(ph.row, "", f"Số CCCD {cccd} đã có ở hộ dòng {people[cccd]}.", True))
            elif cccd in people:
                ph.problems.append(Problem(ph.row, "", f"Số CCCD {cccd} ghi cho hai người trong cùng hộ.", True))
            people[cccd] = ph.row

