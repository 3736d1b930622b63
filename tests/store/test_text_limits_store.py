"""Every save path refuses text the upper level's schema would refuse, and writes nothing."""

from __future__ import annotations

import pytest

from gnbv_desktop.core.household import Household
from gnbv_desktop.core.limits import MAX_NAME_CHARS
from gnbv_desktop.core.plans import Helper
from gnbv_desktop.store.households import ValidationError, save_household
from gnbv_desktop.store.plans import save_helper
from gnbv_desktop.store.settings import CommuneSettings, SettingsError, load_settings, save_settings
from gnbv_desktop.store.villages import VillageError, add_village, update_village


def _rows(db, table: str) -> list[tuple]:
    return db.execute(f"SELECT * FROM [{table}] ORDER BY 1").fetchall()


def test_household_head_name_one_over_the_limit_or_with_escape_is_refused(db):
    village = add_village(db, "Thôn 1")
    before = _rows(db, "households")
    for bad, words in (("Ê" * (MAX_NAME_CHARS + 1), "dài 201 ký tự, tối đa 200"), ("Lê\x1b[31mMinh", "ký tự điều khiển")):
        with pytest.raises(ValidationError) as exc:
            save_household(db, Household(head_name=bad, village_id=village.id))
        assert words in exc.value.errors["head_name"] and exc.value.errors["head_name"].startswith("Họ tên chủ hộ")
    assert _rows(db, "households") == before
    saved = save_household(db, Household(head_name="Ê" * MAX_NAME_CHARS, village_id=village.id))
    assert db.execute("SELECT length(head_name) FROM households WHERE id = ?", [saved.id]).fetchone()[0] == MAX_NAME_CHARS


def test_helper_save_refuses_long_and_escaped_names(db):
    for bad in ("Hội " * 5000, "Hội\x1b[31m đỏ", "Hội \u202eđỏ"):
        with pytest.raises(ValidationError):
            save_helper(db, Helper(name=bad))
    assert _rows(db, "helpers") == []


def test_village_add_and_rename_bounded(db):
    with pytest.raises(VillageError, match="Tên thôn dài 600 ký tự, tối đa 200 ký tự."):
        add_village(db, "V" * 600)
    v = add_village(db, "V" * MAX_NAME_CHARS)
    with pytest.raises(VillageError, match="Tên thôn chứa ký tự điều khiển"):
        update_village(db, v.id, "Thôn\u202e 2", "rural")
    assert db.execute("SELECT name FROM villages").fetchall() == [("V" * MAX_NAME_CHARS,)]


@pytest.mark.parametrize(("field", "label"), [("commune_name", "Tên xã"), ("province_name", "Tên tỉnh/thành phố"),
                                              ("upper_level", "Tên cơ quan cấp trên")])
def test_settings_save_refuses_names_too_long_for_the_manifest(db, field, label):
    save_settings(db, CommuneSettings(commune_name="Xã A", province_name="Gia Lai"))
    before = _rows(db, "settings")
    bad = CommuneSettings(**{"commune_name": "Xã A", "province_name": "Gia Lai", field: "X" * 250})
    with pytest.raises(SettingsError, match=f"{label} dài 250 ký tự, tối đa 200 ký tự."):
        save_settings(db, bad)
    assert _rows(db, "settings") == before
    assert load_settings(db).commune_name == "Xã A"
