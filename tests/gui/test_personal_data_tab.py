"""Cài đặt → Dữ liệu cá nhân: deleted households listed, exported, erased after confirmation."""

from __future__ import annotations

from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from gnbv_desktop.gui.pages.settings_page import SettingsPage
from gnbv_desktop.store.accounts import ADMIN, EDITOR, create_account
from gnbv_desktop.store.audit import SOURCE_GUI, start_session
from gnbv_desktop.store.households import delete_household, get_household
from tests.gui.dialogs import answer


def _click_row(qtbot, table, row: int) -> None:
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_export_then_erase_a_deleted_household(qtbot, ctx, tmp_path, monkeypatch):
    h = get_household(ctx.db, 5)
    delete_household(ctx.db, 5)
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    tab = page.personal_data
    assert [tab.table.item(0, c).text() for c in range(2)] == [h.code, h.head_name]
    _click_row(qtbot, tab.table, 0)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "ho.xlsx"), ""))
    qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    assert load_workbook(tmp_path / "ho.xlsx")["Hộ gia đình"]["C3"].value == h.head_name

    declined = answer(qtbot, key=Qt.Key.Key_Escape)  # the official backs out of the question
    qtbot.mouseClick(tab.erase_button, Qt.MouseButton.LeftButton)
    assert len(declined.texts) == 1
    assert ctx.db.execute("SELECT COUNT(*) FROM households WHERE id = 5").fetchone()[0] == 1
    answer(qtbot, key=Qt.Key.Key_Return)
    with qtbot.waitSignal(ctx.data_changed):
        qtbot.mouseClick(tab.erase_button, Qt.MouseButton.LeftButton)
    assert ctx.db.execute("SELECT COUNT(*) FROM households WHERE id = 5").fetchone()[0] == 0
    assert ctx.db.execute("SELECT COUNT(*) FROM members WHERE household_id = 5").fetchone()[0] == 0
    assert tab.table.rowCount() == 0


def test_erase_needs_an_admin_when_there_are_accounts(qtbot, ctx):
    admin = create_account(ctx.db, None, "admin", ADMIN, "quan-tri-123")
    create_account(ctx.db, admin, "an", EDITOR, "nhap-lieu-123")
    start_session(ctx.db, SOURCE_GUI, "an", EDITOR)
    delete_household(ctx.db, 6)
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    tab = page.personal_data
    _click_row(qtbot, tab.table, 0)
    seen = answer(qtbot, key=Qt.Key.Key_Return)
    qtbot.mouseClick(tab.erase_button, Qt.MouseButton.LeftButton)
    assert len(seen.texts) == 1 and "quản trị" in seen.texts[0]  # refused before any question
    assert ctx.db.execute("SELECT COUNT(*) FROM households WHERE id = 6").fetchone()[0] == 1
