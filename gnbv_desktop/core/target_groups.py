"""Which groups a household belongs to: DTTS from its recorded ethnic group, and the target groups
that are recognised year by year.

The summary forms count households "theo đối tượng" for one review year, and a household may
gain or lose a người có công member, a social-protection member or its working capacity from one
year to the next; so those flags are kept on each year's assessment, while the DTTS flag follows
the ethnic group recorded for the head and is never ticked by hand against it.
"""

from __future__ import annotations

from functools import lru_cache

from gnbv_desktop.core.catalogs import find_ethnic_group

DTTS = "dtts"
KINH_CODE = "01"  # Kinh in both official code lists (QĐ 121-TCTK/PPCĐ 1979, QĐ 1019/QĐ-TCTK 2008)

# Flags recognised per review year (kept on the year's assessment), in the forms' order.
YEARLY_GROUPS = ("nguoi_co_cong", "bao_tro_xa_hoi", "khong_kha_nang_lao_dong", "nong_lam_ngu_diem_trung_binh")


@lru_cache(maxsize=4096)
def is_ethnic_minority(ethnicity_name: str, ethnicity_code: str = "") -> bool | None:
    """True for a recorded ethnic minority, False for Kinh, None when no ethnic group is recorded
    (or the name is not in the list and there is no code): then the flag stays as entered.
    Remembered: every household of an import asks it for the same few groups."""
    group = find_ethnic_group(ethnicity_name) if ethnicity_name.strip() else None
    if group is not None:
        return group.code != KINH_CODE
    code = ethnicity_code.strip()
    if code:
        return code.zfill(2) != KINH_CODE
    return None


def with_derived_dtts(categories: list[str], ethnicity_name: str, ethnicity_code: str = "") -> list[str]:
    """``categories`` with the DTTS flag set or cleared from the recorded ethnic group."""
    return with_derived_dtts_all([categories], [ethnicity_name], [ethnicity_code])[0]


def with_derived_dtts_all(categories: list[list[str]], names: list[str], codes: list[str]) -> list[list[str]]:
    """:func:`with_derived_dtts` of a column of households (an import's): the ethnic groups looked
    up in C (each distinct one once); each household gets a new list. Most households of a list
    have no flag but DTTS to derive: theirs is made at once."""
    return [([DTTS] if minority else []) if not flags and minority is not None
            else list(flags) if minority is None
            else [DTTS, *[c for c in flags if c != DTTS]] if minority
            else [c for c in flags if c != DTTS]
            for flags, minority in zip(categories, map(is_ethnic_minority, names, codes), strict=True)]


def yearly_groups(categories: list[str]) -> list[str]:
    """The per-year target-group flags among a household's flags, in the forms' order."""
    return [g for g in YEARLY_GROUPS if g in categories] if categories else []
