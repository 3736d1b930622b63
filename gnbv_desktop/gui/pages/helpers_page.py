"""Người giúp đỡ: organisations and people who help households — add, edit, remove — with each
helper's households and the progress of their plan items for the selected year.

Laid out for a 1366×768 screen: the key columns (Số hộ, Giải pháp hoàn thành) come right after the
name so they never need horizontal scrolling; the descriptive columns follow, elided with the full
text in a tooltip; splitters let the user give the list or the form more room (remembered).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gnbv_desktop.core.plans import HELPER_KIND_LABELS, HELPER_KINDS, Helper
from gnbv_desktop.core.standards import CLASSIFICATION_LABELS
from gnbv_desktop.gui.context import AppContext
from gnbv_desktop.store.households import ValidationError
from gnbv_desktop.store.plans import delete_helper, helper_progress, households_of_helper, save_helper

HELPER_COLUMNS = ["Tên người/tổ chức", "Số hộ", "Giải pháp hoàn thành", "Loại", "Chức vụ", "Đơn vị", "Điện thoại"]
NUMBER_COLUMNS = {HELPER_COLUMNS.index("Số hộ"), HELPER_COLUMNS.index("Giải pháp hoàn thành")}
# Columns the user may widen, at their starting widths (text beyond is elided, whole in the tooltip).
INTERACTIVE_WIDTHS = {"Tên người/tổ chức": 230, "Chức vụ": 120, "Đơn vị": 140}
HOUSEHOLD_COLUMNS = ["Mã hộ", "Chủ hộ", "Thôn", "Phân loại", "Tiến độ"]


def _readonly_table(columns: list[str], stretch: int) -> QTableWidget:
    """Read-only list; the name column (``stretch``) takes the spare width, others fit their text."""
    t = QTableWidget(0, len(columns))
    t.setHorizontalHeaderLabels(columns)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.verticalHeader().setVisible(False)
    t.setTextElideMode(Qt.TextElideMode.ElideRight)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return t


def _item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(text)  # the whole text when the column elides it
    return item


class HelpersPage(QWidget):
    title = "Người giúp đỡ"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._progress = []
        self.editing: Helper | None = None
        self.table = _readonly_table(HELPER_COLUMNS, stretch=0)
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(50)
        for name, width in INTERACTIVE_WIDTHS.items():
            col = HELPER_COLUMNS.index(name)
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, width)
        header.setStretchLastSection(True)
        self.table.setWordWrap(False)
        self.table.itemSelectionChanged.connect(self._on_select)
        self.households = _readonly_table(HOUSEHOLD_COLUMNS, stretch=1)
        self.households_label = QLabel()

        self.name = QLineEdit()
        self.kind = QComboBox()
        for k in HELPER_KINDS:
            self.kind.addItem(HELPER_KIND_LABELS[k], k)
        self.position = QLineEdit()
        self.organisation = QLineEdit()
        self.phone = QLineEdit()
        self.note = QLineEdit()
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020")
        self.new_button = QPushButton("Thêm mới")
        self.new_button.clicked.connect(self.start_new)
        self.save_button = QPushButton("Lưu")
        self.save_button.clicked.connect(self.save)
        self.delete_button = QPushButton("Xóa")
        self.delete_button.clicked.connect(self.delete)
        self.confirm_delete = self._confirm_delete

        form_box = QGroupBox("Thông tin người/tổ chức giúp đỡ")
        form = QFormLayout(form_box)
        form.addRow("Tên:", self.name)
        form.addRow("Loại:", self.kind)
        form.addRow("Chức vụ:", self.position)
        form.addRow("Đơn vị công tác:", self.organisation)
        form.addRow("Điện thoại:", self.phone)
        form.addRow("Ghi chú:", self.note)
        form.addRow(self.message)
        row = QHBoxLayout()
        for b in (self.new_button, self.save_button, self.delete_button):
            row.addWidget(b)
        form.addRow(row)
        form_box.setMinimumWidth(260)
        top = QSplitter(Qt.Orientation.Horizontal)
        top.setChildrenCollapsible(False)
        top.addWidget(self.table)
        top.addWidget(form_box)
        top.setStretchFactor(0, 1)
        top.setSizes([700, 300])
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.households_label)
        bottom_layout.addWidget(self.households, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        ctx.year_changed.connect(lambda _y: self.reload())
        ctx.data_changed.connect(self.reload)
        self.reload()

    def reload(self) -> None:
        selected = self.editing.id if self.editing else None
        self._progress = helper_progress(self.ctx.db, self.ctx.year)
        self.table.blockSignals(True)
        self.table.setRowCount(len(self._progress))
        for r, p in enumerate(self._progress):
            h = p.helper
            values = [h.name, str(p.households), f"{p.done}/{p.items}", HELPER_KIND_LABELS[h.kind], h.position,
                      h.organisation, h.phone]
            for c, v in enumerate(values):
                item = _item(v)
                if c in NUMBER_COLUMNS:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self.table.blockSignals(False)
        rows = [r for r, p in enumerate(self._progress) if p.helper.id == selected]
        if rows:
            self.table.selectRow(rows[0])
        else:
            self.start_new()

    def _on_select(self) -> None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        if not rows:
            return
        h = self._progress[min(rows)].helper
        self.editing = h
        self.name.setText(h.name)
        self.kind.setCurrentIndex(self.kind.findData(h.kind))
        self.position.setText(h.position)
        self.organisation.setText(h.organisation)
        self.phone.setText(h.phone)
        self.note.setText(h.note)
        self.message.clear()
        self._show_households(h)

    def _show_households(self, h: Helper) -> None:
        rows = households_of_helper(self.ctx.db, h.id, self.ctx.year)
        self.households_label.setText(f"Các hộ {h.name} giúp đỡ năm {self.ctx.year}: {len(rows)} hộ")
        self.households.setRowCount(len(rows))
        for r, a in enumerate(rows):
            for c, v in enumerate([a.code, a.head_name, a.village, CLASSIFICATION_LABELS.get(a.classification, ""),
                                   f"{a.done}/{a.items} giải pháp hoàn thành"]):
                self.households.setItem(r, c, _item(v))

    def start_new(self) -> None:
        self.editing = None
        self.table.clearSelection()
        for w in (self.name, self.position, self.organisation, self.phone, self.note):
            w.clear()
        self.kind.setCurrentIndex(0)
        self.households.setRowCount(0)
        self.households_label.clear()
        self.message.clear()

    def save(self) -> bool:
        h = Helper(name=self.name.text(), kind=self.kind.currentData(), position=self.position.text(),
                   organisation=self.organisation.text(), phone=self.phone.text(), note=self.note.text(),
                   id=self.editing.id if self.editing else None)
        try:
            save_helper(self.ctx.db, h)
        except ValidationError as exc:
            self.message.setText(str(exc))
            return False
        self.editing = h
        self.ctx.notify_changed()
        return True

    def _confirm_delete(self, h: Helper) -> bool:
        answer = QMessageBox.question(self, "Xóa người giúp đỡ",
                                      f"Xóa {h.name} và bỏ phân công của họ với mọi hộ?")
        return answer == QMessageBox.StandardButton.Yes

    def delete(self) -> None:
        if self.editing is None or not self.confirm_delete(self.editing):
            return
        delete_helper(self.ctx.db, self.editing.id)
        self.editing = None
        self.ctx.notify_changed()
