"""Composition root: arguments → database → QApplication → first-run wizard → main window."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from gnbv_desktop import __version__
from gnbv_desktop.app_log import setup_logging
from gnbv_desktop.paths import default_db_path, resource_path


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
    setup_logging()
    from gnbv_desktop.store.integrity import BackgroundCheck

    db_path = Path(args.db) if args.db else default_db_path()
    # The file's quick check reads it on another core while Qt and the window's modules load.
    check = BackgroundCheck(db_path) if db_path.is_file() else None
    from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

    from gnbv_desktop.gui import read_only_notice
    from gnbv_desktop.gui.context import AppContext
    from gnbv_desktop.gui.damaged_dialog import offer_restore
    from gnbv_desktop.gui.environment import acquire_instance_lock, refuse_second_instance
    from gnbv_desktop.gui.error_dialog import install_exception_hooks
    from gnbv_desktop.gui.login_dialog import LoginDialog
    from gnbv_desktop.gui.main_window import MainWindow
    from gnbv_desktop.gui.vietnamese import install_vietnamese
    from gnbv_desktop.io.partial_files import remove_leftovers
    from gnbv_desktop.store.accounts import has_accounts
    from gnbv_desktop.store.aggregate import is_aggregate
    from gnbv_desktop.store.audit import SOURCE_GUI, start_session
    from gnbv_desktop.store.database import DamagedDatabase, DatabaseError, open_database
    from gnbv_desktop.store.read_only import is_read_only
    from gnbv_desktop.store.settings import load_settings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("GNBV Desktop")
    app.setApplicationVersion(__version__)
    install_vietnamese(app)  # before any widget: widgets take the default locale when built
    install_exception_hooks(app)
    from PySide6.QtGui import QIcon

    app.setWindowIcon(QIcon(str(resource_path("icons", "gnbv.png"))))
    _install_fonts()
    logging.getLogger(__name__).info("GNBV Desktop %s mở %s", __version__, db_path)
    instance_lock = acquire_instance_lock(db_path)  # released when main returns
    if instance_lock is None:
        refuse_second_instance(db_path)
        return 1
    remove_leftovers()
    try:
        try:
            db = open_database(db_path, check=check)
        except DamagedDatabase as exc:
            if not offer_restore(None, db_path, exc):
                return 1
            db = open_database(db_path)
    except DatabaseError as exc:
        logging.getLogger(__name__).error("Không mở được %s: %s", db_path, exc)
        QMessageBox.critical(None, "Không mở được dữ liệu", str(exc))
        return 1
    _backup(db_path, "mo-phan-mem", once_a_day=True)
    account = None
    if has_accounts(db):
        login = LoginDialog(db)
        if login.exec() != QDialog.DialogCode.Accepted:
            db.close()
            return 0
        account = login.account
    start_session(db, SOURCE_GUI, account.username if account else None, account.role if account else "")
    ctx = AppContext(db, db_path, args.year)
    use_demo = False
    if not load_settings(db).is_configured and not is_aggregate(db):
        from gnbv_desktop.gui.setup_wizard import SetupWizard  # with the demo generator: only on a first start

        wizard = SetupWizard(db)
        if wizard.exec() != QDialog.DialogCode.Accepted:
            return 0
        use_demo = wizard.use_demo
    window = MainWindow(ctx)
    window.show_fitted()
    if account is not None or is_read_only(db):
        read_only_notice.install()
    if account is not None:
        window.statusBar().showMessage(f"Đăng nhập: {account.full_name or account.username} ({account.role_label})")
    if is_read_only(db):
        read_only_notice.tell_read_only_file(window, db_path)
    if ctx.standards.warning:  # received standards unusable: the app runs on the shipped ones
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
