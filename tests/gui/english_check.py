"""Finds Qt's English standard texts in visible widgets (the list comes from qt_vi.ts's sources)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import cache

from PySide6.QtCore import QAbstractListModel, QLocale, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QMenuBar,
    QTabBar,
    QWidget,
)

from gnbv_desktop.paths import resource_path


def normalise(text: str) -> str:
    return text.replace("&", "").strip().rstrip(".…:").strip()


@cache
def english_texts() -> frozenset[str]:
    """Every English source text Qt may show (where our Vietnamese differs), plus month and day names."""
    root = ET.parse(resource_path("translations", "qt_vi.ts")).getroot()
    texts = set()
    for message in root.iter("message"):
        source, translation = message.findtext("source") or "", message.findtext("translation") or ""
        if normalise(source) != normalise(translation):
            texts.add(normalise(source))
    english = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    for fmt in (QLocale.FormatType.LongFormat, QLocale.FormatType.ShortFormat):
        texts |= {english.monthName(m, fmt) for m in range(1, 13)}
        texts |= {english.standaloneMonthName(m, fmt) for m in range(1, 13)}
        texts |= {english.dayName(d, fmt) for d in range(1, 8)}
    texts |= {"Yes", "No", "OK", "Cancel", "Back", "Next", "Finish"}
    return frozenset(t for t in texts if t)


def visible_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) for what ``root`` and its visible descendants show: labels, buttons, menus, headers."""
    found: list[tuple[str, str]] = []
    widgets = [root, *root.findChildren(QWidget)]
    for w in widgets:
        if not w.isVisible() and not isinstance(w, QMenu):
            continue
        kind = type(w).__name__
        if w.isWindow() and w.windowTitle():
            found.append((kind + " title", w.windowTitle()))
        if isinstance(w, QAbstractButton):
            found.append((kind, w.text()))
        elif isinstance(w, QLabel):
            found.append((kind, w.text()))
        elif isinstance(w, QGroupBox):
            found.append((kind, w.title()))
        elif isinstance(w, QLineEdit):
            found.append((kind + " placeholder", w.placeholderText()))
        elif isinstance(w, QComboBox):
            found += [(kind, w.itemText(i)) for i in range(w.count())]
        elif isinstance(w, QTabBar):
            found += [(kind, w.tabText(i)) for i in range(w.count())]
        elif isinstance(w, (QMenu, QMenuBar)):
            found += [(kind, a.text()) for a in w.actions()]
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            model = w.model()
            columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(QModelIndex())
            for c in range(columns):
                found.append((kind + " header", str(model.headerData(c, Qt.Orientation.Horizontal) or "")))
            for r in range(min(model.rowCount(QModelIndex()), 8)):
                for c in range(columns):
                    found.append((kind + " cell", str(model.index(r, c).data() or "")))
    return [(where, text) for where, text in found if text]


def english_in(root: QWidget) -> list[tuple[str, str]]:
    english = english_texts()
    return [(where, text) for where, text in visible_texts(root) if normalise(text) in english]
