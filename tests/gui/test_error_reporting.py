"""Errors never vanish: a failed job, an exception in a click handler and one in a worker thread
each end in the log file and in the Vietnamese error dialog with "Sao chép chi tiết"."""

from __future__ import annotations

import logging
import threading

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qt_compat import qt_api

from gnbv_desktop.app_log import log_file_path, setup_logging
from gnbv_desktop.gui.error_dialog import ErrorDialog, install_exception_hooks


@pytest.fixture
def log_file():
    """The app's rotating log in the test's data folder, detached afterwards."""
    handler = setup_logging()
    yield log_file_path()
    logging.getLogger().removeHandler(handler)
    handler.close()


def _open_error_dialogs() -> list[ErrorDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, ErrorDialog) and w.isVisible()]


def _broken_job(db):
    yield from ()
    raise KeyError("cot_khong_co")


def test_failed_job_is_logged_and_shown_with_copyable_details(qtbot, empty_ctx, log_file):
    from gnbv_desktop.gui.pages.reports_page import ReportsPage

    page = ReportsPage(empty_ctx)
    qtbot.addWidget(page)
    messages = []
    handle = empty_ctx.runner.run_with_dialog(page, "Phụ lục kế hoạch", _broken_job)
    handle.failed.connect(messages.append)
    with qtbot.waitSignal(handle.done, timeout=10000):
        pass
    dialog = handle.error_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "Không hoàn thành: Phụ lục kế hoạch"
    assert messages == ["Lỗi không lường trước (KeyError: 'cot_khong_co')."]
    assert "Traceback" in dialog.details_box.toPlainText() and "KeyError" in dialog.details_box.toPlainText()
    qtbot.mouseClick(dialog.copy_button, qt_api.QtCore.Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert "Phụ lục kế hoạch" in copied and "KeyError: 'cot_khong_co'" in copied and str(log_file) in copied
    qtbot.mouseClick(dialog.close_button, qt_api.QtCore.Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    text = log_file.read_text(encoding="utf-8")
    assert "Việc nền thất bại: Phụ lục kế hoạch" in text and "KeyError: 'cot_khong_co'" in text


@pytest.mark.qt_no_exception_capture
def test_exception_in_a_click_is_logged_and_shown(qtbot, qapp, log_file):
    restore = install_exception_hooks(qapp)
    try:
        button = QPushButton("Tính")
        qtbot.addWidget(button)

        def broken() -> None:
            raise ZeroDivisionError("chia cho 0")

        button.clicked.connect(broken)
        qtbot.mouseClick(button, qt_api.QtCore.Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(_open_error_dialogs()), timeout=5000)
        dialog = _open_error_dialogs()[-1]
        assert dialog.windowTitle() == "Lỗi không mong đợi" and "chia cho 0" in dialog.message
        assert "ZeroDivisionError" in dialog.details
        dialog.close()
        assert "ZeroDivisionError: chia cho 0" in log_file.read_text(encoding="utf-8")
    finally:
        restore()


def test_exception_in_a_worker_thread_reaches_the_ui_thread(qtbot, qapp, log_file):
    restore = install_exception_hooks(qapp)
    try:
        def work() -> None:
            raise OSError("ổ đĩa đầy")

        thread = threading.Thread(target=work, name="sao-luu")
        thread.start()
        thread.join()
        qtbot.waitUntil(lambda: bool(_open_error_dialogs()), timeout=5000)
        dialog = _open_error_dialogs()[-1]
        assert "ổ đĩa đầy" in dialog.message
        dialog.close()
        text = log_file.read_text(encoding="utf-8")
        assert "luồng sao-luu" in text and "OSError: ổ đĩa đầy" in text
    finally:
        restore()


def test_log_rotates_instead_of_growing_without_end(tmp_path):
    from gnbv_desktop.app_log import BACKUP_COUNT, MAX_BYTES

    path = tmp_path / "nhat-ky.log"
    handler = setup_logging(path)
    try:
        line = "x" * 1000
        for _ in range(MAX_BYTES // 1000 * 2):
            logging.getLogger("gnbv_desktop.test").info(line)
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
    assert path.stat().st_size <= MAX_BYTES
    assert (tmp_path / "nhat-ky.log.1").exists() and not (tmp_path / f"nhat-ky.log.{BACKUP_COUNT + 1}").exists()


def test_start_log_gives_way_to_the_rotating_one_on_the_same_file(tmp_path):
    """The app's start appends to the file plainly; once the list shows, the rotating handler
    takes its place: one handler on the file, every line kept, and the file still rotates."""
    from logging.handlers import RotatingFileHandler

    from gnbv_desktop.app_log import MAX_BYTES, current_log_file

    path = tmp_path / "nhat-ky.log"
    path.write_text("x" * (MAX_BYTES + 10), encoding="utf-8")  # grown past the limit in an earlier session
    root = logging.getLogger()
    start = setup_logging(path, rotating=False)
    rotating = start
    try:
        assert not isinstance(start, RotatingFileHandler) and current_log_file() == path.resolve()
        logging.getLogger("gnbv_desktop.test").info("mở tệp lúc khởi động")
        assert "mở tệp lúc khởi động" in path.read_text(encoding="utf-8")
        rotating = setup_logging(path)
        assert isinstance(rotating, RotatingFileHandler) and start not in root.handlers
        assert setup_logging(path) is rotating and setup_logging(path, rotating=False) is rotating
        logging.getLogger("gnbv_desktop.test").info("sau khi danh sách hiện")
    finally:
        for handler in (start, rotating):
            root.removeHandler(handler)
            handler.close()
    rolled = (tmp_path / "nhat-ky.log.1").read_text(encoding="utf-8")
    assert "mở tệp lúc khởi động" in rolled
    assert "sau khi danh sách hiện" in path.read_text(encoding="utf-8") and path.stat().st_size < 1000


def test_own_vietnamese_messages_are_shown_as_they_are(qtbot, empty_ctx):
    def refused(db):
        yield from ()
        raise ValueError("Tệp bị hỏng ở dòng 7")

    handle = empty_ctx.runner.submit(refused, "Nhập Excel")
    with qtbot.waitSignal(handle.failed, timeout=10000) as blocker:
        pass
    assert blocker.args == ["Tệp bị hỏng ở dòng 7"]
    assert handle.error_dialog.message == "Tệp bị hỏng ở dòng 7"
    handle.error_dialog.close()


def test_unwritable_data_folder_does_not_stop_the_start(tmp_path):
    from gnbv_desktop.app_log import current_log_file

    blocker = tmp_path / "khong-phai-thu-muc"
    blocker.write_text("một tệp chắn chỗ thư mục")
    handler = setup_logging(blocker / "gnbv-desktop.log")
    try:
        assert current_log_file() is None
        assert isinstance(handler, logging.StreamHandler)
    finally:
        logging.getLogger().removeHandler(handler)
