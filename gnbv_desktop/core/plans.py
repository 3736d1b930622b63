"""Support plans as plain data, and the pure rules around them.

A household's plan for a year is a list of items (one support measure each, with its content,
amount, funding source and progress), the helpers assigned to it, and the expected result. The
rules here suggest measures from what the household lacks, tell which deprivations no item
addresses yet, and project the commune's poverty rate if every planned escape happens.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from dataclasses import dataclass, field, replace

from gnbv_desktop.core.classifications import NEAR_POOR, POOR
from gnbv_desktop.core.limits import MAX_HOUSEHOLD_COUNT, MAX_MONEY, MAX_NAME_CHARS, MAX_NOTE_CHARS, MAX_TEXT_CHARS, text_problem
from gnbv_desktop.core.rates import NO_RESIDENTS, rate
from gnbv_desktop.core.text import clean, format_number, is_digits, strip_illegal_chars

PLANNED = "planned"
IN_PROGRESS = "in_progress"
DONE = "done"
CANCELLED = "cancelled"
STATUSES = (PLANNED, IN_PROGRESS, DONE, CANCELLED)
STATUS_LABELS = {
    PLANNED: "Dự kiến",
    IN_PROGRESS: "Đang thực hiện",
    DONE: "Hoàn thành",
    CANCELLED: "Không thực hiện",
}

ORGANISATION = "organisation"
PERSON = "person"
HELPER_KINDS = (ORGANISATION, PERSON)
HELPER_KIND_LABELS = {ORGANISATION: "Tổ chức, đoàn thể", PERSON: "Cá nhân"}

# What the household is expected to reach at the end of the year.
ESCAPE_POVERTY = "escape_poverty"  # poor → above the near-poor line
POOR_TO_NEAR_POOR = "poor_to_near_poor"  # poor → near-poor
ESCAPE_NEAR_POOR = "escape_near_poor"  # near-poor → above the line
FEWER_DEPRIVATIONS = "fewer_deprivations"  # still poor/near-poor, fewer deprivations
EXPECTED_RESULTS = (ESCAPE_POVERTY, POOR_TO_NEAR_POOR, ESCAPE_NEAR_POOR, FEWER_DEPRIVATIONS)
EXPECTED_RESULT_LABELS = {
    "": "",
    ESCAPE_POVERTY: "Thoát nghèo",
    POOR_TO_NEAR_POOR: "Thoát nghèo (còn cận nghèo)",
    ESCAPE_NEAR_POOR: "Thoát cận nghèo",
    FEWER_DEPRIVATIONS: "Giảm thiếu hụt",
}
RESULTS_FOR_CLASSIFICATION = {
    POOR: ("", ESCAPE_POVERTY, POOR_TO_NEAR_POOR, FEWER_DEPRIVATIONS),
    NEAR_POOR: ("", ESCAPE_NEAR_POOR, FEWER_DEPRIVATIONS),
}

SIGNER_TITLES = ("CHỦ TỊCH", "PHÓ CHỦ TỊCH")


@dataclass
class Helper:
    """An organisation (Hội Phụ nữ xã…) or a person (cán bộ, đảng viên) who helps households."""

    name: str
    kind: str = ORGANISATION
    position: str = ""
    organisation: str = ""
    phone: str = ""
    note: str = ""
    id: int | None = None
    uuid: str = ""

    @property
    def label(self) -> str:
        """How the helper is printed: a person with position and organisation, else the name."""
        if self.kind == PERSON:
            extra = ", ".join(p for p in (self.position, self.organisation) if p)
            return f"{self.name} ({extra})" if extra else self.name
        return self.name


@dataclass
class PlanItem:
    """One support measure planned for one household in one year, with its delivery."""

    measure_code: str
    content: str = ""
    expected_amount: int | None = None
    funding_source: str = ""
    lead_organisation: str = ""
    planned_time: str = ""
    status: str = PLANNED
    actual_amount: int | None = None
    actual_date: str = ""  # ISO yyyy-mm-dd
    result: str = ""
    id: int | None = None
    uuid: str = ""


@dataclass
class CommunePlan:
    """The commune's annual plan document and the targets set by the upper level."""

    year: int
    document_number: str = ""
    document_date: str = ""  # ISO yyyy-mm-dd
    signer_name: str = ""
    signer_title: str = "CHỦ TỊCH"
    preparer_name: str = ""
    total_households: int | None = None  # tổng số hộ dân cư; None: the year's list is the whole commune
    total_dtts_households: int | None = None
    target_poverty_reduction: float | None = None  # percentage points
    target_escape_households: int | None = None
    target_near_poor_reduction: int | None = None  # households
    target_dtts_reduction: float | None = None  # percentage points among DTTS households
    note: str = ""
    id: int | None = None
    uuid: str = ""


