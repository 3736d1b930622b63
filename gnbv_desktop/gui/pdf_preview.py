"""Xem trước: the pages of a rendered PDF in the app, with In… (print) and Lưu… (save a copy).

Qt's own PDF module (QtPdf) is not in the PySide6 wheels the app installs from, so pages are
rasterised with PDFium through ``pypdfium2`` (one ~9 MB wheel on every platform) and drawn with
Qt. Only the pages in view are rendered, so a 600-page annex opens at once. Printing draws each
page image at the printer's resolution (capped at 300 dpi) through QPrinter/QPainter; Lưu… copies
the file's bytes unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QImage, QKeySequence, QPageLayout, QPainter, QPaintEvent, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from gnbv_desktop.gui.window_state import available_geometry, fit_into_screen, restore_geometry, save_geometry

SETTINGS_KEY = "xem-truoc"
GAP = 12  # pixels between pages on screen
PRINT_DPI_CAP = 300
CACHE_PAGES = 6  # rendered pages kept; at the largest zoom an A4 page is about 18 MB


class PreviewError(Exception):
    """The file cannot be shown (missing, unreadable, not a PDF); the message names it."""


def open_pdf(path: Path) -> tuple[bytes, pdfium.PdfDocument]:
    """The file's bytes (kept: Lưu… writes them back unchanged) and PDFium's document over them."""
    try:
        data = Path(path).read_bytes()
        return data, pdfium.PdfDocument(data)
    except OSError as exc:
        raise PreviewError(f"Không đọc được tệp '{path}': {exc.strerror or exc}.") from exc
    except pdfium.PdfiumError as exc:
        raise PreviewError(f"Tệp '{path}' không phải tệp PDF đọc được ({exc}).") from exc


def render_page(pdf: pdfium.PdfDocument, index: int, scale: float) -> QImage:
    """Page ``index`` as a QImage, ``scale`` pixels per PDF point (1/72 inch)."""
    bitmap = pdf[index].render(scale=scale, prefer_bgrx=True)  # BGRx in memory = QImage RGB32
    image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGB32)
    return image.copy()  # own the pixels: PDFium frees its bitmap


class PagesView(QWidget):
    """All pages stacked vertically at one zoom; paints (and renders) only the pages exposed."""

    def __init__(self, pdf: pdfium.PdfDocument, parent: QWidget | None = None):
        super().__init__(parent)
        self.pdf = pdf
        self.sizes = [pdf[i].get_size() for i in range(len(pdf))]  # points
        self.zoom = 1.0  # pixels per point
        self._cache: dict[tuple[int, float], QImage] = {}
        self._tops: list[int] = []
        self._layout()

    def set_zoom(self, zoom: float) -> None:
        if self.pdf.raw is None:  # closed with its window
            return
        self.zoom = max(0.2, min(zoom, 3.0))
        self._cache.clear()
        self._layout()
        self.update()

    def _layout(self) -> None:
        top, self._tops, width = GAP, [], 0
        for w, h in self.sizes:
            self._tops.append(top)
            top += round(h * self.zoom) + GAP
            width = max(width, round(w * self.zoom))
        self.setFixedSize(width + 2 * GAP, max(top, 1))

    def page_top(self, index: int) -> int:
        return self._tops[index]

    def _image(self, index: int) -> QImage:
        key = (index, self.zoom)
        image = self._cache.get(key)
        if image is None:
            if len(self._cache) >= CACHE_PAGES:
                self._cache.pop(next(iter(self._cache)))
            image = self._cache[key] = render_page(self.pdf, index, self.zoom * self.devicePixelRatioF())
            image.setDevicePixelRatio(self.devicePixelRatioF())
        return image

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), self.palette().dark())
        for i, (w, h) in enumerate(self.sizes):
            rect = QRect(GAP, self._tops[i], round(w * self.zoom), round(h * self.zoom))
            if rect.bottom() < event.rect().top():
                continue
            if rect.top() > event.rect().bottom():
                break
            painter.drawImage(rect, self._image(i))
        painter.end()


class PdfPreview(QDialog):
    """A window over one PDF file: page count, zoom, In…, Lưu…, Đóng."""

    def __init__(self, path: Path, title: str = "Xem trước", parent: QWidget | None = None):
        data, pdf = open_pdf(path)  # before the window exists: a bad file leaves nothing half-built
        super().__init__(parent)
        self.setWindowTitle(f"Xem trước — {title}")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setSizeGripEnabled(True)
        self.path = Path(path)
        self.title = title
        self.data, self.pdf = data, pdf  # in memory: the file stays free to be replaced or deleted
        self.page_count = len(self.pdf)
        self.ask_save_path: Callable[[], str] = self._ask_save_path
        self.ask_printer: Callable[[], QPrinter | None] = self._ask_printer

        self.view = PagesView(self.pdf)
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.view)
        self.scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.pages_label = QLabel()
        self.scroll.verticalScrollBar().valueChanged.connect(self._update_page_label)
        self.zoom_out = QPushButton("Thu nhỏ")
        self.zoom_out.clicked.connect(lambda: self.view.set_zoom(self.view.zoom / 1.25))
        self.zoom_in = QPushButton("Phóng to")
        self.zoom_in.clicked.connect(lambda: self.view.set_zoom(self.view.zoom * 1.25))
        self.fit_width = QPushButton("Vừa chiều rộng")
        self.fit_width.clicked.connect(self.fit_to_width)
        self.print_button = QPushButton("In…")
        self.print_button.clicked.connect(self.print_document)
        self.save_button = QPushButton("Lưu…")
        self.save_button.clicked.connect(self.save_copy)
        self.close_button = QPushButton("Đóng")
        self.close_button.clicked.connect(self.reject)
        for b in (self.zoom_out, self.zoom_in, self.fit_width, self.print_button, self.save_button, self.close_button):
            b.setAutoDefault(False)  # Enter must not zoom or print by surprise
        self.message = QLabel()
        QShortcut(QKeySequence.StandardKey.Print, self, activated=self.print_document)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save_copy)
        QShortcut(QKeySequence.StandardKey.ZoomIn, self, activated=self.zoom_in.click)
        QShortcut(QKeySequence.StandardKey.ZoomOut, self, activated=self.zoom_out.click)

        bar = QHBoxLayout()
        bar.addWidget(self.pages_label)
        bar.addStretch(1)
        for b in (self.zoom_out, self.zoom_in, self.fit_width, self.print_button, self.save_button, self.close_button):
            bar.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.message)
        self._fit_to_screen()
        self._update_page_label()

    def current_page(self) -> int:
        """1-based number of the page at the top of the view (the last one when scrolled to the end)."""
        bar = self.scroll.verticalScrollBar()
        if bar.maximum() > 0 and bar.value() == bar.maximum():
            return self.page_count
        top = bar.value()
        return max((i + 1 for i in range(self.page_count) if self.view.page_top(i) <= top + GAP), default=1)

    def _update_page_label(self) -> None:
        self.pages_label.setText(f"Trang {self.current_page()} / {self.page_count}")

    def done(self, result: int) -> None:
        save_geometry(self, SETTINGS_KEY)
        super().done(result)
        self.pdf.close()  # PDFium's memory goes with the window; a new preview opens a new one

    def _fit_to_screen(self) -> None:
        """The size the user last gave it, else large (most of the available screen); pages at its width."""
        if not restore_geometry(self, SETTINGS_KEY):
            fit_into_screen(self, 1100, available_geometry(self.parentWidget() or self).height() - 20)
        self.fit_to_width()

    def fit_to_width(self) -> None:
        widest = max((w for w, _h in self.view.sizes), default=595)
        available = self.scroll.viewport().width() if self.isVisible() else self.width() - 60
        self.view.set_zoom((available - 2 * GAP - 4) / widest)

    def showEvent(self, event) -> None:  # noqa: ANN001 - Qt override
        super().showEvent(event)
        self.fit_to_width()

    # ---- saving ---------------------------------------------------------------------------------
    def _ask_save_path(self) -> str:
        path, _ = QFileDialog.getSaveFileName(self, "Lưu tệp PDF", self.path.name, "Tệp PDF (*.pdf)")
        if path and not path.lower().endswith(".pdf"):
            path += ".pdf"
        return path

    def save_copy(self) -> Path | None:
        target = self.ask_save_path()
        if not target:
            return None
        try:
            Path(target).write_bytes(self.data)
        except OSError as exc:
            QMessageBox.warning(self, "Không lưu được", f"Không ghi được tệp '{target}': {exc.strerror or exc}.")
            return None
        self.message.setText(f"Đã lưu {target}.")
        return Path(target)

    # ---- printing -------------------------------------------------------------------------------
    def _ask_printer(self) -> QPrinter | None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.title)
        w, h = self.view.sizes[0] if self.view.sizes else (595, 842)
        printer.setPageOrientation(QPageLayout.Orientation.Landscape if w > h else QPageLayout.Orientation.Portrait)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(f"In — {self.title}")
        dialog.setMinMax(1, self.page_count)
        return printer if dialog.exec() == QDialog.DialogCode.Accepted else None

    def print_document(self) -> int:
        """Ask for a printer, then print the chosen pages; returns the number of pages sent."""
        printer = self.ask_printer()
        if printer is None:
            return 0
        sent = print_pages(self.pdf, printer)
        self.message.setText(f"Đã gửi {sent} trang tới máy in." if sent else "Không in được: máy in không sẵn sàng.")
        return sent


def print_pages(pdf: pdfium.PdfDocument, printer: QPrinter) -> int:
    """Draw the printer's page range (all pages when none) scaled into its printable area."""
    count = len(pdf)
    first = printer.fromPage() or 1
    last = min(printer.toPage() or count, count)
    dpi = min(printer.resolution(), PRINT_DPI_CAP)
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    area = printer.pageLayout().paintRectPixels(printer.resolution())
    sent = 0
    try:
        for number in range(first, last + 1):
            if sent:
                printer.newPage()
            image = render_page(pdf, number - 1, dpi / 72)
            size = image.size().scaled(QSize(area.width(), area.height()), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(0, 0, size.width(), size.height()), image)
            sent += 1
    finally:
        painter.end()
    return sent
