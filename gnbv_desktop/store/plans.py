"""Support plans in the database: helpers, assignments, plan items, goals and the commune plan.

Every write runs in one transaction and advances the sync bookkeeping; removals are soft deletes
so the upper level learns of them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gnbv_desktop.core.classifications import NEAR_POOR, POOR
from gnbv_desktop.core.plans import (
    CANCELLED,
    DONE,
    ESCAPE_NEAR_POOR,
    ESCAPE_POVERTY,
    EXPECTED_RESULT_LABELS,
    ORGANISATION,
    POOR_TO_NEAR_POOR,
    RESULTS_FOR_CLASSIFICATION,
    CommunePlan,
    Helper,
    PlanCounts,
    PlanItem,
    SupportMeasure,
    measure_from_item,
    validate_commune_plan,
    validate_helper,
    validate_plan_item,
)
from gnbv_desktop.core.text import clean, is_digits, name_sort_key, word_key
from gnbv_desktop.store.catalog_store import load_catalog
from gnbv_desktop.store.households import ValidationError
from gnbv_desktop.store.records import new_record_fields, next_rev, replace_rows, touch
from gnbv_desktop.store.residents import residents

if TYPE_CHECKING:
    from sqlite_utils import Database

MEASURES = "support_measures"
FUNDING = "funding_sources"


def support_measures(db: Database) -> list[SupportMeasure]:
    return [measure_from_item(i) for i in load_catalog(db, MEASURES)]


def funding_sources(db: Database) -> list[dict]:
    return load_catalog(db, FUNDING)


# ---------------------------------------------------------------- helpers


_HELPER_COLS = "id, kind, name, position, organisation, phone, note, uuid"


def _helper(r) -> Helper:
    return Helper(id=r[0], kind=r[1], name=r[2], position=r[3], organisation=r[4], phone=r[5], note=r[6], uuid=r[7])


def list_helpers(db: Database) -> list[Helper]:
    """Organisations first, then people, each in Vietnamese name order."""
    rows = [_helper(r) for r in db.execute(f"SELECT {_HELPER_COLS} FROM helpers WHERE deleted = 0")]
    orgs = sorted((h for h in rows if h.kind == ORGANISATION), key=lambda h: word_key(h.name))
    people = sorted((h for h in rows if h.kind != ORGANISATION), key=lambda h: name_sort_key(h.name))
    return orgs + people


def get_helper(db: Database, helper_id: int) -> Helper:
    row = db.execute(f"SELECT {_HELPER_COLS} FROM helpers WHERE id = ?", [helper_id]).fetchone()
    if row is None:
        raise KeyError(helper_id)
    return _helper(row)


def find_helper(db: Database, text: str) -> Helper | None:
    """By id or exact name (ignoring case), for CLI commands naming one."""
    text = clean(text)
    if is_digits(text):
        row = db.execute(f"SELECT {_HELPER_COLS} FROM helpers WHERE id = ? AND deleted = 0", [int(text)]).fetchone()
        if row:
            return _helper(row)
    for h in list_helpers(db):
        if h.name.lower() == text.lower():
            return h
    return None


def save_helper(db: Database, h: Helper) -> Helper:
    errors = validate_helper(h)
    if errors:
        raise ValidationError(errors)
    values = {"kind": h.kind, "name": h.name, "position": h.position, "organisation": h.organisation,
              "phone": h.phone, "note": h.note}
    with db.atomic():
        if h.id is None:
            fields = {**values, **new_record_fields(db)}
            db["helpers"].insert(fields)
            h.id = db.execute("SELECT last_insert_rowid()").fetchone()[0]
            h.uuid = fields["uuid"]
        else:
            touch(db, "helpers", h.id, values)
    return h


def delete_helper(db: Database, helper_id: int) -> None:
    """Soft-delete the helper and its assignments (the households keep their plan items)."""
    with db.atomic():
        rev = next_rev(db)
        touch(db, "helpers", helper_id, {"deleted": 1}, rev)
        for (aid,) in db.execute(
            "SELECT id FROM helper_assignments WHERE helper_id = ? AND deleted = 0", [helper_id]
        ).fetchall():
            touch(db, "helper_assignments", aid, {"deleted": 1}, rev)


# ---------------------------------------------------------------- assignments


def helpers_of(db: Database, household_id: int, year: int) -> list[Helper]:
    rows = db.execute(
        f"""SELECT {', '.join('h.' + c.strip() for c in _HELPER_COLS.split(','))}
            FROM helper_assignments a JOIN helpers h ON h.id = a.helper_id
            WHERE a.household_id = ? AND a.year = ? AND a.deleted = 0 AND h.deleted = 0
            ORDER BY a.id""",
        [household_id, year],
    ).fetchall()
    return [_helper(r) for r in rows]


def assign_helpers(db: Database, household_ids: list[int], helper_ids: list[int], year: int) -> int:
    """Assign every helper to every household for ``year``; returns how many links are new.

    Existing links stay; a link removed earlier comes back (its row is revived, not duplicated).
    """
    if not helper_ids:
        raise ValidationError({"helpers": "Chưa chọn người/tổ chức giúp đỡ."})
    if not household_ids:
        raise ValidationError({"households": "Chưa chọn hộ nào."})
    known = {r[0] for r in db.execute("SELECT id FROM helpers WHERE deleted = 0")}
    missing = [h for h in helper_ids if h not in known]
    if missing:
        raise ValidationError({"helpers": f"Không có người/tổ chức giúp đỡ mã {missing[0]}."})
    added = 0
    with db.atomic():
        rev = next_rev(db)
        existing = {
            (r[0], r[1]): (r[2], r[3])
            for r in db.execute(
                "SELECT household_id, helper_id, id, deleted FROM helper_assignments WHERE year = ?", [year]
            )
        }
        new_rows = []
        for hid in household_ids:
            for helper_id in helper_ids:
                found = existing.get((hid, helper_id))
                if found is None:
                    new_rows.append({"household_id": hid, "helper_id": helper_id, "year": year,
                                     **new_record_fields(db, rev)})
                    added += 1
                elif found[1]:
                    touch(db, "helper_assignments", found[0], {"deleted": 0}, rev)
                    added += 1
        if new_rows:
            db["helper_assignments"].insert_all(new_rows, batch_size=1000)
    return added


def set_household_helpers(db: Database, household_id: int, year: int, helper_ids: list[int]) -> None:
    """Make ``helper_ids`` exactly the household's helpers for ``year``."""
    with db.atomic():
        rev = next_rev(db)
        rows = db.execute(
            "SELECT id, helper_id, deleted FROM helper_assignments WHERE household_id = ? AND year = ?",
            [household_id, year],
        ).fetchall()
        by_helper = {r[1]: (r[0], r[2]) for r in rows}
        for helper_id, (aid, deleted) in by_helper.items():
            want = helper_id in helper_ids
            if want and deleted:
                touch(db, "helper_assignments", aid, {"deleted": 0}, rev)
            elif not want and not deleted:
                touch(db, "helper_assignments", aid, {"deleted": 1}, rev)
        for helper_id in helper_ids:
            if helper_id not in by_helper:
                db["helper_assignments"].insert(
                    {"household_id": household_id, "helper_id": helper_id, "year": year,
                     **new_record_fields(db, rev)}
                )


