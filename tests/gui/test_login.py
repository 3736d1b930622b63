"""Đăng nhập at start; a "chỉ xem" session cannot write from any connection and is told why."""

from __future__ import annotations

import sqlite3
import sys

import pytest
from PySide6.QtCore import Qt

from gnbv_desktop.gui import read_only_notice
from gnbv_desktop.gui.login_dialog import LoginDialog
from gnbv_desktop.store.accounts import ADMIN, READ_ONLY_MESSAGE, VIEWER, create_account
from gnbv_desktop.store.audit import SOURCE_GUI, start_session
from gnbv_desktop.store.database import open_database
from tests.gui.dialogs import answer


@pytest.fixture
def accounts(demo_db):
    admin = create_account(demo_db, None, "admin", ADMIN, "quan-tri-123")
    create_account(demo_db, admin, "xem", VIEWER, "chi-xem-123")
    return demo_db


def test_login_dialog(qtbot, accounts):
    dialog = LoginDialog(accounts)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.username, "xem")
    qtbot.keyClicks(dialog.password, "sai-mat-khau")
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    assert dialog.result() != LoginDialog.DialogCode.Accepted
    assert "Sai tên đăng nhập" in dialog.message.text() and dialog.password.text() == ""
    qtbot.keyClicks(dialog.password, "chi-xem-123")
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == LoginDialog.DialogCode.Accepted
    assert dialog.account.username == "xem" and dialog.account.role == VIEWER


def test_viewer_session_refuses_writes_from_every_connection(qtbot, accounts, db_path, monkeypatch):
    start_session(accounts, SOURCE_GUI, "xem", VIEWER)
    worker = open_database(db_path)  # what the job runner opens for a background job
    for db in (accounts, worker):
        with pytest.raises(sqlite3.IntegrityError) as err:
            db.execute("UPDATE households SET phone = '0900000000' WHERE id = 1")
    worker.close()
    others = []
    monkeypatch.setattr(sys, "excepthook", lambda *a: others.append("khác"))
    read_only_notice.install()
    seen = answer(qtbot, key=Qt.Key.Key_Return)  # the official reads the box and presses Enter
    sys.excepthook(err.type, err.value, None)
    assert len(seen.texts) == 1 and f"{READ_ONLY_MESSAGE}; không có gì được lưu." == seen.texts[0]
    sys.excepthook(ValueError, ValueError("x"), None)
    assert others == ["khác"]
    start_session(accounts, SOURCE_GUI, "admin", ADMIN)
    accounts.execute("UPDATE households SET phone = '0900000000' WHERE id = 1")


def test_a_write_to_a_file_that_can_only_be_read_is_told_like_a_viewer_s(qtbot, demo_db, db_path, tmp_path,
                                                                          monkeypatch):
    import shutil

    from gnbv_desktop.store.read_only import is_read_only
    from tests.read_only_drive import read_only_drive

    demo_db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with read_only_drive(tmp_path / "usb", lambda d: shutil.copy(db_path, d / "xa.sqlite3")) as usb:
        db = open_database(usb / "xa.sqlite3")
        assert is_read_only(db)
        with pytest.raises(sqlite3.OperationalError) as err:
            db.execute("UPDATE households SET phone = '0900000000' WHERE id = 1")
        db.close()
    others = []
    monkeypatch.setattr(sys, "excepthook", lambda *a: others.append("khác"))
    read_only_notice.install()
    seen = answer(qtbot, key=Qt.Key.Key_Return)
    sys.excepthook(err.type, err.value, None)
    assert len(seen.texts) == 1 and "chế độ chỉ đọc" in seen.texts[0] and "không bị thay đổi" in seen.texts[0]
    assert others == []
