"""The upper level's aggregate database: communes' records merged from their sync packages.

Records are kept per (table, commune code, UUID) in ``sync_records`` as the JSON line they arrived
as; the copy with the higher change counter wins (the later ``updated_at`` on a tie), and a
deletion is a record with ``deleted = 1`` like any other change, so replaying a package changes
nothing. Which packages each commune has sent is kept to detect gaps in incremental packages.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from operator import itemgetter
from typing import TYPE_CHECKING

from gnbv_desktop.core.classifications import CLASSIFICATIONS, POOR
from gnbv_desktop.core.review import ESCAPED_POOR, TRANSITIONS
from gnbv_desktop.core.signing import fingerprint
from gnbv_desktop.store.index_rebuild import indexes_suspended
from gnbv_desktop.store.records import now_iso
from gnbv_desktop.store.settings import MODE_AGGREGATE, is_aggregate, load_settings, set_value

if TYPE_CHECKING:
    from sqlite_utils import Database


class AggregateError(ValueError):
    """The database cannot act as (or become) an aggregate; message for the user."""


@dataclass
class CommuneStatus:
    """One commune as the upper level sees it (Tình trạng các xã)."""

    code: str
    name: str
    province_name: str
    last_sequence: int
    last_created_at: str
    last_imported_at: str
    packages: int
    counts: dict[str, int] = field(default_factory=dict)
    missing: list[tuple[int, int]] = field(default_factory=list)
    fingerprint: str = ""

    @property
    def households(self) -> int:
        return self.counts.get("households", 0)


@dataclass
class MergeCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: MergeCounts) -> None:
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged

    def as_dict(self) -> dict[str, int]:
        return {"new": self.new, "updated": self.updated, "unchanged": self.unchanged}


def is_blank(db: Database) -> bool:
    """A database with no commune, no households and no package history (may become an aggregate)."""
    if load_settings(db).is_configured:
        return False
    for table in ("households", "sync_exports"):
        if db.execute(f"SELECT 1 FROM [{table}] LIMIT 1").fetchone():
            return False
    return True


def make_aggregate(db: Database, office_name: str = "") -> None:
    """Switch a blank database to aggregate mode (Chế độ cấp trên); a commune's data is never converted."""
    if is_aggregate(db):
        return
    if not is_blank(db):
        raise AggregateError(
            "Cơ sở dữ liệu này đang chứa dữ liệu của một xã, không thể chuyển sang chế độ cấp trên. "
            "Hãy tạo một tệp dữ liệu mới cho cấp trên."
        )
    with db.atomic():
        set_value(db, "mode", MODE_AGGREGATE)
        if office_name.strip():
            set_value(db, "commune_name", office_name.strip())


def imported_package_id(db: Database, commune_code: str, sha: str) -> int | None:
    row = db.execute(
        "SELECT id FROM sync_packages WHERE commune_code = ? AND sha256 = ?", [commune_code, sha]
    ).fetchone()
    return row[0] if row else None


def missing_sequences(db: Database, commune_code: str, base_sequence: int) -> list[tuple[int, int]]:
    """Sequences an incremental package built on ``base_sequence`` needs and the aggregate lacks,
    as ``(first, last)`` ranges.

    Everything after the latest full package at or below the base must have arrived. Computed from
    the sequences received, never by listing the numbers in between: a forged ``sequence`` of
    2^62 costs one range, not a list of every missing number.
    """
    if base_sequence == 0:
        return []
    row = db.execute(
        "SELECT MAX(sequence) FROM sync_packages WHERE commune_code = ? AND is_full = 1 AND sequence <= ?",
        [commune_code, base_sequence],
    ).fetchone()
    start = row[0] + 1 if row[0] is not None else 1
    received = [s for (s,) in db.execute(
        "SELECT DISTINCT sequence FROM sync_packages WHERE commune_code = ? AND sequence BETWEEN ? AND ? "
        "ORDER BY sequence", [commune_code, start, base_sequence])]
    gaps, expected = [], start
    for seq in [*received, base_sequence + 1]:
        if seq > expected:
            gaps.append((expected, seq - 1))
        expected = seq + 1
    return gaps


def latest_package(db: Database, commune_code: str, *, full_only: bool = False) -> tuple[int, str] | None:
    """``(sequence, created_at)`` of the newest package held for the commune (of the newest full
    one with ``full_only``): by number, then by creation time for a number reused by an older version."""
    row = db.execute(
        "SELECT sequence, created_at FROM sync_packages WHERE commune_code = ?"
        + (" AND is_full = 1" if full_only else "") + " ORDER BY sequence DESC, created_at DESC LIMIT 1",
        [commune_code],
    ).fetchone()
    return (row[0], row[1]) if row else None


