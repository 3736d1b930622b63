"""Multidimensional poverty standards as data, and the one function that classifies a household.

Each legal text is a JSON file in ``resources/standards/``; thresholds and indicators are never
hard-coded here, so a corrected threshold or a final NĐ 351 indicator list is a data change only.
Such a change can also arrive from the upper level in a reference package. The standards in force
are a :class:`~gnbv_desktop.core.standard_set.StandardSet` held by whoever holds the database,
never a process-wide variable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from gnbv_desktop.core.classifications import AVERAGE, CLASSIFICATION_LABELS, NEAR_POOR, NONE, POOR
from gnbv_desktop.core.text import format_money

AREAS = ("rural", "urban")
AREA_LABELS = {"rural": "Nông thôn", "urban": "Thành thị"}


class StandardError(ValueError):
    """A request the standards cannot answer (unknown id, year or indicator code)."""


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    description: str
    dimension_code: str
    dimension_name: str
    provisional: bool = False
    # Ages (from, below) of the children the indicator is about; None when it concerns every household.
    child_ages: tuple[int, int] | None = None


@dataclass(frozen=True)
class Threshold:
    poor_line: int
    near_poor_line: int | None
    average_line: int | None


@dataclass(frozen=True)
class Standard:
    id: str
    legal_text: str
    short_name: str
    title: str
    first_year: int
    last_year: int
    extended_years: tuple[int, ...]
    provisional: bool
    provisional_note: str
    rule: str  # "band" (QĐ 59: income band + deprivations) or "line" (NĐ 07 onwards)
    min_deprived: int
    thresholds: dict[str, Threshold]
    indicators: tuple[Indicator, ...]
    dimensions: tuple[tuple[str, str], ...] = field(default=())

    @property
    def indicator_codes(self) -> tuple[str, ...]:
        return tuple(i.code for i in self.indicators)

    def indicator(self, code: str) -> Indicator:
        found = self._by_code.get(code)
        if found is None:
            raise StandardError(f"Chỉ số '{code}' không có trong chuẩn {self.short_name}.")
        return found

    @cached_property
    def _by_code(self) -> dict[str, Indicator]:
        """Code → indicator: classifying a list looks up each household's codes (the first of two
        indicators with one code, as a scan in order finds it)."""
        found: dict[str, Indicator] = {}
        for ind in self.indicators:
            found.setdefault(ind.code, ind)
        return found

    def governs(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year or year in self.extended_years


@dataclass(frozen=True)
class Classification:
    classification: str
    deprived_count: int
    total_indicators: int
    explanation: str

    @property
    def label(self) -> str:
        return CLASSIFICATION_LABELS[self.classification]


def parse_document(raw: dict) -> Standard:
    """A standard from its JSON document (the shape of ``resources/standards/*.json``).

    Raises :class:`StandardError` naming the document when a field is missing or malformed. Only
    the shape is checked here; :func:`validate_document` adds the rules a received document obeys.
    """
    name = raw.get("id", "?") if isinstance(raw, dict) else "?"
    try:
        return _parse(raw)
    except KeyError as exc:
        raise StandardError(f"Chuẩn nghèo '{name}' không hợp lệ: thiếu trường {exc}.") from exc
    except (TypeError, ValueError, IndexError, AttributeError) as exc:
        raise StandardError(f"Chuẩn nghèo '{name}' không hợp lệ: có giá trị sai kiểu ({exc}).") from exc


def _parse(raw: dict) -> Standard:
    indicators = []
    dims = []
    for dim in raw["dimensions"]:
        dims.append((dim["code"], dim["name"]))
        for ind in dim["indicators"]:
            indicators.append(
                Indicator(
                    code=ind["code"],
                    name=ind["name"],
                    description=ind.get("description", ""),
                    dimension_code=dim["code"],
                    dimension_name=dim["name"],
                    provisional=bool(ind.get("provisional", False)),
                    child_ages=(int(ind["child_ages"]["from"]), int(ind["child_ages"]["below"]))
                    if ind.get("child_ages") else None,
                )
            )
    return Standard(
        id=raw["id"],
        legal_text=raw["legal_text"],
        short_name=raw["short_name"],
        title=raw["title"],
        first_year=raw["years"][0],
        last_year=raw["years"][1],
        extended_years=tuple(raw.get("extended_years", [])),
        provisional=bool(raw.get("provisional", False)),
        provisional_note=raw.get("provisional_note", ""),
        rule=raw["rule"],
        min_deprived=int(raw["min_deprived"]),
        thresholds={area: Threshold(**t) for area, t in raw["thresholds"].items()},
        indicators=tuple(indicators),
        dimensions=tuple(dims),
    )


def classify(standard: Standard, area: str, income: int, deprived: list[str] | tuple[str, ...]) -> Classification:
    """Classify one household under ``standard``; the explanation says why, in Vietnamese words.

    ``income`` is per person per month in đồng; ``deprived`` holds indicator codes of ``standard``.
    """
    n = deprived_count(standard, area, income, deprived)
    total = len(standard.indicators)
    t = standard.thresholds[area]
    k = standard.min_deprived
    case = _case(standard, t, income, n)
    near = t.near_poor_line or t.poor_line
    why = _WHY[case].format(
        income=format_money(income), poor=_line(t.poor_line), near=_line(near), average=_line(t.average_line),
        above_band=_line(t.average_line if t.average_line is not None else near),
        above_line=_line(t.average_line if t.average_line is not None else t.poor_line),
        area=AREA_LABELS[area].lower(), deprived=f"thiếu hụt {n}/{total} chỉ số", k=k)
    cls = _CASE_CLASS[case]
    return Classification(cls, n, total, f"{CLASSIFICATION_LABELS[cls]}: {why}")


def classification_of(standard: Standard, area: str, income: int, deprived_n: int) -> str:
    """:func:`classify`'s classification of a household lacking ``deprived_n`` distinct indicators
    (:func:`deprived_count`), without the explanation: an import classifies every household of a
    list and explains only where the file says otherwise."""
    return _CASE_CLASS[_case(standard, standard.thresholds[area], income, deprived_n)]


def deprived_count(standard: Standard, area: str, income: int, deprived: list[str] | tuple[str, ...]) -> int:
    """The number of distinct indicators of ``standard`` in ``deprived``, once the inputs are checked:
    :class:`StandardError` for an unknown area or indicator or a negative income."""
    if area not in standard.thresholds:
        raise StandardError(f"Khu vực '{area}' không hợp lệ (chọn: nông thôn hoặc thành thị).")
    if income < 0:
        raise StandardError("Thu nhập bình quân không được âm.")
    for code in deprived:
        standard.indicator(code)
    return len(set(deprived))


def _case(standard: Standard, t: Threshold, income: int, n: int) -> str:
    """Which rule of ``standard`` decides a household: the one place the lines and the count are compared."""
    k = standard.min_deprived
    if standard.rule == "band":
        near = t.near_poor_line or t.poor_line
        if income <= t.poor_line:
            return "band_poor_line"
        if income <= near:
            return "band_poor" if n >= k else "band_near"
        if t.average_line is not None and income <= t.average_line:
            return "band_average"
        return "band_none"
    if income <= t.poor_line:
        return "line_poor" if n >= k else "line_near"
    if t.average_line is not None and income <= t.average_line:
        return "line_average"
    return "line_none"


# The words of each case, as the explanation gives them.
_WHY = {
    "band_poor_line": "thu nhập {income} ≤ {poor} (chuẩn nghèo {area})",
    "band_poor": "thu nhập {income} trong khoảng {poor} – {near} và {deprived} (≥ {k})",
    "band_near": "thu nhập {income} trong khoảng {poor} – {near} và {deprived} (< {k})",
    "band_average": "thu nhập {income} trên chuẩn cận nghèo {near} và ≤ {average}",
    "band_none": "thu nhập {income} > {above_band}",
    "line_poor": "thu nhập {income} ≤ {poor} và {deprived} (≥ {k})",
    "line_near": "thu nhập {income} ≤ {poor} và {deprived} (< {k})",
    "line_average": "thu nhập {income} trên chuẩn nghèo {poor} và ≤ {average}",
    "line_none": "thu nhập {income} > {above_line}",
}
_CASE_CLASS = {"band_poor_line": POOR, "band_poor": POOR, "band_near": NEAR_POOR, "band_average": AVERAGE,
               "band_none": NONE, "line_poor": POOR, "line_near": NEAR_POOR, "line_average": AVERAGE, "line_none": NONE}


# A standard's few income lines as written in an explanation: a list's classification writes them
# for every household.
_line = lru_cache(maxsize=256)(format_money)


def child_indicator_warnings(standard: Standard, deprived: list[str] | tuple[str, ...], ages: list[int]) -> list[str]:
    """Warnings for indicators about children recorded for a household with no child of those ages.

    ``ages`` are the members' ages in the review year (head included). A warning, not an error:
    a birth year may be missing or wrong, and the official decides.
    """
    out = []
    for code in deprived:
        try:
            ind = standard.indicator(code)
        except StandardError:
            continue
        if ind.child_ages is None:
            continue
        lo, hi = ind.child_ages
        if not any(lo <= a < hi for a in ages):
            out.append(
                f"Chỉ số {ind.code} ({ind.name}) được đánh dấu thiếu hụt nhưng hộ không có trẻ em "
                f"từ {lo} đến dưới {hi} tuổi theo năm sinh đã ghi."
            )
    return out
