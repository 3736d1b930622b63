"""Đồng bộ: a commune sends packages up; the upper level merges them and sends reference data down.

The page shows what fits the database: a commune's export form and package history; an
aggregate's import, per-commune status, statistics and reference export; for a blank database,
the switch to aggregate mode (Chế độ cấp trên). Every file operation is a job run off the UI
thread with a progress dialog; the page itself writes nothing.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gnbv_desktop.core.standards import CLASSIFICATION_LABELS, CLASSIFICATIONS
from gnbv_desktop.core.text import format_number
from gnbv_desktop.gui.context import AppContext
from gnbv_desktop.gui.job_runner import JobHandle
from gnbv_desktop.jobs.reference_sync import export_reference, import_reference
from gnbv_desktop.jobs.sync import export_package, format_sequences, import_packages
from gnbv_desktop.store import aggregate
from gnbv_desktop.store.reference import TARGET_LABELS, received_targets
from gnbv_desktop.store.sync_outbox import count_changes, list_exports, plan_export

PACKAGE_FILTER = "Gói đồng bộ GNBV (*.gnbv)"
REFERENCE_FILTER = "Gói tham chiếu GNBV (*.gnbvref)"


def local_time(iso: str) -> str:
    """A stored UTC timestamp as the user's ``dd/mm/yyyy HH:MM``."""
    if not iso:
        return ""
    return _dt.datetime.fromisoformat(iso).astimezone().strftime("%d/%m/%Y %H:%M")


def _table(headers: list[str], stretch: int) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.verticalHeader().setVisible(False)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return t


def _fill(table: QTableWidget, rows: list[list[object]]) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            text = format_number(value) if isinstance(value, int) and not isinstance(value, bool) else str(value)
            item = QTableWidgetItem(text)
            if isinstance(value, int):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)


