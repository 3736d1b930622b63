"""Household repository: one transaction per save, soft deletion, the year's list and statistics."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from gnbv_desktop.core.classifications import CLASSIFICATIONS, NEAR_POOR, POOR
from gnbv_desktop.core.household import (
    Assessment,
    Household,
    Member,
    household_text_problems,
    normalize_household,
    validate_assessment,
    validate_household,
)
from gnbv_desktop.core.rates import rate
from gnbv_desktop.core.standard_set import StandardSet
from gnbv_desktop.core.standards import StandardError
from gnbv_desktop.core.target_groups import yearly_groups
from gnbv_desktop.core.text import clean, fold, fold_all, is_digits, name_sort_keys
from gnbv_desktop.store.household_list import SIZE_SQL, HouseholdRow
from gnbv_desktop.store.records import new_record_fields, next_rev, replace_rows, touch
from gnbv_desktop.store.residents import residents
from gnbv_desktop.store.standard_store import standards_in_force
from gnbv_desktop.store.villages import list_villages

if TYPE_CHECKING:
    from sqlite_utils import Database


class ValidationError(ValueError):
    """Raised with ``errors`` (field → Vietnamese message); nothing was written."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("\n".join(errors.values()))


def search_key_for(h: Household) -> str:
    """What search-as-you-type matches: the head's name and the mã hộ folded, and the CCCD."""
    return _search_keys([h.head_name], [h.code], [h.head_cccd])[0]


def _search_keys(names: list[str], codes: list[str], cccds: list[str]) -> list[str]:
    """:func:`search_key_for` of a column of households (joined in C)."""
    return list(map(" ".join, zip(fold_all(names), fold_all(codes), cccds, strict=True)))


_PLAIN_CODE = re.compile(r'[^"\\\x00-\x1f]*')


def _json(v: list) -> str:
    """``json.dumps(v, ensure_ascii=False)``; lists of plain codes (every stored list: indicators,
    causes, needs, categories) are joined directly, byte for byte the same, without the encoder.
    Lists of texts are written once per distinct list (an import writes the same few thousands),
    remembered by their tuple: a tuple of texts equals only a tuple of the same texts, where a
    tuple of numbers would also equal one of other number types (``1``, ``1.0``, ``True``) that
    the encoder writes differently, so only lists of texts are remembered."""
    if not v:
        return "[]"
    key = tuple(v)
    try:
        text = _TEXTS_JSON.get(key)
    except TypeError:  # an item that cannot be a key (not a text) is written by the encoder
        text = None
    if text is None:
        if set(map(type, key)) != {str}:
            return json.dumps(v, ensure_ascii=False)
        text = _texts_json(key)
        if len(_TEXTS_JSON) >= _TEXTS_JSON_MAX:
            _TEXTS_JSON.clear()
            _TEXTS_JSON[()] = "[]"
        _TEXTS_JSON[key] = text
    return text


def _json_all(lists: list[list]) -> list[str]:
    """:func:`_json` of each list of a column (an import's causes, needs…): lists seen before are all
    looked up at once in C; only a column with a list not seen yet goes list by list."""
    try:
        found = list(map(_TEXTS_JSON.get, map(tuple, lists)))
    except TypeError:  # an item that cannot be a key
        return list(map(_json, lists))
    return found if None not in found else list(map(_json, lists))


_TEXTS_JSON: dict[tuple[str, ...], str] = {(): "[]"}
_TEXTS_JSON_MAX = 16384


def _texts_json(v: tuple[str, ...]) -> str:
    if all(_PLAIN_CODE.fullmatch(x) for x in v):
        return "[" + ", ".join(f'"{x}"' for x in v) + "]"
    return json.dumps(v, ensure_ascii=False)


def next_code(db: Database) -> str:
    """Mã hộ for a new household: the next free number, five digits."""
    row = db.execute(
        "SELECT MAX(CAST(code AS INTEGER)) FROM households WHERE code GLOB '[0-9]*'"
    ).fetchone()
    return f"{(row[0] or 0) + 1:05d}"