def households_with_helper(db: Database, year: int) -> set[int]:
    """Ids of the households that have at least one helper for ``year``; the list's filter
    "chưa có người giúp đỡ" is the year's list minus this set."""
    return {
        r[0]
        for r in db.execute(
            """SELECT DISTINCT a.household_id FROM helper_assignments a
               JOIN helpers h ON h.id = a.helper_id AND h.deleted = 0
               WHERE a.year = ? AND a.deleted = 0""",
            [year],
        )
    }


def households_without_helper(db: Database, year: int) -> set[int]:
    """Poor and near-poor households of the year's list with no helper yet."""
    rows = db.execute(
        """SELECT a.household_id FROM assessments a JOIN households h ON h.id = a.household_id
           WHERE a.year = ? AND a.deleted = 0 AND h.deleted = 0 AND a.classification IN (?, ?)""",
        [year, POOR, NEAR_POOR],
    )
    return {r[0] for r in rows} - households_with_helper(db, year)


@dataclass(frozen=True)
class HelperProgress:
    helper: Helper
    households: int
    items: int
    done: int
    in_progress: int

    @property
    def percent_done(self) -> float:
        return 100.0 * self.done / self.items if self.items else 0.0


def helper_progress(db: Database, year: int) -> list[HelperProgress]:
    """Every helper with the number of households assigned and the progress of their plan items."""
    stats = {
        r[0]: r[1:]
        for r in db.execute(
            """SELECT a.helper_id, COUNT(DISTINCT a.household_id),
                      COUNT(p.id), COALESCE(SUM(p.status = 'done'), 0), COALESCE(SUM(p.status = 'in_progress'), 0)
               FROM helper_assignments a
               JOIN households hh ON hh.id = a.household_id AND hh.deleted = 0
               LEFT JOIN plan_items p ON p.household_id = a.household_id AND p.year = a.year
                                      AND p.deleted = 0 AND p.status != 'cancelled'
               WHERE a.year = ? AND a.deleted = 0
               GROUP BY a.helper_id""",
            [year],
        )
    }
    out = []
    for h in list_helpers(db):
        n_hh, n_items, n_done, n_prog = stats.get(h.id, (0, 0, 0, 0))
        out.append(HelperProgress(h, n_hh, n_items, n_done, n_prog))
    return out


