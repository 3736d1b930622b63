"""Vietnamese text: normalisation, diacritic-free search keys, Vietnamese collation, formatting.

Officials type names in many ways (decomposed Unicode, ``Ð`` U+00D0 for ``Đ``, doubled spaces);
everything that compares or stores names goes through :func:`clean` first.
"""

from __future__ import annotations

import datetime as _dt
import re
import sys
import unicodedata
from functools import lru_cache

_LOOKALIKES = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111", "\u0189": "\u0110"})

# Vietnamese alphabet order; letters carrying a vowel modifier sort after their base letter.
_ALPHABET = "a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z".split()
_LETTER_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
# Tone order used by Vietnamese dictionaries: ngang, huyền, hỏi, ngã, sắc, nặng.
_TONE_RANK = {"": 0, "\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_MODIFIERS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn: part of the letter


# Characters XML 1.0 cannot carry (so no XLSX can hold them) and DEL; Excel's ``_x0000_`` escapes
# decode into these. Tab, line feed and carriage return are legal and kept. A run of them, with the
# spaces around it, is matched whole so that it becomes one space.
_XML_ILLEGAL = re.compile(" *[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]+ *")
# Everything that must not appear in a name or code: C0/C1 controls and bidirectional overrides
# (a right-to-left override makes a printed name read differently from what is stored).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")


def strip_illegal_chars(text: str) -> str:
    """``text`` without the characters an XLSX (XML) cannot hold; the one rule every import and
    every store write uses, so nothing stored can break an export. Compare the result with the
    input to warn the user that something was removed.

    Each run of them inside the text becomes one space (with the spaces around it; at either end,
    nothing): such a character stands
    between words more often than inside one — ``Nguyễn_x0007_Văn`` is "Nguyễn Văn", never
    "NguyễnVăn" — and a space too many is harmless where a joined name is a wrong name."""
    if text.isprintable():  # no control, surrogate or non-character code point: nothing to remove
        return text
    return _XML_ILLEGAL.sub(lambda m: "" if m.start() == 0 or m.end() == len(text) else " ", text)


def has_control_chars(text: str, *, allow_newlines: bool = False) -> bool:
    """Whether ``text`` holds control or bidirectional-override characters (tab and newlines
    allowed in multi-line text when ``allow_newlines``)."""
    if allow_newlines:
        text = text.replace("\t", "").replace("\n", "").replace("\r", "")
    return _CONTROL.search(text) is not None


def is_digits(text: str) -> bool:
    """``text`` is one or more of the digits 0–9. ``str.isdigit`` alone also takes ``²``, ``①`` and
    Arabic-Indic digits, which ``int()`` refuses or reads as other numbers (TCVN3 text writes ``ạ``
    as ``¹``); every check that a cell or field is a number before ``int()`` goes through here."""
    return text.isascii() and text.isdigit()


def clean(text: object) -> str:
    """NFC, look-alike letters fixed, XML-illegal characters removed, whitespace collapsed;
    ``None`` becomes ``""``."""
    if text is None:
        return ""
    if isinstance(text, str):
        # ASCII that _clean leaves as it is (codes, phone and CCCD numbers: not worth remembering): NFC
        # and look-alikes concern other letters, and printable ASCII has no control character and no
        # white space but the plain space
        if text.isascii() and text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
            return text
        if len(text) <= _REMEMBERED_CHARS:
            return _clean_short(text)
    return _clean(text)


_REMEMBERED_CHARS = 200  # names, villages, codes: an import cleans the same few texts on every row


def clean_keeps(texts: list[str]) -> bool:
    """Whether :func:`clean` returns each of ``texts`` as it is, tested on them all at once (a column of a
    list, at C speed): printable (so no character to remove, and the plain space is its only white
    space), no space doubled or at either end, NFC, no look-alike letter. ``False`` may also mean a
    text holds the separator next to a space: the caller then cleans each text."""
    joined = "|".join(texts)  # "|" composes with nothing, so the NFC test of each text is not disturbed
    if not _tidy_joined(joined):
        return False
    # the look-alikes searched for (``translate`` looks each character up in a dict: ten times the
    # time), and the NFC test of the joined texts: "|" is a starter that composes with nothing on
    # either side, so the joined texts are NFC exactly when each of them is
    return joined.isascii() or (not any(map(joined.__contains__, _LOOKALIKE_LETTERS))
                                and unicodedata.is_normalized("NFC", joined))


_LOOKALIKE_LETTERS = [chr(c) for c in _LOOKALIKES]


def _tidy_joined(joined: str) -> bool:
    """Texts joined with ``|`` have nothing for :func:`clean` to remove: printable (no control
    character, the plain space the only white space), no space doubled or at an end of a text (a
    space next to a joint is one). A text holding ``| `` itself only sends its column the slow way."""
    return (joined.isprintable() and "  " not in joined and " |" not in joined and "| " not in joined
            and joined[:1] != " " and joined[-1:] != " ")


@lru_cache(maxsize=65536)
def _clean_short(text: str) -> str:
    return _clean(text)


def _clean(text: object) -> str:
    s = unicodedata.normalize("NFC", str(text))
    if any(map(s.__contains__, _LOOKALIKE_LETTERS)):  # searched first: translate looks up every character
        s = s.translate(_LOOKALIKES)
    return " ".join(strip_illegal_chars(s).split())


def _all_texts(values: list) -> bool:
    """Whether every value is a text, told in C by joining them."""
    try:
        "".join(values)
    except TypeError:
        return False
    return True


def plain_ascii(texts: list[str]) -> bool:
    """Whether every one of ``texts`` is a text :func:`clean` leaves as it is for being tidy
    printable ASCII (codes, phone and CCCD numbers), tested on the whole column in a few passes in C
    instead of a call per value."""
    if not texts:
        return True
    try:
        joined = "|".join(texts)
    except TypeError:  # a value that is not a text
        return False
    return joined.isascii() and _tidy_joined(joined)


def clean_all(texts: list[str]) -> list[str]:
    """:func:`clean` of each text (an import cleans whole columns); a column of texts that
    :func:`clean` would all leave as they are (:func:`clean_keeps`: plain ASCII, or tidy NFC text
    such as the names of a list already read) is returned itself, unchanged."""
    if not texts:
        return texts
    try:
        if clean_keeps(texts):
            return texts
    except TypeError:  # a value that is not a text (None, a number): each cleaned on its own
        return list(map(clean, texts))
    if max(map(len, texts)) <= _REMEMBERED_CHARS:
        return list(map(_clean_short, texts))  # what clean calls for each of them, called directly
    return list(map(clean, texts))


def fold_all(texts: list[str]) -> list[str]:
    """:func:`fold` of each text; a plain ASCII column (:func:`plain_ascii`) only needs lower case.
    Texts are folded by the remembered fold that :func:`fold` calls, called directly (what it
    gives an ASCII text is what :func:`fold` gives it)."""
    try:
        joined = "|".join(texts)
    except TypeError:  # a value that is not a text
        return list(map(fold, texts))
    if joined.isascii() and _tidy_joined(joined):  # plain_ascii
        return list(map(str.lower, texts))
    return list(map(_fold_text, texts))


def fold(text: object) -> str:
    """Lower-case, diacritic-free form used for searching and matching (``Đ`` → ``d``)."""
    if isinstance(text, str):
        return clean(text).lower() if text.isascii() else _fold_text(text)  # ASCII: no diacritics to remove
    return _fold(text)


@lru_cache(maxsize=65536)
def _fold_text(text: str) -> str:
    return _fold(text)  # remembered: an import folds the same villages and names on every row


# The combining marks Vietnamese letters decompose into (U+0300–U+036F, less the grapheme joiner,
# which is not a combining mark): removed in one pass, the general test is left for what remains.
_MARKS = re.compile("[" + "".join(chr(c) for c in range(0x300, 0x370) if unicodedata.combining(chr(c))) + "]")


def _fold(text: object) -> str:
    s = clean(text).lower()
    if s.isascii():
        return s
    s = _MARKS.sub("", unicodedata.normalize("NFD", s)).replace("đ", "d")
    if s.isascii():
        return s
    return "".join(ch for ch in s if not unicodedata.combining(ch))


def _letter_and_tone(ch: str) -> tuple[int, int]:
    decomposed = unicodedata.normalize("NFD", ch.lower())
    base = decomposed[0]
    tone = 0
    letter = base
    for mark in decomposed[1:]:
        if mark in _MODIFIERS:
            letter = unicodedata.normalize("NFC", letter + mark)
        else:
            tone = _TONE_RANK.get(mark, 0)
    if letter == "đ" or base == "đ":
        letter = "đ"
    rank = _LETTER_RANK.get(letter)
    if rank is None:
        # isdecimal, not isdigit: ``¹`` and ``②`` are digits that int() refuses (TCVN3 writes ``ạ`` as ``¹``)
        rank = -10 + int(letter) if letter.isdecimal() else 100 + ord(letter)
    return rank, tone


def _code(rank: int) -> str:
    # Ranks start at -10 (digits); shift so every code point is above the separators below (the last
    # few code points of Unicode share the top one).
    return chr(min(0x30 + rank + 10, sys.maxunicode))


@lru_cache(maxsize=65536)
def word_key(word: str) -> str:
    """Letters first, tones second: ``Anh`` < ``Ánh`` < ``Ân`` as in Vietnamese dictionaries."""
    pairs = [_letter_and_tone(ch) for ch in clean(word)]
    return "".join(_code(p[0]) for p in pairs) + "\x01" + "".join(_code(p[1]) for p in pairs)


def name_sort_key(full_name: str) -> str:
    """Sort people the Vietnamese way: given name (last word), then family name, then middle names.

    Returned as a plain string (compared by code point) so it can be stored in the database and
    sorted cheaply for 20,000 names; separators sort below every letter, so a shorter word
    comes first. Remembered for short names (an import or a list sorts the same few thousand).
    """
    if isinstance(full_name, str) and len(full_name) <= _REMEMBERED_CHARS:
        return _name_sort_key_short(full_name)
    return _name_sort_key(full_name)


def name_sort_keys(names: list[str]) -> list[str]:
    """:func:`name_sort_key` of each name (an import's heads), short names remembered as it does."""
    if names and _all_texts(names) and max(map(len, names)) <= _REMEMBERED_CHARS:
        return list(map(_name_sort_key_short, names))  # what name_sort_key calls for each, called directly
    return list(map(name_sort_key, names))


@lru_cache(maxsize=65536)
def _name_sort_key_short(full_name: str) -> str:
    return _name_sort_key(full_name)


def _name_sort_key(full_name: str) -> str:
    words = clean(full_name).split(" ")
    if not words or words == [""]:
        return ""
    given = words[-1]
    family = words[0] if len(words) > 1 else ""
    middle = words[1:-1]
    return "\x02".join(map(word_key, (given, family, *middle)))


def shorten(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters with "…": a cell of 100,000 characters quoted in a
    message would bury the message."""
    return text if len(text) <= limit else text[:limit] + "…"


def format_number(value: int | float | None) -> str:
    """``1500000`` → ``1.500.000`` (Vietnamese thousands separator)."""
    if value is None:
        return ""
    if isinstance(value, float) and not value.is_integer():
        whole, frac = f"{value:,.2f}".split(".")
        return whole.replace(",", ".") + "," + frac.rstrip("0")
    return f"{int(value):,}".replace(",", ".")


def format_money(value: int | float | None) -> str:
    """Amount in đồng with its unit, as written in official texts."""
    return "" if value is None else f"{format_number(value)} đ"


def format_date(value: _dt.date | str | None) -> str:
    """``dd/mm/yyyy``; accepts a date or an ISO string."""
    if not value:
        return ""
    if isinstance(value, str):
        value = _dt.date.fromisoformat(value[:10])
    return value.strftime("%d/%m/%Y")


def format_date_time(value: str | None) -> str:
    """A stored ISO timestamp as the user's local ``dd/mm/yyyy HH:MM``: one with a UTC offset is
    converted to the computer's time zone, one without is local time already."""
    if not value:
        return ""
    moment = _dt.datetime.fromisoformat(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%d/%m/%Y %H:%M")


def parse_date(text: str) -> _dt.date:
    """Parse ``dd/mm/yyyy`` (also ``d/m/yyyy`` and ``-`` or ``.`` separators)."""
    s = clean(text).replace("-", "/").replace(".", "/")
    day, month, year = (int(p) for p in s.split("/"))
    return _dt.date(year, month, day)
