"""Writing many households at once (Excel import): one revision, batched reads and inserts, and
nothing written for what did not change.

``save_household`` validates and reserves a revision and a code per call, which makes 20,000
rows quadratic; here the caller has validated, owns the transaction and passes one ``rev``.
The bookkeeping (uuid, timestamps, change counter, rev, soft deletion of dropped members) is the
same as in :mod:`gnbv_desktop.store.households`, but an update writes only the columns whose
value differs, so re-importing an unchanged list raises no change counter and leaves the next
incremental sync package empty.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from operator import itemgetter

from sqlite_utils import Database

from gnbv_desktop.core.household import Assessment, Household, Member, normalize_household
from gnbv_desktop.core.text import fold
from gnbv_desktop.store.households import _assessment_values, _household_values, _member_values, take_year_flags
from gnbv_desktop.store.records import new_record_fields, now_iso, touch

_HOUSEHOLD_FIELDS = ("code", "head_name", "head_cccd", "head_birth_year", "head_birth_date", "head_sex",
                     "ethnicity_name", "ethnicity_code", "ethnicity_list", "village_id", "address", "phone", "note",
                     "declared_size")
_MEMBER_FIELDS = ("full_name", "relation", "birth_year", "sex", "cccd", "ethnicity_name", "ethnicity_code",
                  "ethnicity_list")


@dataclass
class Recorded:
    """What the database holds for a chunk of households about to be updated."""

    households: dict[int, Household]
    rows: dict[int, dict]  # household id → its stored column values
    members: dict[int, list[dict]]  # household id → stored member rows (not deleted), in order
    assessments: dict[int, dict]  # household id → the year's stored assessment row


def insert_rows(db: Database, table: str, rows: list[dict]) -> None:
    """Insert rows that all have the same keys with one ``executemany`` (sqlite-utils' ``insert_all``
    inspects every value in Python, which was a third of a 20,000-household import)."""
    if not rows:
        return
    columns = list(rows[0])
    sql = (f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
           f"VALUES ({', '.join('?' * len(columns))})")
    values = itemgetter(*columns)
    db.conn.executemany(sql, map(values, rows) if len(columns) > 1 else ((values(r),) for r in rows))


def record_fields(rev: int) -> Callable[[], dict]:
    """:func:`new_record_fields` for the many rows of one bulk write: one timestamp (the write's),
    UUIDs drawn from the system's random source a block at a time."""
    ts = now_iso()

    def uuids() -> Iterator[str]:
        while True:
            yield from uuid4_texts(512)

    texts = uuids()

    def fresh() -> dict:
        return {"uuid": next(texts), "created_at": ts, "updated_at": ts, "change_counter": 1, "rev": rev, "deleted": 0}

    return fresh


def uuid4_texts(n: int) -> list[str]:
    """``n`` random (version 4) UUIDs as text, the same form as ``str(uuid.uuid4())``, from one call
    to the system's random source (``uuid4`` per record was a tenth of writing 20,000 households)."""
    raw = bytearray(os.urandom(16 * n))
    raw[6::16] = raw[6::16].translate(_VERSION_4)
    raw[8::16] = raw[8::16].translate(_VARIANT)
    h = raw.hex()
    return [f"{h[i:i + 8]}-{h[i + 8:i + 12]}-{h[i + 12:i + 16]}-{h[i + 16:i + 20]}-{h[i + 20:i + 32]}"
            for i in range(0, 32 * n, 32)]


_VERSION_4 = bytes(b & 0x0F | 0x40 for b in range(256))  # byte 6 of every UUID: version 4
_VARIANT = bytes(b & 0x3F | 0x80 for b in range(256))  # byte 8: the RFC 4122 variant


def _in(ids: list[int]) -> str:
    return ",".join("?" * len(ids))


def load_recorded(db: Database, ids: list[int], year: int) -> Recorded:
    """The chunk's households, members and assessments of ``year`` in three queries."""
    out = Recorded({}, {}, {}, {})
    if not ids:
        return out
    for r in db.query(f"SELECT * FROM households WHERE id IN ({_in(ids)})", ids):
        out.rows[r["id"]] = r
        out.households[r["id"]] = Household(
            **{f: r[f] for f in _HOUSEHOLD_FIELDS}, categories=json.loads(r["categories"]), id=r["id"], uuid=r["uuid"])
    for m in db.query(f"SELECT * FROM members WHERE deleted = 0 AND household_id IN ({_in(ids)}) "
                      "ORDER BY household_id, sort_order, id", ids):
        out.members.setdefault(m["household_id"], []).append(m)
        out.households[m["household_id"]].members.append(
            Member(**{f: m[f] for f in _MEMBER_FIELDS}, id=m["id"], uuid=m["uuid"]))
    for a in db.query(f"SELECT * FROM assessments WHERE year = ? AND household_id IN ({_in(ids)})", [year, *ids]):
        out.assessments[a["household_id"]] = a
    return out


def recorded_assessment(row: dict | None) -> Assessment | None:
    """The stored assessment (``None`` when there is none, or it was deleted)."""
    if row is None or row["deleted"]:
        return None
    return Assessment(year=row["year"], standard_id=row["standard_id"], area=row["area"], income=row["income"],
                      deprived=json.loads(row["deprived"]), classification=row["classification"],
                      causes=json.loads(row["causes"]), needs=json.loads(row["needs"]), note=row["note"],
                      target_groups=json.loads(row["target_groups"]), review_status=row["review_status"],
                      id=row["id"], uuid=row["uuid"])


def match_members(old: list[Member], new: list[Member]) -> None:
    """Give each of the file's members the identity of the recorded member it is, so nobody is
    deleted and recreated: same CCCD; else same name, birth year and relation; else same name and
    birth year; else same name — the recorded person nearest in order wins a tie."""
    unused = list(enumerate(old))

    def take(i: int, test) -> Member | None:
        candidates = [(pos, m) for pos, m in unused if test(m)]
        if not candidates:
            return None
        pos, m = min(candidates, key=lambda c: abs(c[0] - i))
        unused.remove((pos, m))
        return m

    keys = [
        lambda n: (lambda m: bool(n.cccd) and m.cccd == n.cccd),
        lambda n: (lambda m: fold(m.full_name) == fold(n.full_name) and m.birth_year == n.birth_year
                   and fold(m.relation) == fold(n.relation)),
        lambda n: (lambda m: fold(m.full_name) == fold(n.full_name) and m.birth_year == n.birth_year),
        lambda n: (lambda m: fold(m.full_name) == fold(n.full_name)),
    ]
    pending = list(enumerate(new))
    for key in keys:
        left = []
        for i, m in pending:
            prev = take(i, key(m))
            if prev is None:
                left.append((i, m))
            else:
                m.id, m.uuid = prev.id, prev.uuid
        pending = left
    for _i, m in pending:
        m.id, m.uuid = None, ""


def write_households(db: Database, items: list[tuple[Household, Assessment | None]], rev: int,
                     recorded: Recorded | None = None) -> set[int]:
    """Insert (``id is None``) or update each household with its members and assessment.

    Must run inside the caller's ``db.atomic()``; ids and uuids are set on the objects. Updates
    compare with ``recorded`` (see :func:`load_recorded`) and write only what differs. Returns the
    ids of the updated households where something changed.
    """
    recorded = recorded or Recorded({}, {}, {}, {})
    fresh = record_fields(rev)  # one timestamp for the chunk; each record gets its own uuid

    next_id = db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM households").fetchone()[0]
    new_households, new_members, new_assessments = [], [], []
    changed: set[int] = set()
    for h, assessment in items:
        normalize_household(h)
        if assessment is not None:
            take_year_flags(assessment, h)
        if h.id is None:
            fields = {**_household_values(h), **fresh(), "id": next_id}
            h.id, h.uuid = next_id, fields["uuid"]
            next_id += 1
            new_households.append(fields)
            for order, m in enumerate(h.members):
                new_members.append({**_member_values(m, h.id, order), **fresh()})
            if assessment is not None:
                fields = {**_assessment_values(assessment, h.id), **fresh()}
                assessment.uuid = fields["uuid"]
                new_assessments.append(fields)
            continue
        old = recorded.rows.get(h.id)
        values = _household_values(h)
        diff = values if old is None else {k: v for k, v in values.items() if old[k] != v}
        if diff or (old is not None and old["deleted"]):
            touch(db, "households", h.id, {**diff, "deleted": 0}, rev)
            changed.add(h.id)
        if _update_members(db, h, rev, recorded.members.get(h.id, []), new_members):
            changed.add(h.id)
        if assessment is not None and _upsert_assessment(db, h.id, assessment, rev, recorded.assessments.get(h.id),
                                                         new_assessments):
            changed.add(h.id)
    insert_rows(db, "households", new_households)
    insert_rows(db, "members", new_members)
    insert_rows(db, "assessments", new_assessments)
    return changed


def _update_members(db: Database, h: Household, rev: int, old_rows: list[dict], new_members: list[dict]) -> bool:
    """Make the household's members ``h.members``, writing only the differences; True when any."""
    by_id = {r["id"]: r for r in old_rows}
    kept: set[int] = set()
    changed = False
    for order, m in enumerate(h.members):
        values = _member_values(m, h.id, order)
        old = by_id.get(m.id) if m.id is not None else None
        if old is None:
            new_members.append({**values, **new_record_fields(db, rev)})
            changed = True
            continue
        kept.add(old["id"])
        diff = {k: v for k, v in values.items() if old[k] != v}
        if diff:
            touch(db, "members", old["id"], diff, rev)
            changed = True
    for gone in set(by_id) - kept:
        touch(db, "members", gone, {"deleted": 1}, rev)
        changed = True
    return changed


def _upsert_assessment(db: Database, household_id: int, a: Assessment, rev: int, old: dict | None,
                       new_rows: list[dict]) -> bool:
    values = _assessment_values(a, household_id)
    if old is None:
        new_rows.append({**values, **new_record_fields(db, rev)})
        return True
    a.id = old["id"]
    diff = {k: v for k, v in values.items() if old[k] != v}
    if diff or old["deleted"]:
        touch(db, "assessments", old["id"], {**diff, "deleted": 0}, rev)
        return True
    return False
