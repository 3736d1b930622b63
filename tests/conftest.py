"""Shared fixtures: offscreen Qt, per-test user folders, a fresh database per test."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from gnbv_desktop.store.database import open_database  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path, monkeypatch):
    """Nothing a test does may touch the real user's data folder or database."""
    monkeypatch.setenv("GNBV_DATA_DIR", str(tmp_path / "userdata"))
    monkeypatch.delenv("GNBV_DB", raising=False)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "gnbv.sqlite3"


@pytest.fixture
def db(db_path):
    database = open_database(db_path)
    yield database
    database.close()


@pytest.fixture
def demo_db(db):
    """A database with the demo commune and 60 households for 2025 and 2026."""
    from gnbv_desktop.jobs.demo import create_demo
    from gnbv_desktop.jobs.progress import run_to_end

    run_to_end(create_demo(db, 60, seed=7, year=2026))
    return db
