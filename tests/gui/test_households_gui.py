"""Household list and editor as an official uses them: create, classify live, search, delete, undo."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from gnbv_desktop.core.text import fold
from gnbv_desktop.gui.household_editor import HouseholdEditor
from gnbv_desktop.gui.household_model import HouseholdTableModel
from gnbv_desktop.gui.pages.households_page import HouseholdsPage
from gnbv_desktop.store.household_list import list_columns, list_rows
from gnbv_desktop.store.households import get_assessment, get_household
from tests.gui.dialogs import answer


def shown_text(label) -> str:
    """What the user reads in a rich-text label."""
    from PySide6.QtGui import QTextDocumentFragment

    return QTextDocumentFragment.fromHtml(label.text()).toPlainText()


def test_model_passes_qt_model_checks(qtmodeltester, ctx):
    model = HouseholdTableModel()
    model.set_rows(list_columns(ctx.db, 2026))
    qtmodeltester.check(model)
    model.set_filter("a")
    qtmodeltester.check(model)


def test_create_household_with_live_classification(qtbot, empty_ctx):
    page = HouseholdsPage(empty_ctx)
    qtbot.addWidget(page)
    editor: HouseholdEditor = page.new_household()
    qtbot.addWidget(editor)
    g = editor.general
    g.headNameEdit.setText("Nguyễn Văn Ánh")  # keyClicks only types ASCII
    qtbot.keyClicks(g.cccdEdit, "064085001234")
    qtbot.keyClicks(g.birthYearEdit, "1985")
    g.sexCombo.setCurrentIndex(g.sexCombo.findData("nam"))
    g.villageCombo.setCurrentIndex(g.villageCombo.findText("Thôn 1 (nông thôn)"))
    qtbot.keyClicks(editor.income_edit, "1200000")
    assert editor.income_edit.text() == "1.200.000"
    assert shown_text(editor.result_label) == (
        "Hộ cận nghèo: thu nhập 1.200.000 đ ≤ 1.500.000 đ và thiếu hụt 0/12 chỉ số (< 3)"
    )
    for code in ("1.1", "2.2", "4.1"):
        editor.indicator_boxes[code].setChecked(True)
    assert "Hộ nghèo: thu nhập 1.200.000 đ ≤ 1.500.000 đ và thiếu hụt 3/12 chỉ số" in editor.result_label.text()
    g.villageCombo.setCurrentIndex(g.villageCombo.findText("Tổ dân phố 1 (thành thị)"))
    assert "≤ 2.000.000 đ" in editor.result_label.text()
    editor.causes.boxes["thieu_von"].setChecked(True)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert not editor.isVisible()
    rows = list_rows(empty_ctx.db, 2026)
    assert [(r.head_name, r.classification, r.village) for r in rows] == [("Nguyễn Văn Ánh", "poor", "Tổ dân phố 1")]
    a = get_assessment(empty_ctx.db, rows[0].id, 2026)
    assert a.area == "urban" and a.causes == ["thieu_von"] and a.deprived == ["1.1", "2.2", "4.1"]
    assert page.model.rowCount() == 1


def test_validation_messages_next_to_fields(qtbot, empty_ctx):
    editor = HouseholdEditor(empty_ctx)
    qtbot.addWidget(editor)
    g = editor.general
    qtbot.keyClicks(g.cccdEdit, "0640850012")
    qtbot.keyClicks(g.birthYearEdit, "2099")
    editor.show()
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.isVisible()
    assert g.headNameError.text() == "Chưa nhập họ tên chủ hộ."
    assert not g.headNameError.isHidden()
    assert "12 chữ số" in g.cccdError.text()
    assert g.villageError.text() == "Chưa chọn thôn."
    assert "thu nhập" in editor.income_error.text()
    assert list_rows(empty_ctx.db, 2026, include_unassessed=True) == []


def test_cccd_must_agree_with_birth_year_and_sex(qtbot, empty_ctx):
    editor = HouseholdEditor(empty_ctx)
    qtbot.addWidget(editor)
    g = editor.general
    g.headNameEdit.setText("Lê Thị Hoa")
    qtbot.keyClicks(g.cccdEdit, "064085001234")
    qtbot.keyClicks(g.birthYearEdit, "1990")
    g.sexCombo.setCurrentIndex(g.sexCombo.findData("nu"))
    g.villageCombo.setCurrentIndex(1)
    qtbot.keyClicks(editor.income_edit, "900000")
    editor.show()
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert editor.isVisible()
    assert "năm sinh 1985" in g.cccdError.text() and "giới tính Nam" in g.cccdError.text()


def test_edit_members_and_reopen(qtbot, ctx):
    from PySide6.QtWidgets import QLineEdit, QPushButton

    hid = list_rows(ctx.db, 2026)[0].id
    before = len(get_household(ctx.db, hid).members)
    editor = HouseholdEditor(ctx, hid)
    qtbot.addWidget(editor)
    editor.show()
    editor.tabs.setCurrentIndex(1)
    t = editor.members_table
    assert t.rowCount() == before
    qtbot.mouseClick(editor.findChild(QPushButton, "addMemberButton"), Qt.MouseButton.LeftButton)
    cell = t.viewport().findChild(QLineEdit)  # the new row's name opens for typing
    qtbot.keyClicks(cell, "Tran Van Ut")
    qtbot.keyClick(cell, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: t.item(before, 0).text() == "Tran Van Ut")
    t.cellWidget(before, 1).setCurrentText("Con")
    t.item(before, 2).setText("2015")
    t.cellWidget(before, 3).setCurrentIndex(t.cellWidget(before, 3).findData("nam"))
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert not editor.isVisible()
    h = get_household(ctx.db, hid)
    assert len(h.members) == before + 1
    assert (h.members[-1].full_name, h.members[-1].relation, h.members[-1].birth_year) == ("Tran Van Ut", "Con", 2015)


def test_search_without_diacritics_and_filters(qtbot, ctx):
    page = HouseholdsPage(ctx)
    qtbot.addWidget(page)
    total = page.model.rowCount()
    assert total == 60
    target = page.model.row_at(5)
    qtbot.keyClicks(page.search, fold(target.head_name).upper())
    qtbot.waitUntil(lambda: page.model.rowCount() < total)
    names = [page.model.row_at(i).head_name for i in range(page.model.rowCount())]
    assert target.head_name in names
    assert all(fold(target.head_name) in fold(n) for n in names)
    page.search.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == total)
    page.class_filter.setCurrentIndex(page.class_filter.findData("poor"))
    shown = [page.model.row_at(i) for i in range(page.model.rowCount())]
    assert shown and all(r.classification == "poor" for r in shown)
    assert "Đang hiện" in page.count_label.text()


def test_names_sorted_vietnamese_way(qtbot, ctx):
    page = HouseholdsPage(ctx)
    qtbot.addWidget(page)
    from gnbv_desktop.core.text import name_sort_key

    names = [page.model.row_at(i).head_name for i in range(page.model.rowCount())]
    assert names == sorted(names, key=name_sort_key)


def test_delete_asks_then_soft_deletes_and_ctrl_z_restores(qtbot, ctx):
    page = HouseholdsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.table.selectRow(0)
    victim = page.model.row_at(0)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    box: QMessageBox = page._confirm_box
    assert victim.head_name in box.text()
    delete_button = next(b for b in box.buttons() if b.text() == "Xóa")
    qtbot.mouseClick(delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.row_of_id(victim.id) is None)
    assert ctx.db.execute("SELECT deleted FROM households WHERE id = ?", [victim.id]).fetchone()[0] == 1
    qtbot.keyClick(page, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert page.model.row_of_id(victim.id) is not None
    assert ctx.db.execute("SELECT deleted FROM households WHERE id = ?", [victim.id]).fetchone()[0] == 0


def test_ctrl_n_and_enter_open_editor(qtbot, ctx):
    page = HouseholdsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.table.selectRow(0)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    editors = [w for w in page.findChildren(HouseholdEditor) if w.isVisible()]
    assert [e.general.headNameEdit.text() for e in editors] == [page.model.row_at(0).head_name]
    editors[0].done(0)
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    new = [w for w in page.findChildren(HouseholdEditor) if w.isVisible()]
    assert len(new) == 1 and new[0].household_id is None
    new[0].done(0)


def test_carry_forward_from_previous_year(qtbot, ctx):
    ctx.set_year(2027)
    page = HouseholdsPage(ctx)
    qtbot.addWidget(page)
    assert page.model.rowCount() == 0
    assert page.carry_button.isVisibleTo(page) and "60 hộ từ năm 2026" in page.carry_button.text()
    answer(qtbot, key=Qt.Key.Key_Return)  # the question's default answer goes ahead
    qtbot.mouseClick(page.carry_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(page._carry_handle.finished, timeout=20000):
        pass
    qtbot.waitUntil(lambda: page.model.rowCount() == 60)
    assert not page.carry_button.isVisibleTo(page)


def test_excel_menu_opens_import_wizard(qtbot, ctx):
    from gnbv_desktop.gui.import_wizard import ImportWizard

    page = HouseholdsPage(ctx)
    qtbot.addWidget(page)
    texts = [a.text() for a in page.more_button.menu().actions()]
    assert texts == ["Nhập từ Excel…", "Xuất Excel…"]
    page.import_action.trigger()
    wizards = page.findChildren(ImportWizard)
    assert len(wizards) == 1 and wizards[0].isVisible()
    wizards[0].close()


def test_filter_unassisted_and_bulk_assign_from_selection(qtbot, ctx):
    from gnbv_desktop.gui.bulk_assign_dialog import BulkAssignDialog
    from gnbv_desktop.store.plans import households_of_helper, households_without_helper, list_helpers

    page = HouseholdsPage(ctx)
    qtbot.addWidget(page)
    waiting = households_without_helper(ctx.db, 2026)
    assert waiting, "the demo leaves some poor/near-poor households without a helper"
    page.no_helper.setChecked(True)
    shown = {page.model.row_at(i).id for i in range(page.model.rowCount())}
    assert shown == waiting
    page.table.selectAll()
    statuses = []
    page.status_changed.connect(statuses.append)
    qtbot.mouseClick(page.assign_button, Qt.MouseButton.LeftButton)
    dialog = next(d for d in page.findChildren(BulkAssignDialog) if d.isVisible())
    helper = list_helpers(ctx.db)[0]
    item = next(dialog.list.item(i) for i in range(dialog.list.count()) if dialog.list.item(i).text() == helper.label)
    item.setCheckState(Qt.CheckState.Checked)
    seen = answer(qtbot, click="Phân công")
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert seen.texts == [f"Phân công {helper.label} giúp đỡ {len(waiting)} hộ năm 2026?"]
    assert statuses[-1].startswith(f"Đã phân công {helper.label} cho {len(waiting)} hộ năm 2026: {len(waiting)} phân công mới")
    assert households_without_helper(ctx.db, 2026) == set()
    assert waiting <= {h.id for h in households_of_helper(ctx.db, helper.id, 2026)}
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)


def test_typing_letter_by_letter_matches_a_fresh_search(ctx):
    from gnbv_desktop.store.households import filter_rows

    model = HouseholdTableModel()
    rows = list_rows(ctx.db, 2026)
    model.set_rows(list_columns(ctx.db, 2026))
    name = fold(rows[7].head_name)
    typed = ""
    for ch in name:
        typed += ch
        model.set_filter(typed)
        expected = {r.id for r in filter_rows(rows, typed)}
        assert {model.row_at(i).id for i in range(model.rowCount())} == expected
    model.set_filter("x")  # not a refinement: searched again from all rows
    assert {model.row_at(i).id for i in range(model.rowCount())} == {r.id for r in filter_rows(rows, "x")}


def _shown_page(qtbot, ctx) -> HouseholdsPage:
    page = HouseholdsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    return page


def test_down_and_enter_in_the_search_box(qtbot, ctx):
    page = _shown_page(qtbot, ctx)
    page.search.setFocus()
    target = page.model.row_at(3)
    qtbot.keyClicks(page.search, fold(target.head_name))
    qtbot.keyClick(page.search, Qt.Key.Key_Down)
    assert page.table.hasFocus() and page.selected_ids() == [page.model.row_at(0).id]
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    page.search.setFocus()
    page.search.clear()
    qtbot.keyClicks(page.search, fold(target.head_name))
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    editors = [e for e in page.findChildren(HouseholdEditor) if e.isVisible()]
    assert len(editors) == 1 and fold(target.head_name) in fold(editors[0].general.headNameEdit.text())
    editors[0].done(0)


def test_deleted_households_can_be_restored_later(qtbot, ctx):
    from gnbv_desktop.gui.deleted_households_dialog import DeletedHouseholdsDialog
    from gnbv_desktop.store.households import delete_household

    victim = list_rows(ctx.db, 2026)[0]
    delete_household(ctx.db, victim.id)  # deleted in an earlier session: no Ctrl+Z any more
    page = _shown_page(qtbot, ctx)
    assert page.model.row_of_id(victim.id) is None and not page.undo_button.isEnabled()
    qtbot.mouseClick(page.deleted_button, Qt.MouseButton.LeftButton)
    dialog = next(d for d in page.findChildren(DeletedHouseholdsDialog) if d.isVisible())
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 1).text() == victim.head_name
    assert not dialog.restore_button.isEnabled()
    dialog.table.selectRow(0)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "Đã khôi phục 1 hộ." and dialog.table.rowCount() == 0
    assert ctx.db.execute("SELECT deleted FROM households WHERE id = ?", [victim.id]).fetchone()[0] == 0
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert page.model.row_of_id(victim.id) is not None and page.selected_ids() == [victim.id]
