"""Hướng dẫn sử dụng (F1): the short Vietnamese guide shipped in ``resources/guide/huong-dan.html``."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from gnbv_desktop.gui.window_state import fit_into_screen, restore_geometry, save_geometry
from gnbv_desktop.paths import resource_path

GUIDE_FILE = ("guide", "huong-dan.html")
SETTINGS_KEY = "huong-dan"


class GuideWindow(QDialog):
    """A non-modal window beside the work: the guide stays open while the user follows it."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Hướng dẫn sử dụng GNBV Desktop")
        self.setSizeGripEnabled(True)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        self.browser.setSource(QUrl.fromLocalFile(str(resource_path(*GUIDE_FILE))))
        self.home_button = QPushButton("Mục lục")
        self.home_button.clicked.connect(self.browser.home)
        self.close_button = QPushButton("Đóng")
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.home_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addLayout(buttons)
        if not restore_geometry(self, SETTINGS_KEY):
            fit_into_screen(self, 760, 640)

    def closeEvent(self, event) -> None:  # noqa: ANN001 - Qt override
        save_geometry(self, SETTINGS_KEY)
        super().closeEvent(event)
