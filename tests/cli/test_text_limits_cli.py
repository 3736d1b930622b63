"""Limits agree end to end: what ``gnbv`` accepts at the maximum travels to the upper level in a
sync package and is accepted there; one character more is refused at entry, naming the field."""

from __future__ import annotations

import sqlite3

from gnbv_desktop.core.household import Household, Member
from gnbv_desktop.core.limits import MAX_NAME_CHARS
from gnbv_desktop.store.database import open_database
from gnbv_desktop.store.households import save_household
from gnbv_desktop.store.settings import load_settings, save_settings
from gnbv_desktop.store.villages import add_village
from tests.cli.helpers import run_cli
from tests.io.workbooks import simple_list

LONGEST = "Nguyễn Thị " + "Ê" * (MAX_NAME_CHARS - len("Nguyễn Thị "))


def _sql(path, query: str, args=()) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute(query, args).fetchall()


def test_names_of_exactly_the_maximum_round_trip_through_a_sync_package(tmp_path, capsys):
    commune, upper = tmp_path / "xa.sqlite3", tmp_path / "tinh.sqlite3"
    assert run_cli(capsys, commune, "demo", "--households", "3", "--seed", "4", "--year", "2026")[0] == 0
    code, out, err = run_cli(capsys, commune, "helper-add", LONGEST)
    assert code == 0, err
    db = open_database(commune)
    settings = load_settings(db)
    settings.commune_name = "Xã " + "A" * (MAX_NAME_CHARS - 3)
    save_settings(db, settings)
    village = add_village(db, "T" * MAX_NAME_CHARS)
    save_household(db, Household(head_name=LONGEST, village_id=village.id, members=[Member(LONGEST, "Con", 2001)]))
    db.close()
    (tmp_path / "pw").write_text("mật khẩu chung", encoding="utf-8")
    pw = ("--password-file", str(tmp_path / "pw"))
    code, out, err = run_cli(capsys, commune, "sync-export", str(tmp_path / "g.gnbv"), "--full", "--year", "2026", *pw)
    assert code == 0, err
    code, out, err = run_cli(capsys, upper, "sync-import", str(tmp_path / "g.gnbv"), *pw)
    assert code == 0, out + err
    received = "SELECT COUNT(*) FROM sync_records WHERE table_name = ? AND json_extract(data, ?) = ?"
    assert _sql(upper, received, ["households", "$.head_name", LONGEST]) == [(1,)]
    assert _sql(upper, received, ["members", "$.full_name", LONGEST]) == [(1,)]
    assert _sql(upper, received, ["helpers", "$.name", LONGEST]) == [(1,)]
    assert _sql(upper, received, ["villages", "$.name", "T" * MAX_NAME_CHARS]) == [(1,)]
    assert _sql(upper, "SELECT commune_name FROM sync_communes") == [("Xã " + "A" * (MAX_NAME_CHARS - 3),)]


def test_helper_add_refuses_a_name_one_over_the_maximum_or_with_an_escape(db_path, capsys):
    open_database(db_path).close()
    code, _, err = run_cli(capsys, db_path, "helper-add", LONGEST + "A")
    assert code == 1 and "Tên người/tổ chức giúp đỡ dài 201 ký tự, tối đa 200 ký tự." in err
    for bad in ("Hội " * 5000, "Hội\x1b[31m đỏ", "Hội \u202eđỏ"):
        code, out, err = run_cli(capsys, db_path, "helper-add", bad)
        assert code == 1 and "\x1b" not in out + err and "\u202e" not in out + err
        assert "Tên người/tổ chức giúp đỡ" in err
    assert _sql(db_path, "SELECT COUNT(*) FROM helpers") == [(0,)]


def test_init_refuses_a_commune_or_village_name_too_long_for_the_upper_level(db_path, capsys):
    code, _, err = run_cli(capsys, db_path, "init", "--province", "Gia Lai", "--commune-name", "X" * 250,
                           "--village", "Thôn 1")
    assert code == 1 and "Tên xã dài 250 ký tự, tối đa 200 ký tự." in err
    code, _, err = run_cli(capsys, db_path, "init", "--province", "Gia Lai", "--commune-name", "Xã A",
                           "--village", "V" * 600)
    assert code == 1 and "Tên thôn dài 600 ký tự, tối đa 200 ký tự." in err
    if db_path.exists():
        assert _sql(db_path, "SELECT COUNT(*) FROM villages") == [(0,)]
        assert _sql(db_path, "SELECT COUNT(*) FROM settings WHERE key = 'commune_name'") == [(0,)]


def test_excel_import_bounds_names_by_the_same_limit(db_path, tmp_path, capsys):
    open_database(db_path).close()
    rows = [[1, LONGEST, 1970, None, "Thôn 1", "1.000.000", "Nghèo"],
            [2, LONGEST + "A", 1971, None, "Thôn 1", "1.000.000", "Nghèo"],
            [3, "Lê \u202eMinh", 1972, None, "Thôn 1", "1.000.000", "Nghèo"]]
    path = simple_list(tmp_path / "ds.xlsx", rows)
    code, out, _ = run_cli(capsys, db_path, "import-excel", str(path), "--year", "2026", "--dry-run")
    assert code == 1
    assert "Dòng 3, cột B (Họ tên chủ hộ): Ô dài 201 ký tự, quá giới hạn 200 ký tự của cột này" in out
    assert "Dòng 4, cột B (Họ tên chủ hộ): Ô chứa ký tự điều khiển không được phép" in out
    code, out, _ = run_cli(capsys, db_path, "import-excel", str(path), "--year", "2026", "--skip-invalid")
    assert code == 0
    assert _sql(db_path, "SELECT head_name FROM households") == [(LONGEST,)]
