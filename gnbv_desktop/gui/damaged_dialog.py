"""What the official sees when the data file failed the check at open: why, and the way back."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from gnbv_desktop.core.text import format_number
from gnbv_desktop.store.backup import BackupError, latest_good_backup, restore
from gnbv_desktop.store.database import DamagedDatabase


def offer_restore(parent: QWidget | None, db_path: Path, error: DamagedDatabase) -> bool:
    """Explain the damage and offer the newest sound backup; True when it was restored."""
    good = latest_good_backup(db_path)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("Tệp dữ liệu bị hỏng")
    text = (
        "Tệp dữ liệu không vượt qua kiểm tra khi mở (có thể do mất điện, ổ đĩa hỏng hoặc vi-rút). "
        "Phần mềm chưa ghi gì vào tệp này."
    )
    restore_button = None
    if good is not None:
        households = "" if good.households is None else f", {format_number(good.households)} hộ"
        text += (f"\n\nBản sao lưu tốt gần nhất: {good.created:%H:%M:%S ngày %d/%m/%Y} ({good.reason_label}{households}). "
                 "Tệp hỏng sẽ được giữ lại trong thư mục sao lưu.")
        restore_button = box.addButton("Khôi phục bản sao lưu này", QMessageBox.ButtonRole.AcceptRole)
    else:
        text += "\n\nKhông tìm thấy bản sao lưu tốt trong thư mục sao lưu. Hãy liên hệ cán bộ kỹ thuật."
    box.setText(text)
    box.setDetailedText(str(error))
    box.addButton("Thoát", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if restore_button is None or box.clickedButton() is not restore_button:
        return False
    try:
        restore(db_path, good.path, current_damaged=True)
    except BackupError as exc:
        QMessageBox.critical(parent, "Không khôi phục được", str(exc))
        return False
    return True