def cccd_owner(db: Database, cccd: str, exclude_household_id: int | None = None) -> str | None:
    """Name of whoever else in the commune holds ``cccd`` (for the uniqueness message)."""
    if not cccd:
        return None
    ex = exclude_household_id or -1
    row = db.execute(
        "SELECT head_name, code FROM households WHERE head_cccd = ? AND deleted = 0 AND id != ?",
        [cccd, ex],
    ).fetchone()
    if row:
        return f"chủ hộ {row[0]} (mã hộ {row[1]})"
    row = db.execute(
        "SELECT m.full_name, h.code FROM members m JOIN households h ON h.id = m.household_id "
        "WHERE m.cccd = ? AND m.deleted = 0 AND h.deleted = 0 AND m.household_id != ?",
        [cccd, ex],
    ).fetchone()
    if row:
        return f"{row[0]} (hộ mã {row[1]})"
    return None


def validate_for_save(db: Database, h: Household, assessment: Assessment | None = None) -> dict[str, str]:
    # Names are checked as typed (cleaning would silently drop an ESC from a name); the rest after
    # cleaning, which removes what an XLSX cannot hold from an address or a note, as it always has.
    typed = {k: v for k, v in household_text_problems(h).items() if k.endswith("name")}
    normalize_household(h)
    errors = {**validate_household(h), **typed}
    for prefix, _name, _y, _s, cccd in h.people():
        owner = cccd_owner(db, cccd, h.id)
        if owner and f"{prefix}.cccd" not in errors:
            errors[f"{prefix}.cccd"] = f"Số CCCD {cccd} đã thuộc về {owner}."
    if h.code:
        row = db.execute(
            "SELECT head_name FROM households WHERE code = ? AND deleted = 0 AND id != ?",
            [h.code, h.id or -1],
        ).fetchone()
        if row:
            errors["code"] = f"Mã hộ {h.code} đã dùng cho hộ {row[0]}."
    if assessment is not None:
        errors.update({f"assessment.{k}": v for k, v in validate_assessment(assessment, standards_in_force(db)).items()})
    return errors


# The columns a household, member and assessment row is written with, in the order of
# ``household_row``/``member_row``/``assessment_row``: the one definition of what a save writes,
# used as dicts by the editor's save and as tuples by the bulk import (no dict per row there).
HOUSEHOLD_COLUMNS = ("code", "head_name", "head_cccd", "head_birth_year", "head_birth_date", "head_sex",
                     "ethnicity_name", "ethnicity_code", "ethnicity_list", "village_id", "address", "phone",
                     "categories", "note", "declared_size", "search_key", "sort_key")
MEMBER_COLUMNS = ("household_id", "full_name", "relation", "birth_year", "sex", "cccd", "ethnicity_name",
                  "ethnicity_code", "ethnicity_list", "sort_order")
ASSESSMENT_COLUMNS = ("household_id", "year", "standard_id", "area", "income", "deprived", "classification",
                      "causes", "needs", "note", "target_groups", "review_status")
# What the columns are made from: the household's and the assessment's own fields (the same names).
HOUSEHOLD_FIELDS = HOUSEHOLD_COLUMNS[:-2]  # the search and sort keys are derived
ASSESSMENT_FIELDS = ASSESSMENT_COLUMNS[1:]  # the household's id is the caller's


def household_row(h: Household) -> tuple:
    """The household's column values in :data:`HOUSEHOLD_COLUMNS` order (search and sort keys derived)."""
    return household_rows([h])[0]


