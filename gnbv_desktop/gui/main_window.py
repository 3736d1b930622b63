"""The main window: navigation on the left, one page at a time, the year selector on top.

It opens inside the screen (maximised on a 1366×768 laptop), remembers its geometry and the
splitters of its pages, and carries the Trợ giúp menu: the user guide (F1) and Giới thiệu.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from gnbv_desktop import __version__
from gnbv_desktop.gui.context import AppContext
from gnbv_desktop.gui.pages.households_page import HouseholdsPage
from gnbv_desktop.gui.window_state import (
    fit_into_screen,
    restore_geometry,
    restore_splitter,
    restore_splitters,
    save_geometry,
    save_splitter,
    save_splitters,
)
from gnbv_desktop.store.settings import is_aggregate

SETTINGS_KEY = "cua-so-chinh"
DEFAULT_SIZE = (1280, 800)

# Pages of the navigation other than the household list, as (module, class, title). A module is
# imported only when its page is first shown, so neither PDF and Excel libraries nor the overview's
# charts delay the list the window opens on.
OVERVIEW_PAGE = ("gnbv_desktop.gui.pages.overview_page", "OverviewPage", "Tổng quan")
SETTINGS_PAGE = ("gnbv_desktop.gui.pages.settings_page", "SettingsPage", "Cài đặt")
FEATURE_PAGES = [
    ("gnbv_desktop.gui.pages.plans_page", "PlansPage", "Kế hoạch hỗ trợ"),
    ("gnbv_desktop.gui.pages.helpers_page", "HelpersPage", "Người giúp đỡ"),
    ("gnbv_desktop.gui.pages.reports_page", "ReportsPage", "Báo cáo & In"),
    ("gnbv_desktop.gui.pages.sync_page", "SyncPage", "Đồng bộ"),
]


def _feature_page(module_name: str, class_name: str) -> Callable[[AppContext], QWidget]:
    def build(ctx: AppContext) -> QWidget:
        return getattr(importlib.import_module(module_name), class_name)(ctx)

    return build


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext):
        super().__init__()
        self.ctx = ctx
        self.nav = QListWidget()
        self.nav.setMinimumWidth(140)
        self.nav.setStyleSheet("QListWidget { font-size: 11pt; } QListWidget::item { padding: 8px; }")
        self.stack = QStackedWidget()

        self.aggregate_mode = is_aggregate(ctx.db)
        # Pages are built the first time they are shown: each reads its data when built, and a
        # merged commune's 20,000 households should not delay the window for pages not yet opened.
        self._factories: list[Callable[[], QWidget]] = []
        self._built: dict[int, QWidget] = {}
        pages: list[tuple[str, Callable[[AppContext], QWidget]]]
        if self.aggregate_mode:
            # The upper level's database holds other communes' packages, not a household list.
            pages = [("Đồng bộ", _feature_page("gnbv_desktop.gui.pages.sync_page", "SyncPage"))]
        else:
            module, cls, title = OVERVIEW_PAGE
            pages = [(title, _feature_page(module, cls)), (HouseholdsPage.title, HouseholdsPage)]
            pages += [(title, _feature_page(module, cls)) for module, cls, title in [*FEATURE_PAGES, SETTINGS_PAGE]]
        for title, build in pages:
            self._add_page(title, build)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([180, DEFAULT_SIZE[0] - 180])
        self.setCentralWidget(self.splitter)
        self.statusBar()  # always there, so messages have a place from the start
        self.nav.currentRowChanged.connect(self._show_row)

        bar = QToolBar("Năm")
        bar.setMovable(False)
        bar.addWidget(QLabel("  Năm rà soát / kế hoạch: "))
        self.year_box = QSpinBox()
        self.year_box.setRange(2016, 2035)
        self.year_box.setValue(ctx.year)
        self.year_box.setGroupSeparatorShown(False)
        self.year_box.valueChanged.connect(self._change_year)
        bar.addWidget(self.year_box)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)

        quit_action = QAction("Thoát", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        self.addAction(quit_action)
        help_menu = self.menuBar().addMenu("&Trợ giúp")
        self.guide_action = help_menu.addAction("Hướng dẫn sử dụng")
        self.guide_action.setShortcut(QKeySequence(Qt.Key.Key_F1))
        self.guide_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.guide_action.triggered.connect(self.show_guide)
        self.about_action = help_menu.addAction("Giới thiệu GNBV Desktop")
        self.about_action.triggered.connect(self.show_about)
        self.guide_window: QWidget | None = None
        restore_splitter(self.splitter, f"{SETTINGS_KEY}/navigation")

        ctx.data_changed.connect(self._update_title)
        self._update_title()
        self.show_page(self.titles[0] if self.aggregate_mode else HouseholdsPage.title)

    def _add_page(self, title: str, build: Callable[[AppContext], QWidget]) -> None:
        self._factories.append(lambda: build(self.ctx))
        self.stack.addWidget(QWidget())  # stands in until the page is first shown
        QListWidgetItem(title, self.nav)

    def _show_row(self, row: int) -> None:
        self.stack.setCurrentWidget(self.page_at(row))

    def page_at(self, row: int) -> QWidget:
        """The page of navigation row ``row``, built on first use."""
        page = self._built.get(row)
        if page is None:
            page = self._factories[row]()
            if isinstance(page, HouseholdsPage):
                page.status_changed.connect(lambda text: self.statusBar().showMessage(text))
            old = self.stack.widget(row)
            self.stack.insertWidget(row, page)
            self.stack.removeWidget(old)
            old.deleteLater()
            page.setGeometry(self.stack.rect())  # its real size first, so saved splitter positions apply exactly
            restore_splitters(page, self._page_key(row))
            self._built[row] = page
        return page

    def _page_key(self, row: int) -> str:
        return f"{SETTINGS_KEY}/trang{row}"

    # ---- fitting the screen, remembering the layout ---------------------------------------------
    def show_fitted(self) -> None:
        """Show at the saved geometry if it is still on a screen; else fit (or maximise on small screens)."""
        if restore_geometry(self, SETTINGS_KEY):
            self.show()
        elif fit_into_screen(self, *DEFAULT_SIZE):
            self.showMaximized()
        else:
            self.show()

    def save_layout(self) -> None:
        save_geometry(self, SETTINGS_KEY)
        save_splitter(self.splitter, f"{SETTINGS_KEY}/navigation")
        for row, page in self._built.items():
            save_splitters(page, self._page_key(row))

    # ---- Trợ giúp ---------------------------------------------------------------------------------
    def show_guide(self) -> QWidget:
        from gnbv_desktop.gui.guide_window import GuideWindow

        if self.guide_window is None:
            self.guide_window = GuideWindow(self)
        self.guide_window.show()
        self.guide_window.raise_()
        self.guide_window.activateWindow()
        return self.guide_window

    def show_about(self) -> QWidget:
        from gnbv_desktop.gui.about_dialog import AboutDialog

        dialog = AboutDialog(self.ctx.db_path, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    @property
    def pages(self) -> dict[str, QWidget]:
        """Title → page for every page built so far."""
        return {self.nav.item(row).text(): page for row, page in self._built.items()}

    @property
    def titles(self) -> list[str]:
        return [self.nav.item(row).text() for row in range(self.nav.count())]

    @property
    def households(self) -> HouseholdsPage:
        return self.page_at(self.titles.index(HouseholdsPage.title))  # type: ignore[return-value]

    def show_page(self, title: str) -> QWidget:
        row = self.titles.index(title)
        page = self.page_at(row)
        self.nav.setCurrentRow(row)
        return page

    def _pages_may_leave(self) -> bool:
        """Every page with unsaved edits (``confirm_leave``, see gui/unsaved_changes.py) asks
        Lưu / Không lưu / Hủy; False when the official chose Hủy on any of them."""
        for page in self._built.values():
            confirm = getattr(page, "confirm_leave", None)
            if confirm is not None and not confirm():
                return False
        return True

    def _change_year(self, year: int) -> None:
        """Another year reloads every page: unsaved edits are asked about first, and Hủy keeps the
        year (and the edits) as they were."""
        if year == self.ctx.year:
            return
        if not self._pages_may_leave():
            self.year_box.blockSignals(True)
            self.year_box.setValue(self.ctx.year)
            self.year_box.blockSignals(False)
            return
        self.ctx.set_year(year)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        """Pages with unsaved edits ask first; Hủy keeps the window open. The layout is
        remembered when the window does close."""
        if not self._pages_may_leave():
            event.ignore()
            return
        self.save_layout()
        super().closeEvent(event)

    def _update_title(self) -> None:
        s = self.ctx.settings()
        if self.aggregate_mode:
            where = f"{s.commune_name or 'cấp trên'} — chế độ tổng hợp các xã"
        else:
            where = f"{s.commune_name}, {s.province_name}" if s.commune_name else "chưa khai báo"
        self.setWindowTitle(f"GNBV Desktop {__version__} — {where}")
