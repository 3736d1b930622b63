"""Which column of an official's list holds what: header names → import fields.

Headers are compared on a key that ignores diacritics, case, spaces, punctuation and line breaks
(``HỌ TÊN\nCHỦ HỘ`` = ``Họ và tên chủ hộ``). A column under a merged parent header is matched on
the parent and the leaf together (``Năm sinh`` / ``Nữ``, ``Phân loại`` / ``Hộ nghèo``).

Field names are plain strings; per-item fields carry their code after a colon:
``indicator:2.2``, ``cause:thieu_von``, ``need:y_te``, ``category:dtts``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from gnbv_desktop.core.standards import Standard
from gnbv_desktop.core.text import fold, is_digits

IGNORE = ""

# field → label shown in the mapping table (Vietnamese)
FIELD_LABELS: dict[str, str] = {
    IGNORE: "(bỏ qua cột này)",
    "stt": "STT",
    "code": "Mã hộ",
    "head_name": "Họ và tên chủ hộ",
    "name": "Họ và tên (chủ hộ hoặc thành viên)",
    "household_no": "STT chủ hộ",
    "member_no": "STT thành viên",
    "relation": "Quan hệ với chủ hộ",
    "birth": "Năm sinh / ngày sinh",
    "birth_male": "Nam (năm sinh hoặc đánh dấu)",
    "birth_female": "Nữ (năm sinh hoặc đánh dấu)",
    "sex": "Giới tính",
    "cccd": "Số CCCD / định danh",
    "ethnicity": "Dân tộc",
    "village": "Thôn",
    "area": "Khu vực (nông thôn/thành thị)",
    "address": "Địa chỉ",
    "phone": "Điện thoại",
    "income": "Thu nhập bình quân người/tháng",
    "deprived_codes": "Các chỉ số thiếu hụt (mã)",
    "deprived_count": "Số chỉ số thiếu hụt (đối chiếu)",
    "household_size": "Số nhân khẩu của hộ",
    "count_other": "Số đếm khác (đọc, không lưu)",
    "classification": "Phân loại hộ",
    "mark_poor": "Hộ nghèo (đánh dấu)",
    "mark_near_poor": "Hộ cận nghèo (đánh dấu)",
    "mark_average": "Hộ mức sống trung bình (đánh dấu)",
    "causes": "Nguyên nhân nghèo (liệt kê)",
    "needs": "Nhu cầu hỗ trợ (liệt kê)",
    "categories": "Đặc điểm hộ (liệt kê)",
    "expected_result": "Kết quả dự kiến của kế hoạch hỗ trợ",
    "note": "Ghi chú",
}

# Fields that belong to a person (the head or a member) in a one-row-per-member list.
PERSON_FIELDS = {"name", "head_name", "relation", "member_no", "birth", "birth_male", "birth_female", "sex",
                 "cccd", "ethnicity"}


@lru_cache(maxsize=4096)
def _header_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text))


def header_key(text: object) -> str:
    """``Họ và tên\nchủ hộ`` → ``hovatenchuho``: letters and digits only, no diacritics."""
    return _header_key(text if isinstance(text, str) else str(text or ""))


def _keys(*texts: str) -> tuple[str, ...]:
    return tuple(header_key(t) for t in texts)


# Exact header keys per field, then key fragments that identify a field when contained.
_EXACT: list[tuple[str, tuple[str, ...]]] = [
    ("stt", _keys("STT", "TT", "Số TT", "Số thứ tự")),
    ("household_no", _keys("STT chủ hộ", "STT hộ", "Số TT hộ", "TT hộ")),
    ("member_no", _keys("STT thành viên", "STT thành viên hộ", "STT nhân khẩu", "TT thành viên")),
    ("code", _keys("Mã hộ", "Mã số hộ", "Mã HGĐ", "Mã hộ gia đình", "Mã hộ nghèo")),
    ("head_name", _keys("Họ và tên chủ hộ", "Họ tên chủ hộ", "Chủ hộ", "Tên chủ hộ", "Chủ hộ gia đình",
                        "Họ và tên chủ hộ gia đình")),
    ("name", _keys("Họ và tên", "Họ tên", "Họ và tên thành viên", "Họ tên thành viên", "Tên thành viên",
                   "Họ và tên người trong hộ", "Họ và tên thành viên hộ")),
    ("relation", _keys("Quan hệ với chủ hộ", "Quan hệ", "QH với chủ hộ", "Mối quan hệ với chủ hộ")),
    ("birth", _keys("Năm sinh", "Ngày sinh", "Ngày tháng năm sinh", "Ngày, tháng, năm sinh", "NS",
                    "Năm sinh chủ hộ", "Ngày sinh chủ hộ")),
    ("birth_male", _keys("Nam", "Năm sinh nam", "Năm sinh Nam")),
    ("birth_female", _keys("Nữ", "Năm sinh nữ", "Năm sinh Nữ")),
    ("sex", _keys("Giới tính", "Giới", "Nam/Nữ", "Nam, nữ")),
    ("ethnicity", _keys("Dân tộc", "Dân tộc chủ hộ")),
    ("village", _keys("Thôn", "Thôn/ấp", "Thôn, làng", "Thôn, bản", "Thôn/bản", "Thôn/tổ", "Ấp", "Bản", "Làng",
                      "Thôn, tổ dân phố", "Thôn/tổ dân phố", "Tổ dân phố", "Thôn, xóm", "Xóm", "Buôn", "Khóm",
                      "Thôn, buôn", "Thôn/làng", "Tên thôn", "Địa bàn")),
    ("area", _keys("Khu vực", "Nông thôn/thành thị", "Khu vực (nông thôn/thành thị)")),
    ("address", _keys("Địa chỉ", "Nơi ở", "Nơi ở hiện nay", "Nơi cư trú", "Địa chỉ thường trú")),
    ("phone", _keys("Điện thoại", "Số điện thoại", "SĐT", "ĐT")),
    ("classification", _keys("Phân loại", "Phân loại hộ", "Loại hộ", "Kết quả rà soát", "Kết quả phân loại",
                             "Hộ nghèo/cận nghèo", "Diện hộ", "Phân loại hộ nghèo, cận nghèo")),
    ("mark_poor", _keys("Hộ nghèo", "Nghèo", "HN")),
    ("mark_near_poor", _keys("Hộ cận nghèo", "Cận nghèo", "HCN", "CN")),
    ("mark_average", _keys("Hộ có mức sống trung bình", "Mức sống trung bình", "Hộ mức sống trung bình")),
    ("household_size", _keys("Số nhân khẩu", "Nhân khẩu", "Số khẩu", "Tổng số nhân khẩu", "Số nhân khẩu trong hộ",
                             "Số người trong hộ", "Số thành viên", "Số thành viên hộ", "Quy mô hộ", "Số NK",
                             "Tổng số khẩu", "Số người")),
    ("deprived_count", _keys("Số chỉ số thiếu hụt", "Tổng số chỉ số thiếu hụt", "Số thiếu hụt", "Số chỉ số",
                             "Số chỉ số thiếu hụt dịch vụ xã hội cơ bản", "Tổng số thiếu hụt")),
    ("count_other", _keys("Số lao động", "Số người trong độ tuổi lao động", "Số người có việc làm", "Số trẻ em",
                          "Số người cao tuổi", "Số người khuyết tật", "Số nữ", "Số nam", "Số người có BHYT",
                          "Số trẻ em dưới 16 tuổi", "Số người phụ thuộc", "Số lao động có việc làm")),
    ("deprived_codes", _keys("Chỉ số thiếu hụt", "Các chỉ số thiếu hụt", "Thiếu hụt", "Chỉ số thiếu hụt (mã)",
                             "Các chỉ số thiếu hụt (mã)", "Mã chỉ số thiếu hụt", "Thiếu hụt dịch vụ xã hội cơ bản",
                             "Các chỉ số thiếu hụt dịch vụ xã hội cơ bản")),
    ("causes", _keys("Nguyên nhân nghèo", "Nguyên nhân", "Nguyên nhân nghèo, cận nghèo")),
    ("needs", _keys("Nhu cầu hỗ trợ", "Nhu cầu", "Nhu cầu cần hỗ trợ")),
    ("categories", _keys("Đặc điểm hộ", "Thuộc đối tượng", "Đối tượng", "Đặc điểm")),
    ("expected_result", _keys("Kết quả dự kiến", "Kết quả dự kiến năm", "Dự kiến kết quả", "Kết quả phấn đấu",
                              "Mục tiêu thoát nghèo")),
    ("note", _keys("Ghi chú", "GC")),
]
_CONTAINS: list[tuple[str, tuple[str, ...]]] = [
    ("household_no", _keys("sttchuho", "sttho")),
    ("member_no", _keys("sttthanhvien", "sttnhankhau")),
    ("code", _keys("maho",)),
    ("relation", _keys("quanhevoichuho",)),
    ("head_name", _keys("tenchuho",)),
    ("cccd", _keys("cccd", "cmnd", "dinhdanh", "cancuoc")),
    ("income", _keys("thunhap",)),
    ("phone", _keys("dienthoai",)),
    ("deprived_count", _keys("sochisothieuhut", "tongsochiso", "sothieuhut")),
    ("household_size", _keys("sonhankhau", "sokhau")),
    ("deprived_codes", _keys("chisothieuhut",)),
    ("causes", _keys("nguyennhan",)),
    ("needs", _keys("nhucau",)),
    ("birth", _keys("namsinh", "ngaysinh")),
    ("ethnicity", _keys("dantoc",)),
    ("note", _keys("ghichu",)),
]
_EXACT_LOOKUP = {k: field for field, keys in _EXACT for k in keys}

# Parent headers whose sub-columns are read differently.
_GROUP_BIRTH = _keys("Năm sinh", "Ngày sinh", "Ngày tháng năm sinh", "Ngày, tháng, năm sinh")
_GROUP_SEX = _keys("Giới tính")
_GROUP_CLASS = _keys("Phân loại", "Phân loại hộ", "Kết quả rà soát", "Kết quả phân loại", "Loại hộ", "Diện hộ")
_GROUP_DEPRIVED = ("thieuhut", "chiso")
_GROUP_CAUSES = ("nguyennhan",)
_GROUP_NEEDS = ("nhucau",)
_GROUP_CATEGORIES = _keys("Đặc điểm hộ", "Thuộc đối tượng", "Đối tượng", "Đặc điểm", "Hộ thuộc đối tượng")

# Short names seen on lists for household categories (beyond the catalogue's own names).
CATEGORY_ALIASES: dict[str, tuple[str, ...]] = {
    "dtts": _keys("DTTS", "Dân tộc thiểu số", "Hộ DTTS", "Hộ dân tộc thiểu số"),
    "nguoi_co_cong": _keys("Người có công", "NCC", "Hộ có người có công", "Có công"),
    "bao_tro_xa_hoi": _keys("Bảo trợ xã hội", "BTXH", "Đối tượng bảo trợ xã hội"),
    "khuyet_tat": _keys("Người khuyết tật", "Khuyết tật", "NKT"),
    "phu_nu_chu_ho": _keys("Phụ nữ làm chủ hộ", "Chủ hộ là nữ", "Nữ chủ hộ"),
    "khong_kha_nang_lao_dong": _keys("Không có khả năng lao động", "Không có KNLĐ", "Hộ không có khả năng lao động"),
    "lao_dong_thu_nhap_thap": _keys("Lao động thu nhập thấp", "Người lao động có thu nhập thấp"),
}


@dataclass(frozen=True)
class Catalogs:
    """What per-item columns can refer to: the year's indicators and the commune's catalogues."""

    standard: Standard
    causes: dict[str, str]
    needs: dict[str, str]
    categories: dict[str, str]


def field_label(field: str, cats: Catalogs) -> str:
    kind, _, code = field.partition(":")
    if not code:
        return FIELD_LABELS.get(field, field)
    if kind == "indicator":
        return f"Thiếu hụt {code} — {cats.standard.indicator(code).name}"
    names = {"cause": cats.causes, "need": cats.needs, "category": cats.categories}[kind]
    prefix = {"cause": "Nguyên nhân", "need": "Nhu cầu", "category": "Đặc điểm"}[kind]
    return f"{prefix}: {names.get(code, code)}"


def all_fields(cats: Catalogs) -> list[str]:
    """Every field a column can be mapped to, in the order the mapping table offers them."""
    return (
        list(FIELD_LABELS)
        + [f"indicator:{c}" for c in cats.standard.indicator_codes]
        + [f"cause:{c}" for c in cats.causes]
        + [f"need:{c}" for c in cats.needs]
        + [f"category:{c}" for c in cats.categories]
    )


def _indicator_field(key: str, cats: Catalogs, allow_bare_code: bool) -> str | None:
    for ind in cats.standard.indicators:
        code_key = header_key(ind.code)
        if allow_bare_code and key in (code_key, "chiso" + code_key, "cs" + code_key):
            return f"indicator:{ind.code}"
        if key in (header_key(ind.name), code_key + header_key(ind.name)):
            return f"indicator:{ind.code}"
    return None


def _item_field(key: str, kind: str, items: dict[str, str]) -> str | None:
    for code, name in items.items():
        if key == header_key(name):
            return f"{kind}:{code}"
    if kind == "category":
        for code, aliases in CATEGORY_ALIASES.items():
            if code in items and key in aliases:
                return f"category:{code}"
    return None


def match_header(leaf: str, parents: tuple[str, ...], cats: Catalogs) -> str:
    """The field for a column whose header cells read ``parents`` (top first) then ``leaf``."""
    key = header_key(leaf)
    parent_keys = tuple(header_key(p) for p in parents if header_key(p) and header_key(p) != key)
    if not key:
        return IGNORE
    under = set(parent_keys)
    if under & set(_GROUP_BIRTH) or under & set(_GROUP_SEX):
        if key in ("nam",):
            return "birth_male"
        if key in ("nu",):
            return "birth_female"
    if under & set(_GROUP_CLASS):
        cls = {"hongheo": "mark_poor", "ngheo": "mark_poor", "hn": "mark_poor", "hocanngheo": "mark_near_poor",
               "canngheo": "mark_near_poor", "hcn": "mark_near_poor", "cn": "mark_near_poor"}
        if key in cls:
            return cls[key]
        if "trungbinh" in key:
            return "mark_average"
    in_deprived = any(any(g in p for g in _GROUP_DEPRIVED) for p in parent_keys)
    found = _indicator_field(key, cats, allow_bare_code=in_deprived)
    if found:
        return found
    if any(any(g in p for g in _GROUP_CAUSES) for p in parent_keys):
        found = _item_field(key, "cause", cats.causes)
    elif any(any(g in p for g in _GROUP_NEEDS) for p in parent_keys):
        found = _item_field(key, "need", cats.needs)
    elif under & set(_GROUP_CATEGORIES):
        found = _item_field(key, "category", cats.categories)
    if found:
        return found
    if key in _EXACT_LOOKUP:
        return _EXACT_LOOKUP[key]
    found = _item_field(key, "category", cats.categories)
    if found:
        return found
    for field, fragments in _CONTAINS:
        if any(f in key for f in fragments):
            return field
    return IGNORE


def is_known_header(text: object, cats: Catalogs) -> bool:
    """Whether a cell reads like a column header (used to find the header rows)."""
    return match_header(str(text), (), cats) != IGNORE


_NUMBERING_CELL = re.compile(r"^\(?\s*[0-9]{1,3}[a-z]?\s*\)?$|^\(\s*[a-z]{1,2}\s*\)$")


def is_numbering_row(texts: list[str]) -> bool:
    """The ``(1) (2) (3)…`` row under a header: every filled cell a short number or ``(A)``."""
    filled = [fold(t) for t in texts if t]
    return len(filled) >= 3 and all(_NUMBERING_CELL.match(t) for t in filled) and any(
        "(" in t for t in filled
    ) or (len(filled) >= 3 and _is_consecutive(filled))


def _is_consecutive(filled: list[str]) -> bool:
    if not all(is_digits(t) for t in filled):
        return False
    nums = [int(t) for t in filled]
    return nums == list(range(nums[0], nums[0] + len(nums))) and nums[0] in (0, 1)
