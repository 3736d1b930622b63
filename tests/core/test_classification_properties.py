"""Properties that must hold for every standard: more income never makes a household poorer,
more deprivations never make it better off."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gnbv_desktop.core.classifications import AVERAGE, NEAR_POOR, NONE, POOR
from gnbv_desktop.core.standard_set import shipped_standards
from gnbv_desktop.core.standards import classify

RANK = {POOR: 0, NEAR_POOR: 1, AVERAGE: 2, NONE: 3}


@st.composite
def cases(draw):
    std = draw(st.sampled_from(shipped_standards().all()))
    area = draw(st.sampled_from(["rural", "urban"]))
    income = draw(st.integers(min_value=0, max_value=4_000_000))
    codes = list(std.indicator_codes)
    deprived = draw(st.lists(st.sampled_from(codes), unique=True))
    extra_income = draw(st.integers(min_value=0, max_value=2_000_000))
    extra = draw(st.lists(st.sampled_from(codes), unique=True))
    return std, area, income, deprived, extra_income, extra


@given(cases())
def test_monotonic_in_income_and_deprivations(case):
    std, area, income, deprived, extra_income, extra = case
    base = classify(std, area, income, deprived)
    richer = classify(std, area, income + extra_income, deprived)
    more_deprived = classify(std, area, income, sorted(set(deprived) | set(extra)))
    assert RANK[richer.classification] >= RANK[base.classification]
    assert RANK[more_deprived.classification] <= RANK[base.classification]
    assert base.deprived_count == len(deprived)
    assert base.explanation.startswith(base.label)
