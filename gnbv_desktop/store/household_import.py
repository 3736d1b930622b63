"""Writing many households at once (Excel import): one revision, batched inserts, no per-row scans.

``save_household`` validates and reserves a revision and a code per call, which makes 20,000
rows quadratic; here the caller has validated, owns the transaction and passes one ``rev``.
The bookkeeping (uuid, timestamps, change counter, rev, soft deletion of dropped members) is the
same as in :mod:`gnbv_desktop.store.households`.
"""

from __future__ import annotations

from sqlite_utils import Database

from gnbv_desktop.core.household import Assessment, Household, normalize_household
from gnbv_desktop.store.households import _assessment_values, _household_values, _member_values, take_year_flags
from gnbv_desktop.store.records import new_record_fields, replace_rows, touch


def write_households(db: Database, items: list[tuple[Household, Assessment | None]], rev: int) -> None:
    """Insert (``id is None``) or update each household with its members and assessment.

    Must run inside the caller's ``db.atomic()``; ids and uuids are set on the objects.
    """
    next_id = db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM households").fetchone()[0]
    new_households, new_members, new_assessments = [], [], []
    for h, assessment in items:
        normalize_household(h)
        if assessment is not None:
            take_year_flags(assessment, h)
        if h.id is None:
            fields = {**_household_values(h), **new_record_fields(db, rev), "id": next_id}
            h.id, h.uuid = next_id, fields["uuid"]
            next_id += 1
            new_households.append(fields)
            for order, m in enumerate(h.members):
                new_members.append({**_member_values(m, h.id, order), **new_record_fields(db, rev)})
            if assessment is not None:
                fields = {**_assessment_values(assessment, h.id), **new_record_fields(db, rev)}
                assessment.uuid = fields["uuid"]
                new_assessments.append(fields)
            continue
        touch(db, "households", h.id, _household_values(h), rev)
        _update_members(db, h, rev, new_members)
        if assessment is not None:
            _upsert_assessment(db, h.id, assessment, rev, new_assessments)
    db["households"].insert_all(new_households, batch_size=500)
    db["members"].insert_all(new_members, batch_size=500)
    db["assessments"].insert_all(new_assessments, batch_size=500)


def _update_members(db: Database, h: Household, rev: int, new_members: list[dict]) -> None:
    existing = {r[0] for r in db.execute("SELECT id FROM members WHERE household_id = ? AND deleted = 0", [h.id])}
    records = [(m.id, _member_values(m, h.id, order)) for order, m in enumerate(h.members)]
    replace_rows(db, "members", existing, records, rev, pending_inserts=new_members)


def _upsert_assessment(db: Database, household_id: int, a: Assessment, rev: int, new_rows: list[dict]) -> None:
    values = _assessment_values(a, household_id)
    row = db.execute(
        "SELECT id FROM assessments WHERE household_id = ? AND year = ?", [household_id, a.year]
    ).fetchone()
    if row:
        touch(db, "assessments", row[0], {**values, "deleted": 0}, rev)
        a.id = row[0]
    else:
        new_rows.append({**values, **new_record_fields(db, rev)})
