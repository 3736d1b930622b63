"""Cài đặt → Danh mục: edit the catalogues of support measures, funding sources, causes and needs.

One table per catalogue; list fields (funding sources, causes, needs, indicator codes per
standard) are typed as comma-separated codes and checked against their catalogues before
saving, so a typo never reaches a plan. The database copy wins once saved; "Khôi phục mặc định"
puts the shipped list back.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gnbv_desktop.core.catalogs import shipped_catalog_items
from gnbv_desktop.core.standard_set import StandardSet
from gnbv_desktop.gui.context import AppContext
from gnbv_desktop.gui.unsaved_changes import FormSnapshot, confirm_discard
from gnbv_desktop.gui.widgets import confirm
from gnbv_desktop.store.catalog_store import CatalogError, load_catalog, replace_catalog
from gnbv_desktop.store.standard_store import standards_in_force

CATALOGUES = {
    "support_measures": "Giải pháp, chính sách hỗ trợ",
    "funding_sources": "Nguồn kinh phí",
    "causes": "Nguyên nhân nghèo",
    "needs": "Nhu cầu hỗ trợ",
}


def _fields(name: str, standards: StandardSet) -> list[tuple[str, str]]:
    """(key, column title) after code and name; ``indicators:<standard>`` keys map into a dict."""
    if name == "support_measures":
        return [("short", "Tên ngắn (in phụ lục)"), ("lead_agency", "Cơ quan chủ trì thường gặp"),
                ("funding_sources", "Nguồn kinh phí (mã)"), ("causes", "Nguyên nhân (mã)"),
                ("needs", "Nhu cầu (mã)")] + [
            (f"indicators:{s.id}", f"Chỉ số {s.short_name}") for s in standards]
    if name == "funding_sources":
        return [("short", "Tên ngắn")]
    return []


LIST_KEYS = {"funding_sources": "funding_sources", "causes": "causes", "needs": "needs"}


def _split(text: str) -> list[str]:
    return [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]


def check_references(db, name: str, items: list[dict]) -> list[str]:
    """Problems with codes that point into other catalogues or standards (Vietnamese, by row)."""
    if name != "support_measures":
        return []
    known = {key: {i["code"] for i in load_catalog(db, cat)} for key, cat in LIST_KEYS.items()}
    codes = {s.id: set(s.indicator_codes) for s in standards_in_force(db)}
    problems = []
    for row, item in enumerate(items, 1):
        for key in LIST_KEYS:
            bad = [c for c in item.get(key, []) if c not in known[key]]
            if bad:
                problems.append(f"Dòng {row} ({item['name']}): mã {', '.join(bad)} không có trong danh mục "
                                f"{CATALOGUES[LIST_KEYS[key]].lower()}.")
        for std, inds in item.get("indicators", {}).items():
            bad = [c for c in inds if c not in codes.get(std, set())]
            if bad:
                problems.append(f"Dòng {row} ({item['name']}): chỉ số {', '.join(bad)} không có trong chuẩn {std}.")
    return problems


class CatalogEditor(QWidget):
    title = "Danh mục"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.choice = QComboBox()
        for code, label in CATALOGUES.items():
            self.choice.addItem(label, code)
        self._shown = self.choice.currentData()
        self.choice.currentIndexChanged.connect(self._on_choice)
        self.table = QTableWidget()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.add_button = QPushButton("Thêm dòng")
        self.add_button.clicked.connect(self.add_row)
        self.remove_button = QPushButton("Xóa dòng")
        self.remove_button.clicked.connect(self.remove_selected)
        self.save_button = QPushButton("Lưu danh mục")
        self.save_button.clicked.connect(self.save)
        self.reset_button = QPushButton("Khôi phục mặc định")
        self.reset_button.clicked.connect(self.reset)
        top = QHBoxLayout()
        top.addWidget(QLabel("Danh mục:"))
        top.addWidget(self.choice, 1)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        for b in (self.reset_button, self.save_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.snapshot = FormSnapshot(self.table)
        ctx.data_changed.connect(self._on_data_changed)
        self.reload()

    @property
    def catalog(self) -> str:
        return self._shown

    def _on_choice(self) -> None:
        """Another catalogue: the edited one is saved or dropped first, as the official says."""
        if self.choice.currentData() == self._shown:
            return
        if not self.confirm_leave():
            self.choice.blockSignals(True)
            self.choice.setCurrentIndex(self.choice.findData(self._shown))
            self.choice.blockSignals(False)
            return
        self._shown = self.choice.currentData()
        self.reload()

    def _on_data_changed(self) -> None:
        if not self.snapshot.is_dirty():  # rows being edited are not replaced under the official's hands
            self.reload()

    def confirm_leave(self) -> bool:
        return confirm_discard(self, f"Danh mục {CATALOGUES[self._shown].lower()}", self.snapshot.is_dirty(),
                               self.save)

    def reload(self) -> None:
        fields = _fields(self.catalog, self.ctx.standards)
        self.table.clear()
        self.table.setColumnCount(2 + len(fields))
        self.table.setHorizontalHeaderLabels(["Mã", "Tên"] + [t for _k, t in fields])
        items = load_catalog(self.ctx.db, self.catalog)
        self.table.setRowCount(0)
        for item in items:
            self.add_row(item)
        self.table.setColumnWidth(1, 320)
        self.message.clear()
        self.snapshot.mark_clean()

    def add_row(self, item: dict | None = None) -> None:
        item = item or {}
        row = self.table.rowCount()
        self.table.insertRow(row)
        values = [item.get("code", ""), item.get("name", "")]
        for key, _title in _fields(self.catalog, self.ctx.standards):
            if key.startswith("indicators:"):
                v = (item.get("indicators") or {}).get(key.split(":", 1)[1], [])
            else:
                v = item.get(key, "")
            values.append(", ".join(v) if isinstance(v, list) else str(v))
        for col, v in enumerate(values):
            self.table.setItem(row, col, QTableWidgetItem(v))

    def remove_selected(self) -> None:
        for row in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)

    def items(self) -> list[dict]:
        out = []
        fields = _fields(self.catalog, self.ctx.standards)
        for row in range(self.table.rowCount()):
            cell = [(self.table.item(row, c).text().strip() if self.table.item(row, c) else "")
                    for c in range(self.table.columnCount())]
            if not any(cell):
                continue
            item: dict = {"code": cell[0], "name": cell[1]}
            for (key, _t), text in zip(fields, cell[2:], strict=True):
                if key.startswith("indicators:"):
                    codes = _split(text)
                    if codes:
                        item.setdefault("indicators", {})[key.split(":", 1)[1]] = codes
                elif key in LIST_KEYS:
                    item[key] = _split(text)
                elif text:
                    item[key] = text
            out.append(item)
        return out

    def save(self) -> bool:
        items = self.items()
        problems = check_references(self.ctx.db, self.catalog, items)
        if problems:
            self.message.setText("\n".join(problems))
            return False
        try:
            replace_catalog(self.ctx.db, self.catalog, items)
        except CatalogError as exc:
            self.message.setText(str(exc))
            return False
        self.snapshot.mark_clean()
        self.ctx.notify_changed()
        self.message.setText(f"Đã lưu {len(items)} mục.")
        return True

    def reset(self) -> None:
        if not confirm(self, "Danh mục", "Thay danh mục đang dùng bằng danh mục mặc định của phần mềm?",
                       "Khôi phục mặc định"):
            return
        replace_catalog(self.ctx.db, self.catalog, shipped_catalog_items(self.catalog))
        self.reload()
        self.ctx.notify_changed()
