"""Households, members and yearly assessments as plain data, with the field checks a form shows.

Validation returns ``{field: message}`` so the editor can put each message next to its field and
the CLI/import can print them with the row they came from.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter

from gnbv_desktop.core.cccd import cccd_errors, normalize_cccd, normalize_cccds
from gnbv_desktop.core.limits import MAX_MONEY, MAX_NAME_CHARS, MAX_NOTE_CHARS, MAX_TEXT_CHARS, text_problem
from gnbv_desktop.core.standard_set import StandardSet
from gnbv_desktop.core.standards import Classification, StandardError, classify
from gnbv_desktop.core.target_groups import with_derived_dtts_all
from gnbv_desktop.core.text import clean, clean_all, fold, format_number, strip_illegal_chars

HEAD_RELATION = "Chủ hộ"


@dataclass
class Member:
    full_name: str
    relation: str = ""
    birth_year: int | None = None
    sex: str = ""
    cccd: str = ""
    ethnicity_name: str = ""
    ethnicity_code: str = ""
    ethnicity_list: str = ""
    id: int | None = None
    uuid: str = ""


@dataclass
class Assessment:
    year: int
    standard_id: str
    area: str
    income: int | None = None
    deprived: list[str] = field(default_factory=list)
    classification: str = ""
    causes: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)
    note: str = ""
    target_groups: list[str] = field(default_factory=list)  # per-year flags (core.target_groups.YEARLY_GROUPS)
    review_status: str = ""  # "" reviewed; see core.review for the states of a review in progress
    id: int | None = None
    uuid: str = ""

    def compute(self, standards: StandardSet) -> Classification:
        """Classification under this assessment's standard (taken from ``standards``, the set in
        force); income not yet recorded counting as 0 would be wrong, so refuse."""
        if self.income is None:
            raise StandardError("Chưa nhập thu nhập bình quân đầu người/tháng.")
        return classify(standards.get(self.standard_id), self.area, self.income, self.deprived)


@dataclass
class Household:
    head_name: str
    village_id: int | None = None
    code: str = ""
    head_cccd: str = ""
    head_birth_year: int | None = None
    head_birth_date: str = ""  # ISO yyyy-mm-dd when the full date is known
    head_sex: str = ""
    ethnicity_name: str = ""
    ethnicity_code: str = ""
    ethnicity_list: str = ""
    address: str = ""
    phone: str = ""
    categories: list[str] = field(default_factory=list)
    note: str = ""
    members: list[Member] = field(default_factory=list)
    id: int | None = None
    uuid: str = ""
    declared_size: int | None = None  # Số nhân khẩu a list gives without naming every member

    @property
    def size(self) -> int:
        """Số nhân khẩu: the head plus the listed members, or the number a list gave when it is larger."""
        return max(1 + len(self.members), self.declared_size or 0)

    def people(self) -> list[tuple[str, str, int | None, str, str]]:
        """(field prefix, name, birth year, sex, cccd) of the head and each member, for checks."""
        out = [("head", self.head_name, self.head_birth_year, self.head_sex, self.head_cccd)]
        for i, m in enumerate(self.members):
            out.append((f"members[{i}]", m.full_name, m.birth_year, m.sex, m.cccd))
        return out


def normalize_household(h: Household) -> None:
    """Tidy typed text in place: NFC, look-alike letters, spaces, CCCD separators; the DTTS flag
    follows the recorded ethnic group (:func:`normalize_households` of one)."""
    normalize_households([h])


def normalize_households(hs: list[Household]) -> None:
    """:func:`normalize_household` of many households (an import's): read in one pass (each pass over
    20,000 of them costs more than most tests), tidied a column at a time (:func:`tidied_household_columns`),
    and values set back only in a column that changed."""
    if not hs:
        return
    # the fields tidied_household_columns reads, as attributes (twice as fast as an attrgetter)
    columns = dict(zip(_TIDY_READS, zip(*[(h.head_name, h.head_cccd, h.address, h.phone, h.code, h.note, h.categories,
                                           h.ethnicity_name, h.ethnicity_code) for h in hs], strict=True), strict=True))
    for attr, values in tidied_household_columns(columns).items():
        for h, value in zip(hs, values, strict=True):
            setattr(h, attr, value)
    normalize_members([m for h in hs for m in h.members])


def tidied_household_columns(columns: dict[str, Sequence]) -> dict[str, list]:
    """What :func:`normalize_household` changes in households given as columns (field → a value per
    household; the fields of :data:`_TIDY_READS`), as field → the new column: a column that needs
    nothing (codes, phone and CCCD numbers typed plainly, names already tidy) is tested once in C,
    not cleaned value by value, and left out; the categories always come back (the DTTS flag follows
    the recorded ethnic group), a new list per household."""
    changed = {}
    for attr, tidy in _HOUSEHOLD_TEXTS.items():
        values = list(columns[attr])
        tidied = tidy(values)
        if tidied is not values:
            changed[attr] = tidied
    changed["categories"] = with_derived_dtts_all(columns["categories"], columns["ethnicity_name"],
                                                  columns["ethnicity_code"])
    return changed


def normalize_members(members: list[Member]) -> None:
    """Tidy the members' typed text in place, a column at a time."""
    if members:
        columns = zip(*map(attrgetter(*_MEMBER_TEXTS), members), strict=True)
        for (attr, tidy), column in zip(_MEMBER_TEXTS.items(), columns, strict=True):
            values = list(column)
            tidied = tidy(values)
            if tidied is not values:
                for m, value in zip(members, tidied, strict=True):
                    setattr(m, attr, value)


