"""The editing dialogs fit a 1366×768 screen: resizable, opened inside the available geometry,
every button reachable, their size remembered; long table texts readable through tooltips."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog

from gnbv_desktop.gui.bulk_assign_dialog import BulkAssignDialog
from gnbv_desktop.gui.deleted_households_dialog import DeletedHouseholdsDialog
from gnbv_desktop.gui.household_editor import HouseholdEditor
from gnbv_desktop.gui.setup_wizard import SetupWizard
from gnbv_desktop.store.household_list import list_rows
from tests.gui.screen_fit import LAPTOP, assert_buttons_inside, buttons_outside


def test_tests_run_on_a_laptop_sized_screen(qapp):
    assert QGuiApplication.primaryScreen().availableGeometry() == LAPTOP


def _show(qtbot, dialog: QDialog) -> QDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_household_editor_fits_every_tab_and_remembers_its_size(qtbot, ctx):
    hid = list_rows(ctx.db, 2026)[0].id
    editor = _show(qtbot, HouseholdEditor(ctx, hid))
    assert editor.minimumSize() != editor.maximumSize()  # resizable, not a fixed size
    for i in range(editor.tabs.count()):
        editor.tabs.setCurrentIndex(i)
        assert_buttons_inside(editor, LAPTOP)
    editor.resize(900, 600)
    editor.done(0)
    again = _show(qtbot, HouseholdEditor(ctx, hid))
    assert again.size() == QSize(900, 600)
    assert_buttons_inside(again, LAPTOP)


def test_a_remembered_size_larger_than_the_screen_is_bounded(qtbot, ctx):
    editor = _show(qtbot, HouseholdEditor(ctx, None))
    editor.resize(3000, 2000)
    editor.done(0)
    again = _show(qtbot, HouseholdEditor(ctx, None))
    assert again.width() <= LAPTOP.width() and again.height() <= LAPTOP.height()
    assert_buttons_inside(again, LAPTOP)


def test_the_check_fails_for_a_window_below_the_screen_edge(qtbot, ctx):
    dialog = _show(qtbot, BulkAssignDialog(ctx, [1]))
    dialog.move(100, LAPTOP.height() - 100)
    assert any("Phân công" in d for d in buttons_outside(dialog, LAPTOP))


def test_bulk_assign_deleted_and_wizard_fit(qtbot, ctx, db):
    ids = [r.id for r in list_rows(ctx.db, 2026)]
    bulk = _show(qtbot, BulkAssignDialog(ctx, ids))
    assert bulk.width() >= 600 and bulk.height() >= 500  # not the tiny default
    assert_buttons_inside(bulk, LAPTOP)
    assert_buttons_inside(_show(qtbot, DeletedHouseholdsDialog(ctx)), LAPTOP)
    wizard = _show(qtbot, SetupWizard(db))
    assert_buttons_inside(wizard, LAPTOP)


def test_plan_table_keeps_full_texts_in_tooltips(qtbot, ctx):
    from gnbv_desktop.gui.household_plan_widget import C_AMOUNT, C_CONTENT, C_FUNDING, C_MEASURE, C_STATUS

    hid = next(r.id for r in list_rows(ctx.db, 2026) if ctx.db.execute(
        "SELECT 1 FROM plan_items WHERE household_id = ? AND deleted = 0", [r.id]).fetchone())
    editor = _show(qtbot, HouseholdEditor(ctx, hid))
    editor.tabs.setCurrentWidget(editor.plan_widget)
    table = editor.plan_widget.table
    measure = table.cellWidget(0, C_MEASURE)
    assert measure.toolTip() == measure.currentText()
    assert table.item(0, C_CONTENT).toolTip() == table.item(0, C_CONTENT).text()
    header = [table.horizontalHeaderItem(c).toolTip() for c in range(table.columnCount())]
    assert "Kinh phí dự kiến (đ)" in header
    viewport = table.viewport().width()
    for col in (C_MEASURE, C_CONTENT, C_AMOUNT, C_FUNDING, C_STATUS):  # key columns: seen without scrolling
        assert table.columnViewportPosition(col) + table.columnWidth(col) <= viewport, table.horizontalHeaderItem(col)
    assert Qt.TextElideMode.ElideRight == table.textElideMode()
