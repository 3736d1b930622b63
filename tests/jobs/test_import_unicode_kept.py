"""Unicode text is never taken for a legacy font (TCVN3, VNI): such text, as Excel shows it, is made
only of Windows-1252 characters, so a text with a letter like ``ứ`` or a combining mark (NFD) is
Unicode already. A short list whose name has the look-alike ``Ð`` (U+00D0), or an address column
mixing NFC and NFD text, once read as TCVN3 and stored ``Hoàng Bỡnh éức``. Oracles are SQL reads."""

from __future__ import annotations

import unicodedata

from gnbv_desktop.jobs.demo import ensure_demo_commune
from gnbv_desktop.jobs.import_excel import preview_import, run_import
from gnbv_desktop.jobs.progress import run_to_end
from gnbv_desktop.store.database import open_database
from tests.io.workbooks import simple_list

HEADER = ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Địa chỉ", "Thu nhập", "Phân loại"]


def test_unicode_names_and_addresses_are_not_converted_as_a_legacy_font(tmp_path):
    db = open_database(tmp_path / "u.sqlite3")
    ensure_demo_commune(db)
    rows = [[1, "Hoàng Bình Ðức", 1970, "Thôn 1", "số 1 đường A", 900_000, "Nghèo"],
            [2, "Lê Thị Hà", 1971, "Thôn 1", unicodedata.normalize("NFD", "Xóm Đông"), 900_000, "Nghèo"]]
    path = simple_list(tmp_path / "u.xlsx", rows, HEADER)
    preview = run_to_end(preview_import(db, path, year=2026))
    assert not any("bảng mã cũ" in n for n in preview.notices)
    run_to_end(run_import(db, preview))
    assert db.execute("SELECT head_name, address FROM households ORDER BY id").fetchall() == [
        ("Hoàng Bình Đức", "số 1 đường A"), ("Lê Thị Hà", "Xóm Đông")]  # look-alike fixed, NFC


def test_a_legacy_column_with_one_unicode_cell_converts_only_the_legacy_cells(tmp_path):
    db = open_database(tmp_path / "l.sqlite3")
    ensure_demo_commune(db)
    names = ["NguyÔn V¨n An", "TrÇn ThÞ B×nh", "Lª V¨n T¸m", "Hoµng Xu©n Quý", "Hoàng Bình Ðức"]
    rows = [[i, name, 1970 + i, "Thôn 1", None, 900_000, "Nghèo"] for i, name in enumerate(names, start=1)]
    preview = run_to_end(preview_import(db, simple_list(tmp_path / "l.xlsx", rows, HEADER), year=2026))
    assert [n for n in preview.notices if "bảng mã cũ" in n]
    assert [h.household.head_name for h in preview.households] == [
        "Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Tám", "Hoàng Xuân Quý", "Hoàng Bình Đức"]