@dataclass(frozen=True)
class AssignedHousehold:
    id: int
    code: str
    head_name: str
    village: str
    classification: str
    items: int
    done: int


def households_of_helper(db: Database, helper_id: int, year: int) -> list[AssignedHousehold]:
    rows = db.execute(
        """SELECT hh.id, hh.code, hh.head_name, COALESCE(v.name, ''), COALESCE(s.classification, ''),
                  (SELECT COUNT(*) FROM plan_items p WHERE p.household_id = hh.id AND p.year = a.year
                      AND p.deleted = 0 AND p.status != 'cancelled'),
                  (SELECT COUNT(*) FROM plan_items p WHERE p.household_id = hh.id AND p.year = a.year
                      AND p.deleted = 0 AND p.status = 'done')
           FROM helper_assignments a JOIN households hh ON hh.id = a.household_id AND hh.deleted = 0
           LEFT JOIN villages v ON v.id = hh.village_id
           LEFT JOIN assessments s ON s.household_id = hh.id AND s.year = a.year AND s.deleted = 0
           WHERE a.helper_id = ? AND a.year = ? AND a.deleted = 0""",
        [helper_id, year],
    ).fetchall()
    return sorted((AssignedHousehold(*r) for r in rows), key=lambda r: (r.village, name_sort_key(r.head_name)))


# ---------------------------------------------------------------- plan items and goals

_ITEM_COLS = ("measure_code", "content", "expected_amount", "funding_source", "lead_organisation",
              "planned_time", "status", "actual_amount", "actual_date", "result")


def _item(r: dict) -> PlanItem:
    return PlanItem(**{k: r[k] for k in _ITEM_COLS}, id=r["id"], uuid=r["uuid"])


def plan_items(db: Database, household_id: int, year: int) -> list[PlanItem]:
    return [
        _item(r)
        for r in db.query(
            "SELECT * FROM plan_items WHERE household_id = ? AND year = ? AND deleted = 0 ORDER BY sort_order, id",
            [household_id, year],
        )
    ]


def validate_items(db: Database, items: list[PlanItem]) -> dict[str, str]:
    measures = {m.code for m in support_measures(db)}
    funding = {f["code"] for f in funding_sources(db)}
    errors: dict[str, str] = {}
    for i, it in enumerate(items):
        for k, v in validate_plan_item(it, measures, funding).items():
            errors[f"items[{i}].{k}"] = f"Dòng {i + 1}: {v}"
    return errors


def save_plan_items(db: Database, household_id: int, year: int, items: list[PlanItem]) -> list[PlanItem]:
    """Make ``items`` the household's plan for ``year`` (in order); items no longer listed are
    soft-deleted. Validates everything first; on an error nothing is written."""
    errors = validate_items(db, items)
    if errors:
        raise ValidationError(errors)
    with db.atomic():
        rev = next_rev(db)
        existing = {
            r[0]
            for r in db.execute(
                "SELECT id FROM plan_items WHERE household_id = ? AND year = ? AND deleted = 0", [household_id, year]
            )
        }
        records = [
            (it.id, {k: getattr(it, k) for k in _ITEM_COLS}
             | {"household_id": household_id, "year": year, "sort_order": order})
            for order, it in enumerate(items)
        ]
        for it, fields in zip(items, replace_rows(db, "plan_items", existing, records, rev), strict=True):
            if fields is not None:
                it.id, it.uuid = fields["id"], fields["uuid"]
    return items


