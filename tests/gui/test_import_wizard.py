"""The import wizard end to end, and the export action, driven like a user would."""

from __future__ import annotations

import json

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from gnbv_desktop.gui.context import AppContext
from gnbv_desktop.gui.import_wizard import ERROR_COLOR, WARNING_COLOR, ImportWizard, export_households
from gnbv_desktop.store.household_list import list_rows
from tests.gui.dialogs import answer
from tests.gui.import_steps import choose_file
from tests.io.workbooks import simple_list

pytestmark = pytest.mark.gui

ROWS = [
    [1, "Hà Văn Một", 1970, "064070000001", "Thôn 1", "1.000.000", "Nghèo"],
    [2, "Hà Thị Hai", 1980, "123", "Thôn 1", "1.100.000", "Cận nghèo"],
    [3, "Hà Văn Ba", 1990, None, "Xóm Mới", "900.000", "HN"],
]


@pytest.fixture
def ctx(commune_ctx):
    return commune_ctx


def _next_and_wait(qtbot, wizard, page):
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is page, timeout=15000)


def test_wizard_previews_highlights_and_imports_valid_rows(ctx, qtbot, tmp_path):
    path = simple_list(tmp_path / "ds.xlsx", ROWS)
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    changed = []
    ctx.data_changed.connect(lambda: changed.append(True))

    page = wizard.file_page
    choose_file(qtbot, wizard, path, typed=True)
    assert page.sheet.currentText() == "DS" and page.isComplete()
    _next_and_wait(qtbot, wizard, wizard.mapping_page)

    mp = wizard.mapping_page
    assert mp.table.item(1, 1).text() == "Họ tên chủ hộ"
    assert mp.table.item(1, 2).text() == "Hà Văn Một"
    assert mp.combos[1].currentData() == "head_name" and mp.combos[3].currentData() == "cccd"
    _next_and_wait(qtbot, wizard, wizard.preview_page)

    pp = wizard.preview_page
    model = pp.model
    assert model.rowCount() == 3
    assert model.index(1, 6).data().startswith("Lỗi: cột D (Số CCCD): Số CCCD '123' phải có đúng 12 chữ số")
    assert model.index(1, 0).data(Qt.ItemDataRole.BackgroundRole) == ERROR_COLOR
    assert model.index(2, 0).data(Qt.ItemDataRole.BackgroundRole) == WARNING_COLOR  # new village
    assert "1 hộ có lỗi" in pp.counts.text()
    assert not pp.isComplete()
    pp.skip_invalid.setChecked(True)
    assert not pp.isComplete()  # the new village must be confirmed too
    assert pp.create_villages.text() == "Tạo các thôn mới chưa có trong xã: Xóm Mới"
    pp.create_villages.setChecked(True)
    assert pp.isComplete()
    _next_and_wait(qtbot, wizard, wizard.summary_page)

    text = wizard.summary_page.text.text()
    assert "Hộ nhập mới: 2" in text and "Hộ bỏ qua (dòng lỗi): 1" in text and "Thôn mới đã tạo: Xóm Mới" in text
    assert changed
    assert sorted(r.head_name for r in list_rows(ctx.db, 2026)) == ["Hà Văn Ba", "Hà Văn Một"]
    wizard.grab().save(str(tmp_path / "summary.png"))


def test_wizard_mapping_correction_rereads_and_saves_a_template(ctx, qtbot, tmp_path, monkeypatch):
    path = simple_list(tmp_path / "t.xlsx", [[1, "Hà Văn Một", "Thôn 1", "1.000.000", "Nghèo"]],
                       header=["STT", "Người đứng tên", "Thôn", "Thu nhập", "Phân loại"])
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    choose_file(qtbot, wizard, str(path))
    _next_and_wait(qtbot, wizard, wizard.mapping_page)
    mp = wizard.mapping_page
    assert mp.combos[1].currentData() == ""  # "Người đứng tên" is not a known header
    wizard.next()
    assert wizard.currentPage() is mp and "họ tên chủ hộ" in mp.message.text()
    mp.combos[1].setCurrentIndex(mp.combos[1].findData("head_name"))
    template = tmp_path / "mau.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(template), "JSON (*.json)"))
    mp._save_template()
    saved = json.loads(template.read_text(encoding="utf-8"))
    assert {"column": "B", "header": "Người đứng tên", "field": "head_name"} in saved["columns"]
    _next_and_wait(qtbot, wizard, wizard.preview_page)
    assert wizard.preview_page.model.index(0, 1).data() == "Hà Văn Một"
    assert wizard.preview_page.model.index(0, 3).data() == "Hộ nghèo"


