"""The editor warns when an indicator about children is ticked for a household without such a child."""

from __future__ import annotations

from PySide6.QtCore import Qt

from gnbv_desktop.gui.pages.households_page import HouseholdsPage
from tests.gui.dialogs import answer
from tests.gui.test_households_gui import shown_text


def test_child_indicator_without_child_is_flagged(qtbot, empty_ctx):
    page = HouseholdsPage(empty_ctx)
    qtbot.addWidget(page)
    editor = page.new_household()
    qtbot.addWidget(editor)
    editor.general.headNameEdit.setText("Nguyễn Văn Bình")
    qtbot.keyClicks(editor.general.birthYearEdit, "1970")
    qtbot.keyClicks(editor.income_edit, "1000000")
    editor.indicator_boxes["3.2"].setChecked(True)
    text = shown_text(editor.result_label)
    assert "Chỉ số 3.2 (Tình trạng đi học của trẻ em) được đánh dấu thiếu hụt nhưng hộ không có trẻ em từ 3 đến dưới 16" in text
    editor.indicator_boxes["3.2"].setChecked(False)
    assert "⚠" not in shown_text(editor.result_label)
    answer(qtbot, click="Không lưu")  # closing without saving: the official discards the new household
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert not editor.isVisible()
