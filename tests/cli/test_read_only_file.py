"""A database on a read-only drive (or a file without write permission) still serves every command
that only reads; the user is told once that it is read-only, and a command that writes says so in
Vietnamese and exits 1. The file is never touched."""

from __future__ import annotations

import hashlib
import shutil

import pytest

from tests.cli.helpers import run_cli
from tests.read_only_drive import read_only_drive

NOTICE = "chỉ cho đọc"


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ro-template")
    from gnbv_desktop.cli import main

    assert main(["--db", str(folder / "xa.sqlite3"), "demo", "--households", "20", "--year", "2026"]) == 0
    return folder / "xa.sqlite3"


@pytest.fixture
def usb(template, tmp_path):
    with read_only_drive(tmp_path / "usb", lambda d: shutil.copy(template, d / "xa.sqlite3")) as folder:
        yield folder / "xa.sqlite3"


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


READS = {
    "stats": ["stats", "--year", "2026"],
    "list": ["list", "--year", "2026"],
    "sync-status": ["sync-status"],
    "accounts": ["accounts"],
    "audit": ["audit"],
    "annex": ["annex", "{out}/phu-luc.xlsx", "--year", "2026"],
    "report": ["report", "{out}/bieu.xlsx", "--form", "ket-qua", "--year", "2026"],
    "posting": ["posting", "{out}/niem-yet.pdf", "--year", "2026"],
    "export-excel": ["export-excel", "{out}/ds.xlsx", "--year", "2026"],
}


@pytest.mark.parametrize("command", sorted(READS))
def test_a_read_command_works_and_says_once_that_the_file_is_read_only(command, usb, tmp_path, capsys):
    before = _digest(usb)
    args = [a.format(out=tmp_path) for a in READS[command]]
    code, out, err = run_cli(capsys, usb, *args)
    assert code == 0, err
    assert err.count(NOTICE) == 1 and "Traceback" not in err
    assert out.strip() or any(tmp_path.glob("*.*"))
    assert _digest(usb) == before
    assert sorted(p.name for p in usb.parent.iterdir()) == ["xa.sqlite3"]


WRITES = {
    "helper-add": ["helper-add", "Hội Nông dân xã"],
    "demo": ["demo", "--households", "5", "--year", "2026", "--replace"],
    "carry-forward": ["carry-forward", "--from", "2026", "--to", "2027"],
    "sync-export": ["sync-export", "{out}/goi.gnbv", "--no-encrypt"],
    "account-add": ["account-add", "admin", "--role", "quan-tri", "--new-password-file", "{out}/pw"],
}


@pytest.mark.parametrize("command", sorted(WRITES))
def test_a_write_command_says_the_file_is_read_only_and_exits_1(command, usb, tmp_path, capsys):
    (tmp_path / "pw").write_text("mật khẩu dài đủ\n", encoding="utf-8")
    before = _digest(usb)
    code, _out, err = run_cli(capsys, usb, *[a.format(out=tmp_path) for a in WRITES[command]])
    assert code == 1
    assert "chế độ chỉ đọc" in err and "Traceback" not in err
    assert _digest(usb) == before
    assert not (tmp_path / "goi.gnbv").exists()
