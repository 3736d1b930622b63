"""Hostile workbooks (issue 9, finding 3), crafted at test time: each is refused with a Vietnamese
message and exit 1, the database stays byte for byte the same, and the importing process stays
within 1 GB of address space and 60 seconds (POSIX ``setrlimit`` on the CLI subprocess)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from gnbv_desktop.jobs.demo import create_demo
from gnbv_desktop.jobs.progress import run_to_end
from gnbv_desktop.store.database import open_database
from tests.hostile.kit import canonical_dump

resource = pytest.importorskip("resource")  # POSIX only: the limits below need setrlimit

LIMIT_BYTES = 1024 ** 3
LIMIT_SECONDS = 60
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HEADER_CELLS = ('<row r="1"><c r="A1" t="inlineStr"><is><t>STT</t></is></c>'
                '<c r="B1" t="inlineStr"><is><t>Họ và tên chủ hộ</t></is></c>'
                '<c r="C1" t="inlineStr"><is><t>Thôn</t></is></c>'
                '<c r="D1" t="inlineStr"><is><t>Ghi chú</t></is></c></row>'
                '<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="inlineStr"><is><t>Hà Văn Một</t></is></c>'
                '<c r="C2" t="inlineStr"><is><t>Thôn 1</t></is></c>{note}</row>')


def _xlsx(path: Path, sheet_body: str, *, dimension: str = "", shared: tuple[str, int] | None = None,
          padding: int = 0, part: str = "worksheets/sheet1.xml") -> Path:
    """A minimal valid .xlsx written part by part (large parts streamed, never held in memory)."""
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
             'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
             'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
             'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
             '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
             'officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType='
             '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    workbook = (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="http://schemas.'
                'openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="DS" sheetId="1" '
                'r:id="rId1"/></sheets></workbook>')
    wb_rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
               'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
               f'officeDocument/2006/relationships/worksheet" Target="{part}"/><Relationship Id="rId2" '
               'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
               'Target="sharedStrings.xml"/></Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("_rels/.rels", rels)
        z.writestr("xl/workbook.xml", workbook)
        z.writestr("xl/_rels/workbook.xml.rels", wb_rels)
        with z.open(f"xl/{part}", "w", force_zip64=True) as f:
            dim = f'<dimension ref="{dimension}"/>' if dimension else ""
            f.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{dim}<sheetData>'.encode())
            f.write(sheet_body.encode())
            for _ in range(padding):
                f.write(b"<!---->" * (2 ** 20 // 7))
            f.write(b"</sheetData></worksheet>")
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
            f.write(f'<sst xmlns="{MAIN}"><si><t>'.encode())
            text, megabytes = shared or ("x", 0)
            f.write(text.encode())
            for _ in range(megabytes):
                f.write(b"A" * 2 ** 20)
            f.write(b"</t></si></sst>")
    return path


def _ods_repeated(path: Path) -> Path:
    """A tiny .ods whose one text cell is repeated over 16,384 columns and 1,048,576 rows."""
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
               '<office:spreadsheet><table:table table:name="DS"><table:table-row table:number-rows-repeated="1048576">'
               '<table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>Hà Văn Một'
               '</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body>'
               '</office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                'opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type='
                '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path='
                '"content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", manifest)
    return path


CASES = {
    "o-XFD1048576.xlsx": (lambda p: _xlsx(p, HEADER_CELLS.format(note="")
                                          + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'),
                          "1.048.576 dòng × 16.384 cột"),
    "kich-thuoc-khai-bao.xlsx": (lambda p: _xlsx(p, HEADER_CELLS.format(note=""), dimension="A1:XFD1048576"),
                                 "1.048.576 dòng × 16.384 cột"),
    "cot-chu-thuong.xlsx": (lambda p: _xlsx(p, HEADER_CELLS.format(note="")
                                            + '<row r="5"><c r="xfd500"><v>1</v></c></row>'),
                            "16.384 cột"),
    "o-khong-dia-chi.xlsx": (lambda p: _xlsx(p, HEADER_CELLS.format(note="")
                                             + '<row r="90000">' + "<c><v>1</v></c>" * 3000 + "</row>"),
                             "90.000 dòng × 3.000 cột"),
    "trang-o-cho-khac.xlsx": (lambda p: _xlsx(p, HEADER_CELLS.format(note="")
                                              + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
                                              part="du-lieu/bang.xml"),
                              "1.048.576 dòng × 16.384 cột"),
    "thuoc-tinh-cach-tab.xlsx": (lambda p: _xlsx(p, HEADER_CELLS.format(note="")
                                                 + '<row\tr="1048576"><c\tr="XFD1048576"><v>1</v></c></row>'),
                                 "1.048.576 dòng × 16.384 cột"),
    "300-nghin-dong.xlsx": (lambda p: _xlsx(p, HEADER_CELLS.format(note="")
                                            + '<row r="300000"><c r="A300000"><v>1</v></c></row>'),
                            "300.000 dòng"),
    "ghi-chu-400MB.xlsx": (lambda p: _xlsx(p, HEADER_CELLS.format(note='<c r="D2" t="s"><v>0</v></c>'),
                                           shared=("Ghi chú ", 400)),
                           "dài hơn 32.767 ký tự"),
    "trang-giai-nen-300MB.xlsx": (lambda p: _xlsx(p, HEADER_CELLS.format(note=""), padding=300),
                                  "khi giải nén lớn hơn 160 MB"),
    "o-lap-lai.ods": (_ods_repeated, "lớn hơn mức một danh sách hộ có thể có"),
    "ghi-chu-5000-ky-tu.xlsx": (lambda p: _xlsx(p, HEADER_CELLS.format(
        note=f'<c r="D2" t="inlineStr"><is><t>{"Rất dài. " * 600}</t></is></c>')),
        "Dòng 2, cột D (Ghi chú): Ô dài 5.399 ký tự, quá giới hạn 1.000 ký tự của cột này"),
    "khong-phai-zip.xlsx": (lambda p: p.write_bytes(b"PK\x03\x04" + os.urandom(2000)) and p,
                            "không phải tệp Excel .xlsx hợp lệ"),
}


def _limits() -> None:  # runs in the CLI child before it starts
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (LIMIT_SECONDS, LIMIT_SECONDS))


@pytest.fixture(scope="module")
def commune_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "xa.sqlite3"
    db = open_database(path)
    run_to_end(create_demo(db, 20, seed=3, year=2026))
    db.close()
    return path


def _dump(path: Path) -> list[str]:
    return canonical_dump(path)


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_workbook_is_refused_cleanly(commune_db, tmp_path, name):
    make, expected = CASES[name]
    path = tmp_path / name
    make(path)
    assert path.stat().st_size < 2_000_000  # small files that claim or unpack to something huge
    before = _dump(commune_db)
    done = subprocess.run(
        [sys.executable, "-m", "gnbv_desktop", "--db", str(commune_db), "import-excel", str(path), "--year", "2026"],
        capture_output=True, text=True, timeout=LIMIT_SECONDS, preexec_fn=_limits,
        cwd=Path(__file__).resolve().parents[2], env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr + done.stdout
    assert expected in done.stderr + done.stdout
    assert _dump(commune_db) == before
