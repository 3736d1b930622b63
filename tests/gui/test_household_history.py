"""The household editor's Lịch sử tab lists the household's recorded changes and exports them."""

from __future__ import annotations

from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from gnbv_desktop.gui.household_editor import HouseholdEditor
from gnbv_desktop.store.households import get_household, save_household


def test_history_tab_shows_changes_and_exports(qtbot, ctx, tmp_path, monkeypatch):
    h = get_household(ctx.db, 1)
    old = h.phone
    h.phone = "0911222333"
    save_household(ctx.db, h)
    editor = HouseholdEditor(ctx, 1)
    qtbot.addWidget(editor)
    titles = [editor.tabs.tabText(i) for i in range(editor.tabs.count())]
    assert titles[-1] == "Lịch sử"
    history = editor.tabs.widget(titles.index("Lịch sử"))
    editor.tabs.setCurrentWidget(history)
    assert history.table.rowCount() == 1
    cells = [history.table.item(0, c).text() for c in range(history.table.columnCount())]
    assert cells[3:] == ["Sửa hộ gia đình", "Điện thoại", old, "0911222333"]
    target = tmp_path / "ls.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "Excel (*.xlsx)"))
    qtbot.mouseClick(history.export_button, Qt.MouseButton.LeftButton)
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert rows[0][0] == f"Lịch sử thay đổi của hộ {h.code} — {h.head_name}"
    assert rows[2][5:] == (old, "0911222333")


def test_new_household_has_empty_history(qtbot, ctx):
    editor = HouseholdEditor(ctx, None)
    qtbot.addWidget(editor)
    assert editor.history.table.rowCount() == 0
    assert not editor.history.export_button.isEnabled()


def test_household_data_export_button(qtbot, ctx, tmp_path, monkeypatch):
    editor = HouseholdEditor(ctx, 2)
    qtbot.addWidget(editor)
    target = tmp_path / "du-lieu"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "Excel (*.xlsx)"))
    qtbot.mouseClick(editor.history.data_button, Qt.MouseButton.LeftButton)
    wb = load_workbook(tmp_path / "du-lieu.xlsx")
    h = get_household(ctx.db, 2)
    assert wb["Hộ gia đình"]["C3"].value == h.head_name
    assert wb["Thành viên"].max_row == 2 + len(h.members)
    assert "Đã xuất" in editor.history.summary.text()
