"""Answer the modal question a flow opens, the way a person does: read it, press a button or a key.

``exec()`` blocks until the box closes, so the answer is queued before the action that opens
it; the box is found as the application's active modal widget when the event loop runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

_GENERATION = [0]


def forget_pending() -> None:
    """Called after each test: answers queued for boxes that never came stop waiting, so they
    cannot answer a box of the next test."""
    _GENERATION[0] += 1


@dataclass
class Seen:
    """What the answered box showed: its text, its buttons and which one was the default."""

    texts: list[str] = field(default_factory=list)
    buttons: list[list[str]] = field(default_factory=list)
    defaults: list[str] = field(default_factory=list)


def answer(qtbot, *, click: str | None = None, key: Qt.Key | None = None, seen: Seen | None = None,
           button: QMessageBox.StandardButton | None = None) -> Seen:
    """When the next modal message box appears, click its button labelled ``click``, its standard
    ``button`` (Yes/No whatever language Qt's texts are in), or press ``key``."""
    seen = seen if seen is not None else Seen()
    tries = [500]  # a box that never comes stops being waited for (the test's assertions then fail)
    generation = _GENERATION[0]

    def act() -> None:
        if generation != _GENERATION[0]:
            return
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or box.property("answered"):  # a queued answer waits for the next box
            tries[0] -= 1
            if tries[0] > 0:
                QTimer.singleShot(10, act)
            return
        box.setProperty("answered", True)
        seen.texts.append(box.text())
        seen.buttons.append([b.text() for b in box.buttons()])
        seen.defaults.append(box.defaultButton().text() if box.defaultButton() else "")
        if click is not None:
            qtbot.mouseClick(next(b for b in box.buttons() if b.text() == click), Qt.MouseButton.LeftButton)
        elif button is not None:
            qtbot.mouseClick(box.button(button), Qt.MouseButton.LeftButton)
        else:
            qtbot.keyClick(box, key)

    QTimer.singleShot(0, act)
    return seen