@dataclass(frozen=True)
class SupportMeasure:
    """A catalogue entry: which indicators (per standard), causes and needs it answers."""

    code: str
    name: str
    short: str = ""
    indicators: dict[str, tuple[str, ...]] = field(default_factory=dict)
    causes: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    lead_agency: str = ""
    funding_sources: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.short or self.name

    def indicators_for(self, standard_id: str) -> tuple[str, ...]:
        return self.indicators.get(standard_id, ())


def measure_from_item(item: dict) -> SupportMeasure:
    return SupportMeasure(
        code=item["code"],
        name=item["name"],
        short=item.get("short", ""),
        indicators={k: tuple(v) for k, v in (item.get("indicators") or {}).items()},
        causes=tuple(item.get("causes") or ()),
        needs=tuple(item.get("needs") or ()),
        lead_agency=item.get("lead_agency", ""),
        funding_sources=tuple(item.get("funding_sources") or ()),
    )


@dataclass(frozen=True)
class Suggestion:
    measure: SupportMeasure
    indicators: tuple[str, ...]
    causes: tuple[str, ...]
    needs: tuple[str, ...]

    @property
    def reason(self) -> str:
        parts = []
        if self.indicators:
            parts.append("thiếu hụt " + ", ".join(self.indicators))
        if self.causes:
            parts.append(f"{len(self.causes)} nguyên nhân nghèo")
        if self.needs:
            parts.append(f"{len(self.needs)} nhu cầu")
        return "; ".join(parts)

    def as_item(self) -> PlanItem:
        """A plan item prefilled from the catalogue (lead agency, first usual funding source)."""
        m = self.measure
        return PlanItem(
            measure_code=m.code,
            content=m.name,
            funding_source=m.funding_sources[0] if m.funding_sources else "",
            lead_organisation=m.lead_agency,
        )


def suggest_measures(
    measures: list[SupportMeasure],
    standard_id: str,
    deprived: list[str],
    causes: list[str] = (),
    needs: list[str] = (),
    planned_codes: set[str] | frozenset[str] = frozenset(),
) -> list[Suggestion]:
    """Measures answering the household's deprivations, causes or needs, not yet planned.

    Measures meeting a deprived indicator come first (they change the classification), then
    those meeting causes and needs; within a group, the catalogue order is kept.
    """
    dep, cau, nee = set(deprived), set(causes), set(needs)
    out = []
    for m in measures:
        if m.code in planned_codes:
            continue
        ind = tuple(c for c in m.indicators_for(standard_id) if c in dep)
        c = tuple(x for x in m.causes if x in cau)
        n = tuple(x for x in m.needs if x in nee)
        if ind or c or n:
            out.append(Suggestion(m, ind, c, n))
    return sorted(out, key=lambda s: (0 if s.indicators else 1, -len(s.indicators) - len(s.causes)))


def unaddressed_deprivations(
    measures: list[SupportMeasure], standard_id: str, deprived: list[str], items: list[PlanItem]
) -> list[str]:
    """Deprived indicator codes that no live plan item (not 'không thực hiện') addresses."""
    by_code = {m.code: m for m in measures}
    covered: set[str] = set()
    for it in items:
        if it.status == CANCELLED or it.measure_code not in by_code:
            continue
        covered.update(by_code[it.measure_code].indicators_for(standard_id))
    return [c for c in deprived if c not in covered]


_MULTILINE = {"note", "content", "result"}


def typed_text_errors(record: object, fields: tuple[tuple[str, str, int], ...]) -> dict[str, str]:
    """Field → message for each (attribute, label, limit) of ``record`` too long for the sync schema
    or holding control characters. Names are checked as typed (cleaning would silently drop an ESC
    from a name); other text after cleaning, which removes what an XLSX cannot hold, as it always has."""
    errors: dict[str, str] = {}
    for name, label, limit in fields:
        problem = text_problem(label, getattr(record, name) or "", limit, multiline=name in _MULTILINE)
        if problem:
            errors[name] = problem
    return errors


