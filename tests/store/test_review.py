"""Year-end review: carry with review marks, refusal to close unreviewed, each movement case by case,
a change of standard as a new baseline, and the "mới thoát nghèo" window."""

from __future__ import annotations

import datetime as _dt

import pytest

from gnbv_desktop.core.household import Assessment, Household
from gnbv_desktop.jobs.progress import run_to_end
from gnbv_desktop.jobs.year_review import finish_review, start_review
from gnbv_desktop.store.backup import list_backups
from gnbv_desktop.store.households import save_assessment, save_household
from gnbv_desktop.store.review import (
    ReviewError,
    close_review,
    confirm_unchanged,
    recently_escaped,
    review_state,
    set_escape_window_months,
    transition_counts,
)
from gnbv_desktop.store.villages import add_village

# rural incomes giving each classification: NĐ 07 (2022–2026) and QĐ 59 (2021)
ND07 = {"poor": (1_000_000, ["1.1", "2.2", "4.1"]), "near_poor": (1_000_000, []), "average": (2_000_000, []),
        "none": (3_000_000, [])}
QD59 = {"poor": (600_000, []), "average": (1_200_000, [])}


def _commune(db, histories: dict[str, dict[int, str]]) -> dict[str, int]:
    vid = add_village(db, "Thôn 1", "rural").id
    ids = {}
    for name, years in histories.items():
        h = save_household(db, Household(head_name=name, village_id=vid, ethnicity_name="Kinh"))
        ids[name] = h.id
        for year, cls in years.items():
            std, table = ("qd59-2015", QD59) if year == 2021 else ("nd07-2021", ND07)
            income, deprived = table[cls]
            save_assessment(db, h.id, Assessment(year, std, "rural", income, deprived))
    return ids


CASES = {  # name: {year: classification}, expected movement in 2024
    "Hộ A": ({2023: "poor", 2024: "near_poor"}, "escaped_poor_to_near_poor"),
    "Hộ B": ({2023: "poor", 2024: "average"}, "escaped_poor_above"),
    "Hộ C": ({2023: "near_poor", 2024: "none"}, "escaped_near_poor"),
    "Hộ D": ({2022: "average", 2023: "average", 2024: "poor"}, "new_poor"),
    "Hộ E": ({2022: "poor", 2023: "average", 2024: "poor"}, "re_poor"),
    "Hộ F": ({2024: "near_poor"}, "new_near_poor"),
    "Hộ G": ({2022: "near_poor", 2023: "none", 2024: "near_poor"}, "re_near_poor"),
    "Hộ H": ({2023: "near_poor", 2024: "poor"}, "near_to_poor"),
    "Hộ I": ({2023: "poor", 2024: "poor"}, None),
    # escaped under QĐ 59 only: poor again under NĐ 07 is "phát sinh", not "tái nghèo"
    "Hộ J": ({2021: "poor", 2022: "average", 2023: "average", 2024: "poor"}, "new_poor"),
}


def _stored(db, year) -> dict[int, str]:
    return dict(db.execute("SELECT household_id, kind FROM transitions WHERE year = ? AND deleted = 0", [year]))


def test_each_movement_case_by_case(db):
    ids = _commune(db, {name: years for name, (years, _k) in CASES.items()})
    counts = close_review(db, 2024, "125/QĐ-UBND", "2024-12-20")
    expected = {ids[name]: kind for name, (_y, kind) in CASES.items() if kind}
    assert _stored(db, 2024) == expected
    by_kind = dict(db.execute("SELECT kind, COUNT(*) FROM transitions WHERE year = 2024 AND deleted = 0 GROUP BY 1"))
    assert {k: v for k, v in counts.items() if v} == by_kind
    summary = transition_counts(db, 2024)
    assert summary["escaped_poor"] == by_kind["escaped_poor_to_near_poor"] + by_kind["escaped_poor_above"] == 2
    assert summary["new_poor"] == 2 and summary["re_poor"] == 1 and summary["new_baseline"] is False
    assert summary["people"]["new_poor"] == 2  # heads only, no members
    assert (summary["decision_number"], summary["decision_date"]) == ("125/QĐ-UBND", "2024-12-20")


