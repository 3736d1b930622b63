"""The support-plan sheets of an exported workbook: plan items and helpers, written and read back.

The household sheet carries each household's expected result (``Kết quả dự kiến``); two more
sheets carry the rest of the year's plan: ``Kế hoạch hỗ trợ`` (one row per plan item) and
``Người giúp đỡ`` (one row per helper and household helped; a helper helping nobody that year
has a row of its own without a household). Rows name their household by ``Mã hộ``, else by head
name + village. The importer recognises these sheets by their headers, whatever they are called,
so an official may also fill them in by hand.

Reading here touches no database: catalogues come in as :class:`PlanCatalogs`, and problems are
reported like the household sheet's, with the sheet name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from gnbv_desktop.core.excel_columns import header_key
from gnbv_desktop.core.excel_values import ValueProblem, fold, is_blank, parse_day, parse_money, text_of
from gnbv_desktop.core.limits import MAX_NAME_CHARS, MAX_NOTE_CHARS, MAX_TEXT_CHARS
from gnbv_desktop.core.plans import (
    HELPER_KIND_LABELS,
    ORGANISATION,
    PERSON,
    PLANNED,
    STATUS_LABELS,
    Helper,
    PlanItem,
    validate_helper,
    validate_plan_item,
)
from gnbv_desktop.core.text import clean as _clean_text
from gnbv_desktop.core.text import format_number, is_digits
from gnbv_desktop.io.excel_export import ExportColumn
from gnbv_desktop.io.excel_parser import ParsedHousehold, Problem
from gnbv_desktop.io.excel_reader import SheetData, column_letter, read_sheets_where

PLAN_SHEET = "Kế hoạch hỗ trợ"
HELPER_SHEET = "Người giúp đỡ"
HEADER_SCAN_ROWS = 15

# field, header, width — the order the sheets are written in
PLAN_LAYOUT: list[tuple[str, str, int]] = [
    ("no", "STT", 6),
    ("code", "Mã hộ", 9),
    ("head_name", "Họ và tên chủ hộ", 24),
    ("village", "Thôn", 14),
    ("measure", "Giải pháp hỗ trợ", 30),
    ("content", "Nội dung hỗ trợ", 30),
    ("expected_amount", "Kinh phí dự kiến (đồng)", 14),
    ("funding_source", "Nguồn kinh phí", 20),
    ("lead_organisation", "Đơn vị chủ trì", 22),
    ("planned_time", "Thời gian thực hiện", 12),
    ("status", "Trạng thái", 14),
    ("actual_amount", "Kinh phí đã thực hiện (đồng)", 14),
    ("actual_date", "Ngày thực hiện", 12),
    ("result", "Kết quả", 24),
]
HELPER_LAYOUT: list[tuple[str, str, int]] = [
    ("no", "STT", 6),
    ("code", "Mã hộ", 9),
    ("head_name", "Họ và tên chủ hộ", 24),
    ("village", "Thôn", 14),
    ("helper", "Người/tổ chức giúp đỡ", 30),
    ("kind", "Loại", 16),
    ("position", "Chức vụ", 22),
    ("organisation", "Đơn vị công tác", 24),
    ("phone", "Điện thoại liên hệ", 13),
    ("note", "Ghi chú", 18),
]
_PLAN_REQUIRED = {"measure"}
_HELPER_REQUIRED = {"helper"}
_ALIASES = {
    "measure": ("Giải pháp", "Biện pháp hỗ trợ", "Nội dung giải pháp"),
    "content": ("Nội dung",),
    "expected_amount": ("Kinh phí dự kiến", "Kinh phí"),
    "actual_amount": ("Kinh phí đã thực hiện", "Kinh phí thực hiện", "Kinh phí thực tế"),
    "planned_time": ("Thời gian dự kiến", "Thời gian"),
    "actual_date": ("Ngày hoàn thành",),
    "helper": ("Người giúp đỡ", "Tổ chức giúp đỡ", "Người, tổ chức giúp đỡ", "Tên người/tổ chức giúp đỡ"),
    "kind": ("Loại người giúp đỡ", "Cá nhân/tổ chức"),
    "organisation": ("Đơn vị", "Cơ quan, đơn vị"),
    "phone": ("Điện thoại", "Số điện thoại"),
}
_KIND_WORDS = {
    "to chuc": ORGANISATION, "to chuc doan the": ORGANISATION, "doan the": ORGANISATION, "co quan": ORGANISATION,
    "doanh nghiep": ORGANISATION, "ca nhan": PERSON, "nguoi": PERSON, "can bo": PERSON,
}


clean = _clean_text  # core.text.clean, which remembers short texts: plan sheets repeat the same few


def _text(value: object) -> str:
    """A cell as text (numbers without Excel's ``.0``)."""
    return clean(value) if isinstance(value, str) or value is None else text_of(value)


_STATUS_BY_KEY = {fold(label): code for code, label in STATUS_LABELS.items()}


def layout_columns(layout: list[tuple[str, str, int]]) -> list[ExportColumn]:
    """Export columns reading each field from a row dict."""
    return [ExportColumn(header, width, _getter(f)) for f, header, width in layout]


def _getter(f: str) -> Callable[[dict], object]:
    return lambda row: row.get(f)


@dataclass(frozen=True)
class PlanCatalogs:
    """The commune's support measures and funding sources: code → (name, short name)."""

    measures: dict[str, tuple[str, str]]
    funding: dict[str, tuple[str, str]]

    @cached_property
    def _keys(self) -> tuple[dict[str, str], dict[str, str]]:
        return _keys_of(self.measures), _keys_of(self.funding)

    def measure_code(self, value: object) -> str:
        return _lookup(value, self._keys[0], "giải pháp", "danh mục giải pháp hỗ trợ")

    def funding_code(self, value: object) -> str:
        return _lookup(value, self._keys[1], "nguồn kinh phí", "danh mục nguồn kinh phí")


def _keys_of(items: dict[str, tuple[str, str]]) -> dict[str, str]:
    """Folded code, name and short name → code (a name wins over another entry's code)."""
    out = {fold(code): code for code in items}
    for code, names in items.items():
        out.update({fold(n): code for n in names if n})
    return out


def _lookup(value: object, keys: dict[str, str], what: str, catalogue: str) -> str:
    code = keys.get(fold(clean(value)))
    if code is None:
        raise ValueProblem(f"Không có {what} '{clean(value)}' trong {catalogue}.")
    return code


@dataclass
class PlanSheetRow:
    """One row of a plan item or helper sheet, with the household it names."""

    sheet: str
    row: int
    code: str
    head_name: str
    village: str
    problems: list[Problem] = field(default_factory=list)
    item: PlanItem | None = None
    helper: Helper | None = None

    @property
    def names_household(self) -> bool:
        return bool(self.code or self.head_name)


@dataclass
class PlanSheets:
    """What the plan sheets of a workbook hold; ``None`` where the workbook has no such sheet."""

    items: list[PlanSheetRow] | None = None
    helpers: list[PlanSheetRow] | None = None
    item_sheet: str = ""
    helper_sheet: str = ""


def _header_fields(values: list[object], layout: list[tuple[str, str, int]]) -> dict[int, str]:
    keys: dict[str, str] = {}
    for f, header, _ in layout:
        keys[header_key(header)] = f
        for alias in _ALIASES.get(f, ()):
            keys.setdefault(header_key(alias), f)
    out: dict[int, str] = {}
    for c, v in enumerate(values):
        f = keys.get(header_key(text_of(v))) if isinstance(v, str) else None
        if f and f not in out.values():
            out[c] = f
    return out


def find_plan_header(data: SheetData) -> tuple[str, int, dict[int, str]] | None:
    """(``"items"`` or ``"helpers"``, header row index, column → field) if the sheet is a plan sheet."""
    for r, values in enumerate(data.rows[:HEADER_SCAN_ROWS]):
        for kind, layout, required in (("items", PLAN_LAYOUT, _PLAN_REQUIRED),
                                       ("helpers", HELPER_LAYOUT, _HELPER_REQUIRED)):
            cols = _header_fields(values, layout)
            if required <= set(cols.values()) and len(cols) >= 3:
                return kind, r, cols
    return None


def read_plan_sheets(path: str | Path, sheets: list[str], household_sheet: str, cats: PlanCatalogs) -> PlanSheets:
    """Find and read the plan item and helper sheets among the workbook's other sheets."""
    out = PlanSheets()
    others = [n for n in sheets if n != household_sheet]
    for (kind, header_row, cols), data in read_sheets_where(path, others, HEADER_SCAN_ROWS, find_plan_header):
        if (out.items if kind == "items" else out.helpers) is not None:
            continue  # only the first sheet of each kind is read
        name = data.name
        rows = _sheet_rows(data, header_row, cols, data.rows[header_row])
        if kind == "items":
            memo: dict[tuple, tuple[PlanItem, list[tuple[str, str, bool]]]] = {}
            out.items = [_item_row(name, n, cells, where, cats, memo) for n, cells, where in rows]
            out.item_sheet = name
        else:
            out.helpers, out.helper_sheet = [_helper_row(name, n, cells, where) for n, cells, where in rows], name
    return out


_Where = Callable[[str], str]
# Longest text a cell may hold (core.limits, the bounds the sync schema uses too): a plan item's
# content or result and a note are a sentence or two, a helper's name a name, the rest short text.
_CELL_LIMITS = {"content": MAX_NOTE_CHARS, "result": MAX_NOTE_CHARS, "note": MAX_NOTE_CHARS,
                "helper": MAX_NAME_CHARS, "head_name": MAX_NAME_CHARS, "village": MAX_NAME_CHARS,
                "position": MAX_NAME_CHARS, "organisation": MAX_NAME_CHARS}


def _cell_limit(f: str) -> int:
    return _CELL_LIMITS.get(f, MAX_TEXT_CHARS)


_TOO_LONG = "_too_long"  # key of the over-long cells' lengths in a row's cells


def _sheet_rows(data: SheetData, header_row: int, cols: dict[int, str], header: list[object]):
    """(Excel row number, field → value, field → ``C (header)``) of each non-blank row under the header."""
    where_of = {f: f"{column_letter(c)} ({text_of(header[c])})" for c, f in cols.items()}
    for r in range(header_row + 1, len(data.rows)):
        values = data.rows[r]
        cells = {f: values[c] if c < len(values) else None for c, f in cols.items()}
        if all(is_blank(v) for f, v in cells.items() if f != "no"):
            continue
        long = {f: len(v) for f, v in cells.items() if isinstance(v, str) and len(v) > _cell_limit(f)}
        for f in long:
            cells[f] = None  # never carried into the database (or the next sync package)
        cells[_TOO_LONG] = long
        yield r + 1, cells, where_of.get


def _identity(sheet: str, number: int, cells: dict[str, object], where: _Where, error: bool) -> PlanSheetRow:
    out = PlanSheetRow(sheet, number, _text(cells.get("code")), clean(cells.get("head_name")),
                       clean(cells.get("village")))
    for f, length in cells.get(_TOO_LONG, {}).items():
        out.problems.append(Problem(number, where(f) or "", f"Ô dài {format_number(length)} ký tự, quá giới hạn "
                                    f"{format_number(_cell_limit(f))} ký tự; hãy rút gọn.", error, sheet=sheet))
    return out


_IDENTITY_CELLS = {"no", "code", "head_name", "village", _TOO_LONG}


def _item_row(sheet: str, number: int, cells: dict[str, object], where: _Where, cats: PlanCatalogs,
              memo: dict[tuple, tuple[PlanItem, list[tuple[str, str, bool]]]]) -> PlanSheetRow:
    """The row's household and plan item. The item is read once per distinct set of item cells in
    the sheet (``memo``): a plan sheet repeats the same measures, amounts, sources and statuses, and
    only the household differs from row to row."""
    out = _identity(sheet, number, cells, where, error=True)
    key = (bool(out.problems), tuple((f, type(v), v) for f, v in cells.items() if f not in _IDENTITY_CELLS))
    hit = memo.get(key)
    if hit is None:
        first = len(out.problems)
        item = _read_item(cells, cats, out.problems, lambda f, message: out.problems.append(
            Problem(number, where(f) or "", message, True, sheet=sheet)))
        hit = memo[key] = (item, [(p.column, p.message, p.error) for p in out.problems[first:]])
    else:
        out.problems += [Problem(number, column, message, error, sheet=sheet) for column, message, error in hit[1]]
    out.item = replace(hit[0])  # each household its own item
    return out


def _read_item(cells: dict[str, object], cats: PlanCatalogs, problems: list[Problem],
               problem: Callable[[str, str], None]) -> PlanItem:
    """The plan item of a row's cells; what cannot be read goes to ``problem(field, message)``, and the
    item's own rules are checked when the row (``problems``) has no problem yet."""
    item = PlanItem(measure_code="", content=clean(cells.get("content")),
                    lead_organisation=clean(cells.get("lead_organisation")),
                    planned_time=_text(cells.get("planned_time")), result=clean(cells.get("result")))
    if is_blank(cells.get("measure")):
        problem("measure", "Thiếu giải pháp hỗ trợ.")
    else:
        try:
            item.measure_code = cats.measure_code(cells["measure"])
        except ValueProblem as exc:
            problem("measure", str(exc))
    if not is_blank(cells.get("funding_source")):
        try:
            item.funding_source = cats.funding_code(cells["funding_source"])
        except ValueProblem as exc:
            problem("funding_source", str(exc))
    status = fold(clean(cells.get("status")))
    if status and status not in _STATUS_BY_KEY:
        problem("status", f"Không nhận ra trạng thái '{clean(cells.get('status'))}' "
                          f"(ghi: {', '.join(STATUS_LABELS.values())}).")
    item.status = _STATUS_BY_KEY.get(status, PLANNED)
    for f in ("expected_amount", "actual_amount"):
        try:
            setattr(item, f, parse_money(cells.get(f)))
        except ValueProblem as exc:
            problem(f, str(exc))
    try:
        item.actual_date = parse_day(cells.get("actual_date"), "Ngày thực hiện")
    except ValueProblem as exc:
        problem("actual_date", str(exc))
    if not problems:
        for f, message in validate_plan_item(item, set(cats.measures), set(cats.funding)).items():
            problem(f, message)
    return item


def _helper_row(sheet: str, number: int, cells: dict[str, object], where: _Where) -> PlanSheetRow:
    """A helper row never makes a household invalid: what cannot be read is left out with a warning."""
    out = _identity(sheet, number, cells, where, error=False)

    def warn(f: str, message: str) -> None:
        out.problems.append(Problem(number, where(f) or "", message, False, sheet=sheet))

    kind_text = clean(cells.get("kind"))
    kind = _KIND_WORDS.get(" ".join(fold(kind_text).replace(",", " ").split()), "")
    if kind_text and not kind:
        warn("kind", f"Không nhận ra loại '{kind_text}' (ghi: {', '.join(HELPER_KIND_LABELS.values())}).")
    h = Helper(name=clean(cells.get("helper")), kind=kind or ORGANISATION, position=clean(cells.get("position")),
               organisation=clean(cells.get("organisation")), phone=_text(cells.get("phone")),
               note=clean(cells.get("note")))
    if is_digits(h.phone) and len(h.phone) == 9:
        h.phone = "0" + h.phone  # a number cell drops the leading zero of 09…
    errors = validate_helper(h)
    if "phone" in errors:
        warn("phone", errors["phone"] + " Bỏ qua số điện thoại này.")
        h.phone = ""
    if not h.name:
        if out.names_household:
            warn("helper", "Thiếu tên người/tổ chức giúp đỡ; bỏ qua dòng này.")
        return out
    if not kind:
        h.kind = ""  # the file does not say: matched by name alone
    out.helper = h
    return out


def helper_key(h: Helper) -> tuple[str, str]:
    """Helpers are the same when their names agree ignoring case and spacing, and their kinds too."""
    return clean(h.name).lower(), h.kind


@dataclass
class AttachedPlans:
    """The file's helpers (each once) and the rows that named no household of the file."""

    helpers: list[Helper]
    problems: list[Problem]
    item_count: int = 0
    assignment_count: int = 0


def attach_plans(households: list[ParsedHousehold], sheets: PlanSheets) -> AttachedPlans:
    """Give each household its plan items and helper keys from the plan sheets.

    A row's problems go to its household (an error in a plan item makes the household invalid);
    a row naming no household of the household sheet is left out with a warning.
    """
    if sheets.items is None and sheets.helpers is None:
        return AttachedPlans([], [])  # an official's own list: no plan sheets, nothing to attach
    by_code: dict[str, ParsedHousehold] = {}
    by_person: dict[tuple[str, str], ParsedHousehold | None] = {}
    for ph in households:
        if ph.household.code:
            by_code.setdefault(ph.household.code, ph)
        key = (fold(ph.household.head_name), fold(ph.village))
        by_person[key] = None if key in by_person else ph
        if sheets.items is not None:
            ph.plan_items = []
        if sheets.helpers is not None:
            ph.helper_keys = []
    out = AttachedPlans([], [])

    def household_of(row: PlanSheetRow) -> ParsedHousehold | None:
        if row.code:
            found = by_code.get(row.code)
            if found is None:
                _orphan(out, row, f"Không có hộ mã {row.code} trong trang danh sách hộ; bỏ qua dòng này.")
            return found
        found = by_person.get((fold(row.head_name), fold(row.village)))
        if found is None:
            village = f" ở {row.village}" if row.village else ""
            _orphan(out, row, f"Không tìm thấy đúng một hộ chủ hộ '{row.head_name}'{village} trong trang danh sách "
                              "hộ; bỏ qua dòng này.")
        return found

    for row in sheets.items or []:
        ph = household_of(row) if row.names_household else None
        if ph is None:
            if not row.names_household:
                _orphan(out, row, "Dòng kế hoạch không ghi mã hộ hay họ tên chủ hộ; bỏ qua dòng này.")
            continue
        ph.problems.extend(row.problems)
        if row.item is not None:
            ph.plan_items.append(row.item)
            out.item_count += 1
    helpers = _unique_helpers([r for r in sheets.helpers or [] if r.helper is not None], out.problems)
    out.helpers = list(helpers.values())
    for row in sheets.helpers or []:
        ph = household_of(row) if row.names_household else None
        if ph is None and row.names_household:
            continue
        target = ph.problems if ph is not None else out.problems
        target.extend(row.problems)
        if ph is None or row.helper is None:
            continue
        key = _resolved_key(row.helper, helpers)
        if key not in ph.helper_keys:
            ph.helper_keys.append(key)
            out.assignment_count += 1
    return out


def _orphan(out: AttachedPlans, row: PlanSheetRow, message: str) -> None:
    out.problems.append(Problem(row.row, "", message, False, sheet=row.sheet))


def _resolved_key(h: Helper, helpers: dict[tuple[str, str], Helper]) -> tuple[str, str]:
    """A row without a kind means the helper of that name another row gives a kind, if there is one."""
    key = helper_key(h)
    if h.kind:
        return key
    typed = [k for k in helpers if k[0] == key[0] and k[1]]
    return typed[0] if typed else key


_DETAIL_WORDS = {"position": "chức vụ", "organisation": "đơn vị công tác", "phone": "điện thoại", "note": "ghi chú"}


def _unique_helpers(rows: list[PlanSheetRow], problems: list[Problem]) -> dict[tuple[str, str], Helper]:
    """One helper per key; a detail missing on its first row is taken from a later one, and rows
    that disagree on a detail get a warning (the first row's value is kept)."""
    out: dict[tuple[str, str], Helper] = {}
    source: dict[tuple[tuple[str, str], str], int] = {}  # (key, detail) → row the value came from
    for row in rows:
        h = row.helper
        key = helper_key(h)
        if not h.kind and any(k[0] == key[0] and k[1] for k in out):
            continue
        first = out.setdefault(key, Helper(name=h.name, kind=h.kind))
        for f, word in _DETAIL_WORDS.items():
            value, kept = getattr(h, f), getattr(first, f)
            if value and not kept:
                setattr(first, f, value)
                source[key, f] = row.row
            elif value and value != kept:
                problems.append(Problem(row.row, "", f"{word.capitalize()} của '{h.name}' ghi '{value}', khác dòng "
                                        f"{source[key, f]} ('{kept}'); dùng giá trị ở dòng {source[key, f]}.",
                                        False, sheet=row.sheet))
    # a name written once without a kind and elsewhere with one is the typed helper
    for key in [k for k in out if not k[1]]:
        if any(k[0] == key[0] and k[1] for k in out):
            del out[key]
    return out
