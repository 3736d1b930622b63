"""Kế hoạch hỗ trợ: the commune plan record with its targets and the projection from the plans,
then the year's poor and near-poor households with their plan progress; selecting one opens its
plan (the same widget as the household editor's tab) below the list."""

from __future__ import annotations

import datetime as _dt

from PySide6.QtCore import QAbstractTableModel, QDate, QLocale, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gnbv_desktop.core.classifications import CLASSIFICATION_LABELS
from gnbv_desktop.core.plans import EXPECTED_RESULT_LABELS, SIGNER_TITLES, CommunePlan, format_percent, project
from gnbv_desktop.core.text import format_number
from gnbv_desktop.gui.context import AppContext
from gnbv_desktop.gui.household_plan_widget import HouseholdPlanWidget
from gnbv_desktop.gui.ui_loader import load_ui
from gnbv_desktop.gui.unsaved_changes import FormSnapshot, confirm_discard
from gnbv_desktop.store.households import ValidationError
from gnbv_desktop.store.plans import (
    HouseholdPlanRow,
    get_commune_plan,
    plan_counts,
    plan_rows,
    save_commune_plan,
)

COLUMNS = ["Mã hộ", "Chủ hộ", "Thôn", "Phân loại", "Số chỉ số thiếu hụt", "Người/tổ chức giúp đỡ",
           "Giải pháp (hoàn thành/tổng)", "Kinh phí dự kiến (đ)", "Dự kiến kết quả"]
# Two-line headers so narrow number columns still show their whole title at 1366 pixels.
HEADERS = ["Mã hộ", "Chủ hộ", "Thôn", "Phân loại", "Số chỉ số\nthiếu hụt", "Người/tổ chức giúp đỡ",
           "Giải pháp\n(hoàn thành/tổng)", "Kinh phí\ndự kiến (đ)", "Dự kiến\nkết quả"]