class SyncPage(QWidget):
    """Đồng bộ page; the lead adds it to the main window's navigation."""

    title = "Đồng bộ"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.last_handle: JobHandle | None = None
        self.stack = QStackedWidget()
        self.commune_view = self._build_commune_view()
        self.aggregate_view = self._build_aggregate_view()
        self.blank_view = self._build_blank_view()
        for w in (self.commune_view, self.aggregate_view, self.blank_view):
            self.stack.addWidget(w)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.message)
        ctx.year_changed.connect(self.reload)
        ctx.data_changed.connect(self.reload)
        self.reload()

    # ---- building -------------------------------------------------------------------------------
    def _password_row(self) -> tuple[QCheckBox, QLineEdit]:
        box = QCheckBox("Mã hóa bằng mật khẩu đã thống nhất với cấp trên")
        edit = QLineEdit()
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setPlaceholderText("Mật khẩu")
        edit.setEnabled(False)
        box.toggled.connect(edit.setEnabled)
        return box, edit

    def _build_commune_view(self) -> QWidget:
        w = QWidget()
        layout = QVBoxLayout(w)
        send = QGroupBox("Gửi dữ liệu lên cấp trên")
        form = QFormLayout(send)
        self.upper_label = QLabel()
        form.addRow("Nơi nhận:", self.upper_label)
        self.incremental_radio = QRadioButton("Chỉ những thay đổi từ gói trước")
        self.full_radio = QRadioButton("Gói đầy đủ (toàn bộ dữ liệu)")
        self.incremental_radio.setChecked(True)
        kinds = QHBoxLayout()
        kinds.addWidget(self.incremental_radio)
        kinds.addWidget(self.full_radio)
        kinds.addStretch(1)
        form.addRow("Loại gói:", kinds)
        self.next_label = QLabel()
        form.addRow("Gói tiếp theo:", self.next_label)
        self.export_encrypt, self.export_password = self._password_row()
        form.addRow(self.export_encrypt)
        form.addRow("Mật khẩu:", self.export_password)
        self.export_button = QPushButton("Xuất gói đồng bộ…")
        self.export_button.clicked.connect(self._choose_export)
        form.addRow(self.export_button)
        self.incremental_radio.toggled.connect(self._update_next)
        layout.addWidget(send)
        layout.addWidget(QLabel("Các gói đã gửi:"))
        self.history = _table(["Số gói", "Loại", "Ngày lập", "Số bản ghi", "Mã hóa", "Tệp"], stretch=5)
        layout.addWidget(self.history, 1)
        ref = QGroupBox("Gói tham chiếu từ cấp trên (danh mục, chuẩn nghèo, chỉ tiêu)")
        ref_layout = QVBoxLayout(ref)
        self.targets_label = QLabel()
        self.targets_label.setWordWrap(True)
        ref_layout.addWidget(self.targets_label)
        row = QHBoxLayout()
        self.ref_password = QLineEdit()
        self.ref_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.ref_password.setPlaceholderText("Mật khẩu (nếu gói được mã hóa)")
        self.ref_import_button = QPushButton("Nhập gói tham chiếu…")
        self.ref_import_button.clicked.connect(self._choose_reference_import)
        row.addWidget(self.ref_password)
        row.addWidget(self.ref_import_button)
        ref_layout.addLayout(row)
        layout.addWidget(ref)
        return w

    def _build_aggregate_view(self) -> QWidget:
        w = QWidget()
        layout = QVBoxLayout(w)
        box = QGroupBox("Nhập gói đồng bộ của các xã")
        form = QFormLayout(box)
        self.import_password = QLineEdit()
        self.import_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.import_password.setPlaceholderText("Mật khẩu (nếu gói được mã hóa)")
        form.addRow("Mật khẩu:", self.import_password)
        self.force_gap = QCheckBox("Nhập cả khi còn thiếu gói trước đó (không khuyến nghị)")
        form.addRow(self.force_gap)
        buttons = QHBoxLayout()
        self.import_button = QPushButton("Nhập gói…")
        self.import_button.clicked.connect(self._choose_import)
        self.ref_export_button = QPushButton("Xuất gói tham chiếu cho các xã…")
        self.ref_export_button.clicked.connect(self._choose_reference_export)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.ref_export_button)
        buttons.addStretch(1)
        form.addRow(buttons)
        layout.addWidget(box)
        layout.addWidget(QLabel("Tình trạng các xã:"))
        self.communes = _table(
            ["Mã xã", "Tên xã", "Gói cuối", "Ngày lập gói", "Ngày nhập", "Số hộ", "Số bản ghi", "Còn thiếu gói"],
            stretch=1,
        )
        layout.addWidget(self.communes, 1)
        row = QHBoxLayout()
        self.save_attachments_button = QPushButton("Lưu tệp kèm theo của xã đã chọn…")
        self.save_attachments_button.setToolTip("Phụ lục PDF, bảng tổng hợp XLSX… xã gửi kèm gói mới nhất")
        self.save_attachments_button.clicked.connect(self._choose_attachments_folder)
        row.addWidget(self.save_attachments_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.stats_label = QLabel()
        layout.addWidget(self.stats_label)
        self.stats_table = _table(
            ["Xã", "Số hộ", *(CLASSIFICATION_LABELS[c] for c in CLASSIFICATIONS), "Thoát nghèo"], stretch=0
        )
        layout.addWidget(self.stats_table, 1)
        return w

    def _build_blank_view(self) -> QWidget:
        w = QWidget()
        layout = QVBoxLayout(w)
        layout.addWidget(QLabel(
            "Cơ sở dữ liệu này chưa có dữ liệu của xã nào.\n"
            "Nếu đây là máy của cấp trên (Sở Nông nghiệp và Môi trường, huyện…), hãy chuyển sang chế độ cấp "
            "trên để nhập và tổng hợp gói đồng bộ của các xã."
        ))
        row = QHBoxLayout()
        self.office_name = QLineEdit()
        self.office_name.setPlaceholderText("Tên cơ quan, ví dụ: Sở Nông nghiệp và Môi trường tỉnh Gia Lai")
        self.aggregate_button = QPushButton("Chế độ cấp trên")
        self.aggregate_button.clicked.connect(self.switch_to_aggregate)
        row.addWidget(self.office_name, 1)
        row.addWidget(self.aggregate_button)
        layout.addLayout(row)
        layout.addStretch(1)
        return w

    # ---- showing --------------------------------------------------------------------------------
    def reload(self) -> None:
        db = self.ctx.db
        if aggregate.is_aggregate(db):
            self.stack.setCurrentWidget(self.aggregate_view)
            self._reload_aggregate()
        elif aggregate.is_blank(db):
            self.stack.setCurrentWidget(self.blank_view)
        else:
            self.stack.setCurrentWidget(self.commune_view)
            self._reload_commune()

    def _reload_commune(self) -> None:
        db = self.ctx.db
        settings = self.ctx.settings()
        self.upper_label.setText(settings.upper_level or "(chưa khai báo trong Cài đặt)")
        exports = list_exports(db)
        self.incremental_radio.setEnabled(bool(exports))
        if not exports:
            self.full_radio.setChecked(True)
        self._update_next()
        _fill(self.history, [
            [e.sequence, "Đầy đủ" if e.is_full else f"Thay đổi từ gói {e.base_sequence}", local_time(e.created_at),
             e.total, "Có" if e.encrypted else "Không", e.file_name]
            for e in exports
        ])
        year = self.ctx.year
        targets = received_targets(db, year)
        if targets:
            parts = [f"{TARGET_LABELS.get(k, k)}: {format_number(v)}" for k, v in targets.items()]
            self.targets_label.setText(f"Chỉ tiêu năm {year} cấp trên giao: " + "; ".join(parts) + ".")
        else:
            self.targets_label.setText(f"Chưa nhận chỉ tiêu năm {year} từ cấp trên.")

    def _update_next(self) -> None:
        plan = plan_export(self.ctx.db, full=self.full_radio.isChecked())
        kind = "đầy đủ" if plan.is_full else f"thay đổi từ gói {plan.base_sequence}"
        n = count_changes(self.ctx.db, plan)
        self.next_label.setText(f"Số {plan.sequence} ({kind}), {format_number(n)} bản ghi")

    def _reload_aggregate(self) -> None:
        db = self.ctx.db
        statuses = aggregate.commune_statuses(db)
        year = self.ctx.year
        data = aggregate.aggregate_stats(db, year)
        _fill(self.communes, [
            [c.code, c.name, c.last_sequence, local_time(c.last_created_at), local_time(c.last_imported_at),
             c.households, sum(c.counts.values()),
             format_sequences(c.missing) if c.missing else "Không"]
            for c in statuses
        ])
        self.stats_label.setText(f"Thống kê năm {year} ({data['communes']} xã):")
        rows = [
            [b["name"], b["households"], *(b["by_classification"][k] for k in CLASSIFICATIONS),
             b["by_classification"]["escaped"]]
            for b in data["by_commune"].values()
        ]
        rows.append(["Tổng cộng", data["households"], *(data["by_classification"][k] for k in CLASSIFICATIONS),
                     data["by_classification"]["escaped"]])
        _fill(self.stats_table, rows)

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet("color: #b00020;" if error else "")
        self.message.setText(text)

    # ---- actions (file dialogs, then jobs) ------------------------------------------------------
    def _choose_export(self) -> None:
        settings = self.ctx.settings()
        plan = plan_export(self.ctx.db, full=self.full_radio.isChecked())
        suggested = f"{settings.commune_code or 'xa'}-goi-{plan.sequence:03d}.gnbv"
        path, _ = QFileDialog.getSaveFileName(self, "Lưu gói đồng bộ", suggested, PACKAGE_FILTER)
        if path:
            self.start_export(Path(path))

    def start_export(self, path: Path) -> JobHandle | None:
        full = self.full_radio.isChecked()
        password = self.export_password.text() if self.export_encrypt.isChecked() else ""
        if self.export_encrypt.isChecked() and not password:
            self._say("Hãy nhập mật khẩu hoặc bỏ chọn mã hóa.", error=True)
            return None
        year = self.ctx.year

        def job(db):
            return export_package(db, path, full=full, password=password or None, year=year)

        def done(rec) -> None:
            kind = "đầy đủ" if rec.is_full else f"thay đổi từ gói {rec.base_sequence}"
            self._say(f"Đã xuất gói số {rec.sequence} ({kind}), {format_number(rec.total)} bản ghi: {path}")

        return self._run("Xuất gói đồng bộ", job, done)

    def _choose_import(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Chọn gói của các xã", "", PACKAGE_FILTER)
        if paths:
            self.start_import([Path(p) for p in paths])

    def start_import(self, paths: list[Path]) -> JobHandle:
        password = self.import_password.text() or None
        force = self.force_gap.isChecked()

        def job(db):
            return import_packages(db, paths, password=password, force_gap=force)

        def done(results) -> None:
            lines = []
            for r in results:
                if r.already_imported:
                    lines.append(f"{r.commune_name}, gói số {r.sequence}: đã nhập trước đây, không thay đổi.")
                else:
                    lines.append(f"{r.commune_name}, gói số {r.sequence}: {format_number(r.merged.new)} mới, "
                                 f"{format_number(r.merged.updated)} cập nhật.")
            self._say("\n".join(lines))

        return self._run("Nhập gói đồng bộ", job, done)

    def _selected_commune(self) -> str | None:
        row = self.communes.currentRow()
        return self.communes.item(row, 0).text() if row >= 0 else None

    def _choose_attachments_folder(self) -> None:
        code = self._selected_commune()
        if code is None:
            self._say("Hãy chọn một xã trong bảng.", error=True)
            return
        folder = QFileDialog.getExistingDirectory(self, "Chọn thư mục lưu tệp kèm theo")
        if folder:
            self.save_attachments(code, Path(folder))

    def save_attachments(self, code: str, folder: Path) -> list[Path]:
        """Write the commune's latest attachments into ``folder`` as ``<code>-<name>``."""
        files = aggregate.attachments_of(self.ctx.db, code)
        if not files:
            self._say(f"Xã {code} chưa gửi tệp kèm theo nào.", error=True)
            return []
        written = []
        try:
            for name, data in files.items():
                target = folder / f"{code}-{name}"
                target.write_bytes(data)
                written.append(target)
        except OSError as exc:
            self._say(f"Không ghi được tệp vào '{folder}': {exc.strerror or exc}.", error=True)
            return written
        self._say(f"Đã lưu {len(written)} tệp kèm theo của xã {code} vào {folder}.")
        return written

    def _choose_reference_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Lưu gói tham chiếu", f"tham-chieu-{self.ctx.year}.gnbvref",
                                              REFERENCE_FILTER)
        if path:
            self.start_reference_export(Path(path))

    def start_reference_export(self, path: Path) -> JobHandle:
        year = self.ctx.year
        password = self.import_password.text() or None

        def done(ref) -> None:
            self._say(f"Đã xuất gói tham chiếu năm {year}: {len(ref.catalogs)} danh mục, {len(ref.standards)} "
                      f"chuẩn nghèo, chỉ tiêu cho {len(ref.targets)} xã: {path}")

        return self._run("Xuất gói tham chiếu", lambda db: export_reference(db, path, year=year, password=password),
                         done)

    def _choose_reference_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Chọn gói tham chiếu", "", REFERENCE_FILTER)
        if path:
            self.start_reference_import(Path(path))

    def start_reference_import(self, path: Path) -> JobHandle:
        password = self.ref_password.text() or None

        def done(summary) -> None:
            self._say(f"Đã cập nhật {len(summary['catalogs'])} danh mục và {len(summary['standards'])} chuẩn nghèo "
                      "từ gói tham chiếu; dữ liệu hộ không thay đổi.")

        return self._run("Nhập gói tham chiếu", lambda db: import_reference(db, path, password=password), done)

    def switch_to_aggregate(self) -> None:
        try:
            aggregate.make_aggregate(self.ctx.db, self.office_name.text())
        except aggregate.AggregateError as exc:
            self._say(str(exc), error=True)
            return
        self._say("Đã chuyển sang chế độ cấp trên.")
        self.ctx.notify_changed()

    def _run(self, title: str, factory, on_done) -> JobHandle:
        self._say("")
        handle = self.ctx.runner.run_with_dialog(self, title, factory)
        handle.finished.connect(on_done)
        handle.finished.connect(lambda _r: self.ctx.notify_changed())
        handle.failed.connect(lambda msg: self._say(msg, error=True))
        handle.cancelled.connect(lambda: self._say("Đã hủy; không có gì thay đổi."))
        self.last_handle = handle
        return handle