def sequence_taken(db: Database, commune_code: str, sequence: int, sha: str) -> bool:
    """Whether the commune's number ``sequence`` already came with other content (a reused number)."""
    return db.execute(
        "SELECT 1 FROM sync_packages WHERE commune_code = ? AND sequence = ? AND sha256 <> ? LIMIT 1",
        [commune_code, sequence, sha],
    ).fetchone() is not None


@dataclass(frozen=True)
class Binding:
    """What the upper level bound a commune code to at its first package."""

    code: str
    name: str
    installation_uuid: str
    public_key: bytes | None
    pinned_at: str


def binding(db: Database, commune_code: str) -> Binding | None:
    row = db.execute(
        "SELECT commune_name, installation_uuid, public_key, pinned_at FROM sync_communes WHERE commune_code = ?",
        [commune_code],
    ).fetchone()
    if row is None:
        return None
    return Binding(commune_code, row[0], row[1], bytes.fromhex(row[2]) if row[2] else None, row[3])


def bind_commune(db: Database, *, commune_code: str, commune_name: str, province_name: str,
                 installation_uuid: str, public_key: bytes | None) -> None:
    """Bind (or re-bind, for a replacement) a commune code to its installation, name and key,
    inside the caller's transaction. An empty installation or key never overwrites a known one."""
    db.execute(
        "INSERT INTO sync_communes (commune_code, commune_name, province_name, installation_uuid, public_key, "
        "pinned_at) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(commune_code) DO UPDATE SET commune_name = excluded.commune_name, "
        "province_name = excluded.province_name, "
        "installation_uuid = CASE WHEN excluded.installation_uuid = '' THEN installation_uuid "
        "ELSE excluded.installation_uuid END, "
        "public_key = CASE WHEN excluded.public_key = '' THEN public_key ELSE excluded.public_key END, "
        "pinned_at = CASE WHEN excluded.public_key = '' OR excluded.public_key = public_key THEN pinned_at "
        "ELSE excluded.pinned_at END",
        [commune_code, commune_name, province_name, installation_uuid, public_key.hex() if public_key else "",
         now_iso() if public_key else ""],
    )


def remove_commune_data(db: Database, commune_code: str) -> int:
    """Delete everything a commune sent (records, attachments, package history) inside the caller's
    transaction, before a full package replaces it; returns how many records went."""
    gone = db.execute("DELETE FROM sync_records WHERE commune_code = ?", [commune_code]).rowcount
    db.execute("DELETE FROM sync_attachments WHERE commune_code = ?", [commune_code])
    db.execute("DELETE FROM sync_packages WHERE commune_code = ?", [commune_code])
    db.execute("UPDATE sync_communes SET last_sequence = 0, last_created_at = '', counts = '{}' "
               "WHERE commune_code = ?", [commune_code])
    return gone


def unresolved_reference(db: Database, commune_code: str, references: list) -> object | None:
    """The first of ``references`` (objects with ``target_table`` and ``uuid``) whose target the
    aggregate does not hold for this commune, or None."""
    sql = "SELECT 1 FROM sync_records WHERE table_name = ? AND commune_code = ? AND uuid = ?"
    checked: set[tuple[str, str]] = set()
    for ref in references:
        key = (ref.target_table, ref.uuid)
        if key in checked:
            continue
        if db.execute(sql, [ref.target_table, commune_code, ref.uuid]).fetchone() is None:
            return ref
        checked.add(key)
    return None


def begin_package(
    db: Database,
    *,
    commune_code: str,
    commune_name: str,
    province_name: str,
    sequence: int,
    base_sequence: int,
    created_at: str,
    file_name: str,
    sha: str,
    counts: dict[str, int],
    forced: bool,
    installation_uuid: str = "",
    encrypted: bool = False,
    signed: bool = False,
    replaced_data: bool = False,
) -> int:
    """Register an incoming package (inside the caller's transaction, after :func:`bind_commune`);
    returns its id."""
    cur = db.execute(
        "INSERT INTO sync_packages (commune_code, sequence, base_sequence, is_full, created_at, imported_at, "
        "file_name, sha256, counts, forced, installation_uuid, encrypted, signed, replaced_data) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [commune_code, sequence, base_sequence, int(base_sequence == 0), created_at, now_iso(), file_name, sha,
         json.dumps(counts), int(forced), installation_uuid, int(encrypted), int(signed), int(replaced_data)],
    )
    return cur.lastrowid


