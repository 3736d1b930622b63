"""The schema of a sync package's contents: the manifest and every synced table's records.

A package comes from outside and is hostile until checked. Every value is checked here — type,
range, length, characters — before the aggregate writes anything: integers inside SQLite's 64-bit
range, years inside the app's range, finite numbers, codes by pattern, names bounded and free of
control characters, UUIDs canonical, no unknown fields. Problems are Vietnamese sentences naming
the field; the caller adds file, table and line.

A table's columns come from the receiving database (``PRAGMA table_info``, see
``store.sync_columns``) so a column added by a migration travels without touching this module;
what a column may hold beyond its SQL type is refined here by name, in one place. Text lengths come
from ``core.limits``, the bounds every local entry path uses too: what a commune could record, the
upper level accepts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import orjson

from gnbv_desktop.core.classifications import CLASSIFICATIONS
from gnbv_desktop.core.limits import FIRST_YEAR, LAST_YEAR, MAX_LONG_TEXT_CHARS, MAX_NAME_CHARS, MAX_RESIDENTS, MAX_TEXT_CHARS
from gnbv_desktop.core.review import NEW_STANDARD, PENDING, TRANSITIONS

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
YEAR_MIN, YEAR_MAX = FIRST_YEAR, LAST_YEAR
BIRTH_YEAR_MIN = 1880
MAX_MONEY = 10**15
MAX_REAL = 1e12
# A record is edited once per save: a counter beyond a billion is forged, and a forged huge one
# would make that copy win every later merge ("pinned forever").
MAX_CHANGE_COUNTER = 10**9
MAX_SEQUENCE = 10**9
MAX_RECORDS_PER_TABLE = 10**7
MAX_LIST_ITEMS = 100
MAX_ATTACHMENTS = 4

UUID_PATTERN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_UUID_MATCH = UUID_PATTERN.fullmatch
COMMUNE_CODE_PATTERN = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]{0,19}")
# The one kind of attachment the app writes: the year's summary workbook (Bảng tổng hợp).
SUMMARY_ATTACHMENT = re.compile(r"tong-hop-(\d{4})\.xlsx")
# C0/C1 controls, zero-width and bidirectional overrides, BOM, non-characters: never in a name.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufffe\uffff]")
# Long texts (notes) may hold line breaks and tabs, nothing else of the above.
_CONTROL_MULTILINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069"
                                "\ufeff\ufffe\uffff]")

BOOKKEEPING = ("uuid", "created_at", "updated_at", "change_counter", "deleted")
# Columns that stay local (row id, the commune's revision clock) and never travel.
LOCAL_COLUMNS = ("id", "rev")

_NAME_COLUMNS = {"name", "head_name", "full_name"}
_LONG_TEXT_COLUMNS = {"note", "content", "result", "expected_result", "address"}
_JSON_LIST_COLUMNS = {"categories", "deprived", "causes", "needs", "target_groups"}
_MONEY_COLUMNS = {"income", "expected_amount", "actual_amount"}
# Counts of a commune's resident households and people (Hộ dân cư): never negative, never more
# than a commune can hold.
_COUNT_COLUMNS = {"households": MAX_RESIDENTS, "people": 10 * MAX_RESIDENTS}  # as store.residents accepts
# "" : carried across a change of standard and not yet classified (see jobs.carry_forward).
_CLASSIFICATION_OR_NONE = frozenset((*CLASSIFICATIONS, ""))
_ENUMS: dict[tuple[str, str], frozenset[str]] = {
    ("villages", "area"): frozenset({"rural", "urban"}),
    ("assessments", "area"): frozenset({"rural", "urban"}),
    ("assessments", "classification"): _CLASSIFICATION_OR_NONE,
    ("assessments", "review_status"): frozenset({"", PENDING, NEW_STANDARD}),
    ("transitions", "kind"): frozenset(TRANSITIONS),
    ("transitions", "from_classification"): _CLASSIFICATION_OR_NONE,
    ("transitions", "to_classification"): _CLASSIFICATION_OR_NONE,
    ("helpers", "kind"): frozenset({"organisation", "person"}),
    ("plan_items", "status"): frozenset({"planned", "in_progress", "done", "cancelled"}),
}


@dataclass(frozen=True)
class ColumnInfo:
    """A column of the receiving database's table, as ``PRAGMA table_info`` describes it."""

    name: str
    sql_type: str
    not_null: bool
    has_default: bool