def validate_plan_item(item: PlanItem, measure_codes: set[str], funding_codes: set[str]) -> dict[str, str]:
    """Field → Vietnamese message; an empty dict means the item can be saved."""
    errors = typed_text_errors(item, (("lead_organisation", "Đơn vị chủ trì", MAX_NAME_CHARS),))
    item.content = clean(item.content)
    item.lead_organisation = clean(item.lead_organisation)
    item.planned_time = clean(item.planned_time)
    item.result = clean(item.result)
    errors.update(typed_text_errors(item, (("content", "Nội dung hỗ trợ", MAX_NOTE_CHARS),
                                           ("planned_time", "Thời gian thực hiện", MAX_TEXT_CHARS),
                                           ("result", "Kết quả", MAX_NOTE_CHARS))))
    if item.measure_code not in measure_codes:
        errors["measure_code"] = f"Giải pháp '{item.measure_code}' không có trong danh mục giải pháp hỗ trợ."
    if item.funding_source and item.funding_source not in funding_codes:
        errors["funding_source"] = f"Nguồn kinh phí '{item.funding_source}' không có trong danh mục."
    if item.status not in STATUSES:
        errors["status"] = f"Trạng thái '{item.status}' không hợp lệ."
    for name, label in (("expected_amount", "Kinh phí dự kiến"), ("actual_amount", "Kinh phí thực hiện")):
        value = getattr(item, name)
        if value is not None and value < 0:
            errors[name] = f"{label} không được âm."
        elif value is not None and value > MAX_MONEY:
            errors[name] = f"{label} lớn quá mức cho phép ({format_number(MAX_MONEY)} đ)."
    if item.actual_date:
        try:
            _dt.date.fromisoformat(item.actual_date)
        except ValueError:
            errors["actual_date"] = f"Ngày thực hiện '{item.actual_date}' không hợp lệ (dd/mm/yyyy)."
    if item.status == DONE and not item.actual_date:
        errors["actual_date"] = "Giải pháp đã hoàn thành cần có ngày thực hiện."
    return errors


def validate_helper(h: Helper) -> dict[str, str]:
    errors = typed_text_errors(h, (("name", "Tên người/tổ chức giúp đỡ", MAX_NAME_CHARS), ("position", "Chức vụ", MAX_NAME_CHARS),
                                   ("organisation", "Đơn vị công tác", MAX_NAME_CHARS)))
    for name in ("name", "position", "organisation", "phone", "note"):
        setattr(h, name, clean(getattr(h, name)))
    errors.update(typed_text_errors(h, (("phone", "Điện thoại", MAX_TEXT_CHARS), ("note", "Ghi chú", MAX_NOTE_CHARS))))
    if not h.name and "name" not in errors:
        errors["name"] = "Chưa nhập tên người/tổ chức giúp đỡ."
    if h.kind not in HELPER_KINDS:
        errors["kind"] = "Loại phải là tổ chức hoặc cá nhân."
    if h.phone and not is_digits(h.phone.replace(" ", "").replace(".", "").lstrip("+")):
        errors["phone"] = f"Số điện thoại '{h.phone}' chỉ gồm chữ số."
    return errors


# Targets the upper level sets for a commune's year: the CommunePlan fields a reference package
# may carry (and the only ones it may change), with the labels the upper level's table shows.
TARGET_LABELS = {
    "target_poverty_reduction": "Giảm tỷ lệ hộ nghèo (điểm %)",
    "target_escape_households": "Số hộ thoát nghèo",
    "target_near_poor_reduction": "Giảm số hộ cận nghèo",
    "target_dtts_reduction": "Giảm tỷ lệ hộ nghèo DTTS (điểm %)",
}
TARGET_FIELDS = tuple(TARGET_LABELS)
COUNT_TARGETS = ("target_escape_households", "target_near_poor_reduction")


def target_errors(targets: dict[str, object]) -> list[str]:
    """What is wrong with one commune's targets (field → value); empty when they can be applied.

    Counts of households are whole numbers ≥ 0, rate reductions are percentage points 0–100; a
    field that is not a target is refused rather than silently dropped.
    """
    errors = []
    for key, value in targets.items():
        if key not in TARGET_LABELS:
            known = ", ".join(TARGET_FIELDS)
            errors.append(f"'{key}' không phải chỉ tiêu (các chỉ tiêu: {known}).")
            continue
        label = TARGET_LABELS[key]
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            errors.append(f"{label} phải là một số.")
        elif key in COUNT_TARGETS and not (0 <= value <= MAX_HOUSEHOLD_COUNT and value == int(value)):
            errors.append(f"{label} phải là số nguyên không âm, tối đa {format_number(MAX_HOUSEHOLD_COUNT)}.")
        elif key not in COUNT_TARGETS and not 0 <= value <= 100:
            errors.append(f"{label} phải từ 0 đến 100 (%).")
    return errors


