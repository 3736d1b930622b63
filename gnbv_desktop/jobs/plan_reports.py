"""Rendering jobs for the printouts: annex (PDF or XLSX), posting list, household sheets.

Each is a generator yielding :class:`Progress` and returning :class:`RenderResult`, so the GUI
runs it off the UI thread (``ctx.runner.run_with_dialog``) and the CLI drives it with
``run_to_end``. The file is written next to its target and renamed at the end, so a cancelled or
failed run never leaves a half-written document under the chosen name.
"""

from __future__ import annotations

import datetime as _dt
import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from gnbv_desktop.io.annex_pdf import write_annex_pdf
from gnbv_desktop.io.annex_xlsx import write_annex_xlsx
from gnbv_desktop.io.household_sheets_pdf import write_household_sheets
from gnbv_desktop.io.partial_files import track_partial
from gnbv_desktop.io.posting_pdf import DEFAULT_POSTING_DAYS, PostingOptions, write_posting_pdf
from gnbv_desktop.jobs.progress import Job, Progress
from gnbv_desktop.store.report_data import ReportData, report_data
from gnbv_desktop.store.review import leaving_households

ANNEX = "annex"
POSTING = "posting"
SHEETS = "sheets"
REPORT_LABELS = {
    ANNEX: "Phụ lục kế hoạch (danh sách hộ và giải pháp hỗ trợ)",
    POSTING: "Danh sách niêm yết công khai",
    SHEETS: "Phiếu theo dõi hỗ trợ từng hộ",
}


class ReportError(ValueError):
    """A request that cannot be printed (wrong file type…); the message is for the user."""


@dataclass(frozen=True)
class RenderResult:
    path: Path
    households: int
    pages: int | None  # None for a workbook


def _writer(kind: str, path: Path) -> Callable[[ReportData, Path], int]:
    suffix = path.suffix.lower()
    if kind == ANNEX:
        if suffix == ".pdf":
            return write_annex_pdf
        if suffix == ".xlsx":
            return write_annex_xlsx
        raise ReportError(f"Phụ lục chỉ xuất ra tệp .pdf hoặc .xlsx (đã chọn '{path.name}').")
    if suffix != ".pdf":
        raise ReportError(f"{REPORT_LABELS[kind]} chỉ xuất ra tệp .pdf (đã chọn '{path.name}').")
    return write_posting_pdf if kind == POSTING else write_household_sheets


def render_report(
    db: Database, kind: str, path: str | Path, year: int, village_ids: list[int] | None = None,
    *, posted_on: _dt.date | None = None, posting_days: int = DEFAULT_POSTING_DAYS,
) -> Job[RenderResult]:
    """Render one printout of ``year`` (optionally only some villages) to ``path``; a posting list
    takes its first day and length and lists the households leaving poverty too."""
    if kind not in REPORT_LABELS:
        raise ReportError(f"Không có mẫu in '{kind}'.")
    path = Path(path)
    writer = _writer(kind, path)
    yield Progress(0, 3, "Đang đọc danh sách hộ…")
    data = report_data(db, year, village_ids, with_members=kind == SHEETS)
    if kind == POSTING:
        if not 1 <= posting_days <= 60:
            raise ReportError("Thời gian niêm yết phải từ 1 đến 60 ngày.")
        options = PostingOptions(posted_on, posting_days, tuple(leaving_households(db, year, village_ids)))
        writer = functools.partial(write_posting_pdf, options=options)
    yield Progress(1, 3, f"Đang dàn trang {len(data.households)} hộ…")
    partial = track_partial(path.with_name(f".{path.name}.part"))
    try:
        pages = writer(data, partial)
        yield Progress(2, 3, "Đang lưu tệp…")
        os.replace(partial, path)
    finally:
        if partial.exists():
            partial.unlink()
    yield Progress(3, 3, "Đã xong.")
    return RenderResult(path, len(data.households), pages if path.suffix.lower() == ".pdf" else None)
