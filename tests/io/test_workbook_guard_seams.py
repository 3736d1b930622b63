"""The workbook guard reads a part in chunks and never holds it whole: a reference, separator or
``<dimension>`` that a chunk boundary cuts in two must still be read whole. Each hostile sheet below
is checked with the boundary at every offset across it (small chunks, so the cut moves through it)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from gnbv_desktop.io import workbook_guard
from gnbv_desktop.io.workbook_guard import WorkbookTooLarge, check_workbook

CHUNK = 64
HEAD = '<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row>'


def _xlsx(path: Path, sheet: str) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


@pytest.mark.parametrize(("hostile", "says"), [
    ('<row r="300000"><c><v>1</v></c></row>', "300.000 dòng"),  # a row's own reference
    ('<row r="7"><c r="XFD7"><v>1</v></c></row>', "16.384 cột"),  # a column past Z
    ('<row r="7"><c r="A300000"><v>1</v></c></row>', "300.000 dòng"),  # a cell on a far row
    ('<row\tr="7"><c\tr="xfd7"><v>1</v></c></row>', "16.384 cột"),  # attributes separated by a tab
    ('<dimension ref="A1:XFD1048576"/>', "1.048.576 dòng × 16.384 cột"),
    ('<x:dimension ref="A1:XFD1048576"/>', "1.048.576 dòng × 16.384 cột"),  # a prefixed tag
])
def test_what_a_chunk_boundary_cuts_is_read_whole(monkeypatch, tmp_path, hostile, says):
    monkeypatch.setattr(workbook_guard, "_CHUNK", CHUNK)
    for shift in range(CHUNK + 1):
        path = _xlsx(tmp_path / f"cat-{shift}.xlsx", HEAD + " " * shift + hostile + "</sheetData></worksheet>")
        with pytest.raises(WorkbookTooLarge, match=says):
            check_workbook(path)


def test_nothing_is_counted_twice_across_chunk_boundaries(monkeypatch, tmp_path):
    # limits set to exactly this sheet's extent: a row, column or cell seen twice at a boundary refuses it
    for name, value in (("_CHUNK", CHUNK), ("MAX_ROWS", 199), ("MAX_COLUMNS", 28), ("MAX_CELLS", 199 * 28)):
        monkeypatch.setattr(workbook_guard, name, value)
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c><c r="AB{n}"><v>1</v></c></row>' for n in range(2, 200))
    check_workbook(_xlsx(tmp_path / "ds.xlsx", HEAD + '<dimension ref="A1:AB199"/>' + rows + "</sheetData></worksheet>"))