Check = Callable[[object], str]  # "" when the value is acceptable, else what is wrong


# ---- single values ----------------------------------------------------------------------------------
def is_int(v: object) -> bool:
    return type(v) is int


def int_problem(v: object, low: int = INT64_MIN, high: int = INT64_MAX) -> str:
    if type(v) is not int:
        return "phải là số nguyên."
    if not low <= v <= high:
        return f"phải nằm trong khoảng {low}…{high} (đang là {_short(str(v))})."
    return ""


def text_problem(v: object, *, max_chars: int = MAX_TEXT_CHARS, multiline: bool = False, blank_ok: bool = True) -> str:
    if type(v) is not str:
        return "phải là chuỗi ký tự."
    if len(v) > max_chars:
        return f"dài {len(v)} ký tự, tối đa {max_chars}."
    bad = (_CONTROL_MULTILINE if multiline else _CONTROL).search(v)
    if bad:
        return f"chứa ký tự điều khiển không được phép (U+{ord(bad.group()):04X})."
    if not blank_ok and not v.strip():
        return "không được để trống."
    return ""


def timestamp_problem(v: object) -> str:
    problem = text_problem(v, max_chars=40, blank_ok=False)
    if problem:
        return problem
    try:
        year = datetime.fromisoformat(v).year
    except ValueError:
        return f"không phải thời điểm hợp lệ ({_short(v)})."
    if not YEAR_MIN <= year <= YEAR_MAX:
        return f"năm {year} nằm ngoài khoảng {YEAR_MIN}–{YEAR_MAX}."
    return ""


def _in_range_timestamp(v: str) -> bool:
    try:
        return YEAR_MIN <= datetime.fromisoformat(v).year <= YEAR_MAX
    except ValueError:
        return False


def uuid_problem(v: object) -> str:
    if type(v) is not str or not UUID_PATTERN.fullmatch(v):
        return f"không phải mã định danh UUID chuẩn (chữ thường, dạng 8-4-4-4-12): {_short(repr(v))}."
    return ""


def commune_code_problem(v: object) -> str:
    if type(v) is not str or not COMMUNE_CODE_PATTERN.fullmatch(v):
        return (f"mã xã {_short(repr(v))} không hợp lệ (chỉ chữ số, chữ cái không dấu, '-' hoặc '_', "
                "tối đa 20 ký tự).")
    return ""


def display(v: object, limit: int = 60) -> str:
    """A value from outside as it may be shown in a message: no control characters, bounded."""
    text = _CONTROL.sub("\ufffd", str(v))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _short(v: str) -> str:
    return display(v, 40)


# ---- columns ---------------------------------------------------------------------------------------
# How a field is checked. The common kinds are tested inline by ``RecordSchema.problem`` (it runs
# for every field of hundreds of thousands of records); the message always comes from ``check``.
TEXT, INTEGER, UUID, TIMESTAMP, OTHER = range(5)


@dataclass(frozen=True)
class Rule:
    kind: int
    check: Check  # the complete check, giving the message
    nullable: bool = False
    low: int = 0
    high: int = 0  # integers: the range; text: the maximum length
    blank_ok: bool = True
    multiline: bool = False


def _enum(values: frozenset[str]) -> Check:
    allowed = ", ".join(sorted(values))
    return lambda v: "" if type(v) is str and v in values else f"phải là một trong: {allowed}."


def _json_list(v: object) -> str:
    problem = text_problem(v, max_chars=MAX_LONG_TEXT_CHARS)
    if problem or v == "[]":
        return problem
    try:
        items = orjson.loads(v)
    except orjson.JSONDecodeError:
        return "phải là danh sách JSON."
    if type(items) is not list or len(items) > MAX_LIST_ITEMS:
        return f"phải là danh sách JSON tối đa {MAX_LIST_ITEMS} mục."
    for item in items:
        problem = text_problem(item, max_chars=100, blank_ok=False)
        if problem:
            return f"có mục {problem}"
    return ""


