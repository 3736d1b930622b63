"""The main window: navigation on the left, one page at a time, the year selector on top."""

from __future__ import annotations

import importlib

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSpinBox,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from gnbv_desktop import __version__
from gnbv_desktop.gui.context import AppContext
from gnbv_desktop.gui.pages.households_page import HouseholdsPage
from gnbv_desktop.gui.pages.overview_page import OverviewPage
from gnbv_desktop.gui.pages.settings_page import SettingsPage

# Pages of the navigation, in order: (module, class). Feature pages load when their module exists.
FEATURE_PAGES = [
    ("gnbv_desktop.gui.pages.plans_page", "PlansPage"),
    ("gnbv_desktop.gui.pages.helpers_page", "HelpersPage"),
    ("gnbv_desktop.gui.pages.reports_page", "ReportsPage"),
    ("gnbv_desktop.gui.pages.sync_page", "SyncPage"),
]


def _load_feature_pages() -> list[type]:
    classes = []
    for module_name, class_name in FEATURE_PAGES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        classes.append(getattr(module, class_name))
    return classes


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext):
        super().__init__()
        self.ctx = ctx
        self.resize(1280, 800)
        self.nav = QListWidget()
        self.nav.setFixedWidth(190)
        self.nav.setStyleSheet("QListWidget { font-size: 11pt; } QListWidget::item { padding: 8px; }")
        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}

        self.overview = OverviewPage(ctx)
        self.households = HouseholdsPage(ctx)
        self.households.status_changed.connect(lambda text: self.statusBar().showMessage(text))
        self.settings_page = SettingsPage(ctx)
        pages: list[QWidget] = [self.overview, self.households]
        pages += [cls(ctx) for cls in _load_feature_pages()]
        pages.append(self.settings_page)
        for page in pages:
            self._add_page(page)

        central = QWidget()
        lay = QHBoxLayout(central)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.nav)
        lay.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)

        bar = QToolBar("Năm")
        bar.setMovable(False)
        bar.addWidget(QLabel("  Năm rà soát / kế hoạch: "))
        self.year_box = QSpinBox()
        self.year_box.setRange(2016, 2035)
        self.year_box.setValue(ctx.year)
        self.year_box.setGroupSeparatorShown(False)
        self.year_box.valueChanged.connect(ctx.set_year)
        bar.addWidget(self.year_box)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)

        quit_action = QAction("Thoát", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        self.addAction(quit_action)

        ctx.data_changed.connect(self._update_title)
        self._update_title()
        self.show_page(HouseholdsPage.title)

    def _add_page(self, page: QWidget) -> None:
        title = getattr(page, "title", page.__class__.__name__)
        self.pages[title] = page
        self.stack.addWidget(page)
        QListWidgetItem(title, self.nav)

    def show_page(self, title: str) -> QWidget:
        page = self.pages[title]
        self.nav.setCurrentRow(self.stack.indexOf(page))
        return page

    def _update_title(self) -> None:
        s = self.ctx.settings()
        where = f"{s.commune_name}, {s.province_name}" if s.commune_name else "chưa khai báo"
        self.setWindowTitle(f"GNBV Desktop {__version__} — {where}")
