"""Xem trước in the app: the pages of each printout shown, In… prints them all, Lưu… keeps the bytes."""

from __future__ import annotations

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter

from gnbv_desktop.gui.pages.reports_page import ReportsPage
from gnbv_desktop.gui.pdf_preview import PdfPreview
from gnbv_desktop.jobs.plan_reports import ANNEX, POSTING, REPORT_LABELS, SHEETS, render_report
from gnbv_desktop.jobs.progress import run_to_end


def _click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.mark.parametrize("kind", [ANNEX, POSTING, SHEETS])
def test_preview_shows_every_page_and_saves_the_same_bytes(qtbot, ctx, tmp_path, kind):
    pdf = tmp_path / f"{kind}.pdf"
    run_to_end(render_report(ctx.db, kind, pdf, 2026))
    pages = len(PdfReader(pdf).pages)
    preview = PdfPreview(pdf, REPORT_LABELS[kind])
    qtbot.addWidget(preview)
    preview.show()
    assert preview.page_count == pages
    assert preview.pages_label.text() == f"Trang 1 / {pages}"
    assert preview.view.height() > pages * 200  # every page laid out, one under the other
    if pages > 2:
        preview.scroll.verticalScrollBar().setValue(preview.view.page_top(1) + 5)
        assert preview.pages_label.text() == f"Trang 2 / {pages}"
    preview.scroll.verticalScrollBar().setValue(preview.scroll.verticalScrollBar().maximum())
    assert preview.pages_label.text() == f"Trang {pages} / {pages}"
    target = tmp_path / "ban-sao.pdf"
    preview.ask_save_path = lambda: str(target)
    _click(qtbot, preview.save_button)
    assert target.read_bytes() == pdf.read_bytes()
    assert str(target) in preview.message.text()


def test_print_sends_every_page_to_the_printer(qtbot, ctx, tmp_path):
    pdf = tmp_path / "niem-yet.pdf"
    run_to_end(render_report(ctx.db, POSTING, pdf, 2026))
    preview = PdfPreview(pdf, "Danh sách niêm yết")
    qtbot.addWidget(preview)
    printed = tmp_path / "may-in.pdf"

    def printer_to_file() -> QPrinter:  # stands in for the print dialog's chosen printer
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        printer.setResolution(96)
        return printer

    preview.ask_printer = printer_to_file
    _click(qtbot, preview.print_button)
    assert len(PdfReader(printed).pages) == preview.page_count
    assert preview.message.text() == f"Đã gửi {preview.page_count} trang tới máy in."
    preview.ask_printer = lambda: None  # the user cancels the print dialog
    _click(qtbot, preview.print_button)
    assert preview.message.text() == f"Đã gửi {preview.page_count} trang tới máy in."


def test_saving_to_an_unwritable_place_says_so(qtbot, ctx, tmp_path):
    pdf = tmp_path / "phu-luc.pdf"
    run_to_end(render_report(ctx.db, ANNEX, pdf, 2026))
    preview = PdfPreview(pdf, "Phụ lục")
    qtbot.addWidget(preview)
    from tests.gui.dialogs import answer

    seen = answer(qtbot, key=Qt.Key.Key_Return)
    preview.ask_save_path = lambda: str(tmp_path / "khong-co-thu-muc" / "x.pdf")
    _click(qtbot, preview.save_button)
    assert len(seen.texts) == 1 and "khong-co-thu-muc" in seen.texts[0]


def test_reports_page_preview_button_opens_the_preview_window(qtbot, ctx):
    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    page.kind.setCurrentIndex(page.kind.findData(POSTING))
    _click(qtbot, page.preview_button)
    qtbot.waitUntil(lambda: page.preview_window is not None and page.preview_window.isVisible(), timeout=30000)
    shown = page.preview_window
    assert shown.page_count == len(PdfReader(shown.path).pages) >= 1
    assert shown.windowTitle() == f"Xem trước — {REPORT_LABELS[POSTING]}"
    _click(qtbot, page.preview_button)  # a second preview replaces the first
    qtbot.waitUntil(lambda: page.preview_window is not shown and page.preview_window.isVisible(), timeout=30000)


def test_a_file_that_is_not_a_pdf_is_refused_with_its_name(qtbot, ctx, tmp_path):
    from gnbv_desktop.gui.pdf_preview import PreviewError

    bad = tmp_path / "hong.pdf"
    bad.write_bytes(b"%PDF-1.4 nothing else")
    with pytest.raises(PreviewError, match="hong.pdf"):
        PdfPreview(bad)
    with pytest.raises(PreviewError, match="khong-co.pdf"):
        PdfPreview(tmp_path / "khong-co.pdf")
    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    page.open_file(bad)
    assert page.preview_window is None and "hong.pdf" in page.status.text()
