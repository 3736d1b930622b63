"""One household's support plan for one year: items, helpers, suggestions, unaddressed deprivations.

The household editor embeds it as the tab "Kế hoạch hỗ trợ" and the Kế hoạch hỗ trợ page shows it
under the list. ``load(household_id, year)`` fills it, ``changed`` fires on every edit, and
``save()`` writes everything in the store (items, helpers, expected result) or shows why not;
``save_for(id)`` is what the editor calls after saving the household itself.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
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
from gnbv_desktop.core.standards import CLASSIFICATION_LABELS
from gnbv_desktop.core.text import format_date, format_number, parse_date
from gnbv_desktop.gui.context import AppContext
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


def parse_amount(text: str) -> int | None:
    """An amount cell read by the app's one money parser; empty → None; anything unclear raises
    :class:`~gnbv_desktop.core.money.MoneyError` (a ValueError) saying what was read."""
    return parse_money(text)


class HouseholdPlanWidget(QWidget):
    changed = Signal()
    saved = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.household_id: int | None = None
        self.year = ctx.year
        self.dirty = False
        self._loading = False
        self._assessment = None
        self._item_ids: list[int | None] = []

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.result_combo = QComboBox()
        self.result_combo.currentIndexChanged.connect(self._mark)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.horizontalHeader().setSectionResizeMode(C_CONTENT, QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(lambda _i: self._on_edit())
        add = QPushButton("Thêm giải pháp")
        add.clicked.connect(lambda: self.add_item(PlanItem(self._measures[0].code) if self._measures else None))
        remove = QPushButton("Xóa dòng")
        remove.clicked.connect(self.remove_selected)

        self.suggestions = QListWidget()
        self.add_suggested = QPushButton("Thêm các giải pháp gợi ý đã chọn")
        self.add_suggested.clicked.connect(self.add_checked_suggestions)
        self.unaddressed = QLabel()
        self.unaddressed.setWordWrap(True)
        self.helpers = QListWidget()
        self.helpers.itemChanged.connect(lambda _i: self._mark())
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020")
        self.save_button = QPushButton("Lưu kế hoạch của hộ")
        self.save_button.clicked.connect(self.save)

        top = QFormLayout()
        top.addRow(self.summary)
        top.addRow("Dự kiến kết quả cuối năm:", self.result_combo)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        items_box = QGroupBox("Giải pháp hỗ trợ trong năm")
        items_layout = QVBoxLayout(items_box)
        items_layout.addWidget(self.table)
        items_layout.addLayout(buttons)
        items_layout.addWidget(self.unaddressed)
        side = QVBoxLayout()
        sug_box = QGroupBox("Giải pháp gợi ý (theo thiếu hụt, nguyên nhân, nhu cầu)")
        sug_layout = QVBoxLayout(sug_box)
        sug_layout.addWidget(self.suggestions)
        sug_layout.addWidget(self.add_suggested)
        helpers_box = QGroupBox("Người/tổ chức giúp đỡ")
        QVBoxLayout(helpers_box).addWidget(self.helpers)
        side.addWidget(sug_box)
        side.addWidget(helpers_box)
        body = QHBoxLayout()
        body.addWidget(items_box, 3)
        body.addLayout(side, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(body)
        layout.addWidget(self.message)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.save_button)
        layout.addLayout(bottom)
        self._measures = support_measures(ctx.db)
        self._funding = funding_sources(ctx.db)
        self.setEnabled(False)

    # ------------------------------------------------------------ loading

    def load(self, household_id: int | None, year: int) -> None:
        """Show the plan of ``household_id`` for ``year``; ``None`` (a household not yet saved)
        shows an explanation and disables editing."""
        self._loading = True
        self.household_id, self.year = household_id, year
        self._measures = support_measures(self.ctx.db)
        self._funding = funding_sources(self.ctx.db)
        self.table.setRowCount(0)
        self._item_ids = []
        self.message.clear()
        self._assessment = get_assessment(self.ctx.db, household_id, year) if household_id else None
        a = self._assessment
        self.result_combo.clear()
        if household_id is None:
            self.summary.setText("Lưu hộ trước khi lập kế hoạch hỗ trợ.")
        elif a is None:
            self.summary.setText(f"Hộ chưa có kết quả rà soát năm {year}.")
        else:
            std = self.ctx.standards.get(a.standard_id)
            names = {i.code: i.name for i in std.indicators}
            lacks = ", ".join(f"{c} {names.get(c, '')}" for c in a.deprived) or "không"
            self.summary.setText(f"Năm {year}: {CLASSIFICATION_LABELS.get(a.classification, '')} — "
                                 f"thiếu hụt: {lacks}")
            for code in RESULTS_FOR_CLASSIFICATION.get(a.classification, ("",)):
                self.result_combo.addItem(EXPECTED_RESULT_LABELS[code] or "(chưa xác định)", code)
            current, _note = expected_result(self.ctx.db, household_id, year)
            self.result_combo.setCurrentIndex(max(0, self.result_combo.findData(current)))
            for it in plan_items(self.ctx.db, household_id, year):
                self.add_item(it)
        self._load_helpers()
        self.setEnabled(household_id is not None and a is not None)
        self._loading = False
        self.dirty = False
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
            self.table.setItem(row, col, QTableWidgetItem(value))
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

    def items(self) -> list[PlanItem]:
        """The rows as plan items; a malformed amount or date raises ValueError naming the row."""
        out = []
        for row in range(self.table.rowCount()):
            try:
                amount = parse_amount(self._text(row, C_AMOUNT))
                actual = parse_amount(self._text(row, C_ACTUAL))
            except ValueError as exc:
                raise ValueError(f"Dòng {row + 1}: kinh phí phải là số đồng — {exc}") from exc
            date_text = self._text(row, C_DATE)
            try:
                date = parse_date(date_text).isoformat() if date_text else ""
            except ValueError as exc:
                raise ValueError(f"Dòng {row + 1}: ngày thực hiện '{date_text}' không hợp lệ (dd/mm/yyyy).") from exc
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
        if self._loading:
            return
        self.dirty = True
        self.changed.emit()

    def has_changes(self) -> bool:
        return self.dirty

    # ------------------------------------------------------------ saving

    def checked_helper_ids(self) -> list[int]:
        return [self.helpers.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.helpers.count())
                if self.helpers.item(i).checkState() == Qt.CheckState.Checked]

    def save_for(self, household_id: int) -> bool:
        """Called by the household editor right after it saved the household: a new household
        gets its id here; pending plan edits are written, an untouched plan writes nothing."""
        if self.household_id != household_id:
            self.load(household_id, self.year)
            return True
        return self.save() if self.dirty else True

    def save(self) -> bool:
        """Write items, helpers and expected result; on a problem show it and write nothing."""
        if self.household_id is None or self._assessment is None:
            return False
        db = self.ctx.db
        try:
            items = self.items()
            save_household_plan(db, self.household_id, self.year, items, self.checked_helper_ids(),
                                self.result_combo.currentData() or "")
        except (ValidationError, ValueError) as exc:
            self.message.setText(str(exc))
            return False
        for row, it in enumerate(items):
            self._item_ids[row] = it.id
        self.message.clear()
        self.dirty = False
        self.saved.emit()
        self.ctx.notify_changed()
        return True