def _upsert_sql(table: str, commune_code: str, package_id: int) -> str:
    """The upsert of one table's records of one package: the table, commune code and package id
    are the same for every row, so they are written into the statement once and each row binds
    only its own five values (building an eight-value tuple per record showed in the profile).
    The table is a synced table's name and the code passed ``COMMUNE_CODE_PATTERN`` (letters,
    digits, ``-``, ``_``); both are quoted all the same."""
    return _insert_sql(table, commune_code, package_id) + """
ON CONFLICT (table_name, commune_code, uuid) DO UPDATE SET
    change_counter = excluded.change_counter, updated_at = excluded.updated_at, deleted = excluded.deleted,
    data = excluded.data, package_id = excluded.package_id
WHERE excluded.change_counter > sync_records.change_counter
   OR (excluded.change_counter = sync_records.change_counter AND excluded.updated_at > sync_records.updated_at)
"""


def _insert_sql(table: str, commune_code: str, package_id: int) -> str:
    """The plain insert of one table's records of one package (see :func:`_upsert_sql`)."""
    return f"""
INSERT INTO sync_records (table_name, commune_code, package_id, uuid, change_counter, updated_at, deleted, data)
VALUES ({_quoted(table)}, {_quoted(commune_code)}, {int(package_id)}, ?, ?, ?, ?, CAST(? AS TEXT))"""


