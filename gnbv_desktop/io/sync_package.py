"""The sync package (``.gnbv``) a commune sends to the upper level.

Inside the zip: ``manifest.json`` (format name and version, app version, commune, created at,
sequence and base sequence — 0 for a full package —, records per table, SHA-256 of every entry),
one ``<table>.jsonl`` per synced table (whole records with UUID, change counter, timestamps and
the soft-delete flag; references as UUIDs) and optional attachments (the year's annex PDF, the
summary XLSX). Reading validates every record before anything is handed to the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import orjson

from gnbv_desktop.io.package_zip import DEFAULT_LIMITS, Limits, PackageError, is_plain_name, read_package, sha256
from gnbv_desktop.io.package_zip import write_package as _write_package
from gnbv_desktop.store.records import SYNCED_TABLES
from gnbv_desktop.store.sync_outbox import REQUIRED_FIELDS, reference_fields

FORMAT = "gnbv-sync"
FORMAT_VERSION = 1
EXTENSION = ".gnbv"
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


@dataclass
class PackageInfo:
    """What the manifest says about a package (everything but the checksums)."""

    commune_code: str
    commune_name: str
    sequence: int
    base_sequence: int
    created_at: str
    app_version: str
    province_name: str = ""
    upper_level: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    attachments: list[str] = field(default_factory=list)

    @property
    def is_full(self) -> bool:
        return self.base_sequence == 0

    @property
    def kind_label(self) -> str:
        return "Đầy đủ" if self.is_full else f"Thay đổi từ gói {self.base_sequence}"


@dataclass
class SyncPackage:
    """A package that passed every check: records per table as ``(record, original JSON line)``."""

    info: PackageInfo
    records: dict[str, list[tuple[dict, str]]]
    attachments: dict[str, bytes]
    sha256: str

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.records.values())


def table_entry(table: str) -> str:
    return f"{table}.jsonl"


def build_sync_package(
    info: PackageInfo,
    tables: dict[str, list[str]],
    attachments: dict[str, bytes] | None = None,
    password: str | None = None,
) -> bytes:
    """The package file's bytes from each table's records as JSON lines (one object per line, no
    newline inside); ``attachments`` maps a plain file name to its content."""
    attachments = dict(attachments or {})
    entries: dict[str, bytes] = {}
    for table, rows in tables.items():
        entries[table_entry(table)] = "".join(line + "\n" for line in rows).encode("utf-8")
    for name, data in attachments.items():
        if not is_plain_name(name) or name in entries or name.endswith(".jsonl"):
            raise ValueError(f"Tên tệp đính kèm không hợp lệ: {name!r}")
        entries[name] = data
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app_version": info.app_version,
        "commune": {"code": info.commune_code, "name": info.commune_name, "province": info.province_name},
        "upper_level": info.upper_level,
        "created_at": info.created_at,
        "sequence": info.sequence,
        "base_sequence": info.base_sequence,
        "counts": {table: len(rows) for table, rows in tables.items()},
        "attachments": sorted(attachments),
    }
    return _write_package(manifest, entries, password)


def read_sync_package(
    blob: bytes,
    password: str | None = None,
    *,
    limits: Limits = DEFAULT_LIMITS,
    known_tables: list[str] | None = None,
) -> SyncPackage:
    """Decrypt, unzip and validate; raises :class:`PackageError` naming the first problem found."""
    known = known_tables if known_tables is not None else SYNCED_TABLES
    manifest, entries = read_package(blob, format_name=FORMAT, format_version=FORMAT_VERSION, password=password,
                                     limits=limits)
    info = _info(manifest)
    unknown = [t for t in info.counts if t not in known]
    if unknown:
        raise PackageError(
            f"Gói có bảng dữ liệu mà phiên bản này chưa biết: {', '.join(unknown)}. Hãy cập nhật GNBV Desktop."
        )
    expected = {table_entry(t) for t in info.counts} | set(info.attachments)
    missing, extra = expected - set(entries), set(entries) - expected
    if missing:
        raise PackageError(f"Gói thiếu tệp: {', '.join(sorted(missing))}.")
    if extra:
        raise PackageError(f"Gói có tệp không được khai báo: {', '.join(sorted(extra))}.")
    records = {}
    for table in known:
        if table in info.counts:
            records[table] = _parse_table(table, entries[table_entry(table)], info.counts[table])
    return SyncPackage(info, records, {n: entries[n] for n in info.attachments}, sha256(blob))


def read_sync_info(blob: bytes, password: str | None = None, *, limits: Limits = DEFAULT_LIMITS) -> PackageInfo:
    """Check the container and the manifest only, to order a batch before reading it.

    Entry checksums and records are verified by :func:`read_sync_package`, still before any
    record of that package is written (and a batch is one transaction).
    """
    manifest, _entries = read_package(blob, format_name=FORMAT, format_version=FORMAT_VERSION, password=password,
                                      limits=limits, read_entries=False)
    return _info(manifest)


def _info(m: dict) -> PackageInfo:
    commune = m.get("commune")
    if not isinstance(commune, dict) or not _text(commune.get("code")) or not _text(commune.get("name")):
        raise PackageError("manifest.json thiếu mã hoặc tên xã gửi gói.")
    seq, base = m.get("sequence"), m.get("base_sequence")
    if not _int(seq) or seq < 1 or not _int(base) or not 0 <= base < seq:
        raise PackageError("manifest.json có số thứ tự gói (sequence/base_sequence) không hợp lệ.")
    if not _text(m.get("created_at")):
        raise PackageError("manifest.json thiếu thời điểm tạo gói (created_at).")
    counts = m.get("counts")
    if not isinstance(counts, dict) or not all(isinstance(k, str) and _int(v) and v >= 0 for k, v in counts.items()):
        raise PackageError("manifest.json thiếu số bản ghi theo bảng (counts).")
    attachments = m.get("attachments", [])
    if not isinstance(attachments, list) or not all(isinstance(a, str) and is_plain_name(a) for a in attachments):
        raise PackageError("manifest.json có danh sách tệp đính kèm không hợp lệ.")
    return PackageInfo(
        commune_code=commune["code"].strip(),
        commune_name=commune["name"].strip(),
        province_name=str(commune.get("province") or ""),
        upper_level=str(m.get("upper_level") or ""),
        sequence=seq,
        base_sequence=base,
        created_at=m["created_at"],
        app_version=str(m.get("app_version") or ""),
        counts=dict(counts),
        attachments=list(attachments),
    )


def _text(v: object) -> bool:
    return isinstance(v, str) and bool(v.strip())


def _int(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)



def _record_problem(rec: object, required: frozenset[str], refs: tuple[str, ...] | list[str], seen: set[str],
                    uuid_ok) -> str:
    """What is wrong with one record, in Vietnamese, or ``""``.

    It runs for every record of every package (hundreds of thousands per merge), so the common
    case is a handful of direct type checks; the messages are only built when something is wrong.
    """
    if type(rec) is not dict:
        return "bản ghi phải là một đối tượng JSON."
    if not required <= rec.keys():
        missing = sorted(required - rec.keys())
        return f"thiếu trường bắt buộc '{missing[0]}'."
    uuid = rec["uuid"]
    if type(uuid) is not str or uuid_ok(uuid) is None:
        return "mã định danh (uuid) không hợp lệ."
    if uuid in seen:
        return f"bản ghi {uuid} xuất hiện hai lần."
    counter = rec["change_counter"]
    if type(counter) is not int or counter < 1:
        return "bộ đếm thay đổi (change_counter) phải là số nguyên dương."
    deleted = rec["deleted"]
    if type(deleted) is not int or deleted not in (0, 1):
        return "cờ xóa (deleted) phải là 0 hoặc 1."
    created, updated = rec["created_at"], rec["updated_at"]
    if type(created) is not str or type(updated) is not str or not created.strip() or not updated.strip():
        return "thiếu thời điểm tạo/sửa (created_at/updated_at)."
    for key in refs:
        ref = rec[key]
        if ref is not None and (type(ref) is not str or uuid_ok(ref) is None):
            return f"tham chiếu '{key}' không phải uuid hợp lệ."
    return ""


def _parse_table(table: str, data: bytes, expected_count: int) -> list[tuple[dict, str]]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PackageError(f"Tệp {table_entry(table)} không phải văn bản UTF-8.") from exc
    refs = reference_fields(table)
    out: list[tuple[dict, str]] = []
    seen: set[str] = set()
    uuid_ok = _UUID.fullmatch
    required = frozenset((*REQUIRED_FIELDS, *refs))
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rec = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise PackageError(f"Bảng {table}, dòng {n}: không phải JSON hợp lệ ({exc}).") from exc
        problem = _record_problem(rec, required, refs, seen, uuid_ok)
        if problem:
            raise PackageError(f"Bảng {table}, dòng {n}: {problem}")
        seen.add(rec["uuid"])
        out.append((rec, line))
    if len(out) != expected_count:
        raise PackageError(
            f"Bảng {table}: manifest ghi {expected_count} bản ghi nhưng tệp có {len(out)} — gói không toàn vẹn."
        )
    return out