def _real(v: object) -> str:
    if type(v) not in (int, float) or not math.isfinite(v):
        return "phải là một số hữu hạn."
    if abs(v) > MAX_REAL:
        return f"quá lớn (tối đa {MAX_REAL:.0e})."
    return ""


def _text_rule(max_chars: int = MAX_TEXT_CHARS, *, multiline: bool = False, blank_ok: bool = True,
               nullable: bool = False) -> Rule:
    return Rule(TEXT, lambda v: text_problem(v, max_chars=max_chars, multiline=multiline, blank_ok=blank_ok),
                nullable, high=max_chars, blank_ok=blank_ok, multiline=multiline)


def _int_rule(low: int, high: int, nullable: bool = False) -> Rule:
    return Rule(INTEGER, lambda v: int_problem(v, low, high), nullable, low, high)


def column_rule(table: str, column: ColumnInfo) -> Rule:
    """What a value of ``column`` in a package may be."""
    name, sql_type, nullable = column.name, column.sql_type.upper(), not column.not_null
    if (table, name) in _ENUMS:
        return Rule(OTHER, _enum(_ENUMS[(table, name)]), nullable)
    if "INT" in sql_type:
        if name == "year":
            return _int_rule(YEAR_MIN, YEAR_MAX, nullable)
        if name.endswith("birth_year"):
            return _int_rule(BIRTH_YEAR_MIN, YEAR_MAX, nullable)
        if name in _MONEY_COLUMNS:
            return _int_rule(0, MAX_MONEY, nullable)
        if name in _COUNT_COLUMNS:
            return _int_rule(0, _COUNT_COLUMNS[name], nullable)
        return _int_rule(INT64_MIN, INT64_MAX, nullable)
    if "REAL" in sql_type or "FLOA" in sql_type or "DOUB" in sql_type:
        return Rule(OTHER, _real, nullable)
    if name in _JSON_LIST_COLUMNS:
        return Rule(OTHER, _json_list, nullable)
    if name in _NAME_COLUMNS:
        return _text_rule(MAX_NAME_CHARS, blank_ok=False, nullable=nullable)
    if name in _LONG_TEXT_COLUMNS:
        return _text_rule(MAX_LONG_TEXT_CHARS, multiline=True, nullable=nullable)
    return _text_rule(nullable=nullable)


def _uuid_rule(nullable: bool = False) -> Rule:
    return Rule(UUID, uuid_problem, nullable)


_BOOKKEEPING_RULES: dict[str, Rule] = {
    "uuid": _uuid_rule(),
    "created_at": Rule(TIMESTAMP, timestamp_problem),
    "updated_at": Rule(TIMESTAMP, timestamp_problem),
    "change_counter": _int_rule(1, MAX_CHANGE_COUNTER),
    "deleted": _int_rule(0, 1),
}


