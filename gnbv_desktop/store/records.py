"""Bookkeeping shared by every synced record: UUID, timestamps, change counter, global revision.

``rev`` is a commune-wide, ever-increasing number bumped on every write; an incremental sync
package sends the rows whose ``rev`` is above the last exported one. ``change_counter`` counts
the edits of one record and decides which copy wins when the upper level merges.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


# Tables whose rows travel to the upper level, parents before children.
SYNCED_TABLES = ["villages", "households", "members", "assessments"]
SYNCED_TABLES += ["helpers", "helper_assignments", "household_plans", "plan_items", "commune_plans"]
SYNCED_TABLES += ["resident_households", "reviews", "transitions"]
# Local integer references of each synced table: column → referenced table. A sync package
# carries the referenced row's UUID instead, because ids differ between databases.
FOREIGN_KEYS: dict[str, dict[str, str]] = {
    "villages": {},
    "households": {"village_id": "villages"},
    "members": {"household_id": "households"},
    "assessments": {"household_id": "households"},
}
FOREIGN_KEYS |= {
    "helpers": {},
    "helper_assignments": {"household_id": "households", "helper_id": "helpers"},
    "household_plans": {"household_id": "households"},
    "plan_items": {"household_id": "households"},
    "commune_plans": {},
}
FOREIGN_KEYS |= {"resident_households": {"village_id": "villages"}, "reviews": {}, "transitions": {"household_id": "households"}}

# Columns a synced table derives from its own fields for local search and sort. They never
# travel in a package: a database that writes such a row computes them itself (every household
# write goes through ``households._household_values``); the aggregate keeps records as JSON and
# never writes the households table.
DERIVED_COLUMNS: dict[str, tuple[str, ...]] = {"households": ("search_key", "sort_key")}


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def next_rev(db: Database) -> int:
    """Reserve the next revision number (inside the caller's transaction)."""
    row = db.execute("SELECT value FROM settings WHERE key = 'last_rev'").fetchone()
    rev = int(row[0]) + 1 if row else 1
    db.execute(
        "INSERT INTO settings (key, value) VALUES ('last_rev', ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [str(rev)],
    )
    return rev


# The bookkeeping columns of a new synced row, in the order of :func:`new_record_values`.
RECORD_COLUMNS = ("uuid", "created_at", "updated_at", "change_counter", "rev", "deleted")


def new_record_values(uuid: str, ts: str, rev: int) -> tuple:
    """A new record's bookkeeping in :data:`RECORD_COLUMNS` order: first edit, alive, created now."""
    return (uuid, ts, ts, 1, rev, 0)


def new_record_fields(db: Database, rev: int | None = None) -> dict:
    import uuid  # here, with the first new record: the app's start reads only

    ts = now_iso()
    values = new_record_values(str(uuid.uuid4()), ts, rev if rev is not None else next_rev(db))
    return dict(zip(RECORD_COLUMNS, values, strict=True))


def touch(db: Database, table: str, row_id: int, values: dict, rev: int | None = None) -> None:
    """Update ``values`` on one row and advance its bookkeeping."""
    fields = dict(values)
    fields["updated_at"] = now_iso()
    fields["rev"] = rev if rev is not None else next_rev(db)
    sets = ", ".join(f"[{k}] = ?" for k in fields)
    db.execute(
        f"UPDATE [{table}] SET {sets}, change_counter = change_counter + 1 WHERE id = ?",
        [*fields.values(), row_id],
    )


def replace_rows(
    db: Database,
    table: str,
    existing_ids: set[int],
    records: list[tuple[int | None, dict]],
    rev: int,
    pending_inserts: list[dict] | None = None,
) -> list[dict | None]:
    """Make a parent's child rows (members, plan items…) equal to ``records``.

    ``records`` are ``(id or None, values)`` in order: known ids are updated, others inserted
    (immediately, or appended to ``pending_inserts`` for a later bulk insert), and existing rows
    not listed are soft-deleted so the deletion travels upward. Returns, per record, the fields
    of the row inserted now (with its ``id`` and ``uuid``) or ``None``.
    """
    kept: set[int] = set()
    created: list[dict | None] = []
    for row_id, values in records:
        if row_id is not None and row_id in existing_ids:
            touch(db, table, row_id, values, rev)
            kept.add(row_id)
            created.append(None)
            continue
        fields = {**values, **new_record_fields(db, rev)}
        if pending_inserts is not None:
            pending_inserts.append(fields)
            created.append(None)
        else:
            fields["id"] = db[table].insert(fields).last_pk
            created.append(fields)
    for gone in existing_ids - kept:
        touch(db, table, gone, {"deleted": 1}, rev)
    return created
