"""Tổng quan › Rà soát cuối năm: start, confirm, close with the decision, export a form — by its buttons."""

from __future__ import annotations

import openpyxl
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from gnbv_desktop.gui.review_panel import ReviewPanel
from tests.gui.dialogs import answer


def _click_and_wait(qtbot, panel, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(panel._handle.done, timeout=30000):
        pass


def test_review_from_start_to_forms(qtbot, ctx, monkeypatch, tmp_path):
    db = ctx.db
    db.execute("DELETE FROM assessments WHERE year = 2026")
    panel = ReviewPanel(ctx)
    qtbot.addWidget(panel)
    _click_and_wait(qtbot, panel, panel.start_button)
    assert db.execute("SELECT COUNT(*) FROM assessments WHERE year = 2026 AND review_status = 'pending'").fetchone()[0] == 60
    assert "chưa rà soát 60" in panel.state_label.text()
    seen = answer(qtbot, key=Qt.Key.Key_Return)
    _click_and_wait(qtbot, panel, panel.close_button)
    qtbot.waitUntil(lambda: bool(seen.texts))
    assert "còn 60 hộ chưa rà soát" in seen.texts[-1]
    assert db.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 0
    qtbot.mouseClick(panel.confirm_button, Qt.MouseButton.LeftButton)
    assert not panel.confirm_button.isEnabled()
    panel.decision_number.setText("125/QĐ-UBND")
    qtbot.keyClicks(panel.decision_date, "15/12/2026")
    _click_and_wait(qtbot, panel, panel.close_button)
    assert db.execute("SELECT decision_number, decision_date FROM reviews WHERE year = 2026").fetchone() == (
        "125/QĐ-UBND", "2026-12-15")
    assert "Đã kết thúc rà soát năm 2026" in panel.message.text()

    out = tmp_path / "bieu01.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    _click_and_wait(qtbot, panel, panel.xlsx_button)
    ws = openpyxl.load_workbook(out).active
    assert ws["A4"].value == "TỔNG HỢP KẾT QUẢ RÀ SOÁT HỘ NGHÈO, HỘ CẬN NGHÈO NĂM 2026"
