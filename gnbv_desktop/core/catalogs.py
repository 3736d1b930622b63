"""Official catalogues shipped as data files: ethnic groups, causes, needs, categories, units.

They are read from ``resources/catalogues`` so a corrected list ships without code changes.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache, lru_cache

from gnbv_desktop.core.text import clean, fold
from gnbv_desktop.paths import resource_path

ETHNIC_CODE_LIST = "QĐ 121-TCTK/PPCĐ (1979)"


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
    path = resource_path("catalogues", "ethnic_groups_qd121_1979.csv")
    with path.open(encoding="utf-8") as f:
        return tuple(
            EthnicGroup(
                row["ma"].strip(),
                clean(row["ten"]),
                tuple(clean(n) for n in row["ten_goi_khac"].split(",") if clean(n)),
            )
            for row in csv.DictReader(f)
        )


def _ethnic_key(text: str) -> str:
    """``Gia Rai``, ``Gia-rai``, ``giarai`` and ``H'Mông``/``HMông`` all compare equal."""
    return "".join(ch for ch in fold(text) if ch.isalnum())


def find_ethnic_group(text: str) -> EthnicGroup | None:
    """Match a name, an alternative name or a code, ignoring case, diacritics and hyphens."""
    key = _ethnic_key(text)
    if not key:
        return None
    for g in ethnic_groups():
        if key in (_ethnic_key(g.name), g.code, g.code.lstrip("0")):
            return g
    for g in ethnic_groups():
        if key in (_ethnic_key(n) for n in g.other_names):
            return g
    return None


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
