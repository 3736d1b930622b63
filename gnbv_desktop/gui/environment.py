"""What the desktop app does about its environment: one window per database, and a clear
Vietnamese message (not a traceback) when the disk is full, the file read-only or another
program holds the database while the UI thread writes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLockFile
from PySide6.QtWidgets import QMessageBox

ALREADY_OPEN_TITLE = "GNBV Desktop đang mở"
ALREADY_OPEN_MESSAGE = (
    "Tệp dữ liệu '{name}' đang được mở trong một cửa sổ GNBV Desktop khác. Hãy dùng cửa sổ đó "
    "(xem trên thanh tác vụ); hai cửa sổ cùng sửa một tệp dữ liệu có thể ghi đè lên nhau."
)


def acquire_instance_lock(db_path: Path) -> QLockFile | None:
    """A lock file next to the database (``gnbv.sqlite3.lock``), held while the window is open;
    ``None`` when another running instance holds it. A lock left by a crashed instance is
    recognised (its process is gone) and taken over."""
    lock = QLockFile(str(db_path) + ".lock")
    lock.setStaleLockTime(0)
    if lock.tryLock(200):
        return lock
    if lock.error() == QLockFile.LockError.PermissionError:
        return lock  # a read-only folder: no window can write there, so two windows cannot clash
    return None


def refuse_second_instance(db_path: Path) -> None:
    QMessageBox.information(None, ALREADY_OPEN_TITLE, ALREADY_OPEN_MESSAGE.format(name=db_path.name))
