"""The one money parser: amounts in đồng as officials type them, in the GUI, in Excel, on the CLI.

Vietnamese writes ``1.500.000`` (dots group thousands, a comma marks decimals) but many files
come from English-language Excel (``1,500,000``), so a lone separator is read only where it
cannot mean two things. Anything ambiguous is refused with what was read, never guessed:
``1.5`` (1,5 đồng or a typo of 1.500?), ``1,2``, ``1.2345``. Clear forms are accepted:
``1500000``, ``1.500.000``, ``1,500,000``, ``1 500 000``, ``1.500.000 đ``, ``2 triệu``,
``1,5 triệu``, ``800 nghìn``, ``900.000đ/người/tháng``, a number cell. Every amount is a whole
number of đồng between 0 and :data:`MAX_MONEY` — nothing can overflow SQLite's integers.
"""

from __future__ import annotations

import math
import re
import unicodedata

from gnbv_desktop.core.limits import MAX_MONEY
from gnbv_desktop.core.text import clean, format_number, is_digits

_UNITS = {
    "ty": 1_000_000_000,
    "trieu": 1_000_000,
    "tr": 1_000_000,
    "nghin": 1_000,
    "ngan": 1_000,
    "k": 1_000,
    "dong": 1,
    "d": 1,
    "vnd": 1,
}
_SHAPE = re.compile(r"^(?P<num>[0-9][0-9.,\s]*?)\s*(?P<unit>[a-z]*)$")
_PER_MONTH = re.compile(r"/\s*(nguoi|ng)?\s*/?\s*thang$")
_GROUPED = re.compile(r"^[0-9]{1,3}(?P<sep>[., ])[0-9]{3}(?:(?P=sep)[0-9]{3})*$")


class MoneyError(ValueError):
    """An amount that cannot be read for sure; the message says what was read, in Vietnamese."""


def parse_money(value: object) -> int | None:
    """Whole đồng from a typed text or a spreadsheet number; blank → ``None``.

    Raises :class:`MoneyError` for anything ambiguous, negative, fractional or above the limit.
    """
    if value is None or (isinstance(value, str) and not clean(value)):
        return None
    if isinstance(value, bool):
        raise MoneyError(f"Không đọc được số tiền '{value}'.")
    if isinstance(value, int | float):
        return _from_number(value)
    shown = clean(value)
    text = _fold(shown)
    text = _PER_MONTH.sub("", text.rstrip(".").strip()).strip()
    if text.startswith("-"):
        raise MoneyError(f"Số tiền không được âm ('{shown}').")
    m = _SHAPE.match(text)
    if not m or m.group("unit") not in ("", *_UNITS):
        raise MoneyError(f"Không đọc được số tiền '{shown}'.")
    factor = _UNITS.get(m.group("unit"), 1)
    whole, frac = _number(m.group("num").strip(), shown, scaled=factor > 1)
    amount = whole * factor + _scaled_fraction(frac, factor, shown)
    return _checked(amount, shown)


def format_money_input(amount: int | None) -> str:
    """How an amount is shown for editing (``1.500.000``); :func:`parse_money` reads it back."""
    return "" if amount is None else format_number(amount)


def _fold(text: str) -> str:
    s = unicodedata.normalize("NFD", text.lower())
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return s.replace("đ", "d")


def _from_number(value: int | float) -> int:
    if isinstance(value, float):
        if not math.isfinite(value):
            raise MoneyError(f"Số tiền '{value}' không phải một số.")
        if not value.is_integer() and abs(value) < 1000:
            typed = f"{value:g}".replace(".", ",")
            raise MoneyError(f"Số tiền {typed} đồng có phần lẻ; nếu là {typed} triệu hãy ghi '{typed} triệu'.")
        if abs(value) > MAX_MONEY:
            shown = format_number(int(value)) if abs(value) < 1e30 else f"{value:.3g}"
            raise MoneyError(f"Số tiền {shown} lớn quá mức cho phép ({format_number(MAX_MONEY)} đ).")
        value = round(value)  # fractions of đồng from a spreadsheet formula (an average)
    return _checked(value, format_number(value) if abs(value) <= MAX_MONEY else str(value))


def _number(num: str, shown: str, *, scaled: bool) -> tuple[int, str]:
    """Whole part and decimal digits of the number text; refuses what could mean two things."""
    compact = num.replace(" ", "")
    if " " in num and not _GROUPED.match(num):
        if not is_digits(compact) or not _GROUPED.match(re.sub(r"\s+", " ", num)):
            raise MoneyError(f"Không đọc được số tiền '{shown}': khoảng trắng chỉ dùng để nhóm hàng nghìn.")
    if is_digits(compact):
        return int(compact), ""
    seps = [ch for ch in compact if ch in ".,"]
    if len(set(seps)) == 2:
        dec = compact[max(compact.rfind("."), compact.rfind(","))]
        head, _, frac = compact.rpartition(dec)
        if dec in head or not (is_digits(head) or _GROUPED.match(head)) or not is_digits(frac):
            raise MoneyError(f"Không đọc được số tiền '{shown}': dấu nhóm hàng nghìn và dấu thập phân lẫn lộn.")
        return int(re.sub(r"[.,]", "", head)), frac
    sep = seps[0]
    if len(seps) > 1:
        if not _GROUPED.match(compact):
            raise MoneyError(f"Không đọc được số tiền '{shown}': các nhóm sau dấu '{sep}' phải đủ 3 chữ số "
                             "(ví dụ 1.500.000).")
        return int(compact.replace(sep, "")), ""
    head, _, tail = compact.partition(sep)
    if not head or not tail:
        raise MoneyError(f"Không đọc được số tiền '{shown}'.")
    if scaled:
        if len(tail) != 3:
            return int(head), tail
    elif len(tail) == 3 and sep == "." and len(head) <= 3:
        return int(head + tail), ""  # 1.500: the app's own way of writing one thousand five hundred
    raise MoneyError(f"Số tiền '{shown}' không rõ nghĩa (đọc được '{head}{sep}{tail}': {head}{tail} hay {head},{tail}?). "
                     "Hãy ghi số đồng đầy đủ như 1.500.000, hoặc số lẻ kèm đơn vị như '1,5 triệu'.")


def _scaled_fraction(frac: str, factor: int, shown: str) -> int:
    """The đồng a decimal part adds under a unit (``1,5 triệu`` → 500.000); a fraction of a đồng is refused."""
    if not frac:
        return 0
    if len(frac) > 12:
        raise MoneyError(f"Số tiền '{shown}' có quá nhiều chữ số thập phân.")
    numerator = int(frac) * factor
    denominator = 10 ** len(frac)
    if numerator % denominator:
        raise MoneyError(f"Số tiền '{shown}' không ra số đồng tròn.")
    return numerator // denominator


def _checked(amount: int, shown: str) -> int:
    if amount < 0:
        raise MoneyError(f"Số tiền không được âm ('{shown}').")
    if amount > MAX_MONEY:
        raise MoneyError(f"Số tiền '{shown}' lớn quá mức cho phép ({format_number(MAX_MONEY)} đ).")
    return amount
