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
def commune_ctx(qapp, db, db_path):
    """An AppContext over the demo commune's settings and villages without any household: what an
    Excel list is imported into."""
    from gnbv_desktop.gui.context import AppContext
    from gnbv_desktop.jobs.demo import ensure_demo_commune

    ensure_demo_commune(db)
    context = AppContext(db, db_path, year=2026)
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


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_teardown(item):
    """pytest-qt closes the test's widgets after it; a form left with changes then asks "Lưu /
    Không lưu / Hủy" in a modal box nobody answers. During teardown such a box is answered
    "Không lưu" (or closed), so a failing test fails instead of hanging."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from tests.gui.dialogs import forget_pending

    forget_pending()

    def dismiss() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            discard = next((b for b in box.buttons() if b.text() == "Không lưu"), None)
            (discard or box.escapeButton() or box.buttons()[-1]).click()

    timer = None
    if QApplication.instance() is not None:
        timer = QTimer()
        timer.setInterval(20)
        timer.timeout.connect(dismiss)
        timer.start()
    yield
    if timer is not None:
        timer.stop()
