"""Rates divide by resident households (tổng số hộ dân cư), never by the list; unknown stays unknown."""

from __future__ import annotations

import pytest

from gnbv_desktop.core.plans import CommunePlan, project
from gnbv_desktop.core.rates import NO_RESIDENTS, format_rate
from gnbv_desktop.store.households import stats
from gnbv_desktop.store.plans import plan_counts, save_commune_plan
from gnbv_desktop.store.residents import ResidentsError, residents, set_residents
from gnbv_desktop.store.villages import list_villages


def _poor(db, year, village_id=None) -> int:
    sql = """SELECT COUNT(*) FROM assessments a JOIN households h ON h.id = a.household_id AND h.deleted = 0
             WHERE a.year = ? AND a.deleted = 0 AND a.classification = 'poor'"""
    params = [year]
    if village_id is not None:
        sql += " AND h.village_id = ?"
        params.append(village_id)
    return db.execute(sql, params).fetchone()[0]


def test_rates_use_resident_households(demo_db):
    demo_db.execute("DELETE FROM resident_households")
    data = stats(demo_db, 2026)
    assert data["resident_households"] is None and data["poverty_rate_percent"] is None
    assert format_rate(data["poverty_rate_percent"]) == NO_RESIDENTS
    proj = project(plan_counts(demo_db, 2026), None)
    assert proj.current_rate is None and NO_RESIDENTS in proj.summary()

    villages = list_villages(demo_db)
    for i, v in enumerate(villages):
        set_residents(demo_db, 2026, v.id, 100 + i, 400 + i)
    # a village missing → no commune total
    demo_db.execute("UPDATE resident_households SET deleted = 1 WHERE village_id = ?", [villages[0].id])
    assert residents(demo_db, 2026).households is None
    set_residents(demo_db, 2026, villages[0].id, 100, 400)
    total = demo_db.execute("SELECT SUM(households) FROM resident_households WHERE year = 2026 AND deleted = 0").fetchone()[0]
    data = stats(demo_db, 2026)
    assert data["resident_households"] == total
    assert data["poverty_rate_percent"] == round(100 * _poor(demo_db, 2026) / total, 4)
    v = villages[1]
    assert data["by_village"][v.name]["poverty_rate_percent"] == round(100 * _poor(demo_db, 2026, v.id) / 101, 4)
    proj = project(plan_counts(demo_db, 2026), None)
    assert proj.current_rate == pytest.approx(100 * _poor(demo_db, 2026) / total)


def test_plan_total_counts_when_villages_are_not_entered(demo_db):
    demo_db.execute("DELETE FROM resident_households")
    save_commune_plan(demo_db, CommunePlan(2026, total_households=2000))
    assert stats(demo_db, 2026)["resident_households"] == 2000
    assert residents(demo_db, 2026).source == "plan"


def test_bad_figures_refused_and_nothing_written(demo_db):
    vid = list_villages(demo_db)[0].id
    before = demo_db.execute("SELECT COUNT(*), SUM(households) FROM resident_households").fetchone()
    for households, people in ((-1, None), (10, 5), (10**9, None)):
        with pytest.raises(ResidentsError):
            set_residents(demo_db, 2026, vid, households, people)
    with pytest.raises(ResidentsError, match="Thôn"):
        set_residents(demo_db, 2026, 9999, 10)
    assert demo_db.execute("SELECT COUNT(*), SUM(households) FROM resident_households").fetchone() == before
