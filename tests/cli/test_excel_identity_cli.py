"""``gnbv import-excel`` never overwrites a different family whose mã hộ collides with a row's."""

from __future__ import annotations

import sqlite3

import pytest

from gnbv_desktop.store.database import open_database
from tests.cli.helpers import run_cli
from tests.io.workbooks import simple_list

HEADER = ["STT", "Mã hộ", "Họ tên chủ hộ", "Năm sinh", "Số CCCD", "Thôn", "Thu nhập", "Phân loại"]
RECORDED = [
    [1, "00001", "Lê Thu Minh", 1976, "040176025530", "Thôn 1", "1.000.000", "Nghèo"],
    [2, "00002", "Hà Văn Hai", 1980, None, "Thôn 1", "1.100.000", "Cận nghèo"],
]


def _households(db_path) -> list[tuple]:
    """Every stored household as SQL sees it (the oracle: not the app's own reading)."""
    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT code, head_name, head_cccd, head_birth_year, uuid, change_counter, deleted "
                            "FROM households ORDER BY code").fetchall()


@pytest.fixture
def recorded(db_path, tmp_path, capsys):
    open_database(db_path).close()
    path = simple_list(tmp_path / "dau.xlsx", RECORDED, HEADER)
    assert run_cli(capsys, db_path, "import-excel", str(path), "--year", "2026")[0] == 0
    return _households(db_path)


def _import(capsys, db_path, tmp_path, rows, *flags):
    path = simple_list(tmp_path / "sau.xlsx", rows, HEADER)
    return run_cli(capsys, db_path, "import-excel", str(path), "--year", "2026", *flags)


def test_other_family_under_the_same_code_is_refused_naming_row_code_and_both_names(db_path, tmp_path, capsys, recorded):
    other = [[1, "00001", "Võ Anh Thy", 1988, "038188068606", "Thôn 1", "900.000", "Nghèo"]]
    code, out, err = _import(capsys, db_path, tmp_path, other, "--dry-run")
    assert code == 1
    line = next(x for x in out.splitlines() if "Mã hộ 00001" in x)
    assert "Dòng 2" in line and "'Võ Anh Thy'" in line and "'Lê Thu Minh'" in line
    assert "Mã hộ 00001 trong tệp là 'Võ Anh Thy' (CCCD 038188068606), nhưng trong dữ liệu là hộ 'Lê Thu Minh'" in line
    assert _households(db_path) == recorded

    code, out, err = _import(capsys, db_path, tmp_path, other)
    assert code == 1 and "chưa nhập gì" in err
    assert _households(db_path) == recorded

    code, out, _ = _import(capsys, db_path, tmp_path, other, "--skip-invalid")
    assert code == 0 and "Hộ bỏ qua (dòng lỗi): 1" in out
    assert _households(db_path) == recorded


def test_without_cccds_a_different_head_name_is_another_family(db_path, tmp_path, capsys, recorded):
    code, out, _ = _import(capsys, db_path, tmp_path, [[2, "00002", "Trần Văn Bốn", 1980, None, "Thôn 1", "1.100.000",
                                                        "Cận nghèo"]])
    assert code == 1
    assert "Mã hộ 00002 trong tệp là 'Trần Văn Bốn', nhưng trong dữ liệu là hộ 'Hà Văn Hai'" in out
    assert _households(db_path) == recorded


def test_same_head_spelled_differently_still_updates(db_path, tmp_path, capsys, recorded):
    rows = [[1, "00001", "Lê Thị Thu Minh", 1976, "040176025530", "Thôn 1", "1.000.000", "Nghèo"],  # same CCCD
            [2, "00002", "HÀ VĂN HẢI", 1980, None, "Thôn 1", "1.100.000", "Cận nghèo"]]  # same name, folded
    code, out, err = _import(capsys, db_path, tmp_path, rows)
    assert code == 0, out + err
    after = _households(db_path)
    assert [(r[0], r[1], r[4]) for r in after] == [("00001", "Lê Thị Thu Minh", recorded[0][4]),
                                                   ("00002", "HÀ VĂN HẢI", recorded[1][4])]
    assert len(after) == 2
