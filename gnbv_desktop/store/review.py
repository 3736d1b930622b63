"""The year-end review in the database: review state of each assessment, the closed reviews with
their recognition decision, and the movements (transitions) computed when a review closes."""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gnbv_desktop.core.review import (
    BACK_TO_POOR,
    DEFAULT_ESCAPE_WINDOW_MONTHS,
    ESCAPED_NEAR_POOR,
    ESCAPED_POOR,
    NEW_STANDARD,
    PENDING,
    TRANSITIONS,
    add_months,
    transition,
)
from gnbv_desktop.core.text import is_digits
from gnbv_desktop.store.household_list import SIZE_SQL
from gnbv_desktop.store.records import new_record_fields, next_rev, now_iso, touch
from gnbv_desktop.store.settings import get_value, set_value

if TYPE_CHECKING:
    from sqlite_utils import Database

ESCAPE_WINDOW_KEY = "escape_window_months"


class ReviewError(ValueError):
    """The review cannot do what was asked; message for the user, nothing changed."""


@dataclass
class Review:
    year: int
    standard_id: str
    decision_number: str
    decision_date: str  # ISO date, "" when not given
    closed_at: str


@dataclass
class ReviewState:
    """How far the year's review has gone."""

    year: int
    households: int
    pending: int  # chưa rà soát
    new_standard: int  # rà soát theo chuẩn mới
    review: Review | None

    @property
    def open_items(self) -> int:
        return self.pending + self.new_standard


def _alive(year_column: str = "a.year") -> str:
    return (f"FROM assessments a JOIN households h ON h.id = a.household_id AND h.deleted = 0 "
            f"WHERE {year_column} = ? AND a.deleted = 0")


def get_review(db: Database, year: int) -> Review | None:
    row = db.execute(
        "SELECT year, standard_id, decision_number, decision_date, closed_at FROM reviews WHERE year = ? AND deleted = 0",
        [year],
    ).fetchone()
    return Review(*row) if row else None


def review_state(db: Database, year: int) -> ReviewState:
    total, pending, new_std = db.execute(
        f"SELECT COUNT(*), COALESCE(SUM(a.review_status = ?), 0), COALESCE(SUM(a.review_status = ?), 0) {_alive()}",
        [PENDING, NEW_STANDARD, year],
    ).fetchone()
    return ReviewState(year, total, pending, new_std, get_review(db, year))


def review_status_of(db: Database, year: int) -> dict[int, str]:
    """Household id → review state, for the households of ``year`` still under review."""
    return dict(db.execute(f"SELECT a.household_id, a.review_status {_alive()} AND a.review_status != ''", [year]))


def confirm_unchanged(db: Database, year: int, household_ids: list[int] | None = None) -> int:
    """Mark "chưa rà soát" households as reviewed with last year's data unchanged (all of them, or
    ``household_ids``); households to review under a new standard need their new assessment."""
    sql = f"SELECT a.id {_alive()} AND a.review_status = ?"
    params: list = [year, PENDING]
    if household_ids is not None:
        sql += f" AND a.household_id IN ({','.join('?' * len(household_ids))})"
        params += household_ids
    with db.atomic():
        ids = [r[0] for r in db.execute(sql, params)]
        rev = next_rev(db) if ids else None
        for aid in ids:
            touch(db, "assessments", aid, {"review_status": ""}, rev)
    return len(ids)


def _assessment_standard(db: Database, year: int) -> str | None:
    row = db.execute(f"SELECT a.standard_id, COUNT(*) {_alive()} GROUP BY 1 ORDER BY 2 DESC LIMIT 1", [year]).fetchone()
    return row[0] if row else None


def compute_transitions(db: Database, year: int) -> tuple[str, dict[int, tuple[str, str, str]]]:
    """(standard id, household id → (kind, last year's class, this year's class)) for ``year``.

    Only assessments under this year's standard are compared; a year whose previous year used
    another standard yields no movement (a new baseline).
    """
    std = _assessment_standard(db, year)
    if std is None:
        raise ReviewError(f"Danh sách năm {year} chưa có hộ nào.")
    history: dict[int, dict[int, str]] = defaultdict(dict)
    for hid, y, cls in db.execute(
        "SELECT a.household_id, a.year, a.classification FROM assessments a "
        "JOIN households h ON h.id = a.household_id AND h.deleted = 0 "
        "WHERE a.deleted = 0 AND a.year <= ? AND a.standard_id = ?",
        [year, std],
    ):
        history[hid][y] = cls
    previous_year_same = db.execute(
        "SELECT 1 FROM assessments WHERE year = ? AND deleted = 0 AND standard_id = ? LIMIT 1", [year - 1, std]
    ).fetchone() is not None
    out: dict[int, tuple[str, str, str]] = {}
    if not previous_year_same:
        return std, out
    for hid, years in history.items():
        if year not in years:
            continue
        prev = years.get(year - 1)
        earlier = [c for y, c in years.items() if y < year - 1]
        kind = transition(prev, years[year], earlier)
        if kind:
            out[hid] = (kind, prev or "", years[year])
    return std, out


