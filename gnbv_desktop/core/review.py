"""The year-end review (rà soát): the state of each household while it runs, and the movements
(biến động) a closed review records — pure rules, no storage.

A movement compares a household's classification this year with last year's *under the same
standard*. When the standard changes (QĐ 59 → NĐ 07 in 2022, NĐ 07 → NĐ 351 in 2027) the new
year is a new baseline: nobody "escaped" or "fell back" by a change of the lines.
"""

from __future__ import annotations

import datetime as _dt

from gnbv_desktop.core.classifications import AVERAGE, NEAR_POOR, NONE, POOR

# Review state of a year's assessment ("" = reviewed: confirmed or entered by the official).
PENDING = "pending"
NEW_STANDARD = "new_standard"
REVIEW_STATUS_LABELS = {PENDING: "Chưa rà soát", NEW_STANDARD: "Rà soát theo chuẩn mới"}

ESCAPED_TO_NEAR_POOR = "escaped_poor_to_near_poor"
ESCAPED_ABOVE = "escaped_poor_above"
ESCAPED_NEAR_POOR = "escaped_near_poor"
NEW_POOR = "new_poor"
RE_POOR = "re_poor"
NEW_NEAR_POOR = "new_near_poor"
RE_NEAR_POOR = "re_near_poor"
NEAR_TO_POOR = "near_to_poor"
TRANSITIONS = (ESCAPED_TO_NEAR_POOR, ESCAPED_ABOVE, ESCAPED_NEAR_POOR, NEW_POOR, RE_POOR, NEW_NEAR_POOR,
               RE_NEAR_POOR, NEAR_TO_POOR)
TRANSITION_LABELS = {
    ESCAPED_TO_NEAR_POOR: "Thoát nghèo (thành hộ cận nghèo)",
    ESCAPED_ABOVE: "Thoát nghèo (vượt chuẩn cận nghèo)",
    ESCAPED_NEAR_POOR: "Thoát cận nghèo",
    NEW_POOR: "Hộ nghèo phát sinh",
    RE_POOR: "Hộ tái nghèo",
    NEW_NEAR_POOR: "Hộ cận nghèo phát sinh",
    RE_NEAR_POOR: "Hộ tái cận nghèo",
    NEAR_TO_POOR: "Từ cận nghèo thành nghèo",
}
TRANSITION_SHORT = {
    ESCAPED_TO_NEAR_POOR: "Nghèo → cận nghèo",
    ESCAPED_ABOVE: "Thoát nghèo hẳn",
    ESCAPED_NEAR_POOR: "Thoát cận nghèo",
    NEW_POOR: "Nghèo phát sinh",
    RE_POOR: "Tái nghèo",
    NEW_NEAR_POOR: "Cận nghèo phát sinh",
    RE_NEAR_POOR: "Tái cận nghèo",
    NEAR_TO_POOR: "Cận nghèo → nghèo",
}
ESCAPED_POOR = (ESCAPED_TO_NEAR_POOR, ESCAPED_ABOVE)
BACK_TO_POOR = (NEW_POOR, RE_POOR, NEAR_TO_POOR)
RECENTLY_ESCAPED_LABEL = "Hộ mới thoát nghèo"
DEFAULT_ESCAPE_WINDOW_MONTHS = 36
_ABOVE = (AVERAGE, NONE, "")


def transition(previous: str | None, current: str, earlier: list[str]) -> str | None:
    """The movement of one household between last year (``previous``, None when it was not on
    last year's list) and this year (``current``), both under the same standard.

    ``earlier`` holds its classifications in the years before last under that same standard;
    they tell "tái nghèo" (poor again after having escaped) from "nghèo phát sinh".
    """
    if previous == POOR:
        if current == NEAR_POOR:
            return ESCAPED_TO_NEAR_POOR
        return ESCAPED_ABOVE if current in _ABOVE else None
    if previous == NEAR_POOR:
        if current == POOR:
            return NEAR_TO_POOR
        return ESCAPED_NEAR_POOR if current in _ABOVE else None
    if current == POOR:
        return RE_POOR if POOR in earlier else NEW_POOR
    if current == NEAR_POOR:
        return RE_NEAR_POOR if NEAR_POOR in earlier else NEW_NEAR_POOR
    return None


def add_months(iso_date: str, months: int) -> str:
    """``2026-11-30`` + 3 months → ``2027-02-28`` (the last day when the month is shorter)."""
    import calendar  # here: the household list imports this module at every start, without dates to add

    d = _dt.date.fromisoformat(iso_date)
    month_index = d.month - 1 + months
    year, month = d.year + month_index // 12, month_index % 12 + 1
    day = min(d.day, calendar.monthrange(year, month)[1])
    return _dt.date(year, month, day).isoformat()
