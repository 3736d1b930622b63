"""A commune that starts its list again (``gnbv demo --replace``, ``gnbv restore``, a file copied
back by hand) never makes the upper level add the new list to the old one: package numbers are
never reused, a full package replaces the commune's data, and an incremental package the upper
level cannot place is refused asking for a full package."""

from __future__ import annotations

import shutil
import sqlite3

from tests.cli.helpers import run_cli, run_json

CODE = "23764"


def _set_commune(path) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE settings SET value = ? WHERE key = 'commune_code'", [CODE])
        conn.execute("UPDATE settings SET value = 'Xã Ia Grai' WHERE key = 'commune_name'")
    conn.close()


def _demo(capsys, path, households: int, seed: int, *extra: str) -> None:
    code, _, err = run_cli(capsys, path, "demo", "--households", str(households), "--seed", str(seed),
                           "--year", "2026", *extra)
    assert code == 0, err
    _set_commune(path)


def _commune_households(path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {u for (u,) in conn.execute("SELECT uuid FROM households WHERE deleted = 0")}
    finally:
        conn.close()


def _upper_households(path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {u for (u,) in conn.execute(
            "SELECT uuid FROM sync_records WHERE table_name = 'households' AND commune_code = ? AND deleted = 0",
            [CODE])}
    finally:
        conn.close()


def _export(capsys, commune, out, *extra: str) -> dict:
    return run_json(capsys, commune, "sync-export", str(out), "--no-encrypt", "--json", *extra)


def _import(capsys, upper, package) -> dict:
    [result] = run_json(capsys, upper, "sync-import", str(package), "--json")
    return result


def test_demo_replace_then_a_full_package_replaces_the_commune_at_the_upper_level(capsys, tmp_path):
    commune, upper = tmp_path / "xa.sqlite3", tmp_path / "tinh.sqlite3"
    _demo(capsys, commune, 25, 1)
    assert _export(capsys, commune, tmp_path / "p1.gnbv")["sequence"] == 1
    _import(capsys, upper, tmp_path / "p1.gnbv")
    assert run_cli(capsys, commune, "helper-add", "Hội Nông dân xã")[0] == 0
    assert _export(capsys, commune, tmp_path / "p2.gnbv")["sequence"] == 2
    _import(capsys, upper, tmp_path / "p2.gnbv")

    _demo(capsys, commune, 30, 2, "--replace")
    third = _export(capsys, commune, tmp_path / "p3.gnbv")
    assert (third["sequence"], third["full"]) == (3, True)  # numbers 1 and 2 are never issued again
    result = _import(capsys, upper, tmp_path / "p3.gnbv")
    assert result["status"] == "imported" and result["replaced"]
    assert _upper_households(upper) == _commune_households(commune)
    assert len(_upper_households(upper)) == 30
    code, out, _ = run_cli(capsys, upper, "sync-import", str(tmp_path / "p3.gnbv"))
    assert code == 0 and "đã nhập trước đây" in out

    # the old packages arriving late change nothing
    code, out, err = run_cli(capsys, upper, "sync-import", str(tmp_path / "p2.gnbv"))
    assert code == 0, err
    assert "đã có gói đầy đủ số 3 mới hơn" in out
    assert _upper_households(upper) == _commune_households(commune)


def test_restore_of_an_older_backup_continues_after_the_highest_number(capsys, tmp_path):
    commune, upper = tmp_path / "xa.sqlite3", tmp_path / "tinh.sqlite3"
    _demo(capsys, commune, 25, 1)
    assert run_cli(capsys, commune, "backup", str(tmp_path / "usb"))[0] == 0
    [saved] = (tmp_path / "usb").iterdir()
    _export(capsys, commune, tmp_path / "p1.gnbv")
    _import(capsys, upper, tmp_path / "p1.gnbv")
    _demo(capsys, commune, 30, 2, "--replace")
    _export(capsys, commune, tmp_path / "p2.gnbv")
    _import(capsys, upper, tmp_path / "p2.gnbv")

    code, _, err = run_cli(capsys, commune, "restore", str(saved))
    assert code == 0, err
    third = _export(capsys, commune, tmp_path / "p3.gnbv")
    assert (third["sequence"], third["full"]) == (3, True)
    assert _import(capsys, upper, tmp_path / "p3.gnbv")["replaced"]
    assert _upper_households(upper) == _commune_households(commune)
    assert len(_upper_households(upper)) == 25


def test_an_incremental_package_that_reuses_a_number_is_refused_asking_for_a_full_package(capsys, tmp_path):
    """The database file copied back by hand (outside the program) goes back in time with its
    numbers; the upper level sees number 2 again with other content and asks for a full package."""
    commune, upper = tmp_path / "xa.sqlite3", tmp_path / "tinh.sqlite3"
    _demo(capsys, commune, 25, 1)
    _export(capsys, commune, tmp_path / "p1.gnbv")
    _import(capsys, upper, tmp_path / "p1.gnbv")
    shutil.copy(commune, tmp_path / "copy.sqlite3")
    assert run_cli(capsys, commune, "helper-add", "Hội Nông dân xã")[0] == 0
    _export(capsys, commune, tmp_path / "p2.gnbv")
    _import(capsys, upper, tmp_path / "p2.gnbv")

    shutil.copy(tmp_path / "copy.sqlite3", commune)
    assert run_cli(capsys, commune, "helper-add", "Hội Phụ nữ xã")[0] == 0
    again = _export(capsys, commune, tmp_path / "p2-again.gnbv")
    assert (again["sequence"], again["full"]) == (2, False)
    before = _upper_households(upper)
    code, _, err = run_cli(capsys, upper, "sync-import", str(tmp_path / "p2-again.gnbv"))
    assert code == 1 and "Traceback" not in err
    assert "đã nhận một gói số 2 khác" in err and "gói đầy đủ" in err and "p2-again.gnbv" in err
    assert _upper_households(upper) == before

    full = _export(capsys, commune, tmp_path / "p3.gnbv", "--full")
    assert (full["sequence"], full["full"]) == (3, True)
    assert _import(capsys, upper, tmp_path / "p3.gnbv")["replaced"]
    conn = sqlite3.connect(upper)
    helpers = {n for (n,) in conn.execute(
        "SELECT json_extract(data, '$.name') FROM sync_records WHERE table_name = 'helpers' AND deleted = 0")}
    conn.close()
    assert "Hội Phụ nữ xã" in helpers and "Hội Nông dân xã" not in helpers
