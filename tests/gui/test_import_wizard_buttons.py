"""The import wizard driven only through its own buttons: readable problems, the error list export,
the legacy-encoding switch, and buttons that fit the state once the import is done."""

from __future__ import annotations

import openpyxl
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFileDialog, QWizard

from gnbv_desktop.gui.import_wizard import ImportWizard
from gnbv_desktop.store.household_list import list_rows
from tests.gui.dialogs import answer
from tests.gui.import_steps import choose_file, click_to, open_to_preview
from tests.io.workbooks import simple_list

pytestmark = pytest.mark.gui

HEADER = ["STT", "Họ tên chủ hộ", "Năm sinh", "Số CCCD", "Thôn", "Thu nhập", "Phân loại"]


@pytest.fixture
def ctx(commune_ctx):
    return commune_ctx


def _tick(qtbot, box):
    """Click a check box on its box (a click far right of its label does not toggle it)."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def test_problems_readable_exported_and_buttons_after_import(ctx, qtbot, tmp_path, monkeypatch):
    path = simple_list(tmp_path / "ds.xlsx", [
        [1, "Hà Văn Một", 1970, "064070000001", "Thôn 1", "1.000.000", "Cận nghèo"],
        [2, "Hà Thị Hai", 1980, "06418000012", "Thôn 1", "1.100.000", "Cận nghèo"],
        [3, "Hà Văn Ba", 1990, None, "Thôn 1", "900.000", "Cận nghèo"],
    ], header=HEADER)
    wb = openpyxl.load_workbook(path)
    wb.active["D4"].value = '=HYPERLINK("x")'
    wb.active["D4"].data_type = "s"  # typed as text in the list: must stay text in the error list too
    wb.save(path)
    wizard = open_to_preview(qtbot, ctx, path)
    pp = wizard.preview_page
    before = wizard.size()
    wizard.resize(before.width() + 200, before.height() + 150)
    assert wizard.size().width() == before.width() + 200 and wizard.isSizeGripEnabled()
    # a row's whole problem text in the details pane, wrapped, not cut off
    pp.table.selectRow(1)
    assert pp.details.toPlainText() == (
        "Dòng 3 — Hà Thị Hai\nLỗi: cột D (Số CCCD): Số CCCD '06418000012' phải có đúng 12 chữ số (đang có 11).")
    assert pp.table.wordWrap() and pp.model.index(1, 6).data(Qt.ItemDataRole.ToolTipRole)
    # Xuất danh sách lỗi
    target = tmp_path / "loi.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "Excel (*.xlsx)"))
    seen = answer(qtbot, key=Qt.Key.Key_Return)
    qtbot.mouseClick(pp.export_problems, Qt.MouseButton.LeftButton)
    rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
    assert rows[0] == ("Trang", "Dòng", "Cột", "Giá trị trong tệp", "Mức", "Nội dung")
    assert ("DS", "3", "D (Số CCCD)", "06418000012", "Lỗi",
            "Số CCCD '06418000012' phải có đúng 12 chữ số (đang có 11).") in rows
    formula_row = next(r for r in rows if r[1] == "4" and r[2] == "D (Số CCCD)")
    assert formula_row[3] == '=HYPERLINK("x")'  # written as text, never as a live formula
    assert openpyxl.load_workbook(target).active.cell(rows.index(formula_row) + 1, 4).data_type == "s"
    assert len(seen.texts) == 1 and seen.texts[0].startswith("Đã ghi 2 vấn đề")
    # import the valid row; the summary names the skipped rows; no way back, no cancel
    _tick(qtbot, pp.skip_invalid)
    assert wizard.button(QWizard.WizardButton.CommitButton).text() == "Nhập"
    click_to(qtbot, wizard, QWizard.WizardButton.CommitButton, wizard.summary_page)
    text = wizard.summary_page.text.text()
    assert "Hộ bỏ qua (dòng lỗi): 2 — dòng 3, 4" in text
    assert not wizard.button(QWizard.WizardButton.BackButton).isVisible()
    assert not wizard.button(QWizard.WizardButton.CancelButton).isVisible()
    assert wizard.button(QWizard.WizardButton.FinishButton).isVisible()
    assert [r.head_name for r in list_rows(ctx.db, 2026)] == ["Hà Văn Một"]
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    assert not wizard.isVisible()


def test_legacy_encoding_shown_converted_and_can_be_turned_off(ctx, qtbot, tmp_path):
    path = simple_list(tmp_path / "vntime.xlsx", [
        [1, "NguyÔn V¨n An", 1970, None, "Thôn 1", "1.000.000", "Cận nghèo"],
        [2, "TrÇn ThÞ B×nh", 1980, None, "Thôn 1", "1.100.000", "Cận nghèo"],
    ], header=HEADER)
    wizard = open_to_preview(qtbot, ctx, path)
    pp = wizard.preview_page
    assert pp.model.index(0, 1).data() == "Nguyễn Văn An"
    assert "bảng mã cũ TCVN3" in pp.notices.text() and pp.convert_legacy.isChecked()
    _tick(qtbot, pp.convert_legacy)
    qtbot.waitUntil(lambda: pp.model.index(0, 1).data() == "NguyÔn V¨n An", timeout=20000)
    assert "đang giữ nguyên" in pp.notices.text() and not pp.convert_legacy.isChecked()
    _tick(qtbot, pp.convert_legacy)
    qtbot.waitUntil(lambda: pp.model.index(0, 1).data() == "Nguyễn Văn An", timeout=20000)
    click_to(qtbot, wizard, QWizard.WizardButton.CommitButton, wizard.summary_page)
    assert sorted(r.head_name for r in list_rows(ctx.db, 2026)) == ["Nguyễn Văn An", "Trần Thị Bình"]


def test_hostile_workbook_refused_on_the_file_page(ctx, qtbot, tmp_path):
    from tests.hostile.test_excel_hostile import CASES

    make, expected = CASES["o-XFD1048576.xlsx"]
    path = tmp_path / "o.xlsx"
    make(path)
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    choose_file(qtbot, wizard, path)
    assert expected in wizard.file_page.message.text()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def test_a_workbook_the_reader_measures_in_a_child_is_refused_on_the_file_page(ctx, qtbot, tmp_path):
    """A crafted sheet the guard sends to the reader in a child process: the check runs off the UI
    thread, and the page then says why, in Vietnamese, with Tiếp theo unavailable."""
    from tests.io.test_workbook_guard_forms import CRAFTED, _workbook

    path = _workbook(tmp_path / "la.xlsx", CRAFTED["single quotes"])
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    choose_file(qtbot, wizard, path)
    assert "Không đọc được tệp 'la.xlsx'" in wizard.file_page.message.text()
    assert wizard.file_page.sheet.count() == 0
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    shown = wizard.handle.error_dialog  # the refusal is said, without a traceback for a technician
    assert "Không đọc được tệp 'la.xlsx'" in shown.message and shown.details == ""
    qtbot.mouseClick(shown.close_button, Qt.MouseButton.LeftButton)
    choose_file(qtbot, wizard, simple_list(tmp_path / "ds.xlsx", [[1, "Hà Văn Một", 1970, None, "Thôn 1", "1.000.000",
                                                                   "Cận nghèo"]]))
    assert wizard.file_page.message.text() == "" and wizard.button(QWizard.WizardButton.NextButton).isEnabled()
