"""Everything Tổng quan shows for a year, read in a handful of set-wide queries (the page redraws
on every change and must stay quick for a 20,000-household commune)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlite_utils import Database

from gnbv_desktop.core.classifications import NEAR_POOR, POOR
from gnbv_desktop.core.plans import CANCELLED, DONE, CommunePlan, Projection, project
from gnbv_desktop.core.standards import StandardError
from gnbv_desktop.store.catalog_store import catalog_names
from gnbv_desktop.store.household_list import SIZE_SQL
from gnbv_desktop.store.households import stats_from_counts
from gnbv_desktop.store.plans import get_commune_plan, plan_counts_from
from gnbv_desktop.store.review import transition_counts
from gnbv_desktop.store.standard_store import standards_in_force
from gnbv_desktop.store.villages import Village, list_villages


@dataclass
class Dashboard:
    year: int
    stats: dict  # store.households.stats (with resident households and rates)
    villages: list[Village]
    projection: Projection
    plan: CommunePlan | None
    deprived: list[tuple[str, str, int]] = field(default_factory=list)  # (code, name, poor/near-poor households)
    helped: dict[int, tuple[int, int]] = field(default_factory=dict)  # village id → (with helper, without)
    funding: list[tuple[str, str, int, int]] = field(default_factory=list)  # (code, name, expected, delivered)
    transitions: dict | None = None
    plan_items: int = 0  # live (not cancelled) plan items of the year
    plan_items_done: int = 0

    @property
    def unassisted(self) -> int:
        """Poor and near-poor households without a helper."""
        return sum(without for _with, without in self.helped.values())


def dashboard(db: Database, year: int) -> Dashboard:
    """Read in five set-wide queries: the year's list grouped once for the counts, the projection
    and helper coverage; the deprivations, the plan items and the movements from covering indexes
    (migration 009). Python only adds up the few hundred groups."""
    plan = get_commune_plan(db, year)
    groups = db.execute(
        f"""SELECT vid, cls, dtts, result, helped, COUNT(*), SUM(people) FROM (
              SELECT h.village_id AS vid, a.classification AS cls, instr(h.categories, '"dtts"') > 0 AS dtts,
                     CASE WHEN a.classification IN (?2, ?3) THEN COALESCE(
                         (SELECT hp.expected_result FROM household_plans hp
                          WHERE hp.household_id = a.household_id AND hp.year = a.year AND hp.deleted = 0), '') END AS result,
                     CASE WHEN a.classification IN (?2, ?3) THEN EXISTS (
                         SELECT 1 FROM helper_assignments ha JOIN helpers hl ON hl.id = ha.helper_id AND hl.deleted = 0
                         WHERE ha.household_id = a.household_id AND +ha.year = a.year AND ha.deleted = 0) END AS helped,
                     {SIZE_SQL} AS people
              FROM assessments a JOIN households h ON h.id = a.household_id AND h.deleted = 0
              WHERE a.year = ?1 AND a.deleted = 0)
            GROUP BY 1, 2, 3, 4, 5""",  # "+ha.year": look assignments up by household, not scan the year's
        [year, POOR, NEAR_POOR],
    ).fetchall()
    by_class: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    by_plan: dict[tuple, int] = defaultdict(int)
    coverage: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for vid, cls, dtts, result, helped, n, people in groups:
        total = by_class[vid, cls]
        total[0] += n
        total[1] += people
        if cls in (POOR, NEAR_POOR):
            by_plan[cls, dtts, result] += n
            coverage[vid][not helped] += n
    data = Dashboard(year, stats_from_counts(db, year, [(*k, n, p) for k, (n, p) in by_class.items()]), list_villages(db),
                     project(plan_counts_from(db, year, plan, [(*k, n) for k, n in by_plan.items()]), plan), plan)
    data.helped = {vid: (c[0], c[1]) for vid, c in coverage.items()}
    try:
        std = standards_in_force(db).for_year(year)
    except StandardError:
        std = None
    if std is not None:
        counts = dict(db.execute(
            """SELECT j.value, COUNT(*) FROM assessments a, json_each(a.deprived) j
               WHERE a.year = ? AND a.deleted = 0 AND a.classification IN (?, ?)
                 AND a.household_id NOT IN (SELECT id FROM households WHERE deleted != 0) GROUP BY 1""",
            [year, POOR, NEAR_POOR],
        ).fetchall())
        data.deprived = [(i.code, i.name, counts.get(i.code, 0)) for i in std.indicators]
    amounts: dict[str, list[int]] = {}
    for source, expected, delivered, items, done in db.execute(
        """SELECT p.funding_source, COALESCE(SUM(p.expected_amount), 0),
                  COALESCE(SUM(CASE WHEN p.status = ? THEN p.actual_amount END), 0), COUNT(*), SUM(p.status = ?)
           FROM plan_items p
           WHERE p.year = ? AND p.deleted = 0 AND p.status != ?
             AND p.household_id NOT IN (SELECT id FROM households WHERE deleted != 0) GROUP BY 1""",
        [DONE, DONE, year, CANCELLED],
    ):
        amounts[source] = [expected, delivered]
        data.plan_items += items
        data.plan_items_done += done
    names = catalog_names(db, "funding_sources")
    codes = [c for c in names if c in amounts] + [c for c in amounts if c not in names]
    data.funding = [(c, names.get(c, c or "Chưa ghi nguồn"), *amounts[c]) for c in codes]
    data.transitions = transition_counts(db, year)
    return data


def households_deprived_on(db: Database, year: int, code: str) -> set[int]:
    """Poor and near-poor households of ``year`` deprived on indicator ``code`` (a chart's click)."""
    return {r[0] for r in db.execute(
        """SELECT a.household_id FROM assessments a JOIN households h ON h.id = a.household_id AND h.deleted = 0
           WHERE a.year = ? AND a.deleted = 0 AND a.classification IN (?, ?)
             AND EXISTS (SELECT 1 FROM json_each(a.deprived) WHERE value = ?)""",
        [year, POOR, NEAR_POOR, code],
    )}
