"""Cell values as commune officials type them in Excel, read into the app's values.

Every parser takes the raw cell value (``str``, ``int``, ``float``, ``datetime``/``date`` or
``None``) and either returns the value or raises :class:`ValueProblem` whose message, in
Vietnamese, says what could not be read — the import shows it with the row and column.
"""

from __future__ import annotations

import datetime as _dt
import re
from functools import lru_cache

from gnbv_desktop.core.cccd import FEMALE, MALE
from gnbv_desktop.core.classifications import AVERAGE, NEAR_POOR, NONE, POOR
from gnbv_desktop.core.money import MoneyError
from gnbv_desktop.core.money import parse_money as _parse_money
from gnbv_desktop.core.plans import (
    ESCAPE_NEAR_POOR,
    ESCAPE_POVERTY,
    EXPECTED_RESULT_LABELS,
    FEWER_DEPRIVATIONS,
    POOR_TO_NEAR_POOR,
)
from gnbv_desktop.core.text import clean
from gnbv_desktop.core.text import fold as _fold

# Excel counts days from 30/12/1899 (with the 1900 leap-year bug folded into that origin).
_EXCEL_EPOCH = _dt.date(1899, 12, 30)
# Serials between these are dates from 1900 to 2100; smaller numbers are years or nonsense.
_SERIAL_MIN, _SERIAL_MAX = 3000, 73051


fold = _fold  # core.text.fold, which remembers texts: list cells repeat the same few


class ValueProblem(ValueError):
    """A cell that cannot be read; the message says why, in Vietnamese."""


def is_blank(value: object) -> bool:
    """``None``, or a text that :func:`clean` makes empty."""
    if value is None:
        return True
    if not isinstance(value, str):
        return False
    if value.isprintable():  # its only white space is the plain space, and clean removes nothing else
        return not value.strip()
    return not clean(value)


def text_of(value: object) -> str:
    """Cell as cleaned text; whole numbers lose Excel's ``.0`` (``1975.0`` → ``1975``)."""
    if value is None:
        return ""
    if value.__class__ is int:
        return str(value)  # digits (and a minus): nothing for clean to change
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, _dt.datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, _dt.date):
        return value.strftime("%d/%m/%Y")
    return clean(value)


def parse_money(value: object) -> int | None:
    """Đồng per month, read by the app's one money parser (:mod:`gnbv_desktop.core.money`)."""
    try:
        return _parse_money(value)
    except MoneyError as exc:
        raise ValueProblem(str(exc)) from None


# Digits, or digits in groups of three split by one kind of separator ("1.000", "1,000", "1 000"):
# "10,5" and "2.5" are decimals, never 105 and 25.
_WHOLE_NUMBER = re.compile(r"\d+|\d{1,3}(?:\.\d{3})+|\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+", re.ASCII)


def parse_int(value: object, what: str = "số") -> int | None:
    """A whole number typed or stored in a cell; a decimal or other text is refused, never read digit by digit."""
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = clean(value)
    if _WHOLE_NUMBER.fullmatch(text):
        return int(re.sub(r"[., ]", "", text))
    raise ValueProblem(f"Không đọc được {what} '{clean(value)}'.")


_TRUE_MARKS = {"x", "1", "v", "co", "yes", "true", "dung", "\u2713", "\u2714", "\u2715", "\u2716", "\u2717", "\u2718",
               "\u2612", "\u2611", "+", "*"}
_FALSE_MARKS = {"", "0", "khong", "no", "false", "-", "o"}


