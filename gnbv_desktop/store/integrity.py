"""Damage detection on a read-only connection, so checking a file can never change it.

A file with a few bytes overwritten (a failing disk, a virus, a copy cut short) may still open;
writing 15,000 households into it makes things worse. ``quick_check`` runs at every open and a
damaged file is refused before the first write; ``full_check`` (``gnbv check``) adds the index
consistency and foreign key checks that take longer.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

FINDINGS_SHOWN = 20


class NotADatabase(Exception):
    """The file is not an SQLite database at all (or its header is destroyed)."""


def connect_read_only(path: str | Path) -> sqlite3.Connection:
    """A connection that cannot write the file, its journal or its header.

    In a folder nobody may write (a read-only USB stick) SQLite cannot create the shared-memory
    file a WAL database needs even to be read; with no WAL content left next to it the file is
    complete by itself and is opened as immutable instead."""
    path = Path(path).resolve()
    uri = path.as_uri() + "?mode=ro"
    wal = Path(str(path) + "-wal")
    if not os.access(path.parent, os.W_OK) and not (wal.exists() and wal.stat().st_size):
        uri += "&immutable=1"
    return sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False, timeout=30)


def _hot_journal(path: Path) -> bool:
    journal = Path(str(path) + "-journal")
    return journal.exists() and journal.stat().st_size > 0


def _run(path: Path, pragmas: list[str]) -> list[str]:
    try:
        if _hot_journal(path):
            # A rollback-journal file cut short by a crash: SQLite must roll it back (its normal
            # recovery, a write) before the file can be read; a read-only connection cannot.
            conn = sqlite3.connect(str(path), isolation_level=None, timeout=30)
        else:
            conn = connect_read_only(path)
    except sqlite3.DatabaseError as exc:
        raise NotADatabase(str(exc)) from exc
    findings: list[str] = []
    try:
        for pragma in pragmas:
            try:
                rows = conn.execute(pragma).fetchall()
            except sqlite3.DatabaseError as exc:
                if "not a database" in str(exc) or "file is encrypted" in str(exc):
                    raise NotADatabase(str(exc)) from exc
                findings.append(str(exc))
                break
            findings += _describe(pragma, rows)
    finally:
        conn.close()
    return findings


def _describe(pragma: str, rows: list[tuple]) -> list[str]:
    if pragma.startswith("PRAGMA foreign_key_check"):
        return [f"Bảng {table}, dòng {rowid}: tham chiếu tới {parent} không tồn tại." for table, rowid, parent, _fk in rows]
    return [str(r[0]) for r in rows if r and r[0] != "ok"]


def quick_check(path: str | Path) -> list[str]:
    """Structural check of every page (fast: one pass over the file); ``[]`` means sound."""
    return _run(Path(path), ["PRAGMA quick_check"])


class BackgroundCheck:
    """:func:`quick_check` of a file on its own thread, so the app need not wait for it idle.

    SQLite reads the file without holding Python's lock. The app creates the check unstarted and
    opens the file with it (``open_database(path, check=…, read_first=True)``): the household
    list shows first, then the check runs while the window paints, and it has ended before the
    official can do anything — before any write (see ``gui/start_check.py``). An open that must
    write at once (an upgrade) runs it there instead. :meth:`findings` starts it if nobody has
    and waits for it; it runs once.
    """

    def __init__(self, path: str | Path, *, start: bool = True):
        self.path = Path(path)
        self._findings: list[str] = []
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="kiem-tra-tep", daemon=True)
        self._lock = threading.Lock()
        if start:
            self.start()

    def _run(self) -> None:
        try:
            self._findings = quick_check(self.path)
        except BaseException as exc:  # handed to the caller of findings(), on its thread
            self._error = exc

    def start(self) -> None:
        """Start the check if it has not started yet."""
        with self._lock:
            if self._thread.ident is None:
                self._thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        """Start the check if needed and wait up to ``timeout`` seconds; True once it has ended."""
        self.start()
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def findings(self) -> list[str]:
        """The check's findings (``[]``: sound), waiting for it; raises what the check raised (NotADatabase)."""
        self.wait()
        if self._error is not None:
            raise self._error
        return self._findings


def full_check(path: str | Path) -> list[str]:
    """Everything SQLite can check: pages, records, indexes against tables, foreign keys."""
    return _run(Path(path), ["PRAGMA integrity_check", "PRAGMA foreign_key_check"])


def findings_text(findings: list[str]) -> str:
    """The first findings, one per line, for a message box or stderr."""
    shown = [f"  • {f}" for f in findings[:FINDINGS_SHOWN]]
    if len(findings) > FINDINGS_SHOWN:
        shown.append(f"  … và {len(findings) - FINDINGS_SHOWN} lỗi khác.")
    return "\n".join(shown)
