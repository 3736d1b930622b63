"""Writing many households at once (Excel import): one revision, batched reads and inserts, and
nothing written for what did not change.

``save_household`` validates and reserves a revision and a code per call, which makes 20,000
rows quadratic; here the caller has validated, owns the transaction and passes one ``rev``.
The bookkeeping (uuid, timestamps, change counter, rev, soft deletion of dropped members) and the
columns written are the same as in :mod:`gnbv_desktop.store.households` (its ``*_row`` functions
and ``*_COLUMNS``), but rows travel as tuples, new ones go in with one ``executemany`` per table,
and an update writes only the columns whose value differs, so re-importing an unchanged list
raises no change counter and leaves the next incremental sync package empty.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter, itemgetter

from sqlite_utils import Database

from gnbv_desktop.core.household import (
    Assessment,
    Household,
    Member,
    normalize_households,
    normalize_members,
    tidied_household_columns,
)
from gnbv_desktop.core.text import fold
from gnbv_desktop.store.households import (
    ASSESSMENT_COLUMNS,
    ASSESSMENT_FIELDS,
    HOUSEHOLD_COLUMNS,
    HOUSEHOLD_FIELDS,
    MEMBER_COLUMNS,
    assessment_columns_of,
    assessment_rows,
    household_columns_of,
    household_rows,
    member_row,
    take_year_flags_all,
)
from gnbv_desktop.store.records import RECORD_COLUMNS, new_record_values, now_iso, touch


@dataclass
class Recorded:
    """What the database holds for a chunk of households about to be updated, as stored tuples."""

    households: dict[int, Household]
    rows: dict[int, tuple]  # household id → (deleted, *values in HOUSEHOLD_COLUMNS order)
    members: dict[int, list[tuple]]  # household id → (id, *MEMBER_COLUMNS values) of live members, in order
    assessments: dict[int, tuple]  # household id → the year's (id, uuid, deleted, *ASSESSMENT_COLUMNS values)


def insert_tuples(db: Database, table: str, columns: tuple[str, ...], rows: Iterable[tuple],
                  same: dict[str, int | str | None] | None = None) -> None:
    """Insert rows given as tuples in ``columns`` order with one ``executemany``: the one bulk insert
    of an import (sqlite-utils' ``insert_all`` inspects every value in Python, which was a third of
    a 20,000-household import). ``same``: columns with one value for every row (a bulk write's
    timestamps and revision), written once into the statement rather than bound on each row."""
    rows = rows if isinstance(rows, list) else list(rows)
    if len(rows) > 1:
        insert_columns(db, table, columns, list(zip(*rows, strict=True)), same)
    elif rows:
        _insert(db, table, columns, rows, same or {})


def insert_columns(db: Database, table: str, names: tuple[str, ...], columns: list[Sequence],
                   same: dict[str, int | str | None] | None = None) -> None:
    """:func:`insert_tuples` of rows given as columns (``columns``: one per name of ``names``, a value
    per row in each).

    Any column whose value is the same in every row (a list's blank addresses and notes, its one
    ethnic-code list, the standard in force, the classification's empty review) is written into the
    statement too: the sqlite3 module binds each text by allocating and copying it inside SQLite, a
    tenth of writing 20,000 households. Only texts, integers and NULLs are written so, each as the
    very value a bind would store (a column mixing ``1`` and ``1.0``, equal in Python, is bound)."""
    same = dict(same or {})
    shared = _shared_columns(columns)
    if len(shared) == len(columns):  # nothing left to bind: one column is bound all the same
        shared.popitem()
    same.update((names[i], value) for i, value in shared.items())
    kept = [i for i in range(len(columns)) if i not in shared]
    _insert(db, table, tuple(names[i] for i in kept), list(zip(*[columns[i] for i in kept], strict=True)), same)


def _insert(db: Database, table: str, columns: tuple[str, ...], rows: list[tuple],
            same: dict[str, int | str | None]) -> None:
    values = [_in(columns), *map(_literal, same.values())]
    db.conn.executemany(f"INSERT INTO [{table}] ({_columns((*columns, *same))}) VALUES ({','.join(values)})", rows)


def _shared_columns(columns: list[Sequence]) -> dict[int, int | str | None]:
    """The columns (by position) holding one value, of one type, in every row, each with that value:
    a text without NUL (which would end the statement), an integer of SQLite's 64 bits, or NULL."""
    out = {}
    for i, column in enumerate(columns):
        if len(column) < 2:
            continue
        first = column[0]
        if first != column[-1] or first != column[len(column) // 2]:  # most that differ, told at once
            continue
        kind = type(first)
        # a text or NULL equal to every value is the value of each (what equals a text is a text);
        # equal integers may be floats or bools, which bind otherwise, so their types are compared
        if ((kind is str and "\x00" not in first and _encodable(first)) or first is None
                or (kind is int and -2**63 <= first < 2**63)) \
                and column.count(first) == len(column) and (kind is not int or set(map(type, column)) == {int}):
            out[i] = first
    return out


def _encodable(text: str) -> bool:
    """Whether ``text`` can be written in the statement (UTF-8: no lone surrogate)."""
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def _literal(value: int | str | None) -> str:
    """``value`` as an SQL literal."""
    if value is None:
        return "NULL"
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(f"not an SQL literal: {value!r}")
    return str(value) if isinstance(value, int) else "'" + value.replace("'", "''") + "'"


def insert_rows(db: Database, table: str, rows: list[dict]) -> None:
    """:func:`insert_tuples` for rows given as dicts that all have the same keys."""
    if not rows:
        return
    columns = tuple(rows[0])
    values = itemgetter(*columns)
    insert_tuples(db, table, columns, map(values, rows) if len(columns) > 1 else ((values(r),) for r in rows))


class RecordStamp:
    """The bookkeeping of the many new rows of one bulk write (:data:`RECORD_COLUMNS`): one timestamp
    (the write's), one revision, UUIDs drawn from the system's random source a block at a time."""

    def __init__(self, rev: int):
        self.rev, self.ts = rev, now_iso()
        # every bookkeeping column but the UUID: the same for each new row of the write
        self.same: dict[str, int | str] = dict(zip(RECORD_COLUMNS[1:], new_record_values("", self.ts, rev)[1:],
                                                   strict=True))
        self._uuids = self._draw()
        # A new record's UUID: the drawing generator's own ``__next__``, called for every new row
        # without a frame of ours.
        self.uuid: Callable[[], str] = self._uuids.__next__

    @staticmethod
    def _draw() -> Iterator[str]:
        while True:
            yield from uuid4_texts(512)

    def uuids(self, n: int) -> list[str]:
        """The UUIDs of ``n`` new records, drawn at once (not one by one from :meth:`uuid`'s generator)."""
        return uuid4_texts(n)

    def fields(self) -> dict:
        """A new record's bookkeeping (:data:`RECORD_COLUMNS`) as a dict, for rows built as dicts."""
        return {"uuid": self.uuid(), **self.same}


def record_fields(rev: int) -> Callable[[], dict]:
    """``new_record_fields`` for the many rows of one bulk write (see :class:`RecordStamp`)."""
    return RecordStamp(rev).fields


def uuid4_texts(n: int) -> list[str]:
    """``n`` random (version 4) UUIDs as text, the same form as ``str(uuid.uuid4())``, from one call
    to the system's random source (``uuid4`` per record was a tenth of writing 20,000 households).
    The texts are laid out in one buffer by strided slice copies, each digit position of all ``n``
    at once, and split on their line ends: no Python step per UUID."""
    raw = bytearray(os.urandom(16 * n))
    raw[6::16] = raw[6::16].translate(_VERSION_4)
    raw[8::16] = raw[8::16].translate(_VARIANT)
    digits = raw.hex().encode()
    text = bytearray(b"-" * (37 * n))  # 36 characters and a line end each; the dashes stay where no digit goes
    text[36::37] = b"\n" * n
    for j, at in enumerate(_DIGIT_AT):
        text[at::37] = digits[j::32]
    return text.decode().split()


_VERSION_4 = bytes(b & 0x0F | 0x40 for b in range(256))  # byte 6 of every UUID: version 4
_VARIANT = bytes(b & 0x3F | 0x80 for b in range(256))  # byte 8: the RFC 4122 variant
# where each of a UUID's 32 hex digits goes in its text 8-4-4-4-12
_DIGIT_AT = [j + (j >= 8) + (j >= 12) + (j >= 16) + (j >= 20) for j in range(32)]


def _in(values: Sized) -> str:
    """One placeholder per value."""
    return ",".join("?" * len(values))


def _columns(names: tuple[str, ...]) -> str:
    """Column names quoted for SQL, comma-separated."""
    return ", ".join(f"[{c}]" for c in names)


def load_recorded(db: Database, ids: list[int], year: int) -> Recorded:
    """The chunk's households, members and assessments of ``year`` in three queries."""
    out = Recorded({}, {}, {}, {})
    if not ids:
        return out
    for hid, uuid, *row in db.execute(f"SELECT id, uuid, deleted, {_columns(HOUSEHOLD_COLUMNS)} FROM households "
                                      f"WHERE id IN ({_in(ids)})", ids):
        out.rows[hid] = tuple(row)
        # unpacked by name in HOUSEHOLD_COLUMNS' order, not through a dict per row: a re-import reads 20,000
        (_deleted, code, head_name, cccd, birth_year, birth_date, sex, ethnicity_name, ethnicity_code, ethnicity_list,
         village_id, address, phone, categories, note, declared_size, _search_key, _sort_key) = row
        out.households[hid] = Household(
            head_name=head_name, village_id=village_id, code=code, head_cccd=cccd, head_birth_year=birth_year,
            head_birth_date=birth_date, head_sex=sex, ethnicity_name=ethnicity_name, ethnicity_code=ethnicity_code,
            ethnicity_list=ethnicity_list, address=address, phone=phone, categories=json_list(categories), note=note,
            id=hid, uuid=uuid, declared_size=declared_size)
    for mid, uuid, *row in db.execute(f"SELECT id, uuid, {_columns(MEMBER_COLUMNS)} FROM members "
                                      f"WHERE deleted = 0 AND household_id IN ({_in(ids)}) "
                                      "ORDER BY household_id, sort_order, id", ids):
        hid = row[0]
        out.members.setdefault(hid, []).append((mid, *row))
        person = dict(zip(MEMBER_COLUMNS[1:-1], row[1:-1], strict=True))  # a Member's fields: all but the two ends
        out.households[hid].members.append(Member(**person, id=mid, uuid=uuid))
    for row in db.execute(f"SELECT id, uuid, deleted, {_columns(ASSESSMENT_COLUMNS)} FROM assessments "
                          f"WHERE year = ? AND household_id IN ({_in(ids)})", [year, *ids]):
        out.assessments[row[3]] = row  # by household id, the first of ASSESSMENT_COLUMNS
    return out


@lru_cache(maxsize=4096)
def _json_tuple(text: str) -> tuple:
    return tuple(json.loads(text))


def json_list(text: str) -> list:
    """A stored JSON list (categories, indicators, causes…), decoded once per distinct text: the
    households of a commune share a few hundred; each caller gets its own list."""
    return list(_json_tuple(text))


def recorded_assessment(row: tuple | None) -> Assessment | None:
    """The stored assessment of a :attr:`Recorded.assessments` row (``None`` when there is none, or
    it was deleted)."""
    if row is None or row[2]:
        return None
    # unpacked by position (ASSESSMENT_COLUMNS' order), not through a dict per row: a re-import reads 20,000
    _hid, year, standard_id, area, income, deprived, classification, causes, needs, note, groups, review = row[3:]
    return Assessment(year=year, standard_id=standard_id, area=area, income=income, deprived=json_list(deprived),
                      classification=classification, causes=json_list(causes), needs=json_list(needs), note=note,
                      target_groups=json_list(groups), review_status=review, id=row[0], uuid=row[1])


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
    stamp = RecordStamp(rev)  # one timestamp for the chunk; each record gets its own uuid
    next_id = _next_id(db)
    households = [h for h, _a in items]
    normalize_households(households)
    take_year_flags_all(items)
    # the new households' rows built a column at a time, then added in the items' order, so that
    # every row keeps the place (and the id) a write of one household after the other gives it
    ids = list(map(_ID, households))
    fresh = [item for item, hid in zip(items, ids, strict=True) if hid is None]
    new_ids, uuids = range(next_id, next_id + len(fresh)), stamp.uuids(len(fresh))
    for (h, _a), hid, uuid in zip(fresh, new_ids, uuids, strict=True):
        h.id, h.uuid = hid, uuid
    rows = household_rows([h for h, _a in fresh], uuids, new_ids)
    assessed = [(a, h.id) for h, a in fresh if a is not None]
    uuids = stamp.uuids(len(assessed))
    for (a, _hid), uuid in zip(assessed, uuids, strict=True):
        a.uuid = uuid
    new_assessments = assessment_rows([a for a, _hid in assessed], [hid for _a, hid in assessed], uuids)
    new = NewRows(stamp)
    changed: set[int] = set()
    adding = iter(zip(fresh, rows, strict=True))
    assessments_left = iter(new_assessments)
    # the recorded households' rows made for them all at once too, as the new ones'
    held = [item for item, hid in zip(items, ids, strict=True) if hid is not None]
    held_rows = iter(household_rows([h for h, _a in held]))
    held_assessed = [(a, h.id) for h, a in held if a is not None]
    held_assessments = iter(assessment_rows([a for a, _hid in held_assessed], [hid for _a, hid in held_assessed]))
    for (h, assessment), hid in zip(items, ids, strict=True):
        if hid is None:
            item, row = next(adding)
            new.add([item], [row], [] if assessment is None else [next(assessments_left)])
            continue
        if _update_household(db, h, rev, recorded.rows.get(h.id), next(held_rows)):
            changed.add(h.id)
        if _update_members(db, h, rev, recorded.members.get(h.id, []), new):
            changed.add(h.id)
        if assessment is not None and _upsert_assessment(db, h.id, assessment, rev, recorded.assessments.get(h.id),
                                                         new, next(held_assessments)):
            changed.add(h.id)
    new.insert(db)
    return changed


@dataclass
class NewHouseholds:
    """Households none of which is recorded (a first import's), as columns rather than objects: the
    import makes each household's row from the file's values without making the household first.

    ``fields``: a column per field of :data:`HOUSEHOLD_FIELDS` and ``members`` (each household's list);
    ``assessed``: the positions of the households with an assessment of the year, and ``assessments``
    a column per field of :data:`ASSESSMENT_FIELDS` but ``target_groups`` (taken from the household's
    flags once they are tidied, as :func:`take_year_flags` does), a value per assessed household."""

    fields: dict[str, Sequence]
    assessed: list[int]
    assessments: dict[str, Sequence]


def write_new_households(db: Database, new: NewHouseholds, rev: int) -> range:
    """Insert the households, their members and assessments, tidied as :func:`write_households` tidies
    them, with the same rows; returns their ids, in order. Must run inside the caller's transaction.
    The rows are never made whole: each table's columns go to :func:`insert_columns` as they are."""
    stamp = RecordStamp(rev)
    fields = {**new.fields, **tidied_household_columns(new.fields)}
    members = fields["members"]
    normalize_members([m for ms in members for m in ms])
    first = _next_id(db)
    ids = range(first, first + len(members))
    insert_columns(db, "households", (*HOUSEHOLD_COLUMNS, "uuid", "id"),
                   [*household_columns_of([fields[f] for f in HOUSEHOLD_FIELDS]), stamp.uuids(len(ids)), ids], stamp.same)
    member_rows = [(*member_row(m, hid, order), stamp.uuid()) for hid, ms in zip(ids, members, strict=True)
                   for order, m in enumerate(ms)]
    if member_rows:
        insert_tuples(db, "members", (*MEMBER_COLUMNS, "uuid"), member_rows, stamp.same)
    if new.assessed:
        categories = fields["categories"]
        assessed = {**new.assessments, "target_groups": [categories[i] for i in new.assessed]}
        insert_columns(db, "assessments", (*ASSESSMENT_COLUMNS, "uuid"),
                       [*assessment_columns_of([ids[i] for i in new.assessed], [assessed[f] for f in ASSESSMENT_FIELDS]),
                        stamp.uuids(len(new.assessed))], stamp.same)
    return ids


def _next_id(db: Database) -> int:
    return db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM households").fetchone()[0]


@dataclass
class NewRows:
    """The rows a chunk inserts, as tuples in the order of the columns :meth:`insert` names; the
    bookkeeping columns all rows share (``stamp.same``) go into the statement once."""

    stamp: RecordStamp
    households: list[tuple] = field(default_factory=list)  # (*HOUSEHOLD_COLUMNS, uuid, id)
    members: list[tuple] = field(default_factory=list)  # (*MEMBER_COLUMNS, uuid)
    assessments: list[tuple] = field(default_factory=list)  # (*ASSESSMENT_COLUMNS, uuid)

    def add(self, items: list[tuple[Household, Assessment | None]], rows: list[tuple],
            assessed: list[tuple]) -> None:
        """New households (ids and uuids set by the caller) with their members and assessments, given
        each one's row (:func:`household_row`, its uuid and id after it) and the rows of those of
        their assessments that are not ``None`` (:func:`assessment_row`, the uuid after it)."""
        self.households += rows
        for h, _a in items:
            for order, m in enumerate(h.members):
                self.member(member_row(m, h.id, order))
        self.assessments += assessed

    def member(self, values: tuple) -> None:
        """A new member row (:func:`member_row`)."""
        self.members.append((*values, self.stamp.uuid()))

    def assessment(self, values: tuple, a: Assessment) -> None:
        """A new assessment row (:func:`assessment_row` of ``a``)."""
        a.uuid = uuid = self.stamp.uuid()
        self.assessments.append((*values, uuid))

    def insert(self, db: Database) -> None:
        """Parents first: the members and assessments refer to their household."""
        for table, columns, rows in (("households", (*HOUSEHOLD_COLUMNS, "uuid", "id"), self.households),
                                     ("members", (*MEMBER_COLUMNS, "uuid"), self.members),
                                     ("assessments", (*ASSESSMENT_COLUMNS, "uuid"), self.assessments)):
            if rows:
                insert_tuples(db, table, columns, rows, self.stamp.same)


_ID = attrgetter("id")


def _diff(columns: tuple[str, ...], new: tuple, old: tuple) -> dict:
    """The columns whose new value differs from the stored one."""
    return {c: v for c, v, o in zip(columns, new, old, strict=True) if o != v}


def _update_household(db: Database, h: Household, rev: int, old: tuple | None, values: tuple) -> bool:
    """Write the household's changed columns (and bring it back if it was deleted); True when any.
    ``values``: its :func:`household_row`."""
    if old is None:
        diff = dict(zip(HOUSEHOLD_COLUMNS, values, strict=True))
    elif old[1:] == values and not old[0]:
        return False
    else:
        diff = _diff(HOUSEHOLD_COLUMNS, values, old[1:])
    touch(db, "households", h.id, {**diff, "deleted": 0}, rev)
    return True


def _update_members(db: Database, h: Household, rev: int, old_rows: list[tuple], new: NewRows) -> bool:
    """Make the household's members ``h.members``, writing only the differences; True when any."""
    by_id = {r[0]: r for r in old_rows}
    kept: set[int] = set()
    changed = False
    for order, m in enumerate(h.members):
        values = member_row(m, h.id, order)
        old = by_id.get(m.id) if m.id is not None else None
        if old is None:
            new.member(values)
            changed = True
            continue
        kept.add(old[0])
        if old[1:] != values:
            touch(db, "members", old[0], _diff(MEMBER_COLUMNS, values, old[1:]), rev)
            changed = True
    for gone in set(by_id) - kept:
        touch(db, "members", gone, {"deleted": 1}, rev)
        changed = True
    return changed


def _upsert_assessment(db: Database, household_id: int, a: Assessment, rev: int, old: tuple | None,
                       new: NewRows, values: tuple) -> bool:
    """Insert the year's assessment, or write its changed columns (bringing it back if deleted).
    ``values``: its :func:`assessment_row`."""
    if old is None:
        new.assessment(values, a)
        return True
    a.id = old[0]
    if old[3:] == values and not old[2]:
        return False
    touch(db, "assessments", old[0], {**_diff(ASSESSMENT_COLUMNS, values, old[3:]), "deleted": 0}, rev)
    return True