def check_closable(db: Database, year: int, decision_date: str = "") -> None:
    """Raise :class:`ReviewError` naming what still stops ``year``'s review from closing."""
    if decision_date:
        try:
            _dt.date.fromisoformat(decision_date)
        except ValueError as exc:
            raise ReviewError(f"Ngày quyết định '{decision_date}' không hợp lệ.") from exc
    state = review_state(db, year)
    if state.households == 0:
        raise ReviewError(f"Danh sách năm {year} chưa có hộ nào.")
    if state.open_items:
        raise ReviewError(
            f"Năm {year} còn {state.pending} hộ chưa rà soát và {state.new_standard} hộ cần rà soát theo chuẩn mới; "
            "hãy rà soát xong trước khi kết thúc."
        )
    unclassified = db.execute(f"SELECT COUNT(*) {_alive()} AND a.classification = ''", [year]).fetchone()[0]
    if unclassified:
        raise ReviewError(f"Năm {year} còn {unclassified} hộ chưa được xếp loại.")


def close_review(db: Database, year: int, decision_number: str = "", decision_date: str = "") -> dict[str, int]:
    """Record the recognition decision and the year's movements; returns counts by movement.

    Refused while a household is still "chưa rà soát" or "rà soát theo chuẩn mới": closing must
    never turn an unreviewed household into a figure. Closing again recomputes (the decision can
    be corrected); movements that no longer hold are withdrawn, which the upper level learns.
    """
    # Here: the list's review filter imports this module, and the app opens on that list.
    from gnbv_desktop.store.audit import record_job, suspend_row_audit

    check_closable(db, year, decision_date)
    std, moves = compute_transitions(db, year)
    counts = dict.fromkeys(TRANSITIONS, 0)
    with db.atomic():
        suspend_row_audit(db)  # one audit entry for the whole close, not one per household
        rev = next_rev(db)
        existing = {hid: (tid, deleted) for tid, hid, deleted in
                    db.execute("SELECT id, household_id, deleted FROM transitions WHERE year = ?", [year])}
        for hid, (kind, prev, cur) in moves.items():
            counts[kind] += 1
            values = {"kind": kind, "from_classification": prev, "to_classification": cur,
                      "decision_date": decision_date}
            if hid in existing:
                touch(db, "transitions", existing[hid][0], {**values, "deleted": 0}, rev)
            else:
                db["transitions"].insert({"household_id": hid, "year": year, **values, **new_record_fields(db, rev)})
        for hid, (tid, deleted) in existing.items():
            if hid not in moves and not deleted:
                touch(db, "transitions", tid, {"deleted": 1}, rev)
        values = {"standard_id": std, "decision_number": decision_number.strip(), "decision_date": decision_date,
                  "closed_at": now_iso()}
        row = db.execute("SELECT id FROM reviews WHERE year = ?", [year]).fetchone()
        if row:
            touch(db, "reviews", row[0], {**values, "deleted": 0}, rev)
        else:
            db["reviews"].insert({"year": year, **values, **new_record_fields(db, rev)})
        record_job(db, "Kết thúc rà soát", f"năm {year}, quyết định {decision_number.strip() or '(chưa ghi số)'}",
                   {"hộ có biến động": len(moves)})
    return counts


