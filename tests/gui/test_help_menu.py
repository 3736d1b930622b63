"""Trợ giúp: F1 opens the Vietnamese guide shipped with the app; Giới thiệu says version, files, licences."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from gnbv_desktop import __version__
from gnbv_desktop.app_log import log_file_path
from gnbv_desktop.gui.about_dialog import AboutDialog
from gnbv_desktop.gui.main_window import MainWindow
from gnbv_desktop.paths import resource_path, user_data_dir


def test_f1_opens_the_user_guide(qtbot, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window.households.table, Qt.Key.Key_F1)
    guide = window.guide_window
    assert guide is not None and guide.isVisible()
    text = guide.browser.toPlainText()
    for heading in ("Những bước đầu tiên", "Công việc trong một năm", "Nhập danh sách từ Excel",
                    "Xem trước và in", "Gửi dữ liệu lên cấp trên", "Sao lưu dữ liệu"):
        assert heading in text
    qtbot.mouseClick(guide.close_button, Qt.MouseButton.LeftButton)
    assert not guide.isVisible()


def test_guide_names_only_buttons_that_exist():
    """Every bold button/page name quoted with an ellipsis in the guide is a real caption in the code."""
    import re

    html = resource_path("guide", "huong-dan.html").read_text(encoding="utf-8")
    sources = "".join(p.read_text(encoding="utf-8") for p in resource_path("..", "gnbv_desktop").resolve().rglob("*.py"))
    for caption in re.findall(r"<b>([^<…]+…)</b>", html):
        if "…" in caption.rstrip("…"):
            continue
        assert caption in sources, caption


def test_about_shows_version_files_and_licences(qtbot, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    about_action = next(a for a in window.menuBar().actions()[0].menu().actions() if a.text().startswith("Giới thiệu"))
    about_action.trigger()
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, AboutDialog) and w.isVisible())
    text = dialog.text.toPlainText()
    assert f"GNBV Desktop {__version__}" in text
    assert str(ctx.db_path) in text and str(user_data_dir()) in text and str(log_file_path()) in text
    for licence in ("SIL Open Font License 1.1", "LGPL 3.0", "Apache 2.0", "MIT", "BSD"):
        assert licence in text
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