def household_rows(hs: list[Household], *after: Sequence) -> list[tuple]:
    """:func:`household_row` of many households (an import's): the households read in one pass, their
    columns made (:func:`household_columns_of`) and the rows put together in C. ``after``: further
    columns, a value per household each, put at the end of every row (a bulk insert's uuid and id), so
    that no row is made twice."""
    if not hs:
        return []
    # the fields in HOUSEHOLD_FIELDS' order, read as attributes (twice as fast as an attrgetter)
    return list(zip(*household_columns_of(list(zip(*[
        (h.code, h.head_name, h.head_cccd, h.head_birth_year, h.head_birth_date, h.head_sex, h.ethnicity_name,
         h.ethnicity_code, h.ethnicity_list, h.village_id, h.address, h.phone, h.categories, h.note, h.declared_size)
        for h in hs], strict=True))), *after, strict=True))


def household_columns_of(fields: Sequence[Sequence]) -> list[Sequence]:
    """The columns of :data:`HOUSEHOLD_COLUMNS` of households given as columns: ``fields`` holds a column
    per field of :data:`HOUSEHOLD_FIELDS`, in that order (the households of an import's first write are
    never made as objects); the derived keys and the categories' JSON are made a column at a time."""
    (codes, names, cccds, birth_years, birth_dates, sexes, ethnicity_names, ethnicity_codes, ethnicity_lists,
     village_ids, addresses, phones, categories, notes, sizes) = fields
    return [codes, names, cccds, birth_years, birth_dates, sexes, ethnicity_names, ethnicity_codes, ethnicity_lists,
            village_ids, addresses, phones, _json_all(categories), notes, sizes, _search_keys(names, codes, cccds),
            name_sort_keys(names)]


def member_row(m: Member, household_id: int, order: int) -> tuple:
    """The member's column values in :data:`MEMBER_COLUMNS` order."""
    return (household_id, m.full_name, m.relation, m.birth_year, m.sex, m.cccd, m.ethnicity_name, m.ethnicity_code,
            m.ethnicity_list, order)


def assessment_row(a: Assessment, household_id: int) -> tuple:
    """The assessment's column values in :data:`ASSESSMENT_COLUMNS` order; ``a.classification`` must be set."""
    return assessment_rows([a], [household_id])[0]


def assessment_rows(assessments: list[Assessment], household_ids: list[int], *after: Sequence) -> list[tuple]:
    """:func:`assessment_row` of many assessments, each with its household's id: read in one pass,
    their columns made (:func:`assessment_columns_of`) and the rows put together in C; ``after`` as in
    :func:`household_rows`."""
    if not assessments:
        return []
    return list(zip(*assessment_columns_of(household_ids, list(zip(*[
        (a.year, a.standard_id, a.area, a.income, a.deprived, a.classification, a.causes, a.needs, a.note,
         a.target_groups, a.review_status) for a in assessments], strict=True))), *after, strict=True))


def assessment_columns_of(household_ids: Sequence[int], fields: Sequence[Sequence]) -> list[Sequence]:
    """The columns of :data:`ASSESSMENT_COLUMNS` of assessments given as columns: ``fields`` holds a
    column per field of :data:`ASSESSMENT_FIELDS`, in that order; the JSON is made a column at a time."""
    (years, standard_ids, areas, incomes, deprived, classifications, causes, needs, notes, groups, reviews) = fields
    return [household_ids, years, standard_ids, areas, incomes, list(map(_deprived_json, map(tuple, deprived))),
            classifications, _json_all(causes), _json_all(needs), notes, _json_all(list(map(yearly_groups, groups))),
            reviews]


def _household_values(h: Household) -> dict:
    return dict(zip(HOUSEHOLD_COLUMNS, household_row(h), strict=True))


def _member_values(m: Member, household_id: int, order: int) -> dict:
    return dict(zip(MEMBER_COLUMNS, member_row(m, household_id, order), strict=True))


def _assessment_values(a: Assessment, household_id: int, standards: StandardSet | None = None) -> dict:
    """Columns of an assessment row; the classification is computed under ``standards`` when the
    caller has not set it (an import always sets it)."""
    if not a.classification:
        if standards is None:
            raise StandardError("Chưa phân loại được hộ: thiếu chuẩn nghèo.")
        a.classification = a.compute(standards).classification
    return dict(zip(ASSESSMENT_COLUMNS, assessment_row(a, household_id), strict=True))