def transition_counts(db: Database, year: int) -> dict | None:
    """Movements recorded when ``year``'s review closed (None while it is not closed):
    households and people per movement, ``escaped_poor`` being both kinds of thoát nghèo, and
    ``new_baseline`` when the year started a new standard."""
    review = get_review(db, year)
    if review is None:
        return None
    counts = dict.fromkeys(TRANSITIONS, 0)
    people = dict.fromkeys(TRANSITIONS, 0)
    for kind, n, persons in db.execute(
        f"""SELECT t.kind, COUNT(*), SUM({SIZE_SQL})
           FROM transitions t JOIN households h ON h.id = t.household_id AND h.deleted = 0
           WHERE t.year = ? AND t.deleted = 0 GROUP BY 1""",
        [year],
    ):
        counts[kind] = n
        people[kind] = persons
    counts["escaped_poor"] = sum(counts[k] for k in ESCAPED_POOR)
    people["escaped_poor"] = sum(people[k] for k in ESCAPED_POOR)
    # Here: the list's review filter imports this module, and the app opens on that list before
    # anything else needs the standards.
    from gnbv_desktop.core.standards import StandardError
    from gnbv_desktop.store.standard_store import standards_in_force

    try:
        prev_std = standards_in_force(db).for_year(year - 1).id
    except StandardError:
        prev_std = None
    return {**counts, "people": people, "new_baseline": prev_std != review.standard_id,
            "decision_number": review.decision_number, "decision_date": review.decision_date}


def household_transitions(db: Database, year: int) -> dict[int, str]:
    """Household id → movement recorded for ``year``."""
    return dict(db.execute("SELECT household_id, kind FROM transitions WHERE year = ? AND deleted = 0", [year]))


def escape_window_months(db: Database) -> int:
    value = get_value(db, ESCAPE_WINDOW_KEY, str(DEFAULT_ESCAPE_WINDOW_MONTHS))
    return int(value) if is_digits(value) else DEFAULT_ESCAPE_WINDOW_MONTHS


def set_escape_window_months(db: Database, months: int) -> None:
    if not 1 <= months <= 120:
        raise ReviewError("Thời gian hưởng chính sách của hộ mới thoát nghèo phải từ 1 đến 120 tháng.")
    with db.atomic():
        set_value(db, ESCAPE_WINDOW_KEY, str(months))


def recently_escaped(db: Database, on: _dt.date) -> dict[int, str]:
    """Household id → recognition date, for households that escaped poverty (a closed review's
    decision) within the configured window before ``on`` and have not become poor again since —
    "hộ mới thoát nghèo", whom the follow-up policies keep supporting."""
    months = escape_window_months(db)
    latest: dict[int, tuple[int, str, str]] = {}
    for hid, year, kind, decided in db.execute(
        """SELECT t.household_id, t.year, t.kind, COALESCE(NULLIF(t.decision_date, ''), r.closed_at)
           FROM transitions t JOIN reviews r ON r.year = t.year AND r.deleted = 0
           JOIN households h ON h.id = t.household_id AND h.deleted = 0
           WHERE t.deleted = 0 AND t.kind IN (?, ?, ?, ?, ?) ORDER BY t.year""",
        [*ESCAPED_POOR, *BACK_TO_POOR],
    ):
        latest[hid] = (year, kind, decided[:10])
    today = on.isoformat()
    return {hid: day for hid, (_y, kind, day) in latest.items()
            if kind in ESCAPED_POOR and day <= today < add_months(day, months)}


@dataclass
class Leaving:
    """A household leaving poverty or near-poverty this year (for the posting list and forms)."""

    household_id: int
    head_name: str
    head_birth_year: int | None
    head_cccd: str
    village: str
    size: int
    kind: str
    before: str
    after: str


def leaving_households(db: Database, year: int, village_ids: list[int] | None = None) -> list[Leaving]:
    """Households whose review result takes them out of poverty or near-poverty, computed from the
    assessments (before the recognition decision, as the posting list needs), in village and name order."""
    try:
        _std, moves = compute_transitions(db, year)
    except ReviewError:  # nothing on the list yet
        return []
    leaving = {hid: m for hid, m in moves.items() if m[0] in (*ESCAPED_POOR, ESCAPED_NEAR_POOR)}
    if not leaving:
        return []
    rows = db.execute(
        f"""SELECT h.id, h.head_name, h.head_birth_year, h.head_cccd, COALESCE(v.name, ''), h.village_id,
                   {SIZE_SQL}
            FROM households h LEFT JOIN villages v ON v.id = h.village_id
            WHERE h.id IN ({','.join('?' * len(leaving))}) ORDER BY v.sort_order, v.id, h.sort_key, h.id""",
        list(leaving),
    ).fetchall()
    return [Leaving(hid, name, born, cccd, village, size, *leaving[hid])
            for hid, name, born, cccd, village, vid, size in rows if not village_ids or vid in village_ids]
