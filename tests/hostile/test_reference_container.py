"""Reference packages (``.gnbvref``) share the container: signed by the upper level, pinned by the
commune at the first one, bounded like sync packages. (What a reference package *contains* is
validated by ``io.reference_package``; here only the signature and the container.)"""

from __future__ import annotations

import shutil
import zipfile

from gnbv_desktop.io.package_zip import unseal
from gnbv_desktop.io.reference_package import read_reference_package
from gnbv_desktop.store.database import open_database
from gnbv_desktop.store.sync_identity import installation, trusted_signer
from tests.hostile.package_kit import RawEntry, bzip2_zeros, canonical_dump, deflate_zeros, raw_zip, run_cli, run_limited


def _commune(world, tmp_path):
    target = tmp_path / "xa.sqlite3"
    shutil.copyfile(world.commune_db, target)
    return target


def _aggregate(world, tmp_path, name):
    target = tmp_path / name
    shutil.copyfile(world.aggregate_db, target)
    return target


def test_the_first_reference_package_pins_its_signer_and_others_are_refused(world, tmp_path, capsys):
    commune = _commune(world, tmp_path)
    upper = _aggregate(world, tmp_path, "tinh.sqlite3")
    assert run_cli(capsys, upper, "ref-export", str(tmp_path / "ref.gnbvref"), "--year", "2026")[0] == 0
    code, out, err = run_cli(capsys, commune, "ref-import", str(tmp_path / "ref.gnbvref"))
    assert code == 0, err
    db = open_database(upper)
    upper_key = installation(db).fingerprint
    db.close()
    assert f"mã nhận dạng: {upper_key}" in out
    db = open_database(commune)
    assert trusted_signer(db).fingerprint == upper_key
    db.close()

    # an impostor's reference package (another installation, another key) …
    impostor = tmp_path / "gia.sqlite3"
    assert run_cli(capsys, impostor, "sync-import", str(world.commune_db.parent / "p1.gnbv"))[0] == 0
    assert run_cli(capsys, impostor, "ref-export", str(tmp_path / "gia.gnbvref"), "--year", "2026")[0] == 0
    # … and the genuine package stripped of its signature
    zip_bytes, _signer, _enc = unseal((tmp_path / "ref.gnbvref").read_bytes())
    (tmp_path / "unsigned.gnbvref").write_bytes(zip_bytes)
    assert read_reference_package(zip_bytes).year == 2026  # content alone is fine
    for name, message in [("gia.gnbvref", "được ký bằng khóa khác"), ("unsigned.gnbvref", "không có chữ ký")]:
        before = canonical_dump(commune)
        code, _out, err = run_cli(capsys, commune, "ref-import", str(tmp_path / name))
        assert code == 1 and message in err and name in err and upper_key in err, err
        assert "Traceback" not in err and canonical_dump(commune) == before

    # the upper level really reinstalled (confirmed by phone): its new key replaces the old one, on request
    code, out, err = run_cli(capsys, commune, "ref-import", str(tmp_path / "gia.gnbvref"), "--replace-upper-key")
    assert code == 0, err
    db = open_database(impostor)
    new_key = installation(db).fingerprint
    db.close()
    assert new_key in out and new_key != upper_key
    code, _out, err = run_cli(capsys, commune, "ref-import", str(tmp_path / "ref.gnbvref"))
    assert code == 1 and "được ký bằng khóa khác" in err


def test_reference_bombs_are_refused_within_1gb_and_60s(world, tmp_path):
    commune = _commune(world, tmp_path)
    cases = {
        "bzip2.gnbvref": (raw_zip([RawEntry("manifest.json", bzip2_zeros(64 * 1024**2), method=zipfile.ZIP_BZIP2,
                                            declared_size=100)]), "cách nén"),
        "deflate.gnbvref": (raw_zip([RawEntry("manifest.json", b'{"format": "gnbv-ref", "format_version": 1, '
                                              b'"files": {"catalogs.json": "0"}}', method=0),
                                     RawEntry("catalogs.json", deflate_zeros(1024**3), declared_size=200 * 1024**2)]),
                            "zip bomb"),
    }
    for name, (blob, message) in cases.items():
        (tmp_path / name).write_bytes(blob)
        before = canonical_dump(commune)
        done = run_limited(commune, "ref-import", str(tmp_path / name))
        assert done.returncode == 1 and message in done.stderr and name in done.stderr, done.stderr[-2000:]
        assert "Traceback" not in done.stderr and canonical_dump(commune) == before


def test_a_failure_while_pinning_the_key_leaves_the_commune_as_it_was(world, tmp_path, capsys, monkeypatch):
    """The package's data and its signer's key go in together: with the key's write failing (a full
    disk), nothing of the package stays, and the same package goes in afterwards."""
    import sqlite3

    import gnbv_desktop.jobs.reference_sync as reference_sync

    commune = _commune(world, tmp_path)
    upper = _aggregate(world, tmp_path, "tinh.sqlite3")
    assert run_cli(capsys, upper, "ref-export", str(tmp_path / "ref.gnbvref"), "--year", "2026")[0] == 0
    before = canonical_dump(commune)

    def disk_full(*_args):
        raise sqlite3.OperationalError("database or disk is full")

    with monkeypatch.context() as m:
        m.setattr(reference_sync, "pin_signer", disk_full)
        code, _out, err = run_cli(capsys, commune, "ref-import", str(tmp_path / "ref.gnbvref"))
    assert code == 1 and "Ổ đĩa đã đầy" in err and "Traceback" not in err, err
    assert canonical_dump(commune) == before
    db = open_database(commune)
    assert trusted_signer(db) is None
    db.close()
    assert run_cli(capsys, commune, "ref-import", str(tmp_path / "ref.gnbvref"))[0] == 0
    db = open_database(commune)
    assert trusted_signer(db) is not None
    db.close()
