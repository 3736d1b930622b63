"""A list is read column by column (each distinct cell once): what a row shows must still be its own
cells as written — equal values of different cell types, a field given in two columns, the same
household twice with and without mã hộ."""

from __future__ import annotations

import pytest

from gnbv_desktop.jobs.demo import ensure_demo_commune
from gnbv_desktop.jobs.import_excel import preview_import
from gnbv_desktop.jobs.progress import run_to_end
from tests.io.workbooks import simple_list

HEADER = ["STT", "Mã hộ", "Họ và tên chủ hộ", "Năm sinh", "Số CCCD", "Thôn", "Số nhân khẩu", "Địa chỉ", "Ghi chú",
          "Thu nhập", "Phân loại"]


@pytest.fixture
def commune(db):
    ensure_demo_commune(db)
    return db


def _row(n, name, *, code=None, year=1970, cccd=None, size=None, address=None, note=None):
    return [n, code, name, year, cccd, "Thôn 1", size, address, note, "1.000.000", "Cận nghèo"]


def _preview(db, path, **kw):
    return run_to_end(preview_import(db, path, year=2026, **kw))


def _problems(preview, row):
    return [(p.column.split(" ")[0], p.error, p.message, p.value) for p in preview.problems if p.row == row]


def test_equal_cells_of_different_types_are_each_read_as_written(commune, tmp_path):
    path = simple_list(tmp_path / "t.xlsx", [
        _row(1, "Hà Văn Một", size=5, cccd=64070000123),
        _row(2, "Hà Văn Hai", size=5.0, cccd=64070000124.0),
        _row(3, "Hà Văn Ba", size="5", cccd="064070000125"),
        _row(4, "Hà Văn Bốn", size=True, cccd="64070000126"),  # a TRUE cell is not 1 person
        _row(5, "Hà Văn Năm", size=1),
    ], header=HEADER)
    preview = _preview(commune, path)
    sizes = {ph.household.head_name: ph.household.declared_size for ph in preview.households}
    assert sizes == {"Hà Văn Một": 5, "Hà Văn Hai": 5, "Hà Văn Ba": 5, "Hà Văn Bốn": None, "Hà Văn Năm": 1}
    cccds = [ph.household.head_cccd for ph in preview.households]
    assert cccds == ["064070000123", "064070000124", "064070000125", "64070000126", ""]
    assert _problems(preview, 3) == [("E", False, "Số CCCD bị mất số 0 ở đầu (Excel lưu dạng số); đã khôi phục thành "
                                                  "064070000124.", "64070000124")]
    assert _problems(preview, 5) == [
        ("E", True, "Số CCCD '64070000126' phải có đúng 12 chữ số (đang có 11).", "64070000126"),  # text: not restored
        ("G", True, "Không đọc được số nhân khẩu 'True' (ghi một số từ 0 đến 50).", "True"),
    ]


def test_a_field_in_two_columns_is_read_from_each_rows_first_filled_one(commune, tmp_path):
    path = simple_list(tmp_path / "a.xlsx", [
        _row(1, "Hà Văn Một", address="Xóm Bãi", note="Tổ 3"),
        _row(2, "Hà Văn Hai", note="Tổ 4"),
        _row(3, "Hà Văn Ba"),
    ], header=HEADER)
    mapping = {c.index: c.field for c in _preview(commune, path).header.columns}
    assert (mapping[7], mapping[8]) == ("address", "note")
    mapping[8] = "address"
    preview = _preview(commune, path, mapping=mapping)
    assert [ph.household.address for ph in preview.households] == ["Xóm Bãi", "Tổ 4", ""]


def test_the_same_household_twice_is_found_with_and_without_ma_ho(commune, tmp_path):
    own_codes = simple_list(tmp_path / "own.xlsx", [
        _row(1, "Hà Văn Một", code="H01"), _row(2, "Hà Văn Một", code="H02"),  # namesakes, two households
    ], header=HEADER)
    assert _preview(commune, own_codes).invalid == []
    shared = simple_list(tmp_path / "shared.xlsx", [
        _row(1, "Hà Văn Một", code="H01"), _row(2, "Hà Văn Hai", code="H01"),
        _row(3, "Lê Thị Ba"), _row(4, "Lê  thị ba"),
    ], header=HEADER)
    preview = _preview(commune, shared)
    assert [ph.row for ph in preview.invalid] == [3, 5]
    assert _problems(preview, 3) == [("", True, "Trùng hộ ở dòng 2 (mã hộ giống nhau).", "")]
    assert _problems(preview, 5) == [("", True, "Trùng hộ ở dòng 4 (họ tên, thôn và năm sinh chủ hộ giống nhau).", "")]