@dataclass
class RecordSchema:
    """What one synced table's records may carry: field → rule; which must be present; references."""

    table: str
    rules: dict[str, Rule]
    required: frozenset[str]
    references: dict[str, str]  # package field (``household_uuid``) → referenced table
    tombstone_fields: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        self._tombstone_required = frozenset(self.tombstone_fields)
        self.is_valid: Callable[..., bool] = _compile_validity(self)

    def problem(self, rec: object) -> tuple[str, str]:
        """``(field, what is wrong)`` for the first problem of ``rec``, or ``("", "")``.

        A record that passes the compiled check (:func:`_compile_validity`) is valid; any other
        is examined field by field here, which finds the problem and words the message."""
        if self.is_valid(rec):
            return "", ""
        return self.examine(rec)

    def examine(self, rec: object) -> tuple[str, str]:
        """:meth:`problem` found field by field, without the compiled check."""
        if type(rec) is not dict:
            return "", "bản ghi phải là một đối tượng JSON."
        rules = self.rules
        unknown = rec.keys() - rules.keys()
        if unknown:
            return display(min(unknown), 40), "trường không có trong định dạng gói (không rõ)."
        tombstone = rec.get("deleted") == 1
        missing = (self._tombstone_required if tombstone else self.required) - rec.keys()
        if missing:
            return min(missing), "thiếu trường bắt buộc."
        one_line: list[str] = []
        multiline: list[str] = []
        for key in self.tombstone_fields if tombstone else rec:
            v, r = rec[key], rules[key]
            if v is None and r.nullable:
                continue
            kind = r.kind
            if kind == TEXT:
                if type(v) is not str or len(v) > r.high or (not r.blank_ok and not v.strip()):
                    return key, r.check(v)
                (multiline if r.multiline else one_line).append(v)
            elif kind == INTEGER:
                if type(v) is not int or not r.low <= v <= r.high:
                    return key, r.check(v)
            elif kind == UUID:
                if type(v) is not str or not _UUID_MATCH(v):
                    return key, r.check(v)
            elif kind == TIMESTAMP:
                if type(v) is not str or len(v) > 40 or not _in_range_timestamp(v):
                    return key, r.check(v)
            else:
                problem = r.check(v)
                if problem:
                    return key, problem
        # Control characters: one search over all texts; only when one is found, which field.
        if (one_line and _CONTROL.search("".join(one_line))) or (multiline and _CONTROL_MULTILINE.search(
                "".join(multiline))):
            for key, v in rec.items():
                if rules[key].kind == TEXT and v is not None:
                    problem = rules[key].check(v)
                    if problem:
                        return key, problem
        return "", ""

    def tombstone(self, rec: dict) -> dict:
        """A deleted record without any personal data: bookkeeping and references only."""
        return {k: rec[k] for k in self.tombstone_fields if k in rec}


_MISSING = object()
_CACHE_LIMIT = 4096


def _remembering(check: Callable[[object], bool], memo: dict[str, bool]) -> Callable[[object], bool]:
    """``check`` that stores its answer for a text in ``memo`` (at most a few thousand kept): the
    compiled check looks texts up there first, as timestamps, enum codes and indicator lists repeat
    across a package's records."""

    def remembered(v: object) -> bool:
        ok = check(v)
        if type(v) is str:
            if len(memo) >= _CACHE_LIMIT:
                memo.clear()
            memo[v] = ok
        return ok

    return remembered


def _accepts(problem: Check) -> Callable[[object], bool]:
    return lambda v: not problem(v)


