"""Hộ gia đình: the year's household list with search-as-you-type, filters and keyboard actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gnbv_desktop.core.classifications import CLASSIFICATION_LABELS, CLASSIFICATIONS
from gnbv_desktop.core.text import format_number
from gnbv_desktop.gui.context import AppContext
from gnbv_desktop.gui.household_model import HouseholdTableModel
from gnbv_desktop.gui.review_filter import ReviewFilter
from gnbv_desktop.store.household_list import list_columns
from gnbv_desktop.store.villages import list_villages

# The dialogs (message boxes too), the carry-forward job, the helper filter and the household
# records (deleting, restoring) are imported when first used: the list is what the app opens on,
# and these modules (with Qt's .ui loader, the catalogues and the validation rules) would delay it.
if TYPE_CHECKING:
    from gnbv_desktop.gui.bulk_assign_dialog import BulkAssignDialog
    from gnbv_desktop.gui.deleted_households_dialog import DeletedHouseholdsDialog
    from gnbv_desktop.gui.household_editor import HouseholdEditor


class HouseholdsPage(QWidget):
    title = "Hộ gia đình"
    status_changed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._deleted_stack: list[list[tuple[int, str]]] = []
        self.model = HouseholdTableModel(self)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Tìm theo tên chủ hộ, số CCCD, mã hộ (không cần gõ dấu) — Ctrl+F")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_search)
        self.village_filter = QComboBox()
        self.village_filter.currentIndexChanged.connect(self._on_filter)
        self.class_filter = QComboBox()
        self.class_filter.addItem("Mọi phân loại", None)
        for c in CLASSIFICATIONS:
            self.class_filter.addItem(CLASSIFICATION_LABELS[c], c)
        self.class_filter.currentIndexChanged.connect(self._on_filter)
        self.all_households = QCheckBox("Cả hộ chưa đánh giá năm này")
        self.all_households.toggled.connect(self.reload)
        self.no_helper = QCheckBox("Chưa có người giúp đỡ")
        self.no_helper.setToolTip("Hộ nghèo, hộ cận nghèo của năm chưa được phân công người/tổ chức giúp đỡ")
        self.no_helper.toggled.connect(self._on_filter)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 70), (2, 130), (3, 190), (4, 100), (5, 190), (6, 130)):
            self.table.setColumnWidth(col, width)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        # Lay the rows out at once after the model is reset (each keystroke in the search box): left
        # to Qt's next turn, the rows are painted twice — before and after the scroll bar learns
        # the new number of rows — and a keystroke costs half as much again.
        self.model.modelReset.connect(self.table.doItemsLayout)

        self.new_button = QPushButton("Thêm hộ (Ctrl+N)")
        self.new_button.clicked.connect(self.new_household)
        self.edit_button = QPushButton("Mở (Enter)")
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button = QPushButton("Xóa (Delete)")
        self.delete_button.clicked.connect(self.delete_selected)
        self.undo_button = QPushButton("Hoàn tác (Ctrl+Z)")
        self.undo_button.setToolTip("Đưa lại các hộ vừa xóa")
        self.undo_button.setEnabled(False)
        self.undo_button.clicked.connect(self.undo_delete)
        self.deleted_button = QPushButton("Hộ đã xóa…")
        self.deleted_button.setToolTip("Xem và khôi phục các hộ đã xóa (kể cả từ các lần làm việc trước)")
        self.deleted_button.clicked.connect(self.show_deleted)
        self.assign_button = QPushButton("Phân công giúp đỡ…")
        self.assign_button.setToolTip("Phân công người/tổ chức giúp đỡ cho các hộ đang chọn")
        self.assign_button.clicked.connect(self.assign_selected)
        self.carry_button = QPushButton()
        self.carry_button.clicked.connect(self.carry_forward)
        self.more_button = QToolButton()
        self.more_button.setText("Excel ▾")
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more_button.setVisible(False)
        self.import_action = QAction("Nhập từ Excel…", self)
        self.import_action.triggered.connect(self.open_import_wizard)
        self.export_action = QAction("Xuất Excel…", self)
        self.export_action.triggered.connect(self.export_excel)
        self.add_menu_action(self.import_action)
        self.add_menu_action(self.export_action)

        top = QHBoxLayout()
        top.addWidget(self.search, 3)
        top.addWidget(QLabel("Thôn:"))
        top.addWidget(self.village_filter, 1)
        top.addWidget(QLabel("Phân loại:"))
        top.addWidget(self.class_filter, 1)
        top.addWidget(self.no_helper)
        self.review_filter = ReviewFilter(ctx, self.model, lambda: self._update_count())  # year-cycle hook
        top.addWidget(self.review_filter)
        top.addWidget(self.all_households)
        actions = QHBoxLayout()
        for b in (self.new_button, self.edit_button, self.delete_button, self.undo_button, self.deleted_button,
                  self.assign_button, self.carry_button):
            actions.addWidget(b)
        actions.addWidget(self.more_button)
        actions.addStretch()
        self.count_label = QLabel()
        self.count_label.setWordWrap(True)  # the row of buttons, not this text, decides the page's width
        actions.addWidget(self.count_label, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addLayout(actions)

        self.search.installEventFilter(self)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(0)
        self._search_timer.timeout.connect(self._apply_search)

        QShortcut(QKeySequence.StandardKey.New, self, activated=self.new_household)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self._focus_search)
        QShortcut(QKeySequence.StandardKey.Undo, self, activated=self.undo_delete)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            QShortcut(QKeySequence(key), self.table, activated=self.edit_selected)
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self.table, activated=self.delete_selected)

        ctx.year_changed.connect(lambda _y: self.reload())
        ctx.data_changed.connect(self.reload)
        self._fill_villages()
        self.reload()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt override)
        """In the search box, Down moves into the list and Enter opens the (first) match."""
        if obj is self.search and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key == Qt.Key.Key_Down:
                self._enter_list()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self._enter_list():
                    self.edit_selected()
                return True
        return super().eventFilter(obj, event)

    def _enter_list(self) -> bool:
        """Focus the list with a row current (the first match when none is chosen yet)."""
        self._search_timer.stop()
        self._apply_search()
        if self.model.rowCount() == 0:
            return False
        if not self.table.selectionModel().selectedRows():
            self.table.selectRow(0)
        self.table.setFocus()
        return True

    # extension points ----------------------------------------------------------
    def add_menu_action(self, action: QAction) -> None:
        """Excel import/export and other list-wide actions go in the 'Excel' menu."""
        menu = self.more_button.menu()
        if menu is None:
            menu = QMenu(self.more_button)
            self.more_button.setMenu(menu)
        menu.addAction(action)
        self.more_button.setVisible(True)

    def open_import_wizard(self):
        # Imported here: the Excel libraries are only loaded when the official asks for them.
        from gnbv_desktop.gui.import_wizard import ImportWizard

        wizard = ImportWizard(self.ctx, self)
        wizard.show()
        return wizard

    def export_excel(self) -> None:
        from gnbv_desktop.gui.import_wizard import export_households

        export_households(self.ctx, self)

    # data ----------------------------------------------------------------------
    def _fill_villages(self) -> None:
        current = self.village_filter.currentData()
        self.village_filter.blockSignals(True)
        self.village_filter.clear()
        self.village_filter.addItem("Mọi thôn", None)
        for v in list_villages(self.ctx.db):
            self.village_filter.addItem(v.name, v.id)
        self.village_filter.setCurrentIndex(max(0, self.village_filter.findData(current)))
        self.village_filter.blockSignals(False)

    def reload(self) -> None:
        selected = self.selected_ids()
        self._fill_villages()
        self.model.set_rows(list_columns(self.ctx.db, self.ctx.year, include_unassessed=self.all_households.isChecked()))
        self.model.set_filter(
            self.search.text(), self.village_filter.currentData(), self.class_filter.currentData(),
            self._helper_filter(),
        )
        self._select_ids(selected)
        self._update_count()
        self._update_carry_button()

    def _update_carry_button(self) -> None:
        prev = self.ctx.year - 1
        waiting = self.ctx.db.execute(
            """SELECT COUNT(*) FROM assessments a JOIN households h ON h.id = a.household_id AND h.deleted = 0
               WHERE a.year = ? AND a.deleted = 0 AND NOT EXISTS
               (SELECT 1 FROM assessments b WHERE b.household_id = a.household_id AND b.year = ?)""",
            [prev, self.ctx.year],
        ).fetchone()[0]
        self.carry_button.setText(f"Chuyển {format_number(waiting)} hộ từ năm {prev}…")
        self.carry_button.setVisible(waiting > 0)

    def carry_forward(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from gnbv_desktop.core.standards import StandardError
        from gnbv_desktop.jobs.carry_forward import carry_forward

        prev, year = self.ctx.year - 1, self.ctx.year
        try:
            self.ctx.standards.for_year(year)
        except StandardError as exc:
            QMessageBox.warning(self, "Không chuyển được", str(exc))
            return
        answer = QMessageBox.question(
            self, "Bắt đầu danh sách năm mới",
            f"Đưa các hộ của danh sách năm {prev} chưa có trong năm {year} vào danh sách năm {year}?\n"
            f"Mỗi hộ mang dữ liệu năm {prev} và được đánh dấu \"chưa rà soát\" cho đến khi xác nhận hoặc sửa; "
            f"nếu năm {year} áp dụng chuẩn nghèo mới, hộ được đánh dấu \"rà soát theo chuẩn mới\" và chưa xếp loại.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        handle = self.ctx.runner.run_with_dialog(
            self, "Đang chuyển danh sách…", lambda db: carry_forward(db, prev, year)
        )
        handle.finished.connect(lambda _n: self.ctx.notify_changed())
        self._carry_handle = handle

    def _on_search(self, _text: str) -> None:
        self._search_timer.start()

    def _apply_search(self) -> None:
        self.model.set_filter(self.search.text())
        self._update_count()

    def _helper_filter(self) -> set[int] | None:
        if not self.no_helper.isChecked():
            return None
        from gnbv_desktop.store.plans import households_without_helper

        return households_without_helper(self.ctx.db, self.ctx.year)

    def _on_filter(self) -> None:
        self.model.set_filter(
            None, self.village_filter.currentData(), self.class_filter.currentData(), self._helper_filter()
        )
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total
        text = f"Đang hiện {format_number(shown)} / {format_number(total)} hộ — năm {self.ctx.year}"
        self.count_label.setText(text)
        self.status_changed.emit(text)

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # selection -----------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.id_at(r) for r in rows]

    def _select_ids(self, ids: list[int]) -> None:
        sel = self.table.selectionModel()
        sel.clearSelection()
        for hid in ids:
            row = self.model.row_of_id(hid)
            if row is not None:
                sel.select(
                    self.model.index(row, 0),
                    QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
                )

    # actions -------------------------------------------------------------------
    def new_household(self) -> HouseholdEditor:
        from gnbv_desktop.gui.household_editor import HouseholdEditor  # the editor's many widgets: on first use

        editor = HouseholdEditor(self.ctx, None, self)
        editor.saved.connect(lambda hid: self._select_ids([hid]))
        editor.open()
        return editor

    def edit_selected(self) -> HouseholdEditor | None:
        from gnbv_desktop.gui.household_editor import HouseholdEditor

        ids = self.selected_ids()
        if not ids:
            index = self.table.currentIndex()
            if not index.isValid():
                return None
            ids = [self.model.id_at(index.row())]
        editor = HouseholdEditor(self.ctx, ids[0], self)
        editor.open()
        return editor

    def assign_selected(self) -> BulkAssignDialog | None:
        """Assign helpers to every selected household at once (or tell how to select)."""
        from gnbv_desktop.gui.bulk_assign_dialog import BulkAssignDialog

        ids = self.selected_ids()
        if not ids:
            self.status_changed.emit("Chọn một hoặc nhiều hộ trong danh sách trước khi phân công.")
            return None
        dialog = BulkAssignDialog(self.ctx, ids, self)
        dialog.accepted.connect(lambda: self.status_changed.emit(dialog.report))
        dialog.open()
        return dialog

    def show_deleted(self) -> DeletedHouseholdsDialog:
        from gnbv_desktop.gui.deleted_households_dialog import DeletedHouseholdsDialog

        dialog = DeletedHouseholdsDialog(self.ctx, self)
        dialog.finished.connect(lambda _r: self._after_restore(dialog.restored))
        dialog.open()
        return dialog

    def _after_restore(self, ids: list[int]) -> None:
        if ids:
            self._select_ids(ids)
            self.status_changed.emit(f"Đã khôi phục {len(ids)} hộ.")

    def delete_selected(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        ids = self.selected_ids()
        if not ids:
            return
        names = [self.model.row_at(self.model.row_of_id(i)).head_name for i in ids]
        text = f"Xóa hộ {names[0]}?" if len(ids) == 1 else f"Xóa {len(ids)} hộ đã chọn?"
        box = QMessageBox(QMessageBox.Icon.Question, "Xóa hộ gia đình",
                          text + "\nCó thể hoàn tác bằng Ctrl+Z, hoặc khôi phục sau trong \"Hộ đã xóa…\".", parent=self)
        yes = box.addButton("Xóa", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("Không", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(yes)
        box.finished.connect(lambda _r: self._delete_confirmed(ids, names) if box.clickedButton() is yes else None)
        box.open()
        self._confirm_box = box

    def _delete_confirmed(self, ids: list[int], names: list[str]) -> None:
        from gnbv_desktop.store.households import delete_household

        for hid in ids:
            delete_household(self.ctx.db, hid)
        self._deleted_stack.append(list(zip(ids, names, strict=False)))
        self.undo_button.setEnabled(True)
        self.ctx.notify_changed()
        self.status_changed.emit(f"Đã xóa {len(ids)} hộ. Nhấn Ctrl+Z để khôi phục.")

    def undo_delete(self) -> None:
        if not self._deleted_stack:
            return
        from PySide6.QtWidgets import QMessageBox

        from gnbv_desktop.store.households import ValidationError, restore_household

        batch = self._deleted_stack.pop()
        try:
            with self.ctx.db.atomic():
                for hid, _name in batch:
                    restore_household(self.ctx.db, hid)
        except ValidationError as exc:
            self._deleted_stack.append(batch)
            QMessageBox.warning(self, "Không khôi phục được", str(exc))
            return
        self.undo_button.setEnabled(bool(self._deleted_stack))
        self.ctx.notify_changed()
        self._select_ids([hid for hid, _n in batch])
        what = f"hộ {batch[0][1]}" if len(batch) == 1 else f"{len(batch)} hộ"
        self.status_changed.emit(f"Đã khôi phục {what}.")
