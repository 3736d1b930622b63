"""The environment turns hostile: another program writing, a read-only file, a full disk. Each
ends in a Vietnamese message (CLI exit 1, no traceback) and the database unchanged.

Read-only and full disk are simulated at SQLite's level, where the app meets them: a read-only
connection (what SQLite opens for a file it may not write) and ``PRAGMA max_page_count`` (SQLite's
own "database or disk is full"); a real tiny tmpfs is used for a file export where it can be
mounted.
"""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
from pathlib import Path

import pytest
from sqlite_utils import Database

from gnbv_desktop.io.reference_package import ReferencePackage, build_reference_package
from gnbv_desktop.store import database
from gnbv_desktop.store.reference import shipped_standard_documents
from tests.hostile.kit import COMMUNE_CODE, assert_refused, commune_template, copy_of, run
from tests.io.workbooks import simple_list

ROWS = [[i, f"Hà Văn {i}", 1970, None, "Thôn 1", "1.000.000", "Nghèo"] for i in range(1, 400)]


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    # enough households that carrying a year forward needs new pages (a handful fit in free space)
    return commune_template(tmp_path_factory.mktemp("env"), households=150)


@pytest.fixture
def commune(template, tmp_path) -> Path:
    return copy_of(template, tmp_path / "xa.sqlite3")


def _package(tmp_path: Path) -> Path:
    docs = shipped_standard_documents()
    docs[0]["thresholds"]["rural"]["poor_line"] = 1_600_000
    path = tmp_path / "ref.gnbvref"
    path.write_bytes(build_reference_package(ReferencePackage(
        "Sở", "2026-12-01T08:00:00+00:00", 2027, {"causes": [{"code": "a", "name": "A"}]}, docs,
        {COMMUNE_CODE: {"target_escape_households": 3}}), "0.1.0"))
    return path


WRITES = {
    "import-excel": lambda tmp: ["import-excel", str(simple_list(tmp / "ds.xlsx", ROWS)), "--year", "2026"],
    "ref-import": lambda tmp: ["ref-import", str(_package(tmp))],
    "demo": lambda tmp: ["demo", "--households", "300", "--year", "2026", "--replace"],
    "carry-forward": lambda tmp: ["carry-forward", "--from", "2026", "--to", "2027"],
}


@pytest.mark.parametrize("command", sorted(WRITES))
def test_a_second_writer_waits_then_gets_a_message(command, commune, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(database, "BUSY_TIMEOUT_S", 0.3)
    args = WRITES[command](tmp_path)
    holder = sqlite3.connect(commune, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another GNBV program in the middle of a write
    try:
        assert_refused(capsys, commune, *args, says="đang được một chương trình GNBV khác ghi")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    code, _out, err = run(capsys, commune, *args)  # once the other write is done, it works
    assert code == 0, err


@pytest.mark.parametrize("command", sorted(WRITES))
def test_a_read_only_file_gives_a_message(command, commune, tmp_path, capsys, monkeypatch):
    args = WRITES[command](tmp_path)
    def read_only(path):  # what SQLite opens for a file it may not write
        return Database(sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None))

    monkeypatch.setattr(database, "_connect", read_only)
    assert_refused(capsys, commune, *args, says="chế độ chỉ đọc")


@pytest.mark.parametrize("command", sorted(WRITES))
def test_a_full_disk_gives_a_message(command, commune, tmp_path, capsys, monkeypatch):
    args = WRITES[command](tmp_path)
    real = database._connect

    def nearly_full(path):
        db = real(path)
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages}")
        return db

    monkeypatch.setattr(database, "_connect", nearly_full)
    assert_refused(capsys, commune, *args, says="Ổ đĩa đã đầy")


@contextlib.contextmanager
def _tiny_tmpfs(folder: Path):
    folder.mkdir()
    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], check=True,
                       capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False, capture_output=True)


def test_an_export_to_a_full_disk_gives_a_message(commune, tmp_path, capsys):
    with _tiny_tmpfs(tmp_path / "usb") as usb:
        (usb / "filler").write_bytes(b"\0" * 60_000)
        out = usb / "ds.xlsx"
        assert_refused(capsys, commune, "export-excel", str(out), "--year", "2026", says="ổ đĩa đã đầy")
        assert sorted(p.name for p in usb.iterdir()) == ["filler"]  # no half-written file left
