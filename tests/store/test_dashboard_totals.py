"""Tổng quan's figures, read in one grouped pass over the list, against counts taken by SQL — with
deleted households, a deleted helper and a closed review in the data, since each is excluded or
counted in a different place."""

from __future__ import annotations

from gnbv_desktop.core.plans import project
from gnbv_desktop.store.dashboard import dashboard
from gnbv_desktop.store.households import delete_household, stats
from gnbv_desktop.store.plans import delete_helper, get_commune_plan, plan_counts
from gnbv_desktop.store.review import close_review

YEAR = 2026
LIVE = "JOIN households h ON h.id = a.household_id AND h.deleted = 0"


def _prepared(db):
    # Two poor households with plan items and helpers go; one helper goes too.
    gone = [r[0] for r in db.execute(
        f"""SELECT a.household_id FROM assessments a {LIVE} WHERE a.year = ? AND a.classification = 'poor'
            AND EXISTS (SELECT 1 FROM plan_items p WHERE p.household_id = a.household_id AND p.year = a.year)
            AND EXISTS (SELECT 1 FROM helper_assignments x WHERE x.household_id = a.household_id AND x.year = a.year)
            ORDER BY 1 LIMIT 2""", [YEAR])]
    assert len(gone) == 2
    for hid in gone:
        delete_household(db, hid)
    helper = db.execute("SELECT helper_id FROM helper_assignments WHERE year = ? AND deleted = 0 ORDER BY id LIMIT 1",
                        [YEAR]).fetchone()[0]
    delete_helper(db, helper)
    close_review(db, YEAR, "5/QĐ-UBND", "2026-12-20")
    return gone


def test_dashboard_figures_equal_sql_counts(demo_db):
    db = demo_db
    _prepared(db)
    d = dashboard(db, YEAR)

    assert d.stats == stats(db, YEAR)
    assert d.projection == project(plan_counts(db, YEAR, get_commune_plan(db, YEAR)), d.plan)

    coverage = {}
    for vid, helped, n in db.execute(
            f"""SELECT h.village_id, EXISTS (SELECT 1 FROM helper_assignments x JOIN helpers p ON p.id = x.helper_id
                                             WHERE x.household_id = a.household_id AND x.year = a.year
                                               AND x.deleted = 0 AND p.deleted = 0), COUNT(*)
                FROM assessments a {LIVE} WHERE a.year = ? AND a.deleted = 0
                  AND a.classification IN ('poor', 'near_poor') GROUP BY 1, 2""", [YEAR]):
        coverage.setdefault(vid, [0, 0])[0 if helped else 1] += n
    assert d.helped == {vid: tuple(c) for vid, c in coverage.items()}
    assert d.unassisted > 0

    deprived = dict(db.execute(
        f"""SELECT j.value, COUNT(DISTINCT a.household_id) FROM assessments a {LIVE}, json_each(a.deprived) j
            WHERE a.year = ? AND a.deleted = 0 AND a.classification IN ('poor', 'near_poor') GROUP BY 1""", [YEAR]))
    assert {code: n for code, _name, n in d.deprived if n} == deprived

    funding = {src: (exp, done) for src, exp, done in db.execute(
        """SELECT p.funding_source, SUM(COALESCE(p.expected_amount, 0)),
                  SUM(CASE WHEN p.status = 'done' THEN COALESCE(p.actual_amount, 0) ELSE 0 END)
           FROM plan_items p JOIN households h ON h.id = p.household_id AND h.deleted = 0
           WHERE p.year = ? AND p.deleted = 0 AND p.status != 'cancelled' GROUP BY 1""", [YEAR])}
    assert {code: (exp, done) for code, _name, exp, done in d.funding} == funding
    items, done = db.execute(
        """SELECT COUNT(*), SUM(p.status = 'done') FROM plan_items p JOIN households h ON h.id = p.household_id
           WHERE h.deleted = 0 AND p.year = ? AND p.deleted = 0 AND p.status != 'cancelled'""", [YEAR]).fetchone()
    assert (d.plan_items, d.plan_items_done) == (items, done)

    moved = dict(db.execute(
        """SELECT t.kind, COUNT(*) FROM transitions t JOIN households h ON h.id = t.household_id AND h.deleted = 0
           WHERE t.year = ? AND t.deleted = 0 GROUP BY 1""", [YEAR]))
    assert moved and all(d.transitions[k] == n for k, n in moved.items())
