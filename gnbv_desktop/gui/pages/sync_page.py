"""Đồng bộ: a commune sends packages up; the upper level merges them and sends reference data down.

The page shows what fits the database: a commune's export form and package history; an
aggregate's import, per-commune status, statistics and reference export; for a blank database,
the switch to aggregate mode (Chế độ cấp trên). Every file operation is a job run off the UI
thread with a progress dialog, and so are the aggregate's statistics (seconds on a large
aggregate); the page writes only through store functions (the targets it gives communes).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
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
    QMessageBox,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gnbv_desktop.core.classifications import CLASSIFICATION_LABELS, CLASSIFICATIONS
from gnbv_desktop.core.file_errors import describe_os_error
from gnbv_desktop.core.plans import TARGET_FIELDS, TARGET_LABELS, format_target, parse_target
from gnbv_desktop.core.sync_schema import attachment_problem, display, safe_file_name
from gnbv_desktop.core.text import format_date_time, format_number
from gnbv_desktop.gui.context import AppContext
from gnbv_desktop.gui.job_runner import JobHandle
from gnbv_desktop.jobs.aggregate_stats import compute_aggregate_stats
from gnbv_desktop.jobs.reference_sync import export_reference, import_reference
from gnbv_desktop.jobs.sync import export_package, format_sequences, import_packages
from gnbv_desktop.store import aggregate
from gnbv_desktop.store.households import ValidationError
from gnbv_desktop.store.plans import get_commune_plan
from gnbv_desktop.store.reference import last_reference, set_upper_targets, upper_targets
from gnbv_desktop.store.settings import is_aggregate
from gnbv_desktop.store.sync_identity import existing_installation, forget_signer, trusted_signer
from gnbv_desktop.store.sync_outbox import count_changes, list_exports, plan_export

PACKAGE_FILTER = "Gói đồng bộ GNBV (*.gnbv)"
REFERENCE_FILTER = "Gói tham chiếu GNBV (*.gnbvref)"


def local_time(iso: str) -> str:
    """A stored UTC timestamp as the user's ``dd/mm/yyyy HH:MM``."""
    return format_date_time(iso)


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
    stats_shown = Signal()  # the statistics table holds the figures of the selected year

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.last_handle: JobHandle | None = None
        self.stats_handle: JobHandle | None = None
        self._stats_again = False  # data or year changed while the statistics were computing
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
        box = QCheckBox("Mã hóa bằng mật khẩu đã thống nhất với cấp trên (nên dùng: gói chứa CCCD, điện thoại)")
        edit = QLineEdit()
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setPlaceholderText("Mật khẩu, ít nhất 8 ký tự")
        box.setChecked(True)
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
        self.key_label = QLabel()
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_label.setToolTip("Cấp trên sẽ gọi điện hỏi dãy số này khi nhận gói đầu tiên của xã.")
        form.addRow("Mã nhận dạng khóa của máy này:", self.key_label)
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
        self.forget_key_button = QPushButton("Bỏ khóa cấp trên đã ghi nhận…")
        self.forget_key_button.setToolTip("Chỉ dùng khi cấp trên báo đã cài lại máy (đã gọi điện xác nhận).")
        self.forget_key_button.clicked.connect(self.forget_upper_key)
        row.addWidget(self.ref_password)
        row.addWidget(self.ref_import_button)
        row.addWidget(self.forget_key_button)
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
        self.import_password.setToolTip("Sau lần nhập đầu tiên có mật khẩu, các gói không mã hóa sẽ bị từ chối "
                                        "(gói không mã hóa có thể bị sửa hoặc giả mạo trên đường gửi).")
        form.addRow("Mật khẩu:", self.import_password)
        self.force_gap = QCheckBox("Nhập cả khi còn thiếu gói trước đó (không khuyến nghị)")
        form.addRow(self.force_gap)
        self.replace_commune = QCheckBox(
            "Xã đã cài lại máy (đã gọi điện xác nhận): gói đầy đủ của xã thay toàn bộ dữ liệu cũ của xã đó")
        form.addRow(self.replace_commune)
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
        self.aggregate_tabs = QTabWidget()
        layout.addWidget(self.aggregate_tabs, 1)

        communes_tab = QWidget()
        tab_layout = QVBoxLayout(communes_tab)
        self.communes = _table(
            ["Mã xã", "Tên xã", "Gói cuối", "Ngày lập gói", "Ngày nhập", "Số hộ", "Số bản ghi", "Còn thiếu gói",
             "Mã nhận dạng khóa"],
            stretch=1,
        )
        tab_layout.addWidget(self.communes, 1)
        row = QHBoxLayout()
        self.save_attachments_button = QPushButton("Lưu tệp kèm theo của xã đã chọn…")
        self.save_attachments_button.setToolTip("Bảng tổng hợp XLSX xã gửi kèm gói mới nhất")
        self.save_attachments_button.clicked.connect(self._choose_attachments_folder)
        row.addWidget(self.save_attachments_button)
        row.addStretch(1)
        tab_layout.addLayout(row)
        self.aggregate_tabs.addTab(communes_tab, "Tình trạng các xã")

        stats_tab = QWidget()
        tab_layout = QVBoxLayout(stats_tab)
        self.stats_label = QLabel()
        tab_layout.addWidget(self.stats_label)
        self.stats_table = _table(
            ["Xã", "Số hộ", *(CLASSIFICATION_LABELS[c] for c in CLASSIFICATIONS), "Thoát nghèo"], stretch=0
        )
        tab_layout.addWidget(self.stats_table, 1)
        self.aggregate_tabs.addTab(stats_tab, "Thống kê")

        targets_tab = QWidget()
        tab_layout = QVBoxLayout(targets_tab)
        self.targets_intro = QLabel()
        self.targets_intro.setWordWrap(True)
        tab_layout.addWidget(self.targets_intro)
        self.targets_table = _table(["Mã xã", "Tên xã", *TARGET_LABELS.values()], stretch=1)
        self.targets_table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.targets_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        tab_layout.addWidget(self.targets_table, 1)
        row = QHBoxLayout()
        self.add_target_row_button = QPushButton("Thêm xã chưa gửi gói")
        self.add_target_row_button.clicked.connect(self.add_target_row)
        self.save_targets_button = QPushButton("Lưu chỉ tiêu")
        self.save_targets_button.clicked.connect(self.save_targets)
        row.addWidget(self.add_target_row_button)
        row.addStretch(1)
        row.addWidget(self.save_targets_button)
        tab_layout.addLayout(row)
        self.aggregate_tabs.addTab(targets_tab, "Chỉ tiêu giao cho các xã")
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
        if is_aggregate(db):
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
        identity = existing_installation(db)
        self.key_label.setText(identity.fingerprint if identity else "(được tạo khi xuất gói đầu tiên)")
        pinned = trusted_signer(db)
        self.forget_key_button.setEnabled(pinned is not None)
        self.forget_key_button.setToolTip(
            f"Khóa cấp trên đã ghi nhận: {pinned.fingerprint}" if pinned else "Chưa ghi nhận khóa của cấp trên.")
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
        plan = get_commune_plan(db, year)
        given = [(k, getattr(plan, k)) for k in TARGET_FIELDS if plan is not None and getattr(plan, k) is not None]
        if given:
            parts = [f"{TARGET_LABELS[k]}: {format_target(k, v)}" for k, v in given]
            text = f"Chỉ tiêu năm {year} trong kế hoạch của xã (Kế hoạch hỗ trợ): " + "; ".join(parts) + "."
        else:
            text = f"Kế hoạch năm {year} của xã chưa có chỉ tiêu."
        ref = last_reference(db)
        if ref:
            source = f" của {ref['source']}" if ref.get("source") else ""
            text += f"\nGói tham chiếu gần nhất{source} nhập lúc {local_time(ref['received_at'])}."
        self.targets_label.setText(text)

    def _update_next(self) -> None:
        plan = plan_export(self.ctx.db, full=self.full_radio.isChecked())
        kind = "đầy đủ" if plan.is_full else f"thay đổi từ gói {plan.base_sequence}"
        n = count_changes(self.ctx.db, plan)
        self.next_label.setText(f"Số {plan.sequence} ({kind}), {format_number(n)} bản ghi")

    def _reload_aggregate(self) -> None:
        db = self.ctx.db
        statuses = aggregate.commune_statuses(db)
        _fill(self.communes, [
            [c.code, display(c.name, 200), c.last_sequence, local_time(c.last_created_at),
             local_time(c.last_imported_at), c.households, sum(c.counts.values()),
             format_sequences(c.missing) if c.missing else "Không", c.fingerprint or "Chưa có"]
            for c in statuses
        ])
        self._fill_targets({c.code: c.name for c in statuses})
        self.request_stats()

    # ---- statistics (a job: seconds on a large aggregate) ---------------------------------------
    def request_stats(self) -> None:
        """Compute the selected year's statistics off the UI thread; "Đang tính…" meanwhile."""
        self.stats_label.setText(f"Thống kê năm {self.ctx.year}: Đang tính…")
        if self.stats_handle is not None:  # one at a time; the latest request runs when it ends
            self._stats_again = True
            return
        year = self.ctx.year
        handle = self.ctx.runner.submit(lambda db: compute_aggregate_stats(db, year), f"Thống kê năm {year}", self)
        handle.finished.connect(self._show_stats)
        handle.failed.connect(self._stats_failed)
        handle.done.connect(self._stats_done)
        self.stats_handle = handle

    def _show_stats(self, data: dict) -> None:
        if self._stats_again or data["year"] != self.ctx.year:
            return  # stale: a newer computation follows
        self.stats_label.setText(f"Thống kê năm {data['year']} ({data['communes']} xã):")
        rows = [
            [b["name"], b["households"], *(b["by_classification"][k] for k in CLASSIFICATIONS),
             b["by_classification"]["escaped"]]
            for b in data["by_commune"].values()
        ]
        rows.append(["Tổng cộng", data["households"], *(data["by_classification"][k] for k in CLASSIFICATIONS),
                     data["by_classification"]["escaped"]])
        _fill(self.stats_table, rows)
        self.stats_shown.emit()

    def _stats_failed(self, message: str) -> None:
        self.stats_label.setText(f"Không tính được thống kê năm {self.ctx.year}: {message}")

    def _stats_done(self) -> None:
        self.stats_handle.deleteLater()  # one per reload: do not let them pile up on the runner
        self.stats_handle = None
        if self._stats_again:
            self._stats_again = False
            self.request_stats()

    # ---- targets the upper level gives each commune ---------------------------------------------
    def _fill_targets(self, names: dict[str, str]) -> None:
        year = self.ctx.year
        given = upper_targets(self.ctx.db, year)
        self.targets_intro.setText(
            f"Chỉ tiêu năm {year} cấp trên giao cho từng xã (để trống nếu không giao). Khi xuất gói tham chiếu, "
            "chỉ tiêu được gửi kèm; xã nhập gói thì chỉ tiêu vào Kế hoạch hỗ trợ của xã."
        )
        codes = sorted(set(names) | set(given), key=lambda c: (names.get(c, "\uffff"), c))
        self.targets_table.setRowCount(0)
        for code in codes:
            self._append_target_row(code, names.get(code, ""), given.get(code, {}))

    def _append_target_row(self, code: str, name: str, values: dict[str, float]) -> None:
        t = self.targets_table
        r = t.rowCount()
        t.insertRow(r)
        code_item = QTableWidgetItem(code)
        name_item = QTableWidgetItem(name)
        name_item.setFlags(name_item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        if code:  # a commune that sent packages (or already has targets) keeps its code
            code_item.setFlags(code_item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        t.setItem(r, 0, code_item)
        t.setItem(r, 1, name_item)
        for c, key in enumerate(TARGET_FIELDS, start=2):
            item = QTableWidgetItem(format_target(key, values.get(key)))
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            t.setItem(r, c, item)

    def add_target_row(self) -> None:
        """A row for a commune that has not sent a package yet: type its code, then its targets."""
        self._append_target_row("", "", {})
        row = self.targets_table.rowCount() - 1
        self.targets_table.setCurrentCell(row, 0)
        self.targets_table.editItem(self.targets_table.item(row, 0))

    def targets_from_table(self) -> dict[str, dict[str, float]]:
        """The table as commune code → targets; raises ValueError naming the row and target."""
        t = self.targets_table
        out: dict[str, dict[str, float]] = {}
        for r in range(t.rowCount()):
            code = t.item(r, 0).text().strip()
            values = {}
            for c, key in enumerate(TARGET_FIELDS, start=2):
                try:
                    value = parse_target(key, t.item(r, c).text())
                except ValueError as exc:
                    raise ValueError(f"Dòng {r + 1} (xã {code or 'chưa có mã'}): {exc}") from None
                if value is not None:
                    values[key] = value
            if not code:
                if values:
                    raise ValueError(f"Dòng {r + 1}: nhập mã xã cho các chỉ tiêu này.")
                continue
            if code in out:
                raise ValueError(f"Dòng {r + 1}: mã xã {code} đã có ở dòng trên.")
            out[code] = values
        return out

    def save_targets(self) -> bool:
        """Store the whole table as the year's targets; on an error nothing is stored."""
        try:
            targets = self.targets_from_table()
            set_upper_targets(self.ctx.db, self.ctx.year, targets, replace=True)
        except (ValueError, ValidationError) as exc:
            self._say(f"Chưa lưu chỉ tiêu. {exc}", error=True)
            return False
        given = sum(1 for v in targets.values() if v)
        self._say(f"Đã lưu chỉ tiêu năm {self.ctx.year} cho {given} xã.")
        self.ctx.notify_changed()
        return True

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
        """Export to ``path``; without a password only after the user confirms an unencrypted package."""
        full = self.full_radio.isChecked()
        encrypt = self.export_encrypt.isChecked()
        password = self.export_password.text() if encrypt else ""
        if encrypt and not password:
            self._say("Hãy nhập mật khẩu hoặc bỏ chọn mã hóa.", error=True)
            return None
        if not encrypt and QMessageBox.question(
            self, "Xuất gói không mã hóa?",
            "Gói chứa số CCCD, điện thoại, địa chỉ của các hộ. Không mã hóa thì ai có tệp cũng đọc được.\n"
            "Vẫn xuất gói KHÔNG mã hóa? (Lựa chọn này được ghi vào lịch sử gửi gói.)",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No,
        ) != QMessageBox.StandardButton.Yes:
            self._say("Chưa xuất gói. Hãy chọn mã hóa và nhập mật khẩu đã thống nhất với cấp trên.")
            return None
        year = self.ctx.year

        def job(db):
            return export_package(db, path, full=full, password=password or None, allow_unencrypted=not encrypt,
                                  year=year)

        def done(rec) -> None:
            kind = "đầy đủ" if rec.is_full else f"thay đổi từ gói {rec.base_sequence}"
            lock = "có mã hóa" if rec.encrypted else "KHÔNG mã hóa"
            self._say(f"Đã xuất gói số {rec.sequence} ({kind}, {lock}), {format_number(rec.total)} bản ghi: {path}")

        return self._run("Xuất gói đồng bộ", job, done)

    def _choose_import(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Chọn gói của các xã", "", PACKAGE_FILTER)
        if paths:
            self.start_import([Path(p) for p in paths])

    def start_import(self, paths: list[Path]) -> JobHandle:
        password = self.import_password.text() or None
        force = self.force_gap.isChecked()
        replace = self.replace_commune.isChecked()
        self.replace_commune.setChecked(False)  # a replacement is chosen for one import, never left on

        def job(db):
            return import_packages(db, paths, password=password, force_gap=force, replace_commune=replace)

        def done(results) -> None:
            lines = []
            for r in results:
                name = display(r.commune_name)
                if r.skipped_note:
                    lines.append(f"{name}, gói số {r.sequence}: {r.skipped_note}")
                    continue
                replaced = " (thay toàn bộ dữ liệu cũ của xã)" if r.replaced else ""
                lines.append(f"{name}, gói số {r.sequence}{replaced}: {format_number(r.merged.new)} mới, "
                             f"{format_number(r.merged.updated)} cập nhật.")
                if r.new_key:
                    lines.append(f"  Đã ghi nhận khóa của {name} (mã xã {r.commune_code}), mã nhận dạng {r.new_key}: "
                                 "hãy gọi điện cho xã để đối chiếu dãy số này.")
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
        """Write the commune's latest summary workbooks into ``folder`` as ``<code>-<name>``.

        Names come from outside, so only the kind the app writes is saved, under a sanitised name
        inside ``folder``; an existing file is replaced only after the user agrees.
        """
        files = {name: data for name, data in aggregate.attachments_of(self.ctx.db, code).items()
                 if not attachment_problem(name)}
        if not files:
            self._say(f"Xã {display(code)} chưa gửi tệp kèm theo nào.", error=True)
            return []
        targets = {folder / safe_file_name(f"{code}-{name}"): data for name, data in files.items()}
        existing = [p.name for p in targets if p.exists()]
        if existing and QMessageBox.question(
            self, "Ghi đè tệp?", "Trong thư mục đã có: " + ", ".join(existing) + ".\nGhi đè các tệp này?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No,
        ) != QMessageBox.StandardButton.Yes:
            self._say("Chưa lưu tệp kèm theo; các tệp có sẵn được giữ nguyên.")
            return []
        written = []
        try:
            for target, data in targets.items():
                target.write_bytes(data)
                written.append(target)
        except OSError as exc:
            self._say(f"Không ghi được tệp vào '{folder}': {describe_os_error(exc)}.", error=True)
            return written
        self._say(f"Đã lưu {len(written)} tệp kèm theo của xã {display(code)} vào {folder}.")
        return written

    def _choose_reference_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Lưu gói tham chiếu", f"tham-chieu-{self.ctx.year}.gnbvref",
                                              REFERENCE_FILTER)
        if path:
            self.start_reference_export(Path(path))

    def start_reference_export(self, path: Path) -> JobHandle | None:
        """Save the targets table first (what is on screen is what communes receive), then export."""
        if not self.save_targets():
            return None
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
            targets = (f" Chỉ tiêu năm {summary['year']} đã vào Kế hoạch hỗ trợ của xã."
                       if summary["targets"] else "")
            changes = "".join(f"\n{line}" for line in summary["standard_changes"])
            key = (f"\nĐã ghi nhận khóa của cấp trên, mã nhận dạng {summary['new_key']}: hãy gọi điện cho cấp trên "
                   "để đối chiếu dãy số này." if summary.get("new_key") else "")
            self._say(f"Đã cập nhật {len(summary['catalogs'])} danh mục và {len(summary['standards'])} chuẩn nghèo "
                      f"từ gói tham chiếu; dữ liệu hộ không thay đổi.{targets}{changes}{key}")

        return self._run("Nhập gói tham chiếu", lambda db: import_reference(db, path, password=password), done)

    def forget_upper_key(self) -> None:
        """After the upper level reinstalled its computer: the next reference package pins a new key."""
        if QMessageBox.question(
            self, "Bỏ khóa cấp trên?",
            "Chỉ làm việc này khi cấp trên đã gọi điện báo cài lại máy. Gói tham chiếu tiếp theo sẽ được ghi "
            "nhận làm khóa mới. Tiếp tục?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No,
        ) != QMessageBox.StandardButton.Yes:
            return
        forget_signer(self.ctx.db)
        self._say("Đã bỏ khóa cấp trên đã ghi nhận; gói tham chiếu tiếp theo sẽ được ghi nhận làm khóa mới.")
        self.reload()

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
