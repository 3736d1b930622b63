"""Classification at every threshold edge, for both areas and every standard; year mapping."""

from __future__ import annotations

import pytest

from gnbv_desktop.core.classifications import AVERAGE, NEAR_POOR, NONE, POOR
from gnbv_desktop.core.standard_set import shipped_standards
from gnbv_desktop.core.standards import StandardError, classification_of, classify, deprived_count


def test_three_standards_shipped_with_their_years():
    ids = [s.id for s in shipped_standards().all()]
    assert ids == ["qd59-2015", "nd07-2021", "nd351-2025"]
    assert [(s.first_year, s.last_year) for s in shipped_standards().all()] == [(2016, 2020), (2022, 2026), (2027, 2030)]
    assert shipped_standards().get("nd351-2025").provisional
    assert all(i.provisional for i in shipped_standards().get("nd351-2025").indicators)
    assert not shipped_standards().get("nd07-2021").provisional


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2016, "qd59-2015"), (2020, "qd59-2015"), (2021, "qd59-2015"), (2022, "nd07-2021"), (2026, "nd07-2021"),
     (2027, "nd351-2025"), (2030, "nd351-2025")],
)
def test_year_to_standard(year, expected):
    assert shipped_standards().for_year(year).id == expected


def test_year_without_standard_is_an_error():
    with pytest.raises(StandardError, match="2015"):
        shipped_standards().for_year(2015)


def test_nd07_has_twelve_indicators_with_bhyt_22():
    s = shipped_standards().get("nd07-2021")
    assert len(s.indicators) == 12
    assert s.indicator("2.2").name == "Bảo hiểm y tế"


LINE_CASES = [
    ("nd07-2021", "rural", 1_500_000, 2_250_000),
    ("nd07-2021", "urban", 2_000_000, 3_000_000),
    ("nd351-2025", "rural", 2_200_000, None),
    ("nd351-2025", "urban", 2_800_000, None),
]


@pytest.mark.parametrize(("sid", "area", "line", "avg"), LINE_CASES)
def test_line_rule_edges(sid, area, line, avg):
    s = shipped_standards().get(sid)
    three = list(s.indicator_codes[:3])
    two = list(s.indicator_codes[:2])
    assert classify(s, area, line, three).classification == POOR
    assert classify(s, area, line, two).classification == NEAR_POOR
    assert classify(s, area, 0, two).classification == NEAR_POOR
    above = classify(s, area, line + 1, three).classification
    if avg is None:
        assert above == NONE
    else:
        assert above == AVERAGE
        assert classify(s, area, avg, three).classification == AVERAGE
        assert classify(s, area, avg + 1, []).classification == NONE


@pytest.mark.parametrize(
    ("area", "poor", "near", "average"),
    [("rural", 700_000, 1_000_000, 1_500_000), ("urban", 900_000, 1_300_000, 1_950_000)],
)
def test_band_rule_edges_qd59(area, poor, near, average):
    """QĐ 59/2015 Điều 2: poor, near-poor band, and hộ có mức sống trung bình above the band up to
    1.500.000 đ (rural) / 1.950.000 đ (urban)."""
    s = shipped_standards().get("qd59-2015")
    three = list(s.indicator_codes[:3])
    two = list(s.indicator_codes[:2])
    assert classify(s, area, poor, []).classification == POOR
    assert classify(s, area, poor + 1, two).classification == NEAR_POOR
    assert classify(s, area, poor + 1, three).classification == POOR
    assert classify(s, area, near, two).classification == NEAR_POOR
    assert classify(s, area, near, three).classification == POOR
    assert classify(s, area, near + 1, three).classification == AVERAGE
    assert classify(s, area, average, three).classification == AVERAGE
    assert classify(s, area, average + 1, []).classification == NONE


@pytest.mark.parametrize("sid", ["qd59-2015", "nd07-2021", "nd351-2025"])
def test_the_import_s_classification_without_explanation_is_classify_s(sid):
    """An import classifies with ``classification_of`` and explains with ``classify``: at every line of
    the standard, one đồng either side, and for every count of indicators, they agree."""
    s = shipped_standards().get(sid)
    codes = list(s.indicator_codes)
    for area, t in s.thresholds.items():
        lines = [v for v in (t.poor_line, t.near_poor_line, t.average_line) if v is not None]
        for income in sorted({0, *lines, *(v - 1 for v in lines), *(v + 1 for v in lines), 10 * max(lines)}):
            for n in range(len(codes) + 1):
                deprived = codes[:n] + codes[:1]  # a code twice counts once
                expected = classify(s, area, income, deprived)
                assert deprived_count(s, area, income, deprived) == expected.deprived_count
                assert classification_of(s, area, income, expected.deprived_count) == expected.classification


def test_explanation_in_words():
    s = shipped_standards().get("nd07-2021")
    r = classify(s, "rural", 1_200_000, ["1.1", "2.2", "3.1", "4.1"])
    assert r.explanation == "Hộ nghèo: thu nhập 1.200.000 đ ≤ 1.500.000 đ và thiếu hụt 4/12 chỉ số (≥ 3)"


def test_unknown_indicator_and_area_rejected():
    s = shipped_standards().get("nd07-2021")
    with pytest.raises(StandardError, match="9.9"):
        classify(s, "rural", 1, ["9.9"])
    with pytest.raises(StandardError):
        classify(s, "moon", 1, [])
    with pytest.raises(StandardError):
        classify(shipped_standards().get("nd351-2025"), "rural", 1, ["6.2"])


def test_titles_and_wording_follow_the_decrees():
    nd07 = shipped_standards().get("nd07-2021")
    assert nd07.title == "Chuẩn nghèo đa chiều giai đoạn 2021 – 2025"
    assert (nd07.first_year, nd07.last_year) == (2022, 2026)  # applied from 2022, kept for 2026
    assert "; và không nghe được hệ thống loa đài" in nd07.indicator("6.2").description
    assert shipped_standards().get("qd59-2015").title == "Chuẩn nghèo tiếp cận đa chiều áp dụng cho giai đoạn 2016 – 2020"


def test_child_indicator_warnings_need_a_child_of_the_decree_ages():
    from gnbv_desktop.core.standards import child_indicator_warnings

    nd07 = shipped_standards().get("nd07-2021")
    assert nd07.indicator("2.1").child_ages == (0, 16)
    assert nd07.indicator("3.2").child_ages == (3, 16)
    warnings = child_indicator_warnings(nd07, ["2.1", "3.2", "4.1"], [40, 38, 16])
    assert [w.split()[2] for w in warnings] == ["2.1", "3.2"]
    assert child_indicator_warnings(nd07, ["2.1", "3.2"], [40, 15]) == []
    assert [w.split()[2] for w in child_indicator_warnings(nd07, ["2.1", "3.2"], [40, 2])] == ["3.2"]
    qd59 = shipped_standards().get("qd59-2015")
    assert [w.split()[2] for w in child_indicator_warnings(qd59, ["1.2"], [40, 15])] == ["1.2"]
