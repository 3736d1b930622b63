"""Báo cáo & In: the posting list's date and period are chosen in the page and printed on the PDF."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt

from gnbv_desktop.gui.pages.reports_page import ReportsPage
from tests.pdf_text import flat_pdf_text


def _posting_page(ctx, qtbot, target):
    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.ask_save_path = lambda suffix: str(target)
    page.kind.setCurrentIndex(page.kind.findData("posting"))
    return page


def test_posting_date_and_period_reach_the_pdf(ctx, qtbot, tmp_path):
    target = tmp_path / "niem-yet.pdf"
    page = _posting_page(ctx, qtbot, target)
    assert page.posted_from.isVisible() and page.posted_to.isVisible()
    assert page.posted_from.date() == QDate.currentDate()
    assert page.posted_from.displayFormat() == "dd/MM/yyyy"

    page.posted_from.setDate(QDate(2026, 11, 5))  # the last day follows: 7 days by default
    assert page.posted_to.date() == QDate(2026, 11, 11)
    page.posted_to.setFocus()
    for _ in range(3):  # the day section: three more days
        qtbot.keyClick(page.posted_to, Qt.Key.Key_Up)
    assert page.posted_to.date() == QDate(2026, 11, 14)

    qtbot.mouseClick(page.save_pdf, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.last_result is not None, timeout=60000)
    text = flat_pdf_text(target)
    assert "ngày 05 tháng 11 năm 2026" in text
    assert "từ ngày 05/11/2026 đến ngày 14/11/2026" in text

    page.kind.setCurrentIndex(page.kind.findData("annex"))
    assert not page.posted_from.isVisible()


def test_a_period_ending_before_it_starts_is_refused(ctx, qtbot, tmp_path):
    target = tmp_path / "niem-yet.pdf"
    page = _posting_page(ctx, qtbot, target)
    page.posted_from.setDate(QDate(2026, 11, 5))
    page.posted_to.setDate(QDate(2026, 11, 1))
    qtbot.mouseClick(page.save_pdf, Qt.MouseButton.LeftButton)
    assert "phải sau hoặc cùng ngày bắt đầu" in page.status.text() and "01/11/2026" in page.status.text()
    page.posted_to.setDate(QDate(2027, 2, 1))
    qtbot.mouseClick(page.save_pdf, Qt.MouseButton.LeftButton)
    assert "quá 60 ngày" in page.status.text()
    assert not target.exists() and page.last_result is None
