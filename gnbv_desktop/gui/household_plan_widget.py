"""One household's support plan for one year: items, helpers, suggestions, unaddressed deprivations.

The household editor embeds it as the tab "Kế hoạch hỗ trợ" (without its own save button: the
editor's Lưu writes household and plan in one transaction) and the Kế hoạch hỗ trợ page shows it
under the list. ``load(household_id, year)`` fills it from the store; in the editor
``set_assessment`` makes suggestions and "thiếu hụt chưa có giải pháp" follow the assessment being
edited, before it is saved. ``save()`` writes items, helpers and expected result or shows why not.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gnbv_desktop.core.classifications import CLASSIFICATION_LABELS
from gnbv_desktop.core.household import Assessment
from gnbv_desktop.core.money import parse_money
from gnbv_desktop.core.plans import (
    CANCELLED,
    EXPECTED_RESULT_LABELS,
    RESULTS_FOR_CLASSIFICATION,
    STATUS_LABELS,
    STATUSES,
    PlanItem,
    suggest_measures,
    unaddressed_deprivations,
)
from gnbv_desktop.core.text import format_date, format_number, parse_date
from gnbv_desktop.gui.context import AppContext
from gnbv_desktop.gui.ui_loader import load_ui
from gnbv_desktop.gui.unsaved_changes import FormSnapshot
from gnbv_desktop.store.households import ValidationError, get_assessment
from gnbv_desktop.store.plans import (
    expected_result,
    funding_sources,
    helpers_of,
    list_helpers,
    plan_items,
    save_household_plan,
    support_measures,
)

COLUMNS = ["Giải pháp", "Nội dung cụ thể", "Kinh phí dự kiến (đ)", "Nguồn kinh phí", "Đơn vị chủ trì",
           "Thời gian", "Trạng thái", "Kinh phí thực hiện (đ)", "Ngày thực hiện", "Kết quả"]
C_MEASURE, C_CONTENT, C_AMOUNT, C_FUNDING, C_LEAD, C_TIME, C_STATUS, C_ACTUAL, C_DATE, C_RESULT = range(10)
# Key columns first and wide enough for their usual text at 1366 pixels; the content column
# stretches; long texts are elided with the full text in a tooltip.
COLUMN_WIDTHS = {C_MEASURE: 190, C_CONTENT: 230, C_AMOUNT: 100, C_FUNDING: 130, C_LEAD: 150, C_TIME: 90,
                 C_STATUS: 125, C_ACTUAL: 105, C_DATE: 95, C_RESULT: 160}


NO_HOUSEHOLD_TEXT = ("Chọn một hộ trong danh sách ở trên để xem và lập kế hoạch hỗ trợ của hộ: giải pháp, "
                     "người giúp đỡ, kinh phí và kết quả dự kiến.")


def parse_amount(text: str) -> int | None:
    """An amount cell read by the app's one money parser; empty → None; anything unclear raises
    :class:`~gnbv_desktop.core.money.MoneyError` (a ValueError) saying what was read."""
    return parse_money(text)


class PlanCellError(ValueError):
    """A cell of the plan table that cannot be read; ``row``/``column`` say where it is."""

    def __init__(self, message: str, row: int, column: int):
        super().__init__(message)
        self.row, self.column = row, column


class HouseholdPlanWidget(QWidget):
    changed = Signal()
    saved = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, embedded: bool = False):
        super().__init__(parent)
        self.ctx = ctx
        self.household_id: int | None = None
        self.year = ctx.year
        self.empty_text = NO_HOUSEHOLD_TEXT
        self.no_assessment_text = "Hộ chưa có kết quả rà soát năm {year}."
        self._loading = False
        self._assessment = None
        self._item_ids: list[int | None] = []

        self.ui = load_ui("household_plan.ui")
        ui = self.ui
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(ui)
        self.summary: QLabel = ui.summary
        self.result_combo: QComboBox = ui.resultCombo
        self.result_combo.currentIndexChanged.connect(self._mark)
        self.table: QTableWidget = ui.itemsTable
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(70)
        for col, width in COLUMN_WIDTHS.items():
            self.table.setColumnWidth(col, width)
        for col, name in enumerate(COLUMNS):
            self.table.horizontalHeaderItem(col).setToolTip(name)
        self.table.itemChanged.connect(self._on_item_changed)
        ui.addItemButton.clicked.connect(
            lambda: self.add_item(PlanItem(self._measures[0].code) if self._measures else None))
        ui.removeItemButton.clicked.connect(self.remove_selected)
        self.suggestions: QListWidget = ui.suggestionsList
        self.add_suggested: QPushButton = ui.addSuggestedButton
        self.add_suggested.clicked.connect(self.add_checked_suggestions)
        self.unaddressed: QLabel = ui.unaddressed
        self.helpers: QListWidget = ui.helpersList
        self.helpers.itemChanged.connect(lambda _i: self._mark())
        self.message: QLabel = ui.message
        self.save_button: QPushButton = ui.saveButton
        self.save_button.clicked.connect(self.save)
        self.save_button.setVisible(not embedded)
        ui.splitter.setStretchFactor(0, 3)
        ui.splitter.setStretchFactor(1, 2)
        self._measures = support_measures(ctx.db)
        self._funding = funding_sources(ctx.db)
        self.snapshot = FormSnapshot(self)
        self._show_empty(self.empty_text)

    def _show_empty(self, text: str) -> None:
        self.ui.emptyText.setText(text)
        self.ui.pages.setCurrentWidget(self.ui.emptyPage)

    def is_active(self) -> bool:
        """A plan is shown (a household with an assessment), not the explanation."""
        return self.ui.pages.currentWidget() is self.ui.formPage

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        item.setToolTip(item.text())  # long contents are elided in the cell, readable on hover
        self._on_edit()

    # ------------------------------------------------------------ loading

    def load(self, household_id: int | None, year: int) -> None:
        """Show the stored plan of ``household_id`` for ``year``; ``None`` shows ``empty_text``."""
        self._loading = True
        self.household_id, self.year = household_id, year
        self._measures = support_measures(self.ctx.db)
        self._funding = funding_sources(self.ctx.db)
        self.table.setRowCount(0)
        self._item_ids = []
        self.message.clear()
        self._assessment = None
        self.result_combo.clear()
        if household_id is not None:
            for it in plan_items(self.ctx.db, household_id, year):
                self.add_item(it)
        self._load_helpers()
        current = expected_result(self.ctx.db, household_id, year)[0] if household_id else ""
        self._loading = False
        self.set_assessment(get_assessment(self.ctx.db, household_id, year) if household_id else None, current)
        self.snapshot.mark_clean()

    def set_assessment(self, a: Assessment | None, result: str | None = None) -> None:
        """Base the summary, expected-result choices and suggestions on ``a`` — the stored
        assessment, or in the editor the one being edited (classification, deprivations, causes
        and needs as they are on screen now)."""
        self._loading, was = True, self._loading
        self._assessment = a
        if a is None:
            self._show_empty(self.empty_text if self.household_id is None
                             else self.no_assessment_text.format(year=self.year))
            self.result_combo.clear()
        else:
            std = self.ctx.standards.get(a.standard_id)
            names = {i.code: i.name for i in std.indicators}
            lacks = ", ".join(f"{c} {names.get(c, '')}" for c in a.deprived) or "không"
            self.summary.setText(f"Năm {self.year}: {CLASSIFICATION_LABELS.get(a.classification, '')} — "
                                 f"thiếu hụt: {lacks}")
            keep = self.result_combo.currentData() if result is None else result
            codes = RESULTS_FOR_CLASSIFICATION.get(a.classification, ("",))
            if [self.result_combo.itemData(i) for i in range(self.result_combo.count())] != list(codes):
                self.result_combo.clear()
                for code in codes:
                    self.result_combo.addItem(EXPECTED_RESULT_LABELS[code] or "(chưa xác định)", code)
            self.result_combo.setCurrentIndex(max(0, self.result_combo.findData(keep)))
            self.ui.pages.setCurrentWidget(self.ui.formPage)
        self._loading = was
        self._refresh_hints()

    def _load_helpers(self) -> None:
        self.helpers.clear()
        mine = {h.id for h in helpers_of(self.ctx.db, self.household_id, self.year)} if self.household_id else set()
        for h in list_helpers(self.ctx.db):
            item = QListWidgetItem(h.label)
            item.setData(Qt.ItemDataRole.UserRole, h.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if h.id in mine else Qt.CheckState.Unchecked)
            self.helpers.addItem(item)

    # ------------------------------------------------------------ rows

    def _combo(self, pairs: list[tuple[str, str]], current: str) -> QComboBox:
        combo = QComboBox()
        for code, label in pairs:
            combo.addItem(label, code)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        # The cell elides a long label; the tooltip and the opened list show all of it.
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(6)
        combo.view().setMinimumWidth(combo.view().sizeHintForColumn(0) + 24)
        combo.setToolTip(combo.currentText())
        combo.currentIndexChanged.connect(lambda _i: combo.setToolTip(combo.currentText()))
        combo.currentIndexChanged.connect(lambda _i: self._on_edit())
        return combo

    def add_item(self, it: PlanItem | None) -> None:
        if it is None:
            return
        self._loading, was = True, self._loading
        row = self.table.rowCount()
        self.table.insertRow(row)
        self._item_ids.append(it.id)
        self.table.setCellWidget(row, C_MEASURE, self._combo([(m.code, m.label) for m in self._measures],
                                                             it.measure_code))
        self.table.setCellWidget(row, C_FUNDING, self._combo(
            [("", "")] + [(f["code"], f.get("short") or f["name"]) for f in self._funding], it.funding_source))
        self.table.setCellWidget(row, C_STATUS, self._combo([(s, STATUS_LABELS[s]) for s in STATUSES], it.status))
        for col, value in ((C_CONTENT, it.content), (C_AMOUNT, format_number(it.expected_amount)),
                           (C_LEAD, it.lead_organisation), (C_TIME, it.planned_time),
                           (C_ACTUAL, format_number(it.actual_amount)), (C_DATE, format_date(it.actual_date)),
                           (C_RESULT, it.result)):
            cell = QTableWidgetItem(value)
            cell.setToolTip(value)
            self.table.setItem(row, col, cell)
        self._loading = was
        self._on_edit()

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.table.removeRow(row)
            del self._item_ids[row]
        if rows:
            self._on_edit()

    def _text(self, row: int, col: int) -> str:
        item = self.table.item(row, col)
        return item.text().strip() if item else ""

    def _amount(self, row: int, col: int) -> int | None:
        text = self._text(row, col)
        try:
            return parse_amount(text)
        except ValueError as exc:
            raise PlanCellError(f"Dòng {row + 1}, cột {COLUMNS[col]}: {exc}", row, col) from exc

    def items(self) -> list[PlanItem]:
        """The rows as plan items; a malformed amount or date raises :class:`PlanCellError`."""
        out = []
        for row in range(self.table.rowCount()):
            amount = self._amount(row, C_AMOUNT)
            actual = self._amount(row, C_ACTUAL)
            date_text = self._text(row, C_DATE)
            try:
                date = parse_date(date_text).isoformat() if date_text else ""
            except (ValueError, TypeError) as exc:
                raise PlanCellError(f"Dòng {row + 1}: ngày thực hiện '{date_text}' không hợp lệ (dd/mm/yyyy).",
                                    row, C_DATE) from exc
            out.append(PlanItem(
                measure_code=self.table.cellWidget(row, C_MEASURE).currentData(),
                content=self._text(row, C_CONTENT), expected_amount=amount,
                funding_source=self.table.cellWidget(row, C_FUNDING).currentData() or "",
                lead_organisation=self._text(row, C_LEAD), planned_time=self._text(row, C_TIME),
                status=self.table.cellWidget(row, C_STATUS).currentData(), actual_amount=actual,
                actual_date=date, result=self._text(row, C_RESULT), id=self._item_ids[row],
            ))
        return out

    # ------------------------------------------------------------ hints

    def _measure_codes(self) -> list[tuple[str, str]]:
        return [(self.table.cellWidget(r, C_MEASURE).currentData(), self.table.cellWidget(r, C_STATUS).currentData())
                for r in range(self.table.rowCount())]

    def _refresh_hints(self) -> None:
        self.suggestions.clear()
        a = self._assessment
        if a is None:
            self.unaddressed.clear()
            return
        rows = self._measure_codes()
        planned = {code for code, status in rows if status != CANCELLED}
        for s in suggest_measures(self._measures, a.standard_id, a.deprived, a.causes, a.needs, planned):
            item = QListWidgetItem(f"{s.measure.name} — {s.reason}")
            item.setData(Qt.ItemDataRole.UserRole, s)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if s.indicators else Qt.CheckState.Unchecked)
            self.suggestions.addItem(item)
        missing = unaddressed_deprivations(self._measures, a.standard_id, a.deprived,
                                           [PlanItem(code, status=status) for code, status in rows])
        names = {i.code: i.name for i in self.ctx.standards.get(a.standard_id).indicators}
        self.unaddressed.setText(
            "Thiếu hụt chưa có giải pháp: " + "; ".join(f"{c} {names.get(c, '')}" for c in missing) if missing
            else "Mọi chỉ số thiếu hụt đã có giải pháp."
        )

    def add_checked_suggestions(self) -> None:
        """One click: every ticked suggestion becomes a plan item prefilled from the catalogue."""
        chosen = [self.suggestions.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.suggestions.count())
                  if self.suggestions.item(i).checkState() == Qt.CheckState.Checked]
        for s in chosen:
            self.add_item(s.as_item())

    def _on_edit(self) -> None:
        if self._loading:
            return
        self._refresh_hints()
        self._mark()

    def _mark(self) -> None:
        if not self._loading:
            self.changed.emit()

    def has_changes(self) -> bool:
        """Items, helpers or expected result differ from what was loaded."""
        return self.snapshot.is_dirty()

    def show_error(self, message: str, row: int | None = None, column: int | None = None) -> None:
        """The message under the table, and the offending cell selected and focused."""
        self.message.setText(message)
        if row is not None and column is not None and row < self.table.rowCount():
            self.table.setCurrentCell(row, column)
            self.table.scrollToItem(self.table.item(row, column) or QTableWidgetItem())
            self.table.setFocus()

    # ------------------------------------------------------------ saving

    def checked_helper_ids(self) -> list[int]:
        return [self.helpers.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.helpers.count())
                if self.helpers.item(i).checkState() == Qt.CheckState.Checked]

    def write(self, household_id: int, items: list[PlanItem]) -> None:
        """Store ``items``, the ticked helpers and the expected result for ``household_id`` (inside
        the caller's transaction when there is one); raises ValidationError and writes nothing."""
        save_household_plan(self.ctx.db, household_id, self.year, items, self.checked_helper_ids(),
                            self.result_combo.currentData() or "")

    def mark_saved(self, household_id: int, items: list[PlanItem]) -> None:
        """After a successful write: remember the new ids so a second save updates, not inserts."""
        self.household_id = household_id
        for row, it in enumerate(items):
            self._item_ids[row] = it.id
        self.message.clear()
        self.snapshot.mark_clean()
        self.saved.emit()

    def save(self) -> bool:
        """Write items, helpers and expected result; on a problem show it and write nothing."""
        if self.household_id is None or self._assessment is None:
            return False
        try:
            items = self.items()
            self.write(self.household_id, items)
        except PlanCellError as exc:
            self.show_error(str(exc), exc.row, exc.column)
            return False
        except ValidationError as exc:
            self.show_error(str(exc))
            return False
        self.mark_saved(self.household_id, items)
        self.ctx.notify_changed()
        return True
