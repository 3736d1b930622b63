"""Start a new year's review from last year's list.

The annual review (rà soát) begins with the households already on the list; retyping them is
what officials complain about most. Each household assessed in ``from_year`` and not yet in
``to_year`` gets a provisional assessment: same income, the deprivations that still exist in the
new year's standard, classified under that standard, with a note saying it must be reviewed.
"""

from __future__ import annotations

import json

from sqlite_utils import Database

from gnbv_desktop.core.standards import classify
from gnbv_desktop.jobs.progress import Job, Progress
from gnbv_desktop.store.audit import record_job, suspend_row_audit
from gnbv_desktop.store.backup import backup_before_job
from gnbv_desktop.store.records import new_record_fields, next_rev
from gnbv_desktop.store.standard_store import standards_in_force

CARRIED_NOTE = "Chuyển từ danh sách năm {year}, cần rà soát lại."


def carry_forward(db: Database, from_year: int, to_year: int) -> Job[int]:
    """Copy ``from_year``'s assessments into ``to_year`` where missing; returns how many."""
    target = standards_in_force(db).for_year(to_year)
    rows = db.execute(
        """SELECT a.household_id, a.area, a.income, a.deprived, a.causes, a.needs
           FROM assessments a JOIN households h ON h.id = a.household_id AND h.deleted = 0
           WHERE a.year = ? AND a.deleted = 0
             AND NOT EXISTS (SELECT 1 FROM assessments b WHERE b.household_id = a.household_id AND b.year = ?)""",
        [from_year, to_year],
    ).fetchall()
    total = len(rows)
    valid = set(target.indicator_codes)
    if rows:
        yield Progress(0, total, "Đang sao lưu trước khi chuyển năm…")
        backup_before_job(db, "truoc-chuyen-nam")
    with db.atomic():
        suspend_row_audit(db)
        rev = next_rev(db)
        batch = []
        for i, (hid, area, income, deprived, causes, needs) in enumerate(rows):
            if i % 500 == 0:
                yield Progress(i, total, f"Đang chuyển danh sách năm {from_year} sang năm {to_year}…")
            kept = [c for c in json.loads(deprived) if c in valid]
            cls = classify(target, area, income or 0, kept).classification
            batch.append(
                {
                    "household_id": hid,
                    "year": to_year,
                    "standard_id": target.id,
                    "area": area,
                    "income": income,
                    "deprived": json.dumps(kept),
                    "classification": cls,
                    "causes": causes,
                    "needs": needs,
                    "note": CARRIED_NOTE.format(year=from_year),
                    **new_record_fields(db, rev),
                }
            )
        db["assessments"].insert_all(batch, batch_size=1000)
        record_job(db, "Chuyển danh sách sang năm mới", f"từ năm {from_year} sang năm {to_year}", {"hộ": total})
    yield Progress(total, total, "Xong.")
    return total
