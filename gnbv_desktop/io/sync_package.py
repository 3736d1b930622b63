"""The sync package (``.gnbv``) a commune sends to the upper level.

Inside the zip: ``manifest.json`` (format name and version, app version, the commune and the
sending installation's UUID, created at, sequence and base sequence — 0 for a full package —,
records per table, SHA-256 of every entry), one ``<table>.jsonl`` per synced table (whole records
with UUID, change counter, timestamps and the soft-delete flag; references as UUIDs; a deleted
record as a tombstone without personal data) and at most the summary XLSX as an attachment. The
zip is signed with the installation's key and usually encrypted (:mod:`package_zip`).

Reading validates the manifest and every record against ``core.sync_schema`` before anything is
handed to the database; a refusal names the entry, line and field.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import orjson

from gnbv_desktop.core.sync_schema import (
    ColumnInfo,
    RecordSchema,
    attachment_problem,
    display,
    manifest_problem,
    record_schema,
)
from gnbv_desktop.io.package_zip import (
    DEFAULT_LIMITS,
    Limits,
    OpenContainer,
    PackageError,
    PackageWriter,
    VerifiedEntry,
    open_container,
    read_container,
    sha256,
)
from gnbv_desktop.store.records import DERIVED_COLUMNS, FOREIGN_KEYS, SYNCED_TABLES
from gnbv_desktop.store.sync_outbox import synced_columns

FORMAT = "gnbv-sync"
FORMAT_VERSION = 2  # 2: installation UUID in the manifest, tombstones, only the summary XLSX attached
EXTENSION = ".gnbv"
MAX_ATTACHMENT_BYTES = 16 * 1024**2
_XLSX_MAGIC = b"PK\x03\x04"


@dataclass
class PackageInfo:
    """What the manifest says about a package (everything but the checksums), and how it came."""

    commune_code: str
    commune_name: str
    sequence: int
    base_sequence: int
    created_at: str
    app_version: str
    province_name: str = ""
    upper_level: str = ""
    installation_uuid: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    attachments: list[str] = field(default_factory=list)
    signer: bytes | None = None  # verified Ed25519 public key, None for an unsigned package
    encrypted: bool = False

    @property
    def is_full(self) -> bool:
        return self.base_sequence == 0

    @property
    def kind_label(self) -> str:
        return "Đầy đủ" if self.is_full else f"Thay đổi từ gói {self.base_sequence}"


@dataclass(frozen=True)
class ExternalReference:
    """A reference the package does not resolve itself: the aggregate must already hold the target."""

    table: str
    line: int
    field: str
    target_table: str
    uuid: str


# One validated record as the aggregate stores it: UUID, change counter, updated at, deleted flag and
# the record as checked, written out again as one JSON line in UTF-8 (see _reread_batches). The
# parsed object is not kept.
RecordRow = tuple[str, int, str, int, bytes]


@dataclass
class SyncPackage:
    """A package that passed every check: records per table as :data:`RecordRow`."""

    info: PackageInfo
    records: dict[str, list[RecordRow]]
    attachments: dict[str, bytes]
    sha256: str
    external_references: list[ExternalReference] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.records.values())


def table_entry(table: str) -> str:
    return f"{table}.jsonl"


def record_schemas(columns: dict[str, list[ColumnInfo]] | None = None) -> dict[str, RecordSchema]:
    """Each synced table's record schema, from ``columns`` (``sync_outbox.synced_columns``)."""
    columns = columns if columns is not None else synced_columns()
    return {t: record_schema(t, cols, FOREIGN_KEYS.get(t, {}), DERIVED_COLUMNS.get(t, ()))
            for t, cols in columns.items()}


