"""Wording of administrative documents (NĐ 30/2020/NĐ-CP, Phụ lục I) shared by every printout.

Only text here (no layout): the issuing body lines, the place-and-date line with its zero-padding
rule, the "kèm theo" line of an annex, the signature titles, Roman numerals for groups.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from gnbv_desktop.core.text import clean, fold

_UNIT_WORDS = ("Xã", "Phường", "Thị trấn", "Đặc khu")


@dataclass(frozen=True)
class Issuer:
    """The commune as it appears in a document header and in running text."""

    province_line: str  # ỦY BAN NHÂN DÂN TỈNH GIA LAI
    commune_line: str  # ỦY BAN NHÂN DÂN XÃ IA GRAI
    unit_word: str  # xã / phường / đặc khu
    bare_name: str  # Ia Grai

    @property
    def short(self) -> str:
        """``UBND xã Ia Grai`` as written inside sentences."""
        return f"UBND {self.unit_word} {self.bare_name}".strip()


def split_commune_name(name: str) -> tuple[str, str]:
    """``Xã Ia Grai`` → (``xã``, ``Ia Grai``); a name without a unit word is taken as a xã."""
    name = clean(name)
    for word in _UNIT_WORDS:
        if fold(name).startswith(fold(word) + " "):
            return word.lower(), name[len(word) + 1 :]
    return "xã", name


def province_phrase(province: str) -> str:
    """``Gia Lai`` → ``tỉnh Gia Lai``; ``Thành phố Huế`` stays a thành phố."""
    province = clean(province)
    key = fold(province)
    if key.startswith("thanh pho "):
        return "thành phố " + province[len("Thành phố ") :]
    if key.startswith("tinh "):
        return "tỉnh " + province[len("Tỉnh ") :]
    return f"tỉnh {province}" if province else ""


def issuer(commune_name: str, province_name: str) -> Issuer:
    unit, bare = split_commune_name(commune_name)
    prov = province_phrase(province_name)
    return Issuer(
        province_line=f"ỦY BAN NHÂN DÂN {prov.upper()}".strip(),
        commune_line=f"ỦY BAN NHÂN DÂN {unit.upper()} {bare.upper()}".strip(),
        unit_word=unit,
        bare_name=bare,
    )


def long_date(d: _dt.date) -> str:
    """``ngày 05 tháng 01 năm 2026``: day below 10 and months 1–2 are zero-padded."""
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def place_date_line(place: str, d: _dt.date | None, year: int | None = None) -> str:
    """``Ia Grai, ngày 05 tháng 01 năm 2026``; without a date, blanks to fill in by hand."""
    if d is None:
        return f"{place}, ngày ..... tháng ..... năm {year or ''}".rstrip()
    return f"{place}, {long_date(d)}"


def annex_reference(document_number: str, document_date: _dt.date | None, year: int, who: Issuer) -> str:
    """``(Kèm theo Kế hoạch số 12/KH-UBND ngày 05 tháng 01 năm 2026 của UBND xã Ia Grai)``."""
    number = document_number or "....../KH-UBND"
    when = long_date(document_date) if document_date else f"ngày ..... tháng ..... năm {year}"
    return f"(Kèm theo Kế hoạch số {number} {when} của {who.short})"


def signature_titles(signer_title: str) -> tuple[str, str]:
    """(authority line, title line): a chairman signs TM., a vice-chairman KT. for the chairman."""
    if clean(signer_title).upper() == "PHÓ CHỦ TỊCH":
        return "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"
    return "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"


def roman(n: int) -> str:
    """Group numbers in official lists: 1 → I, 4 → IV, 14 → XIV."""
    values = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
              (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = []
    for v, s in values:
        while n >= v:
            out.append(s)
            n -= v
    return "".join(out)
