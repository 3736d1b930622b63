"""First run: which commune this is, who receives its data, its villages — or the demo commune."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QLabel, QMessageBox, QVBoxLayout, QWizard, QWizardPage
from sqlite_utils import Database

from gnbv_desktop.gui.commune_form import CommuneForm, VillageTable
from gnbv_desktop.store.settings import save_settings
from gnbv_desktop.store.villages import VillageError, add_village


class _CommunePage(QWizardPage):
    def __init__(self, wizard: SetupWizard):
        super().__init__()
        self.w = wizard
        self.setTitle("Thông tin xã/phường")
        self.setSubTitle("Chọn đơn vị hành chính trong danh mục năm 2025 (hoặc gõ tên nếu chưa có).")
        self.form = CommuneForm()
        self.demo = QCheckBox("Dùng dữ liệu mẫu (một xã giả lập với 200 hộ để xem thử các chức năng)")
        lay = QVBoxLayout(self)
        lay.addWidget(self.form)
        lay.addWidget(self.demo)
        self.demo.toggled.connect(self._demo_toggled)

    def _demo_toggled(self, on: bool) -> None:
        self.form.setEnabled(not on)

    def validatePage(self) -> bool:
        if self.demo.isChecked():
            return True
        errors = self.form.errors()
        if errors:
            QMessageBox.warning(self, "Thiếu thông tin", "\n".join(errors))
            return False
        return True

    def nextId(self) -> int:
        return -1 if self.demo.isChecked() else 1


class _VillagesPage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle("Các thôn, ấp, bản, tổ dân phố")
        self.setSubTitle("Khu vực nông thôn hay thành thị quyết định chuẩn thu nhập áp dụng cho hộ.")
        self.villages = VillageTable()
        self.villages.add_row("Thôn 1", "rural", None)
        lay = QVBoxLayout(self)
        lay.addWidget(self.villages)
        lay.addWidget(QLabel("Có thể sửa danh sách thôn sau trong Cài đặt."))

    def validatePage(self) -> bool:
        if not self.villages.rows():
            QMessageBox.warning(self, "Thiếu thông tin", "Cần ít nhất một thôn.")
            return False
        names = [n.lower() for _i, n, _a in self.villages.rows()]
        if len(set(names)) != len(names):
            QMessageBox.warning(self, "Trùng tên", "Có hai thôn trùng tên.")
            return False
        return True


class SetupWizard(QWizard):
    """Writes the commune settings and villages in one transaction when finished."""

    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("GNBV Desktop — thiết lập lần đầu")
        self.setButtonText(QWizard.WizardButton.NextButton, "Tiếp")
        self.setButtonText(QWizard.WizardButton.BackButton, "Quay lại")
        self.setButtonText(QWizard.WizardButton.FinishButton, "Hoàn tất")
        self.setButtonText(QWizard.WizardButton.CancelButton, "Hủy")
        self.commune_page = _CommunePage(self)
        self.villages_page = _VillagesPage()
        self.setPage(0, self.commune_page)
        self.setPage(1, self.villages_page)
        self.resize(720, 520)

    @property
    def use_demo(self) -> bool:
        return self.commune_page.demo.isChecked()

    def accept(self) -> None:
        if not self.use_demo:
            try:
                with self.db.atomic():
                    save_settings(self.db, self.commune_page.form.settings())
                    for _vid, name, area in self.villages_page.villages.rows():
                        add_village(self.db, name, area)
            except VillageError as exc:
                QMessageBox.warning(self, "Không lưu được", str(exc))
                return
        super().accept()
