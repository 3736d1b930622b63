"""Assign one or more helpers to many households at once (from the household list's selection).

The layout is ``ui/bulk_assign.ui``. Pressing Phân công asks for confirmation (how many helpers,
how many households, which year) before writing, and ``report`` says afterwards what was done.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from gnbv_desktop.core.text import fold
from gnbv_desktop.gui.context import AppContext
from gnbv_desktop.gui.dialog_size import remember_size
from gnbv_desktop.gui.ui_loader import load_ui
from gnbv_desktop.store.households import ValidationError
from gnbv_desktop.store.plans import assign_helpers, list_helpers


class BulkAssignDialog(QDialog):
    """Tick helpers, press Phân công, confirm: every chosen helper is assigned to every given
    household for the context's year. Existing assignments stay; ``added`` tells how many links
    were new and ``report`` says it in Vietnamese."""

    def __init__(self, ctx: AppContext, household_ids: list[int], parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.household_ids = list(household_ids)
        self.added = 0
        self.report = ""
        self.setWindowTitle("Phân công người giúp đỡ")
        self.setSizeGripEnabled(True)
        ui = load_ui("bulk_assign.ui")
        QVBoxLayout(self).addWidget(ui)
        self.info: QLabel = ui.info
        self.info.setText(f"Phân công cho {len(self.household_ids)} hộ đã chọn, năm {ctx.year}. "
                          "Đánh dấu người/tổ chức giúp đỡ rồi nhấn Phân công; phân công đã có được giữ nguyên.")
        self.search: QLineEdit = ui.searchEdit
        self.search.textChanged.connect(self._filter)
        self.list: QListWidget = ui.helpersList
        for h in list_helpers(ctx.db):
            item = QListWidgetItem(h.label)
            item.setToolTip(h.label)
            item.setData(Qt.ItemDataRole.UserRole, h.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.itemChanged.connect(lambda _i: self._show_chosen())
        self.chosen: QLabel = ui.chosen
        self.message: QLabel = ui.message
        self.buttons: QDialogButtonBox = ui.buttons
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Phân công")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._show_chosen()
        remember_size(self, "bulk_assign", QSize(620, 560))

    def _filter(self, text: str) -> None:
        key = fold(text)
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setHidden(bool(key) and key not in fold(item.text()))

    def checked_ids(self) -> list[int]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked]

    def _checked_names(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked]

    def _show_chosen(self) -> None:
        names = self._checked_names()
        self.chosen.setText("Đã chọn: " + "; ".join(names) if names else "Chưa chọn người/tổ chức nào.")

    def _confirmed(self, names: list[str]) -> bool:
        who = names[0] if len(names) == 1 else f"{len(names)} người/tổ chức"
        box = QMessageBox(QMessageBox.Icon.Question, "Xác nhận phân công",
                          f"Phân công {who} giúp đỡ {len(self.household_ids)} hộ năm {self.ctx.year}?", parent=self)
        yes = box.addButton("Phân công", QMessageBox.ButtonRole.AcceptRole)
        no = box.addButton("Hủy", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(yes)
        box.setEscapeButton(no)
        box.exec()
        return box.clickedButton() is yes

    def accept(self) -> None:
        names = self._checked_names()
        if not names:
            self.message.setText("Chưa chọn người/tổ chức giúp đỡ nào.")
            return
        if not self._confirmed(names):
            return
        try:
            self.added = assign_helpers(self.ctx.db, self.household_ids, self.checked_ids(), self.ctx.year)
        except ValidationError as exc:
            self.message.setText(str(exc))
            return
        links = len(names) * len(self.household_ids)
        self.report = (f"Đã phân công {', '.join(names)} cho {len(self.household_ids)} hộ năm {self.ctx.year}: "
                       f"{self.added} phân công mới, {links - self.added} đã có từ trước.")
        self.ctx.notify_changed()
        super().accept()
