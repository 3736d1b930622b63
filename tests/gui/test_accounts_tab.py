"""Cài đặt → Tài khoản: the first quản trị, more accounts, roles and passwords only by a quản trị."""

from __future__ import annotations

from PySide6.QtCore import Qt

from gnbv_desktop.gui.pages.settings_page import SettingsPage
from gnbv_desktop.store.accounts import ADMIN, EDITOR, VIEWER, get_account, login
from gnbv_desktop.store.audit import SOURCE_GUI, start_session
from tests.gui.dialogs import answer


def _fill(tab, username, password, role=None, again=None):
    tab.username.setText(username)
    tab.password.setText(password)
    tab.password_again.setText(again if again is not None else password)
    if role:
        tab.role.setCurrentIndex(tab.role.findData(role))


def _select(qtbot, tab, username):
    row = [a.username for a in tab.accounts].index(username)
    rect = tab.table.visualRect(tab.table.model().index(row, 0))
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_first_admin_then_accounts_roles_and_passwords(qtbot, ctx):
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    tab = page.accounts
    assert not tab.role.isEnabled() and tab.role.currentData() == ADMIN  # the first one is a quản trị
    _fill(tab, "admin", "quan-tri-123", again="khac-nhau-1")
    seen = answer(qtbot, key=Qt.Key.Key_Return)
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    assert seen.texts == ["Hai lần nhập mật khẩu không khớp."] and tab.table.rowCount() == 0
    _fill(tab, "admin", "quan-tri-123")
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    assert [tab.table.item(0, c).text() for c in range(3)] == ["admin", "", "Quản trị"]
    _fill(tab, "an", "nhap-lieu-123", EDITOR)
    tab.full_name.setText("Trần Thị An")
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    assert get_account(ctx.db, "an").role == EDITOR
    _select(qtbot, tab, "an")
    tab.role.setCurrentIndex(tab.role.findData(VIEWER))
    qtbot.mouseClick(tab.role_button, Qt.MouseButton.LeftButton)
    assert get_account(ctx.db, "an").role == VIEWER
    _select(qtbot, tab, "an")
    _fill(tab, "", "mat-khau-moi-1")
    qtbot.mouseClick(tab.password_button, Qt.MouseButton.LeftButton)
    assert login(ctx.db, "an", "mat-khau-moi-1").username == "an"

    start_session(ctx.db, SOURCE_GUI, "an", VIEWER)  # a non-admin opens the tab
    page2 = SettingsPage(ctx)
    qtbot.addWidget(page2)
    assert not page2.accounts.add_button.isEnabled() and not page2.accounts.role_button.isEnabled()
    assert "Chỉ tài khoản quản trị" in page2.accounts.intro.text()
