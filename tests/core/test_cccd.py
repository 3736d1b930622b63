"""CCCD structure: 12 digits, province code, century/sex digit and birth year digits."""

from __future__ import annotations

from gnbv_desktop.core.cccd import FEMALE, MALE, cccd_errors, make_cccd, mask_cccd, restore_leading_zero


def test_valid_numbers_pass():
    assert cccd_errors("064085001234", 1985, MALE) == []
    assert cccd_errors("064185001234", 1985, FEMALE) == []
    assert cccd_errors("001203001234", 2003, MALE) == []


def test_length_digits_and_province():
    assert "12 chữ số" in cccd_errors("06408500123")[0]
    assert "chữ số" in cccd_errors("06408500123A")[0]
    assert any("mã tỉnh" in e for e in cccd_errors("099085001234"))


def test_year_and_sex_must_agree():
    errs = cccd_errors("064085001234", 1986, FEMALE)
    assert any("năm sinh 1985" in e for e in errs)
    assert any("giới tính Nam" in e for e in errs)


def test_make_mask_restore():
    n = make_cccd("064", 2001, FEMALE, 42)
    assert n == "064301000042" and cccd_errors(n, 2001, FEMALE) == []
    assert mask_cccd("064123456123") == "064******123"
    assert restore_leading_zero("64085001234") == ("064085001234", True)