class SyncPackageWriter:
    """A sync package written table by table from streams of JSON lines (one object per line, no
    newline inside): only the compressed package is held, never a table's lines."""

    def __init__(self, info: PackageInfo):
        self.info = info
        self.counts: dict[str, int] = {}
        self._attachments: list[str] = []
        self._zip = PackageWriter()

    def add_table(self, table: str, lines: Iterable[str]) -> int:
        """Write ``table``'s records; returns how many."""
        self.counts[table] = 0
        self._zip.add(table_entry(table), self._encoded(table, lines))
        return self.counts[table]

    def _encoded(self, table: str, lines: Iterable[str]) -> Iterator[bytes]:
        part: list[str] = []
        size = 0
        for line in lines:
            part.append(line)
            size += len(line)
            self.counts[table] += 1
            if size >= _WRITE_CHUNK_CHARS:
                yield ("\n".join(part) + "\n").encode("utf-8")
                part, size = [], 0
        if part:
            yield ("\n".join(part) + "\n").encode("utf-8")

    def add_attachment(self, name: str, data: bytes) -> None:
        """The summary workbook (the only attachment accepted)."""
        problem = attachment_problem(name)
        if problem:
            raise ValueError(problem[0].upper() + problem[1:])
        self._zip.add(name, (data,))
        self._attachments.append(name)

    def finish(self, password: str | None = None, signing_key: bytes | None = None) -> bytes:
        """The package file's bytes: manifest written, signed with ``signing_key``, encrypted with ``password``."""
        info = self.info
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "app_version": info.app_version,
            "commune": {"code": info.commune_code, "name": info.commune_name, "province": info.province_name},
            "installation": info.installation_uuid,
            "upper_level": info.upper_level,
            "created_at": info.created_at,
            "sequence": info.sequence,
            "base_sequence": info.base_sequence,
            "counts": dict(self.counts),
            "attachments": sorted(self._attachments),
        }
        return self._zip.finish(manifest, password, signing_key)


_WRITE_CHUNK_CHARS = 256 * 1024


def build_sync_package(
    info: PackageInfo,
    tables: dict[str, Iterable[str]],
    attachments: dict[str, bytes] | None = None,
    password: str | None = None,
    signing_key: bytes | None = None,
) -> bytes:
    """The package file's bytes from each table's records as JSON lines (one object per line, no
    newline inside); ``attachments`` maps a summary workbook's name to its content."""
    for name in attachments or {}:
        problem = attachment_problem(name)
        if problem:
            raise ValueError(problem[0].upper() + problem[1:])
    writer = SyncPackageWriter(info)
    for table, lines in tables.items():
        writer.add_table(table, lines)
    for name, data in (attachments or {}).items():
        writer.add_attachment(name, data)
    return writer.finish(password, signing_key)


def read_sync_package(
    blob: bytes,
    password: str | None = None,
    *,
    limits: Limits = DEFAULT_LIMITS,
    columns: dict[str, list[ColumnInfo]] | None = None,
) -> SyncPackage:
    """Decrypt, verify, unzip and validate; raises :class:`PackageError` naming the first problem.

    Holds every record of the package at once: the merge reads with :func:`open_sync_package`
    instead, batch by batch."""
    reader = open_sync_package(blob, password, limits=limits, columns=columns)
    records: dict[str, list[RecordRow]] = {}
    reader.check()
    for table, batches in reader.tables():
        records[table] = [row for batch in batches for row in batch]
    return SyncPackage(reader.info, records, reader.attachments, sha256(blob), reader.external_references)


# Records handed to the database at a time: large enough for executemany to pay off, small enough
# that a batch costs a few megabytes.
BATCH_RECORDS = 2000
# A record is at most a few dozen texts of at most 4,000 characters; a longer "line" is refused
# before it is held whole.
MAX_LINE_BYTES = 16 * 1024**2
# The check keeps a package's records for the write up to this many bytes (a commune of about
# 6,000 households): the lines and what Python spends on each kept record besides its line; the
# tables beyond are decompressed, split and parsed again when written, so a package of any size
# costs at most this much more than one batch.
KEEP_LINES_BYTES = 48 * 1024**2
# Python's own bytes for a kept record beyond its line, counted with it against KEEP_LINES_BYTES:
# the line's bytes header (33), five list slots (40), the updated-at text (74) and the change
# counter (28). Its UUID text is the one the check's duplicate test holds anyway. Without them in
# the budget, a package at the caps (1.2 million minimal records) kept some 170 MB of keys.
KEPT_RECORD_BYTES = 176


