"""Commands that replace a whole list (demo --replace, restore) cannot be turned against the data:
found by an attack on the merged app (an upper level emptied by demo, a data-entry account
wiping the commune, a damaged or foreign backup restored)."""

from __future__ import annotations

import sqlite3

from gnbv_desktop.store.aggregate import make_aggregate
from gnbv_desktop.store.database import open_database
from tests.cli.helpers import run_cli


def _households(path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT COUNT(*) FROM households").fetchone()[0]
    finally:
        conn.close()


def _dump(path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return sorted(line for line in conn.iterdump() if not line.startswith('INSERT INTO "audit_session"'))
    finally:
        conn.close()


def _backups(path) -> list[str]:
    folder = path.parent / "sao-luu"
    return sorted(p.name for p in folder.glob("*.sqlite3")) if folder.is_dir() else []


def test_demo_never_writes_into_an_upper_level_database(capsys, tmp_path):
    upper = tmp_path / "tonghop.sqlite3"
    db = open_database(upper)
    make_aggregate(db, "Sở Nông nghiệp và Môi trường")
    db.close()
    before = _dump(upper)
    for extra in ([], ["--replace"]):
        code, _, err = run_cli(capsys, upper, "demo", "--households", "5", "--year", "2026", *extra)
        assert code == 1 and "tổng hợp của cấp trên" in err
    assert _dump(upper) == before


def test_demo_replace_backs_up_the_list_it_empties(capsys, tmp_path):
    commune = tmp_path / "xa.sqlite3"
    assert run_cli(capsys, commune, "demo", "--households", "12", "--year", "2026")[0] == 0
    code, out, err = run_cli(capsys, commune, "demo", "--households", "4", "--year", "2026", "--replace")
    assert code == 0, err
    saved = [n for n in _backups(commune) if "truoc-thay-bang-xa-mau" in n]
    assert len(saved) == 1 and saved[0] in out
    assert _households(commune) == 4 and _households(commune.parent / "sao-luu" / saved[0]) == 12


def test_only_an_admin_replaces_the_list(capsys, tmp_path):
    commune = tmp_path / "xa.sqlite3"
    assert run_cli(capsys, commune, "demo", "--households", "6", "--year", "2026")[0] == 0
    admin_pw, editor_pw = tmp_path / "a.txt", tmp_path / "n.txt"
    admin_pw.write_text("quan-tri-123\n", encoding="utf-8")
    editor_pw.write_text("nhap-lieu-123\n", encoding="utf-8")
    assert run_cli(capsys, commune, "account-add", "admin", "--role", "quan-tri", "--new-password-file", str(admin_pw))[0] == 0
    assert run_cli(capsys, commune, "--user", "admin", "--user-password-file", str(admin_pw), "account-add", "an",
                   "--role", "nhap-lieu", "--new-password-file", str(editor_pw))[0] == 0
    code, _, err = run_cli(capsys, commune, "--user", "an", "--user-password-file", str(editor_pw),
                           "demo", "--households", "2", "--replace")
    assert code == 1 and "quản trị" in err and _households(commune) == 6
    code, _, err = run_cli(capsys, commune, "--user", "admin", "--user-password-file", str(admin_pw),
                           "demo", "--households", "2", "--replace")
    assert code == 0, err
    assert _households(commune) == 2
    conn = sqlite3.connect(commune)
    assert conn.execute("SELECT COUNT(*) FROM accounts").fetchone()[0] == 2  # who may use the file survives
    conn.close()


def test_a_backup_of_the_other_kind_is_not_restored_over_the_data(capsys, tmp_path):
    commune, upper = tmp_path / "xa.sqlite3", tmp_path / "tonghop.sqlite3"
    assert run_cli(capsys, commune, "demo", "--households", "5", "--year", "2026")[0] == 0
    db = open_database(upper)
    make_aggregate(db, "Sở Nông nghiệp và Môi trường")
    db.close()
    before = _dump(commune)
    code, _, err = run_cli(capsys, commune, "restore", str(upper))
    assert code == 1 and "tổng hợp của cấp trên" in err and "dữ liệu của một xã" in err
    assert _dump(commune) == before


def test_a_backup_with_a_damaged_index_is_refused(capsys, tmp_path):
    source = tmp_path / "mau.sqlite3"
    assert run_cli(capsys, source, "demo", "--households", "60", "--year", "2026")[0] == 0
    conn = sqlite3.connect(source)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    damaged = tmp_path / "hong.sqlite3"
    data = bytearray(source.read_bytes())
    data[-64:] = b"\xde\xad\xbe\xef" * 16  # the last page: an index, which the quick check does not read
    damaged.write_bytes(bytes(data))
    target = tmp_path / "xa.sqlite3"
    assert run_cli(capsys, target, "demo", "--households", "3", "--year", "2026")[0] == 0
    before = _dump(target)
    code, _, err = run_cli(capsys, target, "restore", str(damaged))
    assert code == 1 and "bị hỏng" in err
    assert _dump(target) == before
