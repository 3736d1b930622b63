"""``gnbv backup / backups / restore / check``, refusal of damaged files, and crash leftovers."""

from __future__ import annotations

import json
import sqlite3

import pytest

from gnbv_desktop.io.partial_files import track_partial
from gnbv_desktop.store.integrity import full_check
from tests.cli.helpers import run_cli, run_json
from tests.store.test_backup import damage


@pytest.fixture
def commune(capsys, tmp_path):
    path = tmp_path / "xa.sqlite3"
    code, _, err = run_cli(capsys, path, "demo", "--households", "30", "--year", "2026")
    assert code == 0, err
    return path


def _households(path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT COUNT(*) FROM households WHERE deleted = 0").fetchone()[0]
    finally:
        conn.close()


def test_backup_list_restore(capsys, commune, tmp_path):
    code, out, err = run_cli(capsys, commune, "backup")
    assert code == 0, err
    assert "Đã sao lưu vào" in out
    code, out, err = run_cli(capsys, commune, "backup", str(tmp_path / "usb"))
    assert code == 0, err
    usb_copy = next((tmp_path / "usb").glob("xa-*-thu-cong.sqlite3"))
    listed = run_json(capsys, commune, "backups", "--json")
    assert [(b["reason"], b["households"]) for b in listed] == [("thu-cong", 30)]
    code, out, _ = run_cli(capsys, commune, "backups")
    assert "Sao lưu thủ công" in out and "30 hộ" in out
    code, _, err = run_cli(capsys, commune, "demo", "--households", "5", "--year", "2026", "--replace")
    assert _households(commune) == 5
    code, out, err = run_cli(capsys, commune, "restore", str(usb_copy))
    assert code == 0, err
    assert "Đã khôi phục" in out and "trước khi khôi phục" in out
    assert _households(commune) == 30
    reasons = [b["reason"] for b in run_json(capsys, commune, "backups", "--json")]
    assert reasons == ["truoc-khoi-phuc", "truoc-thay-bang-xa-mau", "thu-cong"]


def test_damaged_file_refused_by_every_command_and_left_identical(capsys, commune, tmp_path):
    code, _, _ = run_cli(capsys, commune, "backup")
    good = json.loads(run_cli(capsys, commune, "backups", "--json")[1])[0]["file"]
    damage(commune)
    before = commune.read_bytes()
    for args in (["list"], ["stats"], ["demo", "--households", "3"], ["carry-forward", "--from", "2026", "--to", "2027"],
                 ["backup"]):
        code, out, err = run_cli(capsys, commune, *args)
        assert code == 1, args
        assert "bị hỏng" in err and "Traceback" not in err, args
    code, out, err = run_cli(capsys, commune, "check")
    assert code == 1 and "lỗi" in out
    report = json.loads(run_cli(capsys, commune, "check", "--json")[1])
    assert report["ok"] is False and report["findings"]
    assert commune.read_bytes() == before
    code, out, err = run_cli(capsys, commune, "restore", good)
    assert code == 0, err
    assert run_cli(capsys, commune, "check")[0] == 0
    assert _households(commune) == 30


def test_restore_of_junk_refused(capsys, commune, tmp_path):
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"x" * 5000)
    code, _, err = run_cli(capsys, commune, "restore", str(junk))
    assert code == 1 and "không phải" in err
    code, _, err = run_cli(capsys, commune, "restore", str(tmp_path / "none.sqlite3"))
    assert code == 1 and "Không tìm thấy" in err
    assert _households(commune) == 30


def test_negative_schema_version_is_a_message(capsys, commune):
    conn = sqlite3.connect(commune)
    conn.execute("PRAGMA user_version = -1")
    conn.close()
    code, _, err = run_cli(capsys, commune, "list")
    assert code == 1 and "lược đồ" in err and "Traceback" not in err


def test_ref_export_that_cannot_write_its_file_saves_no_targets(capsys, tmp_path):
    agg = tmp_path / "tinh.sqlite3"
    assert run_cli(capsys, agg, "sync-import", str(tmp_path / "none.gnbv"))[0] == 1
    from gnbv_desktop.store import aggregate
    from gnbv_desktop.store.database import open_database

    db = open_database(agg)
    aggregate.make_aggregate(db, "Sở Nông nghiệp và Môi trường tỉnh Gia Lai")
    db.close()
    targets = tmp_path / "targets.json"
    targets.write_text(json.dumps({"23764": {"target_escape_households": 6}}), encoding="utf-8")
    (tmp_path / "r.gnbvref.tmp").mkdir()  # the package's temporary file cannot be written
    code, _, err = run_cli(capsys, agg, "ref-export", str(tmp_path / "r.gnbvref"), "--year", "2026",
                           "--targets", str(targets))
    assert code == 1 and "Không ghi được" in err
    conn = sqlite3.connect(agg)
    assert conn.execute("SELECT COUNT(*) FROM upper_targets").fetchone()[0] == 0
    conn.close()


def test_leftover_partial_files_removed_at_next_start(capsys, commune, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    dead = out / ".ds.xlsx.tmp"
    dead.write_bytes(b"half")
    track_partial(dead)
    # pretend the writer was a process that has ended
    markers = list((tmp_path / "userdata" / "dang-ghi").glob("*.txt"))
    assert len(markers) == 1
    markers[0].rename(markers[0].with_name("999999999-" + markers[0].name.split("-", 1)[1]))
    live = out / ".other.xlsx.tmp"
    live.write_bytes(b"being written")
    track_partial(live)  # this process: still running
    assert run_cli(capsys, commune, "stats")[0] == 0
    assert not dead.exists()
    assert live.exists()


def test_full_disk_during_an_import_leaves_the_database_intact(capsys, commune, tmp_path):
    from tests.jobs.test_kill_loop import _excel, canonical

    xlsx = _excel(tmp_path / "list.xlsx", 800)
    before = canonical(commune)
    from gnbv_desktop.jobs.import_excel import preview_import, run_import
    from gnbv_desktop.jobs.progress import run_to_end
    from gnbv_desktop.store.database import open_database

    db = open_database(commune)
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages + 20}")  # room for a few rows, not for 800 households
    preview = run_to_end(preview_import(db, xlsx, year=2026))
    with pytest.raises(sqlite3.OperationalError, match="full"):
        run_to_end(run_import(db, preview))
    db.close()
    assert full_check(commune) == []
    assert canonical(commune) == before
