"""Reference data that flows down from the upper level: catalogues, standards and targets.

Where it lives in a commune's database:
- catalogues: ``catalog_entries`` through :mod:`catalog_store` (the database copy wins over the
  shipped file from then on);
- standards: the same table under the catalogue name ``standards`` — one entry per standard,
  code = standard id, name = short name, data ``{"document": <the standard's JSON document>}``,
  the very shape of ``resources/standards/*.json``; :func:`received_standard_documents` returns
  them for ``core.standards`` to prefer over the shipped files;
- targets: ``received_targets`` (one row per year). The upper level keeps the targets it sets per
  commune in ``upper_targets``.
Household data is never touched here.
"""

from __future__ import annotations

import json

from sqlite_utils import Database

from gnbv_desktop.paths import resource_path
from gnbv_desktop.store.catalog_store import is_customised, load_catalog, replace_catalog
from gnbv_desktop.store.records import now_iso

# Catalogues a reference package carries when the sending database has them.
REFERENCE_CATALOGS = ("causes", "needs", "household_categories", "support_measures", "funding_sources")
STANDARDS_CATALOG = "standards"
# Known target fields (the package accepts any numeric field; these get Vietnamese labels).
TARGET_LABELS = {
    "poverty_rate_reduction": "Giảm tỉ lệ hộ nghèo (%)",
    "dtts_poverty_rate_reduction": "Giảm tỉ lệ hộ nghèo DTTS (%)",
    "near_poor_rate_reduction": "Giảm tỉ lệ hộ cận nghèo (%)",
    "households_to_escape": "Số hộ thoát nghèo",
}


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


def received_standard_documents(db: Database) -> list[dict]:
    """Standards received from the upper level (empty when none were received)."""
    if not is_customised(db, STANDARDS_CATALOG):
        return []
    return [item["document"] for item in load_catalog(db, STANDARDS_CATALOG)]


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
    """Replace catalogues and standards, store this commune's targets; one transaction."""
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
            db.execute(
                "INSERT INTO received_targets (year, data, received_at, source) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(year) DO UPDATE SET data = excluded.data, received_at = excluded.received_at, "
                "source = excluded.source",
                [year, json.dumps(targets, ensure_ascii=False), now_iso(), source],
            )
    return {"catalogs": sorted(catalogs), "standards": [d["id"] for d in standards],
            "targets": dict(targets or {}), "year": year}


def received_targets(db: Database, year: int) -> dict[str, float] | None:
    row = db.execute("SELECT data FROM received_targets WHERE year = ?", [year]).fetchone()
    return json.loads(row[0]) if row else None


def set_upper_targets(db: Database, year: int, targets: dict[str, dict[str, float]]) -> None:
    """The upper level records the targets it gives each commune (commune code → fields)."""
    with db.atomic():
        for code, values in targets.items():
            db.execute(
                "INSERT INTO upper_targets (commune_code, year, data) VALUES (?, ?, ?) "
                "ON CONFLICT(commune_code, year) DO UPDATE SET data = excluded.data",
                [code, year, json.dumps(values, ensure_ascii=False)],
            )


def upper_targets(db: Database, year: int) -> dict[str, dict[str, float]]:
    return {code: json.loads(data) for code, data in
            db.execute("SELECT commune_code, data FROM upper_targets WHERE year = ? ORDER BY 1", [year])}
