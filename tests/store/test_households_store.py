"""Saving, reading, deleting households; the year's list; uniqueness of CCCD in the commune."""

from __future__ import annotations

import pytest

from gnbv_desktop.core.household import Assessment, Household, Member
from gnbv_desktop.store.household_list import list_rows
from gnbv_desktop.store.households import (
    ValidationError,
    delete_household,
    filter_rows,
    get_assessment,
    get_household,
    list_deleted,
    restore_household,
    save_household,
    stats,
)
from gnbv_desktop.store.settings import CommuneSettings, save_settings
from gnbv_desktop.store.villages import add_village


@pytest.fixture
def commune(db):
    save_settings(db, CommuneSettings(commune_name="Xã Thử", province_name="Gia Lai"))
    return add_village(db, "Thôn 1", "rural"), add_village(db, "Tổ dân phố 1", "urban")


def _household(village_id: int, **kw) -> Household:
    base = dict(head_name="Nguyễn Văn An", village_id=village_id, head_cccd="064085001234", head_birth_year=1985,
                head_sex="nam", members=[Member("Trần Thị Bình", "Vợ", 1987, "nu", "064187004321")])
    base.update(kw)
    return Household(**base)


def test_save_and_read_back_with_assessment(db, commune):
    rural, _ = commune
    a = Assessment(2026, "nd07-2021", "rural", 1_200_000, ["1.1", "2.2", "4.1"], causes=["thieu_von"])
    h = save_household(db, _household(rural.id), a)
    got = get_household(db, h.id)
    assert got.head_name == "Nguyễn Văn An" and got.code == "00001" and got.size == 2
    assert got.members[0].full_name == "Trần Thị Bình"
    ass = get_assessment(db, h.id, 2026)
    assert ass.classification == "poor" and ass.deprived == ["1.1", "2.2", "4.1"] and ass.causes == ["thieu_von"]
    rows = list_rows(db, 2026)
    assert [(r.head_name, r.village, r.classification, r.size, r.income) for r in rows] == [
        ("Nguyễn Văn An", "Thôn 1", "poor", 2, 1_200_000)
    ]
    assert list_rows(db, 2025) == []


def test_update_replaces_members_and_keeps_uuid(db, commune):
    rural, _ = commune
    h = save_household(db, _household(rural.id))
    uuid = h.uuid
    h.members = [Member("Nguyễn Văn Cường", "Con", 2010, "nam")]
    save_household(db, h)
    got = get_household(db, h.id)
    assert [m.full_name for m in got.members] == ["Nguyễn Văn Cường"]
    assert got.uuid == uuid
    counter = db.execute("SELECT change_counter FROM households WHERE id = ?", [h.id]).fetchone()[0]
    assert counter == 2
    deleted = db.execute("SELECT COUNT(*) FROM members WHERE household_id = ? AND deleted = 1", [h.id]).fetchone()[0]
    assert deleted == 1


def test_cccd_unique_in_commune_and_nothing_written(db, commune):
    rural, _ = commune
    save_household(db, _household(rural.id))
    before = db.execute("SELECT COUNT(*) FROM households").fetchone()[0]
    other = _household(rural.id, head_name="Lê Văn Chín", members=[], head_cccd="064187004321",
                       head_birth_year=1987, head_sex="nu")
    with pytest.raises(ValidationError) as exc:
        save_household(db, other)
    assert "Trần Thị Bình" in exc.value.errors["head.cccd"]
    assert db.execute("SELECT COUNT(*) FROM households").fetchone()[0] == before


def test_soft_delete_and_restore(db, commune):
    rural, _ = commune
    h = save_household(db, _household(rural.id), Assessment(2026, "nd07-2021", "rural", 900_000, []))
    delete_household(db, h.id)
    assert list_rows(db, 2026) == []
    assert db.execute("SELECT deleted FROM households WHERE id = ?", [h.id]).fetchone()[0] == 1
    restore_household(db, h.id)
    assert [r.id for r in list_rows(db, 2026)] == [h.id]


def test_deleted_households_are_listed_and_a_clashing_restore_is_refused(db, commune):
    rural, _ = commune
    old = save_household(db, _household(rural.id), Assessment(2026, "nd07-2021", "rural", 900_000, []))
    delete_household(db, old.id)
    assert [(d.id, d.head_name, d.village) for d in list_deleted(db)] == [(old.id, "Nguyễn Văn An", "Thôn 1")]
    # the same head registered again while the old record was deleted: restoring would duplicate the CCCD
    save_household(db, _household(rural.id, code="00009", members=[]), Assessment(2026, "nd07-2021", "rural", 900_000, []))
    with pytest.raises(ValidationError) as exc:
        restore_household(db, old.id)
    assert "064085001234" in exc.value.errors["head.cccd"]
    assert db.execute("SELECT deleted FROM households WHERE id = ?", [old.id]).fetchone()[0] == 1


def test_search_ignores_diacritics_and_case(demo_db):
    rows = list_rows(demo_db, 2026)
    target = rows[3]
    from gnbv_desktop.core.text import fold

    found = filter_rows(rows, fold(target.head_name).upper())
    assert target.id in [r.id for r in found]
    assert all(fold(target.head_name) in r.search_key for r in found)
    assert [r.id for r in filter_rows(rows, target.code)] == [target.id]


def test_stats_shape_and_totals(demo_db):
    s = stats(demo_db, 2026)
    assert s["households"] == 60
    assert sum(s["by_classification"][c] for c in ("poor", "near_poor", "average", "none")) == 60
    assert sum(v["households"] for v in s["by_village"].values()) == 60
    assert s["members"] == sum(r.size for r in list_rows(demo_db, 2026))
