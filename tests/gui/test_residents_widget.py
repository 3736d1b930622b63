"""Cài đặt › Hộ dân cư: the official types each village's figures and saves; rates follow."""

from __future__ import annotations

from PySide6.QtCore import Qt

from gnbv_desktop.gui.pages.settings_page import SettingsPage
from tests.gui.dialogs import answer


def test_enter_residents_in_settings(qtbot, empty_ctx):
    page = SettingsPage(empty_ctx)
    qtbot.addWidget(page)
    tab = next(page.tabs.widget(i) for i in range(page.tabs.count()) if page.tabs.tabText(i) == "Hộ dân cư")
    assert "chưa có tổng số hộ dân cư" in tab.total_label.text()
    tab.table.item(0, 2).setText("1.250")
    tab.table.item(0, 3).setText("4800")
    tab.table.item(1, 2).setText("abc")
    seen = answer(qtbot, key=Qt.Key.Key_Return)  # the official reads the warning and presses Enter
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert len(seen.texts) == 1 and "Dòng 2 (Tổ dân phố 1)" in seen.texts[0]
    assert empty_ctx.db.execute("SELECT COUNT(*) FROM resident_households").fetchone()[0] == 0
    tab.table.item(1, 2).setText("300")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    rows = empty_ctx.db.execute("SELECT households, people FROM resident_households WHERE year = 2026 ORDER BY village_id")
    assert rows.fetchall() == [(1250, 4800), (300, None)]
    assert tab.total_label.text() == "Toàn xã: 1.550 hộ dân cư."
