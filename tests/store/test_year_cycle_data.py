"""Data the year's forms need: per-year target groups, DTTS from the ethnic group, a consistent demo."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from gnbv_desktop.core.household import Assessment, Household
from gnbv_desktop.core.standard_set import shipped_standards
from gnbv_desktop.jobs.demo import create_demo
from gnbv_desktop.jobs.progress import run_to_end
from gnbv_desktop.store.database import open_database
from gnbv_desktop.store.households import get_assessment, get_household, save_household
from gnbv_desktop.store.villages import add_village

FIXTURES = Path(__file__).parent / "fixtures"


def test_v1_file_gets_derived_dtts_and_per_year_groups(tmp_path):
    path = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURES / "schema_v1.sqlite3", path)
    db = open_database(path)
    cats = dict(db.execute("SELECT id, categories FROM households").fetchall())
    assert json.loads(cats[4]) == ["dtts", "phu_nu_chu_ho"]
    assert "dtts" not in json.loads(cats[1])
    groups = db.execute("SELECT household_id, year, target_groups FROM assessments ORDER BY 1, 2").fetchall()
    by_household = {hid: json.loads(g) for hid, _y, g in groups}
    assert by_household == {1: ["khong_kha_nang_lao_dong"], 2: [], 3: ["nguoi_co_cong"], 4: [], 5: ["nguoi_co_cong"]}
    assert db.execute("SELECT COUNT(*) FROM assessments WHERE review_status != ''").fetchone()[0] == 0
    db.close()


def test_target_groups_are_kept_per_year(db):
    vid = add_village(db, "Thôn 1", "rural").id
    h = Household(head_name="Nguyễn Văn An", village_id=vid, ethnicity_name="Kinh", categories=["nguoi_co_cong"])
    save_household(db, h, Assessment(2025, "nd07-2021", "rural", 1_000_000, ["1.1", "2.2", "4.1"]))
    h = get_household(db, h.id)
    h.categories = ["khong_kha_nang_lao_dong"]
    save_household(db, h, Assessment(2026, "nd07-2021", "rural", 1_000_000, ["1.1", "2.2", "4.1"]))
    rows = dict(db.execute("SELECT year, target_groups FROM assessments WHERE household_id = ?", [h.id]).fetchall())
    assert json.loads(rows[2025]) == ["nguoi_co_cong"]
    assert json.loads(rows[2026]) == ["khong_kha_nang_lao_dong"]
    assert get_assessment(db, h.id, 2025).target_groups == ["nguoi_co_cong"]


def test_demo_households_are_consistent(db):
    run_to_end(create_demo(db, 400, seed=3, year=2026))
    # DTTS flag exactly where the head's ethnic group is not Kinh
    wrong = db.execute(
        """SELECT COUNT(*) FROM households
           WHERE (ethnicity_code != '01') != (EXISTS (SELECT 1 FROM json_each(categories) WHERE value = 'dtts'))"""
    ).fetchone()[0]
    assert wrong == 0
    # No child indicator without a child of the decree's ages in that year
    rows = db.execute(
        """SELECT a.year, a.standard_id, a.deprived, h.head_birth_year,
                  (SELECT json_group_array(m.birth_year) FROM members m WHERE m.household_id = h.id AND m.deleted = 0)
           FROM assessments a JOIN households h ON h.id = a.household_id"""
    ).fetchall()
    checked = 0
    for year, sid, deprived, head_year, births in rows:
        std = shipped_standards().get(sid)
        ages = [year - b for b in [head_year, *json.loads(births)] if b is not None]
        for code in json.loads(deprived):
            ind = std.indicator(code)
            if ind.child_ages:
                checked += 1
                assert any(ind.child_ages[0] <= a < ind.child_ages[1] for a in ages), (year, code, ages)
    assert checked > 20
    # The farm-average flag only on average-living households
    bad = db.execute(
        """SELECT COUNT(*) FROM assessments WHERE classification != 'average'
           AND EXISTS (SELECT 1 FROM json_each(target_groups) WHERE value = 'nong_lam_ngu_diem_trung_binh')"""
    ).fetchone()[0]
    assert bad == 0
