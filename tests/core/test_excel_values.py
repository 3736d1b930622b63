"""Cell values as officials type them, header names, and the kinds of rows under a header."""

from __future__ import annotations

import datetime as _dt

import pytest

from gnbv_desktop.core.excel_columns import Catalogs, header_key, is_numbering_row, match_header
from gnbv_desktop.core.excel_rows import DATA, GROUP, SIGNATURE, SUBTOTAL, classify_row, group_label
from gnbv_desktop.core.excel_values import (
    ValueProblem,
    parse_birth,
    parse_classification,
    parse_codes,
    parse_int,
    parse_labels,
    parse_mark,
    parse_money,
)
from gnbv_desktop.core.standard_set import shipped_standards

TODAY = _dt.date(2026, 6, 1)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("1.500.000", 1_500_000),
        ("1,500,000", 1_500_000),
        ("1500000", 1_500_000),
        (1500000.0, 1_500_000),
        (1_200_000, 1_200_000),
        ("1,5 triệu", 1_500_000),
        ("1.2 tr", 1_200_000),
        ("800 nghìn", 800_000),
        ("1.350.000 đ", 1_350_000),
        ("900.000đ/người/tháng", 900_000),
        ("  ", None),
        (None, None),
    ],
)
def test_money_as_typed(raw, expected):
    assert parse_money(raw) == expected


@pytest.mark.parametrize("raw", ["một triệu", "1.50.000", "-5", "12abc"])
def test_unreadable_money_is_refused_with_the_text(raw):
    with pytest.raises(ValueProblem) as exc:
        parse_money(raw)
    assert raw.strip() in str(exc.value) or raw == "-5"


@pytest.mark.parametrize("raw", ["x", "X", "1", 1, "✓", "có", "Có", " x "])
def test_marks_that_mean_yes(raw):
    assert parse_mark(raw) is True


@pytest.mark.parametrize("raw", [None, "", "0", 0, "không"])
def test_marks_that_mean_no(raw):
    assert parse_mark(raw) is False


def test_a_mark_that_means_nothing_is_refused():
    with pytest.raises(ValueProblem, match="x, 1, ✓ hoặc có"):
        parse_mark("hình như")


@pytest.mark.parametrize(
    "raw, expected",
    [
        (1975, (1975, "")),
        ("1975", (1975, "")),
        (1975.0, (1975, "")),
        ("12/03/1975", (1975, "1975-03-12")),
        ("2-1-1980", (1980, "1980-01-02")),
        (_dt.datetime(1969, 7, 20), (1969, "1969-07-20")),
        (27465, (1975, "1975-03-12")),  # Excel serial of 12/03/1975
        ("03/1990", (1990, "")),
    ],
)
def test_birth_in_every_form(raw, expected):
    assert parse_birth(raw, TODAY) == expected


@pytest.mark.parametrize("raw, reason", [("31/02/1980", "không có thật"), (2030, "tương lai"), ("năm ngoái", "1975")])
def test_impossible_births_are_refused(raw, reason):
    with pytest.raises(ValueProblem, match=reason):
        parse_birth(raw, TODAY)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Nghèo", "poor"),
        ("hộ nghèo", "poor"),
        ("HN", "poor"),
        ("Cận nghèo", "near_poor"),
        ("CN", "near_poor"),
        ("HCN", "near_poor"),
        ("Hộ cận  nghèo", "near_poor"),
        ("Hộ có mức sống trung bình", "average"),
        ("Không thuộc diện", "none"),
        ("", None),
    ],
)
def test_classification_texts(raw, expected):
    assert parse_classification(raw) == expected


def test_unknown_classification_is_refused():
    with pytest.raises(ValueProblem, match="Không nhận ra phân loại 'khá giả'"):
        parse_classification("khá giả")


def test_indicator_codes_column():
    codes = shipped_standards().get("nd07-2021").indicator_codes
    assert parse_codes("4.1, 1.1; 2.2 1.1", codes) == ["1.1", "2.2", "4.1"]
    with pytest.raises(ValueProblem, match="7.3"):
        parse_codes("1.1, 7.3", codes)


def test_catalogue_names_containing_commas_are_found_in_order():
    items = {"thieu_von": "Thiếu vốn sản xuất, kinh doanh", "thieu_lao_dong": "Thiếu lao động", "khac": "Khác"}
    found, left = parse_labels("thiếu lao động; THIẾU VỐN SẢN XUẤT, KINH DOANH, khac, mất mùa", items)
    assert found == ["thieu_lao_dong", "thieu_von", "khac"]
    assert left == ["mat mua"]


