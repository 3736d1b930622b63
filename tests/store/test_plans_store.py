"""Plans in the database: helpers, (bulk) assignment, plan items, goals, commune plan, filters."""

from __future__ import annotations

import pytest

from gnbv_desktop.core.classifications import NEAR_POOR, POOR
from gnbv_desktop.core.plans import CANCELLED, DONE, ESCAPE_POVERTY, CommunePlan, Helper, PlanItem
from gnbv_desktop.store.catalog_store import replace_catalog
from gnbv_desktop.store.household_list import list_rows
from gnbv_desktop.store.households import ValidationError
from gnbv_desktop.store.plans import (
    assign_helpers,
    delete_helper,
    get_commune_plan,
    helper_progress,
    helpers_of,
    households_of_helper,
    households_with_helper,
    households_without_helper,
    plan_counts,
    plan_items,
    plan_stats,
    save_commune_plan,
    save_expected_result,
    save_helper,
    save_plan_items,
    set_household_helpers,
    support_measures,
)
from gnbv_desktop.store.records import FOREIGN_KEYS, SYNCED_TABLES


def _poor_ids(db, year=2026):
    return [r.id for r in list_rows(db, year) if r.classification in (POOR, NEAR_POOR)]


def test_plan_tables_travel_upward(db):
    for table in ("helpers", "helper_assignments", "household_plans", "plan_items", "commune_plans"):
        assert table in SYNCED_TABLES and table in FOREIGN_KEYS
        cols = {c.name for c in db[table].columns}
        assert {"uuid", "rev", "change_counter", "deleted"} <= cols


def test_demo_creates_helpers_assignments_items_and_plan(demo_db):
    helpers = {h.helper.name: h for h in helper_progress(demo_db, 2026)}
    assert "Hội Nông dân xã Ia Grai" in helpers and "Hội Liên hiệp Phụ nữ xã Ia Grai" in helpers
    poor = _poor_ids(demo_db)
    with_helper = households_with_helper(demo_db, 2026)
    assert len(with_helper & set(poor)) >= 0.7 * len(poor)
    stats = plan_stats(demo_db, 2026)
    assert stats["plan_items"] > len(poor)
    plan = get_commune_plan(demo_db, 2026)
    assert plan.document_number.endswith("/KH-UBND") and plan.signer_name
    # items follow the household's deprivations: a household lacking BHYT (2.2) has a BHYT item
    row = demo_db.execute(
        "SELECT household_id FROM assessments WHERE year = 2026 AND classification = 'poor' "
        "AND deprived LIKE '%\"2.2\"%' LIMIT 1").fetchone()
    if row:
        assert "bhyt" in [i.measure_code for i in plan_items(demo_db, row[0], 2026)]


def test_bulk_assign_is_idempotent_and_revives(demo_db):
    ids = _poor_ids(demo_db)[:5]
    h = save_helper(demo_db, Helper(name="Hội Người cao tuổi xã"))
    assert assign_helpers(demo_db, ids, [h.id], 2026) == 5
    assert assign_helpers(demo_db, ids, [h.id], 2026) == 0
    set_household_helpers(demo_db, ids[0], 2026, [])
    assert h.id not in [x.id for x in helpers_of(demo_db, ids[0], 2026)]
    assert assign_helpers(demo_db, ids, [h.id], 2026) == 1
    assert {a.id for a in households_of_helper(demo_db, h.id, 2026)} == set(ids)
    n = demo_db.execute("SELECT COUNT(*) FROM helper_assignments WHERE helper_id = ?", [h.id]).fetchone()[0]
    assert n == 5


def test_without_helper_filter(demo_db):
    poor = set(_poor_ids(demo_db))
    missing = households_without_helper(demo_db, 2026)
    assert missing == poor - households_with_helper(demo_db, 2026)
    h = save_helper(demo_db, Helper(name="Đoàn viên Nguyễn Văn A", kind="person"))
    assign_helpers(demo_db, sorted(missing), [h.id], 2026)
    assert households_without_helper(demo_db, 2026) == set()
    delete_helper(demo_db, h.id)
    assert households_without_helper(demo_db, 2026) == missing


def test_save_items_replaces_and_soft_deletes(demo_db):
    hid = _poor_ids(demo_db)[0]
    items = [PlanItem("bhyt", "Cấp thẻ BHYT cho 4 người", 5_054_400, "ngan_sach_tw"),
             PlanItem("nha_o", "Sửa mái nhà", 30_000_000, "xa_hoi_hoa", status=DONE, actual_date="2026-03-01",
                      actual_amount=28_000_000)]
    save_plan_items(demo_db, hid, 2026, items)
    got = plan_items(demo_db, hid, 2026)
    assert [(i.measure_code, i.expected_amount) for i in got] == [("bhyt", 5_054_400), ("nha_o", 30_000_000)]
    save_plan_items(demo_db, hid, 2026, got[1:])
    assert [i.measure_code for i in plan_items(demo_db, hid, 2026)] == ["nha_o"]
    assert demo_db.execute("SELECT deleted FROM plan_items WHERE id = ?", [got[0].id]).fetchone()[0] == 1


def test_invalid_item_writes_nothing(demo_db):
    hid = _poor_ids(demo_db)[0]
    before = plan_items(demo_db, hid, 2026)
    with pytest.raises(ValidationError) as exc:
        save_plan_items(demo_db, hid, 2026, [PlanItem("bhyt"), PlanItem("bhyt", expected_amount=-1)])
    assert "Dòng 2" in str(exc.value)
    assert plan_items(demo_db, hid, 2026) == before


def test_edited_catalogue_wins(demo_db):
    items = [{"code": "bhyt", "name": "Thẻ bảo hiểm y tế", "indicators": {"nd07-2021": ["2.2"]}},
             {"code": "qua_tet", "name": "Tặng quà Tết"}]
    replace_catalog(demo_db, "support_measures", items)
    assert [m.code for m in support_measures(demo_db)] == ["bhyt", "qua_tet"]
    with pytest.raises(ValidationError):
        save_plan_items(demo_db, _poor_ids(demo_db)[0], 2026, [PlanItem("nha_o")])


def test_expected_result_must_fit_classification(demo_db):
    near = next(r.id for r in list_rows(demo_db, 2026) if r.classification == NEAR_POOR)
    with pytest.raises(ValidationError):
        save_expected_result(demo_db, near, 2026, ESCAPE_POVERTY)


def test_plan_counts_and_stats_follow_goals(demo_db):
    plan = save_commune_plan(demo_db, CommunePlan(2026, document_number="3/KH-UBND", total_households=1000))
    counts = plan_counts(demo_db, 2026, plan)
    assert counts.total_households == 1000
    poor = [r.id for r in list_rows(demo_db, 2026) if r.classification == POOR]
    for hid in poor:
        save_expected_result(demo_db, hid, 2026, ESCAPE_POVERTY)
    assert plan_counts(demo_db, 2026, plan).planned_escape_poverty == len(poor)
    hid = poor[0]
    save_plan_items(demo_db, hid, 2026, [PlanItem("bhyt", status=CANCELLED)])
    before = plan_stats(demo_db, 2026)["plan_items"]
    save_plan_items(demo_db, hid, 2026, [PlanItem("bhyt"), PlanItem("nha_o")])
    assert plan_stats(demo_db, 2026)["plan_items"] == before + 2
