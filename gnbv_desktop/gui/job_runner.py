"""The one way to run background work: start, progress, cancel, success, failure.

A job is ``factory(db) -> generator of Progress`` (see ``gnbv_desktop.jobs``). The worker opens
its own connection (a SQLite connection belongs to one thread); cancelling closes the generator,
so the job's open transaction rolls back and nothing is half-written.

Like Anki's ``CollectionOp``/``QueryOp``, the runner owns the failure path so no page can drop an
error: every failure is logged with its traceback and shown in the error dialog (with "Sao chép
chi tiết"); pages connect ``finished`` for success and may also show ``failed``'s message inline.
"""

from __future__ import annotations

import logging
import threading
import traceback
import weakref
from collections import deque
from collections.abc import Callable, Generator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QDialog, QProgressDialog, QWidget

from gnbv_desktop.gui.error_dialog import describe, is_unexpected, show_error
from gnbv_desktop.jobs.progress import Progress
from gnbv_desktop.store.database import open_database

if TYPE_CHECKING:
    from sqlite_utils import Database

JobFactory = Callable[["Database"], Generator[Progress, None, Any]]

log = logging.getLogger("gnbv_desktop.jobs")


class _Signals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str, str)  # message for the user, technical details (traceback)
    cancelled = Signal()


class _Worker(QRunnable):
    def __init__(self, db_path: Path, factory: JobFactory, signals: _Signals, cancel: threading.Event):
        super().__init__()
        self.db_path = db_path
        self.factory = factory
        self.signals = signals
        self.cancel = cancel

    def run(self) -> None:
        db = None
        try:
            db = open_database(self.db_path)
            job = self.factory(db)
            result = None
            while True:
                if self.cancel.is_set():
                    job.close()
                    self.signals.cancelled.emit()
                    return
                try:
                    p = next(job)
                except StopIteration as stop:
                    result = stop.value
                    break
                self.signals.progress.emit(p.done, p.total, p.message)
            self.signals.finished.emit(result)
        except Exception as exc:  # logged and shown by the handle; the job's transaction has rolled back
            # the app's own refusals (a crafted file, a package from elsewhere) are said, not traced
            self.signals.failed.emit(describe(exc), traceback.format_exc() if is_unexpected(exc) else "")
        finally:
            if db is not None:
                db.close()


