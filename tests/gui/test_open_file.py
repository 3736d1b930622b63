"""``gnbv-desktop --open FILE`` (a double-clicked ``.gnbv``): the upper level's machine imports the
commune's package; a commune's machine explains and changes nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from gnbv_desktop.gui.context import AppContext
from gnbv_desktop.gui.main_window import MainWindow
from gnbv_desktop.gui.open_file import open_package
from gnbv_desktop.jobs.progress import run_to_end
from gnbv_desktop.jobs.sync import export_package
from gnbv_desktop.store.aggregate import make_aggregate
from gnbv_desktop.store.database import open_database


def _answer(qtbot) -> str:
    """The message box the user sees; closed with its own OK button."""
    boxes: list[QMessageBox] = []

    def shown() -> bool:
        boxes[:] = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
        return bool(boxes)

    qtbot.waitUntil(shown, timeout=30000)
    [box] = boxes
    text = box.text()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not box.isVisible())
    return text


def test_upper_level_imports_a_double_clicked_package(qtbot, demo_db, tmp_path):
    package = tmp_path / "xa.gnbv"
    run_to_end(export_package(demo_db, package, full=True, year=2026, allow_unencrypted=True))
    path = tmp_path / "tinh.sqlite3"
    db = open_database(path)
    make_aggregate(db, "Sở Nông nghiệp và Môi trường")
    ctx = AppContext(db, path, 2026)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert open_package(window, ctx, package) is not None
    assert "Xã Ia Grai, gói số 1" in _answer(qtbot)
    assert db.execute("SELECT COUNT(*) FROM sync_packages").fetchone()[0] == 1
    ctx.runner.wait()
    db.close()


def test_commune_machine_explains_and_changes_nothing(qtbot, ctx, demo_db, tmp_path):
    package = tmp_path / "xa.gnbv"
    run_to_end(export_package(demo_db, package, full=True, year=2026, allow_unencrypted=True))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    before = demo_db.execute("SELECT COUNT(*), MAX(rev) FROM households").fetchone()
    assert open_package(window, ctx, package) is None
    assert "chỉ máy của cấp trên" in _answer(qtbot)
    assert open_package(window, ctx, tmp_path / "khong-co.gnbv") is None
    assert "Không tìm thấy tệp" in _answer(qtbot)
    assert demo_db.execute("SELECT COUNT(*), MAX(rev) FROM households").fetchone() == before
