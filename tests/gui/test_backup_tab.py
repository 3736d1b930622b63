"""Cài đặt → Sao lưu, and the offer of the latest good backup when the file is damaged."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QPushButton

from gnbv_desktop.gui.damaged_dialog import offer_restore
from gnbv_desktop.gui.pages.settings_page import SettingsPage
from gnbv_desktop.store.backup import make_backup
from gnbv_desktop.store.database import DamagedDatabase, open_database
from tests.gui.dialogs import answer
from tests.store.test_backup import damage


def _households(path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT COUNT(*) FROM households WHERE deleted = 0").fetchone()[0]
    finally:
        conn.close()


def _click_row(qtbot, table, row: int) -> None:
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _click_and_wait(qtbot, tab, button) -> None:
    """Click a button that starts a job and wait for the job to end, as the official waits."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(tab.handle.done, timeout=60_000):
        pass


def test_backup_now_usb_and_restore(qtbot, ctx, tmp_path, monkeypatch):
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    tab = page.backups
    page.tabs.setCurrentWidget(tab)
    assert tab.table.rowCount() == 0
    _click_and_wait(qtbot, tab, tab.backup_button)
    assert tab.table.rowCount() == 1
    assert tab.table.item(0, 1).text() == "Sao lưu thủ công"
    assert tab.table.item(0, 3).text() == "60"

    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(usb))
    _click_and_wait(qtbot, tab, tab.usb_button)
    assert len(list(usb.glob("*.sqlite3"))) == 1 and "usb" in tab.message.text()

    ctx.db.execute("UPDATE households SET deleted = 1 WHERE id <= 7")
    assert not tab.restore_button.isEnabled()
    _click_row(qtbot, tab.table, 0)
    assert tab.restore_button.isEnabled()
    asked = answer(qtbot, key=Qt.Key.Key_Return)
    with qtbot.waitSignal(ctx.data_changed, timeout=60_000):
        qtbot.mouseClick(tab.restore_button, Qt.MouseButton.LeftButton)
    assert "60 hộ" in asked.texts[0]
    assert ctx.db.execute("SELECT COUNT(*) FROM households WHERE deleted = 0").fetchone()[0] == 60
    assert [tab.table.item(r, 1).text() for r in range(tab.table.rowCount())] == [
        "Trước khi khôi phục", "Sao lưu thủ công"]
    assert tab.table.item(0, 3).text() == "53"
    assert "Đã khôi phục" in tab.message.text()


def test_a_backup_runs_off_the_window_s_thread_with_progress(qtbot, ctx, monkeypatch):
    """The copy waits for a tick of the window's own timer: on the window's thread it would wait
    in vain (the window frozen), as a job it goes on as soon as the window has ticked."""
    import threading

    from gnbv_desktop.store import backup

    ticked = threading.Event()
    copied_after_tick = []
    real_copy = backup.copy_database

    def slow_copy(source, target, **options):
        copied_after_tick.append(ticked.wait(20))
        return real_copy(source, target, **options)

    monkeypatch.setattr(backup, "copy_database", slow_copy)
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    tab = page.backups
    QTimer.singleShot(0, ticked.set)
    qtbot.mouseClick(tab.backup_button, Qt.MouseButton.LeftButton)
    assert not tab.backup_button.isEnabled() and not tab.restore_file_button.isEnabled()  # one job at a time
    dialog = tab.handle.dialog  # progress shown, with no Hủy: a copy cannot stop half-way
    assert dialog.windowTitle() == "Sao lưu dữ liệu" and not dialog.findChildren(QPushButton)
    with qtbot.waitSignal(tab.handle.done, timeout=60_000):
        pass
    assert copied_after_tick == [True]
    assert tab.table.rowCount() == 1 and tab.backup_button.isEnabled()


def test_restore_declined_changes_nothing(qtbot, ctx):
    make_backup(ctx.db_path, "mo-phan-mem")
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    tab = page.backups
    ctx.db.execute("UPDATE households SET deleted = 1 WHERE id <= 3")
    _click_row(qtbot, tab.table, 0)
    asked = answer(qtbot, key=Qt.Key.Key_Escape)
    qtbot.mouseClick(tab.restore_button, Qt.MouseButton.LeftButton)
    assert asked.texts and tab.handle is None
    assert _households(ctx.db_path) == 57
    assert tab.table.rowCount() == 1


def _press_later(text: str) -> None:
    def press() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, press)
            return
        next(b for b in box.findChildren(QPushButton) if b.text() == text).click()

    QTimer.singleShot(0, press)


def test_damaged_file_offers_latest_good_backup(qtbot, demo_db, db_path):
    make_backup(db_path, "mo-phan-mem")
    demo_db.close()
    damage(db_path)
    try:
        open_database(db_path)
    except DamagedDatabase as exc:
        error = exc
    _press_later("Thoát")
    assert offer_restore(None, db_path, error) is False
    _press_later("Khôi phục bản sao lưu này")
    assert offer_restore(None, db_path, error) is True
    db = open_database(db_path)
    assert db.execute("SELECT COUNT(*) FROM households").fetchone()[0] == 60
    db.close()


def test_restore_from_a_usb_copy_and_refusal_of_junk(qtbot, ctx, tmp_path, monkeypatch):
    usb_copy = make_backup(ctx.db_path, folder=tmp_path / "usb")
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"khong phai du lieu" * 300)
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    tab = page.backups
    ctx.db.execute("UPDATE households SET deleted = 1 WHERE id <= 4")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(junk), ""))
    _click_and_wait(qtbot, tab, tab.restore_file_button)
    assert "không phải" in tab.message.text() and "junk.sqlite3" in tab.message.text()
    assert "không phải" in tab.handle.error_dialog.message
    qtbot.mouseClick(next(b for b in tab.handle.error_dialog.findChildren(QPushButton) if b.text() == "Đóng"),
                     Qt.MouseButton.LeftButton)
    assert _households(ctx.db_path) == 56
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(usb_copy), ""))
    answer(qtbot, key=Qt.Key.Key_Return)
    with qtbot.waitSignal(ctx.data_changed, timeout=60_000):
        qtbot.mouseClick(tab.restore_file_button, Qt.MouseButton.LeftButton)
    assert _households(ctx.db_path) == 60
