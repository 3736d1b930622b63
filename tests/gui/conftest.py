"""GUI fixtures: an AppContext over a temporary database (pages are built alone, not the app)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui


@pytest.fixture(scope="session")
def qapp_args(tmp_path_factory):
    """GUI tests run on one offscreen screen the size of a 1366×768 commune laptop."""
    import os

    from tests.gui.screen_fit import offscreen_config

    if os.environ.get("QT_QPA_PLATFORM", "offscreen").startswith("offscreen"):
        return ["gnbv-tests", "-platform", f"offscreen:configfile={offscreen_config(tmp_path_factory.mktemp('qpa'))}"]
    return ["gnbv-tests"]


@pytest.fixture
def ctx(qapp, demo_db, db_path):
    from gnbv_desktop.gui.context import AppContext

    context = AppContext(demo_db, db_path, 2026)
    yield context
    context.runner.wait()


@pytest.fixture
def empty_ctx(qapp, db, db_path):
    from gnbv_desktop.gui.context import AppContext
    from gnbv_desktop.store.settings import CommuneSettings, save_settings
    from gnbv_desktop.store.villages import add_village

    save_settings(db, CommuneSettings(commune_name="Xã Thử", province_name="Gia Lai", province_code="52"))
    add_village(db, "Thôn 1", "rural")
    add_village(db, "Tổ dân phố 1", "urban")
    context = AppContext(db, db_path, 2026)
    yield context
    context.runner.wait()
