"""The app's log: one rotating file in the user's data folder that support can ask for.

The windowed Windows build has no console, so anything not in this file is lost; job failures and
unexpected exceptions are written here (``gui/error_dialog.py``) as well as shown.

The app's start opens the file plainly (``setup_logging(rotating=False)``) and puts the rotating
handler in its place once the household list has shown: ``logging.handlers`` brings sockets,
pickling and queues with it, some 15 ms before the list that the official is waiting for.
"""

from __future__ import annotations

import logging
from pathlib import Path

from gnbv_desktop.paths import user_data_dir

LOG_FILE_NAME = "gnbv-desktop.log"
MAX_BYTES = 1_000_000  # about a year of normal use; three old files are kept beside it
BACKUP_COUNT = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_file_path() -> Path:
    return user_data_dir() / LOG_FILE_NAME


_NAME_PREFIX = "gnbv-desktop-log:"  # the app's handler on the root logger is named after its file


def setup_logging(path: Path | None = None, *, rotating: bool = True) -> logging.Handler:
    """Attach the log file to the root logger (once per file) and return its handler.

    ``rotating=False`` appends to the file without rotating it (the app's start, see above); a
    later call with ``rotating=True`` replaces that handler with the rotating one, which rolls the
    file over at its next record if it has grown past :data:`MAX_BYTES`.

    A data folder that cannot be written (read-only share, full disk) must not stop the app from
    starting: the log then goes to standard error and "Giới thiệu" shows no log file.
    """
    path = path or log_file_path()
    name = _NAME_PREFIX + str(path.resolve())
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    plain = None
    for handler in root.handlers:
        if handler.get_name() == name:
            if not (rotating and type(handler) is logging.FileHandler):
                return handler
            plain = handler  # the start's plain file gives way to the rotating one
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if rotating:
            from logging.handlers import RotatingFileHandler

            handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8")
        else:
            handler = logging.FileHandler(path, encoding="utf-8")
    except OSError as exc:
        handler = logging.StreamHandler()
        problem = exc
    else:
        problem = None
    handler.set_name(name)
    handler.setFormatter(logging.Formatter(FORMAT))
    if plain is not None:
        root.removeHandler(plain)
        plain.close()
    root.addHandler(handler)
    if problem is not None:
        root.warning("Không ghi được tệp nhật ký %s: %s", path, problem)
    return handler


def current_log_file() -> Path | None:
    """The file the root logger writes to, if :func:`setup_logging` ran (shown in "Giới thiệu")."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.FileHandler) and (handler.get_name() or "").startswith(_NAME_PREFIX):
            return Path(handler.baseFilename)
    return None