class SyncPackageReader:
    """A package whose container, signature, manifest and attachments passed, read in a checking
    pass and a writing pass.

    :meth:`check` reads every table entry once: decompressed under the caps, its checksum
    compared, every record validated (a refusal names the entry, line and field) — all before the
    caller writes anything, so a hostile package costs reading, never writing. Within
    :data:`KEEP_LINES_BYTES` it keeps what the write needs (:class:`CheckedKeys`: UUID, change
    counter, updated at, deleted flag and the line of each record), so those records are not
    parsed or validated twice; the tables beyond are parsed again (not validated) when written.
    Then ``external_references`` lists the references the package does not resolve itself, and
    :meth:`tables` hands out the (now known valid) records in batches for writing.
    """

    def __init__(self, container: OpenContainer, info: PackageInfo, schemas: dict[str, RecordSchema],
                 attachments: dict[str, bytes]):
        self._container, self.info, self._schemas, self.attachments = container, info, schemas, attachments
        self.external_references: list[ExternalReference] = []
        self._checked: dict[str, CheckedKeys] | None = None

    def _tables(self) -> Iterator[tuple[str, RecordSchema]]:
        for table, schema in self._schemas.items():  # parents before children (records.SYNCED_TABLES)
            if table in self.info.counts:
                yield table, schema

    def check(self) -> None:
        """Validate every table entry completely; raises :class:`PackageError` on the first problem."""
        present: dict[str, set[str]] = {}
        checked: dict[str, CheckedKeys] = {}
        room = KEEP_LINES_BYTES
        for table, schema in self._tables():
            entry = self._container.verified(table_entry(table))
            try:
                keys = _check_records(schema, entry, present, self.external_references, room)
            except PackageError:
                entry.finish()  # a damaged entry is reported as damaged, not by its first odd line
                raise
            entry.finish()
            if len(keys) != self.info.counts[table]:
                raise PackageError(f"Tệp {table_entry(table)}: manifest ghi {self.info.counts[table]} bản ghi nhưng "
                                   f"tệp có {len(keys)} — gói không toàn vẹn.")
            checked[table] = keys
            room -= keys.kept_bytes
        self._checked = checked

    def tables(self) -> Iterator[tuple[str, Iterator[list[RecordRow]]]]:
        """After :meth:`check`: ``(table, batches)`` for every table the package carries, parents
        before children; each ``batches`` must be consumed before the next table is asked for."""
        if self._checked is None:
            raise RuntimeError("SyncPackageReader.tables() before check()")
        for table, schema in self._tables():
            # What the check kept of a table is let go once its records are handed out.
            keys = self._checked.pop(table)
            if keys.lines is not None:
                yield table, _kept_batches(keys, keys.lines, BATCH_RECORDS)
            else:
                yield table, _reread_batches(schema, len(keys), self._container.chunks(table_entry(table)),
                                             table_entry(table), BATCH_RECORDS)


def open_sync_package(
    blob: bytes,
    password: str | None = None,
    *,
    limits: Limits = DEFAULT_LIMITS,
    columns: dict[str, list[ColumnInfo]] | None = None,
    schemas: dict[str, RecordSchema] | None = None,
) -> SyncPackageReader:
    """Decrypt, verify the signature, the container, the manifest and the attachments; the tables
    are then checked by :meth:`SyncPackageReader.check` and read by :meth:`SyncPackageReader.tables`.
    ``schemas`` (:func:`record_schemas`) may be given once for a batch of packages, else they are
    built from ``columns``."""
    schemas = schemas if schemas is not None else record_schemas(columns)
    c = open_container(blob, format_name=FORMAT, format_version=FORMAT_VERSION, password=password, limits=limits)
    info = _info(c.manifest, list(schemas), c.signer, c.encrypted)
    tables = {table_entry(t) for t in info.counts}
    # Every entry other than the tables (the attachments, anything undeclared) is decompressed and
    # checked now, under the caps: a zip bomb is reported as one whatever else is wrong.
    others: dict[str, bytes] = {}
    for name in sorted(c.names - tables):
        entry = c.verified(name)
        others[name] = b"".join(entry)
        entry.finish()
    expected = tables | set(info.attachments)
    missing, extra = expected - c.names, c.names - expected
    if missing:
        raise PackageError(f"Gói thiếu tệp: {', '.join(sorted(missing))}.")
    if extra:
        raise PackageError(f"Gói có tệp không được khai báo: {', '.join(sorted(extra))}.")
    attachments = {}
    for name in info.attachments:
        data = others[name]
        if not data.startswith(_XLSX_MAGIC) or len(data) > MAX_ATTACHMENT_BYTES:
            raise PackageError(f"Tệp đính kèm {name} không phải bảng tính XLSX hợp lệ (hoặc quá lớn).")
        attachments[name] = data
    return SyncPackageReader(c, info, schemas, attachments)


