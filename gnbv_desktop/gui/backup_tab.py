"""Cài đặt → Sao lưu: the automatic backups, a copy to a USB stick, restore of a chosen backup."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gnbv_desktop.core.text import format_number
from gnbv_desktop.gui.context import AppContext
from gnbv_desktop.gui.job_runner import JobHandle
from gnbv_desktop.jobs.backup_jobs import backup_job, check_job, restore_job
from gnbv_desktop.jobs.progress import Job
from gnbv_desktop.store.accounts import ADMIN, has_accounts
from gnbv_desktop.store.audit import current_role
from gnbv_desktop.store.backup import KEEP_LAST, KEEP_MONTHS, BackupInfo, list_backups

COLUMNS = ["Thời điểm", "Lý do", "Dung lượng", "Số hộ", "Tệp"]


def size_text(size: int) -> str:
    """``1.234.567`` bytes → ``1,2 MB`` (comma decimal, as Vietnamese writes it)."""
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")
    return f"{format_number(max(1, round(size / 1024)))} KB"


class BackupTab(QWidget):
    """Backups, checks and restores run as jobs (a large file takes seconds): a progress dialog
    shows, the window keeps repainting and the buttons wait until the job is over. A job's failure
    is shown by the job runner's error dialog and repeated under the buttons."""

    title = "Sao lưu"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.backups: list[BackupInfo] = []
        self.handle: JobHandle | None = None  # the running (or last) job
        intro = QLabel(
            "Phần mềm tự sao lưu khi mở (mỗi ngày một lần), khi đóng và trước mỗi lần nhập dữ liệu, "
            f"giữ {KEEP_LAST} bản gần nhất và một bản mỗi tháng trong {KEEP_MONTHS} tháng. "
            "Nên sao lưu ra USB định kỳ và cất ở nơi khác."
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.backup_button = QPushButton("Sao lưu ngay")
        self.usb_button = QPushButton("Sao lưu ra USB…")
        self.restore_button = QPushButton("Khôi phục bản đã chọn…")
        self.restore_button.setEnabled(False)
        self.restore_file_button = QPushButton("Khôi phục từ tệp khác…")
        self.restore_file_button.clicked.connect(self.restore_other_file)
        self.backup_button.clicked.connect(self.backup_now)
        self.usb_button.clicked.connect(self.backup_to_folder)
        self.restore_button.clicked.connect(self.restore_selected)
        self.table.itemSelectionChanged.connect(
            lambda: self.restore_button.setEnabled(bool(self.table.selectionModel().selectedRows()))
        )
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        for b in (self.backup_button, self.usb_button, self.restore_button, self.restore_file_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.reload()

    def reload(self) -> None:
        self.backups = list_backups(self.ctx.db_path)
        self.table.setRowCount(len(self.backups))
        for row, b in enumerate(self.backups):
            households = "không đọc được" if b.households is None else format_number(b.households)
            values = [b.created.strftime("%d/%m/%Y %H:%M:%S"), b.reason_label, size_text(b.size), households, b.path.name]
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)
                if col in (2, 3):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self.restore_button.setEnabled(False)

    def _run(self, title: str, job: Callable[[], Job], done: Callable[[object], None]) -> JobHandle:
        """Run ``job`` through the job runner, with a progress dialog and without a Hủy button: a
        copy or a restore is one step that cannot stop half-way."""
        handle = self.ctx.runner.run_with_dialog(self, title, lambda _db: job())
        handle.dialog.setCancelButton(None)
        self._set_busy(True)
        handle.finished.connect(done)
        handle.failed.connect(lambda message: self._say(message, error=True))
        handle.done.connect(lambda: self._set_busy(False))
        self.handle = handle
        return handle

    def _set_busy(self, busy: bool) -> None:
        for b in (self.backup_button, self.usb_button, self.restore_file_button):
            b.setEnabled(not busy)
        self.restore_button.setEnabled(not busy and bool(self.table.selectionModel().selectedRows()))

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet("color: #b00020;" if error else "")
        self.message.setText(text)

    def _backup(self, folder: Path | None) -> JobHandle:
        def done(target: Path) -> None:
            self.reload()
            self._say(f"Đã sao lưu vào {target}.")

        return self._run("Sao lưu dữ liệu", lambda: backup_job(self.ctx.db_path, folder), done)

    def backup_now(self) -> None:
        self._backup(None)

    def backup_to_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Chọn thư mục (ví dụ ổ USB) để sao lưu")
        if folder:
            self._backup(Path(folder))

    def restore_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self._restore(self.backups[rows[0].row()])

    def restore_other_file(self) -> None:
        """A copy kept elsewhere (the USB stick): fully checked before anything is asked or changed."""
        path, _ = QFileDialog.getOpenFileName(self, "Chọn bản sao lưu", "", "Dữ liệu GNBV (*.sqlite3);;Mọi tệp (*)")
        if path:
            self._run("Kiểm tra bản sao lưu", lambda: check_job(Path(path)), self._restore)

    def _restore(self, chosen: BackupInfo) -> None:
        if has_accounts(self.ctx.db) and current_role(self.ctx.db) != ADMIN:
            QMessageBox.warning(self, "Không khôi phục được", "Chỉ tài khoản quản trị mới khôi phục được dữ liệu.")
            return
        households = "" if chosen.households is None else f" ({format_number(chosen.households)} hộ)"
        answer = QMessageBox.question(
            self,
            "Khôi phục dữ liệu",
            f"Khôi phục dữ liệu về bản sao lưu lúc {chosen.created:%H:%M:%S ngày %d/%m/%Y}{households}?\n\n"
            "Dữ liệu hiện tại sẽ được sao lưu trước, nên có thể quay lại nếu cần.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return

        def done(safety: Path | None) -> None:
            self.reload()
            self._say(
                f"Đã khôi phục dữ liệu lúc {chosen.created:%H:%M:%S ngày %d/%m/%Y}. "
                f"Dữ liệu trước khi khôi phục được giữ tại {safety.name if safety else '—'}."
            )
            self.ctx.notify_changed()

        self._run("Khôi phục dữ liệu", lambda: restore_job(self.ctx.db_path, chosen.path), done)
