"""Composition root: arguments → database → QApplication → first-run wizard → main window."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from gnbv_desktop import __version__
from gnbv_desktop.paths import default_db_path, resource_path, user_data_dir


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="gnbv-desktop", description="GNBV Desktop — quản lý hộ nghèo, hộ cận nghèo")
    p.add_argument("--db", metavar="PATH", help="tệp cơ sở dữ liệu (mặc định: thư mục dữ liệu người dùng)")
    p.add_argument("--year", type=int, help="năm rà soát / kế hoạch khi mở")
    p.add_argument("--version", action="version", version=f"GNBV Desktop {__version__}")
    return p.parse_args(argv)


def _setup_logging() -> None:
    folder = user_data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(
        filename=folder / "gnbv-desktop.log",
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def _install_fonts() -> None:
    from PySide6.QtGui import QFontDatabase

    for ttf in sorted(resource_path("fonts").glob("*.ttf")):
        QFontDatabase.addApplicationFont(str(ttf))


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    _setup_logging()
    from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

    from gnbv_desktop.gui.context import AppContext
    from gnbv_desktop.gui.main_window import MainWindow
    from gnbv_desktop.gui.setup_wizard import SetupWizard, start_demo
    from gnbv_desktop.store.aggregate import is_aggregate
    from gnbv_desktop.store.database import DatabaseError, open_database
    from gnbv_desktop.store.reference import use_received_standards
    from gnbv_desktop.store.settings import load_settings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("GNBV Desktop")
    app.setApplicationVersion(__version__)
    from PySide6.QtGui import QIcon

    app.setWindowIcon(QIcon(str(resource_path("icons", "gnbv.png"))))
    _install_fonts()
    db_path = Path(args.db) if args.db else default_db_path()
    try:
        db = open_database(db_path)
    except DatabaseError as exc:
        QMessageBox.critical(None, "Không mở được dữ liệu", str(exc))
        return 1
    use_received_standards(db)  # thresholds corrected by the upper level apply from the start
    ctx = AppContext(db, db_path, args.year)
    use_demo = False
    if not load_settings(db).is_configured and not is_aggregate(db):
        wizard = SetupWizard(db)
        if wizard.exec() != QDialog.DialogCode.Accepted:
            return 0
        use_demo = wizard.use_demo
    window = MainWindow(ctx)
    window.show()
    if use_demo:
        start_demo(window, ctx)
    code = app.exec()
    ctx.runner.wait()
    db.close()
    return code
