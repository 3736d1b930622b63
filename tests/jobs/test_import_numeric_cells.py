"""Text fields of a list typed as numbers: Excel keeps a number as a float (the reader gives 10001.0),
but the mã hộ, house number or note the official typed is ``10001``, ``12``, ``5`` — never with the
float's ``.0``, and a blank mã hộ is numbered after the file's numeric ones. Oracles are SQL reads."""

from __future__ import annotations

from gnbv_desktop.jobs.demo import ensure_demo_commune
from gnbv_desktop.jobs.import_excel import preview_import, run_import
from gnbv_desktop.jobs.progress import run_to_end
from gnbv_desktop.store.database import open_database
from tests.io.workbooks import simple_list

HEADER = ["STT", "Mã hộ", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Địa chỉ", "Thu nhập", "Phân loại", "Ghi chú"]
ROWS = [[1, 10001, "Nguyễn Văn An", 1970, "Thôn 1", 12, 900_000, "Nghèo", 5],
        [2, 10002, "Trần Thị Bình", 1980, "Thôn 1", 7, 900_000, "Cận nghèo", None],
        [3, None, "Lê Văn Cường", 1975, "Thôn 1", "Xóm 1", 900_000, "Nghèo", "7.0"]]


def _import(db, path):
    return run_to_end(run_import(db, run_to_end(preview_import(db, path, year=2026))))


def test_numbers_typed_in_text_columns_are_stored_as_typed_and_a_reimport_changes_nothing(tmp_path):
    db = open_database(tmp_path / "n.sqlite3")
    ensure_demo_commune(db)
    path = simple_list(tmp_path / "so.xlsx", ROWS, HEADER)
    assert _import(db, path).imported == 3
    stored = db.execute("SELECT code, head_name, address, note FROM households ORDER BY id").fetchall()
    # a text cell keeps what was typed ("7.0"); numeric cells lose the float's ".0"
    assert stored == [("10001", "Nguyễn Văn An", "12", "5"), ("10002", "Trần Thị Bình", "7", ""),
                      ("10003", "Lê Văn Cường", "Xóm 1", "7.0")]
    again = _import(db, path)
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 3)
    assert db.execute("SELECT code, head_name, address, note FROM households ORDER BY id").fetchall() == stored
