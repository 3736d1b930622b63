"""Versioned schema migrations; the version lives in ``PRAGMA user_version``.

Append new migrations to ``MIGRATIONS``; never edit or reorder a shipped one. Each runs in a
transaction together with the version bump, so a power cut leaves the old schema intact.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

# Columns every record that travels to the upper level carries (see sync).
SYNC_COLUMNS = """
    uuid TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    change_counter INTEGER NOT NULL DEFAULT 1,
    rev INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0
"""


def _m001_registry(db: Database) -> None:
    db.executescript(
        f"""
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE villages (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            area TEXT NOT NULL CHECK (area IN ('rural', 'urban')),
            sort_order INTEGER NOT NULL DEFAULT 0,
            {SYNC_COLUMNS}
        );
        CREATE TABLE households (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL,
            head_name TEXT NOT NULL,
            head_cccd TEXT NOT NULL DEFAULT '',
            head_birth_year INTEGER,
            head_birth_date TEXT NOT NULL DEFAULT '',
            head_sex TEXT NOT NULL DEFAULT '',
            ethnicity_name TEXT NOT NULL DEFAULT '',
            ethnicity_code TEXT NOT NULL DEFAULT '',
            ethnicity_list TEXT NOT NULL DEFAULT '',
            village_id INTEGER REFERENCES villages(id),
            address TEXT NOT NULL DEFAULT '',
            phone TEXT NOT NULL DEFAULT '',
            categories TEXT NOT NULL DEFAULT '[]',
            note TEXT NOT NULL DEFAULT '',
            search_key TEXT NOT NULL DEFAULT '',
            sort_key TEXT NOT NULL DEFAULT '',
            {SYNC_COLUMNS}
        );
        CREATE INDEX households_village ON households(village_id);
        CREATE INDEX households_cccd ON households(head_cccd);
        CREATE TABLE members (
            id INTEGER PRIMARY KEY,
            household_id INTEGER NOT NULL REFERENCES households(id),
            full_name TEXT NOT NULL,
            relation TEXT NOT NULL DEFAULT '',
            birth_year INTEGER,
            sex TEXT NOT NULL DEFAULT '',
            cccd TEXT NOT NULL DEFAULT '',
            ethnicity_name TEXT NOT NULL DEFAULT '',
            ethnicity_code TEXT NOT NULL DEFAULT '',
            ethnicity_list TEXT NOT NULL DEFAULT '',
            sort_order INTEGER NOT NULL DEFAULT 0,
            {SYNC_COLUMNS}
        );
        CREATE INDEX members_household ON members(household_id);
        CREATE INDEX members_cccd ON members(cccd);
        CREATE TABLE assessments (
            id INTEGER PRIMARY KEY,
            household_id INTEGER NOT NULL REFERENCES households(id),
            year INTEGER NOT NULL,
            standard_id TEXT NOT NULL,
            area TEXT NOT NULL,
            income INTEGER,
            deprived TEXT NOT NULL DEFAULT '[]',
            classification TEXT NOT NULL,
            causes TEXT NOT NULL DEFAULT '[]',
            needs TEXT NOT NULL DEFAULT '[]',
            note TEXT NOT NULL DEFAULT '',
            {SYNC_COLUMNS},
            UNIQUE (household_id, year)
        );
        CREATE INDEX assessments_year ON assessments(year, classification);
        CREATE TABLE catalog_entries (
            id INTEGER PRIMARY KEY,
            catalog TEXT NOT NULL,
            code TEXT NOT NULL,
            name TEXT NOT NULL,
            data TEXT NOT NULL DEFAULT '{{}}',
            sort_order INTEGER NOT NULL DEFAULT 0,
            {SYNC_COLUMNS},
            UNIQUE (catalog, code)
        );
        """
    )


def _m002_plans(db: Database) -> None:
    """Helpers, their assignment to households, per-household plan items and goals, the commune plan."""
    db.executescript(
        f"""
        CREATE TABLE helpers (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('organisation', 'person')),
            name TEXT NOT NULL,
            position TEXT NOT NULL DEFAULT '',
            organisation TEXT NOT NULL DEFAULT '',
            phone TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            {SYNC_COLUMNS}
        );
        CREATE TABLE helper_assignments (
            id INTEGER PRIMARY KEY,
            household_id INTEGER NOT NULL REFERENCES households(id),
            helper_id INTEGER NOT NULL REFERENCES helpers(id),
            year INTEGER NOT NULL,
            {SYNC_COLUMNS},
            UNIQUE (household_id, helper_id, year)
        );
        CREATE INDEX helper_assignments_year ON helper_assignments(year, helper_id);
        CREATE TABLE household_plans (
            id INTEGER PRIMARY KEY,
            household_id INTEGER NOT NULL REFERENCES households(id),
            year INTEGER NOT NULL,
            expected_result TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            {SYNC_COLUMNS},
            UNIQUE (household_id, year)
        );
        CREATE TABLE plan_items (
            id INTEGER PRIMARY KEY,
            household_id INTEGER NOT NULL REFERENCES households(id),
            year INTEGER NOT NULL,
            measure_code TEXT NOT NULL,
            content TEXT NOT NULL DEFAULT '',
            expected_amount INTEGER,
            funding_source TEXT NOT NULL DEFAULT '',
            lead_organisation TEXT NOT NULL DEFAULT '',
            planned_time TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'planned'
                CHECK (status IN ('planned', 'in_progress', 'done', 'cancelled')),
            actual_amount INTEGER,
            actual_date TEXT NOT NULL DEFAULT '',
            result TEXT NOT NULL DEFAULT '',
            sort_order INTEGER NOT NULL DEFAULT 0,
            {SYNC_COLUMNS}
        );
        CREATE INDEX plan_items_household ON plan_items(household_id, year);
        CREATE INDEX plan_items_year ON plan_items(year);
        CREATE TABLE commune_plans (
            id INTEGER PRIMARY KEY,
            year INTEGER NOT NULL UNIQUE,
            document_number TEXT NOT NULL DEFAULT '',
            document_date TEXT NOT NULL DEFAULT '',
            signer_name TEXT NOT NULL DEFAULT '',
            signer_title TEXT NOT NULL DEFAULT 'CHỦ TỊCH',
            preparer_name TEXT NOT NULL DEFAULT '',
            total_households INTEGER,
            total_dtts_households INTEGER,
            target_poverty_reduction REAL,
            target_escape_households INTEGER,
            target_near_poor_reduction INTEGER,
            target_dtts_reduction REAL,
            note TEXT NOT NULL DEFAULT '',
            {SYNC_COLUMNS}
        );
        """
    )



def _m003_sync(db: Database) -> None:
    """Sync bookkeeping: a commune's export history, and an aggregate database's merged records.

    An aggregate keeps each commune's records as JSON in ``sync_records`` keyed by (table, commune
    code, UUID) rather than in the registry tables: no local ids or per-commune unique constraints
    to reconcile, and any table listed in ``records.SYNCED_TABLES`` merges without schema changes.
    """
    db.executescript(
        """
        CREATE TABLE sync_exports (
            id INTEGER PRIMARY KEY,
            sequence INTEGER NOT NULL UNIQUE,
            base_sequence INTEGER NOT NULL,
            is_full INTEGER NOT NULL,
            rev_from INTEGER NOT NULL,
            rev_to INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            file_name TEXT NOT NULL,
            counts TEXT NOT NULL DEFAULT '{}',
            sha256 TEXT NOT NULL,
            encrypted INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE sync_communes (
            commune_code TEXT PRIMARY KEY,
            commune_name TEXT NOT NULL,
            province_name TEXT NOT NULL DEFAULT '',
            last_sequence INTEGER NOT NULL DEFAULT 0,
            last_created_at TEXT NOT NULL DEFAULT '',
            last_imported_at TEXT NOT NULL DEFAULT '',
            counts TEXT NOT NULL DEFAULT '{}'
        );
        CREATE TABLE sync_packages (
            id INTEGER PRIMARY KEY,
            commune_code TEXT NOT NULL REFERENCES sync_communes(commune_code),
            sequence INTEGER NOT NULL,
            base_sequence INTEGER NOT NULL,
            is_full INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            file_name TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            counts TEXT NOT NULL DEFAULT '{}',
            applied TEXT NOT NULL DEFAULT '{}',
            forced INTEGER NOT NULL DEFAULT 0,
            UNIQUE (commune_code, sha256)
        );
        CREATE INDEX sync_packages_commune ON sync_packages(commune_code, sequence);
        CREATE TABLE sync_records (
            table_name TEXT NOT NULL,
            commune_code TEXT NOT NULL,
            uuid TEXT NOT NULL,
            change_counter INTEGER NOT NULL,
            updated_at TEXT NOT NULL,
            deleted INTEGER NOT NULL,
            data TEXT NOT NULL,
            package_id INTEGER NOT NULL REFERENCES sync_packages(id),
            PRIMARY KEY (table_name, commune_code, uuid)
        );
        -- Statistics across communes read these instead of parsing every record's JSON.
        CREATE INDEX sync_records_assessments ON sync_records(
            json_extract(data, '$.year'), commune_code, json_extract(data, '$.household_uuid'),
            json_extract(data, '$.classification')
        ) WHERE table_name = 'assessments' AND deleted = 0;
        CREATE INDEX sync_records_members ON sync_records(commune_code, json_extract(data, '$.household_uuid'))
            WHERE table_name = 'members' AND deleted = 0;
        CREATE TABLE sync_attachments (
            id INTEGER PRIMARY KEY,
            package_id INTEGER NOT NULL REFERENCES sync_packages(id),
            commune_code TEXT NOT NULL,
            name TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            data BLOB NOT NULL
        );
        CREATE INDEX sync_attachments_commune ON sync_attachments(commune_code);
        CREATE TABLE received_targets (
            year INTEGER PRIMARY KEY,
            data TEXT NOT NULL,
            received_at TEXT NOT NULL,
            source TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE upper_targets (
            commune_code TEXT NOT NULL,
            year INTEGER NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (commune_code, year)
        );
        """
    )


def _m004_targets_in_plan(db: Database) -> None:
    """Targets from a reference package land in the year's ``commune_plans`` row (the record the
    Kế hoạch hỗ trợ page and ``gnbv plan`` show), so the separate table goes. No released version
    wrote it, hence nothing to carry over."""
    db.execute("DROP TABLE received_targets")


def _m005_sync_identity(db: Database) -> None:
    """Who sends a package: each installation's UUID and Ed25519 key; what the upper level bound to
    each commune code (installation, public key) and how each package arrived; the key a commune
    pinned for its upper level's reference packages."""
    db.executescript(
        """
        CREATE TABLE installation_identity (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            uuid TEXT NOT NULL,
            signing_key BLOB NOT NULL,
            created_at TEXT NOT NULL
        );
        ALTER TABLE sync_communes ADD COLUMN installation_uuid TEXT NOT NULL DEFAULT '';
        ALTER TABLE sync_communes ADD COLUMN public_key TEXT NOT NULL DEFAULT '';
        ALTER TABLE sync_communes ADD COLUMN pinned_at TEXT NOT NULL DEFAULT '';
        ALTER TABLE sync_packages ADD COLUMN installation_uuid TEXT NOT NULL DEFAULT '';
        ALTER TABLE sync_packages ADD COLUMN encrypted INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE sync_packages ADD COLUMN signed INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE sync_packages ADD COLUMN replaced_data INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE trusted_signers (
            role TEXT PRIMARY KEY,
            public_key TEXT NOT NULL,
            name TEXT NOT NULL DEFAULT '',
            pinned_at TEXT NOT NULL
        );
        """
    )


def _m006_audit_accounts(db: Database) -> None:
    """Audit trail: ``audit_log`` filled by triggers, ``audit_session`` naming who writes (see store.audit)."""
    from gnbv_desktop.store import audit  # here: opening a current file (the app's start) does without it

    audit.create_schema(db)


def _m007_year_cycle(db: Database) -> None:
    """The year's cycle: resident households per village and year (the denominator of every rate),
    per-year target-group flags and review state on each assessment, the closed reviews with their
    recognition decision, and each household's transition computed when a review closes.

    Existing data: each assessment gets the per-year flags its household carries today (the best
    knowledge there is), and the DTTS flag is derived from the recorded ethnic group.
    """
    from gnbv_desktop.core.target_groups import with_derived_dtts, yearly_groups

    db.executescript(
        f"""
        ALTER TABLE assessments ADD COLUMN target_groups TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE assessments ADD COLUMN review_status TEXT NOT NULL DEFAULT '';
        CREATE TABLE resident_households (
            id INTEGER PRIMARY KEY,
            village_id INTEGER NOT NULL REFERENCES villages(id),
            year INTEGER NOT NULL,
            households INTEGER NOT NULL CHECK (households >= 0),
            people INTEGER CHECK (people IS NULL OR people >= 0),
            {SYNC_COLUMNS},
            UNIQUE (village_id, year)
        );
        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            year INTEGER NOT NULL UNIQUE,
            standard_id TEXT NOT NULL,
            decision_number TEXT NOT NULL DEFAULT '',
            decision_date TEXT NOT NULL DEFAULT '',
            closed_at TEXT NOT NULL DEFAULT '',
            {SYNC_COLUMNS}
        );
        CREATE TABLE transitions (
            id INTEGER PRIMARY KEY,
            household_id INTEGER NOT NULL REFERENCES households(id),
            year INTEGER NOT NULL,
            kind TEXT NOT NULL,
            from_classification TEXT NOT NULL DEFAULT '',
            to_classification TEXT NOT NULL DEFAULT '',
            decision_date TEXT NOT NULL DEFAULT '',
            {SYNC_COLUMNS},
            UNIQUE (household_id, year)
        );
        CREATE INDEX transitions_year ON transitions(year, kind);
        -- The overview's counts of a 20,000-household year read these instead of the tables.
        CREATE INDEX members_alive ON members(household_id) WHERE deleted = 0;
        CREATE INDEX assessments_list ON assessments(year, household_id, classification) WHERE deleted = 0;
        """
    )
    households = db.execute("SELECT id, categories, ethnicity_name, ethnicity_code FROM households").fetchall()
    for hid, cats, eth_name, eth_code in households:
        old = json.loads(cats)
        new = with_derived_dtts(old, eth_name, eth_code)
        if new != old:
            db.execute("UPDATE households SET categories = ? WHERE id = ?", [json.dumps(new, ensure_ascii=False), hid])
        groups = yearly_groups(new)
        if groups:
            db.execute("UPDATE assessments SET target_groups = ? WHERE household_id = ?", [json.dumps(groups), hid])


def _m008_excel_import(db: Database) -> None:
    """Số nhân khẩu a list gives for a household whose members are not all named (one row per
    household). NULL: the size is the head plus the recorded members."""
    db.execute("ALTER TABLE households ADD COLUMN declared_size INTEGER")


def _m009_sync_sequence(db: Database) -> None:
    """The highest sync package number this installation ever issued. It lives with the identity
    (kept by ``gnbv demo --replace``) and survives a restore (see ``sync_outbox``), so a package
    number is never reused: the upper level must never take a new package for an old one."""
    db.execute("ALTER TABLE installation_identity ADD COLUMN highest_sequence INTEGER NOT NULL DEFAULT 0")


def _m010_dashboard_indexes(db: Database) -> None:
    """Indexes for Tổng quan's totals at 20,000 households: plan items' amounts by funding source
    and the deprivations of the poor and near-poor read from indexes alone, and the (few) deleted
    households found without scanning the table (the totals exclude them with ``NOT IN``)."""
    db.execute("""CREATE INDEX IF NOT EXISTS plan_items_totals ON plan_items(
                      year, funding_source, status, expected_amount, actual_amount, household_id) WHERE deleted = 0""")
    db.execute("""CREATE INDEX IF NOT EXISTS assessments_deprived ON assessments(year, classification, household_id, deprived)
                  WHERE deleted = 0""")
    db.execute("CREATE INDEX IF NOT EXISTS households_deleted ON households(id) WHERE deleted != 0")



def _m011_startspeed(db: Database) -> None:
    """The households of a year still under review, found from an index of those few: the
    household list counts them when it opens and after every save (it read all 20,000 of the
    year's assessments to find none, most of the year)."""
    db.execute("""CREATE INDEX IF NOT EXISTS assessments_under_review ON assessments(year, household_id, review_status)
                  WHERE deleted = 0 AND review_status != ''""")


Migration = tuple[str, Callable[["Database"], None]]
MIGRATIONS: list[Migration] = [
    ("001_registry", _m001_registry),
    ("002_plans", _m002_plans),
    ("003_sync", _m003_sync),
    ("004_targets_in_plan", _m004_targets_in_plan),
    ("005_sync_identity", _m005_sync_identity),
    ("006_audit_accounts", _m006_audit_accounts),
    ("007_year_cycle", _m007_year_cycle),
    ("008_excel_import", _m008_excel_import),
    ("009_sync_sequence", _m009_sync_sequence),
    ("010_dashboard_indexes", _m010_dashboard_indexes),
    ("011_startspeed", _m011_startspeed),
]
LATEST_VERSION = len(MIGRATIONS)


def schema_version(db: Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def pending(db: Database) -> list[Migration]:
    return MIGRATIONS[schema_version(db):]


def apply(db: Database) -> list[str]:
    """Apply pending migrations in order; returns the names applied."""
    applied = []
    for index, (name, fn) in enumerate(MIGRATIONS):
        if index < schema_version(db):
            continue
        with db.atomic():
            fn(db)
            db.execute(f"PRAGMA user_version = {index + 1}")
        applied.append(name)
    return applied
