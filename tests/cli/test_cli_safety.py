"""A CLI that is safe to copy: examples cannot spoil real data, typos create nothing, pipes close
quietly, and what the CLI prints agrees with its JSON."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gnbv_desktop.cli import main
from gnbv_desktop.cli.context import CliError
from gnbv_desktop.jobs import demo
from gnbv_desktop.jobs.sync import TABLE_LABELS
from gnbv_desktop.store.database import open_database
from gnbv_desktop.store.records import SYNCED_TABLES
from tests.cli.helpers import run_cli, run_json

ROOT = Path(__file__).resolve().parents[2]


def _sql(path: Path, query: str):
    db = open_database(path)
    try:
        return db.execute(query).fetchall()
    finally:
        db.close()


def test_demo_refuses_a_database_with_households_and_replace_empties_it(capsys, db_path):
    assert run_cli(capsys, db_path, "demo", "--households", "12", "--seed", "1", "--year", "2026")[0] == 0
    before = _sql(db_path, "SELECT id, head_cccd FROM households ORDER BY id")
    code, _, err = run_cli(capsys, db_path, "demo", "--households", "12", "--seed", "1", "--year", "2026")
    assert code == 1 and "đã có dữ liệu" in err and "--replace" in err and "12 hộ" in err
    assert _sql(db_path, "SELECT id, head_cccd FROM households ORDER BY id") == before  # not doubled
    code, _, err = run_cli(capsys, db_path, "demo", "--households", "7", "--seed", "2", "--year", "2026", "--replace")
    assert code == 0, err
    assert _sql(db_path, "SELECT COUNT(*) FROM households")[0][0] == 7
    cccds = [c for (c,) in _sql(db_path, "SELECT head_cccd FROM households WHERE head_cccd != ''")]
    assert len(cccds) == len(set(cccds))
    assert _sql(db_path, "SELECT COUNT(*) FROM assessments WHERE household_id NOT IN (SELECT id FROM households)") == [(0,)]


def test_demo_refuses_a_configured_commune_without_households(capsys, db_path):
    assert run_cli(capsys, db_path, "init", "--commune-name", "Xã Ia Grai", "--province", "Gia Lai",
                   "--village", "Thôn 1")[0] == 0
    code, _, err = run_cli(capsys, db_path, "demo", "--households", "5", "--year", "2026")
    assert code == 1 and "Xã Ia Grai" in err
    assert _sql(db_path, "SELECT COUNT(*) FROM households") == [(0,)]
    assert _sql(db_path, "SELECT name FROM villages") == [("Thôn 1",)]


def test_failed_replace_keeps_the_old_data(capsys, db_path, monkeypatch):
    assert run_cli(capsys, db_path, "demo", "--households", "9", "--year", "2026")[0] == 0

    def broken_demo(db, households, seed, year):
        db.execute("DELETE FROM settings")  # gets as far as writing, then fails
        raise CliError("hỏng giữa chừng")
        yield

    monkeypatch.setattr(demo, "create_demo", broken_demo)
    code, _, err = run_cli(capsys, db_path, "demo", "--households", "3", "--year", "2026", "--replace")
    assert code == 1 and "hỏng giữa chừng" in err
    assert _sql(db_path, "SELECT COUNT(*) FROM households") == [(9,)]
    assert _sql(db_path, "SELECT value FROM settings WHERE key = 'commune_name'") == [("Xã Ia Grai",)]


@pytest.mark.parametrize("command", [
    ["list", "--year", "2026"], ["stats", "--json"], ["standards"], ["annex", "a.pdf"], ["sync-status"],
    ["helper-add", "Hội Phụ nữ"], ["plan-set", "--number", "1/KH"], ["import-excel", "ds.xlsx"],
])
def test_a_mistyped_db_is_refused_and_creates_nothing(capsys, tmp_path, command):
    typo = tmp_path / "Du lieu" / "xa.sqlite3"
    code, out, err = run_cli(capsys, typo, *command)
    assert code == 1 and "Không tìm thấy tệp dữ liệu" in err and str(typo) in err
    assert not typo.parent.exists() and not (tmp_path / "a.pdf").exists()


def test_a_new_database_needs_an_existing_folder(capsys, tmp_path):
    code, _, err = run_cli(capsys, tmp_path / "khong-co" / "xa.sqlite3", "init", "--commune-name", "Xã A",
                           "--province", "Gia Lai", "--village", "Thôn 1")
    assert code == 1 and "khong-co" in err and not (tmp_path / "khong-co").exists()


def test_without_db_a_command_needing_data_says_so_and_creates_nothing(capsys, tmp_path):
    code = main(["list", "--year", "2026"])
    assert code == 1 and "Không tìm thấy tệp dữ liệu" in capsys.readouterr().err
    assert not (tmp_path / "userdata").exists()


@pytest.mark.skipif(os.name == "nt", reason="`| head` is a POSIX shell idiom; Windows reports a closed pipe as EINVAL")
def test_output_to_a_closed_pipe_ends_quietly(tmp_path, capsys):
    db_path = tmp_path / "xa.sqlite3"
    assert run_cli(capsys, db_path, "demo", "--households", "30", "--year", "2026")[0] == 0
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader (``head``) has gone before anything is written
    try:
        done = subprocess.run([sys.executable, "-m", "gnbv_desktop", "--db", str(db_path), "list", "--year", "2026"],
                              stdout=write_end, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    finally:
        os.close(write_end)
    assert done.stderr == "" and done.returncode == 1


def test_sync_status_names_every_table_in_vietnamese(capsys, tmp_path):
    assert set(SYNCED_TABLES) <= set(TABLE_LABELS)
    commune, upper = tmp_path / "xa.sqlite3", tmp_path / "tonghop.sqlite3"
    assert run_cli(capsys, commune, "demo", "--households", "10", "--year", "2026")[0] == 0
    assert run_cli(capsys, commune, "sync-export", str(tmp_path / "g.gnbv"), "--full", "--no-encrypt")[0] == 0
    assert run_cli(capsys, upper, "sync-import", str(tmp_path / "g.gnbv"))[0] == 0
    code, out, _ = run_cli(capsys, upper, "sync-status")
    assert code == 0 and "phân công giúp đỡ" in out and "kế hoạch hỗ trợ hộ" in out
    assert not any(table in out for table in SYNCED_TABLES if "_" in table)


@pytest.mark.parametrize("target", [1, 10_000])
def test_plan_text_and_json_agree_about_the_escape_target(capsys, db_path, target):
    assert run_cli(capsys, db_path, "demo", "--households", "40", "--year", "2026")[0] == 0
    assert run_cli(capsys, db_path, "plan-set", "--year", "2026", "--target-escape", str(target))[0] == 0
    projection = run_json(capsys, db_path, "plan", "--year", "2026", "--json")["projection"]
    code, text, _ = run_cli(capsys, db_path, "plan", "--year", "2026")
    meets = projection["meets_escape_target"]
    assert code == 0 and meets is (target == 1)
    sentence = next(line for line in text.splitlines() if "so với chỉ tiêu" in line and "hộ:" in line)
    assert sentence.rstrip(".").endswith(": đạt" if meets else ": chưa đạt")
    assert projection["summary"] in text


def test_a_busy_database_is_a_message_not_a_traceback(capsys, db_path, monkeypatch):
    assert run_cli(capsys, db_path, "demo", "--households", "3", "--year", "2026")[0] == 0
    import sqlite3

    from gnbv_desktop.store import plans

    def locked(*_args, **_kwargs):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(plans, "save_helper", locked)
    code, _, err = run_cli(capsys, db_path, "helper-add", "Hội Phụ nữ xã")
    assert code == 1 and "chương trình GNBV khác" in err and "không bị thay đổi" in err and "Traceback" not in err
