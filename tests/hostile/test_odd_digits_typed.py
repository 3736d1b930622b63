"""Digits other than 0–9 typed or pasted into the household editor: ``str.isdigit`` says yes to ``²``,
``¹`` and ``①`` but ``int()`` refuses them, and the editor crashed. They are now ordinary bad input."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from gnbv_desktop.core.text import is_digits
from gnbv_desktop.gui.household_editor import HouseholdEditor
from gnbv_desktop.store.households import list_rows

pytestmark = pytest.mark.gui


def _editor(qtbot, ctx) -> HouseholdEditor:
    editor = HouseholdEditor(ctx)
    qtbot.addWidget(editor)
    g = editor.general
    g.headNameEdit.setText("Nguyễn Văn Ánh")
    g.villageCombo.setCurrentIndex(g.villageCombo.findText("Thôn 1 (nông thôn)"))
    return editor


@pytest.mark.parametrize(("text", "digits"), [("1975", True), ("¹975", False), ("②", False), ("٣", False),
                                              ("", False), ("12 3", False)])
def test_only_0_to_9_are_digits(text, digits):
    assert is_digits(text) is digits


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
