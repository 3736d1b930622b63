"""Reference data that flows down from the upper level: catalogues, standards and targets.

Where it lives in a commune's database:
- catalogues: ``catalog_entries`` through :mod:`catalog_store` (the database copy wins over the
  shipped file from then on);
- standards: the same table under the catalogue name ``standards`` — one entry per standard,
  code = standard id, name = short name, data ``{"document": <the standard's JSON document>}``,
  the very shape of ``resources/standards/*.json``; :func:`~gnbv_desktop.store.standard_store.standards_in_force` builds the
  :class:`StandardSet` that classifies with them (they replace the shipped file of their id). If
  what is stored ever cannot be used, the shipped standards classify and the set's ``warning``
  says why — the app and the CLI still start;
- targets: the year's commune plan (``commune_plans``), the record the Kế hoạch hỗ trợ page and
  ``gnbv plan`` show; only its target fields change, what the commune typed stays.
The upper level keeps the targets it sets per commune in ``upper_targets``.
Household data is never touched here.
"""

from __future__ import annotations

import json

from sqlite_utils import Database

from gnbv_desktop.core.plans import TARGET_FIELDS, CommunePlan, target_errors, with_targets
from gnbv_desktop.core.standard_set import describe_changes, shipped_standards
from gnbv_desktop.paths import resource_path
from gnbv_desktop.store.catalog_store import CatalogError, load_catalog, replace_catalog
from gnbv_desktop.store.households import ValidationError
from gnbv_desktop.store.plans import get_commune_plan, save_commune_plan
from gnbv_desktop.store.records import now_iso
from gnbv_desktop.store.settings import get_value, set_value
from gnbv_desktop.store.standard_store import STANDARDS_CATALOG, received_standard_documents, standards_in_force

# Catalogues a reference package carries when the sending database has them.
REFERENCE_CATALOGS = ("causes", "needs", "household_categories", "support_measures", "funding_sources")
LAST_REFERENCE_KEY = "last_reference"  # settings: when and from whom the last reference package came


def reference_catalogs(db: Database) -> dict[str, list[dict]]:
    """The catalogues this database would send: its own copy, else the shipped file, if either exists."""
    out = {}
    for name in REFERENCE_CATALOGS:
        try:
            items = load_catalog(db, name)
        except FileNotFoundError:
            continue
        if items:
            out[name] = items
    return out


def shipped_standard_documents() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(resource_path("standards").glob("*.json"))]


def standard_documents(db: Database) -> list[dict]:
    """The standards this database would send: received ones, else the shipped files."""
    return received_standard_documents(db) or shipped_standard_documents()


def apply_reference(
    db: Database,
    *,
    catalogs: dict[str, list[dict]],
    standards: list[dict],
    year: int | None,
    targets: dict[str, float] | None,
    source: str,
) -> dict[str, object]:
    """Replace catalogues and standards, store this commune's targets; one transaction.

    The standards are checked against the shipped ones first (:class:`StandardError` when one is
    unusable or would take over another standard's years); nothing is written then.
    """
    reserved = sorted(set(catalogs) - set(REFERENCE_CATALOGS))
    if reserved:
        raise CatalogError(f"Gói tham chiếu không được thay danh mục: {', '.join(reserved)}.")
    before = standards_in_force(db)
    after = shipped_standards().with_received(standards) if standards else before
    with db.atomic():
        for name, items in catalogs.items():
            replace_catalog(db, name, items)
        if standards:
            replace_catalog(
                db,
                STANDARDS_CATALOG,
                [{"code": d["id"], "name": d["short_name"], "document": d} for d in standards],
            )
        if year is not None and targets:
            apply_targets(db, year, targets)
        set_value(db, LAST_REFERENCE_KEY, json.dumps({"received_at": now_iso(), "source": source, "year": year},
                                                     ensure_ascii=False))
    return {"catalogs": sorted(catalogs), "standards": [d["id"] for d in standards],
            "standard_changes": describe_changes(before, after), "targets": dict(targets or {}), "year": year}


def apply_targets(db: Database, year: int, targets: dict[str, float]) -> CommunePlan:
    """Set the upper level's targets on the year's commune plan (created when missing).

    Only the target fields given change; the document number, signer, totals and note stay as
    the commune typed them. Equal targets write nothing, so re-importing a package is a no-op
    (and the plan's change counter, which the next sync package carries up, does not move).
    """
    errors = target_errors(targets)
    if errors:
        raise ValidationError({"targets": " ".join(errors)})
    plan = get_commune_plan(db, year) or CommunePlan(year=year)
    updated = with_targets(plan, targets)
    if updated != plan or plan.id is None:
        save_commune_plan(db, updated)
    return updated


def last_reference(db: Database) -> dict | None:
    """``{"received_at", "source", "year"}`` of the last reference package imported, if any."""
    raw = get_value(db, LAST_REFERENCE_KEY)
    return json.loads(raw) if raw else None


def set_upper_targets(db: Database, year: int, targets: dict[str, dict[str, float]], *,
                      replace: bool = False) -> None:
    """The upper level records the targets it gives each commune (commune code → fields).

    A commune given no fields loses its row; with ``replace`` the communes not listed lose theirs
    too (the Đồng bộ page saves its whole table). Every commune's targets are checked first: one
    error raises :class:`ValidationError` and nothing is written.
    """
    errors = {}
    for code, values in targets.items():
        problems = target_errors(values) if code.strip() else ["Thiếu mã xã."]
        if problems:
            errors[code or "?"] = f"Xã {code or '?'}: " + " ".join(problems)
    if errors:
        raise ValidationError(errors)
    with db.atomic():
        if replace:
            db.execute("DELETE FROM upper_targets WHERE year = ?", [year])
        for code, values in targets.items():
            if not values:
                db.execute("DELETE FROM upper_targets WHERE commune_code = ? AND year = ?", [code.strip(), year])
                continue
            ordered = {k: values[k] for k in TARGET_FIELDS if k in values}
            db.execute(
                "INSERT INTO upper_targets (commune_code, year, data) VALUES (?, ?, ?) "
                "ON CONFLICT(commune_code, year) DO UPDATE SET data = excluded.data",
                [code.strip(), year, json.dumps(ordered, ensure_ascii=False)],
            )


def upper_targets(db: Database, year: int) -> dict[str, dict[str, float]]:
    return {code: json.loads(data) for code, data in
            db.execute("SELECT commune_code, data FROM upper_targets WHERE year = ? ORDER BY 1", [year])}
