"""Tổng quan: the year at a glance — counts and rates over resident households, charts an official
can click to reach the households behind a bar, and the per-village table with its total row."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gnbv_desktop.core.classifications import AVERAGE, CLASSIFICATION_LABELS, CLASSIFICATIONS, NEAR_POOR, POOR
from gnbv_desktop.core.rates import format_rate, rate
from gnbv_desktop.core.review import TRANSITION_SHORT, TRANSITIONS
from gnbv_desktop.core.standards import StandardError
from gnbv_desktop.core.text import format_money, format_number
from gnbv_desktop.gui.charts import Bar, BarChart, Series
from gnbv_desktop.gui.context import AppContext
from gnbv_desktop.gui.dashboard_links import open_households
from gnbv_desktop.gui.review_panel import ReviewPanel
from gnbv_desktop.store.dashboard import Dashboard, dashboard, households_deprived_on

COLORS = {POOR: "#c62828", NEAR_POOR: "#ef8f00", AVERAGE: "#7cb342"}
HELPED, UNHELPED = "helped", "unhelped"
DELIVERED, REMAINING = "delivered", "remaining"


def _percent_text(value: float) -> str:
    return f"{value:.2f}".replace(".", ",") + " %"


class OverviewPage(QWidget):
    title = "Tổng quan"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.data: Dashboard | None = None
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.standard_label = QLabel()
        self.standard_label.setWordWrap(True)
        self.rate_label = QLabel()
        self.rate_label.setWordWrap(True)
        self.cards: dict[str, QLabel] = {}
        cards = QGridLayout()
        keys = ["households", "members", *CLASSIFICATIONS[:3], "escaped", "unassisted", "items_done"]
        titles = {"households": "Hộ trong danh sách", "members": "Nhân khẩu", "escaped": "Thoát nghèo so với năm trước",
                  "unassisted": "Hộ nghèo, cận nghèo chưa có người giúp đỡ",
                  "items_done": "Giải pháp hỗ trợ đã hoàn thành", **CLASSIFICATION_LABELS}
        for i, key in enumerate(keys):
            box = QGroupBox(titles[key])
            value = QLabel()
            value.setStyleSheet("font-size: 13pt;")
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(8, 2, 8, 2)
            box_layout.addWidget(value)
            cards.addWidget(box, i // 4, i % 4)
            self.cards[key] = value

        short = {POOR: "Nghèo", NEAR_POOR: "Cận nghèo", AVERAGE: "Mức sống trung bình"}
        classes = [Series(c, CLASSIFICATION_LABELS[c], COLORS[c], short[c]) for c in (POOR, NEAR_POOR, AVERAGE)]
        self.village_chart = BarChart("Phân loại hộ theo thôn", classes)
        self.rate_chart = BarChart("Tỷ lệ hộ nghèo theo thôn (%) so với chỉ tiêu",
                                   [Series(POOR, "Tỷ lệ hộ nghèo", COLORS[POOR])], _percent_text)
        self.deprived_chart = BarChart("Hộ nghèo, cận nghèo thiếu hụt từng chỉ số",
                                       [Series("deprived", "Số hộ thiếu hụt", "#5c6bc0")])
        self.helper_chart = BarChart("Hộ nghèo, cận nghèo có người giúp đỡ",
                                     [Series(HELPED, "Có người giúp đỡ", "#2e7d32"), Series(UNHELPED, "Chưa có", "#bdbdbd")])
        self.funding_chart = BarChart("Kinh phí kế hoạch theo nguồn (đồng)",
                                      [Series(DELIVERED, "Đã thực hiện", "#00897b"), Series(REMAINING, "Còn lại", "#b2dfdb")],
                                      format_money)
        self.transition_chart = BarChart("Biến động sau rà soát", [Series("n", "Số hộ", "#6d4c41")])
        self.village_chart.clicked.connect(lambda vid, cls: open_households(self, village_id=vid, classification=cls))
        self.rate_chart.clicked.connect(lambda vid, _s: open_households(self, village_id=vid, classification=POOR))
        self.deprived_chart.clicked.connect(self._open_deprived)
        self.helper_chart.clicked.connect(
            lambda vid, key: open_households(self, village_id=vid, unassisted=key == UNHELPED))
        self.transition_chart.clicked.connect(lambda kind, _s: open_households(self, review_key=kind))
        self.funding_chart.clicked.connect(lambda _src, _s: self._show_plans())
        charts = QWidget()
        grid = QGridLayout(charts)
        grid.setContentsMargins(0, 4, 0, 0)
        for i, chart in enumerate([self.village_chart, self.rate_chart, self.deprived_chart, self.helper_chart,
                                   self.funding_chart, self.transition_chart]):
            grid.addWidget(chart, i // 3, i % 3)

        self.table = QTableWidget()
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.tabs = QTabWidget()
        self.tabs.addTab(charts, "Biểu đồ")
        self.tabs.addTab(self.table, "Bảng theo thôn")
        self.review = ReviewPanel(ctx)
        self.tabs.addTab(self.review, ReviewPanel.title)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.standard_label)
        layout.addWidget(self.rate_label)
        layout.addLayout(cards)
        layout.addWidget(self.tabs, 1)
        ctx.year_changed.connect(lambda _y: self.reload())
        ctx.data_changed.connect(self.reload)
        self.reload()

    def reload(self) -> None:
        year = self.ctx.year
        d = self.data = dashboard(self.ctx.db, year)
        s = self.ctx.settings()
        data = d.stats
        self.heading.setText(f"{s.commune_name or 'Chưa khai báo xã'} — danh sách năm {year}")
        standards = self.ctx.standards
        try:
            std = standards.for_year(year)
            extra = " (tạm thời)" if std.provisional else ""
            self.standard_label.setText(f"Chuẩn nghèo áp dụng: {std.title} — {std.legal_text}{extra}")
        except StandardError as exc:
            self.standard_label.setText(str(exc))
        if standards.warning:  # received standards set aside: say so where the standard is shown
            self.standard_label.setText(f"{self.standard_label.text()}\n⚠ {standards.warning}")
        residents = data["resident_households"]
        if residents is None:
            self.rate_label.setText("Tỷ lệ hộ nghèo, hộ cận nghèo: chưa có tổng số hộ dân cư "
                                    "(nhập trong Cài đặt › Hộ dân cư).")
        else:
            target = d.projection.target_rate
            self.rate_label.setText(
                f"Tỷ lệ tính trên {format_number(residents)} hộ dân cư. Tỷ lệ hộ nghèo "
                f"{format_rate(data['poverty_rate_percent'])}"
                + (f", chỉ tiêu cuối năm {format_rate(target)}" if target is not None else "") + ".")
        total = data["households"]
        self.cards["households"].setText(format_number(total))
        self.cards["members"].setText(format_number(data["members"]))
        for c in CLASSIFICATIONS[:3]:
            n = data["by_classification"][c]
            self.cards[c].setText(f"{format_number(n)}  ({format_rate(rate(n, residents))})")
        self.cards["escaped"].setText(format_number(data["by_classification"]["escaped"]))
        self.cards["unassisted"].setText(format_number(d.unassisted))
        self.cards["items_done"].setText(f"{format_number(d.plan_items_done)} / {format_number(d.plan_items)}")
        self._fill_charts(d)
        self._fill_table(data)

    def _fill_charts(self, d: Dashboard) -> None:
        by_name = d.stats["by_village"]
        villages = [v for v in d.villages if v.name in by_name]
        self.village_chart.set_bars([Bar(v.id, v.name, {c: by_name[v.name][c] for c in (POOR, NEAR_POOR, AVERAGE)})
                                     for v in villages])
        rates = [Bar(v.id, v.name, {POOR: by_name[v.name]["poverty_rate_percent"]}) for v in villages
                 if by_name[v.name]["poverty_rate_percent"] is not None]
        self.rate_chart.empty_text = "Chưa có tổng số hộ dân cư của các thôn."
        target = d.projection.target_rate
        self.rate_chart.set_bars(rates, target, f"chỉ tiêu {format_rate(target)}" if target is not None else "")
        self.deprived_chart.set_bars([Bar(code, f"{code} {name}", {"deprived": n}) for code, name, n in d.deprived])
        self.helper_chart.set_bars([Bar(v.id, v.name, dict(zip((HELPED, UNHELPED), d.helped.get(v.id, (0, 0)),
                                                               strict=True))) for v in villages])
        self.funding_chart.set_bars([Bar(code, name, {DELIVERED: done, REMAINING: max(0, expected - done)})
                                     for code, name, expected, done in d.funding])
        if d.transitions is None:
            self.transition_chart.empty_text = f"Năm {d.year} chưa kết thúc rà soát."
            self.transition_chart.set_bars([])
        else:
            self.transition_chart.set_bars([Bar(k, TRANSITION_SHORT[k], {"n": d.transitions[k]}) for k in TRANSITIONS])

    def _fill_table(self, data: dict) -> None:
        headers = ["Thôn", "Số hộ", *[CLASSIFICATION_LABELS[c] for c in CLASSIFICATIONS], "Hộ dân cư", "Tỷ lệ hộ nghèo"]
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        rows = [(name, counts["households"], [counts[c] for c in CLASSIFICATIONS], counts["resident_households"],
                 format_rate(counts["poverty_rate_percent"])) for name, counts in data["by_village"].items()]
        rows.append(("Tổng cộng", data["households"], [data["by_classification"][c] for c in CLASSIFICATIONS],
                     data["resident_households"], format_rate(data["poverty_rate_percent"])))
        self.table.setRowCount(len(rows))
        for r, (name, n, by_class, residents, rate_text) in enumerate(rows):
            values = [name, format_number(n), *[format_number(x) for x in by_class],
                      format_number(residents) if residents is not None else "—", rate_text]
            for c, v in enumerate(values):
                item = QTableWidgetItem(v)
                if r == len(rows) - 1:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def _open_deprived(self, code: str, _series: object) -> None:
        open_households(self, ids=households_deprived_on(self.ctx.db, self.ctx.year, code))

    def _show_plans(self) -> None:
        window = self.window()
        if hasattr(window, "show_page"):
            window.show_page("Kế hoạch hỗ trợ")
