"""Hộ gia đình → Nhập từ Excel: pick file and sheet, correct the column mapping, preview, import.

Reading the file and writing the households both run as jobs on the runner (progress + Hủy);
the import is one transaction, so cancelling leaves the database as it was. Also
:func:`export_households`, the Hộ gia đình → Xuất Excel action.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from gnbv_desktop.core.classifications import CLASSIFICATION_LABELS
from gnbv_desktop.core.excel_columns import all_fields, field_label
from gnbv_desktop.core.text import clean, format_number
from gnbv_desktop.gui.context import AppContext
from gnbv_desktop.gui.job_runner import JobHandle
from gnbv_desktop.io.excel_mapping import apply_template, load_template, save_template
from gnbv_desktop.io.excel_parser import ParsedHousehold
from gnbv_desktop.io.excel_reader import WorkbookError
from gnbv_desktop.io.problem_export import write_problems
from gnbv_desktop.jobs.export_excel import export_excel
from gnbv_desktop.jobs.import_excel import (
    ImportPreview,
    ImportSummary,
    load_catalogs,
    preview_import,
    run_import,
    workbook_sheets,
)
from gnbv_desktop.store.villages import list_villages

SPREADSHEET_FILTER = "Bảng tính (*.xlsx *.xlsm *.xls *.xlsb *.ods);;Tất cả tệp (*)"
ERROR_COLOR = QColor("#f8d0d0")
WARNING_COLOR = QColor("#fff2c2")


class PreviewModel(QAbstractTableModel):
    """How each household row will be read, coloured by its worst problem."""

    HEADERS = ["Dòng", "Chủ hộ", "Thôn", "Phân loại", "Thu nhập", "Nhân khẩu", "Vấn đề"]

    def __init__(self, households: list[ParsedHousehold], match_ids: dict[int, int]):
        super().__init__()
        self.households = households
        self.match_ids = match_ids

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.households)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        ph = self.households[index.row()]
        if role == Qt.ItemDataRole.BackgroundRole:
            if not ph.valid:
                return ERROR_COLOR
            return WARNING_COLOR if ph.problems else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(str(p) for p in ph.problems) or None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        col = index.column()
        if col == 0:
            return ph.row
        if col == 1:
            return ph.household.head_name + (" (cập nhật)" if ph.row in self.match_ids else "")
        if col == 2:
            return ph.village
        if col == 3:
            return CLASSIFICATION_LABELS.get(ph.classification or "", "")
        if col == 4:
            return format_number(ph.income) if ph.income is not None else ""
        if col == 5:
            return ph.household.size
        return problem_text(ph)


def problem_text(ph: ParsedHousehold) -> str:
    """Every problem of one household, one per line, worst first."""
    ordered = sorted(ph.problems, key=lambda p: not p.error)
    return "\n".join(("Lỗi: " if p.error else "Lưu ý: ") + (str(p) if p.sheet else
                      (f"cột {p.column}: " if p.column else "") + p.message) for p in ordered)


class _JobPage(QWizardPage):
    """A page whose Tiếp theo runs a job first and moves on when it has finished.

    Each page defines ``start()``, which calls :meth:`run_then_next` with its job.
    """

    def __init__(self, wizard: ImportWizard):
        super().__init__()
        self.wiz = wizard
        self._passed = False
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #a00000")

    def initializePage(self) -> None:
        self.message.clear()  # a failure of an earlier visit is over

    def run_then_next(self, title: str, factory, on_result) -> None:
        self.message.clear()
        handle = self.wiz.run(self, title, factory)

        def finished(result: object) -> None:
            on_result(result)
            self._passed = True
            self.wiz.next()
            # for this one step only: back on this page (Quay lại), another file, year or mapping
            # must be read again, not the preview of what was chosen before
            self._passed = False

        handle.finished.connect(finished)
        handle.failed.connect(self.message.setText)
        handle.cancelled.connect(lambda: self.message.setText("Đã hủy; không có gì thay đổi."))

    def validatePage(self) -> bool:
        if self._passed:
            return True
        if self.wiz.busy:  # a second click or Enter while the job runs: it is already on its way
            return False
        self.start()  # type: ignore[attr-defined]  # defined by each page
        return False


class FilePage(_JobPage):
    def __init__(self, wizard: ImportWizard):
        super().__init__(wizard)
        self.setTitle("Chọn tệp Excel")
        self.setSubTitle("Chọn tệp danh sách hộ (.xlsx, .xls, .xlsb hoặc .ods) và trang tính cần nhập.")
        self.path = QLineEdit()
        self.path.setPlaceholderText("Đường dẫn tệp .xlsx, .xls, .xlsb, .ods")
        browse = QPushButton("Chọn tệp…")
        browse.clicked.connect(self._browse)
        self.sheet = QComboBox()
        self.year = QSpinBox()
        self.year.setRange(2016, 2030)
        self.year.setValue(wizard.ctx.year)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Tệp:"))
        layout.addLayout(row)
        layout.addWidget(QLabel("Trang tính:"))
        layout.addWidget(self.sheet)
        layout.addWidget(QLabel("Năm rà soát của danh sách:"))
        layout.addWidget(self.year)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self._checked = ""  # the file whose sheets are listed
        self.path.editingFinished.connect(self.load_sheets)

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Chọn tệp Excel", "", SPREADSHEET_FILTER)
        if name:
            self.path.setText(name)
            self.load_sheets()

    def load_sheets(self) -> None:
        """Check the file and list its sheets, off the UI thread (the check may take seconds); a file
        chosen while another is being checked is checked when that one is done. Leaving the field
        without changing it (a click on Tiếp theo) keeps what was found."""
        path = self.path.text().strip()
        if path and path == self._checked:
            return
        self.sheet.clear()
        self.message.clear()
        self.completeChanged.emit()
        self._checked = ""
        if not path or self.wiz.busy:
            return
        handle = self.wiz.run(self, "Đang kiểm tra tệp Excel…", lambda _db: workbook_sheets(path))

        def chosen_meanwhile() -> bool:
            """Another file was chosen while this one was checked: it is checked once this job has ended."""
            if self.path.text().strip() == path:
                return False
            QTimer.singleShot(0, self.load_sheets)
            return True

        def read(names: list[str]) -> None:
            if not chosen_meanwhile():
                self._checked = path
                self.sheet.addItems(names)
                self.completeChanged.emit()

        handle.finished.connect(read)
        handle.failed.connect(lambda message: chosen_meanwhile() or self.message.setText(message))
        handle.cancelled.connect(lambda: self.message.setText("Đã hủy việc kiểm tra tệp."))

    def isComplete(self) -> bool:
        return self.sheet.count() > 0

    def start(self) -> None:
        path, sheet, year = self.path.text().strip(), self.sheet.currentText(), self.year.value()
        self.run_then_next(
            "Đang đọc tệp Excel…",
            lambda db: preview_import(db, path, year=year, sheet=sheet, require_name=False,
                                      convert_legacy=self.wiz.convert_legacy),
            self.wiz.set_preview,
        )


class MappingPage(_JobPage):
    def __init__(self, wizard: ImportWizard):
        super().__init__(wizard)
        self.setTitle("Các cột của tệp")
        self.setSubTitle("Kiểm tra từng cột được hiểu là gì; sửa ở cột 'Gán cho' nếu chưa đúng.")
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Cột", "Tiêu đề trong tệp", "Ví dụ", "Gán cho"])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        save = QPushButton("Lưu mẫu ánh xạ…")
        save.clicked.connect(self._save_template)
        load = QPushButton("Dùng mẫu đã lưu…")
        load.clicked.connect(self._load_template)
        buttons = QHBoxLayout()
        buttons.addWidget(load)
        buttons.addWidget(save)
        buttons.addStretch(1)
        self.default_village = QComboBox()
        self.default_village.setEditable(True)
        self.default_village.setMinimumWidth(220)
        self.default_village.lineEdit().setPlaceholderText("(không chọn)")
        village_row = QHBoxLayout()
        village_row.addWidget(QLabel("Thôn mặc định cho các dòng không ghi thôn:"))
        village_row.addWidget(self.default_village)
        village_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addLayout(village_row)
        layout.addWidget(self.message)
        self.combos: dict[int, QComboBox] = {}

    def initializePage(self) -> None:
        super().initializePage()
        preview = self.wiz.preview
        cats = load_catalogs(self.wiz.ctx.db, preview.year)
        fields = all_fields(cats)
        columns = preview.header.columns
        self.table.setRowCount(len(columns))
        self.combos.clear()
        for i, col in enumerate(columns):
            self.table.setItem(i, 0, QTableWidgetItem(col.letter))
            self.table.setItem(i, 1, QTableWidgetItem(col.header))
            self.table.setItem(i, 2, QTableWidgetItem(preview.samples.get(col.index, "")))
            combo = QComboBox()
            for f in fields:
                combo.addItem(field_label(f, cats), f)
            combo.setCurrentIndex(max(0, combo.findData(preview.mapping.get(col.index, ""))))
            self.table.setCellWidget(i, 3, combo)
            self.combos[col.index] = combo
        self.default_village.clear()
        self.default_village.addItem("")
        self.default_village.addItems([v.name for v in list_villages(self.wiz.ctx.db)])
        self.default_village.setCurrentText(preview.default_village)

    def mapping(self) -> dict[int, str]:
        return {c: combo.currentData() for c, combo in self.combos.items()}

    def set_mapping(self, mapping: dict[int, str]) -> None:
        for c, f in mapping.items():
            if c in self.combos:
                self.combos[c].setCurrentIndex(max(0, self.combos[c].findData(f)))

    def _save_template(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Lưu mẫu ánh xạ cột", "mau_anh_xa.json", "JSON (*.json)")
        if name:
            save_template(name, self.wiz.preview.header.columns, self.mapping())

    def _load_template(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Dùng mẫu ánh xạ cột", "", "JSON (*.json)")
        if not name:
            return
        try:
            template = load_template(name, load_catalogs(self.wiz.ctx.db, self.wiz.preview.year))
        except WorkbookError as exc:
            self.message.setText(str(exc))
            return
        self.set_mapping(apply_template(self.wiz.preview.header.columns, template))

    def village(self) -> str:
        return clean(self.default_village.currentText())

    def validatePage(self) -> bool:
        if not {"head_name", "name"} & set(self.mapping().values()):
            self.message.setText("Hãy chọn cột chứa họ tên chủ hộ (Gán cho: Họ và tên chủ hộ).")
            return False
        p = self.wiz.preview
        if self.mapping() == p.mapping and self.village() == p.default_village:
            return True
        return super().validatePage()

    def start(self) -> None:
        p = self.wiz.preview
        mapping, village, convert = self.mapping(), self.village(), self.wiz.convert_legacy
        self.run_then_next(
            "Đang đọc lại theo ánh xạ mới…",
            lambda db: preview_import(db, p.path, year=p.year, sheet=p.sheet, mapping=mapping,
                                      default_village=village, convert_legacy=convert),
            self.wiz.set_preview,
        )


class PreviewPage(_JobPage):
    def __init__(self, wizard: ImportWizard):
        super().__init__(wizard)
        self.setTitle("Xem trước")
        self.setSubTitle("Dòng tô đỏ có lỗi (không nhập được), tô vàng có lưu ý. Chọn một dòng để đọc đầy đủ các vấn đề.")
        self.setCommitPage(True)  # after the import there is no going back to change it
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        self.notices = QLabel()
        self.notices.setWordWrap(True)
        self.notices.setStyleSheet("color: #7a4b00")
        self.convert_legacy = QCheckBox("Chuyển các cột gõ bằng bảng mã cũ (TCVN3/ABC, VNI) sang Unicode")
        self.convert_legacy.clicked.connect(self._reread_with_encoding)
        self.table = QTableView()
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setPlaceholderText("Chọn một dòng ở bảng trên để xem đầy đủ các vấn đề của dòng đó.")
        self.details.setMaximumHeight(110)
        self.export_problems = QPushButton("Xuất danh sách lỗi…")
        self.export_problems.clicked.connect(lambda: export_problem_list(self, self.wiz.preview))
        self.skip_invalid = QCheckBox("Chỉ nhập các dòng hợp lệ (bỏ qua các dòng có lỗi)")
        self.create_villages = QCheckBox()
        self.skip_invalid.toggled.connect(self.completeChanged)
        self.create_villages.toggled.connect(self.completeChanged)
        bottom = QHBoxLayout()
        bottom.addWidget(self.skip_invalid)
        bottom.addStretch(1)
        bottom.addWidget(self.export_problems)
        layout = QVBoxLayout(self)
        layout.addWidget(self.counts)
        layout.addWidget(self.notices)
        layout.addWidget(self.convert_legacy)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        layout.addLayout(bottom)
        layout.addWidget(self.create_villages)
        layout.addWidget(self.message)

    def initializePage(self) -> None:
        super().initializePage()
        p = self.wiz.preview
        self.model = PreviewModel(p.households, p.match_ids)
        self.table.setModel(self.model)
        self.table.selectionModel().currentRowChanged.connect(self._show_details)
        self.details.clear()
        widths = [60, 220, 130, 120, 100, 80]
        for col, width in enumerate(widths):
            self.table.setColumnWidth(col, width)
        self._show_counts()
        self.notices.setText("\n".join(f"Lưu ý: {n}" for n in p.notices))
        self.notices.setVisible(bool(p.notices))
        self.convert_legacy.setVisible(bool(p.legacy))
        self.convert_legacy.setChecked(p.legacy_converted)
        self.export_problems.setEnabled(bool(p.problems))
        self.skip_invalid.setChecked(False)
        self.create_villages.setChecked(False)

    def _show_counts(self) -> None:
        """The counts, and the questions the preview needs answered (skip the invalid rows, create
        the new villages); what the official already ticked stays ticked."""
        p = self.wiz.preview
        c = p.counts()
        self.counts.setText(
            f"Đọc {format_number(c['rows_read'])} dòng, {format_number(c['households'])} hộ: "
            f"{format_number(c['new'])} hộ mới, {format_number(c['update'])} hộ đã có (cập nhật nếu khác), "
            f"{format_number(c['invalid'])} hộ có lỗi; bỏ qua {format_number(c['skipped_rows'])} dòng "
            "trống, dòng nhóm, dòng cộng, phần ký tên."
            + self._plan_text(p)
        )
        self.skip_invalid.setVisible(bool(p.invalid))
        names = ", ".join(n for n, _ in p.new_villages)
        self.create_villages.setText(f"Tạo các thôn mới chưa có trong xã: {names}")
        self.create_villages.setVisible(bool(p.new_villages))
        self.completeChanged.emit()

    def _show_matched_again(self) -> None:
        """A write that failed may have matched the list again first (another program wrote since
        the preview): rows now in error, villages now missing are shown and asked about."""
        self.model.layoutChanged.emit()
        self._show_counts()

    def _show_details(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        ph = self.model.households[current.row()]
        self.details.setPlainText(f"Dòng {ph.row} — {ph.household.head_name}\n" + (problem_text(ph) or "Không có vấn đề."))

    def _reread_with_encoding(self, convert: bool) -> None:
        """The official turned the legacy-encoding conversion on or off: read the file again."""
        p = self.wiz.preview
        self.wiz.convert_legacy = convert
        handle = self.wiz.run(
            self, "Đang đọc lại tệp…",
            lambda db: preview_import(db, p.path, year=p.year, sheet=p.sheet, mapping=p.mapping,
                                      default_village=p.default_village, require_name=False, convert_legacy=convert))

        def done(preview: ImportPreview) -> None:
            self.wiz.set_preview(preview)
            self.initializePage()
            self.completeChanged.emit()

        handle.finished.connect(done)
        handle.failed.connect(self.message.setText)

    @staticmethod
    def _plan_text(p: ImportPreview) -> str:
        if not p.plan_sheets:
            return ""
        c = p.counts()
        sheets = ", ".join(f"'{n}'" for n in p.plan_sheets)
        text = (f"\nKèm kế hoạch hỗ trợ năm {p.year} (trang {sheets}): {format_number(c['plan_items'])} giải pháp, "
                f"{format_number(c['helpers'])} người/tổ chức giúp đỡ, {format_number(c['assignments'])} lượt "
                "phân công; kế hoạch của các hộ trong tệp sẽ được thay bằng kế hoạch trong tệp.")
        for problem in p.sheet_problems[:5]:
            text += f"\nLưu ý: {problem}"
        if len(p.sheet_problems) > 5:
            text += f"\n… và {format_number(len(p.sheet_problems) - 5)} lưu ý khác ở các trang kế hoạch."
        return text

    def isComplete(self) -> bool:
        p = self.wiz.preview
        if p is None or not p.valid:
            return False
        return (not p.invalid or self.skip_invalid.isChecked()) and (
            not p.new_villages or self.create_villages.isChecked()
        )

    def start(self) -> None:
        # only the villages the official agreed to: one another program deleted since the preview is asked about
        preview, skip, create = self.wiz.preview, self.skip_invalid.isChecked(), self.create_villages.isChecked()
        self.run_then_next(
            "Đang nhập danh sách hộ…",
            lambda db: run_import(db, preview, skip_invalid=skip, create_villages=create),
            self.wiz.set_summary,
        )
        self.wiz.handle.failed.connect(self._show_matched_again)


class SummaryPage(QWizardPage):
    def __init__(self, wizard: ImportWizard):
        super().__init__()
        self.wiz = wizard
        self.setTitle("Đã nhập xong")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.export_problems = QPushButton("Xuất danh sách lỗi…")
        self.export_problems.clicked.connect(lambda: export_problem_list(self, self.wiz.preview))
        row = QHBoxLayout()
        row.addWidget(self.export_problems)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addLayout(row)
        layout.addStretch(1)

    def initializePage(self) -> None:
        summary = self.wiz.summary
        self.text.setText("\n".join(summary.lines()) if summary else "")
        self.export_problems.setVisible(bool(summary and summary.problems))


def export_problem_list(parent: QWidget, preview: ImportPreview | None) -> None:
    """Ask for a file name and write the preview's problems there (row, column, value, message)."""
    if preview is None:
        return
    name, _ = QFileDialog.getSaveFileName(parent, "Xuất danh sách lỗi", f"danh_sach_loi_{preview.path.stem}.xlsx",
                                          "Excel (*.xlsx)")
    if not name:
        return
    if not name.lower().endswith(".xlsx"):
        name += ".xlsx"
    try:
        write_problems(name, preview.sheet, preview.problems)
    except OSError as exc:
        QMessageBox.warning(parent, "Xuất danh sách lỗi", f"Không ghi được tệp '{name}': {exc.strerror or exc}.")
        return
    QMessageBox.information(parent, "Xuất danh sách lỗi",
                            f"Đã ghi {format_number(len(preview.problems))} vấn đề ra tệp\n{name}")


