"""What every CLI command shares: the database it works on, opened lazily, and error type."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from sqlite_utils import Database

from gnbv_desktop.paths import default_db_path
from gnbv_desktop.store.database import DatabaseError, open_database


class CliError(Exception):
    """Invalid input or data: printed on stderr in Vietnamese, exit status 1."""


class CliContext:
    def __init__(self, db_path: str | None):
        self.db_path = Path(db_path) if db_path else default_db_path()
        self._db: Database | None = None

    @property
    def db(self) -> Database:
        if self._db is None:
            try:
                self._db = open_database(self.db_path)
            except DatabaseError as exc:
                raise CliError(str(exc)) from exc
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
