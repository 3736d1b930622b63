"""The one way an error reaches the user: a Vietnamese dialog with the details one click away.

Background jobs that fail (``job_runner``) and exceptions nobody caught (``sys.excepthook``,
``threading.excepthook``) all end here, after being written to the log file, so an error never
vanishes into a console that a windowed build does not have. "Sao chép chi tiết" puts the message,
the technical details, the version and the log file on the clipboard for a message to support.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gnbv_desktop import __version__
from gnbv_desktop.app_log import current_log_file
from gnbv_desktop.store.database import describe_failure

log = logging.getLogger("gnbv_desktop.errors")

UNEXPECTED_TITLE = "Lỗi không mong đợi"


def describe(exc: BaseException) -> str:
    """A sentence for the user: the app's own errors are written in Vietnamese and shown as they are;
    anything else (a bug, an English message from a library) is named as unexpected; a failure of
    the environment (busy, read-only, full disk, damaged file) gets its own Vietnamese sentence."""
    failure = describe_failure(exc)
    if failure:
        return failure
    text = str(exc).strip()
    if not is_unexpected(exc):
        return text
    detail = f"{exc.__class__.__name__}: {text}" if text else exc.__class__.__name__
    return f"Lỗi không lường trước ({detail})."


def is_unexpected(exc: BaseException) -> bool:
    """Neither a failure of the environment nor one of the app's own errors (written in Vietnamese,
    for the user: a refused file, a package, a rule): a bug, whose traceback the dialog shows for
    whoever helps. An expected refusal shows its message alone."""
    if describe_failure(exc):
        return False
    text = str(exc).strip()
    return not (text and any(ord(ch) > 127 for ch in text))


class ErrorDialog(QDialog):
    """Title, message, read-only details, "Sao chép chi tiết" and "Đóng"; resizable."""

    def __init__(self, parent: QWidget | None, title: str, message: str, details: str = ""):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setSizeGripEnabled(True)
        self.message = message
        self.details = details
        # Here, with the first error shown: the app's start installs the hooks, not a dialog, and
        # PySide makes QStyle's Python class (with its many enums) on first use, some 10 ms.
        import html

        from PySide6.QtWidgets import QStyle

        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(40, 40))
        heading = QLabel(f"<b>{html.escape(title)}</b>")
        heading.setWordWrap(True)
        text = QLabel(message)
        text.setTextFormat(Qt.TextFormat.PlainText)
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        log_file = current_log_file()
        hint = QLabel(f"Lỗi đã được ghi vào tệp nhật ký: {log_file}" if log_file else "")
        hint.setWordWrap(True)
        hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_box = QPlainTextEdit(details)
        self.details_box.setReadOnly(True)
        self.details_box.setVisible(bool(details))
        self.copy_button = QPushButton("Sao chép chi tiết")
        self.copy_button.clicked.connect(self.copy_details)
        self.close_button = QPushButton("Đóng")
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        words = QVBoxLayout()
        words.addWidget(heading)
        words.addWidget(text)
        top.addLayout(words, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(hint)
        layout.addWidget(self.details_box, 1)
        layout.addLayout(buttons)
        self.resize(560, 360 if details else 160)

    def report_text(self) -> str:
        log_file = current_log_file()
        parts = [self.windowTitle(), self.message, f"GNBV Desktop {__version__}"]
        if log_file:
            parts.append(f"Tệp nhật ký: {log_file}")
        if self.details:
            parts += ["", self.details]
        return "\n".join(parts)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.report_text())
        self.copy_button.setText("Đã sao chép")


def show_error(parent: QWidget | None, title: str, message: str, details: str = "") -> ErrorDialog:
    """Show the dialog without blocking (window-modal over ``parent``); the caller has logged."""
    dialog = ErrorDialog(parent, title, message, details)
    _open_dialogs.add(dialog)  # a parentless dialog lives only while Python holds it
    dialog.finished.connect(lambda _result: _open_dialogs.discard(dialog))
    dialog.open()
    return dialog


_open_dialogs: set[ErrorDialog] = set()


def _active_window() -> QWidget | None:
    app = QApplication.instance()
    return app.activeWindow() if isinstance(app, QApplication) else None


class _Reporter(QObject):
    """Lives on the UI thread; a signal carries reports from any thread to it (queued across threads)."""

    report = Signal(str, str, str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.report.connect(lambda title, message, details: show_error(_active_window(), title, message, details))


def report_exception(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None,
                     where: str = "") -> None:
    """Log an exception nobody caught and show the error dialog (from any thread)."""
    details = "".join(traceback.format_exception(exc_type, exc, tb))
    log.error("Lỗi không mong đợi%s:\n%s", f" ({where})" if where else "", details)
    if _reporter is not None:
        message = ("Phần mềm gặp lỗi; việc đang làm có thể chưa hoàn thành. "
                   f"Hãy bấm \"Sao chép chi tiết\" và gửi cho người hỗ trợ.\n\n{describe(exc)}")
        _reporter.report.emit(UNEXPECTED_TITLE, message, details)


_reporter: _Reporter | None = None


def install_exception_hooks(app: QApplication) -> Callable[[], None]:
    """Route uncaught exceptions of the UI thread and of worker threads to the log and the dialog.

    Returns a function that puts the previous hooks back (tests install and remove them).
    """
    global _reporter
    _reporter = _Reporter(app)
    previous = (sys.excepthook, threading.excepthook)

    def excepthook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        report_exception(exc_type, exc, tb)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        report_exception(args.exc_type, args.exc_value, args.exc_traceback,
                         where=f"luồng {args.thread.name}" if args.thread else "")

    sys.excepthook = excepthook
    threading.excepthook = thread_hook

    def restore() -> None:
        global _reporter
        sys.excepthook, threading.excepthook = previous
        if _reporter is not None:
            _reporter.deleteLater()
        _reporter = None

    return restore
