"""Background jobs: progress reaches the UI thread, results arrive, cancel rolls back."""

from __future__ import annotations

from gnbv_desktop.jobs.demo import create_demo
from gnbv_desktop.store.households import list_rows


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
