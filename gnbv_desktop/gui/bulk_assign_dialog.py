"""Assign one or more helpers to many households at once (from the household list's selection)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gnbv_desktop.core.text import fold
from gnbv_desktop.gui.context import AppContext
from gnbv_desktop.store.households import ValidationError
from gnbv_desktop.store.plans import assign_helpers, list_helpers


class BulkAssignDialog(QDialog):
    """Tick helpers, press OK: every chosen helper is assigned to every given household for the
    context's year. Existing assignments stay; ``added`` tells how many links were new."""

    def __init__(self, ctx: AppContext, household_ids: list[int], parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.household_ids = list(household_ids)
        self.added = 0
        self.setWindowTitle("Phân công người giúp đỡ")
        self.info = QLabel(f"Phân công cho {len(self.household_ids)} hộ đã chọn, năm {ctx.year}.")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Tìm người/tổ chức…")
        self.search.textChanged.connect(self._filter)
        self.list = QListWidget()
        for h in list_helpers(ctx.db):
            item = QListWidgetItem(h.label)
            item.setData(Qt.ItemDataRole.UserRole, h.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Phân công")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for w in (self.info, self.search, self.list, self.message, self.buttons):
            layout.addWidget(w)

    def _filter(self, text: str) -> None:
        key = fold(text)
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setHidden(bool(key) and key not in fold(item.text()))

    def checked_ids(self) -> list[int]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked]

    def accept(self) -> None:
        try:
            self.added = assign_helpers(self.ctx.db, self.household_ids, self.checked_ids(), self.ctx.year)
        except ValidationError as exc:
            self.message.setText(str(exc))
            return
        self.ctx.notify_changed()
        super().accept()