def take_year_flags(a: Assessment, h: Household) -> None:
    """The household's target-group flags as ticked when its year's assessment is saved (editor,
    Excel import) become that year's flags; other years keep theirs."""
    take_year_flags_all([(h, a)])


def take_year_flags_all(items: list[tuple[Household, Assessment | None]]) -> None:
    """:func:`take_year_flags` of each household with its year's assessment (none: nothing to take)."""
    for h, a in items:
        if a is not None:
            a.target_groups = yearly_groups(h.categories)


@lru_cache(maxsize=16384)
def _deprived_json(deprived: tuple[str, ...]) -> str:
    """The indicator codes once each, in the standard's numbering order, as stored (an import
    stores the same few hundred combinations)."""
    return _json(sorted(set(deprived), key=_code_order))


@lru_cache(maxsize=1024)
def _code_order(code: str) -> tuple[int, ...]:
    return tuple(int(p) if is_digits(p) else 0 for p in code.split("."))


def save_household(
    db: Database, h: Household, assessment: Assessment | None = None, *, validate: bool = True
) -> Household:
    """Insert or update ``h`` with its members and (optionally) one year's assessment, atomically.

    Members missing from ``h.members`` are soft-deleted, so the upper level learns of removals.
    """
    if validate:
        errors = validate_for_save(db, h, assessment)
        if errors:
            raise ValidationError(errors)
    else:
        normalize_household(h)
    with db.atomic():
        rev = next_rev(db)
        if not h.code:
            h.code = next_code(db)
        values = _household_values(h)
        if h.id is None:
            fields = {**values, **new_record_fields(db, rev)}
            db["households"].insert(fields)
            h.id = db.execute("SELECT last_insert_rowid()").fetchone()[0]
            h.uuid = fields["uuid"]
        else:
            touch(db, "households", h.id, values, rev)
        _save_members(db, h, rev)
        if assessment is not None:
            take_year_flags(assessment, h)
            save_assessment(db, h.id, assessment, rev)
    return h


def _save_members(db: Database, h: Household, rev: int) -> None:
    existing = {
        r[0] for r in db.execute("SELECT id FROM members WHERE household_id = ? AND deleted = 0", [h.id])
    }
    records = [(m.id, _member_values(m, h.id, order)) for order, m in enumerate(h.members)]
    for m, fields in zip(h.members, replace_rows(db, "members", existing, records, rev), strict=True):
        if fields is not None:
            m.id, m.uuid = fields["id"], fields["uuid"]


def save_assessment(db: Database, household_id: int, a: Assessment, rev: int | None = None) -> Assessment:
    """Upsert the assessment of ``a.year`` (one per household and year)."""
    with db.atomic():
        rev = rev if rev is not None else next_rev(db)
        values = _assessment_values(a, household_id, standards_in_force(db))
        row = db.execute(
            "SELECT id, uuid FROM assessments WHERE household_id = ? AND year = ?", [household_id, a.year]
        ).fetchone()
        if row:
            touch(db, "assessments", row[0], {**values, "deleted": 0}, rev)
            a.id, a.uuid = row
        else:
            fields = {**values, **new_record_fields(db, rev)}
            db["assessments"].insert(fields)
            a.id = db.execute("SELECT last_insert_rowid()").fetchone()[0]
            a.uuid = fields["uuid"]
    return a


