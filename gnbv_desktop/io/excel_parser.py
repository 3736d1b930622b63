"""Rows of an official's list → households with members and the year's assessment, plus problems.

Works on the cells :mod:`gnbv_desktop.io.excel_reader` read and a column → field mapping; it
reads the database nowhere, so the preview is the same in the wizard, the CLI and the tests.
Every problem names the Excel row, the column and the reason in Vietnamese; an *error* makes the
row invalid, a *warning* lets it import.

The rows are read column by column (:mod:`gnbv_desktop.io.excel_table`): each field's rule runs
once per distinct value of its column, and only what joins columns — the CCCD against the birth
year and sex, the village a group row gives, the standard's classification against the file's, the
expected result against both — is worked out row by row, on the columns' results.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache, partial
from itertools import compress, repeat
from operator import add, attrgetter, is_not, itemgetter

from gnbv_desktop.core.catalogs import match_ethnicity
from gnbv_desktop.core.cccd import FEMALE, MALE, cccd_errors, normalize_cccd, restore_leading_zero
from gnbv_desktop.core.classifications import CLASSIFICATION_LABELS
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
from gnbv_desktop.core.plans import EXPECTED_RESULT_LABELS, RESULTS_FOR_CLASSIFICATION, PlanItem
from gnbv_desktop.core.standards import StandardError, classification_of, classify, deprived_count
from gnbv_desktop.core.text import clean, format_number, is_digits
from gnbv_desktop.io.excel_reader import Header, SheetData, column_letter
from gnbv_desktop.io.excel_table import QUIET, Columns, Note, Table, checked, columns_of, joined, per_value

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
    _counted: dict[tuple[str, ...], int | tuple[str, ...]] = field(default_factory=dict, repr=False)

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

    def count_key(self, deprived: tuple[str, ...]) -> int | tuple[str, ...]:
        """What a household's classification takes from its indicator codes: the standard counts
        the distinct indicators a household lacks, so codes of the standard that are as many give the
        same result; codes that are not all the standard's are kept, to be refused by name."""
        counted = self._counted.get(deprived)  # a list has a few hundred distinct combinations of codes
        if counted is None:
            counted = self._counted[deprived] = (len(set(deprived)) if self._known_codes.issuperset(deprived)
                                                 else deprived)
        return counted

    def classified(self, area: str, income: int, counted: int | tuple[str, ...]) -> str:
        """The standard's classification (:func:`classification_of`) of a household whose codes give
        ``counted`` (:meth:`count_key`), once per distinct (area, income, count); raises
        :class:`StandardError` for an unknown area or code or a negative income."""
        key = ("classify", area, income, counted)
        hit = self._memo.get(key)
        if hit is None:
            standard = self.cats.standard
            n = deprived_count(standard, area, income, counted if counted.__class__ is tuple else ())
            hit = self._memo[key] = (True, classification_of(standard, area, income,
                                                             n if counted.__class__ is tuple else counted))
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


def parse_rows(data: SheetData, header: Header, mapping: dict[int, str], ctx: ParseContext,
               distinct: dict[int, dict[object, None]] | None = None) -> ParseResult:
    """Read every row under the header into households (see module docstring). ``distinct``: column →
    the distinct cells under the header of the columns already looked at (:func:`legacy_columns`), as
    they are now."""
    mapping = {c: f for c, f in mapping.items() if f != IGNORE}
    headers = {c.index: f"{column_letter(c.index)} ({c.header})" for c in header.columns}  # how problems name it
    fields = set(mapping.values())
    layout = LAYOUT_MEMBER if fields & {"relation", "member_no"} else LAYOUT_HOUSEHOLD
    columns = Columns(mapping, headers, data.rows, header.data_start, distinct or {})
    indexes, groups, skipped = _sort_rows(data, header, {c for c, f in mapping.items() if f in ("head_name", "name")}, ctx)
    table = Table(columns, list(map(data.rows.__getitem__, indexes)), indexes)
    people = _read_people(table, ctx)
    if layout == LAYOUT_HOUSEHOLD:
        households = _read_households(table, people, groups, ctx)
    else:  # only a member list has members to count
        households = _read_member_list(table, people, groups, ctx)
        for ph in households:
            declared = ph.household.declared_size
            if ph.members_present and declared is not None and declared != 1 + len(ph.household.members):
                ph.problems.append(Problem(ph.row, "", f"Ghi số nhân khẩu {declared}, nhưng danh sách có "
                                           f"{1 + len(ph.household.members)} người trong hộ.", False))
    _check_duplicates(households)
    return ParseResult(layout, households, skipped, len(indexes))


def _problems(table: Table, notes: list[tuple[Note, ...]], positions: Iterable[int]) -> list[list[Problem]]:
    """The notes of the rows at ``positions`` of ``table`` (``notes``: one tuple per row, row for row)
    as problems naming each one's Excel row and column; a new list per row, empty without a note.
    One loop for the whole column: a list whose every CCCD lost its leading zero has a note on each
    of its 20,000 rows."""
    numbers = table.numbers
    where = table.where
    out: list[list[Problem]] = []
    for i, row_notes in zip(positions, notes, strict=True):
        found: list[Problem] = []
        out.append(found)
        for f, message, error, quote in row_notes:  # Problem's fields by position (row, column, message, error, …, value)
            if f is None:
                found.append(Problem(numbers[i], "", message, error))
            else:
                column, value = where(f, i, quote)
                found.append(Problem(numbers[i], column, message, error, False, "", value))
    return out


