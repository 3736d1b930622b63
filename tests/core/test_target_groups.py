from gnbv_desktop.core.household import Household, normalize_household
from gnbv_desktop.core.target_groups import is_ethnic_minority, with_derived_dtts, yearly_groups


def test_dtts_follows_the_recorded_ethnic_group():
    assert is_ethnic_minority("Gia-rai") is True
    assert is_ethnic_minority("Kinh") is False
    assert is_ethnic_minority("Việt") is False  # the other name of Kinh
    assert is_ethnic_minority("", "") is None
    assert is_ethnic_minority("", "05") is True
    assert with_derived_dtts(["phu_nu_chu_ho"], "Ê-đê") == ["dtts", "phu_nu_chu_ho"]
    assert with_derived_dtts(["dtts", "phu_nu_chu_ho"], "Kinh") == ["phu_nu_chu_ho"]
    assert with_derived_dtts(["dtts"], "") == ["dtts"]  # nothing recorded: the flag stays as entered


def test_saving_a_household_derives_the_flag():
    h = Household(head_name="Ksor H'Bia", village_id=1, ethnicity_name="Gia Rai", categories=["nguoi_co_cong"])
    normalize_household(h)
    assert h.categories == ["dtts", "nguoi_co_cong"]
    h.ethnicity_name = "Kinh"
    normalize_household(h)
    assert h.categories == ["nguoi_co_cong"]


def test_yearly_groups_in_form_order():
    assert yearly_groups(["khong_kha_nang_lao_dong", "dtts", "nguoi_co_cong"]) == ["nguoi_co_cong", "khong_kha_nang_lao_dong"]
