"""Báo cáo & In: choose a printout, the year and villages; preview it or save it as PDF/XLSX.

Rendering runs as a job off the UI thread with a progress dialog. "Xem trước" renders to a
temporary PDF and shows it in the app's own preview window (``gui/pdf_preview.py``) with In… and
Lưu…, so no system PDF viewer is needed (``open_file`` is replaceable for tests).
"""

from __future__ import annotations

import datetime as _dt
import tempfile
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gnbv_desktop.gui.context import AppContext
from gnbv_desktop.gui.error_dialog import show_error
from gnbv_desktop.io.posting_pdf import DEFAULT_POSTING_DAYS
from gnbv_desktop.jobs.plan_reports import ANNEX, POSTING, REPORT_LABELS, RenderResult, render_report
from gnbv_desktop.store.villages import list_villages

MAX_POSTING_DAYS = 60  # render_report refuses a longer posting


def _date_edit(value: QDate) -> QDateEdit:
    edit = QDateEdit(value)
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setCalendarPopup(True)
    return edit


class ReportsPage(QWidget):
    title = "Báo cáo & In"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.open_file = self._show_preview
        self.preview_window = None
        self.ask_save_path = self._ask_save_path
        self.last_result: RenderResult | None = None
        self._preview_dir = tempfile.TemporaryDirectory(prefix="gnbv-xem-truoc-")

        self.kind = QComboBox()
        for code, label in REPORT_LABELS.items():
            self.kind.addItem(label, code)
        self.year = QSpinBox()
        self.year.setRange(2016, 2035)
        self.year.setValue(ctx.year)
        self.villages = QListWidget()
        self.all_villages = QPushButton("Chọn tất cả thôn")
        self.all_villages.clicked.connect(lambda: self._check_all(True))
        self.preview_button = QPushButton("Xem trước")
        self.preview_button.clicked.connect(self.preview)
        self.save_pdf = QPushButton("Lưu PDF…")
        self.save_pdf.clicked.connect(lambda: self.save("pdf"))
        self.save_xlsx = QPushButton("Lưu Excel (.xlsx)…")
        self.save_xlsx.clicked.connect(lambda: self.save("xlsx"))
        # The posting list's date (on the heading, and the first day it is up) and its last day.
        today = QDate.currentDate()
        self.posted_from = _date_edit(today)
        self.posted_to = _date_edit(today.addDays(DEFAULT_POSTING_DAYS - 1))
        self.posted_from.dateChanged.connect(self._keep_period_length)
        self._posting_days = DEFAULT_POSTING_DAYS
        self.posted_to.dateChanged.connect(self._remember_period_length)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.kind.currentIndexChanged.connect(self._update_buttons)

        form = self.form = QFormLayout()
        form.addRow("Mẫu in:", self.kind)
        form.addRow("Năm kế hoạch:", self.year)
        form.addRow("Ngày niêm yết (từ ngày):", self.posted_from)
        form.addRow("Niêm yết đến ngày:", self.posted_to)
        form.addRow("Thôn (bỏ chọn hết = toàn xã):", self.villages)
        form.addRow("", self.all_villages)
        buttons = QHBoxLayout()
        for b in (self.preview_button, self.save_pdf, self.save_xlsx):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addStretch(1)
        ctx.year_changed.connect(self.year.setValue)
        ctx.data_changed.connect(self.reload)
        self.reload()
        self._update_buttons()

    def reload(self) -> None:
        checked = set(self.selected_village_ids())
        self.villages.clear()
        for v in list_villages(self.ctx.db):
            item = QListWidgetItem(v.name)
            item.setData(Qt.ItemDataRole.UserRole, v.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if v.id in checked else Qt.CheckState.Unchecked)
            self.villages.addItem(item)

    def _check_all(self, on: bool) -> None:
        for i in range(self.villages.count()):
            self.villages.item(i).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def _update_buttons(self) -> None:
        self.save_xlsx.setEnabled(self.kind.currentData() == ANNEX)
        for edit in (self.posted_from, self.posted_to):
            self.form.setRowVisible(edit, self.kind.currentData() == POSTING)

    def _keep_period_length(self, start: QDate) -> None:
        """Moving the first day moves the last with it: the period keeps the length last chosen."""
        self.posted_to.blockSignals(True)
        self.posted_to.setDate(start.addDays(min(max(self._posting_days, 1), MAX_POSTING_DAYS) - 1))
        self.posted_to.blockSignals(False)

    def _remember_period_length(self, end: QDate) -> None:
        self._posting_days = self.posted_from.date().daysTo(end) + 1

    def posting_period(self) -> tuple[_dt.date, int]:
        """First day and number of days of the posting, or a Vietnamese ValueError naming the fault."""
        start, end = self.posted_from.date(), self.posted_to.date()
        days = start.daysTo(end) + 1
        if days < 1:
            raise ValueError(f"Ngày kết thúc niêm yết ({end.toString('dd/MM/yyyy')}) phải sau hoặc cùng ngày bắt đầu "
                             f"({start.toString('dd/MM/yyyy')}).")
        if days > MAX_POSTING_DAYS:
            raise ValueError(f"Thời gian niêm yết {days} ngày, quá {MAX_POSTING_DAYS} ngày; hãy chọn lại ngày kết thúc.")
        return start.toPython(), days

    def selected_village_ids(self) -> list[int]:
        return [self.villages.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.villages.count())
                if self.villages.item(i).checkState() == Qt.CheckState.Checked]

    def _ask_save_path(self, suffix: str) -> str:
        kind = self.kind.currentData()
        default = f"{kind}-{self.year.value()}.{suffix}"
        filters = "Tệp PDF (*.pdf)" if suffix == "pdf" else "Bảng tính Excel (*.xlsx)"
        path, _ = QFileDialog.getSaveFileName(self, "Lưu tệp", default, filters)
        if path and not path.lower().endswith("." + suffix):
            path += "." + suffix
        return path

    def _render(self, path: Path, open_after: bool):
        kind, year, villages = self.kind.currentData(), self.year.value(), self.selected_village_ids() or None
        posting = {}
        if kind == POSTING:
            try:
                posted_on, days = self.posting_period()
            except ValueError as exc:
                self.status.setText(str(exc))
                show_error(self, "Thời gian niêm yết chưa đúng", str(exc))
                return None
            posting = {"posted_on": posted_on, "posting_days": days}
        self.status.setText("Đang tạo tệp…")
        handle = self.ctx.runner.run_with_dialog(
            self, REPORT_LABELS[kind], lambda db: render_report(db, kind, path, year, villages, **posting)
        )  # a failure is logged and shown by the runner's error dialog; the status line repeats it

        def done(result: RenderResult) -> None:
            self.last_result = result
            pages = f", {result.pages} trang" if result.pages else ""
            self.status.setText(f"Đã tạo {result.path} ({result.households} hộ{pages}).")
            if open_after:
                self.open_file(result.path)

        handle.finished.connect(done)
        handle.failed.connect(lambda msg: self.status.setText(f"Không tạo được tệp: {msg}"))
        handle.cancelled.connect(lambda: self.status.setText("Đã hủy."))
        return handle

    def _show_preview(self, path: Path) -> None:
        from gnbv_desktop.gui.pdf_preview import PdfPreview, PreviewError  # PDFium loads on the first preview

        if self.preview_window is not None:  # one preview at a time: the newest replaces the last
            self.preview_window.close()
            self.preview_window.deleteLater()
            self.preview_window = None
        try:
            self.preview_window = PdfPreview(path, REPORT_LABELS[self.kind.currentData()], self)
        except PreviewError as exc:
            self.status.setText(str(exc))
            show_error(self, "Không xem trước được", str(exc))
            return
        self.preview_window.show()

    def preview(self):
        path = Path(self._preview_dir.name) / f"{self.kind.currentData()}-{self.year.value()}.pdf"
        return self._render(path, open_after=True)

    def save(self, suffix: str):
        path = self.ask_save_path(suffix)
        if not path:
            return None
        return self._render(Path(path), open_after=False)