def _sort_rows(
    data: SheetData, header: Header, name_cols: set[int], ctx: ParseContext,
) -> tuple[list[int], list[tuple[str, str | None]], list[SkippedRow]]:
    """The data rows under the header (their indexes, and the village and classification the group
    rows above each set), and the rows skipped as group, subtotal or signature rows."""
    if _numbered(data.rows[header.data_start:]):  # every row a household (most lists): no group row above any
        return list(range(header.data_start, len(data.rows))), [("", None)] * (len(data.rows) - header.data_start), []
    known = {fold(v[0]) for v in ctx.villages}
    indexes: list[int] = []
    groups: list[tuple[str, str | None]] = []
    skipped: list[SkippedRow] = []
    group: tuple[str, str | None] = ("", None)
    in_signature = False
    for r in range(header.data_start, len(data.rows)):
        values = data.rows[r]
        kind = "signature" if in_signature else classify_row(values, name_cols, known)
        if kind == DATA:
            indexes.append(r)
            groups.append(group)
            continue
        if kind == "blank":
            continue
        text = " ".join(text_of(v) for v in values if not is_blank(v))
        skipped.append(SkippedRow(r + 1, KIND_LABELS.get(kind, kind), text))
        in_signature = in_signature or kind == "signature"
        if kind == GROUP:
            what, label = group_label(text, known)
            if what == "village":
                group = (label, group[1])
            elif what == "classification":
                group = (group[0], label)
    return indexes, groups, skipped


def _numbered(rows: list[list[object]]) -> bool:
    """Whether every row opens with an STT number and has its next two cells filled: each is then a data
    row by :func:`classify_row`'s first rule, told in C for the whole list."""
    try:
        return (set(map(type, map(itemgetter(0), rows))) <= {int, float} and _filled(list(map(itemgetter(1), rows)))
                and _filled(list(map(itemgetter(2), rows))))
    except IndexError:  # a row of fewer than three cells
        return False


def _filled(cells: list[object]) -> bool:
    """Whether every one of ``cells`` is filled as :func:`classify_row` counts it: a number or date, or a
    text with more than spaces (a column mixing texts with other values is not looked into)."""
    types = set(map(type, cells))
    if types == {str}:
        return all(map(str.strip, cells))
    return type(None) not in types and not any(issubclass(t, str) for t in types)


@dataclass
class _People:
    """Name, birth, sex, CCCD, ethnicity and relation of the person on each row (a list each, row for
    row), and the notes on them."""

    names: list[str]
    years: list[int | None]
    dates: list[str]
    sexes: list[str]
    cccds: list[str]
    ethnicities: list[tuple[str, str, str]]  # name, code, code list
    relations: list[str]
    notes: list[tuple[Note, ...]]

    def subset(self, positions: list[int]) -> _People:
        """The people on some of these rows (a member list's heads of household)."""
        return _People(*([column[p] for p in positions] for column in vars(self).values()))

    def member(self, i: int) -> Member:
        """The person on row ``i`` as a household member."""
        eth_name, eth_code, eth_list = self.ethnicities[i]
        return Member(full_name=self.names[i], relation=self.relations[i], birth_year=self.years[i], sex=self.sexes[i],
                      cccd=self.cccds[i], ethnicity_name=eth_name, ethnicity_code=eth_code, ethnicity_list=eth_list)


def _read_people(table: Table, ctx: ParseContext) -> _People:
    """The person on each row, column by column; the CCCD is checked against the row's birth year and sex."""
    cells = table.fields
    n = len(table)
    quiet = [QUIET] * n
    names = table.cleaned("name") if "name" in cells else [""] * n
    if "head_name" in cells:  # a row's name, else its head's
        heads = table.cleaned("head_name")
        names = [name or head for name, head in zip(names, heads, strict=True)] if "name" in cells else heads
    years: list[int | None] = [None] * n
    dates, sexes, birth_notes, marked_notes, sex_notes = [""] * n, [""] * n, quiet, quiet, quiet
    if "birth" in cells:
        years, dates, birth_notes = columns_of(table.per_value(partial(_birth_rule, ctx.today), "birth"), 3)
    if cells.keys() & {"birth_male", "birth_female"}:
        years, dates, sexes, marked_notes = columns_of([
            _marked_birth(cells, male, female, year, date, ctx)
            for male, female, year, date in zip(table.get("birth_male"), table.get("birth_female"), years, dates, strict=True)
        ], 4)
    if "sex" in cells:
        read, sex_notes = columns_of(table.per_value(_sex_rule, "sex"), 2)
        sexes = read if marked_notes is quiet else [r or s for r, s in zip(read, sexes, strict=True)]
    cccds, cccd_notes = ([""] * n, quiet) if "cccd" not in cells else _read_cccds(table.get("cccd"), years, sexes)
    ethnicities, eth_notes = ([("", "", "")] * n, quiet) if "ethnicity" not in cells else columns_of(
        table.per_value(partial(_ethnicity_rule, ctx), "ethnicity"), 2)
    relations = table.cleaned("relation") if "relation" in cells else [""] * n
    return _People(names, years, dates, sexes, cccds, ethnicities, relations,
                   joined(birth_notes, marked_notes, sex_notes, cccd_notes, eth_notes))