class JobHandle(QObject):
    """One submitted job: connect to its signals, or call :meth:`cancel`.

    On failure the handle logs, emits ``failed(message)`` and shows the error dialog over
    ``error_parent`` (the page that started the job); ``error_dialog`` holds it for tests.

    The handle only *points at* that page (a weak reference): the handle belongs to the runner,
    the runner to the context, and the page holds the context. Were the page's last reference
    inside the handle, deleting the handle (``deleteLater``) would free the page, then the
    context, then the runner, whose destructor deletes the handle a second time while its first
    deletion is still running: a segmentation fault in the event loop.
    """

    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    done = Signal()  # after any of finished / failed / cancelled

    def __init__(self, title: str = "", error_parent: QWidget | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.title = title or "Việc chạy nền"
        self._error_parent = weakref.ref(error_parent) if error_parent is not None else None
        self.details = ""
        self.error_dialog: QDialog | None = None
        self._cancel = threading.Event()
        self._signals = _Signals()
        self._pending: deque[Callable[[], None]] = deque()
        self._delivering = False
        # Bound methods of this handle (a QObject of the UI thread), so each arrives queued there.
        self._signals.progress.connect(self._got_progress)
        self._signals.finished.connect(self._got_finished)
        self._signals.failed.connect(self._got_failed)
        self._signals.cancelled.connect(self._got_cancelled)

    @property
    def error_parent(self) -> QWidget | None:
        """The page that started the job, or None once it is gone (the dialog then has no owner)."""
        return self._error_parent() if self._error_parent is not None else None

    def cancel(self) -> None:
        self._cancel.set()

    def _deliver(self, step: Callable[[], None]) -> None:
        """Hand the worker's signals on one at a time, in the order the job sent them.

        A listener may run the event loop while it handles a step: the progress dialog does, in
        ``setValue``, once it is shown. The job's next steps, queued meanwhile, would then reach
        every listener *inside* that handler: listeners connected after the dialog saw the last
        step, then the result, then the earlier step (a bar stuck at 13/14 after the package was
        written). A step that arrives during a delivery waits until that delivery is over.
        """
        self._pending.append(step)
        if self._delivering:
            return
        self._delivering = True
        try:
            while self._pending:
                self._pending.popleft()()
        finally:
            self._delivering = False

    def _got_progress(self, done: int, total: int, message: str) -> None:
        self._deliver(partial(self.progress.emit, done, total, message))

    def _got_finished(self, result: object) -> None:
        self._deliver(partial(self._on_finished, result))

    def _got_failed(self, message: str, details: str) -> None:
        self._deliver(partial(self._on_failed, message, details))

    def _got_cancelled(self) -> None:
        self._deliver(self._on_cancelled)

    def _on_finished(self, result: object) -> None:
        log.info("Xong: %s", self.title)
        self.finished.emit(result)
        self.done.emit()

    def _on_failed(self, message: str, details: str) -> None:
        self.details = details
        log.error("Việc nền thất bại: %s — %s\n%s", self.title, message, details)
        self.failed.emit(message)
        self.error_dialog = show_error(self.error_parent, f"Không hoàn thành: {self.title}", message, details)
        self.done.emit()

    def _on_cancelled(self) -> None:
        log.info("Đã hủy: %s", self.title)
        self.cancelled.emit()
        self.done.emit()


class JobRunner(QObject):
    """A single-lane pool: database writes from jobs never race each other."""

    def __init__(self, db_path: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.db_path = db_path
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._running: set[_Worker] = set()
        # Workers whose job is over but whose pool thread may still be returning from run(): a
        # runnable freed under the pool crashes Qt, so they are kept until the pool is idle.
        self._retired: list[_Worker] = []

    def submit(self, factory: JobFactory, title: str = "", parent: QWidget | None = None) -> JobHandle:
        """Start ``factory`` on the worker thread; ``title`` and ``parent`` frame a failure's dialog."""
        self._purge_retired()
        handle = JobHandle(title, parent, self)
        log.info("Bắt đầu: %s", handle.title)
        worker = _Worker(self.db_path, factory, handle._signals, handle._cancel)
        # Python owns the runnable (no auto-delete by Qt) until the job is over; letting Qt
        # delete a Python-subclassed QRunnable crashes the interpreter at exit.
        worker.setAutoDelete(False)
        self._running.add(worker)
        handle.done.connect(lambda: self._retire(worker))
        self.pool.start(worker)
        return handle

    def run_with_dialog(self, parent: QWidget | None, title: str, factory: JobFactory) -> JobHandle:
        """Submit a job and show a modal-less progress dialog with a Hủy (cancel) button."""
        handle = self.submit(factory, title, parent)
        dialog = QProgressDialog(title, "Hủy", 0, 0, parent)
        dialog.setWindowTitle(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)

        def on_progress(done: int, total: int, message: str) -> None:
            dialog.setMaximum(max(total, 0))
            dialog.setValue(done)
            if message:
                dialog.setLabelText(message)

        handle.progress.connect(on_progress)
        dialog.canceled.connect(handle.cancel)
        handle.done.connect(dialog.close)
        handle.done.connect(dialog.deleteLater)
        handle.dialog = dialog  # type: ignore[attr-defined]
        return handle

    def _retire(self, worker: _Worker) -> None:
        self._running.discard(worker)
        self._retired.append(worker)

    def _purge_retired(self) -> None:
        if self.pool.activeThreadCount() == 0:
            self._retired.clear()

    def wait(self, msecs: int = 30000) -> bool:
        done = self.pool.waitForDone(msecs)
        if done:
            self._purge_retired()
        return done
