"""The first-run wizard driven by clicks on its own buttons and typed text: the commune, demo
and upper-level paths each end in a configured database and the main window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QWizard

from gnbv_desktop.gui.context import AppContext
from gnbv_desktop.gui.main_window import MainWindow
from gnbv_desktop.gui.setup_wizard import SetupWizard, start_demo
from gnbv_desktop.store.settings import is_aggregate, load_settings

NEXT = QWizard.WizardButton.NextButton
FINISH = QWizard.WizardButton.FinishButton


def _wizard(qtbot, db) -> SetupWizard:
    wizard = SetupWizard(db)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def _click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _main_window(qtbot, db, db_path) -> MainWindow:
    window = MainWindow(AppContext(db, db_path, 2026))
    qtbot.addWidget(window)
    return window


def test_commune_path_typed_without_prefix_ends_in_the_main_window(qtbot, db, db_path):
    wizard = _wizard(qtbot, db)
    assert not wizard.button(FINISH).isVisible()
    _click(qtbot, wizard.button(NEXT))
    form = wizard.commune_page.form
    form.province.setCurrentIndex(form.province.findText("Gia Lai"))
    qtbot.keyClicks(form.commune.lineEdit(), "ia grai")  # no "Xã", no diacritics
    assert form.code.text() == "23764" and form.code_warning.isHidden()
    assert form.upper_level.text() == "Sở Nông nghiệp và Môi trường tỉnh Gia Lai"
    _click(qtbot, wizard.button(NEXT))
    villages = wizard.villages_page.villages
    add = next(b for b in villages.findChildren(type(wizard.button(NEXT))) if b.text() == "Thêm thôn")
    _click(qtbot, add)
    cell_editor = villages.table.viewport().findChild(QLineEdit)  # the new row's name opens for typing
    qtbot.keyClicks(cell_editor, "To dan pho 3")
    qtbot.keyClick(cell_editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: villages.rows()[-1][1] == "To dan pho 3")  # Qt commits the cell queued
    villages.table.cellWidget(1, 1).setCurrentIndex(villages.table.cellWidget(1, 1).findData("urban"))
    assert not wizard.button(NEXT).isVisible()
    _click(qtbot, wizard.button(FINISH))
    assert wizard.result() == QDialog.DialogCode.Accepted
    row = db.execute("SELECT value FROM settings WHERE key = 'commune_code'").fetchone()
    assert row == ("23764",)
    s = load_settings(db)
    assert (s.commune_name, s.province_name) == ("Xã Ia Grai", "Gia Lai")
    assert db.execute("SELECT name, area FROM villages ORDER BY id").fetchall() == [
        ("Thôn 1", "rural"), ("To dan pho 3", "urban")]
    window = _main_window(qtbot, db, db_path)
    assert "Xã Ia Grai, Gia Lai" in window.windowTitle()
    assert window.stack.currentWidget() is window.households


def test_commune_not_in_the_catalogue_is_flagged_and_a_missing_one_stops_the_page(qtbot, db):
    wizard = _wizard(qtbot, db)
    _click(qtbot, wizard.button(NEXT))
    form = wizard.commune_page.form
    _click(qtbot, wizard.button(NEXT))  # nothing chosen yet
    assert wizard.currentPage() is wizard.commune_page
    assert "Chưa chọn tỉnh" in form.error_label.text() and form.error_label.isVisible()
    form.province.setCurrentIndex(form.province.findText("Gia Lai"))
    qtbot.keyClicks(form.commune.lineEdit(), "Ia Khong Co")
    assert form.code.text() == ""
    assert form.code_warning.isVisible() and "mã đơn vị đang để trống" in form.code_warning.text()
    qtbot.keyClicks(form.code, "99999")
    assert form.code_warning.isHidden()


def test_demo_path_finishes_and_fills_the_main_window(qtbot, db, db_path):
    wizard = _wizard(qtbot, db)
    _click(qtbot, wizard.choice_page.ui.demoRadio)
    _click(qtbot, wizard.button(NEXT))
    assert wizard.currentPage() is wizard.demo_page
    _click(qtbot, wizard.button(FINISH))
    assert wizard.result() == QDialog.DialogCode.Accepted and wizard.use_demo
    window = _main_window(qtbot, db, db_path)
    handle = start_demo(window, window.ctx)
    with qtbot.waitSignal(handle.done, timeout=60000):
        pass
    count = db.execute("SELECT COUNT(*) FROM households WHERE deleted = 0").fetchone()[0]
    assert count == 200
    qtbot.waitUntil(lambda: window.households.model.total == 200)
    assert "Xã Ia Grai" in window.windowTitle()


def test_upper_level_path_needs_the_office_name_then_finishes(qtbot, db, db_path):
    wizard = _wizard(qtbot, db)
    _click(qtbot, wizard.choice_page.ui.aggregateRadio)
    _click(qtbot, wizard.button(NEXT))
    assert wizard.currentPage() is wizard.office_page
    assert wizard.button(FINISH).isVisible() and not wizard.button(FINISH).isEnabled()
    wizard.office_name.setText("Sở Nông nghiệp và Môi trường tỉnh Gia Lai")  # keyClicks types ASCII only
    qtbot.keyClicks(wizard.office_name, " ")
    _click(qtbot, wizard.button(FINISH))
    assert wizard.result() == QDialog.DialogCode.Accepted
    assert is_aggregate(db)
    window = _main_window(qtbot, db, db_path)
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == ["Đồng bộ"]
    assert "Sở Nông nghiệp và Môi trường tỉnh Gia Lai — chế độ tổng hợp" in window.windowTitle()


def test_back_from_a_path_and_choose_another(qtbot, db):
    wizard = _wizard(qtbot, db)
    _click(qtbot, wizard.choice_page.ui.aggregateRadio)
    _click(qtbot, wizard.button(NEXT))
    _click(qtbot, wizard.button(QWizard.WizardButton.BackButton))
    _click(qtbot, wizard.choice_page.ui.demoRadio)
    _click(qtbot, wizard.button(NEXT))
    assert wizard.currentPage() is wizard.demo_page and wizard.button(FINISH).isEnabled()
