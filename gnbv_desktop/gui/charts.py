"""A horizontal (stacked) bar chart painted with QPainter: no extra dependency, Vietnamese labels,
a target line, and a click on a bar segment reported as (bar key, segment key).

Layout is computed in one place (:meth:`BarChart.segment_rects`) for painting and for hit-testing,
so what is clicked is what is drawn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from gnbv_desktop.core.text import format_number


@dataclass(frozen=True)
class Series:
    key: object
    label: str
    color: str
    short: str = ""  # legend text when the label is long

    @property
    def legend(self) -> str:
        return self.short or self.label


@dataclass
class Bar:
    key: object
    label: str
    values: dict  # series key → value


PAD = 8
BAR_GAP = 4


class BarChart(QWidget):
    """Bars top to bottom, segments stacked left to right in series order."""

    clicked = Signal(object, object)  # bar key, series key

    def __init__(self, title: str, series: list[Series], value_text: Callable[[float], str] = format_number,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.title = title
        self.series = series
        self.value_text = value_text
        self.bars: list[Bar] = []
        self.target: float | None = None
        self.target_label = ""
        self.empty_text = "Chưa có số liệu."
        self.setMinimumSize(300, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(420, 260)

    def set_bars(self, bars: list[Bar], target: float | None = None, target_label: str = "") -> None:
        self.bars = bars
        self.target = target
        self.target_label = target_label
        self.setToolTip("")
        self.update()

    # geometry ------------------------------------------------------------------
    def _fonts(self) -> tuple[QFont, QFont]:
        base = QFont(self.font())
        bold = QFont(base)
        bold.setBold(True)
        return base, bold

    def _plot_area(self) -> tuple[QRectF, float]:
        """The bars' area and the width reserved for labels on the left."""
        base, bold = self._fonts()
        fm, fmb = QFontMetrics(base), QFontMetrics(bold)
        top = PAD + fmb.height() + 4 + fm.height() + 6  # title, legend
        label_w = min(self.width() * 0.34, max((fm.horizontalAdvance(b.label) for b in self.bars), default=40) + 8)
        value_w = max((fm.horizontalAdvance(self.value_text(sum(v for v in b.values.values() if v))) for b in self.bars),
                      default=0) + 10
        bottom = PAD + (fm.height() if self.target is not None else 0)
        return QRectF(PAD + label_w, top, max(20.0, self.width() - 2 * PAD - label_w - value_w),
                      max(10.0, self.height() - top - bottom)), label_w

    def _scale(self) -> float:
        peak = max((sum(v for v in b.values.values() if v) for b in self.bars), default=0)
        if self.target is not None:
            peak = max(peak, self.target)
        return peak or 1.0

    def segment_rects(self) -> list[tuple[QRectF, object, object]]:
        """(rectangle, bar key, series key) of every drawn segment."""
        area, _label_w = self._plot_area()
        if not self.bars:
            return []
        step = area.height() / len(self.bars)
        thickness = max(4.0, min(28.0, step - BAR_GAP))
        scale = area.width() / self._scale()
        out = []
        for i, bar in enumerate(self.bars):
            y = area.top() + i * step + (step - thickness) / 2
            x = area.left()
            for s in self.series:
                value = bar.values.get(s.key) or 0
                if value <= 0:
                    continue
                w = value * scale
                out.append((QRectF(x, y, w, thickness), bar.key, s.key))
                x += w
        return out

    # painting -------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        base, bold = self._fonts()
        fm = QFontMetrics(base)
        p.fillRect(self.rect(), QColor("#ffffff"))
        p.setPen(QColor("#d0d0d0"))
        p.drawRect(self.rect().adjusted(0, 0, -1, -1))
        p.setFont(bold)
        p.setPen(QColor("#202020"))
        p.drawText(QPointF(PAD, PAD + QFontMetrics(bold).ascent()), self.title)
        p.setFont(base)
        x = PAD
        legend_y = PAD + QFontMetrics(bold).height() + 4
        for s in self.series:
            if len(self.series) == 1:
                break
            p.fillRect(QRectF(x, legend_y + 2, 10, 10), QColor(s.color))
            p.setPen(QColor("#404040"))
            p.drawText(QPointF(x + 14, legend_y + fm.ascent()), s.legend)
            x += 24 + fm.horizontalAdvance(s.legend)
        if not self.bars:
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.empty_text)
            return
        area, label_w = self._plot_area()
        step = area.height() / len(self.bars)
        colors = {s.key: QColor(s.color) for s in self.series}
        for rect, _bar, key in self.segment_rects():
            p.fillRect(rect, colors[key])
        p.setPen(QColor("#303030"))
        for i, bar in enumerate(self.bars):
            cy = area.top() + i * step + step / 2
            label = fm.elidedText(bar.label, Qt.TextElideMode.ElideRight, int(label_w - 6))
            p.drawText(QRectF(PAD, cy - fm.height() / 2, label_w - 6, fm.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
            total = sum(v for v in bar.values.values() if v)
            end = area.left() + total * area.width() / self._scale()
            p.drawText(QPointF(end + 4, cy + fm.ascent() / 2 - 1), self.value_text(total))
        if self.target is not None:
            tx = area.left() + self.target * area.width() / self._scale()
            p.setPen(QPen(QColor("#c62828"), 1.5, Qt.PenStyle.DashLine))
            p.drawLine(QPointF(tx, area.top() - 2), QPointF(tx, area.bottom() + 2))
            p.setPen(QColor("#c62828"))
            p.drawText(QPointF(max(PAD, tx - fm.horizontalAdvance(self.target_label) / 2), area.bottom() + fm.ascent() + 3),
                       self.target_label)
        p.end()

    # interaction -----------------------------------------------------------------
    def segment_at(self, pos: QPointF) -> tuple[object, object] | None:
        for rect, bar, key in self.segment_rects():
            if rect.contains(pos):
                return bar, key
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        hit = self.segment_at(event.position())
        if hit is not None and event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(*hit)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        hit = self.segment_at(event.position())
        if hit is None:
            self.setToolTip("")
            return
        bar = next(b for b in self.bars if b.key == hit[0])
        series = next(s for s in self.series if s.key == hit[1])
        self.setToolTip(f"{bar.label} — {series.label}: {self.value_text(bar.values.get(series.key) or 0)}")