def _birth_rule(today: _dt.date, value: object) -> tuple[int | None, str, tuple[Note, ...]]:
    """The birth column: year and ISO date (``""`` unless the full date is known), and the notes."""
    try:
        year, date = parse_birth(value, today)
    except ValueProblem as exc:
        return None, "", (("birth", str(exc), True, True),)
    return year, date, QUIET


def _sex_rule(value: object) -> tuple[str, tuple[Note, ...]]:
    """The sex column: ``""`` for a blank cell (the Nam/Nữ birth columns may give it)."""
    if is_blank(value):
        return "", QUIET
    sex, notes = checked("sex", parse_sex)(value)
    return sex or "", notes


def _ethnicity_rule(ctx: ParseContext, value: object) -> tuple[tuple[str, str, str], tuple[Note, ...]]:
    """(name, code, code list) of the group a cell names; an unknown name is kept as written, with a warning."""
    raw = _clean(value)
    if not raw:
        return ("", "", ""), QUIET
    found = ctx.ethnicity(raw)
    if found is None:
        return (raw, "", ""), (("ethnicity", f"Không tìm thấy dân tộc '{raw}' trong danh mục các dân tộc Việt Nam; "
                                "giữ nguyên tên đã ghi.", False, True),)
    notes = (("ethnicity", found.note, False, True),) if found.note else QUIET
    return (found.name, found.code, found.code_list), notes


def _marked_birth(
    cells: dict[str, list[int]], male: object, female: object, year: int | None, date: str, ctx: ParseContext,
) -> tuple[int | None, str, str, tuple[Note, ...]]:
    """Lists with a birth column per sex (``Năm sinh Nam``/``Nữ``): the year, or a tick, in one of them
    gives the sex. Both filled is an error; a tick gives no year."""
    sex = ""
    notes: tuple[Note, ...] = QUIET
    for f, s, v in (("birth_male", MALE, male), ("birth_female", FEMALE, female)):
        if f not in cells or is_blank(v):
            continue
        if sex and sex != s:
            notes += ((f, "Ghi cả ở cột Nam và cột Nữ; không biết giới tính.", True, True),)
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
            notes += ((f, str(exc), True, True),)
    return year, date, sex, notes


def _read_cccds(raws: list[object], years: list[int | None], sexes: list[str]) -> tuple[list[str], list[tuple[Note, ...]]]:
    """:func:`_read_cccd` of each row (two columns: CCCDs, notes). A column of number cells of 11 or
    12 digits and blanks, as most lists keep their CCCDs, is read a column at a time (the checks of
    each distinct head remembered by :func:`_cccd_notes`); any other cell by cell."""
    present = range(len(raws)) if None not in raws else [i for i, raw in enumerate(raws) if raw is not None]
    cells = raws if len(present) == len(raws) else [raws[i] for i in present]
    if not cells or set(map(type, cells)) != {float} or not 1e10 <= min(cells) <= max(cells) < 1e12 or not all(
            map(float.is_integer, cells)):
        return columns_of(list(map(_read_cccd, raws, years, sexes)), 2)
    digits = list(map(str, map(int, cells)))  # 11 or 12 digits each, the cells' text as a problem quotes them
    if max(cells) < 1e11:  # every one lost its leading zero (Excel keeps CCCDs typed as numbers so): seen in C
        cccds = list(map("0".__add__, digits))
        restored = list(zip(zip(repeat("cccd"), _restored(cccds), repeat(False), digits)))  # a note on each row
    else:
        cccds = [d if len(d) == 12 else "0" + d for d in digits]
        restored = [QUIET if len(d) == 12 else (("cccd", _RESTORED(c), False, d),) for d, c in zip(digits, cccds, strict=True)]
    if len(present) == len(raws):
        return cccds, list(map(add, restored, map(_cccd_notes, map(_HEAD, cccds), years, sexes)))
    checks = map(_cccd_notes, map(_HEAD, cccds), [years[i] for i in present], [sexes[i] for i in present])
    all_cccds, all_notes = [""] * len(raws), [QUIET] * len(raws)
    for i, cccd, notes in zip(present, cccds, map(add, restored, checks), strict=True):
        all_cccds[i], all_notes[i] = cccd, notes
    return all_cccds, all_notes


_RESTORED = "Số CCCD bị mất số 0 ở đầu (Excel lưu dạng số); đã khôi phục thành {}.".format
_RESTORED_AROUND = _RESTORED("\0").split("\0")  # its text before and after the CCCD


def _restored(cccds: list[str]) -> Iterable[str]:
    """:data:`_RESTORED` of each CCCD, joined in C (``str.format`` reads its template again on every call)."""
    before, after = _RESTORED_AROUND
    return map(add, map(add, repeat(before), cccds), repeat(after))


_HEAD = itemgetter(slice(0, 6))  # what :func:`_cccd_notes` reads of a CCCD


