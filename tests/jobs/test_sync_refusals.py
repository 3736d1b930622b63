"""Bad packages are refused with a message naming the problem, and the aggregate stays as it was."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from gnbv_desktop.io.package_zip import Limits, seal, sha256
from gnbv_desktop.io.sync_package import PackageInfo, build_sync_package, read_sync_package
from gnbv_desktop.jobs.sync import SyncError
from gnbv_desktop.store.settings import is_aggregate
from gnbv_desktop.store.sync_identity import installation
from gnbv_desktop.store.sync_outbox import collect_changes, plan_export
from tests.jobs.sync_helpers import dump, export, import_, make_aggregate, make_commune

CODE = "23764"


@pytest.fixture
def setup(tmp_path):
    """An aggregate that already holds one commune's first package, and that commune's database."""
    commune = make_commune(tmp_path / "xa.sqlite3", CODE, "Xã Ia Grai", households=15)
    agg = make_aggregate(tmp_path / "tinh.sqlite3")
    export(commune, tmp_path / "p1.gnbv")  # unencrypted: crafted plain packages reach the record checks
    import_(agg, tmp_path / "p1.gnbv")
    yield commune, agg
    commune.close()
    agg.close()


def _refused(agg, path, *, match: str, **kw) -> str:
    before = dump(agg)
    with pytest.raises(SyncError) as err:
        import_(agg, path, **kw)
    assert match in str(err.value), str(err.value)
    assert path.name in str(err.value)
    assert dump(agg) == before
    return str(err.value)


def _rezip(blob: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None,
           manifest_files: dict[str, str] | None = None, key: bytes | None = None) -> bytes:
    """Rewrite a package zip: replace entries' bytes, add entries, optionally list them in the manifest;
    signed again with ``key`` (a forger holding the commune's key: only the content checks remain)."""
    src = zipfile.ZipFile(io.BytesIO(blob))
    manifest = json.loads(src.read("manifest.json"))
    manifest["files"].update(manifest_files or {})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        for info in src.infolist():
            if info.filename != "manifest.json":
                zf.writestr(info.filename, (replace or {}).get(info.filename, src.read(info.filename)))
        for name, data in (add or {}).items():
            zf.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return seal(out.getvalue(), None, key)


def _plain_package(commune, tmp_path) -> bytes:
    export(commune, tmp_path / "plain.gnbv", full=True)
    return (tmp_path / "plain.gnbv").read_bytes()


def test_wrong_or_missing_password(setup, tmp_path):
    commune, agg = setup
    export(commune, tmp_path / "p2.gnbv", full=True, password="mật khẩu đúng")
    _refused(agg, tmp_path / "p2.gnbv", password="mật khẩu sai", match="Sai mật khẩu")
    _refused(agg, tmp_path / "p2.gnbv", match="cần nhập mật khẩu")


def test_tampered_packages(setup, tmp_path):
    commune, agg = setup
    blob = _plain_package(commune, tmp_path)
    lines = zipfile.ZipFile(io.BytesIO(blob)).read("households.jsonl").replace(b'"deleted":0', b'"deleted":1', 1)
    (tmp_path / "edited.gnbv").write_bytes(_rezip(blob, replace={"households.jsonl": lines},
                                                  key=installation(commune).private_key))
    _refused(agg, tmp_path / "edited.gnbv", match="SHA-256 của 'households.jsonl' không khớp")

    export(commune, tmp_path / "enc.gnbv", full=True, password="mật khẩu đúng")
    enc = bytearray((tmp_path / "enc.gnbv").read_bytes())
    enc[len(enc) // 2] ^= 0x01
    (tmp_path / "enc.gnbv").write_bytes(bytes(enc))
    _refused(agg, tmp_path / "enc.gnbv", password="mật khẩu đúng", match="bị sửa đổi")


def test_truncated_packages(setup, tmp_path):
    commune, agg = setup
    blob = _plain_package(commune, tmp_path)
    (tmp_path / "cut.gnbv").write_bytes(blob[: len(blob) // 2])
    _refused(agg, tmp_path / "cut.gnbv", match="Chữ ký của gói không khớp")
    unsigned = _rezip(blob)
    (tmp_path / "cut.gnbv").write_bytes(unsigned[: len(unsigned) // 2])
    _refused(agg, tmp_path / "cut.gnbv", match="bị hỏng hoặc không đầy đủ")
    export(commune, tmp_path / "enc.gnbv", full=True, password="mật khẩu đúng")
    enc = (tmp_path / "enc.gnbv").read_bytes()
    (tmp_path / "enc.gnbv").write_bytes(enc[:-100])
    _refused(agg, tmp_path / "enc.gnbv", password="mật khẩu đúng", match="bị sửa đổi")


@pytest.mark.parametrize("name", ["../households.jsonl", "/etc/cron.d/gnbv", "sub/dir.jsonl", "..\\evil.jsonl"])
def test_zip_slip_paths(setup, tmp_path, name):
    commune, agg = setup
    blob = _plain_package(commune, tmp_path)
    payload = b"{}\n"
    (tmp_path / "slip.gnbv").write_bytes(_rezip(blob, add={name: payload}, manifest_files={name: sha256(payload)},
                                                key=installation(commune).private_key))
    message = _refused(agg, tmp_path / "slip.gnbv", match="đường dẫn không hợp lệ")
    assert name in message


def test_zip_bomb_and_size_limits(setup, tmp_path):
    commune, agg = setup
    blob = _plain_package(commune, tmp_path)
    zeros = bytes(30 * 1024**2)
    (tmp_path / "bomb.gnbv").write_bytes(_rezip(blob, add={"bomb.pdf": zeros}, manifest_files={"bomb.pdf": "0"},
                                                key=installation(commune).private_key))
    _refused(agg, tmp_path / "bomb.gnbv", match="zip bomb")
    _refused(agg, tmp_path / "plain.gnbv", limits=Limits(max_entry_bytes=1000), match="quá lớn khi giải nén")
    _refused(agg, tmp_path / "plain.gnbv", limits=Limits(max_file_bytes=1000), match="Tệp gói quá lớn")


def test_invalid_records_and_manifest(setup, tmp_path):
    commune, agg = setup
    plan = plan_export(commune, full=True)
    me = installation(commune)
    info = PackageInfo(CODE, "Xã Ia Grai", sequence=9, base_sequence=0, created_at="2026-11-20T08:00:00+00:00",
                       app_version="0.1.0", installation_uuid=me.uuid)

    def records() -> dict[str, list[dict]]:
        return {t: [json.loads(line) for line in lines] for t, lines in collect_changes(commune, plan).items()}

    def as_lines(tables: dict[str, list[dict]]) -> dict[str, list[str]]:
        return {t: [json.dumps(r, ensure_ascii=False) for r in rows] for t, rows in tables.items()}

    tables = records()
    del tables["members"][3]["change_counter"]
    (tmp_path / "fields.gnbv").write_bytes(build_sync_package(info, as_lines(tables), signing_key=me.private_key))
    _refused(agg, tmp_path / "fields.gnbv", match="Tệp members.jsonl, dòng 4, trường change_counter: thiếu trường bắt buộc")

    tables = records()
    tables["assessments"][0]["household_uuid"] = "không-phải-uuid"
    (tmp_path / "ref.gnbv").write_bytes(build_sync_package(info, as_lines(tables), signing_key=me.private_key))
    _refused(agg, tmp_path / "ref.gnbv", match="dòng 1, trường household_uuid: không phải mã định danh UUID")

    blob = build_sync_package(info, collect_changes(commune, plan))
    src = zipfile.ZipFile(io.BytesIO(blob))
    manifest = json.loads(src.read("manifest.json"))
    manifest["format_version"] = 99
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        for n in src.namelist():
            if n != "manifest.json":
                zf.writestr(n, src.read(n))
    (tmp_path / "future.gnbv").write_bytes(seal(out.getvalue(), None, me.private_key))
    _refused(agg, tmp_path / "future.gnbv", match="Hãy cập nhật GNBV Desktop")


def test_validated_package_reads_back_what_was_written(setup):
    commune, _agg = setup
    plan = plan_export(commune, full=True)
    tables = collect_changes(commune, plan)
    info = PackageInfo(CODE, "Xã Ia Grai", sequence=1, base_sequence=0, created_at="2026-11-20T08:00:00+00:00",
                       app_version="0.1.0", province_name="Gia Lai", installation_uuid=installation(commune).uuid)
    summary = b"PK\x03\x04 bang tong hop"
    pkg = read_sync_package(build_sync_package(info, tables, {"tong-hop-2026.xlsx": summary}, "mật khẩu dài"),
                            "mật khẩu dài")
    assert pkg.info.commune_name == "Xã Ia Grai" and pkg.info.is_full and pkg.info.province_name == "Gia Lai"
    assert pkg.info.counts == {t: len(r) for t, r in tables.items()}
    assert {t: [bytes(row[-1]).decode() for row in rows] for t, rows in pkg.records.items()} == tables
    first = json.loads(tables["households"][0])
    assert pkg.records["households"][0][:4] == (first["uuid"], first["change_counter"], first["updated_at"], 0)
    assert pkg.attachments == {"tong-hop-2026.xlsx": summary}
    assert is_aggregate(_agg)


def test_a_package_waits_for_another_writer_and_says_so_when_it_waits_too_long(tmp_path, monkeypatch):
    """The merge takes the write lock first: another program writing makes it wait, and a wait past
    the connection's limit is a Vietnamese message with the aggregate unchanged; once the other
    program is done, the same package goes in."""
    from gnbv_desktop.store import database

    commune = make_commune(tmp_path / "xa.sqlite3", CODE, "Xã Ia Grai", households=5)
    export(commune, tmp_path / "p1.gnbv")
    monkeypatch.setattr(database, "BUSY_TIMEOUT_S", 0.3)
    agg = make_aggregate(tmp_path / "tinh.sqlite3")
    other = database.open_database(tmp_path / "tinh.sqlite3")
    other.execute("BEGIN IMMEDIATE")  # another window or command in the middle of its own write
    before = dump(agg)
    with pytest.raises(SyncError) as err:
        import_(agg, tmp_path / "p1.gnbv")
    assert "đang được một cửa sổ hoặc lệnh GNBV khác ghi" in str(err.value)
    other.execute("ROLLBACK")
    assert dump(agg) == before
    assert not agg.conn.in_transaction
    [result] = import_(agg, tmp_path / "p1.gnbv")
    assert agg.execute("SELECT COUNT(*) FROM sync_records WHERE commune_code = ?", [CODE]).fetchone()[0] > 0, result
    other.close()
    agg.close()
    commune.close()
