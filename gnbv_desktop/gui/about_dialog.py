"""Giới thiệu: version, where the data and the log are, and the licences of what the app ships.

Support's first questions are "which version?" and "where is the file?"; the answers are here,
selectable and copyable. Licences are listed because the bundle redistributes Qt (LGPL), PDFium
and the Liberation fonts (OFL), whose terms ask for that notice.
"""

from __future__ import annotations

import platform
import sqlite3
from html import escape
from importlib import metadata
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from gnbv_desktop import __version__
from gnbv_desktop.app_log import current_log_file, log_file_path
from gnbv_desktop.paths import resource_path, user_data_dir

# (what, distribution whose version is shown (or python / sqlite), licence) — what the bundle carries.
LIBRARIES = [
    ("Python", "python", "Giấy phép PSF (Python Software Foundation License)"),
    ("Qt 6 / PySide6", "PySide6_Essentials", "LGPL 3.0"),
    ("SQLite", "sqlite", "Phạm vi công cộng (public domain)"),
    ("sqlite-utils", "sqlite-utils", "Apache 2.0"),
    ("openpyxl", "openpyxl", "MIT"),
    ("python-calamine", "python-calamine", "MIT"),
    ("ReportLab", "reportlab", "BSD"),
    ("pypdfium2 / PDFium", "pypdfium2", "Apache 2.0 hoặc BSD 3 điều khoản; PDFium: BSD 3 điều khoản"),
    ("cryptography", "cryptography", "Apache 2.0 hoặc BSD"),
    ("orjson", "orjson", "Apache 2.0 hoặc MIT"),
    ("platformdirs", "platformdirs", "MIT"),
]
FONTS_AND_DATA = [
    ("Phông Liberation Serif", "SIL Open Font License 1.1", ("fonts", "LICENSE-LiberationSerif-OFL.txt")),
    ("Danh sách tên dùng cho dữ liệu mẫu", "MIT", ("demo", "LICENSE")),
    ("Danh mục dân tộc, đơn vị hành chính, chuẩn nghèo", "Dữ liệu của cơ quan nhà nước", None),
]


def _version(dist: str) -> str:
    if dist == "python":
        return platform.python_version()
    if dist == "sqlite":
        return sqlite3.sqlite_version
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return ""


def about_html(db_path: Path) -> str:
    log_file = current_log_file() or log_file_path()
    rows = "".join(
        f"<tr><td>{escape(name)}</td><td>{escape(_version(dist))}</td><td>{escape(licence)}</td></tr>"
        for name, dist, licence in LIBRARIES
    )
    fonts = "".join(
        f"<li>{escape(name)}: {escape(licence)}"
        + (f" (tệp <code>{escape(str(resource_path(*parts)))}</code>)" if parts else "") + "</li>"
        for name, licence, parts in FONTS_AND_DATA
    )
    return (
        f"<h2>GNBV Desktop {escape(__version__)}</h2>"
        "<p>Phần mềm quản lý hộ nghèo, hộ cận nghèo và kế hoạch hỗ trợ giảm nghèo bền vững cấp xã, "
        "chạy ngoại tuyến.</p>"
        "<table cellspacing='4'>"
        f"<tr><td><b>Tệp dữ liệu:</b></td><td>{escape(str(db_path))}</td></tr>"
        f"<tr><td><b>Thư mục dữ liệu:</b></td><td>{escape(str(user_data_dir()))}</td></tr>"
        f"<tr><td><b>Tệp nhật ký:</b></td><td>{escape(str(log_file))}</td></tr>"
        "</table>"
        "<h3>Thư viện kèm theo</h3>"
        "<table border='1' cellspacing='0' cellpadding='3'><tr><th>Thư viện</th><th>Phiên bản</th><th>Giấy phép</th></tr>"
        f"{rows}</table>"
        f"<h3>Phông chữ và dữ liệu kèm theo</h3><ul>{fonts}</ul>"
    )


class AboutDialog(QDialog):
    def __init__(self, db_path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Giới thiệu GNBV Desktop")
        self.setSizeGripEnabled(True)
        self.db_path = Path(db_path)
        self.text = QTextBrowser()
        self.text.setHtml(about_html(self.db_path))
        self.copy_button = QPushButton("Sao chép thông tin")
        self.copy_button.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.text.toPlainText()))
        self.folder_button = QPushButton("Mở thư mục dữ liệu")
        self.folder_button.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.db_path.parent)))
        )
        self.close_button = QPushButton("Đóng")
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.folder_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addLayout(buttons)
        self.resize(640, 560)