def _read_cccd(raw: object, birth_year: int | None, sex: str) -> tuple[str, tuple[Note, ...]]:
    """The CCCD as typed; only a number cell can have lost a leading zero, so only there is it put back."""
    if raw.__class__ is float and raw >= 0 and raw.is_integer():  # a number cell, as most lists keep it
        cccd = str(int(raw))  # its digits, as normalize_cccd gives them
    elif is_blank(raw):
        return "", QUIET
    else:
        cccd = str(raw) if type(raw) is int and raw >= 0 else normalize_cccd(raw)  # a number cell: digits already
    notes: tuple[Note, ...] = QUIET
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        cccd, restored = restore_leading_zero(cccd)
        if restored:
            notes = (("cccd", _RESTORED(cccd), False, True),)
    if not is_digits(cccd):
        return cccd, notes + (("cccd", f"Số CCCD '{text_of(raw)}' chỉ được gồm chữ số.", True, True),)
    if len(cccd) != 12:
        return cccd, notes + (("cccd", f"Số CCCD '{text_of(raw)}' phải có đúng 12 chữ số (đang có {len(cccd)}).", True, True),)
    return cccd, notes + _cccd_notes(cccd[:6], birth_year, sex)


@lru_cache(maxsize=65536)
def _cccd_notes(head: str, birth_year: int | None, sex: str) -> tuple[Note, ...]:
    """:func:`cccd_errors` of a 12-digit CCCD, which reads only its first six digits (province,
    century and sex, year): once per distinct head, birth year and sex."""
    return tuple(("cccd", message, False, True) for message in cccd_errors(head + "000000", birth_year, sex))


def _count_rule(f: str, what: str, most: int) -> Callable[[object], tuple[int | None, tuple[Note, ...]]]:
    """A whole number of people or indicators: ``5``, ``5.0`` (a number cell), ``"5"``; blank → None."""
    def rule(value: object) -> tuple[int | None, tuple[Note, ...]]:
        if is_blank(value):
            return None, QUIET
        number = value
        if isinstance(number, float) and number.is_integer():
            number = int(number)
        if isinstance(number, str) and re.fullmatch(r"\d{1,4}(?:[.,]0+)?", _clean(number)):
            number = int(re.split(r"[.,]", _clean(number))[0])
        if not isinstance(number, int) or isinstance(number, bool) or not 0 <= number <= most:
            return None, ((f, f"Không đọc được {what} '{text_of(value)}' (ghi một số từ 0 đến {most}).", True, True),)
        return number, QUIET
    return rule


def _size_rule(value: object) -> tuple[int | None, tuple[Note, ...]]:
    """Số nhân khẩu: at least one person."""
    size, notes = _count_rule("household_size", "số nhân khẩu", MAX_HOUSEHOLD_SIZE)(value)
    if size is not None and size < 1:
        return None, (("household_size", "Số nhân khẩu phải từ 1 trở lên.", True, True),)
    return size, notes


def _read_phones(table: Table) -> list[str]:
    """:func:`_phone_rule` of each row. A column of tidy texts none of which has 9 characters (phones
    typed as text, as most lists keep them, nearly all different) is taken as it is, not cell by cell."""
    texts = table.tidy_texts("phone")
    if texts is not None and 9 not in map(len, texts):
        return table.cleaned("phone")
    return table.per_value(_phone_rule, "phone")


def _phone_rule(value: object) -> str:
    """The phone as text; a number cell drops the leading zero of 09…, which is put back."""
    phone = text_of(value)
    return "0" + phone if phone and is_digits(phone) and len(phone) == 9 else phone


def _income_rule(value: object) -> tuple[int | None, tuple[Note, ...]]:
    """Income per person and month; an amount no household has is refused as a typing slip."""
    income, notes = checked("income", parse_money)(value)
    if income is not None and income > MAX_INCOME:
        return None, (("income", f"Thu nhập {format_number(income)} đ/người/tháng không hợp lý "
                       f"(quá {format_number(MAX_INCOME)} đ); hãy kiểm tra lại ô này.", True, True),)
    return income, notes


def _codes_rule(ctx: ParseContext, value: object) -> tuple[set[str], tuple[Note, ...]]:
    """The indicator codes listed in one cell (an unknown code: an error, and none read)."""
    try:
        return set(ctx.deprived_codes(value)), QUIET
    except ValueProblem as exc:
        return set(), (("deprived_codes", str(exc), True, True),)


def _labels_rule(ctx: ParseContext, f: str, items: dict[str, str]) -> Callable[[object], tuple[list[str], tuple[Note, ...]]]:
    """Catalogue entries named in a list cell (causes, needs, categories); what matches nothing is a warning."""
    def rule(value: object) -> tuple[list[str], tuple[Note, ...]]:
        found, leftovers = ctx.labels(f, value, items)
        return found, tuple((f, f"Không nhận ra '{text}' trong danh mục; bỏ qua mục này.", False, True) for text in leftovers)
    return rule


def _read_member_list(table: Table, people: _People, groups: list[tuple[str, str | None]],
                      ctx: ParseContext) -> list[ParsedHousehold]:
    """A list with one row per person: a household starts at its head (relation ``Chủ hộ``) or at a new
    household number; the rows below it are its members."""
    relations = people.relations
    numbers = list(map(text_of, table.get("household_no")))
    heads: list[int] = []
    owner: list[int] = []  # the head's position among ``heads`` of each row
    current_no = ""
    for relation, household_no in zip(relations, numbers, strict=True):
        if not heads or fold(relation) in _HEAD_KEYS or (household_no and household_no != current_no):
            heads.append(len(owner))
            current_no = household_no
        owner.append(len(heads) - 1)
    households = _read_households(table.subset(heads), people.subset(heads), [groups[i] for i in heads], ctx)
    for ph, i in zip(households, heads, strict=True):
        ph.members_present = True
        relation = relations[i]
        if fold(relation) not in _HEAD_KEYS and relation:
            ph.problems += _problems(table, [(("relation", f"Dòng đầu của hộ ghi quan hệ '{relation}', "
                                                       "không phải 'Chủ hộ'; người này được coi là chủ hộ.", False, False),)],
                                     [i])[0]
    head_set = set(heads)
    members = [i for i in range(len(table)) if i not in head_set]
    notes = [table.refused_notes(i) + people.notes[i] + _unnamed_member(table.fields, people.names[i]) for i in members]
    for i, problems in zip(members, _problems(table, notes, members), strict=True):
        ph = households[owner[i]]
        ph.household.members.append(people.member(i))
        ph.problems += problems
        ph.last_row = table.numbers[i]
    return households


