"""Summary forms as PDF in the annex's document style (NĐ 30/2020/NĐ-CP): the two-column heading,
"Biểu số …", the centred bold title, ruled tables whose header repeats on every page, the notes
and the signature block."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer, Table, TableStyle

from gnbv_desktop.core.document import Issuer, place_date_line, signature_titles
from gnbv_desktop.core.forms import GROUP, Section, SummaryForm
from gnbv_desktop.core.forms import Row as FormRow
from gnbv_desktop.io.form_cells import cell_text
from gnbv_desktop.io.pdf_common import (
    CENTER,
    LANDSCAPE,
    PORTRAIT,
    RIGHT,
    HeaderBlock,
    Margins,
    build_pdf,
    column_widths,
    frame_width,
    para,
    register_fonts,
    signature_block,
    style,
)
from gnbv_desktop.io.pdf_table import CENTRE, LEFT, LazyRows, Row, RowTable, TableSpec
from gnbv_desktop.io.pdf_table import RIGHT as RIGHT_ALIGN

SIZE = 9.5


def _header(section: Section, widths: list[float]) -> Table:
    """Two header rows: a group label spanning its columns, or a label spanning both rows."""
    head = style(SIZE, bold=True, align=CENTER, leading=SIZE * 1.2, name="form-head")
    cols = section.columns
    top, bottom, spans = [], [], []
    for first, last, group in section.header_spans():
        if group:
            top += [para(group, head)] + [""] * (last - first)
            bottom += [para(cols[k].label, head) for k in range(first, last + 1)]
            spans.append(("SPAN", (first, 0), (last, 0)))
        else:
            top.append(para(cols[first].label, head))
            bottom.append("")
            spans.append(("SPAN", (first, 0), (first, 1)))
    t = Table([top, bottom], colWidths=widths)
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                           ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2), *spans]))
    return t


def _section_story(section: Section, width: float) -> list:
    widths = column_widths([(c.label, c.width) for c in section.columns], width)
    aligns = [CENTRE if i == 0 else (RIGHT_ALIGN if c.numeric else LEFT) for i, c in enumerate(section.columns)]
    spec = TableSpec(widths, aligns, size=SIZE, leading=SIZE * 1.2)

    def make(row: FormRow) -> Row:
        values = [cell_text(section, row, k) for k in range(len(section.columns))]
        if row.kind == GROUP:
            return spec.row(values, bold=True, spans=((1, len(values) - 1),))
        return spec.row(values, bold=row.kind != "data")

    rows = LazyRows(section.rows, make)  # a page's rows broken into lines when that page is laid out
    story: list = []
    if section.title:
        story += [para(section.title, style(12, bold=True, leading=15)), Spacer(1, 2 * mm)]
    story.append(RowTable(_header(section, widths), spec, rows))
    if section.note:
        story += [Spacer(1, 1.5 * mm), para(section.note, style(11, italic=True, leading=13))]
    return story


def form_story(form: SummaryForm, who: Issuer, width: float, signer_title: str = "CHỦ TỊCH", signer_name: str = "",
               on: _dt.date | None = None) -> list:
    register_fonts()
    story: list = [
        HeaderBlock(who, "", place_date_line(who.bare_name, on or _dt.date.today()), width, size=12),
        Spacer(1, 3 * mm),
        para(form.number, style(12, bold=True, align=RIGHT)),
        para(form.title, style(13.5, bold=True, align=CENTER, leading=17)),
        para(form.subtitle, style(12, italic=True, align=CENTER, leading=15)),
        Spacer(1, 4 * mm),
    ]
    for section in form.sections:
        story += _section_story(section, width)
        story.append(Spacer(1, 4 * mm))
    for note in form.notes:
        story.append(para(note, style(11.5, italic=True, leading=14)))
    story += [Spacer(1, 4 * mm),
              signature_block(width, signature_titles(signer_title), signer_name, left_title="NGƯỜI LẬP BIỂU")]
    return story


def write_form_pdf(forms: list[SummaryForm], who: Issuer, path: str | Path, signer_title: str = "CHỦ TỊCH",
                   signer_name: str = "", commune_name: str = "") -> int:
    """Write ``forms`` one after another (each from a new page); returns the number of pages."""
    landscape_all = any(f.landscape for f in forms)
    pagesize = LANDSCAPE if landscape_all else PORTRAIT
    margins = Margins()
    width = frame_width(pagesize, margins)
    story: list = []
    for i, form in enumerate(forms):
        if i:
            story.append(PageBreak())
        story += form_story(form, who, width, signer_title, signer_name)
    return build_pdf(path, story, pagesize, margins, title=forms[0].title.capitalize(), author=commune_name)
