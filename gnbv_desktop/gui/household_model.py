"""Table model of the year's household list.

The model holds the list as columns (:class:`HouseholdColumns`, one query) and two lists of row
numbers: every row in display order, and the rows currently shown. Sorting reorders the numbers,
filtering picks among them; no Python object is made per household and a deficiency list is parsed
only for a tooltip, so the list of a merged commune (20,000 households) shows quickly and typing in
the search box stays fast.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from gnbv_desktop.core.classifications import CLASSIFICATION_LABELS, NEAR_POOR, POOR
from gnbv_desktop.core.text import fold, format_number
from gnbv_desktop.store.household_list import HouseholdColumns, HouseholdRow

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
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_UNASSESSED = "Chưa đánh giá"
# Roles as plain numbers: the table asks ``data`` seven roles for each cell it paints (a thousand
# calls a keystroke), and looking a role up on Qt's enum costs more than answering it.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole.value)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_USER = int(Qt.ItemDataRole.UserRole.value)
_CLASSIFICATION_COLUMN = [key for key, _title in COLUMNS].index("classification")
_DEPRIVED_COLUMN = [key for key, _title in COLUMNS].index("deprived")
_NUMERIC_COLUMNS = {i for i, (key, _title) in enumerate(COLUMNS) if key in _NUMERIC}

Index = QModelIndex | QPersistentModelIndex


def _display_of(c: HouseholdColumns) -> list[Callable[[int], str]]:
    """For each column, row number → the text the table shows."""
    code, name, village, classification, size, income, deprived = (
        c.getter(key) for key in ("codes", "head_names", "villages", "classifications", "sizes", "incomes", "deprived_counts"))
    return [
        code,
        name,
        village,
        lambda i: CLASSIFICATION_LABELS.get(classification(i), _UNASSESSED),
        lambda i: str(size(i)),
        lambda i: format_number(income(i)),
        lambda i: str(deprived(i)),
    ]


def _sort_key_of(c: HouseholdColumns, key: str) -> Callable[[int], Any]:
    """Row number → the value a column sorts on (names in Vietnamese order, by their stored key)."""
    if key == "head_name":
        return c.sort_keys.__getitem__
    if key == "village":
        return lambda i: (c.village_ids[i] if c.village_ids[i] is not None else -1, c.sort_keys[i])
    if key == "deprived":
        return c.deprived_counts.__getitem__
    if key == "income":
        return lambda i: c.incomes[i] if c.incomes[i] is not None else -1
    return getattr(c, {"code": "codes", "classification": "classifications", "size": "sizes"}[key]).__getitem__


class HouseholdTableModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._cols = HouseholdColumns([])
        self._display = _display_of(self._cols)
        self._order: list[int] = []  # every row number, in display order
        self._shown: list[int] = []  # the row numbers shown, in display order
        self._positions: dict[int, int] | None = None  # household id → row number, made when first asked
        self._text = ""
        self._village_id: int | None = None
        self._classification: str | None = None
        self._only_ids: set[int] | None = None
        self._cycle_ids: set[int] | None = None  # the year-cycle filter (review state, movement)
        self._sort: tuple[int, Qt.SortOrder] = (1, Qt.SortOrder.AscendingOrder)

    # loading and filtering -------------------------------------------------
    def set_rows(self, columns: HouseholdColumns) -> None:
        self.beginResetModel()
        self._cols = columns
        self._display = _display_of(columns)
        self._positions = None
        self._order = list(range(len(columns)))
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

    def _apply(self, among: list[int] | None = None) -> None:
        """Rebuild the shown rows from ``among`` (default: all rows, kept in display order so
        filtering never sorts). Each filter is one pass over the candidates, the text filter
        last: the cheap tests narrow what the substring tests look at."""
        c = self._cols
        words = fold(self._text).split()
        v, cls, ids, cycle = self._village_id, self._classification, self._only_ids, self._cycle_ids
        rows = self._order if among is None else among
        if v is not None:
            village_ids = c.village_ids
            rows = [i for i in rows if village_ids[i] == v]
        if cls:
            classifications = c.classifications
            rows = [i for i in rows if classifications[i] == cls]
        for wanted in (ids, cycle):
            if wanted is not None:
                household_ids = c.ids
                rows = [i for i in rows if household_ids[i] in wanted]
        keys = c.search_keys
        for word in words:
            rows = [i for i in rows if word in keys[i]]
        self._shown = list(rows) if rows is self._order else rows

    def _sort_all(self) -> None:
        column, order = self._sort
        self._order.sort(key=_sort_key_of(self._cols, COLUMNS[column][0]),
                         reverse=order == Qt.SortOrder.DescendingOrder)

    # Qt model API ------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section][1]
        return None

    def data(self, index: Index, role: int = _DISPLAY):
        if not index.isValid():
            return None
        if role == _DISPLAY:
            return self._display[index.column()](self._shown[index.row()])
        if role == _ALIGNMENT:
            return _RIGHT if index.column() in _NUMERIC_COLUMNS else None
        if role == _BACKGROUND:
            if index.column() != _CLASSIFICATION_COLUMN:
                return None
            # The colour itself: the view makes the brush. Made here, PySide's first QBrush(QColor)
            # resolves QBrush's constructors and their enums, some 6 ms of the start.
            return _CLASS_COLOURS.get(self._cols.classifications[self._shown[index.row()]])
        if role == _TOOLTIP:
            if index.column() != _DEPRIVED_COLUMN:
                return None
            deprived = self._cols.deprived(self._shown[index.row()])
            return "Thiếu hụt: " + ", ".join(deprived) if deprived else None
        if role == _USER:
            return self._cols.ids[self._shown[index.row()]]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._sort_all()
        self._apply()
        self.layoutChanged.emit()

    # helpers for the page ----------------------------------------------------
    def row_at(self, row: int) -> HouseholdRow:
        return self._cols.row(self._shown[row])

    def id_at(self, row: int) -> int:
        return self._cols.ids[self._shown[row]]

    def row_of_id(self, household_id: int) -> int | None:
        if self._positions is None:
            self._positions = {hid: i for i, hid in enumerate(self._cols.ids)}
        position = self._positions.get(household_id)
        if position is None:
            return None
        try:
            return self._shown.index(position)
        except ValueError:
            return None

    @property
    def total(self) -> int:
        return len(self._cols)

    def shown_rows(self) -> list[HouseholdRow]:
        return [self._cols.row(i) for i in self._shown]