def test_wizard_cancel_writes_nothing(ctx, qtbot, tmp_path):
    rows = [[i, f"Hộ Số {i}", 1970, None, "Thôn 1", "1.000.000", "Nghèo"] for i in range(1, 6001)]
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    choose_file(qtbot, wizard, str(simple_list(tmp_path / "big.xlsx", rows)))
    _next_and_wait(qtbot, wizard, wizard.mapping_page)
    _next_and_wait(qtbot, wizard, wizard.preview_page)
    wizard.next()
    wizard.handle.cancel()
    with qtbot.waitSignal(wizard.handle.done, timeout=15000):
        pass
    assert wizard.currentPage() is wizard.preview_page and wizard.summary is None
    assert wizard.preview_page.message.text() == "Đã hủy; không có gì thay đổi."
    assert ctx.db.execute("SELECT COUNT(*) FROM households").fetchone()[0] == 0


def test_export_action_writes_the_chosen_file(ctx, qtbot, tmp_path, monkeypatch):
    from gnbv_desktop.jobs.demo import create_demo
    from gnbv_desktop.jobs.progress import run_to_end

    run_to_end(create_demo(ctx.db, 8, seed=3, year=2026))
    target = tmp_path / "xuat"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "Excel (*.xlsx)"))
    seen = answer(qtbot, key=Qt.Key.Key_Return)
    handle = export_households(ctx)
    with qtbot.waitSignal(handle.done, timeout=15000):
        pass
    qtbot.waitUntil(lambda: bool(seen.texts))
    assert seen.texts[0].startswith("Đã xuất 8 hộ (đánh giá năm 2026)")
    sheet = openpyxl.load_workbook(tmp_path / "xuat.xlsx")["Danh sách hộ"]
    heads = [r for r in sheet.iter_rows(min_row=6, values_only=True) if r[4] == "Chủ hộ"]
    assert sorted(r[3] for r in heads) == sorted(r.head_name for r in list_rows(ctx.db, 2026))


def test_wizard_default_village_for_a_list_without_villages(ctx, qtbot, tmp_path):
    path = simple_list(tmp_path / "v.xlsx", [[1, "Hà Văn Một", 1970, "1.000.000", "Nghèo"],
                                             [2, "Hà Thị Hai", 1980, "1.100.000", "Cận nghèo"]],
                       header=["STT", "Họ tên chủ hộ", "Năm sinh", "Thu nhập", "Phân loại"])
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    choose_file(qtbot, wizard, str(path))
    _next_and_wait(qtbot, wizard, wizard.mapping_page)
    mp = wizard.mapping_page
    combo = mp.default_village
    assert combo.currentText() == ""
    assert [combo.itemText(i) for i in range(combo.count())][:3] == ["", "Thôn 1", "Thôn 2"]
    assert wizard.preview is not None and len(wizard.preview.invalid) == 2  # no village anywhere: every row an error
    combo.setCurrentIndex(combo.findText("Thôn 2"))
    mp.grab().save(str(tmp_path / "mapping.png"))
    _next_and_wait(qtbot, wizard, wizard.preview_page)
    pp = wizard.preview_page
    assert [pp.model.index(r, 2).data() for r in range(2)] == ["Thôn 2", "Thôn 2"]
    assert pp.isComplete()
    _next_and_wait(qtbot, wizard, wizard.summary_page)
    assert sorted((r.head_name, r.village) for r in list_rows(ctx.db, 2026)) == [
        ("Hà Thị Hai", "Thôn 2"), ("Hà Văn Một", "Thôn 2")]


def test_wizard_preview_tells_about_the_plan_sheets(qtbot, tmp_path, demo_db, db_path):
    from gnbv_desktop.jobs.export_excel import export_excel
    from gnbv_desktop.jobs.progress import run_to_end

    path = tmp_path / "xuat.xlsx"
    run_to_end(export_excel(demo_db, path, 2026))
    context = AppContext(demo_db, db_path, year=2026)
    wizard = ImportWizard(context)
    qtbot.addWidget(wizard)
    wizard.show()
    choose_file(qtbot, wizard, str(path))
    assert wizard.file_page.sheet.currentText() == "Danh sách hộ"
    _next_and_wait(qtbot, wizard, wizard.mapping_page)
    _next_and_wait(qtbot, wizard, wizard.preview_page)
    text = wizard.preview_page.counts.text()
    assert ("Kèm kế hoạch hỗ trợ năm 2026 (trang 'Kế hoạch hỗ trợ', 'Người giúp đỡ'): 90 giải pháp, "
            "18 người/tổ chức giúp đỡ, 47 lượt phân công") in text
    assert "60 hộ đã có (cập nhật nếu khác)" in text
    context.runner.wait()
