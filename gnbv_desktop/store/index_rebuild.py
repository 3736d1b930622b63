"""When a bulk write sets a table's indexes aside and builds them again once its rows are in.

SQLite keeps every index up to date row by row, each new row a search down each index; building
an index over the finished table sorts the rows once instead, several times cheaper per row — but
a rebuild covers every row the table holds, not only the incoming ones. The merge of sync packages
(the statistics indexes of ``sync_records``) and the Excel import (households and their
assessments and members) decide it with the one rule below.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

# Rebuilding the statistics indexes of the aggregate costs about a quarter of maintaining them row
# by row (1.7 million rows: 3 s against 12 s), but a rebuild covers every record held.
MAINTAIN_TO_REBUILD_COST = 4


def rebuild_pays(db: Database, table: str, incoming: int) -> bool:
    """Whether rebuilding ``table``'s indexes over everything held once ``incoming`` rows are in
    costs less than maintaining them for each incoming row: a first fill, or a batch larger than a
    third of what is held."""
    if not incoming:
        return False
    # Rows held, from above: the largest row id is one seek, where a count would read the whole key.
    held = db.execute(f"SELECT COALESCE(MAX(rowid), 0) FROM [{table}]").fetchone()[0]
    return held + incoming < MAINTAIN_TO_REBUILD_COST * incoming


@contextmanager
def indexes_suspended(db: Database, incoming: dict[str, int], kept: Collection[str] = ()) -> Iterator[None]:
    """Inside the caller's transaction: drop the declared indexes (not those of a UNIQUE or PRIMARY
    KEY constraint) of each table of ``incoming`` (table → rows about to be inserted) where
    :func:`rebuild_pays`, and create them again from their stored definitions at the end. An error
    or a kill in between rolls the drop back with everything else.

    ``kept``: partial indexes the caller knows its rows do not enter (their ``WHERE`` excludes
    them), left in place: maintaining them costs one test per row, where a rebuild reads the whole
    table. Were a row to enter one after all, it is maintained as usual."""
    saved = [
        (name, sql)
        for table, rows in incoming.items() if rebuild_pays(db, table, rows)
        for name, sql in db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", [table])
        if name not in kept
    ]
    for name, _sql in saved:
        db.execute(f"DROP INDEX [{name}]")
    yield
    for _name, sql in saved:
        db.execute(sql)


# Pages a bulk write may keep in memory (KiB): a 20,000-household import writes about 14 MB, which
# SQLite's default 2 MB cache spills to the WAL during the transaction and reads back.
BULK_CACHE_KIB = 32 * 1024


@contextmanager
def page_cache_widened(db: Database, kib: int = BULK_CACHE_KIB) -> Iterator[None]:
    """SQLite's page cache at ``kib`` while a bulk write runs, as it was afterwards. Memory is taken
    only as pages are used."""
    before = db.execute("PRAGMA cache_size").fetchone()[0]
    db.execute(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        db.execute(f"PRAGMA cache_size = {int(before)}")

