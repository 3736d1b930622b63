"""Vietnamese throughout: Qt's own dialogs, buttons and menus speak Vietnamese, and the shipped
.qm is the compiled .ts."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import (
    QApplication,
    QCalendarWidget,
    QFileDialog,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QWizard,
    QWizardPage,
)

from gnbv_desktop.gui.main_window import MainWindow
from gnbv_desktop.gui.vietnamese import install_vietnamese, translation_file
from gnbv_desktop.paths import resource_path
from tests.gui.english_check import english_in, english_texts, normalise, visible_texts


@pytest.fixture
def vietnamese(qapp):
    """The app's start-up language setting, undone afterwards so other tests see Qt's defaults."""
    before = QLocale()
    translator = install_vietnamese(qapp)
    yield translator
    qapp.removeTranslator(translator)
    QLocale.setDefault(before)


def _lrelease() -> str | None:
    beside_python = Path(sys.executable).with_name("pyside6-lrelease")
    return str(beside_python) if beside_python.exists() else shutil.which("pyside6-lrelease")


def test_shipped_qm_is_the_compiled_ts(tmp_path):
    tool = _lrelease()
    if tool is None:
        pytest.skip("pyside6-lrelease not installed")
    rebuilt = tmp_path / "qt_vi.qm"
    subprocess.run([tool, str(resource_path("translations", "qt_vi.ts")), "-qm", str(rebuilt)],
                   check=True, capture_output=True)
    assert rebuilt.read_bytes() == translation_file().read_bytes(), "run pyside6-lrelease on qt_vi.ts and commit the .qm"


def test_locale_is_vietnamese(vietnamese):
    assert QLocale().language() == QLocale.Language.Vietnamese
    assert QLocale().monthName(1) != "January"
    assert QLocale().toString(1500000.5, "f", 1) == "1.500.000,5"


def test_message_box_buttons_are_vietnamese(vietnamese, qtbot):
    box = QMessageBox(QMessageBox.Icon.Question, "Xóa", "Xóa hộ này?")
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
                           | QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                           | QMessageBox.StandardButton.Cancel | QMessageBox.StandardButton.Close)
    box.setDetailedText("chi tiết")
    qtbot.addWidget(box)
    box.show()
    texts = {normalise(t) for _w, t in visible_texts(box)}
    assert {"Có", "Không", "Lưu", "Không lưu", "Hủy", "Đóng", "Hiện chi tiết"} <= texts
    assert english_in(box) == []


def test_line_edit_context_menu_is_vietnamese(vietnamese, qtbot):
    edit = QLineEdit("Nguyễn Văn A")
    qtbot.addWidget(edit)
    menu = edit.createStandardContextMenu()
    texts = [normalise(a.text().split("\t")[0]) for a in menu.actions() if a.text()]
    assert texts == ["Hoàn tác", "Làm lại", "Cắt", "Sao chép", "Dán", "Xóa", "Chọn tất cả"]
    assert english_in(menu) == []


def test_file_dialog_is_vietnamese(vietnamese, qtbot, tmp_path):
    dialog = QFileDialog(None, "Lưu tệp", str(tmp_path), "Tệp PDF (*.pdf)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    qtbot.addWidget(dialog)
    dialog.show()
    texts = {normalise(t) for _w, t in visible_texts(dialog)}
    assert {"Tìm trong", "Tên tệp", "Loại tệp", "Lưu", "Hủy"} <= texts
    assert english_in(dialog) == []


def test_wizard_progress_and_calendar_are_vietnamese(vietnamese, qtbot):
    wizard = QWizard()
    wizard.addPage(QWizardPage())
    wizard.addPage(QWizardPage())
    qtbot.addWidget(wizard)
    wizard.show()
    assert normalise(wizard.button(QWizard.WizardButton.NextButton).text()) == "Tiếp >"
    assert english_in(wizard) == []
    progress = QProgressDialog()  # Qt's own "Cancel" button
    progress.setLabelText("Đang làm…")
    qtbot.addWidget(progress)
    progress.show()
    assert english_in(progress) == []
    calendar = QCalendarWidget()
    qtbot.addWidget(calendar)
    calendar.show()
    assert calendar.locale().language() == QLocale.Language.Vietnamese
    assert english_in(calendar) == []
    assert any("tháng" in t.lower() for _w, t in visible_texts(calendar))


def test_no_english_standard_text_in_the_main_window(vietnamese, qtbot, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    for title in window.titles:
        window.show_page(title)
        QApplication.processEvents()
        assert english_in(window) == [], title
    for menu_action in window.menuBar().actions():
        assert english_in(menu_action.menu()) == []


def test_the_check_recognises_english(qtbot):
    """Without the translation, Qt's English shows and the check finds it (the check can fail)."""
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    try:
        box = QMessageBox(QMessageBox.Icon.Question, "x", "y",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        qtbot.addWidget(box)
        box.show()
        assert {t for _w, t in english_in(box)} >= {"&Yes", "&No"}
        assert "January" in english_texts()
    finally:
        QLocale.setDefault(before)


def test_print_dialog_is_vietnamese(vietnamese, qtbot):
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter()
    dialog = QPrintDialog(printer)
    qtbot.addWidget(dialog)
    dialog.show()
    texts = {normalise(t) for _w, t in visible_texts(dialog)}
    assert {"In", "Máy in", "Hủy"} <= texts
    assert english_in(dialog) == []


def test_the_app_dialogs_show_no_english_standard_text(vietnamese, qtbot, ctx, db):
    from gnbv_desktop.gui.household_editor import HouseholdEditor
    from gnbv_desktop.gui.import_wizard import ImportWizard
    from gnbv_desktop.gui.setup_wizard import SetupWizard
    from gnbv_desktop.store.household_list import list_rows

    setup = SetupWizard(db)
    editor = HouseholdEditor(ctx, list_rows(ctx.db, 2026)[0].id)
    importer = ImportWizard(ctx)
    for dialog in (setup, editor, importer):
        qtbot.addWidget(dialog)
        dialog.show()
        assert english_in(dialog) == [], type(dialog).__name__


def test_preview_error_about_and_guide_windows_are_vietnamese(vietnamese, qtbot, ctx, tmp_path):
    from gnbv_desktop.gui.about_dialog import AboutDialog
    from gnbv_desktop.gui.error_dialog import ErrorDialog
    from gnbv_desktop.gui.guide_window import GuideWindow
    from gnbv_desktop.gui.pdf_preview import PdfPreview
    from gnbv_desktop.jobs.plan_reports import POSTING, render_report
    from gnbv_desktop.jobs.progress import run_to_end

    pdf = tmp_path / "niem-yet.pdf"
    run_to_end(render_report(ctx.db, POSTING, pdf, 2026))
    windows = [PdfPreview(pdf, "Danh sách niêm yết"), ErrorDialog(None, "Không hoàn thành", "Lỗi", "chi tiết"),
               AboutDialog(ctx.db_path), GuideWindow()]
    for window in windows:
        qtbot.addWidget(window)
        window.show()
        assert english_in(window) == [], type(window).__name__
