"""What every CLI command shares: the database it works on, opened lazily, and error type."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from sqlite_utils import Database

from gnbv_desktop.paths import default_db_path
from gnbv_desktop.store.audit import SOURCE_CLI, start_session
from gnbv_desktop.store.database import DatabaseError, open_database
from gnbv_desktop.store.reference import use_received_standards


class CliError(Exception):
    """Invalid input or data: printed on stderr in Vietnamese, exit status 1."""


class CliContext:
    def __init__(self, db_path: str | None):
        self.db_path = Path(db_path) if db_path else default_db_path()
        self._db: Database | None = None

    @property
    def db(self) -> Database:
        """The database, opened on first use; the standards it received from the upper level are
        installed then, so every command classifies with them."""
        if self._db is None:
            try:
                self._db = open_database(self.db_path)
            except DatabaseError as exc:
                raise CliError(str(exc)) from exc
            start_session(self._db, SOURCE_CLI)
            use_received_standards(self._db)
        return self._db

    def use_database_standards(self) -> None:
        """For commands that need only the standards: install the ones the database received,
        when a database file exists (without creating one)."""
        if self.db_path.exists() and self.db_path.stat().st_size > 0:
            _ = self.db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
