"""Fixtures of the hostile kit: the GUI tests' contexts, and one small commune with an aggregate
holding its first package (built once)."""

from __future__ import annotations

import pytest

from gnbv_desktop.jobs.demo import create_demo
from gnbv_desktop.jobs.progress import run_to_end
from gnbv_desktop.jobs.sync import export_package, import_packages
from gnbv_desktop.store import aggregate
from gnbv_desktop.store.database import open_database
from gnbv_desktop.store.settings import load_settings, save_settings
from tests.gui.conftest import ctx, empty_ctx  # noqa: F401
from tests.hostile.package_kit import CODE, NAME, World, load_world


@pytest.fixture(scope="session")
def world(tmp_path_factory) -> World:
    base = tmp_path_factory.mktemp("hostile-world")
    commune_path, aggregate_path = base / "xa.sqlite3", base / "tinh.sqlite3"
    commune = open_database(commune_path)
    run_to_end(create_demo(commune, 6, seed=5, year=2026))
    s = load_settings(commune)
    s.commune_code, s.commune_name = CODE, NAME
    save_settings(commune, s)
    run_to_end(export_package(commune, base / "p1.gnbv", allow_unencrypted=True))
    agg = open_database(aggregate_path)
    aggregate.make_aggregate(agg, "Sở Nông nghiệp và Môi trường tỉnh Gia Lai")
    run_to_end(import_packages(agg, [base / "p1.gnbv"]))
    agg.close()
    w = load_world(commune, commune_path, aggregate_path)
    commune.close()
    return w
