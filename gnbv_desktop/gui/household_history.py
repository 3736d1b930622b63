"""Lịch sử: every recorded change of one household (and its members, assessments, plans, helpers).

A separate widget so the household editor only adds it as a tab (one line there); it reads the
audit trail the database triggers write.
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
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gnbv_desktop.core.text import format_number
from gnbv_desktop.gui.context import AppContext
from gnbv_desktop.store.audit import ENTRY_HEADER, AuditEntry, entries, readable
from gnbv_desktop.store.households import get_household
from gnbv_desktop.store.personal_data import household_data


class HouseholdHistory(QWidget):
    title = "Lịch sử"

    def __init__(self, ctx: AppContext, household_id: int | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.household_id = household_id
        self.entries: list[AuditEntry] = []
        self.table = QTableWidget(0, len(ENTRY_HEADER))
        self.table.setHorizontalHeaderLabels(ENTRY_HEADER)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(len(ENTRY_HEADER) - 1, QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel()
        self.export_button = QPushButton("Xuất Excel…")
        self.export_button.clicked.connect(self.export)
        self.data_button = QPushButton("Xuất dữ liệu của hộ…")
        self.data_button.setToolTip("Mọi dữ liệu đang lưu về hộ này (yêu cầu của chủ thể dữ liệu cá nhân)")
        self.data_button.clicked.connect(self.export_household_data)
        bar = QHBoxLayout()
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.export_button)
        bar.addWidget(self.data_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self.reload()

    @classmethod
    def add_to(cls, tabs: QTabWidget, ctx: AppContext, household_id: int | None) -> HouseholdHistory:
        """The household editor's hook: a "Lịch sử" tab (empty for a household not saved yet)."""
        widget = cls(ctx, household_id)
        tabs.addTab(widget, cls.title)
        return widget

    def reload(self) -> None:
        self.entries = entries(self.ctx.db, self.household_id) if self.household_id else []
        self.table.setRowCount(len(self.entries))
        for row, e in enumerate(self.entries):
            values = [e.when, e.user, e.source, e.what, e.field_label, readable(e.old_value), readable(e.new_value)]
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self.summary.setText(f"{format_number(len(self.entries))} thay đổi được ghi lại." if self.entries
                             else "Chưa có thay đổi nào được ghi lại cho hộ này.")
        self.export_button.setEnabled(bool(self.entries))
        self.data_button.setEnabled(self.household_id is not None)

    def _save_path(self, title: str, default: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self, title, default, "Excel (*.xlsx)")
        if path and not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        return path

    def export_household_data(self) -> None:
        from gnbv_desktop.io.household_data_xlsx import write_household_data  # openpyxl: loaded on first export

        household = get_household(self.ctx.db, self.household_id)
        path = self._save_path("Xuất dữ liệu của hộ", f"du-lieu-ho-{household.code}.xlsx")
        if not path:
            return
        try:
            n = write_household_data(household_data(self.ctx.db, household.code), path)
        except OSError as exc:
            QMessageBox.warning(self, "Không xuất được", f"Không ghi được tệp '{path}': {exc.strerror or exc}.")
            return
        self.summary.setText(f"Đã xuất {format_number(n)} dòng dữ liệu của hộ ra {Path(path).name}.")

    def export(self) -> None:
        from gnbv_desktop.io.audit_xlsx import write_audit_xlsx  # openpyxl: loaded on first export

        path = self._save_path("Xuất lịch sử thay đổi", "lich-su-ho.xlsx")
        if not path:
            return
        try:
            household = get_household(self.ctx.db, self.household_id)
            title = f"Lịch sử thay đổi của hộ {household.code} — {household.head_name}" if household else "Lịch sử thay đổi"
            n = write_audit_xlsx(self.entries, path, title)
        except OSError as exc:
            QMessageBox.warning(self, "Không xuất được", f"Không ghi được tệp '{path}': {exc.strerror or exc}.")
            return
        self.summary.setText(f"Đã xuất {format_number(n)} thay đổi ra {Path(path).name}.")
