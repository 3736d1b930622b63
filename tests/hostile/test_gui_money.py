"""Money typed in the household editor goes through the one parser: ``1.5`` is no longer silently
regrouped into 15 đ — the field keeps what was typed and Lưu says what was read."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from gnbv_desktop.gui.household_editor import HouseholdEditor
from gnbv_desktop.store.household_list import list_rows

pytestmark = pytest.mark.gui


def _editor(qtbot, ctx) -> HouseholdEditor:
    editor = HouseholdEditor(ctx)
    qtbot.addWidget(editor)
    g = editor.general
    g.headNameEdit.setText("Nguyễn Văn Ánh")
    g.villageCombo.setCurrentIndex(g.villageCombo.findText("Thôn 1 (nông thôn)"))
    return editor


@pytest.mark.parametrize("typed", ["1.5", "1,2", "1.2345", "100000000000000000000"])
def test_an_unclear_amount_is_kept_as_typed_and_refused_on_save(qtbot, empty_ctx, typed):
    editor = _editor(qtbot, empty_ctx)
    qtbot.keyClicks(editor.income_edit, typed)
    assert editor.income_edit.text() in (typed, "100.000.000.000.000.000.000")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    message = editor.income_error.text()
    assert not editor.income_error.isHidden() and ("không rõ nghĩa" in message or "lớn quá mức" in message)
    assert list_rows(empty_ctx.db, 2026, include_unassessed=True) == []


def test_a_clear_amount_with_a_unit_is_accepted_and_shown_the_app_way(qtbot, empty_ctx):
    editor = _editor(qtbot, empty_ctx)
    qtbot.keyClicks(editor.income_edit, "1,2 trieu")
    assert "Hộ cận nghèo: thu nhập 1.200.000 đ" in editor.result_label.text()
    editor.income_edit.editingFinished.emit()  # what leaving the field does (focus is not real offscreen)
    assert editor.income_edit.text() == "1.200.000"
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    rows = list_rows(empty_ctx.db, 2026)
    assert [(r.head_name, r.income) for r in rows] == [("Nguyễn Văn Ánh", 1_200_000)]


# Digits other than 0–9: ``str.isdigit`` says yes to ``²`` and ``¹`` but ``int()`` refuses them (the editor crashed).
def test_a_superscript_pasted_into_the_income_is_kept_and_refused_on_save(qtbot, empty_ctx):
    editor = _editor(qtbot, empty_ctx)
    qtbot.keyClicks(editor.income_edit, "1")
    editor.income_edit.insert("²")  # what a paste does (keyClicks cannot type non-ASCII offscreen)
    assert editor.income_edit.text() == "1²"
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert not editor.income_error.isHidden() and "1²" in editor.income_error.text()
    assert list_rows(empty_ctx.db, 2026, include_unassessed=True) == []


def test_a_birth_year_written_with_a_superscript_one_is_an_error_on_save(qtbot, empty_ctx):
    editor = _editor(qtbot, empty_ctx)
    qtbot.keyClicks(editor.income_edit, "1000000")
    editor.general.birthYearEdit.setText("¹975")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert list_rows(empty_ctx.db, 2026, include_unassessed=True) == []
    error = editor.general.birthYearError
    assert not error.isHidden() and error.text() == "Năm sinh phải là 4 chữ số, ví dụ 1975."
