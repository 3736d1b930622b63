"""What every page shares: the database, the standards in force there, the selected year, and
the background job runner.

Pages receive an :class:`AppContext` instead of reaching for globals, so a test builds a single
page over a temporary database without the main window.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from gnbv_desktop.gui.job_runner import JobRunner
from gnbv_desktop.store.settings import CommuneSettings, load_settings

if TYPE_CHECKING:
    from sqlite_utils import Database

    from gnbv_desktop.core.standard_set import StandardSet


class AppContext(QObject):
    """Database owned by the UI thread, the year that scopes every page, and change signals."""

    year_changed = Signal(int)
    data_changed = Signal()  # households, plans or settings were written; pages reload

    def __init__(self, db: Database, db_path: Path, year: int | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.db = db
        self.db_path = Path(db_path)
        self._year = year or _dt.date.today().year
        self.runner = JobRunner(self.db_path, self)

    @property
    def year(self) -> int:
        return self._year

    def set_year(self, year: int) -> None:
        if year != self._year:
            self._year = year
            self.year_changed.emit(year)

    @property
    def standards(self) -> StandardSet:
        """The standards in force in this database (read afresh: a reference import by a worker
        is seen at once); ``standards.warning`` says why received ones were set aside, if so.
        Imported here: the app opens on the household list, which does not need them."""
        from gnbv_desktop.store.standard_store import standards_in_force

        return standards_in_force(self.db)

    def settings(self) -> CommuneSettings:
        return load_settings(self.db)

    def notify_changed(self) -> None:
        self.data_changed.emit()
