"""Which rows under the header of a hand-made list are households, and which are not.

Lists carry village group rows (``Thôn 3``, ``I. THÔN HỢP THẮNG``), section rows (``A. HỘ NGHÈO``),
subtotals (``Cộng``, ``Tổng cộng``) and a signature block at the bottom; those are recognised and
skipped, and a group row sets the village (or classification) of the households below it.
"""

from __future__ import annotations

import re

from gnbv_desktop.core.excel_values import ValueProblem, fold, parse_classification
from gnbv_desktop.core.text import clean

BLANK = "blank"
GROUP = "group"
SUBTOTAL = "subtotal"
SIGNATURE = "signature"
DATA = "data"
KIND_LABELS = {
    BLANK: "dòng trống",
    GROUP: "dòng nhóm",
    SUBTOTAL: "dòng cộng",
    SIGNATURE: "phần ký tên",
}

# ``Cộng``, ``Tổng cộng:``, ``Cộng thôn 1``, ``Tổng số hộ`` — but not a name such as ``Công Thị Lan``.
_SUBTOTAL = re.compile(
    r"^(tong cong|tong so|tong|cong|so ho|so khau)\s*:?"
    r"(\s+(thon|ap|ban|lang|buon|to|khu|xa|phuong|toan|chung|so|ho|nhan|khau|cong|\d|[ivx]+\b).*)?$"
)
_SIGNATURE = re.compile(
    r"^(nguoi lap( bieu)?|tm\.? ?(uy ban|ubnd)|kt\.? ?chu tich|(pho )?chu tich( ubnd)?|xac nhan|truong thon|"
    r"truong ap|truong ban|can bo|thu truong|\(ky|ky ten|giam doc|ngay \S* ?thang|.*, ngay \S* ?thang)"
)
_GROUP_PREFIX = re.compile(r"^((?:[ivxlc]+|[a-z]|\d{1,2})[.)/:\-]\s*|(?:[ivxlc]+)\s+)", re.IGNORECASE)
# Words that open a village name; the weak ones are also family names (Tô, Ban, Lăng…), so they
# count only before a number (``Tổ 5``, ``Bản 2``) unless the village is already known.
_VILLAGE_WORDS = ("thon", "ap", "buon", "to dan pho", "khu pho", "khom", "xom", "plei", "soc", "khu dan cu")
_WEAK_VILLAGE_WORDS = ("ban", "lang", "to", "khu", "doi", "cum")


def _is_number(value: object) -> bool:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return True
    return bool(re.fullmatch(r"\d+", clean(value)))


def strip_group_prefix(text: str) -> str:
    """``I. Thôn 1`` → ``Thôn 1``; ``A- HỘ NGHÈO`` → ``HỘ NGHÈO``."""
    return clean(_GROUP_PREFIX.sub("", clean(text), count=1))


def looks_like_village(text: str, known: set[str]) -> bool:
    key = fold(text)
    if key in known:
        return True
    if any(key == w or key.startswith(w + " ") for w in _VILLAGE_WORDS):
        return True
    return any(re.fullmatch(rf"{w} \d+[a-z]?", key) for w in _WEAK_VILLAGE_WORDS)


def classify_row(values: list[object], name_columns: set[int], known_villages: set[str]) -> str:
    """Kind of one data-area row: blank, group, subtotal, signature or data.

    ``known_villages`` holds ``fold`` keys of the commune's villages; ``name_columns`` the indexes
    of the name columns (a lone name there is a household, a lone village name a group row).
    """
    first = values[0] if values else None
    if isinstance(first, (int, float)) and not isinstance(first, bool):
        n = 0  # an STT number opens the row: data as soon as two more cells are filled
        for v in values:
            if v is not None and (not isinstance(v, str) or v.strip()):
                n += 1
                if n > 2:
                    return DATA
    filled = [(i, v) for i, v in enumerate(values) if v is not None and (not isinstance(v, str) or v.strip())]
    if not filled:
        return BLANK
    if _is_number(filled[0][1]) and len(filled) > 2:
        return DATA  # an STT number opens the row: the common case, decided without reading the texts
    texts = [fold(v) for _, v in filled if not _is_number(v)]
    if any(_SIGNATURE.match(t) for t in texts):
        return SIGNATURE
    first = filled[0][1]
    if not _is_number(first) and _SUBTOTAL.match(fold(first)):
        return SUBTOTAL
    if len(filled) <= 2 and not any(_is_number(v) for _, v in filled):
        label = clean(" ".join(clean(v) for _, v in filled))
        kind, _ = group_label(label, known_villages)
        if kind != "heading":
            return GROUP
        if not any(i in name_columns for i, _ in filled):
            return GROUP
    return DATA


def group_label(text: str, known_villages: set[str]) -> tuple[str, str]:
    """What a group row announces: ``("village", name)``, ``("classification", code)`` or ``("heading", text)``."""
    bare = strip_group_prefix(text)
    without_list = re.sub(r"^(danh sach|ds)\s+", "", fold(bare))
    try:
        cls = parse_classification(without_list)
    except ValueProblem:
        cls = None
    if cls and len(without_list) > 3:
        return "classification", cls
    if looks_like_village(bare, known_villages):
        return "village", bare
    return "heading", bare
