"""Nothing is lost without asking: every editing surface compares the form with what was loaded,
asks Lưu / Không lưu / Hủy (Lưu the default, Esc = Hủy), and a failed save keeps the form open."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from gnbv_desktop.core.classifications import POOR
from gnbv_desktop.gui.household_editor import HouseholdEditor
from gnbv_desktop.gui.household_plan_widget import C_AMOUNT, C_MEASURE
from gnbv_desktop.gui.main_window import MainWindow
from gnbv_desktop.gui.pages.catalog_editor import CatalogEditor
from gnbv_desktop.gui.pages.helpers_page import HelpersPage
from gnbv_desktop.gui.pages.households_page import HouseholdsPage
from gnbv_desktop.gui.pages.plans_page import PlansPage
from gnbv_desktop.gui.pages.settings_page import SettingsPage
from gnbv_desktop.store.household_list import list_rows
from tests.gui.dialogs import answer

BUTTONS = ["Lưu", "Không lưu", "Hủy"]


def _household_row(db) -> int:
    """A poor household with a plan item: every tab of the editor has something to change."""
    ids = [r.id for r in list_rows(db, 2026, classification=POOR)]
    return next(i for i in ids if db.execute(
        "SELECT COUNT(*) FROM plan_items WHERE household_id = ? AND year = 2026 AND deleted = 0", [i]).fetchone()[0])


def _stored(db, hid: int) -> tuple:
    """Everything the editor can change, read back with SQL."""
    q = db.execute
    return (
        q("SELECT head_name, phone, categories FROM households WHERE id = ?", [hid]).fetchone(),
        q("SELECT income, deprived, causes, needs FROM assessments WHERE household_id = ? AND year = 2026", [hid])
        .fetchone(),
        q("SELECT COUNT(*) FROM members WHERE household_id = ? AND deleted = 0", [hid]).fetchone(),
        q("SELECT measure_code, expected_amount FROM plan_items WHERE household_id = ? AND year = 2026 "
          "AND deleted = 0 ORDER BY sort_order", [hid]).fetchall(),
    )


def _open_editor(qtbot, ctx, hid: int) -> HouseholdEditor:
    page = HouseholdsPage(ctx)
    qtbot.addWidget(page)
    page.table.selectRow(page.model.row_of_id(hid))
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    editor = next(e for e in page.findChildren(HouseholdEditor) if e.isVisible())
    qtbot.waitExposed(editor)
    return editor


def _change_head(e: HouseholdEditor) -> None:
    e.general.headNameEdit.setText(e.general.headNameEdit.text() + " Mới")


def _change_income(e: HouseholdEditor) -> None:
    e.income_edit.set_value((e.income_edit.value() or 0) + 1000)


def _change_indicator(e: HouseholdEditor) -> None:
    box = e.indicator_boxes["1.1"]
    box.setChecked(not box.isChecked())


def _change_member(e: HouseholdEditor) -> None:
    e.findChild(type(e.save_button), "addMemberButton").click()


def _change_plan(e: HouseholdEditor) -> None:
    e.plan_widget.table.item(0, C_AMOUNT).setText("7.000.000")


def _change_cause(e: HouseholdEditor) -> None:
    box = next(iter(e.causes.boxes.values()))
    box.setChecked(not box.isChecked())


def _change_need(e: HouseholdEditor) -> None:
    box = next(iter(e.needs.boxes.values()))
    box.setChecked(not box.isChecked())


def _change_category(e: HouseholdEditor) -> None:
    box = next(iter(e.categories.boxes.values()))
    box.setChecked(not box.isChecked())


CHANGES = [_change_head, _change_income, _change_indicator, _change_member, _change_plan, _change_cause, _change_need,
           _change_category]


@pytest.mark.parametrize("change", CHANGES, ids=lambda f: f.__name__)
def test_esc_asks_about_a_change_on_any_tab(qtbot, ctx, change):
    hid = _household_row(ctx.db)
    before = _stored(ctx.db, hid)
    editor = _open_editor(qtbot, ctx, hid)
    change(editor)
    seen = answer(qtbot, click="Hủy")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert [sorted(b) for b in seen.buttons] == [sorted(BUTTONS)] and seen.defaults == ["Lưu"]
    assert editor.isVisible() and editor.has_changes()  # Hủy: still editing, nothing lost
    answer(qtbot, click="Không lưu", seen=seen)
    qtbot.mouseClick(editor.cancel_button, Qt.MouseButton.LeftButton)
    assert not editor.isVisible()
    assert _stored(ctx.db, hid) == before


def test_unchanged_editor_closes_without_a_question(qtbot, ctx):
    editor = _open_editor(qtbot, ctx, _household_row(ctx.db))
    seen = answer(qtbot, click="Hủy")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert not editor.isVisible() and seen.texts == []


def test_enter_in_the_question_saves_every_tab(qtbot, ctx):
    hid = _household_row(ctx.db)
    editor = _open_editor(qtbot, ctx, hid)
    _change_income(editor)
    _change_plan(editor)
    expected_income = editor.income_edit.value()
    answer(qtbot, key=Qt.Key.Key_Return)  # Enter = the default button = Lưu
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert not editor.isVisible()
    head, assessment, _members, items = _stored(ctx.db, hid)
    assert assessment[0] == expected_income and items[0][1] == 7_000_000


def test_failed_plan_save_keeps_the_editor_open_on_the_plan_tab(qtbot, ctx):
    hid = _household_row(ctx.db)
    before = _stored(ctx.db, hid)
    editor = _open_editor(qtbot, ctx, hid)
    _change_head(editor)
    editor.plan_widget.table.item(0, C_AMOUNT).setText("hai trieu")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.isVisible()
    assert editor.tabs.currentWidget() is editor.plan_widget
    message = editor.plan_widget.message
    assert message.isVisible() and "Không đọc được số tiền 'hai trieu'" in message.text()
    assert (editor.plan_widget.table.currentRow(), editor.plan_widget.table.currentColumn()) == (0, C_AMOUNT)
    assert _stored(ctx.db, hid) == before  # the head's new name waits with the plan: one transaction
    editor.plan_widget.table.item(0, C_AMOUNT).setText("2.000.000")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert not editor.isVisible()
    head, _a, _m, items = _stored(ctx.db, hid)
    assert head[0].endswith(" Mới") and items[0][1] == 2_000_000


def test_editor_has_one_save_button(qtbot, ctx):
    editor = _open_editor(qtbot, ctx, _household_row(ctx.db))
    for i in range(editor.tabs.count()):
        editor.tabs.setCurrentIndex(i)
        shown = [b.text() for b in editor.findChildren(type(editor.save_button)) if b.isVisible()]
        assert [t for t in shown if t.startswith("Lưu")] == ["Lưu"]


def test_plan_tab_follows_the_assessment_being_edited(qtbot, ctx):
    hid = _household_row(ctx.db)
    editor = _open_editor(qtbot, ctx, hid)
    plan = editor.plan_widget
    for box in editor.indicator_boxes.values():
        box.setChecked(False)
    assert plan.unaddressed.text() == "Mọi chỉ số thiếu hụt đã có giải pháp."
    editor.indicator_boxes["2.2"].setChecked(True)  # bảo hiểm y tế, ticked on the assessment tab
    planned = {plan.table.cellWidget(r, C_MEASURE).currentData() for r in range(plan.table.rowCount())}
    if "bhyt" not in planned:
        assert "2.2 Bảo hiểm y tế" in plan.unaddressed.text()
        assert any(plan.suggestions.item(i).text().startswith("Cấp thẻ bảo hiểm y tế")
                   for i in range(plan.suggestions.count()))
    assert "2.2" in plan.summary.text()


def test_new_household_can_plan_before_the_first_save(qtbot, empty_ctx):
    page = HouseholdsPage(empty_ctx)
    qtbot.addWidget(page)
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    editor = next(e for e in page.findChildren(HouseholdEditor) if e.isVisible())
    assert not editor.plan_widget.is_active() and "Nhập thu nhập" in editor.plan_widget.ui.emptyText.text()
    g = editor.general
    g.headNameEdit.setText("Đinh Văn Hùng")
    g.villageCombo.setCurrentIndex(1)
    qtbot.keyClicks(editor.income_edit, "900000")
    editor.indicator_boxes["2.2"].setChecked(True)
    assert editor.plan_widget.is_active() and "2.2 Bảo hiểm y tế" in editor.plan_widget.unaddressed.text()
    qtbot.mouseClick(editor.plan_widget.add_suggested, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert not editor.isVisible()
    hid = empty_ctx.db.execute("SELECT id FROM households WHERE head_name = 'Đinh Văn Hùng'").fetchone()[0]
    codes = [r[0] for r in empty_ctx.db.execute(
        "SELECT measure_code FROM plan_items WHERE household_id = ? AND deleted = 0", [hid])]
    assert "bhyt" in codes


def test_plans_page_asks_before_switching_household(qtbot, ctx):
    page = PlansPage(ctx)
    qtbot.addWidget(page)
    assert page.editor.ui.emptyText.text().startswith("Chọn một hộ trong danh sách")
    first, second = page.model.rows[0].id, page.model.rows[1].id
    page.table.selectRow(0)
    assert page.editor.household_id == first
    qtbot.mouseClick(page.editor.ui.addItemButton, Qt.MouseButton.LeftButton)
    items_before = ctx.db.execute("SELECT COUNT(*) FROM plan_items WHERE household_id = ? AND deleted = 0",
                                  [first]).fetchone()[0]
    seen = answer(qtbot, click="Hủy")
    page.table.selectRow(1)
    assert [sorted(b) for b in seen.buttons] == [sorted(BUTTONS)] and seen.defaults == ["Lưu"]
    assert page.editor.household_id == first and page.selected_household_id() == first
    assert page.editor.has_changes()
    answer(qtbot, click="Không lưu", seen=seen)
    page.table.selectRow(1)
    assert page.editor.household_id == second and not page.editor.has_changes()
    assert ctx.db.execute("SELECT COUNT(*) FROM plan_items WHERE household_id = ? AND deleted = 0",
                          [first]).fetchone()[0] == items_before
    qtbot.mouseClick(page.editor.ui.addItemButton, Qt.MouseButton.LeftButton)
    answer(qtbot, click="Lưu", seen=seen)
    page.table.selectRow(0)
    assert page.editor.household_id == first
    assert ctx.db.execute("SELECT COUNT(*) FROM plan_items WHERE household_id = ? AND deleted = 0",
                          [second]).fetchone()[0] >= 1


def test_helper_form_asks_before_another_helper(qtbot, ctx):
    page = HelpersPage(ctx)
    qtbot.addWidget(page)
    page.table.selectRow(0)
    original = page.name.text()
    page.phone.setText("0912345678")
    seen = answer(qtbot, click="Hủy")
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    assert seen.defaults == ["Lưu"] and page.name.text() == original and page.phone.text() == "0912345678"
    answer(qtbot, click="Lưu", seen=seen)
    page.table.selectRow(1)
    assert ctx.db.execute("SELECT phone FROM helpers WHERE name = ?", [original]).fetchone()[0] == "0912345678"


def test_catalogue_editor_asks_before_another_catalogue(qtbot, ctx):
    ed = CatalogEditor(ctx)
    qtbot.addWidget(ed)
    ed.table.item(0, 1).setText("Tên đã sửa")
    seen = answer(qtbot, click="Hủy")
    ed.choice.setCurrentIndex(1)
    assert seen.defaults == ["Lưu"] and ed.catalog == "support_measures" and ed.choice.currentIndex() == 0
    assert ed.table.item(0, 1).text() == "Tên đã sửa"
    ctx.notify_changed()  # another page saved something: the rows being edited stay
    assert ed.table.item(0, 1).text() == "Tên đã sửa"
    answer(qtbot, click="Không lưu", seen=seen)
    ed.choice.setCurrentIndex(1)
    assert ed.catalog == "funding_sources"


def test_closing_the_window_asks_about_settings_and_plan_record(qtbot, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    settings: SettingsPage = window.show_page("Cài đặt")
    settings.form.upper_level.setText("UBND huyện cũ")
    seen = answer(qtbot, click="Hủy")
    window.close()
    assert window.isVisible() and "Thông tin xã và các thôn" in seen.texts[0]
    plans: PlansPage = window.show_page("Kế hoạch hỗ trợ")
    plans.number.setText("99/KH-UBND")
    answer(qtbot, click="Không lưu", seen=seen)
    answer(qtbot, click="Lưu", seen=seen)
    window.close()
    assert not window.isVisible(), seen.texts
    assert any("Kế hoạch năm 2026 của xã" in t for t in seen.texts)
    assert ctx.db.execute("SELECT value FROM settings WHERE key = 'upper_level'").fetchone()[0] != "UBND huyện cũ"
    assert ctx.db.execute("SELECT document_number FROM commune_plans WHERE year = 2026").fetchone()[0] == "99/KH-UBND"


def test_changing_the_year_asks_and_cancel_keeps_year_and_edits(qtbot, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    plans: PlansPage = window.show_page("Kế hoạch hỗ trợ")
    plans.number.setText("77/KH-UBND")
    seen = answer(qtbot, click="Hủy")
    qtbot.keyClick(window.year_box, Qt.Key.Key_Up)  # the next year
    assert seen.texts and window.year_box.value() == 2026 and ctx.year == 2026
    assert plans.number.text() == "77/KH-UBND"
    answer(qtbot, click="Lưu", seen=seen)
    qtbot.keyClick(window.year_box, Qt.Key.Key_Up)
    assert ctx.year == 2027
    assert ctx.db.execute("SELECT document_number FROM commune_plans WHERE year = 2026").fetchone()[0] == "77/KH-UBND"