def get_household(db: Database, household_id: int) -> Household:
    row = db.execute("SELECT * FROM households WHERE id = ?", [household_id]).fetchone()
    if row is None:
        raise KeyError(household_id)
    cols = [d[0] for d in db.execute("SELECT * FROM households LIMIT 0").description]
    r = dict(zip(cols, row, strict=False))
    h = Household(
        head_name=r["head_name"],
        village_id=r["village_id"],
        code=r["code"],
        head_cccd=r["head_cccd"],
        head_birth_year=r["head_birth_year"],
        head_birth_date=r["head_birth_date"],
        head_sex=r["head_sex"],
        ethnicity_name=r["ethnicity_name"],
        ethnicity_code=r["ethnicity_code"],
        ethnicity_list=r["ethnicity_list"],
        address=r["address"],
        phone=r["phone"],
        categories=json.loads(r["categories"]),
        note=r["note"],
        id=r["id"],
        uuid=r["uuid"],
        declared_size=r.get("declared_size"),
    )
    for m in db.query(
        "SELECT * FROM members WHERE household_id = ? AND deleted = 0 ORDER BY sort_order, id", [household_id]
    ):
        h.members.append(
            Member(
                full_name=m["full_name"],
                relation=m["relation"],
                birth_year=m["birth_year"],
                sex=m["sex"],
                cccd=m["cccd"],
                ethnicity_name=m["ethnicity_name"],
                ethnicity_code=m["ethnicity_code"],
                ethnicity_list=m["ethnicity_list"],
                id=m["id"],
                uuid=m["uuid"],
            )
        )
    return h


def get_assessment(db: Database, household_id: int, year: int) -> Assessment | None:
    rows = list(
        db.query(
            "SELECT * FROM assessments WHERE household_id = ? AND year = ? AND deleted = 0", [household_id, year]
        )
    )
    if not rows:
        return None
    r = rows[0]
    return Assessment(
        year=r["year"],
        standard_id=r["standard_id"],
        area=r["area"],
        income=r["income"],
        deprived=json.loads(r["deprived"]),
        classification=r["classification"],
        causes=json.loads(r["causes"]),
        needs=json.loads(r["needs"]),
        note=r["note"],
        target_groups=json.loads(r["target_groups"]),
        review_status=r["review_status"],
        id=r["id"],
        uuid=r["uuid"],
    )


def delete_household(db: Database, household_id: int) -> None:
    """Soft delete: the record stays (and travels to the upper level as a deletion)."""
    with db.atomic():
        touch(db, "households", household_id, {"deleted": 1})


def restore_household(db: Database, household_id: int) -> None:
    """Undo a soft delete, whenever it happened. Refused (``ValidationError``, nothing changed)
    when the household's mã hộ or a CCCD of its people now belongs to another household."""
    h = get_household(db, household_id)
    errors: dict[str, str] = {}
    for prefix, _name, _y, _s, cccd in h.people():
        owner = cccd_owner(db, cccd, household_id)
        if owner:
            errors[f"{prefix}.cccd"] = f"Số CCCD {cccd} của hộ {h.head_name} nay đã thuộc về {owner}."
    if h.code and db.execute(
        "SELECT 1 FROM households WHERE code = ? AND deleted = 0 AND id != ?", [h.code, household_id]
    ).fetchone():
        errors["code"] = f"Mã hộ {h.code} của hộ {h.head_name} nay đã dùng cho hộ khác."
    if errors:
        raise ValidationError(errors)
    with db.atomic():
        touch(db, "households", household_id, {"deleted": 0})


@dataclass(frozen=True)
class DeletedHousehold:
    """A soft-deleted household as the "Hộ đã xóa" list shows it."""

    id: int
    code: str
    head_name: str
    village: str
    deleted_at: str  # ISO time of the deletion (the row's last change)


def list_deleted(db: Database) -> list[DeletedHousehold]:
    """Households deleted at any time, most recently deleted first; they can be restored."""
    return [
        DeletedHousehold(*r)
        for r in db.execute(
            """SELECT h.id, h.code, h.head_name, COALESCE(v.name, ''), h.updated_at FROM households h
               LEFT JOIN villages v ON v.id = h.village_id WHERE h.deleted = 1 ORDER BY h.updated_at DESC, h.id DESC"""
        )
    ]


