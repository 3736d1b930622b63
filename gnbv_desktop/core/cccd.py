"""Personal ID numbers (CCCD / số định danh cá nhân): structure checks and masking.

Digits 1–3 are the province of birth registration (the 63 pre-2025 provinces), digit 4 encodes
century and sex, digits 5–6 the last two digits of the birth year (domain brief §7).
"""

from __future__ import annotations

import re

from gnbv_desktop.core.catalogs import cccd_province_codes
from gnbv_desktop.core.text import is_digits

MALE = "nam"
FEMALE = "nu"
SEX_LABELS = {MALE: "Nam", FEMALE: "Nữ"}


def normalize_cccd(text: object) -> str:
    """Digits only; spaces, dots and dashes typed between groups are dropped."""
    if text is None:
        return ""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    text = str(text)
    return text if is_digits(text) else re.sub(r"[\s.\-]", "", text)  # digits: nothing to drop


def normalize_cccds(texts: list) -> list[str]:
    """:func:`normalize_cccd` of each of a column; a column of digit strings (and blanks) is returned
    itself after one test in C."""
    try:
        joined = "".join(texts)
    except TypeError:  # a value that is not a text (a number read from a cell, None)
        return list(map(normalize_cccd, texts))
    return texts if not joined or is_digits(joined) else list(map(normalize_cccd, texts))


def cccd_errors(cccd: str, birth_year: int | None = None, sex: str | None = None) -> list[str]:
    """Problems with ``cccd`` in Vietnamese; an empty list means it is consistent."""
    if not cccd:
        return []
    if not is_digits(cccd):
        return ["Số CCCD chỉ gồm chữ số."]
    if len(cccd) != 12:
        return [f"Số CCCD phải có đúng 12 chữ số (đang có {len(cccd)})."]
    errors = []
    province = cccd[:3]
    if province not in cccd_province_codes():
        errors.append(f"3 chữ số đầu '{province}' không phải mã tỉnh hợp lệ (001–096 của 63 tỉnh cũ).")
    century_sex = int(cccd[3])
    century = 1900 + 100 * (century_sex // 2)
    encoded_year = century + int(cccd[4:6])
    encoded_sex = MALE if century_sex % 2 == 0 else FEMALE
    if birth_year is not None and encoded_year != birth_year:
        errors.append(f"Chữ số 4–6 của CCCD ứng với năm sinh {encoded_year}, khác năm sinh đã ghi {birth_year}.")
    if sex in (MALE, FEMALE) and encoded_sex != sex:
        errors.append(
            f"Chữ số thứ 4 của CCCD ứng với giới tính {SEX_LABELS[encoded_sex]}, khác giới tính đã ghi {SEX_LABELS[sex]}."
        )
    return errors


def restore_leading_zero(cccd: str) -> tuple[str, bool]:
    """Excel stores ``064…`` as a number and drops the zero: 11 digits get it back."""
    if is_digits(cccd) and len(cccd) == 11:
        return "0" + cccd, True
    return cccd, False


def mask_cccd(cccd: str) -> str:
    """``064123456123`` → ``064******123`` for lists posted in public."""
    if not cccd:
        return ""
    if len(cccd) <= 6:
        return "*" * len(cccd)
    return cccd[:3] + "*" * (len(cccd) - 6) + cccd[-3:]


def make_cccd(province_code: str, birth_year: int, sex: str, serial: int) -> str:
    """Build a structurally valid number (used by the demo generator)."""
    century_digit = 2 * ((birth_year - 1900) // 100) + (0 if sex == MALE else 1)
    return f"{province_code}{century_digit}{birth_year % 100:02d}{serial % 1_000_000:06d}"
