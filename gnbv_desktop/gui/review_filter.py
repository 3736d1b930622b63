"""The household list's year-cycle filter: households still to review, each movement of a closed
review, and the households that recently escaped poverty — each with its count."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QWidget

from gnbv_desktop.core.review import RECENTLY_ESCAPED_LABEL, REVIEW_STATUS_LABELS, TRANSITION_LABELS, TRANSITIONS
from gnbv_desktop.core.text import format_number
from gnbv_desktop.gui.context import AppContext
from gnbv_desktop.gui.household_model import HouseholdTableModel
from gnbv_desktop.store.review import household_transitions, recently_escaped, review_status_of

ALL = "Mọi hộ (rà soát, biến động)"
RECENT = "recently_escaped"


class ReviewFilter(QComboBox):
    """Put it next to the list's other filters; it narrows ``model`` and then calls ``changed``."""

    def __init__(self, ctx: AppContext, model: HouseholdTableModel, changed: Callable[[], None],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.model, self.changed = ctx, model, changed
        self._groups: dict[str, set[int]] = {}
        self.setToolTip("Lọc theo kết quả rà soát và biến động hộ nghèo, hộ cận nghèo của năm")
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(16)
        self.currentIndexChanged.connect(self._apply)
        ctx.year_changed.connect(lambda _y: self.refresh())
        ctx.data_changed.connect(self.refresh)
        self._fill()

    def refresh(self) -> None:
        """Recount the groups for the selected year, keeping the chosen one, and filter again."""
        self._fill()
        self._apply()

    def _fill(self) -> None:
        year, db = self.ctx.year, self.ctx.db
        groups: dict[str, set[int]] = {k: set() for k in (*REVIEW_STATUS_LABELS, *TRANSITIONS, RECENT)}
        for hid, status in review_status_of(db, year).items():
            groups[status].add(hid)
        for hid, kind in household_transitions(db, year).items():
            groups.setdefault(kind, set()).add(hid)
        on = min(_dt.date.today(), _dt.date(year, 12, 31))
        groups[RECENT] = set(recently_escaped(db, on))
        self._groups = groups
        labels = {**REVIEW_STATUS_LABELS, **TRANSITION_LABELS, RECENT: RECENTLY_ESCAPED_LABEL}
        chosen = self.currentData()
        self.blockSignals(True)
        self.clear()
        self.addItem(ALL, None)
        for key, ids in groups.items():
            self.addItem(f"{labels[key]} ({format_number(len(ids))})", key)
        self.setCurrentIndex(0 if chosen is None else max(0, self.findData(chosen)))
        self.blockSignals(False)

    def select(self, key: str | None) -> None:
        """Choose a group by key (a review state, a movement, ``recently_escaped``) or None for all."""
        self.setCurrentIndex(0 if key is None else max(0, self.findData(key)))

    def _apply(self) -> None:
        key = self.currentData()
        self.model.set_cycle_filter(None if key is None else set(self._groups.get(key, set())))
        self.changed()
