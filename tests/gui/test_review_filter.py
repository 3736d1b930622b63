"""The household list filters and counts households by review state and movement."""

from __future__ import annotations

from gnbv_desktop.gui.pages.households_page import HouseholdsPage
from gnbv_desktop.jobs.progress import run_to_end
from gnbv_desktop.jobs.year_review import start_review
from gnbv_desktop.store.review import close_review, confirm_unchanged


def _choose(qtbot, combo, label_start: str) -> str:
    index = next(i for i in range(combo.count()) if combo.itemText(i).startswith(label_start))
    combo.setCurrentIndex(index)  # what choosing the entry in the drop-down does
    return combo.itemText(index)


def test_filter_by_review_state_and_movement(qtbot, ctx):
    db = ctx.db
    ctx.set_year(2027)
    run_to_end(start_review(db, 2027))  # NĐ 351 from 2027: every household to review under the new standard
    page = HouseholdsPage(ctx)
    qtbot.addWidget(page)
    combo = page.review_filter
    n = db.execute("SELECT COUNT(*) FROM assessments WHERE year = 2027 AND review_status = 'new_standard'").fetchone()[0]
    assert _choose(qtbot, combo, "Rà soát theo chuẩn mới") == f"Rà soát theo chuẩn mới ({n})"
    assert page.model.rowCount() == n == 60
    assert f"Đang hiện {n} / 60 hộ" in page.count_label.text()

    ctx.set_year(2026)
    db.execute("UPDATE assessments SET review_status = 'pending' WHERE year = 2026 AND id IN "
               "(SELECT id FROM assessments WHERE year = 2026 ORDER BY id LIMIT 5)")
    ctx.notify_changed()
    assert _choose(qtbot, combo, "Chưa rà soát") == "Chưa rà soát (5)"
    assert page.model.rowCount() == 5
    confirm_unchanged(db, 2026)
    close_review(db, 2026, "1/QĐ-UBND", "2026-01-15")
    ctx.notify_changed()
    escaped = db.execute("SELECT household_id FROM transitions WHERE year = 2026 AND deleted = 0 AND kind LIKE 'escaped_poor%'")
    expected = {r[0] for r in escaped}
    assert expected, "the demo has households escaping poverty in 2026"
    _choose(qtbot, combo, "Hộ mới thoát nghèo")
    assert {page.model.row_at(r).id for r in range(page.model.rowCount())} == expected
    _choose(qtbot, combo, "Mọi hộ")
    assert page.model.rowCount() == 60
