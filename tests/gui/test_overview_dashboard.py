"""Tổng quan: charts agree with the database, and clicking a bar opens the households behind it."""

from __future__ import annotations

from PySide6.QtCore import Qt

from gnbv_desktop.gui.main_window import MainWindow
from gnbv_desktop.store.villages import list_villages


def _click(qtbot, chart, bar_key, series_key):
    rect = next(r for r, b, s in chart.segment_rects() if b == bar_key and s == series_key)
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())


def test_chart_figures_and_clicks_open_the_filtered_list(qtbot, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    page = window.show_page("Tổng quan")
    db = ctx.db
    village = list_villages(db)[0]
    poor = db.execute(
        "SELECT COUNT(*) FROM assessments a JOIN households h ON h.id = a.household_id AND h.deleted = 0 "
        "WHERE a.year = 2026 AND a.classification = 'poor' AND h.village_id = ?", [village.id]).fetchone()[0]
    bar = next(b for b in page.village_chart.bars if b.key == village.id)
    assert bar.values["poor"] == poor > 0
    total_row = page.table.rowCount() - 1
    assert page.table.item(total_row, 0).text() == "Tổng cộng"
    listed = db.execute("SELECT COUNT(*) FROM assessments a JOIN households h ON h.id = a.household_id "
                        "AND h.deleted = 0 WHERE a.year = 2026").fetchone()[0]
    assert page.table.item(total_row, 1).text() == str(listed)

    _click(qtbot, page.village_chart, village.id, "poor")
    households = window.stack.currentWidget()
    assert households is window.households
    assert households.model.rowCount() == poor
    assert all(r.classification == "poor" and r.village_id == village.id for r in households.model.shown_rows())

    window.show_page("Tổng quan")
    deprived = {r[0] for r in db.execute(
        "SELECT a.household_id FROM assessments a JOIN households h ON h.id = a.household_id AND h.deleted = 0 "
        "WHERE a.year = 2026 AND a.classification IN ('poor', 'near_poor') "
        "AND EXISTS (SELECT 1 FROM json_each(a.deprived) WHERE value = '2.2')")}
    assert next(b for b in page.deprived_chart.bars if b.key == "2.2").values["deprived"] == len(deprived)
    _click(qtbot, page.deprived_chart, "2.2", "deprived")
    assert {r.id for r in window.households.model.shown_rows()} == deprived
    assert window.households.class_filter.currentIndex() == 0 and window.households.village_filter.currentIndex() == 0


def test_rates_say_when_residents_are_missing(qtbot, ctx):
    from gnbv_desktop.gui.pages.overview_page import OverviewPage

    ctx.db.execute("DELETE FROM resident_households")
    page = OverviewPage(ctx)
    qtbot.addWidget(page)
    assert "chưa có tổng số hộ dân cư" in page.rate_label.text()
    assert "chưa có tổng số hộ dân cư" in page.cards["poor"].text()
    assert page.rate_chart.bars == []