def _quoted(text: str) -> str:
    """An SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def statistics_indexes_suspended(db: Database, incoming_records: int) -> AbstractContextManager[None]:
    """Inside the caller's transaction: the JSON indexes of ``sync_records`` set aside while a batch
    of ``incoming_records`` is merged when rebuilding them afterwards costs less than maintaining
    them record by record (:func:`..index_rebuild.indexes_suspended`)."""
    return indexes_suspended(db, {"sync_records": incoming_records})


# uuid, change counter, updated at, deleted, the JSON line (str, or UTF-8 bytes stored as text)
MergeRow = tuple[str, int, str, int, "str | bytes"]


def merge_records(db: Database, package_id: int, commune_code: str, table: str,
                  batches: Iterable[Sequence[MergeRow]], live: dict[str, int] | None = None) -> MergeCounts:
    """Upsert one table's records of a package, given batch by batch (only one batch is held at a
    time); older or equal copies leave the stored one alone. Each batch goes in UUID order, so it
    touches neighbouring pages of the (table, commune, UUID) key. When the aggregate held nothing
    of this table for the commune, the records not deleted are counted into ``live[table]`` (what
    :func:`finish_package` would otherwise count again)."""
    count_sql = "SELECT COUNT(*) FROM sync_records WHERE table_name = ? AND commune_code = ?"
    before = db.execute(count_sql, [table, commune_code]).fetchone()[0]
    if before == 0:
        # Every record is new (a package's UUIDs are unique): a plain insert, no conflict handling.
        total = not_deleted = 0
        sql = _insert_sql(table, commune_code, package_id)
        for records in batches:
            db.conn.executemany(sql, sorted(records))
            total += len(records)
            not_deleted += len(records) - sum(map(itemgetter(3), records))
        if live is not None:
            live[table] = not_deleted
        return MergeCounts(new=total)
    changed = total = 0
    sql = _upsert_sql(table, commune_code, package_id)
    for records in batches:
        changed += max(db.conn.executemany(sql, sorted(records)).rowcount, 0)
        total += len(records)
    new = db.execute(count_sql, [table, commune_code]).fetchone()[0] - before
    return MergeCounts(new, changed - new, total - changed)


def store_attachments(db: Database, package_id: int, commune_code: str, files: dict[str, tuple[str, bytes]]) -> None:
    """Keep a package's attachments (name → (sha256, bytes)); a newer package's file replaces the older."""
    for name, (sha, data) in files.items():
        db.execute("DELETE FROM sync_attachments WHERE commune_code = ? AND name = ?", [commune_code, name])
        db.execute(
            "INSERT INTO sync_attachments (package_id, commune_code, name, sha256, data) VALUES (?, ?, ?, ?, ?)",
            [package_id, commune_code, name, sha, data],
        )


def finish_package(db: Database, package_id: int, applied: MergeCounts, live: dict[str, int] | None = None) -> None:
    """Record what the merge did and move the commune's "last package" forward; ``live``: records
    not deleted of the tables :func:`merge_records` counted, the others are counted here."""
    db.execute("UPDATE sync_packages SET applied = ? WHERE id = ?", [json.dumps(applied.as_dict()), package_id])
    code, seq, created, imported = db.execute(
        "SELECT commune_code, sequence, created_at, imported_at FROM sync_packages WHERE id = ?", [package_id]
    ).fetchone()
    db.execute(
        "UPDATE sync_communes SET last_sequence = ?, last_created_at = ?, last_imported_at = ? "
        "WHERE commune_code = ? AND last_sequence <= ?",
        [seq, created, imported, code, seq],
    )
    counts = live_counts(db, code, live or {})
    db.execute("UPDATE sync_communes SET last_imported_at = ?, counts = ? WHERE commune_code = ?",
               [imported, json.dumps(counts), code])


# The table names held, each found by one seek in the (table, commune, UUID) key.
_TABLES_HELD_SQL = """
WITH RECURSIVE held(name) AS (
    SELECT MIN(table_name) FROM sync_records
    UNION ALL
    SELECT (SELECT MIN(table_name) FROM sync_records WHERE table_name > held.name) FROM held WHERE held.name IS NOT NULL
)
SELECT name FROM held WHERE name IS NOT NULL
"""


def live_counts(db: Database, commune_code: str, known: dict[str, int]) -> dict[str, int]:
    """The commune's records that are not deleted, per table (those with none left out); the
    tables in ``known`` are taken from it.

    Counted table by table through the (table, commune, UUID) key, so the cost is the commune's
    own records: counting by commune alone would read every record of every commune, once per
    package merged."""
    counts = {}
    for (table,) in db.execute(_TABLES_HELD_SQL).fetchall():
        n = known[table] if table in known else db.execute(
            "SELECT COUNT(*) FROM sync_records WHERE table_name = ? AND commune_code = ? AND deleted = 0",
            [table, commune_code]).fetchone()[0]
        if n:
            counts[table] = n
    return counts


def attachments_of(db: Database, commune_code: str) -> dict[str, bytes]:
    """The latest attachment of each name a commune sent (annex PDF, summary XLSX…)."""
    return dict(
        db.execute("SELECT name, data FROM sync_attachments WHERE commune_code = ? ORDER BY name", [commune_code])
    )


def commune_statuses(db: Database) -> list[CommuneStatus]:
    """Every commune that sent a package, by name, with live record counts and missing packages."""
    packages = dict(db.execute("SELECT commune_code, COUNT(*) FROM sync_packages GROUP BY 1").fetchall())
    out = []
    for code, name, province, last_seq, created, imported, counts, key in db.execute(
        "SELECT commune_code, commune_name, province_name, last_sequence, last_created_at, last_imported_at, counts, "
        "public_key FROM sync_communes ORDER BY commune_name, commune_code"
    ).fetchall():
        out.append(
            CommuneStatus(code, name, province, last_seq, created, imported, packages.get(code, 0),
                          json.loads(counts), missing_sequences(db, code, last_seq),
                          fingerprint(bytes.fromhex(key)) if key else "")
        )
    return out


def records_of(db: Database, commune_code: str, table: str, *, include_deleted: bool = True) -> dict[str, dict]:
    """A commune's merged records of one table, UUID → record (as the commune sent it)."""
    sql = "SELECT uuid, data FROM sync_records WHERE table_name = ? AND commune_code = ?"
    if not include_deleted:
        sql += " AND deleted = 0"
    return {u: json.loads(d) for u, d in db.execute(sql, [table, commune_code])}


_STATS_SQL = """
SELECT a.commune_code,
       json_extract(a.data, '$.classification') AS cls,
       COUNT(*),
       SUM(1 + (SELECT COUNT(*) FROM sync_records m
                WHERE m.table_name = 'members' AND m.deleted = 0 AND m.commune_code = a.commune_code
                  AND json_extract(m.data, '$.household_uuid') = json_extract(a.data, '$.household_uuid'))),
       SUM(EXISTS (SELECT 1 FROM sync_records p
                   WHERE p.table_name = 'assessments' AND p.deleted = 0
                     AND json_extract(p.data, '$.year') = :year - 1 AND p.commune_code = a.commune_code
                     AND json_extract(p.data, '$.household_uuid') = json_extract(a.data, '$.household_uuid')
                     AND json_extract(p.data, '$.standard_id') = json_extract(a.data, '$.standard_id')
                     AND json_extract(p.data, '$.classification') = :poor))
FROM sync_records a
JOIN sync_records h ON h.table_name = 'households' AND h.commune_code = a.commune_code
                   AND h.uuid = json_extract(a.data, '$.household_uuid') AND h.deleted = 0
WHERE a.table_name = 'assessments' AND a.deleted = 0 AND json_extract(a.data, '$.year') = :year
GROUP BY 1, 2
"""


