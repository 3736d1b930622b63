"""Cài đặt: commune identity, upper level, villages; other features add their own tabs."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from gnbv_desktop.gui.accounts_tab import AccountsTab
from gnbv_desktop.gui.backup_tab import BackupTab
from gnbv_desktop.gui.commune_form import CommuneForm, VillageTable
from gnbv_desktop.gui.context import AppContext
from gnbv_desktop.gui.pages.catalog_editor import CatalogEditor
from gnbv_desktop.gui.personal_data_tab import PersonalDataTab
from gnbv_desktop.gui.residents_widget import ResidentsEditor
from gnbv_desktop.gui.unsaved_changes import FormSnapshot, confirm_discard
from gnbv_desktop.store.settings import SettingsError, save_settings
from gnbv_desktop.store.villages import VillageError, add_village, delete_village, list_villages, update_village


class SettingsPage(QWidget):
    title = "Cài đặt"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.tabs = QTabWidget()
        commune_tab = QWidget()
        self.form = CommuneForm()
        self.villages = VillageTable()
        self.save_button = QPushButton("Lưu thông tin xã và các thôn")
        self.save_button.clicked.connect(self.save)
        self.message = QLabel()
        self.message.setWordWrap(True)
        lay = QVBoxLayout(commune_tab)
        lay.addWidget(self.form)
        lay.addWidget(QLabel("<b>Thôn / ấp / bản / tổ dân phố</b>"))
        lay.addWidget(self.villages, 1)
        lay.addWidget(self.save_button)
        lay.addWidget(self.message)
        self.tabs.addTab(commune_tab, "Xã và các thôn")
        self.snapshot = FormSnapshot(self.form, self.villages)
        self.catalogs = CatalogEditor(ctx)
        self.tabs.addTab(self.catalogs, CatalogEditor.title)
        self.residents = ResidentsEditor(ctx)
        self.add_tab(self.residents, ResidentsEditor.title)
        self.backups = BackupTab(ctx)
        self.tabs.addTab(self.backups, BackupTab.title)
        self.accounts = AccountsTab(ctx)
        self.tabs.addTab(self.accounts, AccountsTab.title)
        self.personal_data = PersonalDataTab(ctx)
        self.tabs.addTab(self.personal_data, PersonalDataTab.title)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.reload()

    def add_tab(self, widget: QWidget, title: str) -> None:
        self.tabs.addTab(widget, title)

    def reload(self) -> None:
        self.form.set_settings(self.ctx.settings())
        self.villages.table.setRowCount(0)
        self.villages.removed_ids.clear()
        for v in list_villages(self.ctx.db):
            self.villages.add_row(v.name, v.area, v.id)
        self.message.clear()
        self.snapshot.mark_clean()

    def confirm_leave(self) -> bool:
        """Before the window closes: unsaved commune or village edits, then catalogue edits."""
        return confirm_discard(self, "Thông tin xã và các thôn", self.snapshot.is_dirty(), self.save) and (
            self.catalogs.confirm_leave())

    def _problem(self, text: str) -> bool:
        self.message.setStyleSheet("color: #b00020;" if text else "")
        self.message.setText(text)
        return False

    def save(self) -> bool:
        """Commune and villages in one transaction; a problem is shown under the form and
        nothing typed is lost."""
        errors = self.form.errors()
        self.form.show_errors(errors)
        if not self.villages.rows():
            return self._problem("Cần ít nhất một thôn.")
        if errors:
            return self._problem("Chưa lưu được: " + " ".join(errors))
        db = self.ctx.db
        try:
            with db.atomic():
                save_settings(db, self.form.settings(self.ctx.settings()))
                for vid in self.villages.removed_ids:
                    delete_village(db, vid)
                for vid, name, area in self.villages.rows():
                    if vid is None:
                        add_village(db, name, area)
                    else:
                        update_village(db, vid, name, area)
        except (SettingsError, VillageError) as exc:
            return self._problem(f"Chưa lưu được: {exc}")
        self.reload()
        self.message.setStyleSheet("")
        self.message.setText("Đã lưu.")
        self.ctx.notify_changed()
        return True
