"""Runs long jobs off the UI thread, one at a time, with progress and cancel.

A job is ``factory(db) -> generator of Progress`` (see ``gnbv_desktop.jobs``). The worker opens
its own connection (a SQLite connection belongs to one thread); cancelling closes the generator,
so the job's open transaction rolls back and nothing is half-written.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget
from sqlite_utils import Database

from gnbv_desktop.jobs.progress import Progress
from gnbv_desktop.store.database import describe_failure, open_database

JobFactory = Callable[[Database], Generator[Progress, None, Any]]


class _Signals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str)
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
        except Exception as exc:  # shown to the user; the job's transaction has rolled back
            traceback.print_exc()
            self.signals.failed.emit(describe_failure(exc) or str(exc) or exc.__class__.__name__)
        finally:
            if db is not None:
                db.close()


class JobHandle(QObject):
    """One submitted job: connect to its signals, or call :meth:`cancel`."""

    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    done = Signal()  # after any of finished / failed / cancelled

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._cancel = threading.Event()
        self._signals = _Signals()
        self._signals.progress.connect(self.progress)
        self._signals.finished.connect(self._on_finished)
        self._signals.failed.connect(self._on_failed)
        self._signals.cancelled.connect(self._on_cancelled)

    def cancel(self) -> None:
        self._cancel.set()

    def _on_finished(self, result: object) -> None:
        self.finished.emit(result)
        self.done.emit()

    def _on_failed(self, message: str) -> None:
        self.failed.emit(message)
        self.done.emit()

    def _on_cancelled(self) -> None:
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

    def submit(self, factory: JobFactory) -> JobHandle:
        handle = JobHandle(self)
        worker = _Worker(self.db_path, factory, handle._signals, handle._cancel)
        # Python owns the runnable (no auto-delete by Qt) until the job is over; letting Qt
        # delete a Python-subclassed QRunnable crashes the interpreter at exit.
        worker.setAutoDelete(False)
        self._running.add(worker)
        handle.done.connect(lambda: self._running.discard(worker))
        self.pool.start(worker)
        return handle

    def run_with_dialog(self, parent: QWidget | None, title: str, factory: JobFactory) -> JobHandle:
        """Submit a job and show a modal-less progress dialog with a Hủy (cancel) button."""
        handle = self.submit(factory)
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

    def wait(self, msecs: int = 30000) -> bool:
        return self.pool.waitForDone(msecs)