def test_change_of_standard_is_a_new_baseline(db):
    _commune(db, {"Hộ K": {2021: "poor", 2022: "average"}, "Hộ L": {2021: "average", 2022: "poor"}})
    counts = close_review(db, 2022)
    assert sum(counts.values()) == 0 and _stored(db, 2022) == {}
    assert transition_counts(db, 2022)["new_baseline"] is True
    from gnbv_desktop.store.households import stats

    assert stats(db, 2022)["by_classification"]["escaped"] == 0  # no "escape" by a change of the lines


def test_reclosing_withdraws_movements_that_no_longer_hold(db):
    ids = _commune(db, {"Hộ A": {2023: "poor", 2024: "near_poor"}})
    close_review(db, 2024)
    save_assessment(db, ids["Hộ A"], Assessment(2024, "nd07-2021", "rural", *ND07["poor"]))
    close_review(db, 2024)
    assert _stored(db, 2024) == {}
    assert db.execute("SELECT deleted FROM transitions WHERE household_id = ?", [ids["Hộ A"]]).fetchone()[0] == 1


def test_start_marks_households_and_close_waits_for_the_review(db):
    ids = _commune(db, {"Hộ A": {2025: "poor"}, "Hộ B": {2025: "near_poor"}, "Hộ C": {2025: "average"}})
    assert run_to_end(start_review(db, 2026)) == 3
    rows = db.execute("SELECT classification, review_status FROM assessments WHERE year = 2026 ORDER BY household_id")
    assert rows.fetchall() == [("poor", "pending"), ("near_poor", "pending"), ("average", "pending")]
    with pytest.raises(ReviewError, match="còn 3 hộ chưa rà soát"):
        run_to_end(finish_review(db, 2026))
    assert db.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 0
    # the official changes Hộ A (now near-poor) in the editor and confirms the others unchanged
    save_assessment(db, ids["Hộ A"], Assessment(2026, "nd07-2021", "rural", *ND07["near_poor"]))
    assert review_state(db, 2026).pending == 2
    assert confirm_unchanged(db, 2026, [ids["Hộ B"]]) == 1
    assert confirm_unchanged(db, 2026) == 1
    counts = run_to_end(finish_review(db, 2026, "9/QĐ-UBND", "2026-12-01"))
    assert counts["escaped_poor_to_near_poor"] == 1
    db_path = db.execute("PRAGMA database_list").fetchone()[2]
    backups = list_backups(db_path)
    assert [b.reason for b in backups] == ["truoc-khoa-so-2026", "truoc-chuyen-nam"], \
        "a backup is taken before closing (and before the carry that started the review)"
    assert backups[0].reason_label == "Trước khi khóa sổ cuối năm 2026"


def test_start_across_a_standard_change_classifies_nothing(db):
    _commune(db, {"Hộ A": {2026: "poor"}, "Hộ B": {2026: "average"}})
    run_to_end(start_review(db, 2027))
    rows = db.execute("SELECT standard_id, classification, deprived, review_status, income FROM assessments "
                      "WHERE year = 2027 ORDER BY household_id").fetchall()
    assert rows == [("nd351-2025", "", "[]", "new_standard", 1_000_000), ("nd351-2025", "", "[]", "new_standard", 2_000_000)]
    with pytest.raises(ReviewError, match="2 hộ cần rà soát theo chuẩn mới"):
        close_review(db, 2027)
    assert confirm_unchanged(db, 2027) == 0  # a new standard needs a new assessment, not a confirmation


def test_recently_escaped_window(db):
    ids = _commune(db, {"Hộ A": {2023: "poor", 2024: "near_poor"}, "Hộ B": {2023: "poor", 2024: "poor"},
                        "Hộ C": {2023: "poor", 2024: "average", 2025: "poor"}})
    close_review(db, 2024, "1/QĐ-UBND", "2024-12-20")
    close_review(db, 2025, "2/QĐ-UBND", "2025-12-15")
    assert recently_escaped(db, _dt.date(2025, 1, 1)) == {ids["Hộ A"]: "2024-12-20"}  # Hộ C fell back in 2025
    assert recently_escaped(db, _dt.date(2027, 12, 19)) == {ids["Hộ A"]: "2024-12-20"}
    assert recently_escaped(db, _dt.date(2027, 12, 20)) == {}  # 36 months after recognition
    set_escape_window_months(db, 48)
    assert ids["Hộ A"] in recently_escaped(db, _dt.date(2027, 12, 20))
    with pytest.raises(ReviewError):
        set_escape_window_months(db, 0)