def _strip_illegal_all(texts: list[str]) -> list[str]:
    """:func:`strip_illegal_chars` of each text; a column that is all printable is returned itself."""
    return texts if "".join(texts).isprintable() else list(map(strip_illegal_chars, texts))


# The typed text of a household and of a member, each with what tidies a column of it.
_HOUSEHOLD_TEXTS: dict[str, Callable[[list], list]] = {
    "head_name": clean_all, "head_cccd": normalize_cccds, "address": clean_all, "phone": clean_all,
    "code": clean_all, "note": _strip_illegal_all}
_MEMBER_TEXTS: dict[str, Callable[[list], list]] = {"full_name": clean_all, "relation": clean_all,
                                                    "cccd": normalize_cccds}
_TIDY_READS = (*_HOUSEHOLD_TEXTS, "categories", "ethnicity_name", "ethnicity_code")  # in normalize_households' order


def household_text_problems(h: Household) -> dict[str, str]:
    """Field → message for text too long for the sync schema or holding control characters."""
    fields = [("head_name", "Họ tên chủ hộ", h.head_name, MAX_NAME_CHARS, False),
              ("code", "Mã hộ", h.code, MAX_TEXT_CHARS, False),
              ("address", "Địa chỉ", h.address, MAX_TEXT_CHARS, False),
              ("phone", "Điện thoại", h.phone, MAX_TEXT_CHARS, False),
              ("note", "Ghi chú", h.note, MAX_NOTE_CHARS, True)]
    for i, m in enumerate(h.members):
        fields += [(f"members[{i}].full_name", f"Họ tên thành viên thứ {i + 1}", m.full_name, MAX_NAME_CHARS, False),
                   (f"members[{i}].relation", f"Quan hệ của thành viên thứ {i + 1}", m.relation, MAX_TEXT_CHARS, False)]
    out = {}
    for key, label, value, limit, multiline in fields:
        problem = text_problem(label, value or "", limit, multiline=multiline)
        if problem:
            out[key] = problem
    return out


def same_head(name_a: str, cccd_a: str, name_b: str, cccd_b: str) -> bool:
    """Whether two records name the same head of household: by CCCD when both have one (a corrected
    spelling of the name keeps the household), else by the name folded (case, diacritics, spaces).

    A mã hộ is only a number in one commune's list: two lists numbered separately give the same
    code to different families, so a code match is trusted only when the head agrees too.
    """
    cccd_a, cccd_b = normalize_cccd(cccd_a or ""), normalize_cccd(cccd_b or "")
    if cccd_a and cccd_b:
        return cccd_a == cccd_b
    return fold(name_a) == fold(name_b)


def validate_household(h: Household, today: _dt.date | None = None) -> dict[str, str]:
    """Field → message for everything wrong in ``h`` on its own (uniqueness is the store's job)."""
    today = today or _dt.date.today()
    errors: dict[str, str] = {}
    if not clean(h.head_name):
        errors["head_name"] = "Chưa nhập họ tên chủ hộ."
    if h.village_id is None:
        errors["village_id"] = "Chưa chọn thôn."
    seen_cccd: dict[str, str] = {}
    for prefix, name, year, sex, cccd in h.people():
        who = "chủ hộ" if prefix == "head" else f"thành viên '{name or '(chưa có tên)'}'"
        if prefix != "head" and not clean(name):
            errors[f"{prefix}.full_name"] = "Chưa nhập họ tên thành viên."
        if year is not None and year > today.year:
            errors[f"{prefix}.birth_year"] = f"Năm sinh {year} của {who} ở tương lai."
        elif year is not None and year < today.year - 130:
            errors[f"{prefix}.birth_year"] = f"Năm sinh {year} của {who} không hợp lý."
        problems = cccd_errors(cccd, year, sex)
        if problems:
            errors[f"{prefix}.cccd"] = " ".join(problems)
        if cccd:
            if cccd in seen_cccd:
                errors[f"{prefix}.cccd"] = f"Số CCCD {cccd} trùng với {seen_cccd[cccd]} trong cùng hộ."
            seen_cccd[cccd] = who
    errors.update({k: v for k, v in household_text_problems(h).items() if k not in errors})
    if h.head_birth_date:
        try:
            d = _dt.date.fromisoformat(h.head_birth_date)
        except ValueError:
            errors["head.birth_date"] = "Ngày sinh không hợp lệ (dd/mm/yyyy)."
        else:
            if d > today:
                errors["head.birth_date"] = "Ngày sinh ở tương lai."
            elif h.head_birth_year is not None and d.year != h.head_birth_year:
                errors["head.birth_date"] = "Ngày sinh không khớp năm sinh."
    return errors


def validate_assessment(a: Assessment, standards: StandardSet) -> dict[str, str]:
    errors: dict[str, str] = {}
    try:
        std = standards.get(a.standard_id)
    except StandardError as exc:
        return {"standard_id": str(exc)}
    if a.income is None:
        errors["income"] = "Chưa nhập thu nhập bình quân đầu người/tháng."
    elif a.income < 0:
        errors["income"] = "Thu nhập không được âm."
    elif a.income > MAX_MONEY:
        errors["income"] = f"Thu nhập {format_number(a.income)} đ lớn quá mức cho phép ({format_number(MAX_MONEY)} đ)."
    unknown = [c for c in a.deprived if c not in std.indicator_codes]
    if unknown:
        errors["deprived"] = f"Chỉ số không có trong chuẩn {std.short_name}: {', '.join(unknown)}."
    return errors
