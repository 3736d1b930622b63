"""Year-end review as one job each for its start and its close (CLI and GUI share them)."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from gnbv_desktop.jobs.carry_forward import carry_forward
from gnbv_desktop.jobs.progress import Job, Progress
from gnbv_desktop.store.backup import backup_before_job
from gnbv_desktop.store.review import ReviewError, check_closable, close_review
from gnbv_desktop.store.standard_store import standards_in_force


def start_review(db: Database, year: int) -> Job[int]:
    """Carry last year's households into ``year``, each to be reviewed (see :mod:`carry_forward`)."""
    standards_in_force(db).for_year(year)
    if db.execute("SELECT 1 FROM assessments WHERE year = ? AND deleted = 0 LIMIT 1", [year - 1]).fetchone() is None:
        raise ReviewError(f"Danh sách năm {year - 1} chưa có hộ nào để chuyển sang năm {year}.")
    return (yield from carry_forward(db, year - 1, year))


def backup_before_close(db: Database, year: int) -> Path | None:
    """The single place a copy of the database is taken before a review is closed (closing
    rewrites the year's movements): a backup named "truoc-khoa-so-<year>" (see store.backup)."""
    return backup_before_job(db, f"truoc-khoa-so-{year}")


def finish_review(db: Database, year: int, decision_number: str = "", decision_date: str = "") -> Job[dict[str, int]]:
    """Check, back up, then close ``year``'s review; returns the movements counted."""
    yield Progress(0, 3, "Đang kiểm tra kết quả rà soát…")
    check_closable(db, year, decision_date)
    yield Progress(1, 3, "Đang sao lưu dữ liệu trước khi kết thúc rà soát…")
    backup_before_close(db, year)
    yield Progress(2, 3, "Đang tính biến động hộ nghèo, hộ cận nghèo…")
    counts = close_review(db, year, decision_number, decision_date)
    yield Progress(3, 3, "Xong.")
    return counts
