"""Main window, year selector, overview, settings and the first-run wizard."""

from __future__ import annotations

from gnbv_desktop.gui.main_window import MainWindow
from gnbv_desktop.gui.pages.settings_page import SettingsPage
from gnbv_desktop.gui.setup_wizard import SetupWizard
from gnbv_desktop.store.settings import load_settings
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
    assert page.save()
    names = [(v.name, v.area) for v in list_villages(ctx.db)]
    assert ("Thôn Một", "rural") in names and ("Thôn Mới", "urban") in names


def test_setup_wizard_writes_commune_and_villages(qtbot, db):
    wizard = SetupWizard(db)
    qtbot.addWidget(wizard)
    form = wizard.commune_page.form
    form.province.setCurrentIndex(form.province.findText("Gia Lai"))
    form.commune.setCurrentIndex(form.commune.findText("Xã Ia Grai"))
    assert form.code.text() == "23764"
    assert form.upper_level.text() == "Sở Nông nghiệp và Môi trường tỉnh Gia Lai"
    wizard.next()
    wizard.villages_page.villages.add_row("Tổ dân phố 3", "urban", None)
    wizard.accept()
    s = load_settings(db)
    assert (s.commune_name, s.commune_code, s.province_name) == ("Xã Ia Grai", "23764", "Gia Lai")
    assert [(v.name, v.area) for v in list_villages(db)] == [("Thôn 1", "rural"), ("Tổ dân phố 3", "urban")]


def test_setup_wizard_demo_choice(qtbot, db):
    wizard = SetupWizard(db)
    qtbot.addWidget(wizard)
    wizard.commune_page.demo.setChecked(True)
    assert wizard.commune_page.nextId() == -1
    wizard.accept()
    assert wizard.use_demo and not load_settings(db).is_configured


def test_setup_wizard_upper_level_makes_an_aggregate_database(qtbot, db, db_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from gnbv_desktop.gui.context import AppContext
    from gnbv_desktop.store.aggregate import is_aggregate

    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text: warnings.append(text))
    wizard = SetupWizard(db)
    qtbot.addWidget(wizard)
    page = wizard.commune_page
    page.aggregate_radio.setChecked(True)
    assert not page.validatePage()
    assert warnings == ["Chưa nhập tên cơ quan cấp trên."]
    page.office_name.setText("Sở Nông nghiệp và Môi trường tỉnh Gia Lai")
    assert page.validatePage() and page.nextId() == -1
    wizard.accept()
    assert is_aggregate(db)
    window = MainWindow(AppContext(db, db_path, 2026))
    qtbot.addWidget(window)
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == ["Đồng bộ"]
    assert "chế độ tổng hợp" in window.windowTitle()


def test_settings_has_catalogue_tab(qtbot, ctx):
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == ["Xã và các thôn", "Danh mục", "Hộ dân cư",
                                                                       "Sao lưu", "Tài khoản", "Dữ liệu cá nhân"]


def test_editor_has_plan_tab_for_the_household(qtbot, ctx):
    from gnbv_desktop.gui.household_editor import HouseholdEditor
    from gnbv_desktop.store.households import list_rows
    from gnbv_desktop.store.plans import plan_items

    row = next(r for r in list_rows(ctx.db, 2026) if plan_items(ctx.db, r.id, 2026))
    editor = HouseholdEditor(ctx, row.id)
    qtbot.addWidget(editor)
    assert editor.tabs.tabText(3) == "Kế hoạch hỗ trợ"
    assert editor.save()
    assert len(plan_items(ctx.db, row.id, 2026)) >= 1


def test_pages_are_built_when_first_shown(qtbot, ctx):
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    assert set(w.pages) == {"Hộ gia đình"}
    page = w.show_page("Kế hoạch hỗ trợ")
    assert w.stack.currentWidget() is page and "Kế hoạch hỗ trợ" in w.pages
    assert w.show_page("Kế hoạch hỗ trợ") is page
