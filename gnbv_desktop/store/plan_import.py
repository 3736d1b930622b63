"""Writing the support plans an Excel import brings: helpers, assignments, plan items, expected results.

Runs inside the import's transaction with its one ``rev``, a chunk of households at a time,
reading what is recorded for the chunk in a few queries rather than one per household. Rows
that do not change are not touched, so re-importing the same file sends nothing new upward.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlite_utils import Database

from gnbv_desktop.core.plans import ORGANISATION, PERSON, Helper, PlanItem
from gnbv_desktop.core.text import clean, fold
from gnbv_desktop.store.household_import import insert_rows, record_fields
from gnbv_desktop.store.records import new_record_fields, touch

_HELPER_DETAILS = ("position", "organisation", "phone", "note")
_ITEM_COLS = tuple(f for f in PlanItem.__dataclass_fields__ if f not in ("id", "uuid"))


@dataclass
class HouseholdPlanImport:
    """What the file says about one household's plan for the year; ``None`` leaves that part alone."""

    household_id: int
    expected_result: str | None = None
    items: list[PlanItem] | None = None
    helper_ids: list[int] | None = None


@dataclass
class HelperWrite:
    ids: dict[tuple[str, str], int]  # file key (name key, kind) → helper id
    created: list[str]


def write_helpers(db: Database, helpers: list[Helper], keys: list[tuple[str, str]], rev: int) -> HelperWrite:
    """Find each of the file's helpers by name and kind (by name alone when the file gives no kind),
    fill in or update its details, and add the ones not recorded yet."""
    recorded: dict[tuple[str, str], tuple] = {}
    by_name: dict[str, list[tuple]] = {}
    for row in db.execute(f"SELECT id, name, kind, {', '.join(_HELPER_DETAILS)} FROM helpers WHERE deleted = 0 "
                          "ORDER BY id"):
        name_key = clean(row[1]).lower()
        recorded.setdefault((name_key, row[2]), row)
        by_name.setdefault(name_key, []).append(row)
    out = HelperWrite({}, [])
    for h, key in zip(helpers, keys, strict=True):
        row = recorded.get(key) if h.kind else (by_name.get(key[0]) or [None])[0]
        if row is None:
            kind = h.kind or (PERSON if h.position else ORGANISATION)
            values = {"kind": kind, "name": h.name, **{f: getattr(h, f) for f in _HELPER_DETAILS}}
            db["helpers"].insert({**values, **new_record_fields(db, rev)})
            helper_id = db.execute("SELECT last_insert_rowid()").fetchone()[0]
            recorded[(key[0], kind)] = (helper_id, h.name, kind, *(getattr(h, f) for f in _HELPER_DETAILS))
            by_name.setdefault(key[0], []).append(recorded[(key[0], kind)])
            out.created.append(h.name)
        else:
            helper_id = row[0]
            old = dict(zip(_HELPER_DETAILS, row[3:], strict=True))
            changed = {f: getattr(h, f) for f in _HELPER_DETAILS if getattr(h, f) and getattr(h, f) != old[f]}
            if changed:
                touch(db, "helpers", helper_id, changed, rev)
        out.ids[key] = helper_id
    return out


def write_household_plans(db: Database, year: int, entries: list[HouseholdPlanImport], rev: int) -> set[int]:
    """Expected results, plan items (the file's list replaces the recorded one) and helper
    assignments (exactly the file's helpers) of a chunk of households for ``year``; returns the
    households whose plan changed."""
    ids = [e.household_id for e in entries]
    changed: set[int] = set()
    if not ids:
        return changed
    marks = ",".join("?" * len(ids))
    goals = {r[0]: r[1:] for r in db.execute(
        f"SELECT household_id, id, expected_result, deleted FROM household_plans WHERE year = ? "
        f"AND household_id IN ({marks})", [year, *ids])}
    items: dict[int, list[dict]] = {}
    for r in db.query(f"SELECT * FROM plan_items WHERE year = ? AND deleted = 0 AND household_id IN ({marks}) "
                      "ORDER BY sort_order, id", [year, *ids]):
        items.setdefault(r["household_id"], []).append(r)
    links: dict[int, dict[int, tuple[int, int]]] = {}
    for hid, helper_id, aid, deleted in db.execute(
        f"SELECT household_id, helper_id, id, deleted FROM helper_assignments WHERE year = ? "
        f"AND household_id IN ({marks})", [year, *ids]):
        links.setdefault(hid, {})[helper_id] = (aid, deleted)
    new_goals, new_items, new_links = [], [], []
    fresh = record_fields(rev)
    for e in entries:
        hid = e.household_id
        if e.expected_result is not None:
            old = goals.get(hid)
            if old is None:
                new_goals.append({"household_id": hid, "year": year, "expected_result": e.expected_result,
                                  "note": "", **fresh()})
                changed.add(hid)
            elif old[1] != e.expected_result or old[2]:
                touch(db, "household_plans", old[0], {"expected_result": e.expected_result, "deleted": 0}, rev)
                changed.add(hid)
        if e.items is not None and _replace_items(db, hid, year, e.items, items.get(hid, []), rev, new_items, fresh):
            changed.add(hid)
        if e.helper_ids is not None:
            current = links.get(hid, {})
            for helper_id, (aid, deleted) in current.items():
                want = helper_id in e.helper_ids
                if want == bool(deleted):
                    touch(db, "helper_assignments", aid, {"deleted": 0 if want else 1}, rev)
                    changed.add(hid)
            for helper_id in dict.fromkeys(e.helper_ids):
                if helper_id not in current:
                    new_links.append({"household_id": hid, "helper_id": helper_id, "year": year, **fresh()})
                    changed.add(hid)
    insert_rows(db, "household_plans", new_goals)
    insert_rows(db, "plan_items", new_items)
    insert_rows(db, "helper_assignments", new_links)
    return changed


def _replace_items(db: Database, hid: int, year: int, items: list[PlanItem], old: list[dict], rev: int,
                   new_rows: list[dict], fresh: Callable[[], dict]) -> bool:
    """Make ``items`` the household's list. A recorded item with the same measure and content (else
    the same measure) keeps its identity and is updated; recorded items left over are removed."""
    unused = list(old)
    changed = False
    for order, it in enumerate(items):
        values = {k: getattr(it, k) for k in _ITEM_COLS} | {"household_id": hid, "year": year, "sort_order": order}
        match = next((r for r in unused if r["measure_code"] == it.measure_code
                      and fold(r["content"]) == fold(it.content)), None)
        match = match or next((r for r in unused if r["measure_code"] == it.measure_code), None)
        if match is None:
            new_rows.append({**values, **fresh()})
            changed = True
            continue
        unused.remove(match)
        diff = {k: v for k, v in values.items() if match[k] != v}
        if diff:
            touch(db, "plan_items", match["id"], diff, rev)
            changed = True
    for r in unused:
        touch(db, "plan_items", r["id"], {"deleted": 1}, rev)
        changed = True
    return changed
