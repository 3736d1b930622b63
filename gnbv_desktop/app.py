"""Composition root: arguments → database → QApplication → first-run wizard → main window."""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sqlite3
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from gnbv_desktop import __version__
from gnbv_desktop.app_log import setup_logging
from gnbv_desktop.paths import default_db_path, resource_path

if TYPE_CHECKING:
    from sqlite_utils import Database

    from gnbv_desktop.store.database import DatabaseError
    from gnbv_desktop.store.integrity import BackgroundCheck


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="gnbv-desktop", description="GNBV Desktop — quản lý hộ nghèo, hộ cận nghèo")
    p.add_argument("--db", metavar="PATH", help="tệp cơ sở dữ liệu (mặc định: thư mục dữ liệu người dùng)")
    p.add_argument("--year", type=int, help="năm rà soát / kế hoạch khi mở")
    p.add_argument("--version", action="version", version=f"GNBV Desktop {__version__}")
    p.add_argument("--self-check", action="store_true",
                   help="tự kiểm tra bản cài đặt (không cần màn hình): in OK hoặc bước không đạt")
    p.add_argument("--open", metavar="TỆP", help="mở một gói .gnbv (cấp trên: nhập gói của xã) hoặc .gnbvref")
    p.add_argument("file", nargs="?", metavar="TỆP", help="như --open (tệp được mở bằng cách bấm đúp)")
    args = p.parse_args(argv)
    args.open = args.open or args.file
    return args


def _attach_console() -> None:
    """A windowed Windows program has no stdout; when started from a console (``--version``,
    ``--self-check``), write to that console instead of nowhere."""
    if sys.stdout is not None or os.name != "nt":
        return
    import ctypes

    if ctypes.windll.kernel32.AttachConsole(-1):  # ATTACH_PARENT_PROCESS
        sys.stdout = open("CONOUT$", "w", encoding="utf-8")  # stays open as long as the process
        sys.stderr = sys.stdout


