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
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gnbv_desktop.core.classifications import CLASSIFICATION_LABELS
from gnbv_desktop.core.plans import HELPER_KIND_LABELS, HELPER_KINDS, Helper
from gnbv_desktop.gui.context import AppContext
from gnbv_desktop.gui.ui_loader import load_ui
from gnbv_desktop.gui.unsaved_changes import FormSnapshot, confirm_discard
from gnbv_desktop.gui.widgets import confirm
from gnbv_desktop.store.households import ValidationError
from gnbv_desktop.store.plans import delete_helper, helper_progress, households_of_helper, save_helper

# What the official looks for first (who, how many households, progress) comes first, so it is
# visible without scrolling at 1366 pixels; details follow, elided with the full text on hover.
HELPER_COLUMNS = ["Tên người/tổ chức", "Số hộ", "Giải pháp\nhoàn thành", "Loại", "Chức vụ", "Đơn vị", "Điện thoại"]
C_NAME, C_HOUSEHOLDS, C_DONE = 0, 1, 2
DETAIL_WIDTHS = {3: 110, 4: 130, 5: 160, 6: 110}
NUMBER_COLUMNS = {C_HOUSEHOLDS, C_DONE}
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
        self.table = _readonly_table(HELPER_COLUMNS, stretch=C_NAME)
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(60)
        header.setSectionResizeMode(C_NAME, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(C_NAME, 240)
        header.setStretchLastSection(True)
        for col, width in DETAIL_WIDTHS.items():
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(col, width)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.itemSelectionChanged.connect(self._on_select)
        self.households = _readonly_table(HOUSEHOLD_COLUMNS, stretch=1)
        self.households_label = QLabel()

        form_box = load_ui("helper_form.ui")
        self.form_box = form_box
        self.name: QLineEdit = form_box.nameEdit
        self.kind: QComboBox = form_box.kindCombo
        for k in HELPER_KINDS:
            self.kind.addItem(HELPER_KIND_LABELS[k], k)
        self.position: QLineEdit = form_box.positionEdit
        self.organisation: QLineEdit = form_box.organisationEdit
        self.phone: QLineEdit = form_box.phoneEdit
        self.note: QLineEdit = form_box.noteEdit
        self.message: QLabel = form_box.message
        self.new_button: QPushButton = form_box.newButton
        self.new_button.clicked.connect(self.ask_new)
        self.save_button: QPushButton = form_box.saveButton
        self.save_button.clicked.connect(self.save)
        self.delete_button: QPushButton = form_box.deleteButton
        self.delete_button.clicked.connect(self.delete)
        self.snapshot = FormSnapshot(form_box)

        form_box.setMinimumWidth(300)
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
        rows = [r for r, p in enumerate(self._progress) if p.helper.id == selected]
        if rows:
            self.table.selectRow(rows[0])
        self.table.blockSignals(False)
        if self.snapshot.is_dirty():
            return  # the form keeps what is being typed; the list around it is fresh
        if rows:
            self._show(self._progress[rows[0]].helper)
        else:
            self.start_new()

    def _on_select(self) -> None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        if not rows:
            return
        h = self._progress[min(rows)].helper
        if self.editing is not None and h.id == self.editing.id:
            return
        if not self.confirm_leave():
            self._select_quietly(self.editing.id if self.editing else None)
            return
        self._show(h)

    def _select_quietly(self, helper_id: int | None) -> None:
        self.table.blockSignals(True)
        self.table.clearSelection()
        for r, p in enumerate(self._progress):
            if p.helper.id == helper_id:
                self.table.selectRow(r)
        self.table.blockSignals(False)

    def confirm_leave(self) -> bool:
        """Before another helper, a new one or closing: ask about unsaved edits of the form."""
        what = f"Người giúp đỡ {self.name.text().strip()}" if self.name.text().strip() else "Người giúp đỡ mới"
        return confirm_discard(self, what, self.snapshot.is_dirty(), self.save)

    def _show(self, h: Helper) -> None:
        self.editing = h
        self.name.setText(h.name)
        self.kind.setCurrentIndex(self.kind.findData(h.kind))
        self.position.setText(h.position)
        self.organisation.setText(h.organisation)
        self.phone.setText(h.phone)
        self.note.setText(h.note)
        self.message.clear()
        self.snapshot.mark_clean()
        self._show_households(h)

    def _show_households(self, h: Helper) -> None:
        rows = households_of_helper(self.ctx.db, h.id, self.ctx.year)
        self.households_label.setText(f"Các hộ {h.name} giúp đỡ năm {self.ctx.year}: {len(rows)} hộ")
        self.households.setRowCount(len(rows))
        for r, a in enumerate(rows):
            for c, v in enumerate([a.code, a.head_name, a.village, CLASSIFICATION_LABELS.get(a.classification, ""),
                                   f"{a.done}/{a.items} giải pháp hoàn thành"]):
                self.households.setItem(r, c, _item(v))

    def ask_new(self) -> None:
        """Thêm mới: an empty form, after asking about the one being edited."""
        if self.confirm_leave():
            self.start_new()
            self.name.setFocus()

    def start_new(self) -> None:
        self.editing = None
        self.table.clearSelection()
        for w in (self.name, self.position, self.organisation, self.phone, self.note):
            w.clear()
        self.kind.setCurrentIndex(0)
        self.households.setRowCount(0)
        self.households_label.clear()
        self.message.clear()
        self.snapshot.mark_clean()

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
        self.snapshot.mark_clean()
        self.ctx.notify_changed()
        return True

    def delete(self) -> None:
        h = self.editing
        if h is None or not confirm(self, "Xóa người giúp đỡ", f"Xóa {h.name} và bỏ phân công của họ với mọi hộ?",
                                    "Xóa"):
            return
        delete_helper(self.ctx.db, self.editing.id)
        self.editing = None
        self.snapshot.mark_clean()
        self.ctx.notify_changed()
