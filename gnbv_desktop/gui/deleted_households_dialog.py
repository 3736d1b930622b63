"""Hộ đã xóa: households deleted at any time (rows are only marked deleted), brought back with
Khôi phục. Ctrl+Z on the list undoes this session's deletions; this dialog is for later."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gnbv_desktop.core.text import format_date
from gnbv_desktop.gui.context import AppContext
from gnbv_desktop.gui.dialog_size import remember_size
from gnbv_desktop.store.households import ValidationError, list_deleted, restore_household

COLUMNS = ["Mã hộ", "Chủ hộ", "Thôn", "Ngày xóa"]


class DeletedHouseholdsDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.restored: list[int] = []
        self.setWindowTitle("Hộ đã xóa")
        self.setSizeGripEnabled(True)
        self.info = QLabel("Chọn một hoặc nhiều hộ rồi nhấn Khôi phục để đưa hộ trở lại danh sách.")
        self.info.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.restore_button = self.buttons.addButton("Khôi phục", QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = self.buttons.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.clicked.connect(self.restore_selected)
        self.buttons.rejected.connect(self.reject)
        self.table.itemSelectionChanged.connect(
            lambda: self.restore_button.setEnabled(bool(self.table.selectionModel().selectedRows())))
        layout = QVBoxLayout(self)
        for w in (self.info, self.table, self.message, self.buttons):
            layout.addWidget(w)
        self.reload()
        remember_size(self, "deleted_households", QSize(640, 480))

    def reload(self) -> None:
        rows = list_deleted(self.ctx.db)
        self.table.setRowCount(len(rows))
        for r, d in enumerate(rows):
            for c, v in enumerate((d.code, d.head_name, d.village, format_date(d.deleted_at))):
                item = QTableWidgetItem(v)
                item.setData(Qt.ItemDataRole.UserRole, d.id)
                item.setToolTip(v)
                self.table.setItem(r, c, item)
        self.restore_button.setEnabled(False)
        if not rows:
            self.info.setText("Không có hộ nào đã xóa.")

    def selected_ids(self) -> list[int]:
        return [self.table.item(i.row(), 0).data(Qt.ItemDataRole.UserRole)
                for i in self.table.selectionModel().selectedRows()]

    def restore_selected(self) -> None:
        """Restore each chosen household; one that now clashes (CCCD, mã hộ) stays deleted and says why."""
        done, problems = [], []
        for hid in self.selected_ids():
            try:
                restore_household(self.ctx.db, hid)
                done.append(hid)
            except ValidationError as exc:
                problems.append(str(exc))
        self.restored += done
        text = f"Đã khôi phục {len(done)} hộ." if done else ""
        if problems:
            text += (" " if text else "") + "Không khôi phục được: " + " ".join(problems)
        self.message.setStyleSheet("color: #b00020;" if problems else "")
        self.message.setText(text)
        self.reload()
        if done:
            self.ctx.notify_changed()
