"""Accounts in the CLI: first admin, login with --user, roles enforced, lockout, audit names the user."""

from __future__ import annotations

import datetime
import sqlite3

import pytest

from gnbv_desktop.store.accounts import MAX_FAILURES
from gnbv_desktop.store.database import open_database
from tests.cli.helpers import run_cli


@pytest.fixture
def secured(capsys, tmp_path):
    db = tmp_path / "xa.sqlite3"
    assert run_cli(capsys, db, "demo", "--households", "10", "--year", "2026")[0] == 0
    pw = {}
    for name, text in (("admin", "quan-tri-123"), ("an", "nhap-lieu-123"), ("xem", "chi-xem-123"), ("sai", "khong-dung-1")):
        pw[name] = tmp_path / f"{name}.txt"
        pw[name].write_text(text + "\n", encoding="utf-8")
    code, out, err = run_cli(capsys, db, "account-add", "admin", "--role", "quan-tri", "--new-password-file", str(pw["admin"]))
    assert code == 0, err
    for name, role in (("an", "nhap-lieu"), ("xem", "chi-xem")):
        code, _, err = run_cli(capsys, db, "--user", "admin", "--user-password-file", str(pw["admin"]),
                               "account-add", name, "--role", role, "--new-password-file", str(pw[name]))
        assert code == 0, err
    return db, pw


def _as(capsys, secured, user, *args, password=None):
    db, pw = secured
    main_args = ["--user", user, "--user-password-file", str(pw[password or user])]
    from gnbv_desktop.cli import main

    code = main(["--db", str(db), *main_args, *args])
    out, err = capsys.readouterr()
    return code, out, err


def _households(db) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT COUNT(*) FROM households").fetchone()[0]
    finally:
        conn.close()


def test_first_account_must_be_admin(capsys, tmp_path):
    db = tmp_path / "x.sqlite3"
    open_database(db).close()  # a commune file before any account
    pw = tmp_path / "p.txt"
    pw.write_text("mat-khau-dai\n", encoding="utf-8")
    code, _, err = run_cli(capsys, db, "account-add", "an", "--role", "nhap-lieu", "--new-password-file", str(pw))
    assert code == 1 and "quản trị" in err
    short = tmp_path / "s.txt"
    short.write_text("ngan\n", encoding="utf-8")
    code, _, err = run_cli(capsys, db, "account-add", "admin", "--role", "quan-tri", "--new-password-file", str(short))
    assert code == 1 and "ít nhất 8" in err


def test_login_required_and_roles_enforced(capsys, secured):
    db, _ = secured
    code, _, err = run_cli(capsys, db, "list")
    assert code == 1 and "--user" in err
    assert _as(capsys, secured, "xem", "list")[0] == 0
    before = _households(db)
    code, _, err = _as(capsys, secured, "xem", "helper-add", "Hội Nông dân xã")
    assert code == 1 and "chỉ xem" in err and "Traceback" not in err
    assert _households(db) == before
    assert _as(capsys, secured, "an", "helper-add", "Hội Phụ nữ xã")[0] == 0  # nhập liệu writes
    code, _, err = _as(capsys, secured, "an", "demo", "--households", "3", "--replace")
    assert code == 1 and "quản trị" in err and _households(db) == before  # emptying the list is an admin's
    code, _, err = _as(capsys, secured, "an", "account-role", "xem", "quan-tri")
    assert code == 1 and "quản trị" in err
    code, _, err = _as(capsys, secured, "an", "restore", str(db))
    assert code == 1 and "quản trị" in err
    code, out, err = _as(capsys, secured, "admin", "account-role", "xem", "nhap-lieu")
    assert code == 0, err
    assert _as(capsys, secured, "xem", "helper-add", "Đoàn Thanh niên xã")[0] == 0


def test_the_audit_names_the_user(capsys, secured):
    db, _ = secured
    assert _as(capsys, secured, "an", "carry-forward", "--from", "2026", "--to", "2027")[0] == 0
    conn = sqlite3.connect(db)
    user, source = conn.execute("SELECT user, source FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    conn.close()
    assert (user, source) == ("an", "dòng lệnh")


def test_lockout_after_repeated_failures_and_admin_reset(capsys, secured):
    for _ in range(MAX_FAILURES - 1):
        code, _, err = _as(capsys, secured, "an", "list", password="sai")
        assert code == 1 and "Sai tên đăng nhập hoặc mật khẩu" in err
    code, _, err = _as(capsys, secured, "an", "list", password="sai")
    assert code == 1 and "bị khóa" in err
    code, _, err = _as(capsys, secured, "an", "list")  # the right password no longer helps
    assert code == 1 and "bị khóa" in err
    db, pw = secured
    conn = sqlite3.connect(db)
    [stored] = conn.execute("SELECT locked_until FROM accounts WHERE username = 'an'").fetchone()
    conn.close()
    code, out, err = _as(capsys, secured, "admin", "accounts")
    assert code == 0, err
    # local time as the official reads it, never the stored ISO text
    until = datetime.datetime.fromisoformat(stored)
    [line] = [ln for ln in out.splitlines() if ln.startswith("an\t")]
    assert line.endswith(f"khóa đến {until:%d/%m/%Y %H:%M}") and stored not in out and "T" not in line.split("\t")[-1]
    code, _, err = _as(capsys, secured, "admin", "account-password", "an", "--new-password-file", str(pw["an"]))
    assert code == 0, err
    assert _as(capsys, secured, "an", "list")[0] == 0


def test_passwords_are_salted_scrypt_hashes(secured):
    db, _ = secured
    conn = sqlite3.connect(db)
    hashes = [r[0] for r in conn.execute("SELECT password_hash FROM accounts")]
    conn.close()
    assert all(h.startswith("scrypt$") and "quan-tri-123" not in h for h in hashes)
    assert len({h.split("$")[4] for h in hashes}) == len(hashes)  # a salt of its own each
