"""The bounds behind the kit, one rule at a time: gaps by arithmetic, decompression budgets,
fixed KDF parameters, password forms, file names from data."""

from __future__ import annotations

import io
import json
import unicodedata
import zipfile

import pytest

from gnbv_desktop.core.signing import fingerprint, new_private_key, public_key
from gnbv_desktop.core.sync_schema import safe_file_name
from gnbv_desktop.io.package_crypto import PasswordError, check_new_password, decrypt, encrypt, normalize_password
from gnbv_desktop.io.package_zip import Limits, PackageError, read_package, sha256
from gnbv_desktop.store import aggregate
from gnbv_desktop.store.database import open_database


def test_missing_sequences_are_ranges_computed_without_listing_numbers(tmp_path):
    db = open_database(tmp_path / "tinh.sqlite3")
    aggregate.make_aggregate(db)
    with db.atomic():
        aggregate.bind_commune(db, commune_code="1", commune_name="X", province_name="", installation_uuid="",
                               public_key=None)
        for seq, full in [(1, 1), (2, 0), (5, 0), (2**62 - 3, 0)]:
            db.execute("INSERT INTO sync_packages (commune_code, sequence, base_sequence, is_full, created_at, "
                       "imported_at, file_name, sha256) VALUES ('1', ?, 0, ?, '', '', '', ?)", [seq, full, str(seq)])
    assert aggregate.missing_sequences(db, "1", 2**62) == [(3, 4), (6, 2**62 - 4), (2**62 - 2, 2**62)]
    assert aggregate.missing_sequences(db, "1", 2) == [] and aggregate.missing_sequences(db, "1", 0) == []
    db.close()


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    manifest = {"format": "t", "format_version": 1, "files": {n: sha256(d) for n, d in entries.items()}}
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_decompression_budget_is_counted_on_what_comes_out():
    blob = _zip({"a.bin": bytes(6 * 1024**2), "b.bin": bytes(6 * 1024**2)})
    no_ratio = dict(max_ratio=10**9, max_entry_bytes=8 * 1024**2)
    manifest, entries = read_package(blob, format_name="t", format_version=1, limits=Limits(**no_ratio))
    assert sorted(entries) == ["a.bin", "b.bin"]
    with pytest.raises(PackageError, match="Tổng dung lượng giải nén"):
        read_package(blob, format_name="t", format_version=1, limits=Limits(**no_ratio, max_total_bytes=10 * 1024**2))
    with pytest.raises(PackageError, match="zip bomb"):
        read_package(blob, format_name="t", format_version=1)  # zeros: ratio far above 100:1


def test_passwords_are_normalised_and_at_least_eight_characters():
    nfc = "Mật khẩu xã"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc and normalize_password(nfd) == normalize_password("\ufeff" + nfc) == nfc
    assert decrypt(encrypt(b"du lieu", nfd), nfc) == b"du lieu"
    for weak in ["", "       ", "1234567", "\ufeffabc"]:
        with pytest.raises(PasswordError):
            check_new_password(weak)
    assert check_new_password("12345678") == "12345678"


@pytest.mark.parametrize(("raw", "safe"), [
    ("../../x-tong-hop-2026.xlsx", "_.._x-tong-hop-2026.xlsx"), ("/abs/x", "_abs_x"), ("CON", "_CON"),
    ("nul.xlsx", "_nul.xlsx"), ("a\x00b\u202ec", "a_b_c"), ("...", "tep"), ("x" * 500, "x" * 100),
    ("23764-tong-hop-2026.xlsx", "23764-tong-hop-2026.xlsx"),
])
def test_file_names_from_data_are_plain(raw, safe):
    assert safe_file_name(raw) == safe


def test_fingerprint_is_short_digits_stable_per_key():
    key = new_private_key()
    fp = fingerprint(public_key(key))
    assert len(fp) == 19 and fp.replace(" ", "").isdigit() and fp == fingerprint(public_key(key))
    assert fp != fingerprint(public_key(new_private_key()))
