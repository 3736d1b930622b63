"""Small reusable widgets: a money field that shows ``1.500.000``, a check list, and a
confirmation with Vietnamese buttons."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLineEdit, QMessageBox, QWidget

from gnbv_desktop.core.money import MoneyError, format_money_input, parse_money
from gnbv_desktop.core.text import format_number, is_digits


class MoneyEdit(QLineEdit):
    """Amount in đồng, read by the app's one money parser (:func:`core.money.parse_money`).

    Plain digits are regrouped as ``1.500.000`` while typing; once the official types anything
    else (``1,5 triệu``, a separator) the text is left exactly as typed — regrouping ``1.5`` into
    ``15`` would change the amount without a word — and read when editing ends. A text that cannot
    be read for sure gives ``value() is None`` and :meth:`error` says what was read.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setPlaceholderText("đồng, ví dụ 1.500.000 hoặc 1,5 triệu")
        self._typed_freely = False
        self._shown = ""
        self.textEdited.connect(self._regroup)
        self.editingFinished.connect(self._tidy)

    def _regroup(self, text: str) -> None:
        pos = self.cursorPosition()
        if not text:
            self._typed_freely = False
        elif len(text) > len(self._shown) and pos > 0 and not is_digits(text[pos - 1]):
            self._typed_freely = True
        if not self._typed_freely and all(is_digits(ch) or ch == "." for ch in text):
            digits = text.replace(".", "")
            new = format_number(int(digits)) if digits else ""
            if new != text:
                pos_from_end = len(text) - pos
                self.setText(new)
                self.setCursorPosition(max(0, len(new) - pos_from_end))
        self._shown = self.text()
        self._mark()

    def _tidy(self) -> None:
        """When editing ends, a readable amount is shown the app's way (``1,5 triệu`` → ``1.500.000``)."""
        if not self.error():
            self.set_value(self.value())

    def _mark(self) -> None:
        problem = self.error()
        self.setToolTip(problem)
        self.setStyleSheet("border: 1px solid #c62828;" if problem else "")

    def error(self) -> str:
        """Why the text is not an amount (Vietnamese), or ``""``."""
        try:
            parse_money(self.text())
        except MoneyError as exc:
            return str(exc)
        return ""

    def value(self) -> int | None:
        try:
            return parse_money(self.text())
        except MoneyError:
            return None

    def set_value(self, value: int | None) -> None:
        self.setText(format_money_input(value))
        self._typed_freely = False
        self._shown = self.text()
        self._mark()


class CheckList(QWidget):
    """Check boxes for catalogue items (code → label), in columns."""

    changed = Signal()

    def __init__(self, items: list[tuple[str, str]], columns: int = 2, parent: QWidget | None = None):
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        for i, (code, label) in enumerate(items):
            box = QCheckBox(label)
            box.toggled.connect(self.changed)
            grid.addWidget(box, i // columns, i % columns)
            self.boxes[code] = box

    def checked(self) -> list[str]:
        return [code for code, box in self.boxes.items() if box.isChecked()]

    def set_checked(self, codes: list[str]) -> None:
        for code, box in self.boxes.items():
            box.setChecked(code in codes)


def confirm(parent: QWidget | None, title: str, text: str, action: str, *, safe_default: bool = True) -> bool:
    """Ask before an action: buttons ``action`` and "Không"; Esc is "Không", and Enter is too
    unless ``safe_default`` is False (for actions that can be undone)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    yes = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    no = box.addButton("Không", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no if safe_default else yes)
    box.setEscapeButton(no)
    box.exec()
    return box.clickedButton() is yes
