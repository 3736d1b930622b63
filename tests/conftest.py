"""Shared fixtures: offscreen Qt, per-test user folders, a fresh database per test."""

from __future__ import annotations

import logging
import os
import sys
import threading

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from gnbv_desktop.store.database import open_database  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path, monkeypatch):
    """Nothing a test does may touch the real user's data folder or database."""
    monkeypatch.setenv("GNBV_DATA_DIR", str(tmp_path / "userdata"))
    monkeypatch.delenv("GNBV_DB", raising=False)


@pytest.fixture(autouse=True)
def _process_hooks_restored():
    """A test that runs the app's ``main`` installs log handlers and exception hooks for the whole
    process; put them back so the next test starts as a fresh process would."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    hooks = sys.excepthook, threading.excepthook
    translators = _qt_translators()
    yield
    for translator in _qt_translators() - translators:  # the Vietnamese Qt strings app.main installs
        translator.parent().removeTranslator(translator)
        translator.setParent(None)
    _hide_leftover_windows()
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)
    sys.excepthook, threading.excepthook = hooks


def _qt_translators() -> set:
    """The translators installed on the running QApplication (none when Qt is not in use)."""
    qt_core = sys.modules.get("PySide6.QtCore")
    app = qt_core.QCoreApplication.instance() if qt_core else None
    return set(app.findChildren(qt_core.QTranslator)) if app is not None else set()


def _hide_leftover_windows() -> None:
    """Windows the app opened on its own during a test (help, preview, error dialogs) are hidden, not
    closed (closing may ask a question): a later test's ``app.main`` must end when its main window
    closes, as it does in a fresh process."""
    widgets = sys.modules.get("PySide6.QtWidgets")
    app = widgets.QApplication.instance() if widgets else None
    if app is None:
        return
    for window in app.topLevelWidgets():
        if window.isVisible():
            window.hide()


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