def _unnamed_member(cells: dict[str, list[int]], name: str) -> tuple[Note, ...]:
    """A member row without a name: an error on the name column (on the row while none is mapped: the
    wizard goes on to its mapping table)."""
    if name:
        return QUIET
    f = "name" if "name" in cells else "head_name"
    return ((f if f in cells else None, "Thiếu họ tên thành viên.", True, f in cells),)


def _read_households(table: Table, people: _People, groups: list[tuple[str, str | None]],
                     ctx: ParseContext) -> list[ParsedHousehold]:
    """One household per row of ``table`` (its head is ``people``, row for row), column by column."""
    cells = table.fields
    n = len(table)
    quiet = [QUIET] * n
    sizes, size_notes = columns_of(table.per_value(_size_rule, "household_size"), 2) if "household_size" in cells else (
        [None] * n, quiet)
    name_field = "head_name" if "head_name" in cells else "name"
    unnamed: tuple[Note, ...] = ((name_field if name_field in cells else None, "Thiếu họ tên chủ hộ.", True, False),)
    villages, areas, place_notes = _read_places(table, groups, ctx)
    a = _read_assessments(table, areas, groups, ctx)
    notes = joined(people.notes, [table.refused_notes(i) for i in range(n)] if table.any_refused else quiet, size_notes,
                    quiet if all(people.names) else [QUIET if name else unnamed for name in people.names], place_notes,
                    a.notes)
    present = _present(set(cells), list(map(bool, people.dates)), _given(sizes), list(map(bool, villages)),
                       *map(_given, (a.deprived, a.causes, a.needs, a.categories)))
    codes = table.cleaned("code")
    addresses = table.cleaned("address")
    phones = _read_phones(table)
    remarks = table.cleaned("note")
    eth_names, eth_codes, eth_lists = columns_of(people.ethnicities, 3)
    columns = (table.numbers, people.names, people.cccds, people.years, people.dates, people.sexes, eth_names, eth_codes,
               eth_lists, codes, addresses, phones, remarks, sizes, villages, areas, a.incomes, a.deprived, a.file_classes,
               a.computed_classes, a.causes, a.needs, a.categories, a.expected_results, present, notes)
    if any(len(column) != n for column in columns):
        raise ValueError("columns of different lengths")  # a slip in this module, never the file's doing
    # The objects are built by map, every field given in the dataclasses' order, by position: a Python loop
    # over the rows, and keywords, cost several times as much on 20,000 rows. Household: head_name,
    # village_id, code, head_cccd, head_birth_year, head_birth_date, head_sex, ethnicity_name/_code/_list,
    # address, phone, categories, note, members, id, uuid, declared_size.
    households = map(Household, people.names, repeat(None), codes, people.cccds, people.years, people.dates,
                     people.sexes, eth_names, eth_codes, eth_lists, addresses, phones,
                     [[] if categories is None else categories for categories in a.categories], remarks,
                     map(list, repeat((), n)), repeat(None), repeat(""), sizes)
    problems = _problems(table, notes, range(n))
    # ParsedHousehold: row, household, village, area, income, deprived, file_classification,
    # computed_classification, causes, needs, expected_result, plan_items, helper_keys, present,
    # members_present, problems, last_row.
    return list(map(ParsedHousehold, table.numbers, households, villages, areas, a.incomes, a.deprived, a.file_classes,
                    a.computed_classes, a.causes, a.needs, a.expected_results, repeat(None), repeat(None), present,
                    repeat(False), problems, table.numbers))


def _given(column: list[object]) -> list[bool]:
    """Whether each cell of ``column`` is not None (in C: one call for the column)."""
    return list(map(is_not, column, repeat(None)))


_PRESENT_IF = ("birth_date", "declared_size", "village", "deprived", "causes", "needs", "categories")


def _present(base: set[str], *flags: list[bool]) -> list[set[str]]:
    """The fields each household has: the sheet's, and those of :data:`_PRESENT_IF` whose flag column
    is true on its row (added in that order). One set per distinct combination of flags (a list has a
    handful), shared by the households that have it: it is read, never changed."""
    if all(all(column) or not any(column) for column in flags):  # the same fields on every row (most lists)
        return [base.union(f for f, column in zip(_PRESENT_IF, flags, strict=True) if column and column[0])] * len(flags[0])
    keys = list(zip(*flags, strict=True))
    sets = {key: base.union(f for f, on in zip(_PRESENT_IF, key, strict=True) if on) for key in dict.fromkeys(keys)}
    return list(map(sets.__getitem__, keys))