def format_target(key: str, value: float | None) -> str:
    """As the upper level's table shows it: ``12``, ``1.500`` for counts; ``1,5`` for rates."""
    if value is None:
        return ""
    if key in COUNT_TARGETS:
        return format_number(int(value))
    return f"{value:g}".replace(".", ",")


def parse_target(key: str, text: str) -> float | int | None:
    """A target typed in a table cell: blank → None; counts accept ``1.500``; rates ``1,5`` or
    ``1.5``. Raises ``ValueError`` with a Vietnamese message naming the target."""
    raw = clean(text).replace(" ", "")
    if not raw:
        return None
    label = TARGET_LABELS[key]
    if key in COUNT_TARGETS:
        if not re.fullmatch(r"\d+|\d{1,3}(\.\d{3})+", raw):
            raise ValueError(f"{label}: '{text}' phải là số nguyên không âm.")
        value: float | int = int(raw.replace(".", ""))
    else:
        try:
            value = float(raw.replace(",", "."))
        except ValueError:
            raise ValueError(f"{label}: '{text}' không phải là số.") from None
    errors = target_errors({key: value})
    if errors:
        raise ValueError(errors[0])
    return value


def with_targets(plan: CommunePlan, targets: dict[str, float]) -> CommunePlan:
    """``plan`` with the given targets set (counts as whole numbers); every other field — document
    number, signer, totals, note — stays as the commune typed it."""
    values = {k: int(v) if k in COUNT_TARGETS else float(v) for k, v in targets.items()}
    return replace(plan, **values)


def validate_commune_plan(p: CommunePlan) -> dict[str, str]:
    errors = typed_text_errors(p, (("signer_name", "Người ký", MAX_NAME_CHARS), ("preparer_name", "Người lập", MAX_NAME_CHARS)))
    p.document_number = clean(p.document_number)
    p.signer_name = clean(p.signer_name)
    p.preparer_name = clean(p.preparer_name)
    p.note = strip_illegal_chars(p.note)
    errors.update(typed_text_errors(p, (("document_number", "Số văn bản", MAX_TEXT_CHARS), ("note", "Ghi chú", MAX_NOTE_CHARS))))
    p.signer_title = clean(p.signer_title).upper() or "CHỦ TỊCH"
    if p.signer_title not in SIGNER_TITLES:
        errors["signer_title"] = "Chức vụ người ký là Chủ tịch hoặc Phó Chủ tịch."
    if p.document_date:
        try:
            d = _dt.date.fromisoformat(p.document_date)
        except ValueError:
            errors["document_date"] = "Ngày ban hành không hợp lệ (dd/mm/yyyy)."
        else:
            if abs(d.year - p.year) > 1:
                errors["document_date"] = f"Ngày ban hành {d:%d/%m/%Y} không khớp năm kế hoạch {p.year}."
    for name, label in (
        ("total_households", "Tổng số hộ dân cư"),
        ("total_dtts_households", "Tổng số hộ DTTS"),
        ("target_escape_households", "Số hộ thoát nghèo giao"),
        ("target_near_poor_reduction", "Số hộ cận nghèo giảm"),
    ):
        value = getattr(p, name)
        if value is not None and value < 0:
            errors[name] = f"{label} không được âm."
        elif value is not None and value > MAX_HOUSEHOLD_COUNT:
            errors[name] = f"{label} tối đa {format_number(MAX_HOUSEHOLD_COUNT)} hộ."
    for name, label in (
        ("target_poverty_reduction", "Mức giảm tỷ lệ hộ nghèo"),
        ("target_dtts_reduction", "Mức giảm tỷ lệ hộ nghèo DTTS"),
    ):
        value = getattr(p, name)
        if value is not None and not (math.isfinite(value) and 0 <= value <= 100):
            errors[name] = f"{label} phải từ 0 đến 100 (%)."
    return errors