def expected_result(db: Database, household_id: int, year: int) -> tuple[str, str]:
    """(expected result code, note) of the household's plan for ``year``."""
    row = db.execute(
        "SELECT expected_result, note FROM household_plans WHERE household_id = ? AND year = ? AND deleted = 0",
        [household_id, year],
    ).fetchone()
    return (row[0], row[1]) if row else ("", "")


def save_expected_result(db: Database, household_id: int, year: int, result: str, note: str = "") -> None:
    row = db.execute(
        "SELECT classification FROM assessments WHERE household_id = ? AND year = ? AND deleted = 0",
        [household_id, year],
    ).fetchone()
    allowed = RESULTS_FOR_CLASSIFICATION.get(row[0] if row else "", ("",))
    if result not in allowed:
        label = EXPECTED_RESULT_LABELS.get(result, result)
        raise ValidationError({"expected_result": f"Kết quả dự kiến '{label}' không phù hợp với phân loại của hộ."})
    with db.atomic():
        existing = db.execute(
            "SELECT id FROM household_plans WHERE household_id = ? AND year = ?", [household_id, year]
        ).fetchone()
        values = {"expected_result": result, "note": clean(note), "deleted": 0}
        if existing:
            touch(db, "household_plans", existing[0], values)
        else:
            db["household_plans"].insert({"household_id": household_id, "year": year, **values,
                                          **new_record_fields(db)})


@dataclass(frozen=True)
class HouseholdPlanRow:
    """One line of the Kế hoạch hỗ trợ page: a poor/near-poor household and its plan's progress."""

    id: int
    code: str
    head_name: str
    village: str
    classification: str
    deprived: list[str]
    helpers: str
    items: int
    done: int
    in_progress: int
    expected_amount: int
    expected_result: str


def plan_rows(db: Database, year: int, village_ids: list[int] | None = None) -> list[HouseholdPlanRow]:
    """Poor and near-poor households of ``year`` with their plan summary, by village then name."""
    where, params = "", [year, POOR, NEAR_POOR]
    if village_ids:
        where = f" AND hh.village_id IN ({','.join('?' * len(village_ids))})"
        params += list(village_ids)
    rows = db.execute(
        f"""SELECT hh.id, hh.code, hh.head_name, COALESCE(v.name, ''), a.classification, a.deprived,
                   COALESCE(v.sort_order, 0), COALESCE(hp.expected_result, ''), hh.sort_key
            FROM assessments a JOIN households hh ON hh.id = a.household_id AND hh.deleted = 0
            LEFT JOIN villages v ON v.id = hh.village_id
            LEFT JOIN household_plans hp ON hp.household_id = hh.id AND hp.year = a.year AND hp.deleted = 0
            WHERE a.year = ? AND a.deleted = 0 AND a.classification IN (?, ?){where}""",
        params,
    ).fetchall()
    items: dict[int, list[int]] = {}
    for hid, n, done, prog, amount in db.execute(
        """SELECT household_id, COUNT(*), SUM(status = 'done'), SUM(status = 'in_progress'),
                  COALESCE(SUM(expected_amount), 0)
           FROM plan_items WHERE year = ? AND deleted = 0 AND status != 'cancelled' GROUP BY household_id""",
        [year],
    ):
        items[hid] = [n, done, prog, amount]
    helper_names: dict[int, list[str]] = {}
    for hid, name in db.execute(
        """SELECT a.household_id, h.name FROM helper_assignments a JOIN helpers h ON h.id = a.helper_id
           WHERE a.year = ? AND a.deleted = 0 AND h.deleted = 0 ORDER BY a.id""",
        [year],
    ):
        helper_names.setdefault(hid, []).append(name)
    out = []
    for r in sorted(rows, key=lambda r: (r[6], r[3], r[8] or name_sort_key(r[2]))):
        n, done, prog, amount = items.get(r[0], [0, 0, 0, 0])
        out.append(
            HouseholdPlanRow(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), ", ".join(helper_names.get(r[0], [])),
                             n, done, prog, amount, r[7])
        )
    return out


# ---------------------------------------------------------------- commune plan

_PLAN_COLS = ("document_number", "document_date", "signer_name", "signer_title", "preparer_name",
              "total_households", "total_dtts_households", "target_poverty_reduction",
              "target_escape_households", "target_near_poor_reduction", "target_dtts_reduction", "note")


