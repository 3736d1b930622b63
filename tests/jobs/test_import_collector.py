"""The cycle collector during an import: off while the jobs run, back on however they end, and a
reference cycle made meanwhile is still freed by the next full collection (the objects are moved
to the oldest generation, not frozen out of the collector's sight)."""

from __future__ import annotations

import gc
import weakref

import pytest

from gnbv_desktop.io.excel_reader import WorkbookError
from gnbv_desktop.jobs.demo import ensure_demo_commune
from gnbv_desktop.jobs.import_excel import collector_paused, preview_import, run_import
from gnbv_desktop.jobs.progress import run_to_end
from gnbv_desktop.store.database import open_database
from tests.io.workbooks import simple_list

HEADER = ["STT", "Họ tên chủ hộ", "Năm sinh", "Thôn", "Thu nhập", "Phân loại"]
ROWS = [[i, f"Nguyễn Văn {chr(65 + i)}", 1960 + i, "Thôn 1", 900_000, "Nghèo"] for i in range(1, 9)]


class _Node:
    """One half of a reference cycle."""

    def __init__(self) -> None:
        self.other: _Node | None = None


def test_cycle_made_while_paused_is_freed_by_the_next_full_collection():
    with collector_paused():
        assert not gc.isenabled()
        a, b = _Node(), _Node()
        a.other, b.other = b, a
        gone = weakref.ref(a)
        del a, b
        assert gone() is not None  # only the collector can free a cycle, and it is off
    assert gc.isenabled()
    gc.collect()
    assert gone() is None


def test_collector_back_on_after_a_finished_a_cancelled_and_a_failed_job(tmp_path):
    db = open_database(tmp_path / "c.sqlite3")
    ensure_demo_commune(db)
    xlsx = simple_list(tmp_path / "ds.xlsx", ROWS, HEADER)
    preview = run_to_end(preview_import(db, xlsx, year=2026))
    assert gc.isenabled()
    job = run_import(db, preview)
    next(job)
    assert not gc.isenabled()
    job.close()  # the user pressed Hủy
    assert gc.isenabled()
    assert run_to_end(run_import(db, preview)).imported == 8
    assert gc.isenabled()
    failing = preview_import(db, tmp_path / "missing.xlsx", year=2026)
    with pytest.raises(WorkbookError):
        run_to_end(failing)
    assert gc.isenabled()
    db.close()
