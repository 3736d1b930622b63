"""First run: which commune this is, who receives its data, its villages — or the demo commune,
or an upper-level office.

Each path has its own pages, chosen on the first page through ``nextId``: the first page always
has a next page, and the last page of every path is final from the moment it is shown, so the
wizard's own Tiếp/Hoàn tất buttons reach the end of every path (a page whose ``nextId`` only
turns -1 after a click is never re-evaluated by QWizard). Page layouts are ``ui/setup_*.ui``.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QVBoxLayout, QWidget, QWizard, QWizardPage
from sqlite_utils import Database

from gnbv_desktop.core.text import clean
from gnbv_desktop.gui.commune_form import CommuneForm, VillageTable
from gnbv_desktop.gui.context import AppContext
from gnbv_desktop.gui.job_runner import JobHandle
from gnbv_desktop.gui.ui_loader import load_ui
from gnbv_desktop.jobs.demo import create_demo
from gnbv_desktop.store.aggregate import make_aggregate
from gnbv_desktop.store.settings import SettingsError, save_settings
from gnbv_desktop.store.villages import VillageError, add_village

CHOICE, COMMUNE, VILLAGES, DEMO, OFFICE = range(5)
DEMO_HOUSEHOLDS = 200


def _page(title: str, subtitle: str, form: str) -> tuple[QWizardPage, QWidget]:
    page = QWizardPage()
    page.setTitle(title)
    page.setSubTitle(subtitle)
    ui = load_ui(form)
    lay = QVBoxLayout(page)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.addWidget(ui)
    return page, ui


class _ChoicePage(QWizardPage):
    """Commune machine, demo data, or upper-level office: decides the following pages."""

    def __init__(self):
        super().__init__()
        self.setTitle("Máy này dùng để làm gì?")
        self.setSubTitle("Chọn một cách dùng rồi nhấn Tiếp.")
        self.ui = load_ui("setup_choice.ui")
        QVBoxLayout(self).addWidget(self.ui)

    def nextId(self) -> int:
        if self.ui.demoRadio.isChecked():
            return DEMO
        if self.ui.aggregateRadio.isChecked():
            return OFFICE
        return COMMUNE


class _CommunePage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle("Thông tin xã/phường")
        self.setSubTitle("Chọn đơn vị hành chính trong danh mục năm 2025 (hoặc gõ tên, có dấu hay không dấu).")
        self.form = CommuneForm()
        QVBoxLayout(self).addWidget(self.form)

    def validatePage(self) -> bool:
        errors = self.form.errors()
        self.form.show_errors(errors)
        return not errors

    def nextId(self) -> int:
        return VILLAGES


class _VillagesPage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle("Các thôn, ấp, bản, tổ dân phố")
        self.setSubTitle("Khu vực nông thôn hay thành thị quyết định chuẩn thu nhập áp dụng cho hộ.")
        self.ui = load_ui("setup_villages.ui")
        QVBoxLayout(self).addWidget(self.ui)
        self.villages = VillageTable()
        self.villages.add_row("Thôn 1", "rural", None)
        self.ui.villagesHost.layout().addWidget(self.villages)

    def _error(self, text: str) -> bool:
        self.ui.villagesError.setText(text)
        self.ui.villagesError.setVisible(bool(text))
        return not text

    def validatePage(self) -> bool:
        names = [n.lower() for _i, n, _a in self.villages.rows()]
        if not names:
            return self._error("Cần ít nhất một thôn.")
        if len(set(names)) != len(names):
            return self._error("Có hai thôn trùng tên.")
        return self._error("")

    def nextId(self) -> int:
        return -1


class _FinalPage(QWizardPage):
    def nextId(self) -> int:
        return -1


class SetupWizard(QWizard):
    """Writes the commune settings and villages in one transaction when finished (or marks the
    database as an upper level's; the demo is created by :func:`start_demo` once the window shows)."""

    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("GNBV Desktop — thiết lập lần đầu")
        self.setButtonText(QWizard.WizardButton.NextButton, "Tiếp")
        self.setButtonText(QWizard.WizardButton.BackButton, "Quay lại")
        self.setButtonText(QWizard.WizardButton.FinishButton, "Hoàn tất")
        self.setButtonText(QWizard.WizardButton.CancelButton, "Hủy")
        self.choice_page = _ChoicePage()
        self.commune_page = _CommunePage()
        self.villages_page = _VillagesPage()
        self.demo_page = _FinalPage()
        self.demo_page.setTitle("Dữ liệu mẫu")
        self.demo_page.setSubTitle("Xem thử phần mềm với một xã giả lập.")
        QVBoxLayout(self.demo_page).addWidget(load_ui("setup_demo.ui"))
        self.office_page = _FinalPage()
        self.office_page.setTitle("Cơ quan cấp trên")
        self.office_page.setSubTitle("Tên cơ quan in trên các bảng tổng hợp.")
        self.office_ui = load_ui("setup_office.ui")
        QVBoxLayout(self.office_page).addWidget(self.office_ui)
        self.office_name = self.office_ui.officeNameEdit
        # A mandatory field ("*"): Hoàn tất stays disabled until the office name is typed.
        self.office_page.registerField("officeName*", self.office_name)
        for page_id, page in ((CHOICE, self.choice_page), (COMMUNE, self.commune_page), (VILLAGES, self.villages_page),
                              (DEMO, self.demo_page), (OFFICE, self.office_page)):
            self.setPage(page_id, page)
        self.setStartId(CHOICE)
        self.resize(760, 560)

    @property
    def use_demo(self) -> bool:
        return self.choice_page.ui.demoRadio.isChecked()

    @property
    def use_aggregate(self) -> bool:
        return self.choice_page.ui.aggregateRadio.isChecked()

    def accept(self) -> None:
        if self.use_aggregate:
            name = clean(self.office_name.text())
            if not name:
                return
            make_aggregate(self.db, name)
        elif not self.use_demo:
            try:
                with self.db.atomic():
                    save_settings(self.db, self.commune_page.form.settings())
                    for _vid, name, area in self.villages_page.villages.rows():
                        add_village(self.db, name, area)
            except (SettingsError, VillageError) as exc:
                QMessageBox.warning(self, "Không lưu được", str(exc))
                return
        super().accept()


def start_demo(window: QWidget, ctx: AppContext) -> JobHandle:
    """Create the demo commune in the background once the main window shows (the "Dùng dữ liệu
    mẫu" path of the wizard); pages reload when it is done."""
    handle = ctx.runner.run_with_dialog(
        window, "Đang tạo dữ liệu mẫu…", lambda wdb: create_demo(wdb, DEMO_HOUSEHOLDS, seed=1, year=ctx.year)
    )
    handle.finished.connect(lambda _n: ctx.notify_changed())
    return handle