def read_sync_info(blob: bytes, password: str | None = None, *, limits: Limits = DEFAULT_LIMITS) -> PackageInfo:
    """Check the container, the signature and the manifest only, to order a batch before reading it.

    Entry checksums and records are verified by :func:`read_sync_package`, still before any
    record of that package is written (and a batch is one transaction).
    """
    c = read_container(blob, format_name=FORMAT, format_version=FORMAT_VERSION, password=password, limits=limits,
                       read_entries=False)
    return _info(c.manifest, SYNCED_TABLES, c.signer, c.encrypted)


def _info(m: dict, known_tables: list[str], signer: bytes | None, encrypted: bool) -> PackageInfo:
    where, problem = manifest_problem(m, known_tables)
    if problem:
        raise PackageError(f"manifest.json, trường {where}: {problem}")
    commune = m["commune"]
    return PackageInfo(
        commune_code=commune["code"],
        commune_name=commune["name"].strip(),
        province_name=commune.get("province", "").strip(),
        upper_level=m.get("upper_level", "").strip(),
        installation_uuid=m.get("installation", ""),
        sequence=m["sequence"],
        base_sequence=m["base_sequence"],
        created_at=m["created_at"],
        app_version=m.get("app_version", ""),
        counts=dict(m["counts"]),
        attachments=list(m.get("attachments", [])),
        signer=signer,
        encrypted=encrypted,
    )


_BLANK_START = frozenset(b" \t\r\n\x0b\x0c")


def _lines(chunks: Iterable[bytes], entry: str) -> Iterator[bytes]:
    """The lines of a streamed entry, without ``\n`` or a trailing ``\r``; a line longer than
    :data:`MAX_LINE_BYTES` is refused before it is held whole."""
    rest = b""
    for chunk in chunks:
        text = rest + chunk if rest else chunk
        lines = text.split(b"\n")
        rest = lines.pop()
        if len(rest) > MAX_LINE_BYTES:
            raise PackageError(f"Tệp {entry}: một dòng dài hơn {MAX_LINE_BYTES // 1024**2} MB — không phải bản ghi "
                               "hợp lệ, gói bị từ chối.")
        if b"\r" in text:  # the app writes "\n" only: one search per chunk spares a test per line
            lines = [line[:-1] if line.endswith(b"\r") else line for line in lines]
        yield from lines
    if rest:
        yield rest[:-1] if rest.endswith(b"\r") else rest


class CheckedKeys:
    """What the check pass kept of one table's records, in file order, for the write pass: UUID,
    change counter, updated at and deleted flag as columns, and the records as checked, written out
    again as lines (each tombstone stripped of everything but bookkeeping and references) — all of
    them while the table fits in what is left of the package's :data:`KEEP_LINES_BYTES`, else none
    (``lines`` is None) and only the number of records: the write then reads the lines again and
    takes the rest from them."""

    __slots__ = ("count", "uuids", "counters", "updated_at", "deleted", "lines", "kept_bytes")

    def __init__(self) -> None:
        self.count = 0
        self.uuids: list[str] = []
        self.counters: list[int] = []
        self.updated_at: list[str] = []
        self.deleted: list[int] = []
        self.lines: list[bytes] | None = []
        self.kept_bytes = 0

    def __len__(self) -> int:
        return self.count

    def let_go(self) -> None:
        """Keep only the count: the table did not fit in the budget."""
        self.uuids, self.counters, self.updated_at, self.deleted, self.lines = [], [], [], [], None
        self.kept_bytes = 0


