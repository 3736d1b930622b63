"""``gnbv-desktop --open FILE``: what a double-click on a ``.gnbv`` / ``.gnbvref`` file does.

On the upper level's machine a commune's package is imported at once (the same job as the
Đồng bộ page, with its progress dialog); on a commune's machine a reference package from the
upper level is imported. Anything else is explained, and nothing is changed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from gnbv_desktop.core.text import format_number
from gnbv_desktop.gui.context import AppContext
from gnbv_desktop.jobs.reference_sync import import_reference
from gnbv_desktop.jobs.sync import import_packages
from gnbv_desktop.store.aggregate import is_aggregate

TITLE = "Mở tệp"
PASSWORD_HINT = " Nếu gói có mật khẩu, hãy nhập ở trang Đồng bộ."


def open_package(parent: QWidget, ctx: AppContext, path: Path) -> None:
    suffix = path.suffix.lower()
    if not path.is_file():
        QMessageBox.warning(parent, TITLE, f"Không tìm thấy tệp '{path}'.")
        return
    aggregate = is_aggregate(ctx.db)
    if suffix == ".gnbv" and aggregate:
        title = f"Đang nhập gói {path.name}…"
        handle = ctx.runner.run_with_dialog(parent, title, lambda db: import_packages(db, [path]))
        handle.finished.connect(lambda results: _imported(parent, results))
    elif suffix == ".gnbvref" and not aggregate:
        handle = ctx.runner.run_with_dialog(parent, f"Đang nhập {path.name}…", lambda db: import_reference(db, path))
        handle.finished.connect(lambda summary: QMessageBox.information(
            parent, TITLE, f"Đã nhập gói tham chiếu: {len(summary['catalogs'])} danh mục, "
                           f"{len(summary['standards'])} chuẩn nghèo."))
    elif suffix == ".gnbv":
        QMessageBox.information(parent, TITLE, f"'{path.name}' là gói dữ liệu một xã gửi cấp trên; chỉ máy của cấp "
                                               "trên (chế độ tổng hợp) nhập được gói này.")
        return
    elif suffix == ".gnbvref":
        QMessageBox.information(parent, TITLE, "Gói tham chiếu (.gnbvref) dành cho máy của xã; máy cấp trên tạo gói này.")
        return
    else:
        QMessageBox.warning(parent, TITLE, f"Không mở được '{path.name}': chỉ mở được gói .gnbv hoặc .gnbvref.")
        return
    handle.finished.connect(lambda _r: ctx.notify_changed())
    handle.failed.connect(lambda message: QMessageBox.warning(parent, TITLE, message + PASSWORD_HINT))


def _imported(parent: QWidget, results) -> None:
    lines = []
    for r in results:
        if r.already_imported:
            lines.append(f"{r.commune_name}, gói số {r.sequence}: đã nhập trước đây, không thay đổi.")
        else:
            lines.append(f"{r.commune_name}, gói số {r.sequence}: {format_number(r.merged.new)} bản ghi mới, "
                         f"{format_number(r.merged.updated)} cập nhật.")
    QMessageBox.information(parent, TITLE, "\n".join(lines))
