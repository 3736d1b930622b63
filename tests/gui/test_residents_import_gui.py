"""Cài đặt › Hộ dân cư › "Nhập từ Excel…": the figures of the file fill the table and the rates; a
file with a wrong row changes nothing and the page says which row."""

from __future__ import annotations

from openpyxl import Workbook
from PySide6.QtCore import Qt

from gnbv_desktop.gui.pages.settings_page import SettingsPage
from gnbv_desktop.store.villages import list_villages


def _tab(qtbot, ctx):
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    return page, next(page.tabs.widget(i) for i in range(page.tabs.count()) if page.tabs.tabText(i) == "Hộ dân cư")


def _workbook(path, rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["Thôn", "Số hộ dân cư", "Số nhân khẩu"])
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return str(path)


def test_import_residents_from_excel(qtbot, empty_ctx, tmp_path):
    _page, tab = _tab(qtbot, empty_ctx)
    villages = list_villages(empty_ctx.db)
    figures = [(v.name, 200 + 10 * i, 800 + 30 * i) for i, v in enumerate(villages)]
    tab.ask_open_path = lambda: _workbook(tmp_path / "dan-cu.xlsx", figures)
    qtbot.mouseClick(tab.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.status.text().startswith("Đã nhập"), timeout=60000)
    stored = empty_ctx.db.execute(
        """SELECT v.name, r.households, r.people FROM resident_households r JOIN villages v ON v.id = r.village_id
           WHERE r.year = ? AND r.deleted = 0 ORDER BY v.sort_order, v.id""", [empty_ctx.year]).fetchall()
    assert stored == figures
    assert [tab.table.item(r, 2).text() for r in range(tab.table.rowCount())] == [str(h) for _n, h, _p in figures]
    total = sum(h for _n, h, _p in figures)
    assert tab.total_label.text() == f"Toàn xã: {total:,} hộ dân cư.".replace(",", ".")


def test_a_wrong_row_changes_nothing(qtbot, empty_ctx, tmp_path):
    _page, tab = _tab(qtbot, empty_ctx)
    first = list_villages(empty_ctx.db)[0].name
    tab.ask_open_path = lambda: _workbook(tmp_path / "sai.xlsx", [(first, 120, 400), ("Thôn Không Có", 30, 90)])
    qtbot.mouseClick(tab.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "không có gì thay đổi" in tab.status.text(), timeout=60000)
    assert "dòng 3" in tab.status.text() and "Thôn Không Có" in tab.status.text()
    assert empty_ctx.db.execute("SELECT COUNT(*) FROM resident_households").fetchone()[0] == 0
    assert "chưa có tổng số hộ dân cư" in tab.total_label.text()
    tab.ask_open_path = lambda: ""  # the file dialog cancelled: nothing happens
    qtbot.mouseClick(tab.import_button, Qt.MouseButton.LeftButton)
    assert "không có gì thay đổi" in tab.status.text()
