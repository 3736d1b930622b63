"""The Qt binding itself: PySide6 6.12.0 took a reference from None on each call of a method that
returns nothing, so a long session on Python 3.11 aborted with "none_dealloc"."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QWidget

pytestmark = pytest.mark.gui


def test_qt_calls_returning_nothing_keep_none_alive(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    before = sys.getrefcount(None)
    for i in range(2000):
        widget.resize(100 + i % 7, 100)
    assert sys.getrefcount(None) >= before - 50  # other objects may let go of a few references meanwhile