def _check_records(schema: RecordSchema, entry: VerifiedEntry, present: dict[str, set[str]],
                   external: list[ExternalReference], room: int) -> CheckedKeys:
    """Validate the table's records; returns what the write needs of them (all of it if it fits in
    ``room`` bytes, else their number only). Adds the table's UUIDs to ``present``; a reference to a record not
    in ``present`` (tables are read parents first) goes to ``external``, for the aggregate to
    resolve. This loop runs for every record of a merge: it calls the schema's compiled check and
    asks for the wording only on a refusal."""
    name = table_entry(schema.table)
    keys = CheckedKeys()
    add_uuid, add_counter, add_updated, add_deleted = (
        keys.uuids.append, keys.counters.append, keys.updated_at.append, keys.deleted.append)
    kept: list[bytes] | None = keys.lines
    room_at_start = room
    n_records = 0
    seen: set[str] = present.setdefault(schema.table, set())
    refs = [(ref_field, target, present.get(target, set())) for ref_field, target in schema.references.items()]
    known = tuple(targets for _f, _t, targets in refs)  # UUIDs of referenced tables, validated already
    valid, loads = schema.is_valid, orjson.loads
    n = 0
    for line in _lines(entry, name):
        n += 1
        if not line or (line[0] in _BLANK_START and not line.strip()):
            continue
        try:
            rec = loads(line)
        except orjson.JSONDecodeError as exc:
            raise PackageError(f"Tệp {name}, dòng {n}: không phải JSON hợp lệ ({display(exc, 80)}).") from exc
        if not valid(rec, known):
            key, problem = schema.problem(rec)
            if problem:
                where = f", trường {key}" if key else ""
                raise PackageError(f"Tệp {name}, dòng {n}{where}: {problem}")
        uuid = rec["uuid"]
        if uuid in seen:
            raise PackageError(f"Tệp {name}, dòng {n}: bản ghi {uuid} xuất hiện hai lần.")
        seen.add(uuid)
        n_records += 1
        deleted = rec["deleted"]
        if deleted == 1:
            rec = schema.tombstone(rec)
        for ref_field, target, targets in refs:
            value = rec.get(ref_field)
            if value is not None and value not in targets:
                external.append(ExternalReference(schema.table, n, ref_field, target, value))
        if kept is not None:
            line = _as_checked(rec, line)
            room -= len(line) + KEPT_RECORD_BYTES
            if room < 0:
                kept = None
                keys.let_go()
            else:
                add_uuid(uuid)
                add_counter(rec["change_counter"])
                add_updated(rec["updated_at"])
                add_deleted(deleted)
                kept.append(line)
    keys.count = n_records
    if kept is not None:
        keys.kept_bytes = room_at_start - room
    return keys


def _as_checked(rec: dict, line: bytes) -> bytes:
    """The line to store for the checked record ``rec`` parsed from ``line``: ``line`` itself when
    it says exactly ``rec`` (as the app writes it), else ``rec`` written out again. JSON lets a line
    give a key twice, which the check reads as its last value and SQLite's ``json_extract`` (the
    upper level's statistics and references) as its first; a tombstone is stored stripped.

    The copy out of orjson's result is what is kept: orjson leaves each result in a buffer of some
    4 KB, and kept tombstones of 200 bytes took about ten times :data:`KEEP_LINES_BYTES`."""
    written = orjson.dumps(rec)
    return line if written == line else memoryview(written).tobytes()


def _kept_batches(keys: CheckedKeys, lines: list[bytes], batch_records: int) -> Iterator[list[RecordRow]]:
    """The checked table's records in batches, from the ``lines`` the check kept."""
    for start in range(0, len(keys), batch_records):
        end = start + batch_records
        yield list(zip(keys.uuids[start:end], keys.counters[start:end], keys.updated_at[start:end],
                       keys.deleted[start:end], lines[start:end], strict=True))


def _reread_batches(schema: RecordSchema, count: int, chunks: Iterator[bytes], name: str,
                    batch_records: int) -> Iterator[list[RecordRow]]:
    """The checked table's records in batches, its lines read again: the entry passed its checksum
    in the check and is read from the same bytes, so it holds the same valid records in the same
    order. Each is parsed again for what the write needs, a tombstone stripped and the line made
    :func:`_as_checked` as in the check; only the current batch is held."""
    loads, tombstone = orjson.loads, schema.tombstone
    done = 0
    batch: list[RecordRow] = []
    for line in _lines(chunks, name):
        if not line or (line[0] in _BLANK_START and not line.strip()):
            continue
        rec = loads(line)
        deleted = rec["deleted"]
        if deleted == 1:
            rec = tombstone(rec)
        batch.append((rec["uuid"], rec["change_counter"], rec["updated_at"], deleted, _as_checked(rec, line)))
        if len(batch) >= batch_records:
            yield batch
            done += len(batch)
            batch = []
    if batch:
        yield batch
        done += len(batch)
    if done != count:
        raise RuntimeError(f"{name}: {done} records read back, {count} checked")
