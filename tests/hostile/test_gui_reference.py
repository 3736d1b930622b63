"""The Đồng bộ page of a commune meets a hostile reference package, and a busy database: the
page says why in Vietnamese and the commune's data is unchanged."""

from __future__ import annotations

import sqlite3

import pytest

from gnbv_desktop.gui.context import AppContext
from gnbv_desktop.gui.pages.sync_page import SyncPage
from gnbv_desktop.io.reference_package import ReferencePackage, build_reference_package
from gnbv_desktop.store import database
from gnbv_desktop.store.reference import shipped_standard_documents
from tests.hostile.kit import canonical_dump

pytestmark = pytest.mark.gui


def _import(qtbot, page: SyncPage, path) -> str:
    handle = page.start_reference_import(path)
    with qtbot.waitSignal(handle.done, timeout=30000):
        pass
    return page.message.text()


def _package(tmp_path, **kw) -> object:
    ref = ReferencePackage("Sở", "2026-12-01T08:00:00+00:00", 2027, {"causes": [{"code": "a", "name": "A"}]},
                           shipped_standard_documents(), {})
    for key, value in kw.items():
        setattr(ref, key, value)
    path = tmp_path / "ref.gnbvref"
    path.write_bytes(build_reference_package(ref, "0.1.0"))
    return path


@pytest.fixture
def page(qtbot, demo_db, db_path):
    ctx = AppContext(demo_db, db_path, year=2026)
    sync = SyncPage(ctx)
    qtbot.addWidget(sync)
    yield sync
    ctx.runner.wait()


def test_a_catalogue_named_standards_is_refused_on_the_page(qtbot, page, db_path, tmp_path):
    path = _package(tmp_path, catalogs={"standards": [{"code": "x", "name": "y"}]})
    before = canonical_dump(db_path)
    message = _import(qtbot, page, path)
    assert "bị từ chối" in message and "danh mục 'standards'" in message
    assert canonical_dump(db_path) == before
    assert not page.ctx.standards.warning


def test_a_busy_database_is_said_in_vietnamese_on_the_page(qtbot, page, db_path, tmp_path, monkeypatch):
    monkeypatch.setattr(database, "BUSY_TIMEOUT_S", 0.3)
    path = _package(tmp_path)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        before = canonical_dump(db_path)
        message = _import(qtbot, page, path)
        assert "đang được một chương trình GNBV khác ghi" in message and "locked" not in message
        assert canonical_dump(db_path) == before
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_the_overview_says_when_received_standards_were_set_aside(qtbot, demo_db, db_path):
    from gnbv_desktop.gui.pages.overview_page import OverviewPage

    demo_db.execute("INSERT INTO catalog_entries (catalog, code, name, data, sort_order, uuid, created_at, updated_at, "
                    "change_counter, rev, deleted) VALUES ('standards', 'x', 'x', '{}', 0, 'u', '', '', 1, 1, 0)")
    ctx = AppContext(demo_db, db_path, year=2026)
    overview = OverviewPage(ctx)
    qtbot.addWidget(overview)
    text = overview.standard_label.text()
    assert "NĐ 07/2021" in text or "07/2021" in text
    assert "Chuẩn nghèo nhận từ cấp trên không dùng được" in text
