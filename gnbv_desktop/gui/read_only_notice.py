"""A "chỉ xem" user who presses Lưu gets a sentence, not a silent failure.

The database triggers refuse every write of a read-only session, whichever page tries it; pages
do not know about roles, so the refusal surfaces as an exception in a slot. This hook turns that
one exception into a message box and leaves every other error to the previous hook.
"""

from __future__ import annotations

import sqlite3
import sys
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from gnbv_desktop.store.accounts import READ_ONLY_MESSAGE


def is_read_only_refusal(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.IntegrityError) and READ_ONLY_MESSAGE in str(exc)


def install() -> None:
    previous = sys.excepthook

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if is_read_only_refusal(exc):
            QMessageBox.warning(QApplication.activeWindow(), "Tài khoản chỉ xem",
                                f"{READ_ONLY_MESSAGE}; không có gì được lưu.")
            return
        previous(kind, exc, tb)

    sys.excepthook = hook
