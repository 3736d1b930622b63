"""Start a new year's review from last year's list (rà soát đầu kỳ).

The annual review begins with the households already on the list; retyping them is what officials
complain about most. Each household assessed in ``from_year`` and not yet in ``to_year`` is carried
with last year's data and marked for review, and nothing is reclassified behind the official's back:

- under the same standard it keeps last year's classification, marked "chưa rà soát" until the
  official confirms or changes it;
- across a change of standard it is marked "rà soát theo chuẩn mới" and left unclassified: the
  indicators of two standards do not correspond (1.1 is education in QĐ 59, employment in NĐ 07)
  and the lines differ, so only the income is carried, as a hint for the new survey.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gnbv_desktop.core.review import NEW_STANDARD, PENDING
from gnbv_desktop.core.text import format_number
from gnbv_desktop.jobs.progress import Job, Progress
from gnbv_desktop.store.audit import record_job, suspend_row_audit
from gnbv_desktop.store.backup import backup_before_job
from gnbv_desktop.store.records import new_record_fields, next_rev
from gnbv_desktop.store.standard_store import standards_in_force

if TYPE_CHECKING:
    from sqlite_utils import Database

CARRIED_NOTE = "Chuyển từ danh sách năm {year}, cần rà soát lại."
NEW_STANDARD_NOTE = "Chuyển từ danh sách năm {year} ({old}); cần rà soát, xếp loại lại theo {new}."


def carry_forward(db: Database, from_year: int, to_year: int) -> Job[int]:
    """Copy ``from_year``'s assessments into ``to_year`` where missing; returns how many."""
    target = standards_in_force(db).for_year(to_year)
    rows = db.execute(
        """SELECT a.household_id, a.standard_id, a.area, a.income, a.deprived, a.classification, a.causes, a.needs,
                  a.target_groups
           FROM assessments a JOIN households h ON h.id = a.household_id AND h.deleted = 0
           WHERE a.year = ? AND a.deleted = 0
             AND NOT EXISTS (SELECT 1 FROM assessments b WHERE b.household_id = a.household_id AND b.year = ?)""",
        [from_year, to_year],
    ).fetchall()
    total = len(rows)
    if rows:
        yield Progress(0, total, "Đang sao lưu trước khi chuyển năm…")
        backup_before_job(db, "truoc-chuyen-nam")
    with db.atomic():
        suspend_row_audit(db)
        rev = next_rev(db)
        batch = []
        for i, (hid, std_id, area, income, deprived, cls, causes, needs, groups) in enumerate(rows):
            if i % 500 == 0:
                yield Progress(i, total, f"Đang chuyển danh sách năm {from_year} sang năm {to_year}…")
            same = std_id == target.id
            note = CARRIED_NOTE.format(year=from_year) if same else NEW_STANDARD_NOTE.format(
                year=from_year, old=std_id.upper(), new=target.short_name)
            batch.append(
                {
                    "household_id": hid,
                    "year": to_year,
                    "standard_id": target.id,
                    "area": area,
                    "income": income,
                    "deprived": deprived if same else "[]",
                    "classification": cls if same else "",
                    "causes": causes,
                    "needs": needs,
                    "note": note,
                    "target_groups": groups,
                    "review_status": PENDING if same else NEW_STANDARD,
                    **new_record_fields(db, rev),
                }
            )
        db["assessments"].insert_all(batch, batch_size=1000)
        record_job(db, "Chuyển danh sách sang năm mới", f"từ năm {from_year} sang năm {to_year}", {"hộ": total})
    yield Progress(total, total, "Xong.")
    return total


def carried_message(db: Database, carried: int, from_year: int, to_year: int) -> str:
    """What the official reads after a carry: how many, and what each must go through."""
    text = f"Đã chuyển {format_number(carried)} hộ từ danh sách năm {from_year} sang năm {to_year}"
    if not carried:
        return text + "."
    pending, new_std = db.execute(
        "SELECT COALESCE(SUM(review_status = ?), 0), COALESCE(SUM(review_status = ?), 0) FROM assessments "
        "WHERE year = ? AND deleted = 0", [PENDING, NEW_STANDARD, to_year]
    ).fetchone()
    parts = []
    if pending:
        parts.append(f"{format_number(pending)} hộ chưa rà soát (giữ phân loại năm {from_year} đến khi xác nhận)")
    if new_std:
        parts.append(f"{format_number(new_std)} hộ cần rà soát theo chuẩn mới (chưa xếp loại)")
    return text + ": " + "; ".join(parts) + "."
