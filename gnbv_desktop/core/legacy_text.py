"""Vietnamese typed with the pre-Unicode fonts still found in commune files: TCVN3 (ABC,
``.VnTime``) and VNI (``VNI-Times``).

Excel keeps such text as the Windows-1252 characters of the font's bytes, so ``Nguyễn Văn A``
reads ``NguyÔn V¨n A`` (TCVN3) or ``Nguyeãn Vaên A`` (VNI). The byte tables are data in
``resources/encodings``. Whether a column is in a legacy encoding is decided on all its texts
together (:func:`detect_encoding`): the conversion must turn implausible Vietnamese words into
plausible ones, which genuine Unicode text never gains from.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache

from gnbv_desktop.paths import resource_path

TCVN3 = "tcvn3"
VNI = "vni"
ENCODING_LABELS = {TCVN3: "TCVN3 (ABC, phông .VnTime)", VNI: "VNI (phông VNI-Times)"}

# Vowel groups a Vietnamese syllable can have, without diacritics (after ``gi``/``qu``).
_NUCLEI = set(
    "a e i o u y ai ao au ay eo eu ia ie iu oa oe oi oo ua ue ui uo uu uy ye oai oao oay oeo uay uoi uou "
    "uya uye uyu ieu yeu uai uao uau".split()
)
_VOWELS = re.compile(r"[aeiouy]+")
_ONSET_GLIDE = re.compile(r"^(qu|gi)(?=[aeiouy])")


@cache
def _table(name: str) -> dict[str, str]:
    """Legacy character sequence (as Excel shows it) → Unicode letter."""
    out = {}
    for line in resource_path("encodings", f"{name}.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        codes, letter = line.split("\t")
        out[bytes(int(h, 16) for h in codes.split()).decode("cp1252")] = letter
    return out


@cache
def _letters() -> frozenset[str]:
    """Every letter Vietnamese is written with (NFC), upper and lower case."""
    letters = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    for letter in _table(VNI).values():
        letters |= {letter, letter.upper(), letter.lower()}
    return frozenset(letters)


def convert(text: str, encoding: str) -> str:
    """``text`` read as ``encoding`` (:data:`TCVN3` or :data:`VNI`), in NFC Unicode."""
    table = _table(encoding)
    out = []
    i, n = 0, len(text)
    while i < n:
        pair = text[i:i + 2]
        if len(pair) == 2 and pair in table:
            out.append(table[pair])
            i += 2
            continue
        out.append(table.get(text[i], text[i]))
        i += 1
    return unicodedata.normalize("NFC", "".join(out))


def _fold(word: str) -> str:
    s = unicodedata.normalize("NFD", word.lower())
    return "".join(ch for ch in s if not unicodedata.combining(ch)).replace("đ", "d")


@lru_cache(maxsize=65536)
def _plausible(word: str) -> bool:
    """A word made of Vietnamese letters whose vowels form a Vietnamese vowel group (remembered: a
    column's names repeat the same few words)."""
    letters = _letters()
    if not all(ch in letters for ch in word):
        return False
    bare = _ONSET_GLIDE.sub("", _fold(word))
    groups = _VOWELS.findall(bare)
    return len(groups) <= 1 and all(g in _NUCLEI for g in groups)


def _score(texts: Iterable[str]) -> tuple[int, int]:
    """(plausible words, words) among the words that carry a non-ASCII character."""
    good = total = 0
    for text in texts:
        for word in re.split(r"[\s,;:.()/\-–\"'0-9]+", text):
            if word and not word.isascii():
                total += 1
                good += _plausible(word)
    return good, total


def could_be_legacy(text: str) -> bool:
    """Whether ``text`` may be a legacy font's bytes as Excel shows them: Windows-1252 characters
    only. A letter outside that code page (``ứ``, ``ơ``) or a combining mark (NFD text) says the
    text is Unicode already, and converting it would garble it (``Ðức`` → ``éức``)."""
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def detect_encoding(texts: Iterable[str]) -> str | None:
    """:data:`TCVN3`, :data:`VNI`, or ``None`` when the texts read as Unicode Vietnamese already
    (judged on the texts that :func:`could_be_legacy`)."""
    distinct = [t for t in set(texts) if not t.isascii() and could_be_legacy(t)]
    if not distinct:
        return None
    good, total = _score(distinct)
    if total == 0:
        return None
    best, best_rate = None, good / total
    for encoding in (TCVN3, VNI):
        g, t = _score(convert(text, encoding) for text in distinct)
        rate = g / t if t else 0.0
        if rate >= 0.8 and rate - good / total >= 0.3 and (best is None or rate > best_rate):
            best, best_rate = encoding, rate
    return best
