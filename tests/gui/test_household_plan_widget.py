"""The household plan tab and the bulk-assign dialog, driven like a user would."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from gnbv_desktop.core.classifications import POOR
from gnbv_desktop.gui.bulk_assign_dialog import BulkAssignDialog
from gnbv_desktop.gui.context import AppContext
from gnbv_desktop.gui.household_plan_widget import C_AMOUNT, C_MEASURE, HouseholdPlanWidget
from gnbv_desktop.store.household_list import list_rows
from gnbv_desktop.store.households import get_assessment
from gnbv_desktop.store.plans import (
    helpers_of,
    households_with_helper,
    households_without_helper,
    plan_items,
    save_plan_items,
    set_household_helpers,
)
from tests.gui.dialogs import answer

pytestmark = pytest.mark.gui


@pytest.fixture
def ctx(demo_db, db_path, qtbot):
    c = AppContext(demo_db, db_path, 2026)
    yield c
    c.runner.wait()


def _poor_lacking_bhyt(db):
    for r in list_rows(db, 2026, classification=POOR):
        if "2.2" in r.deprived:
            return r.id
    raise AssertionError("demo has a poor household lacking BHYT")


def test_suggestions_in_one_click_and_unaddressed(ctx, qtbot):
    hid = _poor_lacking_bhyt(ctx.db)
    save_plan_items(ctx.db, hid, 2026, [])
    w = HouseholdPlanWidget(ctx)
    qtbot.addWidget(w)
    w.load(hid, 2026)
    assert w.table.rowCount() == 0
    assert "2.2 Bảo hiểm y tế" in w.unaddressed.text()
    labels = [w.suggestions.item(i).text() for i in range(w.suggestions.count())]
    assert any(t.startswith("Cấp thẻ bảo hiểm y tế") for t in labels)
    with qtbot.waitSignal(w.changed):
        qtbot.mouseClick(w.add_suggested, Qt.MouseButton.LeftButton)
    codes = [w.table.cellWidget(r, C_MEASURE).currentData() for r in range(w.table.rowCount())]
    assert "bhyt" in codes
    # every ticked suggestion answered an indicator, so no deprivation is left without a measure
    assert w.unaddressed.text() == "Mọi chỉ số thiếu hụt đã có giải pháp."
    assert len(codes) >= len(get_assessment(ctx.db, hid, 2026).deprived) // 2 and w.has_changes()
    row = codes.index("bhyt")
    w.table.item(row, C_AMOUNT).setText("3.790.800")
    qtbot.mouseClick(w.save_button, Qt.MouseButton.LeftButton)
    saved = {i.measure_code: i for i in plan_items(ctx.db, hid, 2026)}
    assert saved["bhyt"].expected_amount == 3_790_800 and saved["bhyt"].lead_organisation
    assert not w.has_changes()


def test_bad_amount_shows_message_and_writes_nothing(ctx, qtbot):
    hid = _poor_lacking_bhyt(ctx.db)
    before = plan_items(ctx.db, hid, 2026)
    w = HouseholdPlanWidget(ctx)
    qtbot.addWidget(w)
    w.load(hid, 2026)
    qtbot.mouseClick(w.add_suggested, Qt.MouseButton.LeftButton)
    row = w.table.rowCount() - 1
    w.table.item(row, C_AMOUNT).setText("ba triệu")
    qtbot.mouseClick(w.save_button, Qt.MouseButton.LeftButton)
    assert "Không đọc được số tiền 'ba triệu'" in w.message.text() and f"Dòng {row + 1}" in w.message.text()
    assert (w.table.currentRow(), w.table.currentColumn()) == (row, C_AMOUNT)
    assert plan_items(ctx.db, hid, 2026) == before
    assert w.has_changes()


def test_helpers_ticked_in_the_tab_are_saved(ctx, qtbot):
    hid = _poor_lacking_bhyt(ctx.db)
    set_household_helpers(ctx.db, hid, 2026, [])
    w = HouseholdPlanWidget(ctx)
    qtbot.addWidget(w)
    w.load(hid, 2026)
    w.helpers.item(0).setCheckState(Qt.CheckState.Checked)
    assert w.has_changes()
    qtbot.mouseClick(w.save_button, Qt.MouseButton.LeftButton)
    assert not w.has_changes()
    assert [h.id for h in helpers_of(ctx.db, hid, 2026)] == [w.helpers.item(0).data(Qt.ItemDataRole.UserRole)]


def test_nothing_selected_explains_what_to_do(ctx, qtbot):
    w = HouseholdPlanWidget(ctx)
    qtbot.addWidget(w)
    w.load(None, 2026)
    assert not w.is_active()
    assert w.ui.emptyText.text().startswith("Chọn một hộ trong danh sách")
    assert "Lưu hộ trước" not in w.ui.emptyText.text()


def test_bulk_assign_dialog_confirms_and_reports(ctx, qtbot):
    targets = sorted(households_without_helper(ctx.db, 2026))
    assert targets
    dlg = BulkAssignDialog(ctx, targets)
    qtbot.addWidget(dlg)
    dlg.show()
    assign = dlg.buttons.button(dlg.buttons.StandardButton.Ok)
    assert assign.text() == "Phân công"
    assert f"{len(targets)} hộ" in dlg.info.text()
    qtbot.mouseClick(assign, Qt.MouseButton.LeftButton)  # nothing ticked
    assert "Chưa chọn" in dlg.message.text() and dlg.isVisible()
    qtbot.keyClicks(dlg.search, "hoi nong dan")
    visible = [dlg.list.item(i) for i in range(dlg.list.count()) if not dlg.list.item(i).isHidden()]
    assert [i.text() for i in visible] == ["Hội Nông dân xã Ia Grai"]
    visible[0].setCheckState(Qt.CheckState.Checked)
    seen = answer(qtbot, click="Hủy")
    qtbot.mouseClick(assign, Qt.MouseButton.LeftButton)
    assert seen.texts == [f"Phân công Hội Nông dân xã Ia Grai giúp đỡ {len(targets)} hộ năm 2026?"]
    assert seen.defaults == ["Phân công"] and dlg.isVisible()
    assert households_without_helper(ctx.db, 2026) == set(targets)  # cancelled: nothing written
    answer(qtbot, key=Qt.Key.Key_Return, seen=seen)
    with qtbot.waitSignal(ctx.data_changed):
        qtbot.mouseClick(assign, Qt.MouseButton.LeftButton)
    assert not dlg.isVisible() and dlg.added == len(targets)
    assert dlg.report == (f"Đã phân công Hội Nông dân xã Ia Grai cho {len(targets)} hộ năm 2026: "
                          f"{len(targets)} phân công mới, 0 đã có từ trước.")
    assert set(targets) <= households_with_helper(ctx.db, 2026)
    assert households_without_helper(ctx.db, 2026) == set()
