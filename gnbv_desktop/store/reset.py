"""What a database holds, and emptying it back to the state of a new file.

Used by ``gnbv demo``: it refuses a database that holds data (a copied example must never mix
fake households into an official's real list) and, with ``--replace``, empties it first.
"""

from __future__ import annotations

from functools import cache

from sqlite_utils import Database

from gnbv_desktop.store import migrations

# What belongs to the installation rather than to the list: who may use it and what they did (the
# audit trail must outlive a reset, and a reset by a data-entry account must not remove the admin),
# and its identity and the keys it pinned for packages.
KEPT_TABLES = frozenset({"accounts", "audit_log", "audit_session", "installation_identity", "trusted_signers"})


@cache
def _seeded_tables() -> frozenset[str]:
    """Tables a new, migrated database already fills (reference rows the schema relies on)."""
    fresh = Database(memory=True)
    migrations.apply(fresh)
    seeded = frozenset(t for t in _user_tables(fresh) if fresh[t].count)
    fresh.close()
    return seeded


def _user_tables(db: Database) -> list[str]:
    """Ordinary and virtual (full-text) tables; their shadow tables follow them."""
    rows = db.execute(
        "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type IN ('table', 'virtual') "
        "AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    return [r[0] for r in rows]


def data_tables(db: Database) -> list[str]:
    """Every table that a new database holds empty: the user's data, whatever migrations added it."""
    return [t for t in _user_tables(db) if t not in _seeded_tables() and t not in KEPT_TABLES]


def holds_data(db: Database) -> bool:
    return any(db.execute(f"SELECT 1 FROM [{t}] LIMIT 1").fetchone() for t in data_tables(db))


def clear_data(db: Database) -> None:
    """Delete every row of the user's data, inside the caller's transaction (foreign keys are
    checked at its commit, so the order of the tables does not matter)."""
    if not db.conn.in_transaction:
        raise RuntimeError("clear_data must run inside a transaction")
    db.execute("PRAGMA defer_foreign_keys = ON")
    for table in data_tables(db):
        db.execute(f"DELETE FROM [{table}]")