@dataclass(frozen=True)
class PlanCounts:
    """What the projection needs from the year's list and its plans."""

    total_households: int | None  # resident households; None while unknown
    poor: int
    near_poor: int
    planned_escape_poverty: int  # ESCAPE_POVERTY + POOR_TO_NEAR_POOR
    planned_poor_to_near_poor: int
    planned_escape_near_poor: int
    dtts_households: int | None = None  # resident DTTS households; None while unknown
    dtts_poor: int = 0
    dtts_planned_escape_poverty: int = 0


@dataclass(frozen=True)
class Projection:
    """Rates in percent now and if every planned escape happens, against the targets."""

    current_rate: float | None  # None: no resident total, so no rate
    projected_rate: float | None
    target_rate: float | None
    current_near_poor_rate: float | None
    projected_near_poor_rate: float | None
    planned_escapes: int
    target_escapes: int | None
    near_poor_reduction: int
    target_near_poor_reduction: int | None
    current_dtts_rate: float | None
    projected_dtts_rate: float | None
    target_dtts_rate: float | None

    @property
    def meets_rate_target(self) -> bool | None:
        if self.target_rate is None or self.projected_rate is None:
            return None
        return self.projected_rate <= self.target_rate + 1e-9

    @property
    def meets_escape_target(self) -> bool | None:
        return None if self.target_escapes is None else self.planned_escapes >= self.target_escapes

    def summary(self) -> str:
        """One Vietnamese sentence for the plan page and the CLI."""
        if self.current_rate is None:
            return f"Tỷ lệ hộ nghèo: {NO_RESIDENTS} (nhập số hộ dân cư từng thôn trong Cài đặt hoặc lệnh 'gnbv residents')."
        text = (
            f"Nếu mọi hộ dự kiến thoát nghèo đều đạt, tỷ lệ hộ nghèo còn {format_percent(self.projected_rate)} "
            f"(hiện {format_percent(self.current_rate)})"
        )
        if self.target_rate is not None:
            verdict = "đạt" if self.meets_rate_target else "chưa đạt"
            text += f", so với chỉ tiêu {format_percent(self.target_rate)}: {verdict}"
        text += "."
        if self.target_escapes is not None:
            verdict = "đạt" if self.meets_escape_target else "chưa đạt"
            text += (f" Dự kiến thoát nghèo {format_number(self.planned_escapes)} hộ, so với chỉ tiêu "
                     f"{format_number(self.target_escapes)} hộ: {verdict}.")
        return text


def _rate(part: int, whole: int | None) -> float | None:
    return rate(part, whole)


def project(counts: PlanCounts, plan: CommunePlan | None) -> Projection:
    """Projection of the year-end rates from the households' expected results."""
    total = counts.total_households
    poor_after = counts.poor - counts.planned_escape_poverty
    near_after = counts.near_poor - counts.planned_escape_near_poor + counts.planned_poor_to_near_poor
    current = _rate(counts.poor, total)
    target_rate = None
    if plan is not None and plan.target_poverty_reduction is not None and current is not None:
        target_rate = max(0.0, current - plan.target_poverty_reduction)
    dtts_cur = dtts_after = dtts_target = None
    if counts.dtts_households:
        dtts_cur = _rate(counts.dtts_poor, counts.dtts_households)
        dtts_after = _rate(counts.dtts_poor - counts.dtts_planned_escape_poverty, counts.dtts_households)
        if plan is not None and plan.target_dtts_reduction is not None:
            dtts_target = max(0.0, dtts_cur - plan.target_dtts_reduction)
    return Projection(
        current_rate=current,
        projected_rate=_rate(poor_after, total),
        target_rate=target_rate,
        current_near_poor_rate=_rate(counts.near_poor, total),
        projected_near_poor_rate=_rate(near_after, total),
        planned_escapes=counts.planned_escape_poverty,
        target_escapes=plan.target_escape_households if plan else None,
        near_poor_reduction=counts.near_poor - near_after,
        target_near_poor_reduction=plan.target_near_poor_reduction if plan else None,
        current_dtts_rate=dtts_cur,
        projected_dtts_rate=dtts_after,
        target_dtts_rate=dtts_target,
    )


def format_percent(value: float | None) -> str:
    """``2.456`` → ``2,46%`` (Vietnamese decimal comma); an unknown rate says why."""
    if value is None:
        return NO_RESIDENTS
    return f"{value:.2f}".replace(".", ",") + "%"
