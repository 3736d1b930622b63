"""Steps through the Excel import wizard the way an official takes them: the wizard's own buttons."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard


def click_to(qtbot, wizard, which: QWizard.WizardButton, page) -> None:
    """Click one of the wizard's buttons (it must be there and enabled) and wait for ``page``."""
    button = wizard.button(which)
    assert button.isVisible() and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentPage() is page, timeout=20000)


def open_to_preview(qtbot, ctx, path):
    """A new wizard on ``path``, taken through the mapping page to the preview."""
    from gnbv_desktop.gui.import_wizard import ImportWizard

    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    choose_file(qtbot, wizard, path)
    click_to(qtbot, wizard, QWizard.WizardButton.NextButton, wizard.mapping_page)
    click_to(qtbot, wizard, QWizard.WizardButton.NextButton, wizard.preview_page)
    return wizard


def choose_file(qtbot, wizard, path, *, typed: bool = False):
    """Type or paste ``path`` into the file page and leave the field, as a person does, then wait
    for the file's check (a job off the UI thread) to end: its sheets listed, or its message shown."""
    page = wizard.file_page
    if typed:
        qtbot.keyClicks(page.path, str(path))
    else:
        page.path.setText(str(path))
    page.path.editingFinished.emit()  # what leaving the field does (focus is not real offscreen)
    qtbot.waitUntil(lambda: not wizard.busy and (page.sheet.count() > 0 or bool(page.message.text())), timeout=60_000)
