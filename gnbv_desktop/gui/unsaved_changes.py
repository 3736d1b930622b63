"""One way to notice unsaved edits and to ask before they are lost.

A :class:`FormSnapshot` reads every value a person can edit under some widgets (text fields,
combo boxes, check boxes, spin boxes, dates, table cells, list check marks) and compares them
with what was read when the form was loaded. Comparing values, not listening for edit signals,
means a new field is covered without wiring, and typing a value back to what it was is not a
change. :func:`confirm_discard` asks "Lưu / Không lưu / Hủy" with Lưu the default and Esc = Hủy,
so neither Enter nor Esc throws work away.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDateTimeEdit,
    QDoubleSpinBox,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QTableWidget,
    QTextEdit,
    QWidget,
)


def _inside_item_view(widget: QWidget, root: QWidget) -> bool:
    """Cell widgets and open cell editors are read through their table, not on their own."""
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, QAbstractItemView):
            return True
        parent = parent.parentWidget()
    return False


def widget_value(w: QWidget) -> object:
    """What a person set in one editable widget (``None`` for widgets that hold no value)."""
    if isinstance(w, QComboBox):
        return (w.currentData(), w.currentText())
    if isinstance(w, QLineEdit):
        return None if isinstance(w.parentWidget(), (QComboBox, QAbstractSpinBox)) else w.text()
    if isinstance(w, (QTextEdit, QPlainTextEdit)):
        return w.toPlainText()
    if isinstance(w, QAbstractButton):
        return w.isChecked() if w.isCheckable() else None
    if isinstance(w, QDateTimeEdit):
        return w.dateTime().toString(Qt.DateFormat.ISODate)
    if isinstance(w, (QSpinBox, QDoubleSpinBox)):
        return w.value()
    if isinstance(w, QTableWidget):
        return _table_value(w)
    if isinstance(w, QListWidget):
        return tuple(
            (w.item(i).text(), w.item(i).checkState().value) for i in range(w.count())
            if w.item(i).flags() & Qt.ItemFlag.ItemIsUserCheckable
        )
    return None


def _table_value(t: QTableWidget) -> tuple:
    rows = []
    for r in range(t.rowCount()):
        cells = []
        for c in range(t.columnCount()):
            cell = t.cellWidget(r, c)
            item = t.item(r, c)
            cells.append(widget_value(cell) if cell is not None else (item.text() if item else ""))
        rows.append(tuple(cells))
    return tuple(rows)


class FormSnapshot:
    """Values of the editable widgets under ``roots`` at load time, compared with now."""

    def __init__(self, *roots: QWidget, exclude: Iterable[QWidget] = ()):
        self.roots = roots
        self.exclude = set(map(id, exclude))
        self._baseline: tuple | None = None

    def read(self) -> tuple:
        values = []
        for root in self.roots:
            for w in [root, *root.findChildren(QWidget)]:
                if id(w) in self.exclude or _inside_item_view(w, root) or any(
                    id(p) in self.exclude for p in _ancestors(w, root)
                ):
                    continue
                value = widget_value(w)
                if value is not None:
                    values.append((w.objectName(), type(w).__name__, value))
        return tuple(values)

    def mark_clean(self) -> None:
        """The form now shows what is stored (after loading or saving)."""
        self._baseline = self.read()

    def is_dirty(self) -> bool:
        return self._baseline is not None and self.read() != self._baseline


def _ancestors(w: QWidget, root: QWidget) -> Iterable[QWidget]:
    parent = w.parentWidget()
    while parent is not None and parent is not root:
        yield parent
        parent = parent.parentWidget()


class Choice(enum.Enum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


def ask_unsaved(parent: QWidget | None, what: str) -> Choice:
    """"<what> có thay đổi chưa lưu" with Lưu (default, Enter), Không lưu, Hủy (Esc)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Thay đổi chưa lưu")
    box.setText(f"{what} có thay đổi chưa lưu.")
    box.setInformativeText("Lưu các thay đổi trước khi tiếp tục?")
    save = box.addButton("Lưu", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("Không lưu", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton("Hủy", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    if clicked is save:
        return Choice.SAVE
    if clicked is discard:
        return Choice.DISCARD
    return Choice.CANCEL


def confirm_discard(parent: QWidget | None, what: str, dirty: bool, save: Callable[[], bool]) -> bool:
    """True when the caller may go on: nothing to lose, saved successfully, or "Không lưu" chosen.
    A failed save returns False, so the form stays open with its message."""
    if not dirty:
        return True
    choice = ask_unsaved(parent, what)
    if choice is Choice.SAVE:
        return save()
    return choice is Choice.DISCARD
