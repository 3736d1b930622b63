"""Resident households read from a workbook (``gnbv residents --from``): the figures stored equal
the cells written, and a file with any problem changes nothing and says what and where."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from gnbv_desktop.store.villages import add_village, list_villages
from tests.cli.helpers import run_cli

VILLAGES = [("Thôn 1", "rural"), ("Thôn Hà", "rural"), ("Làng Bồ", "rural"), ("Tổ dân phố 2", "urban")]


@pytest.fixture
def commune(db, db_path):
    for name, area in VILLAGES:
        add_village(db, name, area)
    return db_path


def _workbook(path, rows, header=("STT", "Tên thôn, tổ dân phố", "Số hộ nghèo", "Số hộ dân cư", "Số nhân khẩu"),
              title="Biểu số hộ dân cư năm 2026", sheets=("Ghi chú",)):
    wb = Workbook()
    wb.active.title = sheets[0]
    wb.active.append(["Trang này không có số liệu"])
    ws = wb.create_sheet("Dân cư")
    ws.append([title])
    ws.append([])
    ws.append(list(header))
    ws.append([f"({i})" for i in range(1, len(header) + 1)])
    for i, row in enumerate(rows, 1):
        ws.append([i, *row])
    ws.append([None, "Tổng cộng", *(["=SUM(C5:C9)"] + [None] * (len(header) - 3))])
    wb.save(path)
    return path


def _dump(db) -> list[str]:
    """The database as SQL, without the session row a command writes on opening the file."""
    return [line for line in db.conn.iterdump() if "audit_session" not in line]


def _stored(db):
    return db.execute("""SELECT v.name, r.households, r.people FROM resident_households r JOIN villages v
                         ON v.id = r.village_id WHERE r.year = 2026 AND r.deleted = 0 ORDER BY v.id""").fetchall()


def test_figures_are_read_per_village(commune, db, tmp_path, capsys):
    rows = [("Thôn 1", 3, 412, 1650), ("làng bồ", 1, 230.0, None), ("Thôn Hà", 0, "1.205", "4.810"),
            ("Tổ dân phố 2", 0, 95, 301)]
    path = _workbook(tmp_path / "dan-cu.xlsx", rows)
    code, out, err = run_cli(capsys, commune, "residents", "--from", str(path), "--year", "2026")
    assert code == 0, err
    assert "4 thôn" in out and "'Dân cư'" in out and "1.942 hộ" in out
    assert _stored(db) == [("Thôn 1", 412, 1650), ("Thôn Hà", 1205, 4810), ("Làng Bồ", 230, None),
                           ("Tổ dân phố 2", 95, 301)]
    code, out, _ = run_cli(capsys, commune, "stats", "--year", "2026", "--json")
    assert '"resident_households": 1942' in out


def test_a_file_naming_some_villages_keeps_the_others(commune, db, tmp_path, capsys):
    code, _out, err = run_cli(capsys, commune, "residents", "--year", "2026", "--village", "Làng Bồ", "--households", "77")
    assert code == 0, err
    path = _workbook(tmp_path / "mot-thon.xlsx", [("Thôn 1", 50, None)],
                     header=("STT", "Thôn", "Tổng số hộ", "Tổng số nhân khẩu"))
    code, out, err = run_cli(capsys, commune, "residents", "--from", str(path), "--year", "2026")
    assert code == 0, err
    assert "Tệp chưa có các thôn: Thôn Hà, Làng Bồ, Tổ dân phố 2" in out
    assert _stored(db) == [("Thôn 1", 50, None), ("Làng Bồ", 77, None)]


BAD_ROWS = [
    ([("Thôn 9", 0, 10, 40)], ["dòng 6", "xã không có thôn 'Thôn 9'", "Thôn 1, Thôn Hà"]),
    ([("Thôn 1", 0, 10, 40), ("THÔN 1", 0, 12, 40)], ["dòng 7", "'Thôn 1' đã có ở dòng 6"]),
    ([("Thôn 1", 0, "nhiều", 40)], ["dòng 6 (Thôn 1)", "Không đọc được số hộ dân cư 'nhiều'"]),
    ([("Thôn 1", 0, 10.5, 40)], ["dòng 6 (Thôn 1)", "phải là số nguyên", "10.5"]),
    ([("Thôn 1", 0, -3, 40)], ["dòng 6 (Thôn 1)", "Số hộ dân cư -3 không hợp lệ"]),
    ([("Thôn 1", 0, None, 40)], ["dòng 6 (Thôn 1)", "chưa ghi số hộ dân cư (cột D;"]),
    # a formula never calculated (the file was made by a program, not saved by Excel) has no value to read
    ([("Thôn 1", 0, "=2*200", 40)], ["dòng 6 (Thôn 1)", "chưa ghi số hộ dân cư (cột D;", "mở tệp bằng Excel, lưu lại"]),
    ([(None, 0, 10, 40)], ["dòng 6", "chưa ghi tên thôn (cột B)"]),
    ([("Thôn 1", 0, 100, 40)], ["dòng 6 (Thôn 1)", "Số nhân khẩu (40) không thể ít hơn số hộ (100)"]),
    ([(f"Thôn {i}", 0, 1, 1) for i in range(20, 35)], ["Thôn 20", "… và 5 lỗi khác"]),
    ([("Thôn 1", 0, 0, 400)], ["dòng 6 (Thôn 1)", "Có 400 nhân khẩu nhưng số hộ dân cư là 0"]),
    ([("Thôn " + "x" * 100_000, 0, "nhiều", 40)], ["dòng 6 (Thôn " + "x" * 55 + "…)"]),
    ([("Thôn " + "y" * 100_000, 0, 10, 40)], ["xã không có thôn 'Thôn " + "y" * 55 + "…'"]),
]


@pytest.mark.parametrize(("rows", "says"), BAD_ROWS)
def test_a_bad_row_changes_nothing(commune, db, tmp_path, capsys, rows, says):
    code, _out, err = run_cli(capsys, commune, "residents", "--year", "2026", "--village", "Thôn 1", "--households", "7")
    assert code == 0, err
    before = _dump(db)
    path = _workbook(tmp_path / "sai.xlsx", [("Thôn Hà", 0, 300, 1200), *rows])
    code, out, err = run_cli(capsys, commune, "residents", "--from", str(path), "--year", "2026")
    assert code == 1 and out == ""
    assert "không có gì thay đổi" in err and "Traceback" not in err
    for text in says:
        assert text in err
    assert len(err) < 3000  # an over-long cell is quoted shortened, never whole
    assert _dump(db) == before


def test_hostile_files_are_refused(commune, db, tmp_path, capsys):
    before = _dump(db)
    no_header = _workbook(tmp_path / "khong-tieu-de.xlsx", [("Thôn 1", 0, 5, 9)], header=("STT", "Họ và tên", "Số tiền"))
    (tmp_path / "rong.xlsx").write_bytes(b"")
    (tmp_path / "van-ban.xlsx").write_text("Thôn 1;100;400", encoding="utf-8")
    (tmp_path / "mat-khau.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    (tmp_path / "ghi-chu.txt").write_text("Thôn 1 100", encoding="utf-8")
    cases = [
        (no_header, [], "không có dòng tiêu đề gồm cột thôn"),
        (no_header, ["--sheet", "Không có"], "không có trang tính 'Không có'"),
        (tmp_path / "rong.xlsx", [], "rỗng"),
        (tmp_path / "van-ban.xlsx", [], "không phải tệp Excel .xlsx hợp lệ"),
        (tmp_path / "mat-khau.xlsx", [], "đặt mật khẩu"),
        (tmp_path / "ghi-chu.txt", [], "không phải bảng tính Excel"),
        (tmp_path / "khong-co.xlsx", [], "Không tìm thấy tệp"),
    ]
    for path, extra, says in cases:
        code, out, err = run_cli(capsys, commune, "residents", "--from", str(path), "--year", "2026", *extra)
        assert code == 1 and says in err and "Traceback" not in err, (path.name, err)
    code, _out, err = run_cli(capsys, commune, "residents", "--from", str(no_header), "--village", "Thôn 1")
    assert code == 1 and "--from" in err
    assert _dump(db) == before
    assert [v.name for v in list_villages(db)] == [n for n, _a in VILLAGES]