def parse_mark(value: object) -> bool:
    """A tick column: ``x``, ``X``, ``1``, ``✓``, ``có`` → True; blank, ``0``, ``không`` → False."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        if value in (0, 1):
            return value == 1
        raise ValueProblem(f"Ô đánh dấu chỉ nhận x, 1, ✓ hoặc có (đang ghi '{text_of(value)}').")
    key = fold(value)
    if key in _TRUE_MARKS:
        return True
    if key in _FALSE_MARKS:
        return False
    raise ValueProblem(f"Ô đánh dấu chỉ nhận x, 1, ✓ hoặc có (đang ghi '{clean(value)}').")


def excel_serial_date(serial: float) -> _dt.date:
    return _EXCEL_EPOCH + _dt.timedelta(days=int(serial))


def parse_birth(value: object, today: _dt.date | None = None) -> tuple[int | None, str]:
    """Birth year and, when the full date is known, the ISO date.

    Accepts ``1975``, ``12/03/1975`` (also ``-`` or ``.``), ``03/1975``, a date cell, and an Excel
    date serial stored as a plain number.
    """
    if is_blank(value):
        return None, ""
    today = today or _dt.date.today()
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        return _checked_year(value.year, today, value), value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and 1000 <= value < _SERIAL_MIN:
            return _checked_year(int(value), today), ""
        if _SERIAL_MIN <= value <= _SERIAL_MAX:
            d = excel_serial_date(value)
            return _checked_year(d.year, today, d), d.isoformat()
        raise ValueProblem(f"Không đọc được năm sinh '{text_of(value)}'.")
    text = clean(value)
    if re.fullmatch(r"\d{4}", text):
        return _checked_year(int(text), today), ""
    m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", text)
    if m:
        try:
            d = _dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            raise ValueProblem(f"Ngày sinh '{text}' không có thật.") from None
        return _checked_year(d.year, today, d), d.isoformat()
    m = re.fullmatch(r"(\d{1,2})[/.\-](\d{4})", text)
    if m and 1 <= int(m.group(1)) <= 12:
        return _checked_year(int(m.group(2)), today), ""
    m = re.fullmatch(r"(\d{4})[\-/](\d{1,2})[\-/](\d{1,2})", text)
    if m:
        try:
            d = _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise ValueProblem(f"Ngày sinh '{text}' không có thật.") from None
        return _checked_year(d.year, today, d), d.isoformat()
    raise ValueProblem(f"Không đọc được năm sinh '{text}' (ghi dạng 1975 hoặc 12/03/1975).")


def parse_day(value: object, what: str = "Ngày") -> str:
    """A day that is not a birth date (a plan item's delivery): ``12/03/2026``, ``2026-03-12``, a
    date cell or an Excel serial → ISO ``yyyy-mm-dd``; blank → ``""``."""
    if is_blank(value):
        return ""
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool) and _SERIAL_MIN <= value <= _SERIAL_MAX:
        return excel_serial_date(value).isoformat()
    text = clean(text_of(value))
    m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", text)
    parts = (m.group(3), m.group(2), m.group(1)) if m else None
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    parts = parts or ((m.group(1), m.group(2), m.group(3)) if m else None)
    if parts is None:
        raise ValueProblem(f"Không đọc được {what.lower()} '{text}' (ghi dạng 12/03/2026).")
    try:
        return _dt.date(*(int(p) for p in parts)).isoformat()
    except ValueError:
        raise ValueProblem(f"{what} '{text}' không có thật.") from None


def _checked_year(year: int, today: _dt.date, date: _dt.date | None = None) -> int:
    if year > today.year or (date is not None and date > today):
        raise ValueProblem(f"Năm sinh {year} ở tương lai.")
    if year < today.year - 130:
        raise ValueProblem(f"Năm sinh {year} không hợp lý.")
    return year


def parse_sex(value: object) -> str:
    """``Nam``/``Nữ`` (also ``M``/``F``, ``nu``) → ``nam``/``nu``; blank → ``""``."""
    key = fold(value)
    if not key:
        return ""
    if key in ("nam", "m", "male", "trai"):
        return MALE
    if key in ("nu", "f", "female", "gai"):
        return FEMALE
    raise ValueProblem(f"Giới tính '{clean(value)}' không rõ (ghi Nam hoặc Nữ).")


_CLASS_WORDS = {
    POOR: ("ngheo", "hn", "ho ngheo", "n", "h ngheo", "ngheo da chieu"),
    NEAR_POOR: ("can ngheo", "cn", "hcn", "ho can ngheo", "h can ngheo", "can"),
    AVERAGE: (
        "muc song trung binh",
        "ho muc song trung binh",
        "ho co muc song trung binh",
        "mstb",
        "tb",
        "trung binh",
    ),
    NONE: ("khong", "khong thuoc dien", "ngoai dien", "thoat ngheo", "thoat can ngheo", "binh thuong"),
}
_CLASS_LOOKUP = {word: cls for cls, words in _CLASS_WORDS.items() for word in words}


def parse_classification(value: object) -> str | None:
    """``Nghèo``, ``hộ nghèo``, ``HN`` → poor; ``Cận nghèo``, ``CN``, ``HCN`` → near-poor; blank → None."""
    key = fold(value)
    key = re.sub(r"[^a-z0-9 ]", " ", key)
    key = " ".join(key.split())
    if not key:
        return None
    if key in _CLASS_LOOKUP:
        return _CLASS_LOOKUP[key]
    raise ValueProblem(
        f"Không nhận ra phân loại '{clean(value)}' (ghi: Hộ nghèo/HN, Hộ cận nghèo/CN/HCN, Mức sống trung bình)."
    )


_RESULT_WORDS = {
    ESCAPE_POVERTY: ("thoat ngheo", "thoat ngheo ben vung", "thoat ngheo hoan toan"),
    POOR_TO_NEAR_POOR: ("thoat ngheo con can ngheo", "thoat ngheo nhung con can ngheo", "chuyen sang can ngheo",
                        "chuyen can ngheo", "len can ngheo", "ngheo sang can ngheo"),
    ESCAPE_NEAR_POOR: ("thoat can ngheo",),
    FEWER_DEPRIVATIONS: ("giam thieu hut", "giam chi so thieu hut", "giam so chi so thieu hut"),
}
_RESULT_LOOKUP = {word: code for code, words in _RESULT_WORDS.items() for word in words}


def parse_expected_result(value: object) -> str | None:
    """``Thoát nghèo``, ``Thoát nghèo (còn cận nghèo)``, ``Thoát cận nghèo``, ``Giảm thiếu hụt`` → code;
    blank → None."""
    key = " ".join(re.sub(r"[^a-z0-9 ]", " ", fold(value)).split())
    if not key:
        return None
    if key in _RESULT_LOOKUP:
        return _RESULT_LOOKUP[key]
    choices = ", ".join(label for label in EXPECTED_RESULT_LABELS.values() if label)
    raise ValueProblem(f"Không nhận ra kết quả dự kiến '{clean(value)}' (ghi: {choices}).")


def parse_codes(value: object, known: tuple[str, ...]) -> list[str]:
    """Indicator codes listed in one cell: ``1.1, 2.2; 4.1`` (any separator) → known codes in order."""
    if is_blank(value):
        return []
    if isinstance(value, float):
        value = repr(value)
    found = re.findall(r"\d+(?:\.\d+)?", str(value))
    unknown = [c for c in found if c not in known]
    if unknown or (not found and clean(value)):
        bad = ", ".join(unknown) or clean(value)
        raise ValueProblem(f"Mã chỉ số thiếu hụt không có trong chuẩn: {bad} (các mã: {', '.join(known)}).")
    return sorted(set(found), key=lambda c: tuple(int(p) for p in c.split(".")))


def parse_labels(value: object, items: dict[str, str]) -> tuple[list[str], list[str]]:
    """Catalogue entries named in one cell (``Thiếu vốn sản xuất, kinh doanh; Thiếu lao động``).

    ``items`` maps code → name. Names may themselves contain commas, so names are found inside
    the text first (longest first); what is left is split on ``,``/``;``/line breaks and matched
    as codes. Returns (codes in the order written, leftover texts that match nothing).
    """
    text = fold(value)
    if not text:
        return [], []
    found: dict[str, int] = {}  # code → position in the cell, to keep the order as written
    for code, key in _longest_first(tuple(items.items())):
        at = text.find(key) if key else -1
        if at >= 0:
            found.setdefault(code, at)
            text = text.replace(key, " " * len(key))
    leftovers = []
    codes_by_key = _codes_by_key(tuple(items))
    for m in re.finditer(r"[^,;\n+]+", text):
        part = m.group().strip(" .-:")
        if not part:
            continue
        if part in codes_by_key:
            found.setdefault(codes_by_key[part], m.start())
        else:
            leftovers.append(part)
    return sorted(found, key=found.__getitem__), leftovers


@lru_cache(maxsize=64)
def _longest_first(items: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    return [(code, fold(name)) for code, name in sorted(items, key=lambda kv: -len(kv[1]))]


@lru_cache(maxsize=64)
def _codes_by_key(codes: tuple[str, ...]) -> dict[str, str]:
    return {fold(c): c for c in codes}


def parse_area(value: object) -> str | None:
    key = fold(value)
    if not key:
        return None
    if key in ("nong thon", "nt", "rural"):
        return "rural"
    if key in ("thanh thi", "tt", "do thi", "urban"):
        return "urban"
    raise ValueProblem(f"Khu vực '{clean(value)}' không rõ (ghi Nông thôn hoặc Thành thị).")
