"""Everything Tổng quan shows for a year, read in a handful of set-wide queries (the page redraws
on every change and must stay quick for a 20,000-household commune)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlite_utils import Database

from gnbv_desktop.core.plans import CANCELLED, DONE, CommunePlan, Projection, project
from gnbv_desktop.core.standards import NEAR_POOR, POOR, StandardError
from gnbv_desktop.store.catalog_store import catalog_names
from gnbv_desktop.store.households import stats
from gnbv_desktop.store.plans import get_commune_plan, households_with_helper, plan_counts
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
    plan = get_commune_plan(db, year)
    data = Dashboard(year, stats(db, year), list_villages(db), project(plan_counts(db, year, plan), plan), plan)
    try:
        std = standards_in_force(db).for_year(year)
    except StandardError:
        std = None
    if std is not None:
        counts = dict(db.execute(
            """SELECT j.value, COUNT(*) FROM assessments a JOIN households h ON h.id = a.household_id AND h.deleted = 0,
                      json_each(a.deprived) j
               WHERE a.year = ? AND a.deleted = 0 AND a.classification IN (?, ?) GROUP BY 1""",
            [year, POOR, NEAR_POOR],
        ).fetchall())
        data.deprived = [(i.code, i.name, counts.get(i.code, 0)) for i in std.indicators]
    helped = households_with_helper(db, year)
    coverage: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for vid, hid in db.execute(
        """SELECT h.village_id, h.id FROM assessments a JOIN households h ON h.id = a.household_id AND h.deleted = 0
           WHERE a.year = ? AND a.deleted = 0 AND a.classification IN (?, ?)""",
        [year, POOR, NEAR_POOR],
    ):
        coverage[vid][hid not in helped] += 1
    data.helped = {vid: (c[0], c[1]) for vid, c in coverage.items()}
    amounts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for source, expected, delivered, items, done in db.execute(
        """SELECT p.funding_source, COALESCE(SUM(p.expected_amount), 0),
                  COALESCE(SUM(CASE WHEN p.status = ? THEN p.actual_amount END), 0), COUNT(*), SUM(p.status = ?)
           FROM plan_items p JOIN households h ON h.id = p.household_id AND h.deleted = 0
           WHERE p.year = ? AND p.deleted = 0 AND p.status != ? GROUP BY 1""",
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
