"""Background jobs: progress reaches the UI thread, results arrive, cancel rolls back."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from gnbv_desktop.jobs.demo import create_demo
from gnbv_desktop.jobs.progress import Progress
from gnbv_desktop.store.household_list import list_rows


def test_demo_job_runs_off_ui_thread_with_progress(qtbot, empty_ctx):
    progress = []
    handle = empty_ctx.runner.run_with_dialog(None, "Đang tạo dữ liệu mẫu…",
                                              lambda db: create_demo(db, 1200, seed=2, year=2026))
    handle.progress.connect(lambda done, total, msg: progress.append((done, total, msg)))
    with qtbot.waitSignal(handle.finished, timeout=30000) as blocker:
        pass
    assert blocker.args == [1200]
    assert progress and progress[-1][1] == 1200
    assert len(list_rows(empty_ctx.db, 2026)) == 1200


def test_cancelled_job_leaves_nothing(qtbot, empty_ctx):
    handle = empty_ctx.runner.submit(lambda db: create_demo(db, 5000, seed=2, year=2026))
    handle.progress.connect(lambda *_a: handle.cancel())
    with qtbot.waitSignal(handle.cancelled, timeout=30000):
        pass
    assert list_rows(empty_ctx.db, 2026) == []


def test_failed_job_reports_message(qtbot, empty_ctx):
    def broken(db):
        yield from ()
        raise ValueError("Tệp bị hỏng ở dòng 7")

    handle = empty_ctx.runner.submit(broken)
    with qtbot.waitSignal(handle.failed, timeout=10000) as blocker:
        pass
    assert blocker.args == ["Tệp bị hỏng ở dòng 7"]


_PAGE_DROPPED_BEFORE_ITS_HANDLE = '''
import gc, sys, weakref
from pathlib import Path
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication(["t", "-platform", "offscreen"])
from gnbv_desktop.gui.context import AppContext
from gnbv_desktop.store.database import open_database

path = Path(sys.argv[1])
db = open_database(path)

class Page(QWidget):
    """Holds its context, as every page does, and deletes its job's handle when the job ends."""
    def __init__(self, ctx):
        super().__init__()
        self.ctx = ctx
        self.handle = ctx.runner.submit(lambda db: iter(()), "Thống kê", self)
        self.handle.done.connect(self.forget)
    def forget(self):
        self.handle.deleteLater()
        self.handle = None

page = Page(AppContext(db, path, 2026))
page.ctx.runner.wait()
QCoreApplication.sendPostedEvents(None, 0)  # the job's result arrives; the deferred deletion waits
assert page.handle is None
gone = weakref.ref(page)
del page
gc.collect()
print("page alive:", gone() is not None, flush=True)
QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
print("handle deleted", flush=True)
'''


def test_a_deleted_handle_never_frees_the_page_that_owns_its_runner(tmp_path):
    """A handle belongs to the runner, the runner to the context, the page holds the context: were
    the page's last reference inside the handle, deleting the handle would free the page, the
    context and the runner, which deletes the handle again — a segmentation fault in the event
    loop, 1 run in 3 after test_sync_page. In a child process so the crash fails only this test."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]),
           "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run([sys.executable, "-X", "faulthandler", "-c", _PAGE_DROPPED_BEFORE_ITS_HANDLE,
                          str(tmp_path / "gnbv.sqlite3")], capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split("\n")[:2] == ["page alive: False", "handle deleted"]


def test_progress_reaches_every_listener_in_order_and_before_the_result(qtbot, empty_ctx):
    """The progress dialog, once shown, runs the event loop inside ``setValue``: the job's later
    progress and its result were handled inside the dialog's handler for an earlier step, so a
    listener connected after the dialog saw 3/3, then "done", then 2/3 — the sync page's bar
    stuck at 13/14 after the package was written, 1 test run in 45 on a loaded machine. Here
    the dialog shows at once and the job has ended before any of its signals is handled."""
    def job(db):
        yield Progress(1, 3, "một")
        yield Progress(2, 3, "hai")
        yield Progress(3, 3, "ba")
        return "xong"

    handle = empty_ctx.runner.run_with_dialog(None, "Ba bước", job)
    handle.dialog.setMinimumDuration(0)  # shown at the first step, as a long export's dialog is
    seen = []
    handle.progress.connect(lambda done, total, _m: seen.append(f"{done}/{total}"))
    handle.finished.connect(lambda result: seen.append(result))
    handle.done.connect(lambda: seen.append("done"))
    assert empty_ctx.runner.wait()  # every signal is now queued, none handled
    with qtbot.waitSignal(handle.done, timeout=10000):
        pass
    QCoreApplication.sendPostedEvents()  # anything a nested loop left behind
    assert seen == ["1/3", "2/3", "3/3", "xong", "done"]
