"""Cài đặt › Hộ dân cư: each village's resident households and people for the selected year.

These are the denominator of every poverty rate; until every village has its figure (or the
year's plan gives a commune total) rates read "chưa có tổng số hộ dân cư". "Nhập từ Excel…" reads
them from a workbook (one row per village) as a job: all villages of the file or none.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gnbv_desktop.core.excel_values import parse_int
from gnbv_desktop.core.standards import AREA_LABELS
from gnbv_desktop.core.text import format_number
from gnbv_desktop.gui.context import AppContext
from gnbv_desktop.jobs.import_residents import ResidentsImport, import_residents
from gnbv_desktop.store.residents import ResidentsError, residents, set_residents
from gnbv_desktop.store.villages import list_villages

COLUMNS = ["Thôn", "Khu vực", "Số hộ dân cư", "Số nhân khẩu"]


class ResidentsEditor(QWidget):
    title = "Hộ dân cư"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.save_button = QPushButton("Lưu số hộ dân cư")
        self.save_button.clicked.connect(self.save)
        self.import_button = QPushButton("Nhập từ Excel…")
        self.import_button.setToolTip("Đọc số hộ, số nhân khẩu dân cư của các thôn từ bảng tính: một dòng mỗi thôn, "
                                      "các cột Thôn, Số hộ dân cư, Số nhân khẩu.")
        self.import_button.clicked.connect(self.import_excel)
        self.ask_open_path = self._ask_open_path  # replaceable in tests
        self.total_label = QLabel()
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.heading)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.total_label)
        lay.addLayout(buttons)
        lay.addWidget(self.status)
        ctx.year_changed.connect(lambda _y: self.reload())
        self.reload()

    def reload(self) -> None:
        year = self.ctx.year
        self.heading.setText(
            f"<b>Tổng số hộ và nhân khẩu dân cư năm {year}</b> — mẫu số để tính tỷ lệ hộ nghèo, hộ cận nghèo."
        )
        res = residents(self.ctx.db, year)
        self.villages = list_villages(self.ctx.db)
        self.table.setRowCount(len(self.villages))
        for r, v in enumerate(self.villages):
            households, people = res.by_village.get(v.id, (None, None))
            for c, text in enumerate([v.name, AREA_LABELS[v.area], format_number(households), format_number(people)]):
                item = QTableWidgetItem(text)
                if c < 2:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(r, c, item)
        if res.households is None:
            self.total_label.setText("Toàn xã: chưa có tổng số hộ dân cư (cần nhập đủ các thôn).")
        else:
            self.total_label.setText(f"Toàn xã: {format_number(res.households)} hộ dân cư.")

    def save(self) -> bool:
        year = self.ctx.year
        rows, errors = [], []
        for r, v in enumerate(self.villages):
            try:
                households = parse_int(self.table.item(r, 2).text())
                people = parse_int(self.table.item(r, 3).text())
            except ValueError:
                errors.append(f"Dòng {r + 1} ({v.name}): số hộ, số nhân khẩu phải là số nguyên không âm.")
                continue
            if households is None:
                if people is not None:
                    errors.append(f"Dòng {r + 1} ({v.name}): chưa nhập số hộ dân cư.")
                continue
            rows.append((v, households, people))
        if not errors:
            current = None
            try:
                with self.ctx.db.atomic():  # all villages or none
                    for current, households, people in rows:
                        set_residents(self.ctx.db, year, current.id, households, people)
            except ResidentsError as exc:
                errors.append(f"{current.name}: {exc}")
        if errors:
            QMessageBox.warning(self, "Chưa lưu được", "\n".join(errors))
            return False
        self.reload()
        self.ctx.notify_changed()
        return True

    def _ask_open_path(self) -> str:
        path, _ = QFileDialog.getOpenFileName(self, "Chọn bảng tính số hộ dân cư", "",
                                              "Bảng tính (*.xlsx *.xlsm *.xls *.xlsb *.ods)")
        return path

    def import_excel(self):
        """Read the chosen workbook into the selected year off the UI thread; a refused file is
        shown by the runner's error dialog with the rows to fix, and nothing changes."""
        path = self.ask_open_path()
        if not path:
            return None
        year = self.ctx.year
        self.status.setText("Đang nhập số hộ dân cư…")
        handle = self.ctx.runner.run_with_dialog(self, "Nhập số hộ dân cư từ Excel",
                                                 lambda db: import_residents(db, path, year))

        def done(result: ResidentsImport) -> None:
            self.reload()
            self.ctx.notify_changed()
            missing = f" Tệp chưa có: {', '.join(result.missing)}." if result.missing else ""
            self.status.setText(f"Đã nhập số hộ dân cư năm {year} của {result.villages} thôn "
                                f"({format_number(result.households)} hộ).{missing}")

        handle.finished.connect(done)
        handle.failed.connect(lambda msg: self.status.setText(msg))
        return handle
