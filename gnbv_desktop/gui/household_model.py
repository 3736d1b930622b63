"""Table model of the year's household list.

The model keeps one lightweight :class:`HouseholdRow` per household (read in one query) and a
list of the rows currently shown; filtering and sorting only rebuild that list, so typing in
the search box stays fast with 20,000 households and no widget is created per row.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from gnbv_desktop.core.standards import CLASSIFICATION_LABELS, NEAR_POOR, POOR
from gnbv_desktop.core.text import fold, format_number
from gnbv_desktop.store.households import HouseholdRow

COLUMNS = [
    ("code", "Mã hộ"),
    ("head_name", "Chủ hộ"),
    ("village", "Thôn"),
    ("classification", "Phân loại"),
    ("size", "Số nhân khẩu"),
    ("income", "Thu nhập BQ (đ/người/tháng)"),
    ("deprived", "Số chỉ số thiếu hụt"),
]
_CLASS_COLOURS = {POOR: QColor("#fde2e1"), NEAR_POOR: QColor("#fff4d6")}
_NUMERIC = {"size", "income", "deprived"}

Index = QModelIndex | QPersistentModelIndex


class HouseholdTableModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._all: list[HouseholdRow] = []
        self._shown: list[HouseholdRow] = []
        self._text = ""
        self._village_id: int | None = None
        self._classification: str | None = None
        self._only_ids: set[int] | None = None
        self._cycle_ids: set[int] | None = None  # the year-cycle filter (review state, movement)
        self._sort: tuple[int, Qt.SortOrder] = (1, Qt.SortOrder.AscendingOrder)

    # loading and filtering -------------------------------------------------
    def set_rows(self, rows: list[HouseholdRow]) -> None:
        self.beginResetModel()
        self._all = rows
        self._sort_all()
        self._apply()
        self.endResetModel()

    def set_filter(
        self,
        text: str | None = None,
        village_id: int | None | type[...] = ...,
        classification: str | None | type[...] = ...,
        only_ids: set[int] | None | type[...] = ...,
    ) -> None:
        """Change any of the filters; arguments left out keep their current value."""
        refine = False
        if text is not None:
            # Typing one more letter only narrows the list: search the rows already shown.
            refine = (fold(text).startswith(fold(self._text)) and village_id is ... and classification is ...
                      and only_ids is ...)
            self._text = text
        if village_id is not ...:
            self._village_id = village_id  # type: ignore[assignment]
        if classification is not ...:
            self._classification = classification  # type: ignore[assignment]
        if only_ids is not ...:
            self._only_ids = only_ids  # type: ignore[assignment]
        self.beginResetModel()
        self._apply(self._shown if refine else None)
        self.endResetModel()

    def set_cycle_filter(self, ids: set[int] | None) -> None:
        """Show only ``ids`` (households in one review state or movement); None shows all."""
        self._cycle_ids = ids
        self.beginResetModel()
        self._apply()
        self.endResetModel()

    def _apply(self, among: list[HouseholdRow] | None = None) -> None:
        """Rebuild the shown rows from ``among`` (default: all rows, kept in display order so
        filtering never sorts)."""
        words = fold(self._text).split()
        v, c, ids, cycle = self._village_id, self._classification, self._only_ids, self._cycle_ids
        if not words and v is None and not c and ids is None and cycle is None:
            self._shown = list(self._all)
            return
        shown = []
        for r in self._all if among is None else among:
            if v is not None and r.village_id != v:
                continue
            if c and r.classification != c:
                continue
            if ids is not None and r.id not in ids:
                continue
            if cycle is not None and r.id not in cycle:
                continue
            if words and not all(w in r.search_key for w in words):
                continue
            shown.append(r)
        self._shown = shown

    def _sort_all(self) -> None:
        column, order = self._sort
        key = COLUMNS[column][0]
        sort_key: Callable[[HouseholdRow], Any]
        if key == "head_name":
            sort_key = attrgetter("sort_key")
        elif key == "village":
            sort_key = attrgetter("village_id", "sort_key")
        elif key == "deprived":
            def sort_key(r: HouseholdRow):
                return len(r.deprived)
        elif key == "income":
            def sort_key(r: HouseholdRow):
                return r.income if r.income is not None else -1
        else:
            sort_key = attrgetter(key)
        self._all.sort(key=sort_key, reverse=order == Qt.SortOrder.DescendingOrder)

    # Qt model API ------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section][1]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r = self._shown[index.row()]
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            if key == "classification":
                return CLASSIFICATION_LABELS.get(r.classification, "Chưa đánh giá")
            if key == "income":
                return format_number(r.income)
            if key == "deprived":
                return str(len(r.deprived))
            if key == "size":
                return str(r.size)
            return getattr(r, key)
        if role == Qt.ItemDataRole.TextAlignmentRole and key in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and key == "classification":
            colour = _CLASS_COLOURS.get(r.classification)
            return QBrush(colour) if colour else None
        if role == Qt.ItemDataRole.ToolTipRole and key == "deprived" and r.deprived:
            return "Thiếu hụt: " + ", ".join(r.deprived)
        if role == Qt.ItemDataRole.UserRole:
            return r.id
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._sort_all()
        self._apply()
        self.layoutChanged.emit()

    # helpers for the page ----------------------------------------------------
    def row_at(self, row: int) -> HouseholdRow:
        return self._shown[row]

    def row_of_id(self, household_id: int) -> int | None:
        for i, r in enumerate(self._shown):
            if r.id == household_id:
                return i
        return None

    @property
    def total(self) -> int:
        return len(self._all)

    def shown_rows(self) -> list[HouseholdRow]:
        return list(self._shown)