def self_check() -> int:
    """``--self-check``: the headless checks, then the windows built offscreen."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # headless whatever the session says
    from gnbv_desktop import self_check as checks

    def windows(db_path: Path) -> str:
        from gnbv_desktop.gui.self_check_windows import build_windows  # Qt: a missing part fails this step only

        return build_windows(db_path)

    print(f"GNBV Desktop {__version__} — tự kiểm tra", flush=True)
    # The check's files (window layout, markers of files being written) go to a folder of its own:
    # the user's data folder is left exactly as it was.
    saved = os.environ.get("GNBV_DATA_DIR")
    with tempfile.TemporaryDirectory(prefix="gnbv-tu-kiem-tra-") as data_dir:
        os.environ["GNBV_DATA_DIR"] = data_dir
        try:
            return checks.run(lambda line: print(line, flush=True), windows=windows)
        finally:
            if saved is None:
                os.environ.pop("GNBV_DATA_DIR", None)
            else:
                os.environ["GNBV_DATA_DIR"] = saved


def _install_fonts() -> None:
    from PySide6.QtGui import QFontDatabase

    for ttf in sorted(resource_path("fonts").glob("*.ttf")):
        QFontDatabase.addApplicationFont(str(ttf))


def main(argv: Sequence[str] | None = None) -> int:
    _attach_console()
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.self_check:
        return self_check()
    setup_logging(rotating=False)  # the rotating handler once the list shows (app_log.py)
    # Python's cycle collector would run several times while the modules and the household list
    # load (some 30 ms of CPU time with a 20,000-household list) and find nothing to free: it is off
    # until the list shows and the file is checked.
    gc.disable()
    try:
        return _run(args)
    finally:
        gc.enable()


def _run(args: argparse.Namespace) -> int:
    """The app from the opening of its data file to the closing of its window."""
    from PySide6.QtWidgets import QApplication, QDialog

    from gnbv_desktop.gui import read_only_notice
    from gnbv_desktop.gui.context import AppContext
    from gnbv_desktop.gui.environment import acquire_instance_lock, refuse_second_instance
    from gnbv_desktop.gui.error_dialog import install_exception_hooks
    from gnbv_desktop.gui.main_window import MainWindow
    from gnbv_desktop.gui.start_check import check_result
    from gnbv_desktop.gui.vietnamese import install_vietnamese
    from gnbv_desktop.io.partial_files import remove_leftovers
    from gnbv_desktop.store.accounts import has_accounts
    from gnbv_desktop.store.database import close_unchecked
    from gnbv_desktop.store.integrity import BackgroundCheck
    from gnbv_desktop.store.read_only import is_read_only

    db_path = Path(args.db) if args.db else default_db_path()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("GNBV Desktop")
    app.setApplicationVersion(__version__)
    install_vietnamese(app)  # before any widget: widgets take the default locale when built
    install_exception_hooks(app)
    from PySide6.QtGui import QIcon

    app.setWindowIcon(QIcon(str(resource_path("icons", "gnbv.png"))))
    logging.getLogger(__name__).info("GNBV Desktop %s mở %s", __version__, db_path)
    instance_lock = acquire_instance_lock(db_path)  # released when main returns
    if instance_lock is None:
        refuse_second_instance(db_path)
        return 1
    remove_leftovers()
    # The file's quick check runs once the list shows (gui/start_check.py), before anything writes;
    # until then only reads happen. ``unchecked`` is that check while it is still to come.
    unchecked = BackgroundCheck(db_path, start=False) if db_path.is_file() else None
    db = _open(db_path, unchecked)
    if db is None:
        return 1
    if unchecked is not None and _check_first(db):
        refusal, unchecked = check_result(unchecked, db_path), None
        if refusal is not None:
            close_unchecked(db)
            db = _recover(db_path, refusal)
            if db is None:
                return 1
    account = None
    if has_accounts(db):
        from gnbv_desktop.gui.login_dialog import LoginDialog

        login = LoginDialog(db)
        if login.exec() != QDialog.DialogCode.Accepted:
            db.close()
            return 0
        account = login.account
    who = (account.username, account.role) if account else (None, "")
    named = None  # the file whose session names who writes (after its check)
    if unchecked is None:
        if not _name_session(db, who):
            db.close()
            return 1
        named = db
    use_demo = False
    if _first_start(db):
        from gnbv_desktop.gui.setup_wizard import SetupWizard  # with the demo generator: only on a first start

        wizard = SetupWizard(db)
        if wizard.exec() != QDialog.DialogCode.Accepted:
            return 0
        use_demo = wizard.use_demo
    while True:
        ctx = AppContext(db, db_path, args.year)
        window: MainWindow | None = None
        unreadable: sqlite3.DatabaseError | None = None
        try:
            window = MainWindow(ctx)
            window.show_fitted()
        except sqlite3.DatabaseError as exc:  # a damaged page met while reading the list
            if unchecked is None:
                raise
            unreadable = exc
        if unchecked is None:
            break
        refusal, unchecked = check_result(unchecked, db_path), None
        if refusal is None:
            if unreadable is not None:
                raise unreadable
            break
        if window is not None:  # the damage is all the official sees now
            window.hide()
            window.deleteLater()
        ctx.deleteLater()
        close_unchecked(db)
        db = _recover(db_path, refusal)
        if db is None:
            return 1
    gc.enable()
    setup_logging()
    _install_fonts()
    _backup(db_path, "mo-phan-mem", once_a_day=True)
    if named is not db and not _name_session(db, who):
        window.close()
        ctx.runner.wait()
        db.close()
        return 1
    code = 0
    if window.isVisible():  # not closed while the file was being checked
        if account is not None or is_read_only(db):
            read_only_notice.install()
        if account is not None:
            window.statusBar().showMessage(f"Đăng nhập: {account.full_name or account.username} ({account.role_label})")
        if is_read_only(db):
            read_only_notice.tell_read_only_file(window, db_path)
        if ctx.standards.warning:  # received standards unusable: the app runs on the shipped ones
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(window, "Chuẩn nghèo nhận từ cấp trên không dùng được", ctx.standards.warning)
        if args.open:
            from gnbv_desktop.gui.open_file import open_package

            open_package(window, ctx, Path(args.open))
        if use_demo:
            from gnbv_desktop.gui.setup_wizard import start_demo

            start_demo(window, ctx)
        code = app.exec()
    ctx.runner.wait()
    db.close()
    _backup(db_path, "dong-phan-mem")
    return code


def _name_session(db: Database, who: tuple[str | None, str]) -> bool:
    """Name who writes in the file's session, the app's first write; False (said in a message box)
    when another program holds a write on the file longer than the app waits, or the disk refuses."""
    from PySide6.QtWidgets import QMessageBox

    from gnbv_desktop.store.audit import SOURCE_GUI, start_session
    from gnbv_desktop.store.database import describe_failure

    try:
        start_session(db, SOURCE_GUI, *who)
    except sqlite3.OperationalError as exc:
        message = describe_failure(exc)
        if message is None:
            raise
        logging.getLogger(__name__).error("Không ghi được phiên làm việc: %s", exc)
        QMessageBox.critical(None, "Không mở được dữ liệu", message)
        return False
    return True


def _check_first(db: Database) -> bool:
    """Whether the file is checked before the list shows: the login and the first-run wizard
    write, and a file whose first reads fail is reported as damaged at once if it is."""
    from gnbv_desktop.store.accounts import has_accounts

    try:
        return has_accounts(db) or _first_start(db)
    except sqlite3.DatabaseError:
        return True


def _first_start(db: Database) -> bool:
    """No commune declared yet (and not an upper level's file): the first-run wizard shows."""
    from gnbv_desktop.store.settings import is_aggregate, load_settings

    return not load_settings(db).is_configured and not is_aggregate(db)


def _open(db_path: Path, check: BackgroundCheck | None) -> Database | None:
    """The database, opened to be read before ``check`` ends; None when it cannot be used (said)."""
    from gnbv_desktop.store.database import DatabaseError, open_database

    try:
        return open_database(db_path, check=check, read_first=check is not None)
    except DatabaseError as exc:
        return _recover(db_path, exc)


def _recover(db_path: Path, refusal: DatabaseError) -> Database | None:
    """After a refused file: a damaged one offers the newest sound backup (the restored file,
    checked, is returned); anything else is said in a message box. None: the app ends."""
    from PySide6.QtWidgets import QMessageBox

    from gnbv_desktop.gui.damaged_dialog import offer_restore
    from gnbv_desktop.store.database import DamagedDatabase, DatabaseError, open_database

    try:
        if not isinstance(refusal, DamagedDatabase):
            raise refusal
        if not offer_restore(None, db_path, refusal):
            return None
        return open_database(db_path)
    except DatabaseError as exc:
        logging.getLogger(__name__).error("Không mở được %s: %s", db_path, exc)
        QMessageBox.critical(None, "Không mở được dữ liệu", str(exc))
        return None


def _backup(db_path: Path, reason: str, *, once_a_day: bool = False) -> None:
    """The automatic copy at start (first start of the day) and at close; a failure is logged, not
    shown: the official cannot act on it then, and the copies before imports still run."""
    from gnbv_desktop.store.backup import BackupError, backed_up_today, make_backup

    if once_a_day and backed_up_today(db_path, reason):
        return
    try:
        make_backup(db_path, reason)
    except BackupError as exc:
        logging.getLogger(__name__).warning("%s", exc)
