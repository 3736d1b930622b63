"""Tổng quan › Rà soát cuối năm: the review of the selected year step by step, and its summary forms.

Start (carry last year's households, each to review), confirm the unchanged ones, close with the
recognition decision (movements computed), then print any summary form as PDF or Excel. Every
step runs as a job off the UI thread; what the job refuses is shown as its Vietnamese message.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gnbv_desktop.core.forms import PERIODS
from gnbv_desktop.core.text import format_date, format_number, parse_date
from gnbv_desktop.gui.context import AppContext
from gnbv_desktop.jobs.year_review import finish_review, start_review
from gnbv_desktop.store.review import (
    ReviewError,
    confirm_unchanged,
    escape_window_months,
    review_state,
    set_escape_window_months,
)

FORMS = [
    ("ket-qua", "Biểu 01 — Kết quả rà soát theo thôn"),
    ("dien-bien", "Biểu 02 — Diễn biến hộ nghèo, hộ cận nghèo"),
    ("thieu-hut", "Biểu 03 — Thiếu hụt dịch vụ xã hội cơ bản"),
    ("dan-toc", "Biểu 04 — Theo dân tộc"),
    ("doi-tuong", "Biểu 05 — Theo nhóm đối tượng"),
    ("thoat-ngheo", "Biểu 06 — Danh sách hộ thoát nghèo, thoát cận nghèo"),
    ("dinh-ky", "Biểu 07 — Báo cáo định kỳ"),
]


class ReviewPanel(QWidget):
    title = "Rà soát cuối năm"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.state_label = QLabel()
        self.state_label.setWordWrap(True)
        self.start_button = QPushButton()
        self.start_button.clicked.connect(self.start)
        self.confirm_button = QPushButton("Xác nhận các hộ chưa rà soát giữ nguyên kết quả năm trước")
        self.confirm_button.clicked.connect(self.confirm_all)
        self.decision_number = QLineEdit()
        self.decision_number.setPlaceholderText("ví dụ 125/QĐ-UBND")
        self.decision_date = QLineEdit()
        self.decision_date.setPlaceholderText("dd/mm/yyyy")
        self.window_months = QSpinBox()
        self.window_months.setRange(1, 120)
        self.window_months.setSuffix(" tháng")
        self.close_button = QPushButton("Kết thúc rà soát và tính biến động")
        self.close_button.clicked.connect(self.close_review)
        review_box = QGroupBox("Rà soát hộ nghèo, hộ cận nghèo")
        form = QFormLayout(review_box)
        form.addRow(self.state_label)
        form.addRow(self.start_button)
        form.addRow(self.confirm_button)
        form.addRow("Số quyết định công nhận", self.decision_number)
        form.addRow("Ngày quyết định", self.decision_date)
        form.addRow("Hộ mới thoát nghèo được theo dõi", self.window_months)
        form.addRow(self.close_button)

        self.form_choice = QComboBox()
        for key, label in FORMS:
            self.form_choice.addItem(label, key)
        self.period = QComboBox()
        for key, (_months, words) in PERIODS.items():
            self.period.addItem(words.capitalize(), key)
        self.period.setCurrentIndex(self.period.findData("12m"))
        self.pdf_button = QPushButton("Xuất PDF…")
        self.xlsx_button = QPushButton("Xuất Excel…")
        self.pdf_button.clicked.connect(lambda: self.export(".pdf"))
        self.xlsx_button.clicked.connect(lambda: self.export(".xlsx"))
        forms_box = QGroupBox("Biểu tổng hợp và báo cáo định kỳ")
        f = QFormLayout(forms_box)
        f.addRow("Biểu", self.form_choice)
        f.addRow("Kỳ báo cáo (Biểu 07)", self.period)
        buttons = QHBoxLayout()
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(self.xlsx_button)
        buttons.addStretch()
        f.addRow(buttons)
        self.message = QLabel()
        self.message.setWordWrap(True)
        lay = QHBoxLayout(self)
        left = QVBoxLayout()
        left.addWidget(review_box)
        left.addStretch()
        right = QVBoxLayout()
        right.addWidget(forms_box)
        right.addWidget(self.message)
        right.addStretch()
        lay.addLayout(left, 1)
        lay.addLayout(right, 1)
        ctx.year_changed.connect(lambda _y: self.reload())
        ctx.data_changed.connect(self.reload)
        self.reload()

    def reload(self) -> None:
        year = self.ctx.year
        state = review_state(self.ctx.db, year)
        text = (f"Năm {year}: {format_number(state.households)} hộ trong danh sách; "
                f"chưa rà soát {format_number(state.pending)}; rà soát theo chuẩn mới {format_number(state.new_standard)}.")
        if state.review:
            text += " Đã kết thúc rà soát" + (f" (quyết định số {state.review.decision_number})."
                                              if state.review.decision_number else ".")
            self.decision_number.setText(state.review.decision_number)
            self.decision_date.setText(format_date(state.review.decision_date))
        self.state_label.setText(text)
        self.start_button.setText(f"Bắt đầu rà soát năm {year} (chuyển các hộ của năm {year - 1})")
        self.confirm_button.setEnabled(state.pending > 0)
        self.window_months.setValue(escape_window_months(self.ctx.db))

    def _run(self, title: str, factory, done) -> None:
        handle = self.ctx.runner.run_with_dialog(self, title, factory)
        handle.finished.connect(done)
        handle.failed.connect(lambda msg: QMessageBox.warning(self, "Không thực hiện được", msg))
        self._handle = handle

    def start(self) -> None:
        year = self.ctx.year

        def done(n: int) -> None:
            self.message.setText(f"Đã chuyển {format_number(n)} hộ sang năm {year}; mỗi hộ cần được rà soát.")
            self.ctx.notify_changed()

        self._run("Đang bắt đầu rà soát…", lambda db: start_review(db, year), done)

    def confirm_all(self) -> None:
        n = confirm_unchanged(self.ctx.db, self.ctx.year)
        self.message.setText(f"Đã xác nhận {format_number(n)} hộ giữ nguyên kết quả năm trước.")
        self.ctx.notify_changed()

    def close_review(self) -> None:
        year = self.ctx.year
        try:
            day = parse_date(self.decision_date.text()).isoformat() if self.decision_date.text().strip() else ""
            set_escape_window_months(self.ctx.db, self.window_months.value())
        except ValueError as exc:
            text = str(exc) if isinstance(exc, ReviewError) else "Ngày quyết định không hợp lệ (dd/mm/yyyy)."
            QMessageBox.warning(self, "Chưa kết thúc được", text)
            return
        number = self.decision_number.text()

        def done(counts: dict) -> None:
            escaped = counts["escaped_poor_to_near_poor"] + counts["escaped_poor_above"]
            self.message.setText(f"Đã kết thúc rà soát năm {year}: {format_number(escaped)} hộ thoát nghèo, "
                                 f"{format_number(counts['new_poor'] + counts['re_poor'])} hộ nghèo phát sinh, tái nghèo.")
            self.ctx.notify_changed()

        self._run("Đang kết thúc rà soát…", lambda db: finish_review(db, year, number, day), done)

    def export(self, suffix: str) -> None:
        from gnbv_desktop.jobs.year_report import write_report  # reportlab, openpyxl: loaded on first export

        key = self.form_choice.currentData()
        label = "PDF (*.pdf)" if suffix == ".pdf" else "Excel (*.xlsx)"
        name, _ = QFileDialog.getSaveFileName(self, "Lưu biểu", str(Path.home() / f"bieu-{key}-{self.ctx.year}{suffix}"),
                                              label)
        if not name:
            return
        path = Path(name) if name.lower().endswith(suffix) else Path(name + suffix)
        year, period = self.ctx.year, self.period.currentData() if key == "dinh-ky" else None
        self._run("Đang tổng hợp biểu…", lambda db: write_report(db, path, key, year, period),
                  lambda _pages: self.message.setText(f"Đã ghi {path}."))
