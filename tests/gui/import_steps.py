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
    wizard.file_page.path.setText(str(path))
    wizard.file_page.path.editingFinished.emit()
    click_to(qtbot, wizard, QWizard.WizardButton.NextButton, wizard.mapping_page)
    click_to(qtbot, wizard, QWizard.WizardButton.NextButton, wizard.preview_page)
    return wizard
