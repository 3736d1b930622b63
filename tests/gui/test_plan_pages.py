"""Kế hoạch hỗ trợ, Người giúp đỡ, Báo cáo & In and the catalogue editor, built alone over the demo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from gnbv_desktop.gui.context import AppContext
from gnbv_desktop.gui.pages.catalog_editor import CatalogEditor
from gnbv_desktop.gui.pages.helpers_page import C_HOUSEHOLDS, HelpersPage
from gnbv_desktop.gui.pages.plans_page import PlansPage
from gnbv_desktop.gui.pages.reports_page import ReportsPage
from gnbv_desktop.store.catalog_store import load_catalog
from gnbv_desktop.store.plans import get_commune_plan, households_without_helper, list_helpers, plan_rows
from tests.gui.dialogs import answer
from tests.pdf_text import flat_pdf_text

pytestmark = pytest.mark.gui


@pytest.fixture
def ctx(demo_db, db_path, qtbot):
    c = AppContext(demo_db, db_path, 2026)
    yield c
    c.runner.wait()


def test_plans_page_lists_households_and_projection(ctx, qtbot):
    page = PlansPage(ctx)
    qtbot.addWidget(page)
    rows = plan_rows(ctx.db, 2026)
    assert page.model.rowCount() == len(rows)
    assert page.model.index(0, 1).data() == rows[0].head_name
    assert page.number.text() == get_commune_plan(ctx.db, 2026).document_number
    assert "so với chỉ tiêu" in page.projection.text()
    page.only_unassisted.setChecked(True)
    assert page.model.rowCount() == len(households_without_helper(ctx.db, 2026))
    page.only_unassisted.setChecked(False)
    page.table.selectRow(0)
    assert page.editor.household_id == rows[0].id and page.editor.isEnabled()


def test_plans_page_saves_the_plan_record(ctx, qtbot):
    page = PlansPage(ctx)
    qtbot.addWidget(page)
    page.number.setText("21/KH-UBND")
    page.signer.setText("Đinh Thị Hoa")
    page.signer_title.setCurrentIndex(page.signer_title.findData("PHÓ CHỦ TỊCH"))
    page.target_rate.setValue(2.0)
    qtbot.mouseClick(page.save_plan_button, Qt.MouseButton.LeftButton)
    plan = get_commune_plan(ctx.db, 2026)
    assert (plan.document_number, plan.signer_name, plan.signer_title, plan.target_poverty_reduction) == (
        "21/KH-UBND", "Đinh Thị Hoa", "PHÓ CHỦ TỊCH", 2.0)
    assert "so với chỉ tiêu" in page.projection.text()


def test_plans_page_rejects_bad_target(ctx, qtbot):
    page = PlansPage(ctx)
    qtbot.addWidget(page)
    page.signer_title.addItem("Trưởng thôn", "TRƯỞNG THÔN")
    page.signer_title.setCurrentIndex(page.signer_title.count() - 1)
    qtbot.mouseClick(page.save_plan_button, Qt.MouseButton.LeftButton)
    assert "Chủ tịch hoặc Phó Chủ tịch" in page.plan_message.text()
    assert get_commune_plan(ctx.db, 2026).signer_title == "CHỦ TỊCH"


def test_helpers_page_crud_and_households(ctx, qtbot):
    page = HelpersPage(ctx)
    qtbot.addWidget(page)
    assert page.table.rowCount() == len(list_helpers(ctx.db))
    busiest = max(range(page.table.rowCount()), key=lambda r: int(page.table.item(r, C_HOUSEHOLDS).text()))
    page.table.selectRow(busiest)
    assert page.households.rowCount() == int(page.table.item(busiest, C_HOUSEHOLDS).text()) > 0
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    assert page.name.text() == "" and page.editing is None
    page.name.setText("Hội Chữ thập đỏ xã")
    qtbot.keyClicks(page.phone, "so may ban")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "chỉ gồm chữ số" in page.message.text()
    page.phone.clear()
    qtbot.keyClicks(page.phone, "0269 3822 111")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "Hội Chữ thập đỏ xã" in [r[0] for r in ctx.db.execute("SELECT name FROM helpers WHERE deleted = 0")]
    seen = answer(qtbot, click="Xóa")
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert "Hội Chữ thập đỏ xã" in seen.texts[0]
    assert "Hội Chữ thập đỏ xã" not in [h.name for h in list_helpers(ctx.db)]


def test_reports_page_saves_annex_through_the_job_runner(ctx, qtbot, tmp_path):
    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    target = tmp_path / "phu-luc.pdf"
    page.ask_save_path = lambda suffix: str(target)
    page.villages.item(0).setCheckState(Qt.CheckState.Checked)
    handle = page.save("pdf")
    with qtbot.waitSignal(handle.done, timeout=30000):
        pass
    text = flat_pdf_text(target)
    village = page.villages.item(0).text()
    assert f"Thôn: {village}" in text and f"Cộng {village}:" in text
    assert str(target) in page.status.text()


def test_reports_page_preview_opens_the_rendered_file(ctx, qtbot):
    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    opened = []
    page.open_file = opened.append
    page.kind.setCurrentIndex(page.kind.findData("posting"))
    assert not page.save_xlsx.isEnabled()
    handle = page.preview()
    with qtbot.waitSignal(handle.done, timeout=30000):
        pass
    assert len(opened) == 1 and opened[0].suffix == ".pdf" and opened[0].stat().st_size > 1000


def test_catalog_editor_edits_and_checks_references(ctx, qtbot):
    ed = CatalogEditor(ctx)
    qtbot.addWidget(ed)
    assert ed.table.rowCount() == len(load_catalog(ctx.db, "support_measures"))
    qtbot.mouseClick(ed.add_button, Qt.MouseButton.LeftButton)
    for col, text in ((0, "qua_tet"), (1, "Tặng quà Tết"), (4, "quy_khong_co")):
        ed.table.item(ed.table.rowCount() - 1, col).setText(text)
    qtbot.mouseClick(ed.save_button, Qt.MouseButton.LeftButton)
    assert "quy_khong_co" in ed.message.text()
    row = ed.table.rowCount() - 1
    ed.table.item(row, 4).setText("xa_hoi_hoa")
    col = [ed.table.horizontalHeaderItem(c).text() for c in range(ed.table.columnCount())].index(
        "Chỉ số NĐ 07/2021/NĐ-CP")
    ed.table.item(row, col).setText("9.9")
    qtbot.mouseClick(ed.save_button, Qt.MouseButton.LeftButton)
    assert "9.9" in ed.message.text()
    ed.table.item(row, col).setText("2.2")
    qtbot.mouseClick(ed.save_button, Qt.MouseButton.LeftButton)
    assert ed.message.text().startswith("Đã lưu")
    saved = {i["code"]: i for i in load_catalog(ctx.db, "support_measures")}
    assert saved["qua_tet"]["funding_sources"] == ["xa_hoi_hoa"]
    assert saved["qua_tet"]["indicators"] == {"nd07-2021": ["2.2"]}
    answer(qtbot, click="Khôi phục mặc định")
    qtbot.mouseClick(ed.reset_button, Qt.MouseButton.LeftButton)
    assert "qua_tet" not in {i["code"] for i in load_catalog(ctx.db, "support_measures")}