class PlanRowsModel(QAbstractTableModel):
    """The poor and near-poor households of the year with their plan's progress (thousands of
    rows in a merged commune: a model, not one widget item per cell)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[HouseholdPlanRow] = []

    def set_rows(self, rows: list[HouseholdPlanRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return COLUMNS[section]
        return None

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (r.code, r.head_name, r.village, CLASSIFICATION_LABELS.get(r.classification, ""),
                    str(len(r.deprived)), r.helpers or "(chưa có)", f"{r.done}/{r.items}",
                    format_number(r.expected_amount), EXPECTED_RESULT_LABELS.get(r.expected_result, ""))[index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return r.id
        return None


class PlansPage(QWidget):
    title = "Kế hoạch hỗ trợ"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._rows = []
        self._plan: CommunePlan | None = None
        self._plan_year = ctx.year

        record = load_ui("plan_record.ui")
        self.record = record
        self.number: QLineEdit = record.numberEdit
        self.date: QDateEdit = record.dateEdit
        self.signer: QLineEdit = record.signerEdit
        self.signer_title: QComboBox = record.signerTitleCombo
        for t, label in zip(SIGNER_TITLES, ("Chủ tịch", "Phó Chủ tịch"), strict=True):
            self.signer_title.addItem(label, t)
        self.preparer: QLineEdit = record.preparerEdit
        self.total: QSpinBox = record.totalSpin
        self.target_rate: QDoubleSpinBox = record.targetRateSpin
        self.target_escape: QSpinBox = record.targetEscapeSpin
        self.target_near: QSpinBox = record.targetNearSpin
        self.target_dtts: QDoubleSpinBox = record.targetDttsSpin
        for spin in (self.target_rate, self.target_dtts):
            spin.setLocale(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))  # 1,50 % not 1.50 %
        self.plan_message: QLabel = record.planMessage
        self.save_plan_button: QPushButton = record.savePlanButton
        self.save_plan_button.clicked.connect(self.save_plan)
        self.projection: QLabel = record.projection
        self.record_snapshot = FormSnapshot(record.planBox, record.targetsBox)

        self.only_unassisted = QCheckBox("Chỉ hộ chưa có người giúp đỡ")
        self.only_unassisted.toggled.connect(lambda _c: self._fill_table())
        self.count_label = QLabel()
        self.model = PlanRowsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in enumerate((70, 190, 100, 110, 80, 240, 120, 100, 130)):
            self.table.setColumnWidth(col, width)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)  # helpers: the longest text
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._on_select())
        self.editor = HouseholdPlanWidget(ctx)

        list_box = QWidget()
        list_layout = QVBoxLayout(list_box)
        filters = QHBoxLayout()
        filters.addWidget(self.only_unassisted)
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        list_layout.addLayout(filters)
        list_layout.addWidget(self.table)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(list_box)
        splitter.addWidget(self.editor)
        splitter.setSizes([320, 420])
        record_tab = record
        # Per-household planning is the daily work: it gets the whole page; the plan record and
        # targets are filled once a year, so they live in their own tab.
        self.tabs = QTabWidget()
        self.tabs.addTab(splitter, "Kế hoạch từng hộ")
        self.tabs.addTab(record_tab, "Kế hoạch năm của xã và chỉ tiêu")
        self.splitter = splitter
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        ctx.year_changed.connect(lambda _y: self.reload())
        ctx.data_changed.connect(self._on_data_changed)
        self.reload()

    # ------------------------------------------------------------ plan record

    def _load_plan(self) -> None:
        year = self._plan_year = self.ctx.year
        p = self._plan = get_commune_plan(self.ctx.db, year)
        p = p or CommunePlan(year=year)
        self.number.setText(p.document_number)
        d = _dt.date.fromisoformat(p.document_date) if p.document_date else _dt.date(year, 1, 5)
        self.date.setDate(QDate(d.year, d.month, d.day))
        self.signer.setText(p.signer_name)
        self.signer_title.setCurrentIndex(max(0, self.signer_title.findData(p.signer_title)))
        self.preparer.setText(p.preparer_name)
        self.total.setValue(p.total_households if p.total_households is not None else -1)
        self._show_targets(p)
        self.plan_message.clear()
        self.record_snapshot.mark_clean()

    def _show_targets(self, p: CommunePlan) -> None:
        self.target_rate.setValue(p.target_poverty_reduction if p.target_poverty_reduction is not None else -0.01)
        self.target_escape.setValue(p.target_escape_households if p.target_escape_households is not None else -1)
        self.target_near.setValue(p.target_near_poor_reduction if p.target_near_poor_reduction is not None else -1)
        self.target_dtts.setValue(p.target_dtts_reduction if p.target_dtts_reduction is not None else -0.01)

    def plan_from_form(self) -> CommunePlan:
        def opt(spin) -> float | int | None:
            return None if spin.value() < 0 else spin.value()

        d = self.date.date()
        old = self._plan
        return CommunePlan(
            year=self._plan_year, document_number=self.number.text(),
            document_date=_dt.date(d.year(), d.month(), d.day()).isoformat(),
            signer_name=self.signer.text(), signer_title=self.signer_title.currentData(),
            preparer_name=self.preparer.text(), total_households=opt(self.total),
            target_poverty_reduction=opt(self.target_rate), target_escape_households=opt(self.target_escape),
            target_near_poor_reduction=opt(self.target_near), target_dtts_reduction=opt(self.target_dtts),
            note=old.note if old else "", id=old.id if old else None,
        )

    def save_plan(self) -> bool:
        plan = self.plan_from_form()
        try:
            save_commune_plan(self.ctx.db, plan)
        except ValidationError as exc:
            self.plan_message.setText(str(exc))
            return False
        self._plan = plan
        self.plan_message.clear()
        self.record_snapshot.mark_clean()
        self.ctx.notify_changed()
        return True

    def _show_projection(self) -> None:
        counts = plan_counts(self.ctx.db, self.ctx.year, self._plan)
        p = project(counts, self._plan)
        lines = [
            f"Hộ nghèo: {format_number(counts.poor)}/"
            f"{'chưa có' if counts.total_households is None else format_number(counts.total_households)} hộ dân cư "
            f"({format_percent(p.current_rate)}); hộ cận nghèo: {format_number(counts.near_poor)} "
            f"({format_percent(p.current_near_poor_rate)}).",
            f"Dự kiến thoát nghèo: {p.planned_escapes} hộ" + (
                f" (chỉ tiêu {p.target_escapes} hộ: {'đạt' if p.meets_escape_target else 'chưa đạt'})"
                if p.target_escapes is not None else "") + ".",
            p.summary(),
        ]
        self.projection.setText("\n".join(lines))

    # ------------------------------------------------------------ households

    def reload(self) -> None:
        """Year changed: pending edits of the year being left are saved or dropped as the official says."""
        self.confirm_leave()
        self._load_plan()
        self._rows = plan_rows(self.ctx.db, self.ctx.year)
        self._fill_table()
        self._show_projection()
        self.editor.load(None, self.ctx.year)

    def _on_data_changed(self) -> None:
        stored = get_commune_plan(self.ctx.db, self.ctx.year)
        if stored != self._plan and stored is not None:
            # Written elsewhere (a reference package sets the upper level's targets): show the new
            # targets; whatever the user is typing in the other fields stays.
            self._show_targets(stored)
            self._plan = stored
            if not self.record_snapshot.is_dirty():
                self.record_snapshot.mark_clean()
        current = self.selected_household_id()
        self._rows = plan_rows(self.ctx.db, self.ctx.year)
        self._fill_table(keep=current)
        self._show_projection()

    def visible_rows(self) -> list:
        if self.only_unassisted.isChecked():
            return [r for r in self._rows if not r.helpers]
        return self._rows

    def _fill_table(self, keep: int | None = None) -> None:
        rows = self.visible_rows()
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        self.model.set_rows(rows)
        without = sum(1 for r in self._rows if not r.helpers)
        self.count_label.setText(f"{len(self._rows)} hộ nghèo, cận nghèo; {without} hộ chưa có người giúp đỡ")
        if keep is not None:
            for i, r in enumerate(rows):
                if r.id == keep:
                    self.table.selectRow(i)
                    break
        selection.blockSignals(False)

    def selected_household_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()].id if rows else None

    def _on_select(self) -> None:
        """Another household chosen: its plan replaces the one shown, after asking about edits."""
        hid = self.selected_household_id()
        if hid is None or hid == self.editor.household_id:
            return
        if not self._confirm_plan():
            self._select_quietly(self.editor.household_id)
            return
        self.editor.load(hid, self.ctx.year)

    def _select_quietly(self, household_id: int | None) -> None:
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        self.table.clearSelection()
        for i, r in enumerate(self.model.rows):
            if r.id == household_id:
                self.table.selectRow(i)
                break
        selection.blockSignals(False)

    def _confirm_plan(self) -> bool:
        name = next((r.head_name for r in self._rows if r.id == self.editor.household_id), "")
        return confirm_discard(self, f"Kế hoạch hỗ trợ của hộ {name}".rstrip(), self.editor.has_changes(),
                               self.editor.save)

    def confirm_leave(self) -> bool:
        """Before the window closes or the year changes: the household plan and the plan record."""
        if not self._confirm_plan():
            return False
        return confirm_discard(self, f"Kế hoạch năm {self._plan_year} của xã", self.record_snapshot.is_dirty(),
                               self.save_plan)