def filter_rows(rows: list[HouseholdRow], text: str) -> list[HouseholdRow]:
    """Search-as-you-type: every word of ``text`` must appear in the name, mã hộ or CCCD."""
    words = fold(text).split()
    if not words:
        return rows
    return [r for r in rows if all(w in r.search_key for w in words)]


def stats(db: Database, year: int) -> dict:
    """Counts of the year's list, overall and per village, in the shape ``gnbv stats`` prints, with
    the resident households and the rates over them (None while the resident total is unknown).

    Counted in SQL: the overview, the CLI and every sync package's summary call this, and reading
    20,000 list rows into Python only to count them took half a second.
    """
    counts = db.execute(
        f"""SELECT h.village_id, a.classification, COUNT(*), SUM({SIZE_SQL})
            FROM assessments a JOIN households h ON h.id = a.household_id AND h.deleted = 0
            WHERE a.year = ? AND a.deleted = 0 GROUP BY 1, 2""",
        [year],
    ).fetchall()
    return stats_from_counts(db, year, counts)


def stats_from_counts(db: Database, year: int, counts: list[tuple[int | None, str, int, int]]) -> dict:
    """:func:`stats` from the list's (village id, classification, households, people) groups, for
    callers that count them in a wider query of their own (Tổng quan)."""
    by_class = {c: 0 for c in CLASSIFICATIONS}
    by_village: dict[str, dict[str, int]] = {}
    for v in list_villages(db):
        by_village[v.name] = {c: 0 for c in CLASSIFICATIONS} | {"households": 0}
    all_names = dict(db.execute("SELECT id, name FROM villages").fetchall())  # deleted villages keep their names
    total = members = 0
    for vid, classification, n, people in counts:
        village = all_names.get(vid, "")
        by_class[classification] = by_class.get(classification, 0) + n
        bucket = by_village.setdefault(village, {c: 0 for c in CLASSIFICATIONS} | {"households": 0})
        bucket[classification] = bucket.get(classification, 0) + n
        bucket["households"] += n
        total += n
        members += people
    by_class["escaped"] = escaped_count(db, year)
    res = residents(db, year)
    names = {v.id: v.name for v in list_villages(db)}
    for vid, (n, _people) in res.by_village.items():
        bucket = by_village.get(names.get(vid, ""))
        if bucket is not None:
            bucket["resident_households"] = n
    for bucket in by_village.values():
        n = bucket.setdefault("resident_households", None)
        bucket["poverty_rate_percent"] = _rounded(rate(bucket[POOR], n))
    return {
        "year": year,
        "households": total,
        "members": members,
        "by_classification": by_class,
        "by_village": by_village,
        "resident_households": res.households,
        "resident_people": res.people,
        "resident_source": res.source,
        "poverty_rate_percent": _rounded(rate(by_class[POOR], res.households)),
        "near_poverty_rate_percent": _rounded(rate(by_class[NEAR_POOR], res.households)),
    }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def escaped_count(db: Database, year: int) -> int:
    """Thoát nghèo: poor in the previous year's list, classified not poor in this year's under the
    same standard (a new standard is a new baseline; an unreviewed household has not escaped)."""
    return db.execute(
        """SELECT COUNT(*) FROM assessments prev
           JOIN assessments cur ON cur.household_id = prev.household_id AND cur.year = prev.year + 1
           JOIN households h ON h.id = prev.household_id AND h.deleted = 0
           WHERE prev.year = ? AND prev.classification = ? AND prev.deleted = 0 AND cur.deleted = 0
             AND cur.standard_id = prev.standard_id AND cur.classification NOT IN (?, '')""",
        [year - 1, POOR, POOR],
    ).fetchone()[0]


def find_household_id(db: Database, text: str) -> int | None:
    """A household by id, mã hộ or exact head name (for CLI commands naming one)."""
    text = clean(text)
    row = db.execute(
        "SELECT id FROM households WHERE deleted = 0 AND (code = ? OR head_name = ?) ORDER BY id LIMIT 1",
        [text, text],
    ).fetchone()
    return row[0] if row else None

