"""The data file's quick check at start, once the household list shows.

A merged commune's file takes a few tenths of a second to check; run before the list, the check
competes with loading the window for a laptop's two cores and the official waits for the list.
It runs once the list is painted instead, and the official's clicks and keys wait for it (Qt
keeps them queued and delivers them after): nothing can write to a damaged file, and the
damage is reported before anything else happens.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop

from gnbv_desktop.store.database import DatabaseError, check_before_writing
from gnbv_desktop.store.integrity import BackgroundCheck

# How often the window repaints (a resize, a window moved over it) while the check runs, in seconds.
PAINT_INTERVAL_S = 0.02


def check_result(check: BackgroundCheck, db_path: Path) -> DatabaseError | None:
    """Run ``check`` to its end, repainting meanwhile but holding back user input; the refusal
    :func:`check_before_writing` gives (a damaged file, not a database) or None for a sound file."""
    app = QCoreApplication.instance()
    while not check.wait(PAINT_INTERVAL_S):
        if app is not None:
            app.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    try:
        check_before_writing(db_path, check)
    except DatabaseError as exc:
        return exc
    return None