_TRANSITIONS_SQL = """
SELECT t.commune_code, json_extract(t.data, '$.kind'), COUNT(*),
       SUM(MAX(1 + (SELECT COUNT(*) FROM sync_records m
                    WHERE m.table_name = 'members' AND m.deleted = 0 AND m.commune_code = t.commune_code
                      AND json_extract(m.data, '$.household_uuid') = h.uuid),
               COALESCE(json_extract(h.data, '$.declared_size'), 0)))
FROM sync_records t
JOIN sync_records h ON h.table_name = 'households' AND h.commune_code = t.commune_code
                   AND h.uuid = json_extract(t.data, '$.household_uuid') AND h.deleted = 0
WHERE t.table_name = 'transitions' AND t.deleted = 0 AND json_extract(t.data, '$.year') = :year
GROUP BY 1, 2
"""


def _transition_bucket() -> dict:
    return dict.fromkeys(TRANSITIONS, 0) | {"escaped_poor": 0, "people": dict.fromkeys((*TRANSITIONS, "escaped_poor"), 0)}


def aggregate_transitions(db: Database, year: int) -> tuple[dict | None, dict[str, dict]]:
    """Movements of ``year`` over the communes whose review of that year is closed (their packages
    carry the closed review): the total (None when no commune has closed it) and each closed
    commune's own, in the shape of the commune's ``transition_counts``. A deleted household's
    movement is not counted, as at the commune."""
    closed: dict[str, dict] = {}
    for code, data in db.execute(
        """SELECT commune_code, data FROM sync_records
           WHERE table_name = 'reviews' AND deleted = 0 AND json_extract(data, '$.year') = ?""", [year]):
        review = json.loads(data)
        closed[code] = _transition_bucket() | {
            "decision_number": review.get("decision_number", ""), "decision_date": review.get("decision_date", ""),
            "standard_id": review.get("standard_id", "")}
    if not closed:
        return None, {}
    total = _transition_bucket() | {"communes_closed": len(closed)}
    for code, kind, n, people in db.execute(_TRANSITIONS_SQL, {"year": year}):
        if code not in closed or kind not in TRANSITIONS:
            continue
        for b in (total, closed[code]):
            b[kind] += n
            b["people"][kind] += people
            if kind in ESCAPED_POOR:
                b["escaped_poor"] += n
                b["people"]["escaped_poor"] += people
    return total, closed


def aggregate_stats(db: Database, year: int) -> dict:
    """The year's lists across communes: totals and ``by_commune`` (households by classification).

    Mirrors the commune's ``households.stats``: a household counts when it is not deleted and has
    a (not deleted) assessment for ``year``; members are the head plus non-deleted members;
    ``escaped`` counts households poor the year before and not poor now; ``transitions`` sums the
    movements of the communes that closed the year's review (:func:`aggregate_transitions`).
    """

    def bucket(name: str) -> dict:
        return {"name": name, "households": 0, "members": 0,
                "by_classification": {c: 0 for c in (*CLASSIFICATIONS, "escaped")}}

    names = dict(db.execute("SELECT commune_code, commune_name FROM sync_communes").fetchall())
    by_commune = {code: bucket(name) for code, name in sorted(names.items(), key=lambda kv: (kv[1], kv[0]))}
    total = bucket("")
    for code, cls, households, members, poor_before in db.execute(_STATS_SQL, {"year": year, "poor": POOR}):
        for b in (total, by_commune.setdefault(code, bucket(code))):
            b["households"] += households
            b["members"] += members
            b["by_classification"][cls] = b["by_classification"].get(cls, 0) + households
            if cls not in (POOR, ""):
                b["by_classification"]["escaped"] += poor_before
    del total["name"]
    total["transitions"], closed = aggregate_transitions(db, year)
    for code, b in by_commune.items():
        b["transitions"] = closed.get(code)
    return {"year": year, "communes": len(by_commune), **total, "by_commune": by_commune}
