"""The household list read as columns: what the table shows, sorts and finds is what the database
holds — Vietnamese name order, diacritic-free search, deficiency counts and their tooltip."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QPoint, Qt

from gnbv_desktop.core.household import Assessment, Household
from gnbv_desktop.gui.household_model import COLUMNS
from gnbv_desktop.gui.pages.households_page import HouseholdsPage
from gnbv_desktop.store.households import save_household

# Given names first, then family names, in the order of the Vietnamese alphabet (a < á < â < b …
# d < đ), which code-point order of the names gets wrong ("Ánh" after "Bảo", "Ân" after "Em").
VIETNAMESE_ORDER = ["Lê Văn An", "Trần Thị Ánh", "Phạm Thị Ân", "Hoàng Văn Bảo", "Đinh Thị Dung", "Nguyễn Văn Đức",
                    "Vũ Văn Em"]
DEPRIVED = [[], ["1.1", "2.2"], ["1.1", "2.2", "3.1"], [], ["4.1"], ["1.1"], ["2.2", "4.1"]]


@pytest.fixture
def page(qtbot, empty_ctx):
    db = empty_ctx.db
    village = db.execute("SELECT id FROM villages ORDER BY id").fetchone()[0]
    standard = empty_ctx.standards.for_year(2026).id
    for i, name in enumerate(reversed(VIETNAMESE_ORDER)):
        save_household(db, Household(head_name=name, village_id=village),
                       Assessment(year=2026, standard_id=standard, area="rural", income=900_000 + 1000 * i,
                                  deprived=DEPRIVED[i], classification="poor"), validate=False)
    p = HouseholdsPage(empty_ctx)
    qtbot.addWidget(p)
    p.resize(1200, 600)
    p.show()
    return p


def shown(page, column: int, role=Qt.ItemDataRole.DisplayRole) -> list:
    model = page.table.model()
    return [model.index(r, column).data(role) for r in range(model.rowCount())]


def click_header(qtbot, page, column: int) -> None:
    header = page.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def stored(page) -> dict[int, list[str]]:
    """Household id → deficiency codes, read back from the database."""
    return {hid: json.loads(d) for hid, d in page.ctx.db.execute("SELECT household_id, deprived FROM assessments")}


def test_names_in_vietnamese_order_and_back(qtbot, page):
    name = [c for c, _ in COLUMNS].index("head_name")
    assert shown(page, name) == VIETNAMESE_ORDER
    click_header(qtbot, page, name)
    assert shown(page, name) == VIETNAMESE_ORDER[::-1]


def test_search_without_diacritics_finds_the_written_names(qtbot, page):
    name = [c for c, _ in COLUMNS].index("head_name")
    qtbot.keyClicks(page.search, "DUC")
    qtbot.waitUntil(lambda: shown(page, name) == ["Nguyễn Văn Đức"])
    page.search.clear()
    qtbot.keyClicks(page.search, "thi a")  # every word, anywhere in the name
    qtbot.waitUntil(lambda: shown(page, name) == ["Trần Thị Ánh", "Phạm Thị Ân"])
    page.search.clear()
    qtbot.waitUntil(lambda: shown(page, name) == VIETNAMESE_ORDER)


def test_deficiency_counts_tooltips_and_sort_match_the_database(qtbot, page):
    deprived = [c for c, _ in COLUMNS].index("deprived")
    codes = stored(page)
    ids = shown(page, 0, Qt.ItemDataRole.UserRole)
    assert shown(page, deprived) == [str(len(codes[i])) for i in ids]
    tips = shown(page, deprived, Qt.ItemDataRole.ToolTipRole)
    assert tips == [("Thiếu hụt: " + ", ".join(codes[i])) if codes[i] else None for i in ids]
    click_header(qtbot, page, deprived)
    counts = [int(t) for t in shown(page, deprived)]
    assert counts == sorted(counts) and counts[-1] == 3
    assert sorted(shown(page, 0, Qt.ItemDataRole.UserRole)) == sorted(ids)  # the same households, reordered


def test_class_cells_are_painted_in_the_class_colour(qtbot, page):
    """The table paints a poor household's class cell pink (the model gives the colour, the view
    makes the brush); the cells beside it keep the list's own background."""
    page.table.clearSelection()
    page.table.setCurrentIndex(page.table.model().index(-1, -1))
    classification = [c for c, _ in COLUMNS].index("classification")
    image = page.table.viewport().grab().toImage()
    for row in range(3):
        cell = page.table.visualRect(page.table.model().index(row, classification))
        beside = page.table.visualRect(page.table.model().index(row, classification + 1))
        assert image.pixelColor(cell.right() - 4, cell.center().y()).name() == "#fde2e1"
        assert image.pixelColor(beside.right() - 4, beside.center().y()).name() != "#fde2e1"
