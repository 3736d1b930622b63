"""Lists as communes really keep them (issue 12): count columns, CCCD typed as text, ethnic names in
practice, old formats (.xls, .ods) and old Vietnamese encodings (TCVN3, VNI)."""

from __future__ import annotations

import pytest

from gnbv_desktop.core.legacy_text import TCVN3, VNI, convert, detect_encoding
from gnbv_desktop.jobs.demo import ensure_demo_commune
from gnbv_desktop.jobs.import_excel import preview_import, run_import
from gnbv_desktop.jobs.progress import run_to_end
from gnbv_desktop.store.household_list import list_rows
from gnbv_desktop.store.households import get_household, stats
from gnbv_desktop.store.report_data import report_data
from tests.cli.helpers import run_json
from tests.io.workbooks import ods_list, simple_list, xls_list

HEADER = ["STT", "Họ và tên chủ hộ", "Năm sinh", "Số CCCD", "Dân tộc", "Thôn", "Số nhân khẩu", "Thu nhập",
          "Các chỉ số thiếu hụt", "Số chỉ số thiếu hụt", "Phân loại"]


@pytest.fixture
def commune(db):
    ensure_demo_commune(db)
    return db


def _preview(db, path, **kw):
    return run_to_end(preview_import(db, path, year=2026, **kw))


def _problems(preview, row):
    return [(p.column.split(" ")[0], p.error, p.message) for p in preview.problems if p.row == row]


def test_size_and_deprivation_count_columns_are_read(commune, tmp_path, db_path, capsys):
    path = simple_list(tmp_path / "n.xlsx", [
        [1, "Hà Văn Một", 1970, None, "Kinh", "Thôn 1", 5, "1.000.000", "1.1, 2.2, 3.1, 4.1", 4.0, "Nghèo"],
        [2, "Hà Thị Hai", 1980, None, "Kinh", "Thôn 1", "3", "1.000.000", "1.1, 2.2", 3, "Cận nghèo"],
    ], header=HEADER)
    preview = _preview(commune, path)
    fields = {c.header: preview.mapping[c.index] for c in preview.header.columns}
    assert (fields["Số nhân khẩu"], fields["Số chỉ số thiếu hụt"]) == ("household_size", "deprived_count")
    assert not preview.invalid  # "4.0" is a count, not an indicator code
    assert _problems(preview, 2) == []
    assert _problems(preview, 3) == [("J", False, "Ghi 3 chỉ số thiếu hụt, nhưng các cột chỉ số liệt kê 2 (1.1, 2.2); "
                                                  "dùng các chỉ số được liệt kê.")]
    run_to_end(run_import(commune, preview))
    rows = {r.head_name: r for r in list_rows(commune, 2026)}
    assert (rows["Hà Văn Một"].size, rows["Hà Thị Hai"].size) == (5, 3)
    assert stats(commune, 2026)["members"] == 8
    assert get_household(commune, rows["Hà Văn Một"].id).size == 5
    listed = run_json(capsys, db_path, "list", "--year", "2026", "--json")
    assert sorted((h["head_name"], h["members"]) for h in listed) == [("Hà Thị Hai", 3), ("Hà Văn Một", 5)]
    printed = report_data(commune, 2026, with_members=True)  # what the household sheets print
    assert sorted((h.head_name, h.size) for g in printed.groups for h in g.households) == [
        ("Hà Thị Hai", 3), ("Hà Văn Một", 5)]


def test_cccd_leading_zero_only_for_number_cells(commune, tmp_path):
    path = simple_list(tmp_path / "c.xlsx", [
        [1, "Hà Văn Một", 1970, 64070000123, "Thôn 1", "1.000.000", "Cận nghèo"],  # a number cell lost its zero
        [2, "Hà Văn Hai", 1970, "06407000012", "Thôn 1", "1.000.000", "Cận nghèo"],  # text: 11 digits typed
    ])
    preview = _preview(commune, path)
    assert _problems(preview, 2) == [("D", False, "Số CCCD bị mất số 0 ở đầu (Excel lưu dạng số); "
                                                  "đã khôi phục thành 064070000123.")]
    assert _problems(preview, 3) == [("D", True, "Số CCCD '06407000012' phải có đúng 12 chữ số (đang có 11).")]