class ImportWizard(QWizard):
    """The four-step import; ``ctx.notify_changed()`` is called once households were written."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.preview: ImportPreview | None = None
        self.summary: ImportSummary | None = None
        self.handle: JobHandle | None = None
        self.busy = False  # one of the wizard's jobs is running: no second one, and Hủy cancels it
        self.setWindowTitle("Nhập danh sách hộ từ Excel")
        self.setButtonText(QWizard.WizardButton.NextButton, "Tiếp theo >")
        self.setButtonText(QWizard.WizardButton.BackButton, "< Quay lại")
        self.setButtonText(QWizard.WizardButton.FinishButton, "Xong")
        self.setButtonText(QWizard.WizardButton.CancelButton, "Hủy")
        self.setButtonText(QWizard.WizardButton.CommitButton, "Nhập")
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setSizeGripEnabled(True)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setMinimumSize(760, 520)
        self.convert_legacy = True
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        self.summary_page = SummaryPage(self)
        for page in (self.file_page, self.mapping_page, self.preview_page, self.summary_page):
            self.addPage(page)
        self.resize(1000, 680)

    def run(self, page: QWidget, title: str, factory) -> JobHandle:
        """Start one of the wizard's jobs, with the runner's progress dialog over ``page``; ``busy``
        until it has ended (finished, failed or cancelled)."""
        self.handle = self.ctx.runner.run_with_dialog(page, title, factory)
        self.busy = True
        self.handle.done.connect(self._job_ended)
        return self.handle

    def _job_ended(self) -> None:
        self.busy = False

    def reject(self) -> None:
        """Hủy, Esc or the title bar's × while a job runs cancel the job, as the progress dialog's
        Hủy does, and keep the wizard open: it then shows what became of the job (cancelled,
        nothing changed — or the summary, when the write had already been committed). Closing at
        once would leave the write going on behind a closed window."""
        if self.busy:
            self.handle.cancel()
            page = self.currentPage()
            if isinstance(page, _JobPage):  # a write waiting for another program's lock stops only when it gets it
                page.message.setText("Đang hủy: chờ việc đang chạy dừng lại…")
            return
        super().reject()

    def set_preview(self, preview: ImportPreview) -> None:
        self.preview = preview

    def set_summary(self, summary: ImportSummary) -> None:
        self.summary = summary
        self.ctx.notify_changed()


def export_households(ctx: AppContext, parent: QWidget | None = None):
    """Hộ gia đình → Xuất Excel: ask for a file name, then run the export job with progress."""
    name, _ = QFileDialog.getSaveFileName(
        parent, "Xuất danh sách hộ ra Excel", f"danh_sach_ho_{ctx.year}.xlsx", "Excel (*.xlsx)"
    )
    if not name:
        return None
    if not name.lower().endswith(".xlsx"):
        name += ".xlsx"
    year = ctx.year
    handle = ctx.runner.run_with_dialog(parent, "Đang xuất Excel…", lambda db: export_excel(db, name, year))
    handle.finished.connect(
        lambda count: QMessageBox.information(
            parent, "Xuất Excel", f"Đã xuất {format_number(count)} hộ (đánh giá năm {year}) ra tệp\n{Path(name)}"
        )
    )
    return handle

