"""Tổng quan: the year's counts by classification and by village, from the stored list."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gnbv_desktop.core.rates import format_rate, rate
from gnbv_desktop.core.standards import CLASSIFICATION_LABELS, CLASSIFICATIONS, StandardError, standard_for_year
from gnbv_desktop.core.text import format_number
from gnbv_desktop.gui.context import AppContext
from gnbv_desktop.store.households import stats
from gnbv_desktop.store.plans import households_without_helper, plan_stats


class OverviewPage(QWidget):
    title = "Tổng quan"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.standard_label = QLabel()
        self.standard_label.setWordWrap(True)
        self.cards: dict[str, QLabel] = {}
        cards = QGridLayout()
        keys = ["households", "members", *CLASSIFICATIONS[:3], "escaped", "unassisted", "items_done"]
        titles = {"households": "Hộ trong danh sách", "members": "Nhân khẩu", "escaped": "Thoát nghèo so với năm trước",
                  "unassisted": "Hộ nghèo, cận nghèo chưa có người giúp đỡ",
                  "items_done": "Giải pháp hỗ trợ đã hoàn thành", **CLASSIFICATION_LABELS}
        for i, key in enumerate(keys):
            box = QGroupBox(titles[key])
            value = QLabel()
            value.setStyleSheet("font-size: 20pt;")
            QVBoxLayout(box).addWidget(value)
            cards.addWidget(box, i // 3, i % 3)
            self.cards[key] = value
        self.table = QTableWidget()
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.standard_label)
        layout.addLayout(cards)
        layout.addWidget(QLabel("<b>Theo thôn</b>"))
        layout.addWidget(self.table, 1)
        ctx.year_changed.connect(lambda _y: self.reload())
        ctx.data_changed.connect(self.reload)
        self.reload()

    def reload(self) -> None:
        year = self.ctx.year
        s = self.ctx.settings()
        data = stats(self.ctx.db, year)
        self.heading.setText(f"{s.commune_name or 'Chưa khai báo xã'} — danh sách năm {year}")
        try:
            std = standard_for_year(year)
            extra = " (tạm thời)" if std.provisional else ""
            self.standard_label.setText(f"Chuẩn nghèo áp dụng: {std.title} — {std.legal_text}{extra}")
        except StandardError as exc:
            self.standard_label.setText(str(exc))
        total = data["households"]
        self.cards["households"].setText(format_number(total))
        self.cards["members"].setText(format_number(data["members"]))
        residents = data["resident_households"]
        for c in CLASSIFICATIONS[:3]:
            n = data["by_classification"][c]
            self.cards[c].setText(f"{format_number(n)}  ({format_rate(rate(n, residents))})")
        self.cards["escaped"].setText(format_number(data["by_classification"]["escaped"]))
        plans = plan_stats(self.ctx.db, year)
        self.cards["unassisted"].setText(format_number(len(households_without_helper(self.ctx.db, year))))
        self.cards["items_done"].setText(
            f"{format_number(plans['plan_items_done'])} / {format_number(plans['plan_items'])}"
        )
        headers = ["Thôn", "Số hộ", *[CLASSIFICATION_LABELS[c] for c in CLASSIFICATIONS], "Tỷ lệ hộ nghèo"]
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        rows = list(data["by_village"].items())
        self.table.setRowCount(len(rows))
        for r, (name, counts) in enumerate(rows):
            values = [name, format_number(counts["households"]), *[format_number(counts[c]) for c in CLASSIFICATIONS],
                      format_rate(counts["poverty_rate_percent"])]
            for c, v in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(v))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
