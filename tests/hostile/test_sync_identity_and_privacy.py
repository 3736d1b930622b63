"""What must still be accepted — and accepted correctly — next to the refusals: reinstalled
laptops replacing (never adding to) a commune's data, signed and encrypted packages, passwords
typed differently, tombstones without personal data; and two writers at once."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import unicodedata
import uuid
import zipfile
from io import BytesIO

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from gnbv_desktop.core.signing import fingerprint, new_private_key
from gnbv_desktop.io.package_crypto import MAGIC_V1
from gnbv_desktop.io.package_zip import unseal
from gnbv_desktop.jobs.demo import create_demo
from gnbv_desktop.jobs.progress import run_to_end
from gnbv_desktop.jobs.sync import SyncError, import_packages
from gnbv_desktop.store import aggregate
from gnbv_desktop.store.database import open_database
from gnbv_desktop.store.records import touch
from gnbv_desktop.store.settings import load_settings, save_settings
from gnbv_desktop.store.sync_identity import installation
from tests.hostile.package_kit import CODE, NAME, ROOT, canonical_dump, craft, fresh_aggregate, run_cli

PASSWORD = "Mật khẩu Ia Grai 2026"


def _commune_copy(world, tmp_path, name="xa.sqlite3"):
    target = tmp_path / name
    shutil.copyfile(world.commune_db, target)
    return target


def _households(agg_path) -> dict[str, dict]:
    db = open_database(agg_path)
    try:
        return aggregate.records_of(db, CODE, "households")
    finally:
        db.close()


def test_reinstalled_laptop_is_refused_then_replaces_the_commune_data_when_asked(world, tmp_path, capsys):
    agg = fresh_aggregate(world, tmp_path)
    old = _households(agg)
    laptop = tmp_path / "may-moi.sqlite3"  # the data typed in again: same commune, new UUIDs, new key
    db = open_database(laptop)
    run_to_end(create_demo(db, 9, seed=11, year=2026))
    s = load_settings(db)
    s.commune_code, s.commune_name = CODE, NAME
    save_settings(db, s)
    new_key = installation(db).fingerprint
    db.close()
    assert run_cli(capsys, laptop, "sync-export", str(tmp_path / "moi-1.gnbv"), "--no-encrypt")[0] == 0
    before = canonical_dump(agg)
    code, _out, err = run_cli(capsys, agg, "sync-import", str(tmp_path / "moi-1.gnbv"))
    assert code == 1 and "đã gắn với máy" in err and "--replace-commune" in err
    assert canonical_dump(agg) == before

    code, out, err = run_cli(capsys, agg, "sync-import", str(tmp_path / "moi-1.gnbv"), "--replace-commune")
    assert code == 0, err
    assert "thay toàn bộ dữ liệu cũ" in out and new_key in out
    now = _households(agg)
    assert len(now) == 9 and not set(now) & set(old)  # replaced, never added
    status = json.loads(run_cli(capsys, agg, "sync-status", "--json")[1])
    [commune] = status["communes"]
    assert commune["counts"]["households"] == 9 and commune["key_fingerprint"] == new_key

    # the old laptop's packages are now the foreign ones
    (tmp_path / "cu.gnbv").write_bytes(craft(world))
    code, _out, err = run_cli(capsys, agg, "sync-import", str(tmp_path / "cu.gnbv"))
    assert code == 1 and "đã gắn với máy" in err


def test_replacement_needs_a_full_package(world, tmp_path, capsys):
    agg = fresh_aggregate(world, tmp_path)
    other = str(uuid.uuid4())
    (tmp_path / "inc.gnbv").write_bytes(craft(world, manifest_changes={"installation": other, "sequence": 5,
                                                                       "base_sequence": 4}, key=new_private_key()))
    before = canonical_dump(agg)
    code, _out, err = run_cli(capsys, agg, "sync-import", str(tmp_path / "inc.gnbv"), "--replace-commune",
                              "--force-gap")
    assert code == 1 and "cần một gói đầy đủ" in err and canonical_dump(agg) == before


def test_encrypted_signed_package_round_trips_with_passwords_typed_differently(world, tmp_path, capsys):
    commune = _commune_copy(world, tmp_path)
    nfd = unicodedata.normalize("NFD", PASSWORD)
    assert nfd != PASSWORD
    (tmp_path / "pw-xa.txt").write_bytes(b"\xef\xbb\xbf" + nfd.encode() + b"\r\n")  # Notepad: BOM, NFD, CRLF
    (tmp_path / "pw-tinh.txt").write_text(PASSWORD + "\n", encoding="utf-8")
    code, out, err = run_cli(capsys, commune, "sync-export", str(tmp_path / "p2.gnbv"), "--full",
                             "--password-file", str(tmp_path / "pw-xa.txt"))
    assert code == 0 and "có mã hóa" in out, err
    blob = (tmp_path / "p2.gnbv").read_bytes()
    assert blob.startswith(b"GNBVENC2") and b"head_name" not in blob
    _zip, signer, encrypted = unseal(blob, PASSWORD)
    assert encrypted and fingerprint(signer) == fingerprint(installation(open_database(commune)).public_key)

    agg = fresh_aggregate(world, tmp_path)
    code, out, err = run_cli(capsys, agg, "sync-import", str(tmp_path / "p2.gnbv"), "--password-file",
                             str(tmp_path / "pw-tinh.txt"))
    assert code == 0, err
    assert _households(agg) == {r["uuid"]: r for r in world.tables["households"]}

    # from now on this upper level uses a password: an unencrypted package is refused even without one
    (tmp_path / "plain.gnbv").write_bytes(craft(world, manifest_changes={"sequence": 3}))
    before = canonical_dump(agg)
    code, _out, err = run_cli(capsys, agg, "sync-import", str(tmp_path / "plain.gnbv"))
    assert code == 1 and "không được mã hóa" in err and canonical_dump(agg) == before


def test_an_unencrypted_package_deleting_everything_is_refused_where_a_password_is_used(world, tmp_path, capsys):
    agg = fresh_aggregate(world, tmp_path)
    tables = json.loads(json.dumps(world.tables))
    for rec in tables["households"]:
        rec["deleted"], rec["change_counter"] = 1, rec["change_counter"] + 1
    (tmp_path / "xoa-het.gnbv").write_bytes(craft(world, tables={"households": tables["households"]},
                                                  manifest_changes={"sequence": 2, "base_sequence": 1}))
    (tmp_path / "pw.txt").write_text(PASSWORD, encoding="utf-8")
    before = canonical_dump(agg)
    code, _out, err = run_cli(capsys, agg, "sync-import", str(tmp_path / "xoa-het.gnbv"), "--password-file",
                              str(tmp_path / "pw.txt"))
    assert code == 1 and "không được mã hóa" in err and canonical_dump(agg) == before


@pytest.mark.parametrize(("content", "message"), [
    ("ngắn\n", "ít nhất 8 ký tự"), ("\ufeff\r\n", "trống"), ("       \n", "ít nhất 8 ký tự|không được để trống"),
])
def test_weak_passwords_are_refused_at_export(world, tmp_path, capsys, content, message):
    commune = _commune_copy(world, tmp_path)
    (tmp_path / "pw.txt").write_text(content, encoding="utf-8")
    before = canonical_dump(commune)
    code, _out, err = run_cli(capsys, commune, "sync-export", str(tmp_path / "x.gnbv"), "--password-file",
                              str(tmp_path / "pw.txt"))
    assert code == 1 and any(m in err for m in message.split("|")), err
    assert not (tmp_path / "x.gnbv").exists() and canonical_dump(commune) == before


def test_unencrypted_export_is_an_explicit_choice_recorded_in_the_history(world, tmp_path, capsys):
    commune = _commune_copy(world, tmp_path)
    code, _out, err = run_cli(capsys, commune, "sync-export", str(tmp_path / "x.gnbv"))
    assert code == 1 and "--no-encrypt" in err and not (tmp_path / "x.gnbv").exists()
    assert run_cli(capsys, commune, "sync-export", str(tmp_path / "x.gnbv"), "--no-encrypt")[0] == 0
    history = json.loads(run_cli(capsys, commune, "sync-status", "--json")[1])["exports"]
    assert [(e["sequence"], e["encrypted"]) for e in history][0] == (2, False)


def test_deleted_households_travel_as_tombstones_without_personal_data(world, tmp_path, capsys):
    commune = _commune_copy(world, tmp_path)
    db = open_database(commune)
    hid, huuid = db.execute("SELECT id, uuid FROM households ORDER BY id LIMIT 1").fetchone()
    with db.atomic():
        touch(db, "households", hid, {"deleted": 1})
        for (mid,) in db.execute("SELECT id FROM members WHERE household_id = ?", [hid]).fetchall():
            touch(db, "members", mid, {"deleted": 1})
    db.close()
    assert run_cli(capsys, commune, "sync-export", str(tmp_path / "p2.gnbv"), "--no-encrypt")[0] == 0
    zip_bytes, _signer, _enc = unseal((tmp_path / "p2.gnbv").read_bytes())
    [line] = [json.loads(x) for x in zipfile.ZipFile(BytesIO(zip_bytes)).read("households.jsonl").splitlines()]
    assert line == {k: line[k] for k in ("uuid", "created_at", "updated_at", "change_counter", "deleted",
                                         "village_uuid")} and line["deleted"] == 1
    agg = fresh_aggregate(world, tmp_path)
    assert run_cli(capsys, agg, "sync-import", str(tmp_path / "p2.gnbv"))[0] == 0
    stored = _households(agg)[huuid]
    assert stored["deleted"] == 1 and "head_name" not in stored and "head_cccd" not in stored

    # a package from an older version still carrying the personal data of a deleted record: stripped on arrival
    tables = json.loads(json.dumps(world.tables))
    victim = tables["households"][1]
    victim.update(deleted=1, change_counter=victim["change_counter"] + 5)
    (tmp_path / "old.gnbv").write_bytes(craft(world, tables={"households": [victim]},
                                              manifest_changes={"sequence": 3, "base_sequence": 2}))
    assert run_cli(capsys, agg, "sync-import", str(tmp_path / "old.gnbv"))[0] == 0
    stored = _households(agg)[victim["uuid"]]
    assert stored["deleted"] == 1 and "head_name" not in stored and "phone" not in stored


def test_a_version_1_encrypted_package_is_still_read(world, tmp_path, capsys):
    """Old packages (scrypt N = 2^15 under the GNBVENC1 header) keep their meaning."""
    zip_bytes = craft(world, key=None)
    salt, nonce = os.urandom(16), os.urandom(12)
    header = json.dumps({"kdf": "scrypt", "n": 2**15, "r": 8, "p": 1, "salt": salt.hex(), "cipher": "AES-256-GCM",
                         "nonce": nonce.hex()}, separators=(",", ":")).encode() + b"\n"
    key = Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(b"mk-cu")
    (tmp_path / "v1.gnbv").write_bytes(MAGIC_V1 + header + AESGCM(key).encrypt(nonce, zip_bytes, MAGIC_V1 + header))
    (tmp_path / "pw.txt").write_text("mk-cu", encoding="utf-8")  # short, as old versions allowed
    blank = tmp_path / "tinh-moi.sqlite3"
    code, out, err = run_cli(capsys, blank, "sync-import", str(tmp_path / "v1.gnbv"), "--password-file",
                             str(tmp_path / "pw.txt"))
    assert code == 0, err
    assert len(_households(blank)) == len(world.tables["households"])


def test_a_second_writer_waits_then_gets_a_message(world, tmp_path):
    agg_path = fresh_aggregate(world, tmp_path)
    (tmp_path / "p2.gnbv").write_bytes(craft(world))
    db = open_database(agg_path)
    db.execute("PRAGMA busy_timeout = 300")
    other = sqlite3.connect(str(agg_path), isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # another window holds the write lock
    before = canonical_dump(agg_path)
    with pytest.raises(SyncError, match="đang được một cửa sổ hoặc lệnh GNBV khác ghi"):
        run_to_end(import_packages(db, [tmp_path / "p2.gnbv"]))
    other.execute("ROLLBACK")
    assert canonical_dump(agg_path) == before

    other.execute("BEGIN IMMEDIATE")
    threading.Timer(0.2, lambda: other.execute("ROLLBACK")).start()
    db.execute("PRAGMA busy_timeout = 20000")
    [result] = run_to_end(import_packages(db, [tmp_path / "p2.gnbv"]))  # waited for its turn
    assert not result.already_imported
    other.close()
    db.close()


def test_the_same_package_imported_twice_at_once(world, tmp_path):
    agg_path = fresh_aggregate(world, tmp_path)
    (tmp_path / "p2.gnbv").write_bytes(craft(world))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "gnbv_desktop", "--db", str(agg_path), "sync-import", str(tmp_path / "p2.gnbv"),
           "--json"]
    runs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
            for _ in range(2)]
    outputs = [r.communicate(timeout=120) for r in runs]
    for (_out, err), r in zip(outputs, runs, strict=True):
        assert r.returncode == 0 and "Traceback" not in err, err
    statuses = sorted(json.loads(out)[0]["status"] for out, _err in outputs)
    assert statuses == ["already_imported", "imported"]
    db = open_database(agg_path)
    assert db.execute("SELECT COUNT(*) FROM sync_packages WHERE sequence = 2").fetchone()[0] == 1
    db.close()


@pytest.mark.parametrize(("pragma", "message"), [
    ("PRAGMA query_only = ON", "chế độ chỉ đọc"),  # as a read-only file behaves
    ("PRAGMA max_page_count = {pages}", "Ổ đĩa đã đầy"),  # as a full disk behaves
])
def test_a_database_that_cannot_be_written_gives_a_message_and_keeps_its_data(world, tmp_path, pragma, message):
    agg_path = fresh_aggregate(world, tmp_path)
    (tmp_path / "p2.gnbv").write_bytes(craft(world, tables={
        "households": [dict(r, uuid=str(uuid.uuid4())) for r in world.tables["households"]]},
        manifest_changes={"base_sequence": 1}))  # added to the villages the aggregate holds
    before = canonical_dump(agg_path)
    db = open_database(agg_path)
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(pragma.format(pages=pages))
    with pytest.raises(SyncError, match=message):
        run_to_end(import_packages(db, [tmp_path / "p2.gnbv"]))
    db.close()
    assert canonical_dump(agg_path) == before


def test_an_incremental_package_built_on_a_package_older_than_the_newest_full_one_asks_for_a_full_one(
        world, tmp_path, capsys):
    agg_path = fresh_aggregate(world, tmp_path)
    (tmp_path / "p3.gnbv").write_bytes(craft(world, manifest_changes={"sequence": 3}))
    code, out, err = run_cli(capsys, agg_path, "sync-import", str(tmp_path / "p3.gnbv"))
    assert code == 0 and "thay toàn bộ dữ liệu cũ của xã" in out, err
    (tmp_path / "p5.gnbv").write_bytes(craft(world, tables={"households": []},
                                             manifest_changes={"sequence": 5, "base_sequence": 2}))
    before = canonical_dump(agg_path)
    code, _out, err = run_cli(capsys, agg_path, "sync-import", str(tmp_path / "p5.gnbv"), "--force-gap")
    assert code == 1 and "Traceback" not in err
    assert "dựa trên gói số 2" in err and "gói đầy đủ số 3 mới hơn" in err and "xuất một gói đầy đủ" in err
    assert canonical_dump(agg_path) == before
