"""The app's log: one rotating file in the user's data folder that support can ask for.

The windowed Windows build has no console, so anything not in this file is lost; job failures and
unexpected exceptions are written here (``gui/error_dialog.py``) as well as shown.
"""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from gnbv_desktop.paths import user_data_dir

LOG_FILE_NAME = "gnbv-desktop.log"
MAX_BYTES = 1_000_000  # about a year of normal use; three old files are kept beside it
BACKUP_COUNT = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_file_path() -> Path:
    return user_data_dir() / LOG_FILE_NAME


def setup_logging(path: Path | None = None) -> logging.Handler:
    """Attach the rotating file to the root logger (once per file) and return its handler.

    A data folder that cannot be written (read-only share, full disk) must not stop the app from
    starting: the log then goes to standard error and "Giới thiệu" shows no log file.
    """
    path = path or log_file_path()
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    for handler in root.handlers:
        if isinstance(handler, RotatingFileHandler) and Path(handler.baseFilename) == path.resolve():
            return handler
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT,
                                                       encoding="utf-8")
    except OSError as exc:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(handler)
        root.warning("Không ghi được tệp nhật ký %s: %s", path, exc)
        return handler
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    return handler


def current_log_file() -> Path | None:
    """The file the root logger writes to, if :func:`setup_logging` ran (shown in "Giới thiệu")."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, RotatingFileHandler):
            return Path(handler.baseFilename)
    return None
