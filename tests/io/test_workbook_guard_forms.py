"""Rows and cells written in forms the guard's scan does not measure, which the reader reads: each
crafted file is refused with a Vietnamese message — measured by the reader in a child process when the
scan cannot — and never takes the importing process down (the reader aborts the process when it
cannot allocate the rectangle a reference asks for)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from gnbv_desktop.io.workbook_guard import WorkbookTooLarge, check_workbook

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _workbook(path: Path, sheet_data: str) -> Path:
    """A minimal workbook whose one sheet holds ``sheet_data``."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                   'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                   'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
                   'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"'
                   '/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.spreadsheetml.worksheet+xml"/></Types>')
        z.writestr("_rels/.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}"><Relationship '
                   f'Id="rId1" Type="{DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{DOC}">'
                   '<sheets><sheet name="DS" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}">'
                   f'<Relationship Id="rId1" Type="{DOC}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'
                   f"<sheetData>{sheet_data}</sheetData></worksheet>")
    return path


CRAFTED = {
    "a row of ten digits": '<row r="1"><c r="B4000000000"><v>1</v></c></row>',
    "a row of ten digits after zeros": '<row r="0004000000000"><c r="A1"><v>1</v></c></row>',
    "a column of five letters": '<row r="1"><c r="ZZZZZ1"><v>1</v></c></row>',
    "single quotes": "<row r='1'><c r='A1'><v>1</v></c></row><row r='1048576'><c r='XFD1048576'><v>1</v></c></row>",
    "spaces around the equals sign": '<row r = "1"><c r = "XFD1048576"><v>1</v></c></row>',
    "a cell of a row below 100,000 past column AX": '<row r="1"><c r="ALL1"><v>1</v></c></row>'
                                                    '<row r="2"><c r="A99999"><v>1</v></c></row>',
    "namespaced tags without references": f'<x:row xmlns:x="{MAIN}">' + "<x:c><x:v>1</x:v></x:c>" * 16_000 + "</x:row>"
                                          + f'<x:row xmlns:x="{MAIN}"><x:c><x:v>1</x:v></x:c></x:row>' * 70_000,
}


@pytest.mark.parametrize("form", list(CRAFTED))
def test_a_sheet_written_in_an_unmeasured_form_is_refused_in_vietnamese(tmp_path, form):
    path = _workbook(tmp_path / "ds.xlsx", CRAFTED[form])
    with pytest.raises(WorkbookTooLarge, match="không nhập|tối đa"):
        check_workbook(path)


def test_the_same_forms_within_the_limits_are_accepted(tmp_path):
    """What the child measures is what counts: a small sheet in those forms goes on to be read."""
    check_workbook(_workbook(tmp_path / "ds.xlsx", "<row r='1'><c r='A1'><v>1</v></c><c r = 'B1'><v>2</v></c></row>"))


@pytest.mark.parametrize("separator", ["\t", "\n", "\r"])
def test_cells_whose_tag_name_ends_in_a_tab_or_line_break_are_counted(tmp_path, separator):
    """``<c\\t>`` is a cell to the reader: 16,384 of them in one row and a far row ask it for 2.4 billion cells
    (the reader aborted the process); the scan counts them as cells placed one after another."""
    sheet = ('<row r="1">' + f"<c{separator}><v>1</v></c>" * 16_384 + "</row>"
             + '<row r="150000"><c r="A150000"><v>1</v></c></row>')
    with pytest.raises(WorkbookTooLarge, match="150.000 dòng × 16.384 cột"):
        check_workbook(_workbook(tmp_path / "ds.xlsx", sheet))
