"""``gnbv-desktop --open FILE``: what a double-click on a ``.gnbv`` / ``.gnbvref`` file does.

On the upper level's machine a commune's package is imported at once (the same job as the
Đồng bộ page, with its progress dialog); on a commune's machine a reference package from the
upper level is imported. Anything else is explained, and nothing is changed. The answers are
window-modal message boxes opened without blocking, so the window stays responsive.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from gnbv_desktop.core.text import format_number
from gnbv_desktop.gui.context import AppContext
from gnbv_desktop.gui.job_runner import JobHandle
from gnbv_desktop.jobs.reference_sync import import_reference
from gnbv_desktop.jobs.sync import import_packages
from gnbv_desktop.store.settings import is_aggregate

TITLE = "Mở tệp"
PASSWORD_HINT = " Nếu gói có mật khẩu, hãy nhập gói ở trang Đồng bộ."


def tell(parent: QWidget, text: str, *, warning: bool = False) -> QMessageBox:
    icon = QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information
    box = QMessageBox(icon, TITLE, text, QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def open_package(parent: QWidget, ctx: AppContext, path: Path) -> JobHandle | None:
    """Start importing ``path`` when this database takes it; otherwise say why not (None)."""
    suffix = path.suffix.lower()
    if not path.is_file():
        tell(parent, f"Không tìm thấy tệp '{path}'.", warning=True)
        return None
    aggregate = is_aggregate(ctx.db)
    if suffix == ".gnbv" and aggregate:
        handle = ctx.runner.run_with_dialog(parent, f"Đang nhập gói {path.name}…", lambda db: import_packages(db, [path]))
        handle.finished.connect(lambda results: tell(parent, _imported(results)))
    elif suffix == ".gnbvref" and not aggregate:
        handle = ctx.runner.run_with_dialog(parent, f"Đang nhập {path.name}…", lambda db: import_reference(db, path))
        handle.finished.connect(lambda summary: tell(
            parent, f"Đã nhập gói tham chiếu: {len(summary['catalogs'])} danh mục, {len(summary['standards'])} chuẩn nghèo."))
    else:
        if suffix == ".gnbv":
            text = (f"'{path.name}' là gói dữ liệu một xã gửi cấp trên; chỉ máy của cấp trên (chế độ tổng hợp) "
                    "nhập được gói này. Không có gì thay đổi.")
        elif suffix == ".gnbvref":
            text = "Gói tham chiếu (.gnbvref) dành cho máy của xã; máy cấp trên là nơi tạo gói này."
        else:
            text = f"Không mở được '{path.name}': chỉ mở được gói .gnbv hoặc .gnbvref."
        tell(parent, text, warning=True)
        return None
    handle.finished.connect(lambda _r: ctx.notify_changed())
    handle.failed.connect(lambda message: tell(parent, message + PASSWORD_HINT, warning=True))
    return handle


def _imported(results) -> str:
    lines = []
    for r in results:
        if r.skipped_note:
            lines.append(f"{r.commune_name}, gói số {r.sequence}: {r.skipped_note}")
        else:
            lines.append(f"{r.commune_name}, gói số {r.sequence}: {format_number(r.merged.new)} bản ghi mới, "
                         f"{format_number(r.merged.updated)} cập nhật.")
    return "\n".join(lines)