def _read_places(table: Table, groups: list[tuple[str, str | None]],
                 ctx: ParseContext) -> tuple[list[str], list[str | None], list[tuple[Note, ...]]]:
    """The village, area and notes of each row (three columns). The village is the row's own cell, else
    the group row's above, else the default one; a village of the commune gives its area, over the area
    column."""
    cells = table.fields
    default = _clean(ctx.default_village)
    named = table.cleaned("village")
    if not all(named):  # a row without its own village takes its group row's, else the default one
        named = [own or group_village or default for own, (group_village, _class) in zip(named, groups, strict=True)]
    villages, found_areas, village_notes = columns_of(per_value(
        partial(_place, "village" if "village" in cells else None, ctx), named), 3)
    if "area" not in cells:
        return villages, [found[0] if found else None for found in found_areas], village_notes
    areas, area_notes = columns_of(table.per_value(checked("area", parse_area), "area"), 2)
    return (villages, [area if found is None else found[0] for area, found in zip(areas, found_areas, strict=True)],
            joined(area_notes, village_notes))


def _place(where: str | None, ctx: ParseContext, village: str) -> tuple[str, tuple[str] | None, tuple[Note, ...]]:
    """(village, (its area,) when it is one of the commune's, notes) of a village name."""
    if not village:
        return "", None, ((where, "Chưa có thôn của hộ (không có cột Thôn, không có dòng nhóm thôn ở trên và "
                                  "chưa chọn thôn mặc định).", True, False),)
    found = ctx.find_village(village)
    if found:
        return found[0], (found[1],), QUIET
    return village, None, ((where, f"Thôn '{village}' chưa có trong danh sách thôn của xã; sẽ được tạo mới khi nhập.",
                            False, False),)


@dataclass
class _Assessments:
    """The year's assessment read from each row (a list each, row for row), and the notes on it."""

    incomes: list[int | None]
    deprived: list[list[str] | None]
    causes: list[list[str] | None]
    needs: list[list[str] | None]
    categories: list[list[str] | None]
    file_classes: list[str | None]
    computed_classes: list[str | None]
    expected_results: list[str | None]
    notes: list[tuple[Note, ...]]


def _read_assessments(table: Table, areas: list[str | None], groups: list[tuple[str, str | None]],
                      ctx: ParseContext) -> _Assessments:
    """Income, deprivations, causes, needs, categories and classification of each row; the standard's
    classification is checked against the file's, and the expected result against both."""
    cells = table.fields
    n = len(table)
    quiet = [QUIET] * n
    incomes, income_notes = (columns_of(table.per_value(_income_rule, "income"), 2) if "income" in cells
                             else ([None] * n, quiet))
    deprived, marks, deprived_notes = _read_deprivations(table, ctx)
    lists, list_notes = {}, []
    for f, kind, items in (("causes", "cause", ctx.cats.causes), ("needs", "need", ctx.cats.needs),
                           ("categories", "category", ctx.cats.categories)):
        lists[f], more = _read_list(table.per_value(_labels_rule(ctx, f, items), f) if f in cells else None,
                                    kind, items, marks)
        list_notes.append(more)
    file_classes, class_notes = _read_file_classes(table, ctx)
    if any(map(itemgetter(1), groups)):  # a classification group row ("A. HỘ NGHÈO") above some rows
        file_classes = [cls or group_class for cls, (_village, group_class) in zip(file_classes, groups, strict=True)]
    computed, computed_notes = _standard_classes(ctx, "classification" in cells, areas, incomes, deprived, file_classes)
    results, result_notes = [None] * n, quiet
    if "expected_result" in cells:
        read = columns_of(table.per_value(checked("expected_result", parse_expected_result), "expected_result"), 2)
        results, result_notes = columns_of(list(map(_expected_result, *read, file_classes, computed)), 2)
    return _Assessments(incomes, deprived, lists["causes"], lists["needs"], lists["categories"], file_classes, computed,
                        results, joined(income_notes, deprived_notes, *list_notes, class_notes, computed_notes, result_notes))


def _standard_classes(ctx: ParseContext, has_column: bool, areas: list[str | None], incomes: list[int | None],
                      deprived: list[list[str] | None], file_classes: list[str | None]) -> tuple[list, list]:
    """:func:`_standard_class` of each row (two columns: classifications, notes). The classification
    is worked out once per distinct (area, income, count of indicators) (a few thousand in a list of
    20,000 households); only a row with something to say (no income, codes the standard refuses, or a
    file that says otherwise) goes through :func:`_standard_class`."""
    codes = list(map(tuple, deprived)) if None not in deprived else [() if d is None else tuple(d) for d in deprived]
    counts = {c: ctx.count_key(c) for c in dict.fromkeys(codes)}
    keys = list(zip(areas if all(areas) else [area or "rural" for area in areas], incomes, map(counts.__getitem__, codes),
                    strict=True))
    memo = {key: _class_only(ctx, *key) for key in dict.fromkeys(keys)}
    computed = list(map(memo.__getitem__, keys))
    notes: list[tuple[Note, ...]] = [QUIET] * len(keys)
    if None not in computed and computed == file_classes:  # the file agrees with the standard on every row
        return computed, notes
    for i in [i for i, (cls, file_class) in enumerate(zip(computed, file_classes, strict=True))
              if cls is None or (file_class and file_class != cls)]:
        computed[i], notes[i] = _standard_class(ctx, has_column, areas[i], incomes[i], deprived[i], file_classes[i])
    return computed, notes


