"""The commune's side of sync: which records a package carries, and the history of packages sent.

Every table in ``records.SYNCED_TABLES`` travels as whole records; a local integer reference
(``records.FOREIGN_KEYS``) travels as the referenced row's UUID under :func:`reference_field`,
because ids differ between databases. Nothing here knows a table by name, so a table added to
those two lists travels without changes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlite_utils import Database

from gnbv_desktop.core.sync_schema import BOOKKEEPING, LOCAL_COLUMNS, ColumnInfo, reference_field
from gnbv_desktop.store import migrations
from gnbv_desktop.store.records import DERIVED_COLUMNS, FOREIGN_KEYS, SYNCED_TABLES, now_iso
from gnbv_desktop.store.settings import get_value
from gnbv_desktop.store.sync_identity import highest_sequence, raise_highest_sequence


@dataclass
class ExportRecord:
    """One package the commune exported (Lịch sử gửi gói)."""

    sequence: int
    base_sequence: int
    is_full: bool
    rev_from: int
    rev_to: int
    created_at: str
    file_name: str
    counts: dict[str, int] = field(default_factory=dict)
    sha256: str = ""
    encrypted: bool = False

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class ExportPlan:
    """What the next package will be: its number, what it builds on and the revisions it covers."""

    sequence: int
    base_sequence: int
    rev_from: int
    rev_to: int

    @property
    def is_full(self) -> bool:
        return self.base_sequence == 0


def current_rev(db: Database) -> int:
    return int(get_value(db, "last_rev", "0"))


def list_exports(db: Database) -> list[ExportRecord]:
    """Packages exported so far, newest first."""
    rows = db.execute(
        "SELECT sequence, base_sequence, is_full, rev_from, rev_to, created_at, file_name, counts, sha256, encrypted "
        "FROM sync_exports ORDER BY sequence DESC"
    ).fetchall()
    return [
        ExportRecord(r[0], r[1], bool(r[2]), r[3], r[4], r[5], r[6], json.loads(r[7]), r[8], bool(r[9])) for r in rows
    ]


def last_export(db: Database) -> ExportRecord | None:
    exports = list_exports(db)
    return exports[0] if exports else None


def plan_export(db: Database, full: bool = False) -> ExportPlan:
    """Numbered after the highest number this installation ever issued (never reused); incremental
    after the last package unless ``full``, nothing was exported yet, or the history is not the
    one that issued the last number (``gnbv demo --replace`` emptied it, or an older backup was
    restored): then the upper level holds changes this database no longer knows, and only a full
    package can replace them."""
    last = last_export(db)
    highest = highest_sequence(db)
    sequence = highest + 1
    if full or last is None or last.sequence != highest:
        return ExportPlan(sequence, 0, 0, current_rev(db))
    return ExportPlan(sequence, last.sequence, last.rev_to, current_rev(db))


def synced_columns(db: Database | None = None) -> dict[str, list[ColumnInfo]]:
    """Each synced table's columns as this version's schema defines them (``PRAGMA table_info``),
    from which ``core.sync_schema`` builds what a package record may carry. Without a database,
    from a fresh in-memory one."""
    if db is None:
        memory = Database(memory=True)
        migrations.apply(memory)
        try:
            return synced_columns(memory)
        finally:
            memory.close()
    out = {}
    for table in SYNCED_TABLES:
        rows = db.execute(f"PRAGMA table_info([{table}])").fetchall()
        out[table] = [ColumnInfo(name, col_type or "", bool(notnull), default is not None or bool(pk))
                      for _cid, name, col_type, notnull, default, pk in rows]
    return out


def _json_select(db: Database, table: str) -> str:
    """SQL building each row's package record as JSON inside SQLite (fast: no Python per value).

    Columns become keys in table order, except local and derived ones (``records.DERIVED_COLUMNS``:
    search and sort keys each database computes itself); a reference column becomes its ``*_uuid`` key holding the
    referenced row's UUID. A deleted row travels as a tombstone: bookkeeping and references only,
    no personal data. Pairs are split into chunks joined with ``json_patch`` because SQLite
    functions take at most 127 arguments.
    """
    refs = FOREIGN_KEYS.get(table, {})
    pairs, tombstone = [], []
    skip = (*LOCAL_COLUMNS, *DERIVED_COLUMNS.get(table, ()))
    for col in [c.name for c in db[table].columns if c.name not in skip]:
        if col in refs:
            pair = f"'{reference_field(col)}', (SELECT r.uuid FROM [{refs[col]}] r WHERE r.id = t.[{col}])"
            tombstone.append(pair)
        else:
            pair = f"'{col}', t.[{col}]"
            if col in BOOKKEEPING:
                tombstone.append(pair)
        pairs.append(pair)
    chunks = [f"json_object({', '.join(pairs[i:i + 60])})" for i in range(0, len(pairs), 60)]
    expr = chunks[0]
    for chunk in chunks[1:]:
        expr = f"json_patch({expr}, {chunk})"
    expr = f"CASE WHEN t.deleted = 1 THEN json_object({', '.join(tombstone)}) ELSE {expr} END"
    return f"SELECT {expr} FROM [{table}] t WHERE t.rev > ? AND t.rev <= ? ORDER BY t.id"


def iter_export_lines(db: Database, table: str, rev_from: int, rev_to: int) -> Iterator[str]:
    """Rows of ``table`` changed in (rev_from, rev_to], soft-deleted ones included, as JSON lines,
    one at a time from the cursor (an export of any size holds none of them)."""
    for (line,) in db.execute(_json_select(db, table), [rev_from, rev_to]):
        yield line


def export_lines(db: Database, table: str, rev_from: int, rev_to: int) -> list[str]:
    """:func:`iter_export_lines` as a list."""
    return list(iter_export_lines(db, table, rev_from, rev_to))


def export_rows(db: Database, table: str, rev_from: int, rev_to: int) -> list[dict]:
    """The same records as :func:`export_lines`, parsed."""
    return [json.loads(line) for line in export_lines(db, table, rev_from, rev_to)]


def collect_changes(db: Database, plan: ExportPlan) -> dict[str, list[str]]:
    """Every synced table's JSON lines for ``plan``, parents before children."""
    return {table: export_lines(db, table, plan.rev_from, plan.rev_to) for table in SYNCED_TABLES}


def record_export(
    db: Database, plan: ExportPlan, file_name: str, counts: dict[str, int], sha: str, encrypted: bool
) -> ExportRecord:
    rec = ExportRecord(
        plan.sequence, plan.base_sequence, plan.is_full, plan.rev_from, plan.rev_to, now_iso(), file_name,
        counts, sha, encrypted,
    )
    with db.atomic():
        db.execute(
            "INSERT INTO sync_exports (sequence, base_sequence, is_full, rev_from, rev_to, created_at, file_name, "
            "counts, sha256, encrypted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [rec.sequence, rec.base_sequence, int(rec.is_full), rec.rev_from, rec.rev_to, rec.created_at,
             rec.file_name, json.dumps(counts), sha, int(encrypted)],
        )
        raise_highest_sequence(db, rec.sequence)
    return rec


def count_changes(db: Database, plan: ExportPlan) -> int:
    """How many records the package of ``plan`` would carry (shown before exporting)."""
    return sum(
        db.execute(f"SELECT COUNT(*) FROM [{t}] WHERE rev > ? AND rev <= ?", [plan.rev_from, plan.rev_to]).fetchone()[0]
        for t in SYNCED_TABLES
    )