NUMBER_CCCDS = [
    [1, "Hà Văn Một", 1970, 64070000123, "Thôn 1", "1.000.000", "Cận nghèo"],  # lost its zero
    [2, "Hà Thị Hai", 1985, 64185000124, "Thôn 1", "1.000.000", "Cận nghèo"],  # lost its zero, a woman born 1985
    [3, "Hà Văn Ba", 1990, None, "Thôn 1", "1.000.000", "Cận nghèo"],  # none
    [4, "Hà Văn Bốn", 1975, 164075000125, "Thôn 1", "1.000.000", "Cận nghèo"],  # 12 digits: province 164 unknown
    [5, "Hà Văn Năm", 1980, 64075000126, "Thôn 1", "1.000.000", "Cận nghèo"],  # says born 1975, not 1980
]


def test_a_column_of_number_cccds_reads_as_cell_by_cell(commune, tmp_path):
    """A CCCD column of number cells only (most lists) is read a column at a time: each row gets what a
    column with a text cell in it, read cell by cell, gives it."""
    numbers = _preview(commune, simple_list(tmp_path / "n.xlsx", NUMBER_CCCDS))
    mixed = _preview(commune, simple_list(tmp_path / "m.xlsx", [*NUMBER_CCCDS, [6, "Hà Văn Sáu", 1970, "064070000127",
                                                                               "Thôn 1", "1.000.000", "Cận nghèo"]]))
    assert [ph.household.head_cccd for ph in numbers.households] == [
        "064070000123", "064185000124", "", "164075000125", "064075000126"]
    assert _problems(numbers, 2) == [("D", False, "Số CCCD bị mất số 0 ở đầu (Excel lưu dạng số); "
                                                  "đã khôi phục thành 064070000123.")]
    assert _problems(numbers, 4) == []
    assert len(_problems(numbers, 5)) == 1 and len(_problems(numbers, 6)) == 2  # the province; the birth year too
    for row in range(2, 7):
        assert _problems(numbers, row) == _problems(mixed, row)
    assert [ph.household.head_cccd for ph in numbers.households] == [
        ph.household.head_cccd for ph in mixed.households[:5]]


@pytest.mark.parametrize("written, name, code", [
    ("Jrai", "Gia-rai", "10"), ("Gia Rai", "Gia-rai", "10"), ("Bahnar", "Ba na", "13"), ("Ba Na", "Ba na", "13"),
    ("Ê Đê", "Ê-đê", "12"), ("Rhade", "Ê-đê", "12"), ("H'Mông", "HMông", "08"), ("Mông", "HMông", "08"),
    ("Sê Đăng", "Xơ-Đăng", "14"), ("Xơ Đăng", "Xơ-Đăng", "14"), ("K'Ho", "Cơ-ho", "16"), ("Khmer", "Khơ-me", "05"),
    ("Khơ Me", "Khơ-me", "05"), ("Mường", "Mường", "06"),
])
def test_ethnic_names_used_in_practice(commune, tmp_path, written, name, code):
    path = simple_list(tmp_path / "d.xlsx", [[1, "Siu H'Bia", 1982, written, "Thôn 1", "1.000.000", "Cận nghèo"]],
                       header=["STT", "Họ tên chủ hộ", "Năm sinh", "Dân tộc", "Thôn", "Thu nhập", "Phân loại"])
    preview = _preview(commune, path)
    assert _problems(preview, 2) == []
    h = preview.households[0].household
    assert (h.ethnicity_name, h.ethnicity_code, h.ethnicity_list) == (name, code, "QĐ 121-TCTK/PPCĐ (1979)")


def test_unknown_ethnic_name_is_a_warning_that_keeps_the_text(commune, tmp_path):
    path = simple_list(tmp_path / "d.xlsx", [[1, "Siu H'Bia", 1982, "Xyzo", "Thôn 1", "1.000.000", "Cận nghèo"]],
                       header=["STT", "Họ tên chủ hộ", "Năm sinh", "Dân tộc", "Thôn", "Thu nhập", "Phân loại"])
    preview = _preview(commune, path)
    assert _problems(preview, 2) == [("D", False, "Không tìm thấy dân tộc 'Xyzo' trong danh mục các dân tộc Việt Nam; "
                                                  "giữ nguyên tên đã ghi.")]
    assert preview.households[0].household.ethnicity_name == "Xyzo"