def get_commune_plan(db: Database, year: int) -> CommunePlan | None:
    rows = list(db.query("SELECT * FROM commune_plans WHERE year = ? AND deleted = 0", [year]))
    if not rows:
        return None
    r = rows[0]
    return CommunePlan(year=year, **{k: r[k] for k in _PLAN_COLS}, id=r["id"], uuid=r["uuid"])


def save_commune_plan(db: Database, p: CommunePlan) -> CommunePlan:
    errors = validate_commune_plan(p)
    if errors:
        raise ValidationError(errors)
    values = {k: getattr(p, k) for k in _PLAN_COLS}
    with db.atomic():
        row = db.execute("SELECT id, uuid FROM commune_plans WHERE year = ?", [p.year]).fetchone()
        if row:
            touch(db, "commune_plans", row[0], {**values, "deleted": 0})
            p.id, p.uuid = row
        else:
            fields = {"year": p.year, **values, **new_record_fields(db)}
            db["commune_plans"].insert(fields)
            p.id = db.execute("SELECT last_insert_rowid()").fetchone()[0]
            p.uuid = fields["uuid"]
    return p


def plan_counts(db: Database, year: int, plan: CommunePlan | None = None) -> PlanCounts:
    """Counts of the year's list and planned escapes, for :func:`core.plans.project`."""
    rows = db.execute(
        """SELECT a.classification, instr(hh.categories, '"dtts"') > 0, COALESCE(hp.expected_result, ''), COUNT(*)
           FROM assessments a JOIN households hh ON hh.id = a.household_id AND hh.deleted = 0
           LEFT JOIN household_plans hp ON hp.household_id = hh.id AND hp.year = a.year AND hp.deleted = 0
           WHERE a.year = ? AND a.deleted = 0 AND a.classification IN (?, ?) GROUP BY 1, 2, 3""",
        [year, POOR, NEAR_POOR],
    ).fetchall()
    return plan_counts_from(db, year, plan, rows)


def plan_counts_from(db: Database, year: int, plan: CommunePlan | None,
                     rows: list[tuple[str, int, str, int]]) -> PlanCounts:
    """:func:`plan_counts` from the poor and near-poor households grouped by (classification, DTTS,
    expected result), for callers that count them in a wider query of their own (Tổng quan)."""
    poor = near = esc = p2n = escn = dtts_poor = dtts_esc = 0
    for cls, is_dtts, result, n in rows:
        if cls == POOR:
            poor += n
            dtts_poor += n * is_dtts
            if result in (ESCAPE_POVERTY, POOR_TO_NEAR_POOR):
                esc += n
                dtts_esc += n * is_dtts
            p2n += n * (result == POOR_TO_NEAR_POOR)
        else:
            near += n
            escn += n * (result == ESCAPE_NEAR_POOR)
    # Rates divide by resident households, not by the list: unknown totals stay unknown.
    total = residents(db, year).households
    if plan is not None and plan.total_households:  # the plan being edited, maybe not saved yet
        total = plan.total_households
    dtts_total = plan.total_dtts_households if plan is not None and plan.total_dtts_households else None
    return PlanCounts(total, poor, near, esc, p2n, escn, dtts_total, dtts_poor, dtts_esc)


def plan_stats(db: Database, year: int) -> dict:
    """The figures ``gnbv stats`` adds: households with a helper and live plan items."""
    items = db.execute(
        """SELECT COUNT(*), COALESCE(SUM(p.status = ?), 0) FROM plan_items p
           JOIN households h ON h.id = p.household_id AND h.deleted = 0
           WHERE p.year = ? AND p.deleted = 0 AND p.status != ?""",
        [DONE, year, CANCELLED],
    ).fetchone()
    with_helper = households_with_helper(db, year)
    alive = {r[0] for r in db.execute("SELECT id FROM households WHERE deleted = 0")}
    return {
        "households_with_helper": len(with_helper & alive),
        "plan_items": items[0],
        "plan_items_done": items[1],
    }


def save_household_plan(
    db: Database, household_id: int, year: int, items: list[PlanItem], helper_ids: list[int], result: str
) -> None:
    """Items, helpers and expected result of one household in one transaction (the editor's Lưu)."""
    with db.atomic():
        save_plan_items(db, household_id, year, items)
        set_household_helpers(db, household_id, year, helper_ids)
        save_expected_result(db, household_id, year, result)