def _compile_validity(schema: RecordSchema) -> Callable[..., bool]:
    """One function per table answering only "is this live record valid?", with every field's test
    written out (``problem`` runs for hundreds of thousands of records a merge; looping over rules
    cost more than the tests). It accepts exactly what the field-by-field loop accepts, and
    answers False for anything else — including any tombstone, left to the loop — so the loop
    remains the one place that words a refusal.

    ``known``: for each reference field (in ``schema.references`` order) a set of UUIDs already
    found valid (the referenced table's records in the same package); a reference found there
    needs no pattern match."""
    env: dict[str, object] = {"MISSING": _MISSING, "UUID_MATCH": _UUID_MATCH, "CONTROL": _CONTROL.search,
                              "CONTROL_MULTILINE": _CONTROL_MULTILINE.search,
                              "NOTHING_KNOWN": tuple(frozenset() for _ in schema.references)}
    refs = list(schema.references)
    texts = {key: f"t{i}" for i, (key, rule) in enumerate(schema.rules.items()) if rule.kind == TEXT}
    # Fields: every required one is read with ``rec[key]`` (a missing one raises KeyError: not
    # valid) and every optional one found is counted, so a record holds an unknown field exactly
    # when it has more fields than those — no set operation on its keys.
    body = ["def valid(rec, known=NOTHING_KNOWN):",
            "    if type(rec) is not dict or rec.get('deleted') == 1:",
            "        return False",
            "    found = 0"]
    if texts:
        body.append(f"    {' = '.join(texts.values())} = ''")
    body.append("    try:")
    for i, (key, rule) in enumerate(schema.rules.items()):
        if key in schema.required:
            body += [f"     v = rec[{key!r}]", "     if True:"]
        else:
            body += [f"     v = rec.get({key!r}, MISSING)", "     if v is not MISSING:", "      found += 1"]
        if rule.nullable:
            body.append("      if v is not None:")
            pad = "        "
        else:
            pad = "      "
        if rule.kind == TEXT:
            test = f"type(v) is not str or len(v) > {rule.high}" + ("" if rule.blank_ok else " or not v.strip()")
            body += [f"{pad}if {test}:", f"{pad}    return False", f"{pad}{texts[key]} = v"]
        elif rule.kind == INTEGER:
            body += [f"{pad}if type(v) is not int or not {rule.low} <= v <= {rule.high}:", f"{pad}    return False"]
        elif rule.kind == UUID and key in refs:
            body += [f"{pad}if type(v) is not str or (v not in known[{refs.index(key)}] and not UUID_MATCH(v)):",
                     f"{pad}    return False"]
        elif rule.kind == UUID:
            body += [f"{pad}if type(v) is not str or not UUID_MATCH(v):", f"{pad}    return False"]
        else:
            # Timestamps and the other kinds (enums, lists, reals): answers remembered per text.
            if rule.kind == TIMESTAMP:
                check = _in_range_timestamp
                body += [f"{pad}if type(v) is not str or len(v) > 40:", f"{pad}    return False"]
            else:
                check = _accepts(rule.check)
            memo: dict[str, bool] = {}
            env[f"MEMO_{i}"], env[f"CHECK_{i}"] = memo, _remembering(check, memo)
            body += [f"{pad}if not ((MEMO_{i}.get(v) if type(v) is str else None) or CHECK_{i}(v)):",
                     f"{pad}    return False"]
    body += ["    except KeyError:", "        return False",
             f"    if len(rec) != {len(schema.required)} + found:", "        return False"]
    # Control characters: every one of them is unprintable (str.isprintable; a test checks each), so texts
    # that are all printable — nearly every record — need no search.
    one_line = [v for key, v in texts.items() if not schema.rules[key].multiline]
    multiline = [v for key, v in texts.items() if schema.rules[key].multiline]
    if one_line:
        body += [f"    text = ''.join(({', '.join(one_line)},))",
                 "    if not text.isprintable() and CONTROL(text):", "        return False"]
    if multiline:
        body += [f"    text = ''.join(({', '.join(multiline)},))",
                 "    if not text.isprintable() and CONTROL_MULTILINE(text):", "        return False"]
    body.append("    return True")
    exec("\n".join(body), env)  # the source is built above from the schema's own rules, never from a package
    return env["valid"]  # type: ignore[return-value]


def record_schema(table: str, columns: list[ColumnInfo], foreign_keys: dict[str, str],
                  derived: tuple[str, ...] = ()) -> RecordSchema:
    """The schema of ``table``'s package records from its columns in the receiving database.

    ``foreign_keys`` maps a local reference column to the table it references; in a package it
    travels as ``<name>_uuid`` (``household_id`` → ``household_uuid``).
    """
    rules: dict[str, Rule] = dict(_BOOKKEEPING_RULES)
    required = set(BOOKKEEPING)
    references: dict[str, str] = {}
    for col in columns:
        if col.name in LOCAL_COLUMNS or col.name in derived or col.name in BOOKKEEPING:
            continue
        if col.name in foreign_keys:
            ref = reference_field(col.name)
            references[ref] = foreign_keys[col.name]
            rules[ref] = _uuid_rule(not col.not_null)
            required.add(ref)
            continue
        rules[col.name] = column_rule(table, col)
        if col.not_null and not col.has_default:
            required.add(col.name)
    return RecordSchema(table, rules, frozenset(required), references, (*BOOKKEEPING, *references))


def reference_field(column: str) -> str:
    """Name a reference carries in a package: ``household_id`` → ``household_uuid``."""
    return (column[:-3] if column.endswith("_id") else column) + "_uuid"