ROWS = [[1, "Nguyễn Văn An", 1975, "Gia Rai", "Thôn 1", 1200000, "Nghèo"],
        [2, "Trần Thị Bình", 1980, "Kinh", "Thôn 2", "1.400.000", "Cận nghèo"]]
HEADER7 = ["STT", "Họ và tên chủ hộ", "Năm sinh", "Dân tộc", "Thôn", "Thu nhập", "Phân loại"]


@pytest.mark.parametrize("maker, name", [(xls_list, "cu.xls"), (ods_list, "calc.ods")])
def test_old_formats_are_read_like_xlsx(commune, tmp_path, maker, name):
    path = maker(tmp_path / name, ROWS, HEADER7)
    preview = _preview(commune, path)
    assert not preview.invalid
    run_to_end(run_import(commune, preview))
    got = sorted((r.head_name, r.village, r.income, r.classification) for r in list_rows(commune, 2026))
    assert got == [("Nguyễn Văn An", "Thôn 1", 1_200_000, "poor"), ("Trần Thị Bình", "Thôn 2", 1_400_000, "near_poor")]


# Real samples: how these names show when a .VnTime / VNI-Times file is opened as Unicode.
TCVN3_NAMES = {"NguyÔn V¨n An": "Nguyễn Văn An", "TrÇn ThÞ B×nh": "Trần Thị Bình", "§inh ThÞ Cóc": "Đinh Thị Cúc",
               "Lª V¨n T¸m": "Lê Văn Tám", "Hoµng Xu©n Quý": "Hoàng Xuân Quý"}
VNI_NAMES = {"Nguyeãn Vaên An": "Nguyễn Văn An", "Traàn Thò Bình": "Trần Thị Bình", "Ñinh Thò Cuùc": "Đinh Thị Cúc",
             "Leâ Vaên Taùm": "Lê Văn Tám", "Hoaøng Xuaân Quyù": "Hoàng Xuân Quý"}


@pytest.mark.parametrize("encoding, samples", [(TCVN3, TCVN3_NAMES), (VNI, VNI_NAMES)])
def test_legacy_samples_convert_to_nfc(encoding, samples):
    assert detect_encoding(samples) == encoding
    assert {k: convert(k, encoding) for k in samples} == samples
    assert detect_encoding(samples.values()) is None  # Unicode stays as it is


@pytest.mark.parametrize("encoding, samples, label", [(TCVN3, TCVN3_NAMES, "TCVN3"), (VNI, VNI_NAMES, "VNI")])
def test_legacy_column_is_converted_in_the_preview_and_can_be_turned_off(commune, tmp_path, encoding, samples, label):
    rows = [[i, legacy, 1970 + i, "Thôn 1", "1.000.000", "Nghèo"] for i, legacy in enumerate(samples, start=1)]
    path = simple_list(tmp_path / "m.xlsx", rows, header=["STT", "Họ tên chủ hộ", "Năm sinh", "Thôn", "Thu nhập",
                                                          "Phân loại"])
    preview = _preview(commune, path)
    assert [h.household.head_name for h in preview.households] == list(samples.values())
    assert len(preview.notices) == 1 and preview.notices[0].startswith(f"Cột B (Họ tên chủ hộ) được gõ bằng bảng mã cũ "
                                                                       f"{label}")
    kept = _preview(commune, path, convert_legacy=False)
    assert [h.household.head_name for h in kept.households] == list(samples)
    assert "đang giữ nguyên" in kept.notices[0]


def test_absurd_income_is_a_row_error_not_an_overflow(commune, tmp_path):
    path = simple_list(tmp_path / "i.xlsx", [[1, "Hà Văn Một", 1970, None, "Thôn 1", 1e20, "Nghèo"]])
    preview = _preview(commune, path)
    assert _problems(preview, 2) == [("F", True, "Số tiền 100.000.000.000.000.000.000 lớn quá mức cho phép "
                                                 "(1.000.000.000.000 đ).")]


