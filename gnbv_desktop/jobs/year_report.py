"""Write one summary form of the year's cycle to a PDF or XLSX file (the commune's own, or the
upper level's with communes as rows)."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from gnbv_desktop.core.document import issuer
from gnbv_desktop.io.year_forms_pdf import write_form_pdf
from gnbv_desktop.io.year_forms_xlsx import write_form_xlsx
from gnbv_desktop.jobs.progress import Job, Progress
from gnbv_desktop.store.plans import get_commune_plan
from gnbv_desktop.store.settings import is_aggregate, load_settings
from gnbv_desktop.store.upper_forms import build_upper_form
from gnbv_desktop.store.year_forms import build_form


def write_report(db: Database, path: Path, key: str, year: int, period: str | None = None) -> Job[int]:
    """Build the form and write it; returns the number of pages (0 for a workbook). The file is
    written next to its place under a temporary name and moved there only when complete."""
    yield Progress(0, 2, "Đang tổng hợp số liệu…")
    form = build_upper_form(db, key, year, period) if is_aggregate(db) else build_form(db, key, year, period)
    yield Progress(1, 2, "Đang ghi tệp…")
    s = load_settings(db)
    who = issuer(s.commune_name, s.province_name)
    plan = get_commune_plan(db, year)
    partial = path.with_name(path.name + ".dang-ghi")
    pages = 0
    try:
        if path.suffix.lower() == ".pdf":
            pages = write_form_pdf([form], who, partial, plan.signer_title if plan else "CHỦ TỊCH",
                                   plan.signer_name if plan else "", s.commune_name)
        else:
            write_form_xlsx([form], who, partial, plan.signer_name if plan else "")
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    yield Progress(2, 2, "Xong.")
    return pages
