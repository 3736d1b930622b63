"""The commune's side of sync: which records a package carries, and the history of packages sent.

Every table in ``records.SYNCED_TABLES`` travels as whole records; a local integer reference
(``records.FOREIGN_KEYS``) travels as the referenced row's UUID under :func:`reference_field`,
because ids differ between databases. Nothing here knows a table by name, so a table added to
those two lists travels without changes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlite_utils import Database

from gnbv_desktop.store.records import FOREIGN_KEYS, SYNCED_TABLES, now_iso
from gnbv_desktop.store.settings import get_value

# Columns that stay local: the row id differs per database and ``rev`` is the commune's clock.
LOCAL_COLUMNS = ("id", "rev")
REQUIRED_FIELDS = ("uuid", "created_at", "updated_at", "change_counter", "deleted")


def reference_field(column: str) -> str:
    """Name a reference carries in a package: ``household_id`` → ``household_uuid``."""
    return (column[:-3] if column.endswith("_id") else column) + "_uuid"


def reference_fields(table: str) -> dict[str, str]:
    """Package field → referenced table, for one synced table."""
    return {reference_field(col): target for col, target in FOREIGN_KEYS.get(table, {}).items()}


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
    """Incremental after the last package unless ``full`` or nothing was exported yet."""
    last = last_export(db)
    sequence = (last.sequence + 1) if last else 1
    if full or last is None:
        return ExportPlan(sequence, 0, 0, current_rev(db))
    return ExportPlan(sequence, last.sequence, last.rev_to, current_rev(db))


def export_rows(db: Database, table: str, rev_from: int, rev_to: int) -> list[dict]:
    """Rows of ``table`` changed in (rev_from, rev_to], soft-deleted ones included, package-shaped."""
    refs = FOREIGN_KEYS.get(table, {})
    lookups = {col: dict(db.execute(f"SELECT id, uuid FROM [{target}]").fetchall()) for col, target in refs.items()}
    cursor = db.execute(f"SELECT * FROM [{table}] WHERE rev > ? AND rev <= ? ORDER BY id", [rev_from, rev_to])
    columns = [d[0] for d in cursor.description]
    out = []
    for row in cursor:
        record = {}
        for col, value in zip(columns, row, strict=True):
            if col in LOCAL_COLUMNS:
                continue
            if col in refs:
                record[reference_field(col)] = lookups[col].get(value) if value is not None else None
            else:
                record[col] = value
        out.append(record)
    return out


def collect_changes(db: Database, plan: ExportPlan) -> dict[str, list[dict]]:
    """Every synced table's rows for ``plan``, parents before children."""
    return {table: export_rows(db, table, plan.rev_from, plan.rev_to) for table in SYNCED_TABLES}


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
    return rec
