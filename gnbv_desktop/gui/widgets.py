"""Small reusable widgets: a money field that shows ``1.500.000``, a check list, and a
confirmation with Vietnamese buttons."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLineEdit, QMessageBox, QWidget

from gnbv_desktop.core.text import format_number


class MoneyEdit(QLineEdit):
    """Amount in đồng typed freely; digits are regrouped as ``1.500.000`` while typing."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setPlaceholderText("đồng")
        self.textEdited.connect(self._regroup)

    def _regroup(self, text: str) -> None:
        digits = "".join(ch for ch in text if ch.isdigit())
        pos_from_end = len(text) - self.cursorPosition()
        new = format_number(int(digits)) if digits else ""
        if new != text:
            self.setText(new)
            self.setCursorPosition(max(0, len(new) - pos_from_end))

    def value(self) -> int | None:
        digits = "".join(ch for ch in self.text() if ch.isdigit())
        return int(digits) if digits else None

    def set_value(self, value: int | None) -> None:
        self.setText(format_number(value) if value is not None else "")


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
