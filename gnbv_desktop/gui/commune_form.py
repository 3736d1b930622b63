"""Commune identity and villages: shared by the first-run wizard and the settings page."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gnbv_desktop.core.catalogs import AdminUnit, find_unit, provinces, units_of_province
from gnbv_desktop.core.standards import AREA_LABELS
from gnbv_desktop.core.text import clean, fold
from gnbv_desktop.gui.ui_loader import load_ui
from gnbv_desktop.store.settings import DEFAULT_UPPER_LEVEL_TEMPLATE, CommuneSettings


def province_phrase(name: str) -> str:
    return name if fold(name).startswith(("thanh pho", "tinh")) else f"tỉnh {name}"


class CommuneForm(QWidget):
    """Province and commune picked from the 2025 list (typed names are matched to it), and the
    upper level. The layout is ``ui/commune_form.ui``."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.ui = load_ui("commune_form.ui")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.ui)
        self.province: QComboBox = self.ui.provinceCombo
        self.commune: QComboBox = self.ui.communeCombo
        self.code: QLineEdit = self.ui.codeEdit
        self.upper_level: QLineEdit = self.ui.upperLevelEdit
        self.code_warning: QLabel = self.ui.codeWarning
        self.error_label: QLabel = self.ui.formError
        self.province.addItem("— chọn tỉnh/thành phố —", "")
        for code, name in provinces():
            self.province.addItem(name, code)
        self.commune.lineEdit().setPlaceholderText("Chọn trong danh mục hoặc gõ tên xã/phường")
        self._upper_auto = True
        self._code_auto = True
        self._unit: AdminUnit | None = None
        self.upper_level.textEdited.connect(self._upper_edited)
        self.code.textEdited.connect(self._code_edited)
        self.province.currentIndexChanged.connect(self._province_changed)
        self.commune.editTextChanged.connect(self._commune_typed)
        for signal in (self.province.currentIndexChanged, self.commune.editTextChanged, self.code.textChanged,
                       self.upper_level.textChanged):
            signal.connect(self.changed)

    def _upper_edited(self, _t: str) -> None:
        self._upper_auto = False

    def _code_edited(self, _t: str) -> None:
        self._code_auto = False
        self._update_warning()

    def _province_changed(self) -> None:
        code = self.province.currentData()
        typed = self.commune.currentText()
        self.commune.blockSignals(True)
        self.commune.clear()
        if code:
            for u in units_of_province(code):
                self.commune.addItem(u.unit_name, u.unit_code)
        self.commune.setCurrentIndex(-1)
        self.commune.setEditText(typed)
        self.commune.blockSignals(False)
        if self._upper_auto and code:
            self.upper_level.setText(DEFAULT_UPPER_LEVEL_TEMPLATE.format(province=province_phrase(self.province.currentText())))
        self._commune_typed(typed)

    def _commune_typed(self, text: str) -> None:
        """A name picked or typed ("Ia Grai", "xa ia grai") is matched to the 2025 catalogue; the
        unit code follows the match, and a name that matches nothing is flagged, not guessed."""
        code = self.province.currentData()
        self._unit = find_unit(code, text) if code and clean(text) else None
        if self._code_auto:
            self.code.setText(self._unit.unit_code if self._unit else "")
        self._update_warning()

    def _update_warning(self) -> None:
        typed = clean(self.commune.currentText())
        show = bool(self.province.currentData() and typed and not clean(self.code.text()))
        self.code_warning.setText(
            f"Không tìm thấy \"{typed}\" trong danh mục xã/phường năm 2025 của {self.province.currentText()}: "
            "mã đơn vị đang để trống. Kiểm tra lại tên (chọn trong danh sách) hoặc nhập mã đơn vị." if show else ""
        )
        self.code_warning.setVisible(show)

    def set_settings(self, s: CommuneSettings) -> None:
        idx = self.province.findData(s.province_code)
        if idx < 0:
            idx = self.province.findText(s.province_name)
        self.province.setCurrentIndex(max(0, idx))
        self._code_auto = not s.commune_code
        self.commune.setEditText(s.commune_name)
        self.code.setText(s.commune_code)
        self.upper_level.setText(s.upper_level)
        self._upper_auto = not s.upper_level
        self._update_warning()

    def settings(self, base: CommuneSettings | None = None) -> CommuneSettings:
        s = CommuneSettings(**vars(base)) if base else CommuneSettings()
        s.province_code = self.province.currentData() or ""
        s.province_name = self.province.currentText() if s.province_code else ""
        s.commune_name = self._unit.unit_name if self._unit else clean(self.commune.currentText())
        s.commune_code = clean(self.code.text())
        s.upper_level = clean(self.upper_level.text())
        return s

    def errors(self) -> list[str]:
        out = []
        if not self.province.currentData():
            out.append("Chưa chọn tỉnh/thành phố.")
        if not clean(self.commune.currentText()):
            out.append("Chưa nhập tên xã/phường.")
        return out

    def show_errors(self, errors: list[str]) -> None:
        self.error_label.setText("\n".join(errors))
        self.error_label.setVisible(bool(errors))


class VillageTable(QWidget):
    """Editable list of villages, each rural or urban (income lines differ by area)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["Tên thôn / ấp / bản / tổ dân phố", "Khu vực"])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        add = QPushButton("Thêm thôn")
        add.clicked.connect(lambda: self.add_row("", "rural", None, focus=True))
        self.remove = QPushButton("Xóa thôn đã chọn")
        self.remove.clicked.connect(self._remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(self.remove)
        buttons.addStretch()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.table)
        lay.addLayout(buttons)
        self.removed_ids: list[int] = []

    def add_row(self, name: str, area: str, village_id: int | None, focus: bool = False) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        item = QTableWidgetItem(name)
        item.setData(256, village_id)
        self.table.setItem(r, 0, item)
        combo = QComboBox()
        for key, label in AREA_LABELS.items():
            combo.addItem(label, key)
        combo.setCurrentIndex(max(0, combo.findData(area)))
        self.table.setCellWidget(r, 1, combo)
        if focus:
            self.table.setCurrentCell(r, 0)
            self.table.editItem(item)

    def _remove_selected(self) -> None:
        for r in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            vid = self.table.item(r, 0).data(256)
            if vid is not None:
                self.removed_ids.append(vid)
            self.table.removeRow(r)

    def rows(self) -> list[tuple[int | None, str, str]]:
        out = []
        for r in range(self.table.rowCount()):
            name = clean(self.table.item(r, 0).text() if self.table.item(r, 0) else "")
            if name:
                out.append((self.table.item(r, 0).data(256), name, self.table.cellWidget(r, 1).currentData()))
        return out
