"""Official catalogues shipped as data files: ethnic groups, causes, needs, categories, units.

They are read from ``resources/catalogues`` so a corrected list ships without code changes.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache, lru_cache

from gnbv_desktop.core.text import clean, fold, is_digits
from gnbv_desktop.paths import resource_path

ETHNIC_CODE_LIST = "QĐ 121-TCTK/PPCĐ (1979)"
ETHNIC_CODE_LIST_2008 = "QĐ 1019/QĐ-TCTK (2008)"


@dataclass(frozen=True)
class CatalogItem:
    code: str
    name: str


@dataclass(frozen=True)
class EthnicGroup:
    code: str
    name: str
    other_names: tuple[str, ...]


@dataclass(frozen=True)
class AdminUnit:
    province_code: str
    province_name: str
    unit_code: str
    unit_name: str
    unit_type: str


@cache
def _shipped(name: str) -> dict:
    return json.loads(resource_path("catalogues", f"{name}.json").read_text(encoding="utf-8"))


def shipped_catalog_items(name: str) -> list[dict]:
    """Raw items (code, name and any extra fields) of ``resources/catalogues/<name>.json``."""
    return [dict(i) for i in _shipped(name)["items"]]


def catalog(name: str) -> tuple[CatalogItem, ...]:
    """Code and name of the shipped items, in file order."""
    return tuple(CatalogItem(i["code"], i["name"]) for i in _shipped(name)["items"])


def catalog_labels(name: str) -> dict[str, str]:
    return {i.code: i.name for i in catalog(name)}


@lru_cache(maxsize=1)
def ethnic_groups() -> tuple[EthnicGroup, ...]:
    """The 1979 list (QĐ 121-TCTK/PPCĐ), its other names completed with the names used in practice."""
    practical = {g.code_1979: g.practical_names for g in _groups_2008()}
    path = resource_path("catalogues", "ethnic_groups_qd121_1979.csv")
    with path.open(encoding="utf-8") as f:
        return tuple(
            EthnicGroup(
                row["ma"].strip(),
                clean(row["ten"]),
                tuple(clean(n) for n in row["ten_goi_khac"].split(",") if clean(n))
                + practical.get(row["ma"].strip(), ()),
            )
            for row in csv.DictReader(f)
        )


@dataclass(frozen=True)
class _Group2008:
    code: str
    name: str
    code_1979: str
    practical_names: tuple[str, ...]


@lru_cache(maxsize=1)
def _groups_2008() -> tuple[_Group2008, ...]:
    path = resource_path("catalogues", "ethnic_groups_qd1019_2008.csv")
    with path.open(encoding="utf-8") as f:
        return tuple(
            _Group2008(row["ma"].strip(), clean(row["ten"]), row["ma_1979"].strip(),
                       tuple(clean(n) for n in row["ten_thuong_dung"].split(",") if clean(n)))
            for row in csv.DictReader(f)
        )


@dataclass(frozen=True)
class EthnicMatch:
    """A recognised ethnic group as stored: the name in the list, its code, and which list the code is from."""

    name: str
    code: str
    code_list: str
    note: str = ""  # a warning worth showing (a bare code read in one list when the other differs)


def _ethnic_key(text: str) -> str:
    """``Gia Rai``, ``Gia-rai``, ``giarai`` and ``H'Mông``/``HMông`` all compare equal."""
    return "".join(ch for ch in fold(text) if ch.isalnum())


@lru_cache(maxsize=1)
def _ethnic_index() -> tuple[dict[str, _Group2008], dict[str, _Group2008]]:
    """Name keys → group (official names of both lists first, then other and practical names), code → group."""
    by_1979 = {g.code_1979: g for g in _groups_2008()}
    names: dict[str, _Group2008] = {}
    for g in _groups_2008():
        names.setdefault(_ethnic_key(g.name), g)
    for g79 in ethnic_groups():
        if g79.code in by_1979:
            names.setdefault(_ethnic_key(g79.name), by_1979[g79.code])
    for g in _groups_2008():
        for n in g.practical_names:
            names.setdefault(_ethnic_key(n), g)
    for g79 in ethnic_groups():
        if g79.code in by_1979:
            for n in g79.other_names:
                names.setdefault(_ethnic_key(n), by_1979[g79.code])
    return names, {g.code: g for g in _groups_2008()}


