"""The standards in force for one database, and the rules a received standard document obeys.

A :class:`StandardSet` is an immutable value: the shipped standards, with the documents the
upper level sent installed over them. It is built by ``store.reference.standards_in_force`` from
the database and handed to whoever classifies (CLI context, GUI context, jobs) — never kept in a
process-wide variable that a worker thread and the UI thread could both change.

A received document is hostile until checked (issue 9): :func:`validate_document` checks every
field's type, range and length before it may classify anything, and a standard that would take
over years governed by another standard is refused instead of silently winning.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from functools import lru_cache

from gnbv_desktop.core.limits import (
    FIRST_YEAR,
    LAST_YEAR,
    MAX_DOCUMENT_TEXT_CHARS,
    MAX_INCOME_LINE,
    MAX_INDICATORS,
    MAX_LABEL_CHARS,
    MAX_STANDARDS,
    MIN_INCOME_LINE,
    year_in_range,
)
from gnbv_desktop.core.standards import AREA_LABELS, AREAS, Standard, StandardError, parse_document
from gnbv_desktop.core.text import format_number, has_control_chars
from gnbv_desktop.paths import resource_path

MAX_CHILD_AGE = 25  # the decrees speak of children and young people, never older
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,40}$")
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,15}$")
_KEYS = {"id", "legal_text", "short_name", "title", "years", "extended_years", "extended_note", "provisional",
         "provisional_note", "rule", "min_deprived", "thresholds", "dimensions"}
_REQUIRED = ("id", "legal_text", "short_name", "title", "years", "rule", "min_deprived", "thresholds", "dimensions")


class StandardSet:
    """Standards in force, oldest first; received documents replace the shipped one of their id
    or add a standard for years no other covers.

    ``warning`` says, in Vietnamese, why received standards were set aside (empty when not).
    """

    def __init__(self, standards: tuple[Standard, ...] | list[Standard], warning: str = ""):
        self._standards = tuple(sorted(standards, key=lambda s: s.first_year))
        self.warning = warning

    def __iter__(self) -> Iterator[Standard]:
        return iter(self._standards)

    def __len__(self) -> int:
        return len(self._standards)

    def all(self) -> tuple[Standard, ...]:
        """Every standard in force, oldest first."""
        return self._standards

    def get(self, standard_id: str) -> Standard:
        for s in self._standards:
            if s.id == standard_id:
                return s
        known = ", ".join(s.id for s in self._standards)
        raise StandardError(f"Không có chuẩn nghèo '{standard_id}'. Các chuẩn hiện có: {known}.")

    def for_year(self, year: int) -> Standard:
        """The standard in force for a review/plan year (a regular period wins over an extension)."""
        regular = [s for s in self._standards if s.first_year <= year <= s.last_year]
        if regular:
            return regular[0]
        extended = [s for s in self._standards if year in s.extended_years]
        if extended:
            return extended[0]
        raise StandardError(f"Chưa có chuẩn nghèo áp dụng cho năm {year}.")

    def with_received(self, docs: object) -> StandardSet:
        """This set with ``docs`` installed. Every document is checked first; one bad document
        raises :class:`StandardError` naming it, so either all apply or none."""
        if not isinstance(docs, list) or len(docs) > MAX_STANDARDS:
            raise StandardError(f"Danh sách chuẩn nghèo phải là một danh sách, tối đa {MAX_STANDARDS} chuẩn.")
        base = {s.id: s for s in self._standards}
        received: dict[str, Standard] = {}
        for n, doc in enumerate(docs, start=1):
            std = validate_document(doc, base, position=n)
            if std.id in received:
                raise StandardError(f"Chuẩn nghèo thứ {n}: mã chuẩn '{std.id}' bị trùng.")
            received[std.id] = std
        merged = {**base, **received}
        _check_no_overlap(merged, set(received))
        return StandardSet(tuple(merged.values()))


@lru_cache(maxsize=1)
def shipped_standards() -> StandardSet:
    """The standards shipped in ``resources/standards`` (files of the app itself, parsed once)."""
    files = sorted(resource_path("standards").glob("*.json"))
    return StandardSet(tuple(parse_document(json.loads(p.read_text(encoding="utf-8"))) for p in files))


def describe_changes(before: StandardSet, after: StandardSet) -> list[str]:
    """What installing received standards changes, in Vietnamese, one line per standard — so a
    replaced shipped standard is never replaced silently."""
    old = {s.id: s for s in before}
    lines = []
    for s in after:
        prev = old.get(s.id)
        if prev is None:
            lines.append(f"Chuẩn nghèo mới {s.short_name} ({s.id}) áp dụng năm {s.first_year}–{s.last_year}.")
            continue
        changes = []
        for area, t in s.thresholds.items():
            p = prev.thresholds[area]
            for label, a, b in (("chuẩn nghèo", p.poor_line, t.poor_line),
                                ("chuẩn cận nghèo", p.near_poor_line, t.near_poor_line),
                                ("chuẩn mức sống trung bình", p.average_line, t.average_line)):
                if a != b:
                    changes.append(f"{label} {AREA_LABELS[area].lower()} {_money(a)} → {_money(b)}")
        if (prev.first_year, prev.last_year, prev.extended_years) != (s.first_year, s.last_year, s.extended_years):
            changes.append(f"năm áp dụng {prev.first_year}–{prev.last_year} → {s.first_year}–{s.last_year}")
        if prev.min_deprived != s.min_deprived:
            changes.append(f"số chỉ số thiếu hụt tối thiểu {prev.min_deprived} → {s.min_deprived}")
        if prev.indicator_codes != s.indicator_codes:
            changes.append(f"danh sách chỉ số ({len(prev.indicators)} → {len(s.indicators)} chỉ số)")
        if changes:
            lines.append(f"Chuẩn {s.short_name} ({s.id}) thay đổi: " + "; ".join(changes) + ".")
    return lines


def _money(value: int | None) -> str:
    return "không có" if value is None else f"{format_number(value)} đ"


def validate_document(doc: object, base: dict[str, Standard], *, position: int = 1) -> Standard:
    """A received standard document checked field by field against ``base`` (the standards it
    would join, by id); raises :class:`StandardError` saying which standard and which field."""
    where = f"Chuẩn nghèo thứ {position}"
    if not isinstance(doc, dict):
        raise StandardError(f"{where} không phải một đối tượng JSON.")
    sid = doc.get("id")
    if not isinstance(sid, str) or not _ID.match(sid):
        raise StandardError(f"{where}: mã chuẩn (id) phải gồm chữ thường, số, '.', '-' (tối đa 41 ký tự).")
    where = f"Chuẩn nghèo '{sid}'"
    missing = [k for k in _REQUIRED if k not in doc]
    if missing:
        raise StandardError(f"{where} thiếu trường: {', '.join(missing)}.")
    unknown = sorted(str(k) for k in doc if k not in _KEYS)
    if unknown:
        raise StandardError(f"{where} có trường không biết: {', '.join(unknown[:5])}.")
    for key, limit in (("legal_text", MAX_LABEL_CHARS), ("short_name", MAX_LABEL_CHARS), ("title", MAX_LABEL_CHARS),
                       ("extended_note", MAX_DOCUMENT_TEXT_CHARS), ("provisional_note", MAX_DOCUMENT_TEXT_CHARS)):
        if key in doc:
            _text(doc[key], f"{where}, trường {key}", limit, required=key in _REQUIRED)
    if "provisional" in doc and not isinstance(doc["provisional"], bool):
        raise StandardError(f"{where}: trường provisional phải là true hoặc false.")
    _years(doc, where)
    if doc["rule"] not in ("band", "line"):
        raise StandardError(f"{where}: quy tắc phân loại (rule) phải là 'band' hoặc 'line'.")
    _thresholds(doc["thresholds"], doc["rule"], where)
    count = _dimensions(doc["dimensions"], where)
    k = doc["min_deprived"]
    if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= count:
        raise StandardError(f"{where}: số chỉ số thiếu hụt tối thiểu (min_deprived) phải từ 1 đến {count}.")
    std = parse_document(doc)
    shipped = base.get(sid)
    if shipped is not None and not shipped.provisional and set(std.indicator_codes) != set(shipped.indicator_codes):
        raise StandardError(f"{where} đổi danh sách chỉ số của chuẩn đã ban hành; các hộ đã đánh giá theo chuẩn "
                            "này sẽ không còn phân loại được.")
    return std


def _text(value: object, where: str, limit: int, *, required: bool = True) -> None:
    if not isinstance(value, str) or (required and not value.strip()):
        raise StandardError(f"{where}: cần một chuỗi ký tự không trống.")
    if len(value) > limit:
        raise StandardError(f"{where}: dài {len(value)} ký tự, tối đa {limit}.")
    if has_control_chars(value):
        raise StandardError(f"{where}: có ký tự điều khiển không hợp lệ.")


def _years(doc: dict, where: str) -> None:
    years = doc["years"]
    if not (isinstance(years, list) and len(years) == 2 and all(year_in_range(y) for y in years)
            and years[0] <= years[1]):
        raise StandardError(f"{where}: khoảng năm (years) phải là [năm đầu, năm cuối] trong {FIRST_YEAR}–{LAST_YEAR}.")
    extended = doc.get("extended_years", [])
    if not isinstance(extended, list) or len(extended) > 10 or not all(year_in_range(y) for y in extended):
        raise StandardError(f"{where}: năm kéo dài (extended_years) phải là tối đa 10 năm trong "
                            f"{FIRST_YEAR}–{LAST_YEAR}.")


def _line(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and MIN_INCOME_LINE <= value <= MAX_INCOME_LINE


def _thresholds(thresholds: object, rule: str, where: str) -> None:
    if not isinstance(thresholds, dict) or set(thresholds) != set(AREAS):
        raise StandardError(f"{where}: cần chuẩn thu nhập cho đúng hai khu vực rural (nông thôn) và urban (thành thị).")
    for area, t in thresholds.items():
        here = f"{where}, khu vực {area}"
        if not isinstance(t, dict) or set(t) - {"poor_line", "near_poor_line", "average_line"}:
            raise StandardError(f"{here}: chỉ gồm poor_line, near_poor_line, average_line.")
        lines = [t.get("poor_line"), t.get("near_poor_line"), t.get("average_line")]
        span = f"số đồng nguyên từ {format_number(MIN_INCOME_LINE)} đến {format_number(MAX_INCOME_LINE)}"
        if not _line(lines[0]):
            raise StandardError(f"{here}: chuẩn nghèo (poor_line) phải là {span}.")
        for name, value in (("near_poor_line", lines[1]), ("average_line", lines[2])):
            if value is not None and not _line(value):
                raise StandardError(f"{here}: {name} phải là {span}, hoặc null.")
        present = [v for v in lines if v is not None]
        if any(a >= b for a, b in itertools.pairwise(present)):
            raise StandardError(f"{here}: các chuẩn phải tăng dần: nghèo < cận nghèo < trung bình.")
        if rule == "band" and lines[1] is None:
            raise StandardError(f"{here}: quy tắc 'band' cần chuẩn cận nghèo (near_poor_line).")


def _dimensions(dims: object, where: str) -> int:
    """Checks the dimensions and their indicators; returns the number of indicators."""
    if not isinstance(dims, list) or not dims:
        raise StandardError(f"{where}: cần ít nhất một chiều thiếu hụt (dimensions).")
    dim_codes: set[str] = set()
    codes: set[str] = set()
    for i, dim in enumerate(dims, start=1):
        here = f"{where}, chiều thứ {i}"
        if not isinstance(dim, dict) or set(dim) - {"code", "name", "indicators"}:
            raise StandardError(f"{here}: chỉ gồm code, name, indicators.")
        _code(dim.get("code"), here, dim_codes)
        _text(dim.get("name"), f"{here}, tên", MAX_LABEL_CHARS)
        indicators = dim.get("indicators")
        if not isinstance(indicators, list) or not indicators:
            raise StandardError(f"{here}: cần ít nhất một chỉ số.")
        for j, ind in enumerate(indicators, start=1):
            spot = f"{here}, chỉ số thứ {j}"
            if not isinstance(ind, dict) or set(ind) - {"code", "name", "description", "provisional", "child_ages"}:
                raise StandardError(f"{spot}: chỉ gồm code, name, description, provisional, child_ages.")
            _code(ind.get("code"), spot, codes)
            _text(ind.get("name"), f"{spot}, tên", MAX_LABEL_CHARS)
            if "description" in ind:
                _text(ind["description"], f"{spot}, mô tả", MAX_DOCUMENT_TEXT_CHARS, required=False)
            if "provisional" in ind and not isinstance(ind["provisional"], bool):
                raise StandardError(f"{spot}: provisional phải là true hoặc false.")
            if ind.get("child_ages") is not None:
                _child_ages(ind["child_ages"], spot)
            if len(codes) > MAX_INDICATORS:
                raise StandardError(f"{where}: quá {MAX_INDICATORS} chỉ số.")
    return len(codes)


def _child_ages(ages: object, where: str) -> None:
    """The ages of the children an indicator is about (from, below), as the decree names them."""
    if (not isinstance(ages, dict) or set(ages) != {"from", "below"}
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in ages.values())
            or not 0 <= ages["from"] < ages["below"] <= MAX_CHILD_AGE):
        raise StandardError(f"{where}: child_ages phải gồm from và below là số tuổi nguyên, "
                            f"0 ≤ from < below ≤ {MAX_CHILD_AGE}.")


def _code(value: object, where: str, seen: set[str]) -> None:
    if not isinstance(value, str) or not _CODE.match(value):
        raise StandardError(f"{where}: mã phải gồm chữ, số, '.', '-' (tối đa 16 ký tự).")
    if value in seen:
        raise StandardError(f"{where}: mã '{value}' bị trùng.")
    seen.add(value)


def _check_no_overlap(merged: dict[str, Standard], received: set[str]) -> None:
    """A received standard may not govern a year another standard governs: it would silently
    decide which rules classify that year (a standard for 1000–9999 took over every year)."""
    for sid in sorted(received):
        mine = merged[sid]
        for other in merged.values():
            if other.id == sid:
                continue
            years = _regular(mine) & _regular(other)
            if years:
                raise StandardError(
                    f"Chuẩn nghèo '{sid}' áp dụng cho năm {min(years)}–{max(years)}, trùng với chuẩn "
                    f"'{other.id}' ({other.short_name}); không nhận chuẩn chồng lên chuẩn khác."
                )


def _regular(s: Standard) -> set[int]:
    return set(range(s.first_year, s.last_year + 1))