def test_over_long_plan_cell_is_a_row_error_and_never_stored(demo_db, tmp_path):
    import openpyxl

    from gnbv_desktop.jobs.export_excel import export_excel

    path = tmp_path / "xuat.xlsx"
    run_to_end(export_excel(demo_db, path, 2026))
    wb = openpyxl.load_workbook(path)
    ws = wb["Kế hoạch hỗ trợ"]
    header_row = next(r for r in range(1, 10) if "Nội dung hỗ trợ" in [c.value for c in ws[r]])
    col = [c.value for c in ws[header_row]].index("Nội dung hỗ trợ") + 1
    ws.cell(header_row + 1, col).value = "Hỗ trợ " * 400
    wb.save(path)
    preview = _preview(demo_db, path)
    found = [p for p in preview.problems if p.sheet == "Kế hoạch hỗ trợ" and p.row == header_row + 1]
    assert [(p.error, p.message) for p in found] == [
        (True, "Ô dài 2.800 ký tự, quá giới hạn 1.000 ký tự; hãy rút gọn.")]
    run_to_end(run_import(demo_db, preview, skip_invalid=True))
    longest = demo_db.execute("SELECT MAX(LENGTH(content)) FROM plan_items").fetchone()[0]
    assert longest <= 1000


def test_names_kept_in_a_legacy_font_or_with_odd_digits_are_imported_not_a_crash(commune, tmp_path):
    """TCVN3 writes ``ạ`` as ``¹``: with the conversion turned off the name is kept as typed, and its
    sort key must not take ``¹`` (a digit to ``str.isdigit``) for a number; nor ``②``, nor a letter
    at the very top of Unicode."""
    names = ["Ph¹m ThÞ Lan", "Hà Văn Hai²", "Lò Văn ②", "Hà Thị \U0010fffd"]
    rows = [[i, name, 1970 + i, "Thôn 1", "1.000.000", "Nghèo"] for i, name in enumerate(names, start=1)]
    path = simple_list(tmp_path / "m.xlsx", rows, header=["STT", "Họ tên chủ hộ", "Năm sinh", "Thôn", "Thu nhập",
                                                          "Phân loại"])
    preview = _preview(commune, path, convert_legacy=False)
    assert not preview.invalid
    run_to_end(run_import(commune, preview))
    stored = [r[0] for r in commune.execute("SELECT head_name FROM households ORDER BY sort_key, id")]
    assert sorted(stored) == sorted(names)


@pytest.mark.parametrize("cccd", ["06417000000²", "①①①①①①①①①①①①", "٠٦٤١٧٠٠٠٠٠٠١"])
def test_a_cccd_of_digits_other_than_0_to_9_is_a_row_error_not_a_crash_nor_stored(commune, tmp_path, cccd):
    """``str.isdigit`` also says yes to ``²``, ``①`` and Arabic-Indic digits; a CCCD is 12 digits 0–9."""
    path = simple_list(tmp_path / "c.xlsx", [[1, "Hà Văn Một", 1970, cccd, "Thôn 1", "1.000.000", "Nghèo"]],
                       header=["STT", "Họ tên chủ hộ", "Năm sinh", "Số CCCD", "Thôn", "Thu nhập", "Phân loại"])
    preview = _preview(commune, path)
    assert [p for p in _problems(preview, 2) if p[0] == "D"] == [("D", True, f"Số CCCD '{cccd}' chỉ được gồm chữ số.")]
    assert [h.row for h in preview.invalid] == [2]


def test_a_household_code_of_odd_digits_is_kept_as_typed_and_new_codes_still_count_up(commune, tmp_path):
    path = simple_list(tmp_path / "m.xlsx", [[1, "²", "Hà Văn Một", 1970, "Thôn 1", "1.000.000", "Nghèo"],
                                             [2, None, "Hà Thị Hai", 1980, "Thôn 1", "1.000.000", "Nghèo"]],
                       header=["STT", "Mã hộ", "Họ tên chủ hộ", "Năm sinh", "Thôn", "Thu nhập", "Phân loại"])
    preview = _preview(commune, path)
    assert not preview.invalid
    run_to_end(run_import(commune, preview))
    assert sorted(r[0] for r in commune.execute("SELECT code FROM households")) == ["00001", "²"]


def test_a_numbering_row_with_an_odd_digit_is_read_as_data_not_a_crash(commune, tmp_path):
    """A row "1, ², 3, …" under the header: the numbering-row check counts 0–9 only (``int('²')`` fails)."""
    path = simple_list(tmp_path / "n.xlsx", [["1", "²", "3", "4", "5", "6", "7"],
                                             [1, "Hà Văn Một", 1970, None, "Thôn 1", "1.000.000", "Nghèo"]])
    preview = _preview(commune, path)
    assert [h.household.head_name for h in preview.valid] == ["Hà Văn Một"]
