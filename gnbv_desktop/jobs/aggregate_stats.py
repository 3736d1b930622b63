"""Statistics across communes as a job: on a large aggregate they take seconds, so the Đồng bộ
page computes them off the UI thread (on the job runner's own connection) instead of freezing."""

from __future__ import annotations

from sqlite_utils import Database

from gnbv_desktop.jobs.progress import Job, Progress
from gnbv_desktop.store import aggregate


def compute_aggregate_stats(db: Database, year: int) -> Job[dict]:
    """:func:`store.aggregate.aggregate_stats` for ``year``, with a start and an end step."""
    yield Progress(0, 1, f"Đang tính thống kê năm {year}…")
    data = aggregate.aggregate_stats(db, year)
    yield Progress(1, 1, "Đã tính xong thống kê.")
    return data