@lru_cache(maxsize=1024)
def match_ethnicity(text: str) -> EthnicMatch | None:
    """The group a list names, as the app stores it (name and code of the 1979 list the household
    editor uses, with that list named), or ``None``.

    Names of both official lists (QĐ 121-TCTK/PPCĐ 1979 and QĐ 1019/QĐ-TCTK 2008) and the
    spellings used in practice (Jrai, Bahnar, Rhade, H'Mông, Sê Đăng, K'Ho, Khmer…) are recognised.
    The two lists number the groups differently (04 is Hoa in 1979, Mường in 2008), so a bare
    number is read in the 1979 list with a note when the 2008 list gives it to another group.
    """
    key = _ethnic_key(text)
    if not key:
        return None
    names, codes_2008 = _ethnic_index()
    by_1979 = {g.code: g for g in ethnic_groups()}
    if is_digits(key):
        group = by_1979.get(key.zfill(2))
        if group is None:
            return None
        other = codes_2008.get(key.zfill(2))
        note = "" if other is None or other.code_1979 == group.code else (
            f"Mã {group.code} được hiểu theo danh mục {ETHNIC_CODE_LIST} ({group.name}); theo danh mục "
            f"{ETHNIC_CODE_LIST_2008} mã này là {other.name}.")
        return EthnicMatch(group.name, group.code, ETHNIC_CODE_LIST, note)
    found = names.get(key)
    if found is None or found.code_1979 not in by_1979:
        return None
    group = by_1979[found.code_1979]
    return EthnicMatch(group.name, group.code, ETHNIC_CODE_LIST)


def find_ethnic_group(text: str) -> EthnicGroup | None:
    """Match a name (of either list, or as used in practice) or a 1979 code, ignoring case,
    diacritics and hyphens."""
    found = match_ethnicity(text)
    return None if found is None else next(g for g in ethnic_groups() if g.code == found.code)


@lru_cache(maxsize=1)
def admin_units() -> tuple[AdminUnit, ...]:
    path = resource_path("catalogues", "admin_units_2025.csv")
    with path.open(encoding="utf-8") as f:
        return tuple(
            AdminUnit(
                row["province_code"].zfill(2),
                clean(row["province_name"]),
                row["ward_code"].zfill(5),
                clean(row["ward_name"]),
                clean(row["ward_type"]),
            )
            for row in csv.DictReader(f)
        )


def provinces() -> list[tuple[str, str]]:
    """(code, name) of the 34 provinces, in the order of the official list."""
    seen: dict[str, str] = {}
    for u in admin_units():
        seen.setdefault(u.province_code, u.province_name)
    return list(seen.items())


def _bare_province(name: str) -> str:
    key = fold(name)
    for prefix in ("thanh pho ", "tinh "):
        if key.startswith(prefix):
            return key[len(prefix):]
    return key


def units_of_province(province_name_or_code: str) -> list[AdminUnit]:
    """Units of a province given as code, full name or bare name (``Gia Lai``, ``Tỉnh Gia Lai``)."""
    key = _bare_province(province_name_or_code)
    code = province_name_or_code.strip().zfill(2)
    return [u for u in admin_units() if key == _bare_province(u.province_name) or code == u.province_code]


_UNIT_PREFIXES = ("xa ", "phuong ", "dac khu ")


def _bare_unit(name: str) -> str:
    key = fold(name)
    for prefix in _UNIT_PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix):]
    return key


def find_unit(province_name_or_code: str, text: str) -> AdminUnit | None:
    """The 2025 unit of the province that ``text`` names, with or without "Xã"/"Phường" and
    diacritics (``ia grai`` → Xã Ia Grai); ``None`` when nothing or more than one unit matches."""
    units = units_of_province(province_name_or_code)
    key = fold(text)
    exact = [u for u in units if fold(u.unit_name) == key]
    if len(exact) == 1:
        return exact[0]
    bare = _bare_unit(text)
    matches = [u for u in units if _bare_unit(u.unit_name) == bare]
    return matches[0] if len(matches) == 1 else None


def find_province(text: str) -> tuple[str, str] | None:
    key = _bare_province(text)
    for code, name in provinces():
        if key == _bare_province(name) or text.strip().zfill(2) == code:
            return code, name
    return None


@lru_cache(maxsize=1)
def cccd_province_codes() -> dict[str, str]:
    return {i.code: i.name for i in catalog("cccd_province_codes")}