def _class_only(ctx: ParseContext, area: str, income: int | None, counted: int | tuple[str, ...]) -> str | None:
    """The standard's classification, or None without an income or when the standard refuses the
    household's area, income or codes."""
    if income is None:
        return None
    try:
        return ctx.classified(area, income, counted)
    except StandardError:
        return None


def _standard_class(ctx: ParseContext, has_column: bool, area: str | None, income: int | None, deprived: list[str] | None,
                    file_class: str | None) -> tuple[str | None, tuple[Note, ...]]:
    """The standard's classification of a household (None without an income: the household is imported
    but not in the year's list unless the file classifies it); a file that says otherwise is kept, with
    a warning naming the column when there is one."""
    if income is None:
        if file_class is None:
            return None, ((None, f"Không có phân loại hay thu nhập: hộ được nhập nhưng chưa có trong danh sách năm "
                           f"{ctx.year}.", False, False),)
        return None, QUIET
    try:
        result = classify(ctx.cats.standard, area or "rural", income, list(deprived or ()))
    except StandardError as exc:
        return None, ((None, str(exc), True, False),)
    if file_class and file_class != result.classification:
        message = (f"Tệp ghi {CLASSIFICATION_LABELS[file_class]}, nhưng theo chuẩn {ctx.cats.standard.short_name} là "
                   f"{result.explanation[0].lower()}{result.explanation[1:]}; giữ phân loại trong tệp.")
        return result.classification, (("classification" if has_column else None, message, False, False),)
    return result.classification, QUIET


def _read_deprivations(table: Table, ctx: ParseContext) -> tuple[
        list[list[str] | None], list[dict[str, set[str]]], list[tuple[Note, ...]]]:
    """Indicator codes in the standard's order (or None), the item columns' ticks by kind, and the notes,
    of each row (three columns): codes listed in a cell and ticked in indicator columns together,
    checked against a count column."""
    cells = table.fields
    n = len(table)
    quiet = [QUIET] * n
    listed, listed_notes = (columns_of(table.per_value(partial(_codes_rule, ctx), "deprived_codes"), 2)
                            if "deprived_codes" in cells else ([None] * n, quiet))
    items = table.columns.items
    if not items:
        marks, mark_notes, ticked = [{}] * n, quiet, [None] * n
    else:  # once per distinct combination of ticks (a list has a few hundred): the marks, their notes, the codes
        keys = list(zip(*(table.cells(c) for _kind, _code, c in items), strict=True))
        read = {key: (*table.columns.marks(key), None) for key in dict.fromkeys(keys)}
        if "deprived_codes" not in cells:
            read = {key: (m, notes, tuple(ctx.in_order(m["indicator"])) if "indicator" in m else None)
                    for key, (m, notes, _none) in read.items()}
        marks, mark_notes, ticked = columns_of(list(map(read.__getitem__, keys)), 3)
    if "deprived_codes" not in cells:  # the ticked codes alone, a new list on each row
        deprived = (list(map(list, ticked)) if None not in ticked
                    else [None if codes is None else list(codes) for codes in ticked])
    else:
        deprived = [ctx.in_order(codes | m["indicator"] if codes is not None else m["indicator"]) if "indicator" in m
                    else (None if codes is None else ctx.in_order(codes)) for codes, m in zip(listed, marks, strict=True)]
    if "deprived_count" not in cells:
        return deprived, marks, joined(listed_notes, mark_notes)
    counts, count_notes = columns_of(table.per_value(_count_rule("deprived_count", "số chỉ số thiếu hụt", len(ctx.codes)),
                                                    "deprived_count"), 2)
    return deprived, marks, joined(listed_notes, mark_notes, count_notes, list(map(_count_mismatch, counts, deprived)))


def _count_mismatch(count: int | None, deprived: list[str] | None) -> tuple[Note, ...]:
    """A count of deprivations that the listed ones contradict (the listed ones are used), or that lists none."""
    if count is not None and deprived is not None and count != len(deprived):
        listed = ", ".join(deprived) or "không có chỉ số nào"
        return (("deprived_count", f"Ghi {count} chỉ số thiếu hụt, nhưng các cột chỉ số liệt kê {len(deprived)} "
                 f"({listed}); dùng các chỉ số được liệt kê.", False, True),)
    if count and deprived is None:
        return (("deprived_count", f"Tệp chỉ ghi số chỉ số thiếu hụt ({count}), không ghi là những chỉ số nào; hãy "
                 "bổ sung các chỉ số trong hồ sơ hộ.", False, True),)
    return QUIET


def _read_list(cells: list[tuple[list[str], tuple[Note, ...]]] | None, kind: str, items: dict[str, str],
               marks: list[dict[str, set[str]]]) -> list[list]:
    """A catalogue list on each row, and the notes (two columns): see :func:`_joined_list`. Without a
    tick column of its kind, the list is its cell's (a new list on each row), or None without a cell."""
    if any(map(dict.__contains__, marks, repeat(kind))):
        return columns_of([_joined_list(c, kind, items, m) for c, m in zip(cells or [None] * len(marks), marks, strict=True)], 2)
    if cells is None:
        return [[None] * len(marks), [QUIET] * len(marks)]
    found, notes = columns_of(cells, 2)
    return [list(map(list, found)), notes]


