"""A "chỉ xem" user who presses Lưu gets a sentence, not a silent failure; so does anyone working
on a file that can only be read (a read-only USB stick), who is also told so when the window opens.

The database triggers refuse every write of a read-only session, whichever page tries it; pages
do not know about roles, so the refusal surfaces as an exception in a slot. This hook turns that
one exception into a message box and leaves every other error to the previous hook.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from gnbv_desktop.store.accounts import READ_ONLY_MESSAGE
from gnbv_desktop.store.read_only import READ_ONLY_FILE_NOTICE, READ_ONLY_WRITE_MESSAGE

READ_ONLY_FILE_TITLE = "Tệp dữ liệu chỉ đọc"


def is_read_only_refusal(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.IntegrityError) and READ_ONLY_MESSAGE in str(exc)


def is_read_only_file_refusal(exc: BaseException) -> bool:
    """SQLite refusing a write to a file opened read-only (:mod:`store.read_only`)."""
    return isinstance(exc, sqlite3.OperationalError) and "readonly" in str(exc).replace("-", "").replace(" ", "")


def install() -> None:
    """Installed for a session with accounts and for a read-only file: a "chỉ xem" user's write
    and a write to a file the user may only read both end in the same kind of sentence."""
    previous = sys.excepthook

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if is_read_only_refusal(exc):
            QMessageBox.warning(QApplication.activeWindow(), "Tài khoản chỉ xem",
                                f"{READ_ONLY_MESSAGE}; không có gì được lưu.")
            return
        if is_read_only_file_refusal(exc):
            QMessageBox.warning(QApplication.activeWindow(), READ_ONLY_FILE_TITLE, READ_ONLY_WRITE_MESSAGE)
            return
        previous(kind, exc, tb)

    sys.excepthook = hook


def tell_read_only_file(window: QMainWindow, db_path: Path) -> None:
    """Say once, when the window opens, that the file can only be read; the status bar keeps saying it."""
    text = READ_ONLY_FILE_NOTICE.format(name=db_path.name)
    window.statusBar().showMessage(text)
    QMessageBox.information(window, READ_ONLY_FILE_TITLE, text)
