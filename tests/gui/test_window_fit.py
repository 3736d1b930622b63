"""The main window at a 1366×768 laptop: every page's buttons on screen, key columns readable,
geometry and splitters remembered, a saved geometry off every screen ignored."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication

from gnbv_desktop.gui.main_window import MainWindow
from gnbv_desktop.gui.pages.helpers_page import HELPER_COLUMNS
from gnbv_desktop.gui.window_state import available_geometry, ui_settings
from tests.gui.screen_fit import LAPTOP_AVAILABLE, assert_buttons_inside


def _at_laptop_size(window: MainWindow) -> None:
    """What a maximised window gets on a 1366×768 screen with a taskbar: its frame fills the area."""
    window.show()
    window.setGeometry(LAPTOP_AVAILABLE)
    QApplication.processEvents()
    frame, inner = window.frameGeometry(), window.geometry()
    window.setGeometry(LAPTOP_AVAILABLE.adjusted(inner.left() - frame.left(), inner.top() - frame.top(),
                                                 inner.right() - frame.right(), inner.bottom() - frame.bottom()))
    QApplication.processEvents()
    assert window.frameGeometry() == LAPTOP_AVAILABLE, "the window insists on being larger than the screen"


def test_every_page_keeps_its_buttons_on_a_laptop_screen(qtbot, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    _at_laptop_size(window)
    for title in window.titles:
        window.show_page(title)
        QApplication.processEvents()
        assert_buttons_inside(window, LAPTOP_AVAILABLE)
    assert window.statusBar().isVisible()
    assert LAPTOP_AVAILABLE.contains(QRect(window.statusBar().mapToGlobal(window.statusBar().rect().topLeft()),
                                           window.statusBar().size()))


def test_helpers_key_columns_are_readable_without_scrolling(qtbot, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    _at_laptop_size(window)
    page = window.show_page("Người giúp đỡ")
    QApplication.processEvents()
    table = page.table
    viewport = table.viewport().width()
    assert table.horizontalScrollBar().value() == 0
    for name in ("Số hộ", "Giải pháp\nhoàn thành"):
        col = HELPER_COLUMNS.index(name)
        right = table.columnViewportPosition(col) + table.columnWidth(col)
        assert right <= viewport, f"{name} ends at {right}, the list shows {viewport} pixels"
        header_needs = table.horizontalHeader().sectionSizeFromContents(col).width()
        assert table.columnWidth(col) >= header_needs
        for row in range(table.rowCount()):
            item = table.item(row, col)
            assert table.fontMetrics().horizontalAdvance(item.text()) < table.columnWidth(col)
    name_col = HELPER_COLUMNS.index("Tên người/tổ chức")
    assert table.columnWidth(name_col) >= 200
    longest = max((table.item(r, name_col) for r in range(table.rowCount())), key=lambda i: len(i.text()))
    assert longest.toolTip() == longest.text()  # elided names are whole in the tooltip


def test_window_opens_inside_the_screen_and_remembers_its_layout(qtbot, ctx):
    area = available_geometry()
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show_fitted()
    assert area.contains(window.geometry()) or window.isMaximized()
    helpers = window.show_page("Người giúp đỡ")
    window.splitter.setSizes([150, 600])
    helpers.splitter.setSizes([200, 300])
    window.showNormal()
    window.setGeometry(QRect(area.left() + 10, area.top() + 10, 640, 480))
    QApplication.processEvents()
    saved = window.geometry()
    nav_width, top_height = window.splitter.sizes()[0], helpers.splitter.sizes()[0]
    window.close()

    again = MainWindow(ctx)
    qtbot.addWidget(again)
    again.show_fitted()
    assert again.geometry().size() == saved.size()
    assert again.splitter.sizes()[0] == nav_width
    assert again.show_page("Người giúp đỡ").splitter.sizes()[0] == top_height


def test_geometry_off_every_screen_is_not_restored(qtbot, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.setGeometry(QRect(5000, 4000, 700, 500))  # a second monitor that is no longer there
    window.close()
    assert ui_settings().value("cua-so-chinh/geometry") is not None
    again = MainWindow(ctx)
    qtbot.addWidget(again)
    again.show_fitted()
    assert available_geometry(again).intersects(again.geometry())
    assert again.geometry().left() < 5000
