"""From a chart to the household list: open Hộ gia đình with the filters a click stands for.

The overview does not own the household page; it asks its main window for the page by title and
sets the page's own filter widgets, as the official would."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def open_households(source: QWidget, *, village_id: int | None = None, classification: str | None = None,
                    unassisted: bool = False, review_key: str | None = None, ids: set[int] | None = None) -> QWidget | None:
    """Show the household list filtered; returns the page (None outside a main window)."""
    window = source.window()
    if not hasattr(window, "show_page"):
        return None
    page = window.show_page("Hộ gia đình")
    page.search.clear()
    for combo, value in ((page.village_filter, village_id), (page.class_filter, classification)):
        combo.setCurrentIndex(0 if value is None else max(0, combo.findData(value)))
    page.no_helper.setChecked(unassisted)
    page.review_filter.select(review_key)
    if ids is not None:
        page.model.set_cycle_filter(ids)
        page.review_filter.changed()
    return page
