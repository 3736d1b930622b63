"""Cài đặt → Dữ liệu cá nhân: deleted households, their data on request, their permanent erase.

A deleted household stays in the file (it travels to the upper level as a deletion); a person
may ask for everything stored about them, or for the data to be erased for good. Erasing needs
a quản trị when the file has accounts, and a confirmation naming the household.
"""

from __future__ import annotations

from pathlib import Path

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
from gnbv_desktop.store.accounts import ADMIN, get_account, has_accounts
from gnbv_desktop.store.audit import current_role, current_user
from gnbv_desktop.store.personal_data import EraseError, deleted_households, erase_household, household_data

COLUMNS = ["Mã hộ", "Chủ hộ", "Xóa lúc"]


class PersonalDataTab(QWidget):
    title = "Dữ liệu cá nhân"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[tuple[str, str, str]] = []
        intro = QLabel(
            "Các hộ đã xóa vẫn được lưu (để cấp trên biết hộ đã bị xóa). Theo yêu cầu của người dân, có thể xuất "
            "mọi dữ liệu đang lưu về hộ, hoặc xóa vĩnh viễn hộ cùng lịch sử thay đổi (quản trị xác nhận; không hoàn "
            "tác được; các bản sao lưu cũ vẫn giữ dữ liệu đến khi được xoay vòng)."
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.export_button = QPushButton("Xuất dữ liệu của hộ…")
        self.erase_button = QPushButton("Xóa vĩnh viễn…")
        self.export_button.clicked.connect(self.export_selected)
        self.erase_button.clicked.connect(self.erase_selected)
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.erase_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.ctx.data_changed.connect(self.reload)
        self.reload()

    def reload(self) -> None:
        self.rows = deleted_households(self.ctx.db)
        self.table.setRowCount(len(self.rows))
        for row, (code, name, at) in enumerate(self.rows):
            date, _, time = at.partition("T")
            y, m, d = (date.split("-") + ["", "", ""])[:3]
            for col, text in enumerate([code, name, f"{d}/{m}/{y} {time[:8]}"]):
                self.table.setItem(row, col, QTableWidgetItem(text))

    def _selected(self) -> tuple[str, str, str] | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            QMessageBox.information(self, self.title, "Hãy chọn một hộ trong danh sách.")
            return None
        return self.rows[rows[0].row()]

    def export_selected(self) -> None:
        from gnbv_desktop.io.household_data_xlsx import write_household_data  # openpyxl: loaded on first export

        chosen = self._selected()
        if chosen is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, "Xuất dữ liệu của hộ", f"du-lieu-ho-{chosen[0]}.xlsx", "Excel (*.xlsx)")
        if not path:
            return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        try:
            n = write_household_data(household_data(self.ctx.db, chosen[0]), path)
        except OSError as exc:
            QMessageBox.warning(self, "Không xuất được", f"Không ghi được tệp '{path}': {exc.strerror or exc}.")
            return
        self.message.setText(f"Đã xuất {format_number(n)} dòng dữ liệu của hộ {chosen[0]} ra {Path(path).name}.")

    def erase_selected(self) -> None:
        chosen = self._selected()
        if chosen is None:
            return
        db = self.ctx.db
        me = get_account(db, current_user(db)) if current_role(db) == ADMIN else None
        if has_accounts(db) and me is None:
            QMessageBox.warning(self, "Không xóa được", "Chỉ tài khoản quản trị mới xóa vĩnh viễn được.")
            return
        answer = QMessageBox.question(
            self, "Xóa vĩnh viễn",
            f"Xóa vĩnh viễn hộ {chosen[0]} — {chosen[1]}, cùng thành viên, kết quả rà soát, kế hoạch và lịch sử "
            "thay đổi của hộ? Việc này không hoàn tác được.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            counts = erase_household(db, chosen[0], me)
        except EraseError as exc:
            QMessageBox.warning(self, "Không xóa được", str(exc))
            return
        self.reload()
        self.message.setText(f"Đã xóa vĩnh viễn hộ {chosen[0]} ({format_number(sum(counts.values()))} dòng).")
        self.ctx.notify_changed()