def _cats() -> Catalogs:
    return Catalogs(
        standard=shipped_standards().get("nd07-2021"),
        causes={"thieu_von": "Thiếu vốn sản xuất, kinh doanh"},
        needs={"y_te": "Hỗ trợ y tế"},
        categories={"dtts": "Hộ dân tộc thiểu số (DTTS)", "nguoi_co_cong": "Hộ có người có công với cách mạng"},
    )


@pytest.mark.parametrize(
    "leaf, parents, field",
    [
        ("Họ và tên chủ hộ", (), "head_name"),
        ("HỌ TÊN\nCHỦ HỘ", (), "head_name"),
        ("Chủ hộ", (), "head_name"),
        ("Thôn/ấp", (), "village"),
        ("Thôn, làng", (), "village"),
        ("Số CCCD", (), "cccd"),
        ("CCCD/CMND", (), "cccd"),
        ("Số định danh", (), "cccd"),
        ("Thu nhập bình quân đầu người/tháng", (), "income"),
        ("Nữ", ("Năm sinh",), "birth_female"),
        ("Hộ nghèo", ("Phân loại",), "mark_poor"),
        ("HCN", ("Phân loại hộ",), "mark_near_poor"),
        ("2.2", ("Các chỉ số thiếu hụt",), "indicator:2.2"),
        ("Bảo hiểm y tế", ("Chỉ số thiếu hụt",), "indicator:2.2"),
        ("Thiếu vốn sản xuất, kinh doanh", ("Nguyên nhân nghèo",), "cause:thieu_von"),
        ("DTTS", (), "category:dtts"),
        ("Người có công", ("Thuộc đối tượng",), "category:nguoi_co_cong"),
        ("Ảnh chân dung", (), ""),
    ],
)
def test_header_names_map_to_fields(leaf, parents, field):
    assert match_header(leaf, parents, _cats()) == field


def test_header_key_ignores_diacritics_case_spaces_and_breaks():
    assert header_key("Họ và tên\n CHỦ  HỘ") == header_key("ho va ten chu ho") == "hovatenchuho"


def test_numbering_row():
    assert is_numbering_row(["(1)", "(2)", "(3)", "", "(4)"])
    assert is_numbering_row(["1", "2", "3", "4"])
    assert not is_numbering_row(["1", "Nguyễn Văn A", "1975"])


@pytest.mark.parametrize(
    "values, kind",
    [
        ([None, "Thôn 3", None], GROUP),
        (["II. THÔN HỢP THẮNG", None, None], GROUP),
        (["A. HỘ NGHÈO", None], GROUP),
        (["Cộng", None, 12], SUBTOTAL),
        (["Tổng cộng:", None, None], SUBTOTAL),
        ([None, "Người lập biểu", None, "TM. ỦY BAN NHÂN DÂN"], SIGNATURE),
        ([None, "Ia Grai, ngày 05 tháng 01 năm 2026"], SIGNATURE),
        ([1, "Tô Văn Hùng", 1975], DATA),
        ([None, "Tô Văn Hùng", "Con"], DATA),
        ([None, "Công Thị Lan"], DATA),
    ],
)
def test_row_kinds(values, kind):
    assert classify_row(values, {1}, set()) == kind


def test_group_rows_announce_a_village_or_a_classification():
    assert group_label("I. Thôn 1", set()) == ("village", "Thôn 1")
    assert group_label("B- Hộ cận nghèo", set()) == ("classification", "near_poor")
    assert group_label("Làng Dư", {"lang du"}) == ("village", "Làng Dư")


@pytest.mark.parametrize(("raw", "expected"), [("420", 420), ("1.650", 1650), ("1,650", 1650), ("1 650", 1650),
                                               ("12.345.678", 12345678), (" 7 ", 7), (420.0, 420), (3, 3)])
def test_whole_numbers_as_typed(raw, expected):
    assert parse_int(raw) == expected


@pytest.mark.parametrize("raw", ["10,5", "2.5", "10.50", "1.2.3", "1.000,5", "1,000.000", "1.000 000", "12,3456", "٤٢"])
def test_decimals_and_odd_groupings_are_not_read_digit_by_digit(raw):
    """'10,5' households is a decimal typed the Vietnamese way, not 105 (it used to be read as 105)."""
    with pytest.raises(ValueProblem, match="Không đọc được"):
        parse_int(raw)
