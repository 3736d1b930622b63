"""Whether a table is in the file, asked in plain SQL: the start of the app asks it (accounts?
audited?) before anything needs sqlite-utils (see ``store.database.LazyDatabase``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


def table_exists(db: Database, name: str) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]).fetchone() is not None
