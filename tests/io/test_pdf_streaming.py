"""Long printouts written page by page: every page says "Trang n/N" with the right total, the file's
cross-reference table points at its objects, and a table of rows made per page keeps every row."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pypdf
import pytest
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak

from gnbv_desktop.io.pdf_common import PORTRAIT, Margins, Table, build_pdf, frame_width, para, style
from gnbv_desktop.io.pdf_table import LEFT, LazyRows, RowTable, TableSpec
from tests.pdf_text import pdf_text


def _xref_offsets_point_at_objects(path) -> int:
    data = path.read_bytes()
    start = int(data[data.rindex(b"startxref") + 9:].split()[0])
    lines = data[start:].split(b"\n")
    assert lines[0] == b"xref"
    first, count = map(int, lines[1].split())
    assert first == 0
    for number in range(1, count):
        offset = int(lines[2 + number][:10])
        assert data[offset:].startswith(f"{number} 0 obj".encode()), number
    return count


@pytest.mark.parametrize("pages", [1, 3, 120])
def test_every_page_numbered_against_the_total(tmp_path, pages):
    out = tmp_path / "x.pdf"

    def story():  # a generator, as household sheets are fed
        for i in range(pages):
            if i:
                yield PageBreak()
            yield para(f"Trang số liệu {i + 1}", style(12))

    assert build_pdf(out, story(), PORTRAIT) == pages
    texts = pdf_text(out).split("\f")[:-1]
    assert len(texts) == pages == len(pypdf.PdfReader(str(out)).pages)
    for n, text in enumerate(texts, 1):
        assert f"Trang số liệu {n}" in text
        assert re.findall(r"Trang (\d+)/(\d+)", text) == [(str(n), str(pages))]
    _xref_offsets_point_at_objects(out)


def test_lazy_rows_print_every_row_once_even_one_taller_than_a_page(tmp_path):
    width = frame_width(PORTRAIT, Margins())
    spec = TableSpec([width * 0.2, width * 0.8], [LEFT, LEFT], size=10, leading=12)
    made: list[int] = []

    def make(i: int):
        made.append(i)
        text = "\n".join(f"dòng {i}.{k}" for k in range(90)) if i == 150 else f"hộ {i}"
        return spec.row([f"#{i}#", text])

    header = Table([["TT", "Nội dung"]], colWidths=spec.widths)
    out = tmp_path / "rows.pdf"
    pages = build_pdf(out, [RowTable(header, spec, LazyRows(range(400), make))], PORTRAIT)
    text = pdf_text(out)
    assert re.findall(r"#(\d+)#", text) == [str(i) for i in range(400)]
    assert all(f"dòng 150.{k}" in text for k in range(90))  # the tall row continues overleaf
    assert pages == text.count("\f") > 5
    assert len(made) < 3 * 400  # measured once, made again for its page — not once per page
    _xref_offsets_point_at_objects(out)


def _open_files() -> set[str]:
    fds = Path("/proc/self/fd")
    return {os.path.realpath(fd) for fd in fds.iterdir()} if fds.exists() else set()


def test_a_failing_story_leaves_no_open_file(tmp_path):
    out = tmp_path / "broken.pdf"

    def story():
        for i in range(150):  # more than one window of flowables: pages are already written
            yield para(f"Trang {i}", style(12))
            yield PageBreak()
        raise ValueError("dữ liệu hỏng")

    with pytest.raises(ValueError):
        build_pdf(out, story(), PORTRAIT, Margins(top=20 * mm))
    assert out.stat().st_size > 0
    assert str(out) not in _open_files()  # closed, so the caller's clean-up can remove it (on Windows too)