# ---- the manifest ----------------------------------------------------------------------------------
MANIFEST_KEYS = frozenset({"format", "format_version", "app_version", "commune", "installation", "upper_level",
                           "created_at", "sequence", "base_sequence", "counts", "attachments", "files"})
COMMUNE_KEYS = frozenset({"code", "name", "province"})


def manifest_problem(m: dict, known_tables: list[str]) -> tuple[str, str]:
    """``(field, what is wrong)`` for the first problem of a sync manifest, or ``("", "")``."""
    for key in m:
        if key not in MANIFEST_KEYS:
            return display(key, 40), "trường không có trong định dạng gói."
    commune = m.get("commune")
    if type(commune) is not dict:
        return "commune", "thiếu thông tin xã gửi gói."
    for key in commune:
        if key not in COMMUNE_KEYS:
            return f"commune.{display(key, 40)}", "trường không có trong định dạng gói."
    checks: list[tuple[str, object, Check]] = [
        ("commune.code", commune.get("code"), commune_code_problem),
        ("commune.name", commune.get("name"), lambda v: text_problem(v, max_chars=MAX_NAME_CHARS, blank_ok=False)),
        ("commune.province", commune.get("province", ""), lambda v: text_problem(v, max_chars=MAX_NAME_CHARS)),
        ("upper_level", m.get("upper_level", ""), lambda v: text_problem(v, max_chars=MAX_NAME_CHARS)),
        ("app_version", m.get("app_version", ""), lambda v: text_problem(v, max_chars=40)),
        ("created_at", m.get("created_at"), timestamp_problem),
        ("sequence", m.get("sequence"), lambda v: int_problem(v, 1, MAX_SEQUENCE)),
    ]
    if "installation" in m or m.get("format_version", 1) >= 2:
        checks.append(("installation", m.get("installation"), uuid_problem))
    for name, value, check in checks:
        problem = check(value)
        if problem:
            return name, problem
    base = m.get("base_sequence")
    problem = int_problem(base, 0, m["sequence"] - 1)
    if problem:
        return "base_sequence", f"{problem} (gói đầy đủ là 0, gói thay đổi nhỏ hơn số thứ tự gói)"
    counts = m.get("counts")
    if type(counts) is not dict:
        return "counts", "phải là số bản ghi theo từng bảng."
    for table, n in counts.items():
        if table not in known_tables:
            return f"counts.{display(table, 40)}", "bảng dữ liệu mà phiên bản này chưa biết — hãy cập nhật GNBV Desktop."
        problem = int_problem(n, 0, MAX_RECORDS_PER_TABLE)
        if problem:
            return f"counts.{table}", problem
    attachments = m.get("attachments", [])
    if type(attachments) is not list or len(attachments) > MAX_ATTACHMENTS:
        return "attachments", f"phải là danh sách tối đa {MAX_ATTACHMENTS} tệp."
    for name in attachments:
        problem = attachment_problem(name)
        if problem:
            return "attachments", problem
    return "", ""


def attachment_problem(name: object) -> str:
    """Only the summary workbook travels; any other name (``households.jsonl``, a path…) is refused."""
    match = SUMMARY_ATTACHMENT.fullmatch(name) if type(name) is str else None
    if not match or not YEAR_MIN <= int(match.group(1)) <= YEAR_MAX:
        return (f"tệp đính kèm {display(repr(name), 60)} không được chấp nhận (chỉ nhận bảng tổng hợp "
                "dạng tong-hop-<năm>.xlsx).")
    return ""


_UNSAFE_FILE_CHARS = re.compile(r"[^0-9A-Za-z._-]")
_WINDOWS_RESERVED = re.compile(r"(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(\..*)?", re.IGNORECASE)


def safe_file_name(text: str, limit: int = 100) -> str:
    """A plain file name made from data: no separators, no leading dot, no reserved Windows name
    (``CON``, ``NUL``, ``COM1``…), at most ``limit`` characters; never empty."""
    name = _UNSAFE_FILE_CHARS.sub("_", text).lstrip(".")[:limit].rstrip(". ")
    if not name:
        return "tep"
    return f"_{name}" if _WINDOWS_RESERVED.fullmatch(name) else name
