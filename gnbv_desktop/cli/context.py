"""What every CLI command shares: the database it works on (opened lazily), the standards in
force there, and the error type."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from sqlite_utils import Database

from gnbv_desktop.core.standard_set import StandardSet, shipped_standards
from gnbv_desktop.paths import default_db_path
from gnbv_desktop.store.database import DatabaseError, open_database
from gnbv_desktop.store.standard_store import standards_in_force


class CliError(Exception):
    """Invalid input or data: printed on stderr in Vietnamese, exit status 1."""


class CliContext:
    def __init__(self, db_path: str | None):
        self.db_path = Path(db_path) if db_path else default_db_path()
        self._db: Database | None = None
        self._warned = False

    @property
    def db(self) -> Database:
        """The database, opened on first use."""
        if self._db is None:
            try:
                self._db = open_database(self.db_path)
            except DatabaseError as exc:
                raise CliError(str(exc)) from exc
            self._warn_unusable_standards()
        return self._db

    @property
    def standards(self) -> StandardSet:
        """The standards in force: those of the database (shipped plus received from the upper
        level) when a database file exists, else the shipped ones — no file is created for this."""
        if self._db is None and not (self.db_path.exists() and self.db_path.stat().st_size > 0):
            return shipped_standards()
        return standards_in_force(self.db)

    def _warn_unusable_standards(self) -> None:
        """Received standards that cannot be used never stop a command; say so once, on stderr."""
        warning = standards_in_force(self._db).warning if self._db is not None else ""
        if warning and not self._warned:
            self._warned = True
            print(f"Cảnh báo: {warning}", file=sys.stderr)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
