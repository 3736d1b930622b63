"""Communes and aggregates for sync tests: demo data under distinct commune codes."""

from __future__ import annotations

from pathlib import Path

from gnbv_desktop.jobs.demo import create_demo
from gnbv_desktop.jobs.progress import run_to_end
from gnbv_desktop.jobs.sync import export_package, import_packages
from gnbv_desktop.store import aggregate
from gnbv_desktop.store.database import open_database
from gnbv_desktop.store.records import SYNCED_TABLES
from gnbv_desktop.store.settings import load_settings, save_settings
from gnbv_desktop.store.sync_outbox import export_rows


def make_commune(path: Path, code: str, name: str, households: int = 40, seed: int = 3):
    db = open_database(path)
    run_to_end(create_demo(db, households, seed=seed, year=2026))
    s = load_settings(db)
    s.commune_code, s.commune_name = code, name
    save_settings(db, s)
    return db


def make_aggregate(path: Path):
    db = open_database(path)
    aggregate.make_aggregate(db, "Sở Nông nghiệp và Môi trường tỉnh Gia Lai")
    return db


def export(db, path: Path, **kw):
    """Export a package; without a password it is the user's explicit unencrypted choice."""
    kw.setdefault("allow_unencrypted", not kw.get("password"))
    return run_to_end(export_package(db, path, **kw))


def import_(db, *paths: Path, **kw):
    return run_to_end(import_packages(db, list(paths), **kw))


def commune_records(db) -> dict[str, dict[str, dict]]:
    """Every synced record of a commune as a package would carry it, table → UUID → record."""
    return {t: {r["uuid"]: r for r in export_rows(db, t, 0, 10**12)} for t in SYNCED_TABLES}


def aggregate_records(db, code: str) -> dict[str, dict[str, dict]]:
    return {t: aggregate.records_of(db, code, t) for t in SYNCED_TABLES}


def dump(db) -> list[str]:
    """The whole database as SQL text, to prove a refused package changed nothing."""
    return list(db.conn.iterdump())
