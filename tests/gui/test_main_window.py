"""Main window, year selector, overview, settings and the first-run wizard."""

from __future__ import annotations

from PySide6.QtCore import Qt

from gnbv_desktop.gui.main_window import MainWindow
from gnbv_desktop.gui.pages.settings_page import SettingsPage
from gnbv_desktop.store.villages import list_villages


def test_navigation_and_year_scope(qtbot, ctx):
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    titles = [w.nav.item(i).text() for i in range(w.nav.count())]
    assert titles[:2] == ["Tổng quan", "Hộ gia đình"] and titles[-1] == "Cài đặt"
    assert w.households.model.rowCount() == 60
    assert "Xã Ia Grai" in w.windowTitle()
    w.year_box.setValue(2025)
    assert ctx.year == 2025
    assert w.households.model.rowCount() == 60
    w.year_box.setValue(2024)
    assert w.households.model.rowCount() == 0
    overview = w.show_page("Tổng quan")
    assert "2024" in overview.heading.text()


def test_overview_counts_match_store(qtbot, ctx):
    from gnbv_desktop.gui.pages.overview_page import OverviewPage
    from gnbv_desktop.store.households import stats

    page = OverviewPage(ctx)
    qtbot.addWidget(page)
    s = stats(ctx.db, 2026)
    assert page.cards["households"].text() == str(s["households"])
    assert page.cards["poor"].text().startswith(str(s["by_classification"]["poor"]))
    assert page.table.rowCount() == len(s["by_village"]) + 1  # and the total row
    from gnbv_desktop.store.plans import households_without_helper, plan_stats

    p = plan_stats(ctx.db, 2026)
    assert page.cards["items_done"].text() == f"{p['plan_items_done']} / {p['plan_items']}"
    assert page.cards["unassisted"].text() == str(len(households_without_helper(ctx.db, 2026)))


def test_settings_rename_and_add_village(qtbot, ctx):
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    page.villages.table.item(0, 0).setText("Thôn Một")
    page.villages.add_row("Thôn Mới", "urban", None)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.message.text() == "Đã lưu."
    names = [(v.name, v.area) for v in list_villages(ctx.db)]
    assert ("Thôn Một", "rural") in names and ("Thôn Mới", "urban") in names


def test_settings_has_catalogue_tab(qtbot, ctx):
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == ["Xã và các thôn", "Danh mục", "Hộ dân cư",
                                                                       "Sao lưu", "Tài khoản", "Dữ liệu cá nhân"]


def test_editor_has_plan_tab_for_the_household(qtbot, ctx):
    from gnbv_desktop.gui.household_editor import HouseholdEditor
    from gnbv_desktop.store.household_list import list_rows
    from gnbv_desktop.store.plans import plan_items

    row = next(r for r in list_rows(ctx.db, 2026) if plan_items(ctx.db, r.id, 2026))
    editor = HouseholdEditor(ctx, row.id)
    qtbot.addWidget(editor)
    assert editor.tabs.tabText(3) == "Kế hoạch hỗ trợ"
    editor.show()
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert not editor.isVisible()
    assert len(plan_items(ctx.db, row.id, 2026)) >= 1


def test_pages_are_built_when_first_shown(qtbot, ctx):
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    assert set(w.pages) == {"Hộ gia đình"}
    page = w.show_page("Kế hoạch hỗ trợ")
    assert w.stack.currentWidget() is page and "Kế hoạch hỗ trợ" in w.pages
    assert w.show_page("Kế hoạch hỗ trợ") is page