def _joined_list(
    cell: tuple[list[str], tuple[Note, ...]] | None, kind: str, items: dict[str, str], marks: dict[str, set[str]],
) -> tuple[list[str] | None, tuple[Note, ...]]:
    """A catalogue list (causes, needs, categories): entries named in its cell, then those ticked in its
    item columns; None when the file has neither."""
    if cell is None and kind not in marks:
        return None, QUIET
    found, notes = cell if cell is not None else ([], QUIET)
    marked = marks.get(kind)
    if not marked:
        return list(found), notes
    return found + [code for code in items if code in marked and code not in found], notes


_CLASS_MARKS = (("mark_poor", "poor"), ("mark_near_poor", "near_poor"), ("mark_average", "average"))


def _read_file_classes(table: Table, ctx: ParseContext) -> list[list]:
    """The classification the file gives on each row, and the notes (two columns): a classification
    column, else tick columns (one per kind of household), else none."""
    cells = table.fields
    if "classification" in cells:
        return columns_of(table.per_value(checked("classification", parse_classification), "classification"), 2)
    if not cells.keys() & {f for f, _cls in _CLASS_MARKS}:
        return [[None] * len(table), [QUIET] * len(table)]
    return columns_of([_marked_class(cells, row, ctx)
                     for row in zip(*(table.get(f) for f, _cls in _CLASS_MARKS), strict=True)], 2)


def _marked_class(cells: dict[str, list[int]], values: tuple[object, ...],
                  ctx: ParseContext) -> tuple[str | None, tuple[Note, ...]]:
    """The kind of household ticked on one row; two kinds ticked is an error."""
    marked = []
    notes: tuple[Note, ...] = QUIET
    for (f, cls), value in zip(_CLASS_MARKS, values, strict=True):
        if f in cells:
            try:
                if ctx.parsed(parse_mark, value):
                    marked.append((f, cls))
            except ValueProblem as exc:
                notes += ((f, str(exc), True, True),)
    if len(marked) > 1:
        return None, notes + ((marked[1][0], "Đánh dấu nhiều loại hộ cùng lúc (nghèo, cận nghèo…).", True, True),)
    return (marked[0][1] if marked else None), notes


def _expected_result(result: str | None, notes: tuple[Note, ...], file_class: str | None,
                     computed: str | None) -> tuple[str | None, tuple[Note, ...]]:
    """The plan's expected result, which must suit the household's classification (the file's, else the
    standard's)."""
    classification = file_class or computed
    if result is None or result in RESULTS_FOR_CLASSIFICATION.get(classification or "", ("",)):
        return result, notes
    cls = CLASSIFICATION_LABELS.get(classification or "", "chưa phân loại")
    return None, notes + (("expected_result", f"Kết quả dự kiến '{EXPECTED_RESULT_LABELS[result]}' không phù hợp với "
                           f"phân loại '{cls}'.", True, True),)


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
    """The same household twice in the file, or one CCCD for two people, is an error on the later row
    (a household found twice is not looked at for its CCCDs). The CCCDs are looked at household by
    household only when two are alike or a household has members."""
    heads = list(map(_HOUSEHOLD, households))  # the fields compared, read in C
    names = list(map(_HEAD_NAME, heads))
    if not all(names):  # a row without a name is an error already
        households, heads = list(compress(households, names)), list(compress(heads, names))
    _same_households(households, heads)
    if any(map(_MEMBERS, heads)) or _repeated(list(map(_HEAD_CCCD, heads))):
        _shared_cccds([ph for ph in households if ph.valid])


_HOUSEHOLD = attrgetter("household")
_CODE = attrgetter("code")
_HEAD_NAME = attrgetter("head_name")
_HEAD_CCCD = attrgetter("head_cccd")
_MEMBERS = attrgetter("members")


def _repeated(cccds: list[str]) -> bool:
    """Whether a 12-digit CCCD is there twice (seen at once when no two are alike)."""
    if len(set(cccds)) == len(cccds):
        return False
    given = [cccd for cccd in cccds if len(cccd) == 12]
    return len(set(given)) != len(given)


def _same_households(named: list[ParsedHousehold], heads: list[Household]) -> None:
    """Rows that are a household of an earlier row (:class:`HouseholdIndex`; ``heads``: their households).
    When every row has its own mã hộ, no two can be the same (two different mã hộ never are), and the
    index is not built."""
    codes = set(map(_CODE, heads))
    if len(codes) == len(named) and "" not in codes:
        return
    seen = HouseholdIndex()
    for ph in named:
        keys = household_keys(ph.household, ph.village)
        first, kind = seen.find(keys)
        if first is not None:
            ph.problems.append(Problem(ph.row, "", f"Trùng hộ ở dòng {first} ({_KEY_WORDS[kind]} giống nhau).", True))
        else:
            seen.add(ph.row, keys)


def _shared_cccds(households: list[ParsedHousehold]) -> None:
    """A CCCD given to two people, in two households or in one."""
    people: dict[str, int] = {}
    for ph in households:
        h = ph.household
        for cccd in [h.head_cccd, *[m.cccd for m in h.members]] if h.members else (h.head_cccd,):
            if not cccd or len(cccd) != 12:
                continue
            if cccd in people and people[cccd] != ph.row:
                ph.problems.append(Problem(ph.row, "", f"Số CCCD {cccd} đã có ở hộ dòng {people[cccd]}.", True))
            elif cccd in people:
                ph.problems.append(Problem(ph.row, "", f"Số CCCD {cccd} ghi cho hai người trong cùng hộ.", True))
            people[cccd] = ph.row

