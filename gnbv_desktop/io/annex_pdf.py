"""The plan annex as PDF: "Danh sách hộ nghèo, hộ cận nghèo và giải pháp hỗ trợ năm YYYY".

A4 landscape, one table whose two header rows repeat on every page; rows grouped by village (a
Roman-numbered village row, the households, a subtotal row) and a grand total; signature block
with the signer of the commune plan. The body is a :class:`RowTable`, so 3,000 households lay
out in seconds.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, TableStyle

from gnbv_desktop.core.classifications import NEAR_POOR, POOR
from gnbv_desktop.core.document import annex_reference, place_date_line, roman, signature_titles
from gnbv_desktop.core.text import format_number
from gnbv_desktop.io.pdf_common import (
    CENTER,
    LANDSCAPE,
    HeaderBlock,
    Margins,
    Table,
    build_pdf,
    column_widths,
    frame_width,
    para,
    register_fonts,
    signature_block,
    style,
    village_scope,
)
from gnbv_desktop.io.pdf_table import CENTRE, LEFT, RIGHT, LazyRows, Row, RowTable, TableSpec
from gnbv_desktop.store.report_data import ReportData, ReportHousehold

COLUMNS = [
    ("TT", 7),
    ("Họ và tên chủ hộ", 25),
    ("Năm sinh", 10),
    ("Dân tộc", 12),
    ("Thôn", 13),
    ("Phân loại", 13),
    ("Chỉ số thiếu hụt", 28),
    ("Nguyên nhân nghèo", 25),
    ("Giải pháp hỗ trợ (nội dung; kinh phí; nguồn)", 50),
    ("Kinh phí dự kiến (đồng)", 21),
    ("Người/tổ chức giúp đỡ", 26),
    ("Dự kiến kết quả", 15),
    ("Ghi chú", 11),
]
AMOUNT_COL = 9
TABLE_SIZE = 8.5


def annex_title(year: int) -> str:
    return f"DANH SÁCH HỘ NGHÈO, HỘ CẬN NGHÈO VÀ GIẢI PHÁP HỖ TRỢ NĂM {year}"


def _iso(d: str) -> _dt.date | None:
    return _dt.date.fromisoformat(d) if d else None


def group_summary(poor: int, near: int) -> str:
    return f"{format_number(poor + near)} hộ ({format_number(poor)} hộ nghèo, {format_number(near)} hộ cận nghèo)"


def item_line(it) -> str:
    parts = [p for p in (format_number(it.expected_amount) + " đ" if it.expected_amount else "", it.funding) if p]
    tail = f" ({'; '.join(parts)})" if parts else ""
    return f"- {it.content or it.measure}{tail}"


ALIGNS = [CENTRE, LEFT, CENTRE] + [LEFT] * 6 + [RIGHT] + [LEFT] * 3


def _household_values(n: int, h: ReportHousehold) -> list[str]:
    deprived = "\n".join(f"{code} {name}" for code, name in h.deprived) or "Không"
    solutions = "\n".join(item_line(it) for it in h.items if it.status != "cancelled")
    return [
        str(n),
        h.head_name,
        str(h.head_birth_year or ""),
        h.ethnicity,
        h.village,
        h.classification_label.replace("Hộ ", "", 1).capitalize(),
        deprived,
        "\n".join(h.causes),
        solutions,
        format_number(h.expected_amount) if h.expected_amount else "",
        "\n".join(h.helpers),
        h.expected_result,
        h.note,
    ]


TOTAL_SPANS = ((1, AMOUNT_COL - 1), (AMOUNT_COL + 1, len(COLUMNS) - 1))


def _total_values(label: str, amount: int) -> list[str]:
    return ["", label] + [""] * 7 + [format_number(amount), "", "", ""]


def header_table(widths: list[float]) -> Table:
    """Column titles and the (1)…(13) numbering row, repeated on every page."""
    head = style(TABLE_SIZE, bold=True, align=CENTER, leading=TABLE_SIZE * 1.18, name="annex-head")
    number = style(TABLE_SIZE - 1, italic=True, align=CENTER, name="annex-number")
    t = Table(
        [[para(label, head) for label, _ in COLUMNS], [para(f"({i})", number) for i in range(1, len(COLUMNS) + 1)]],
        colWidths=widths,
    )
    t.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 1), (-1, 1), 0.5),
        ("BOTTOMPADDING", (0, 1), (-1, 1), 2),
    ]))
    return t


def annex_story(data: ReportData, width: float) -> list:
    """Flowables of the annex; exposed so the benchmark and tests can time or inspect it."""
    register_fonts()
    who = data.issuer
    plan = data.plan
    doc_date = _iso(plan.document_date) if plan else None
    story: list = [
        HeaderBlock(who, "", place_date_line(who.bare_name, doc_date, data.year), width),
        Spacer(1, 5 * mm),
        para("Phụ lục", style(13, bold=True, align=CENTER)),
        para(annex_title(data.year), style(13.5, bold=True, align=CENTER, leading=17)),
        para(annex_reference(plan.document_number if plan else "", doc_date, data.year, who),
             style(13, italic=True, align=CENTER, leading=16)),
    ]
    story += village_scope(data.village_filter)
    story.append(Spacer(1, 4 * mm))

    widths = column_widths(COLUMNS, width)
    spec = TableSpec(widths, ALIGNS, size=TABLE_SIZE, leading=TABLE_SIZE * 1.18)
    # one small entry per row; LazyRows breaks a row into lines only when its page is laid out
    entries: list[tuple] = []
    for gi, g in enumerate(data.groups, 1):
        entries.append(("village", gi, g))
        entries.extend(("household", n, h) for n, h in enumerate(g.households, 1))
        entries.append(("subtotal", gi, g))
    entries.append(("total", 0, data))

    def make(entry: tuple) -> Row:
        kind, n, x = entry
        if kind == "household":
            return spec.row(_household_values(n, x))
        if kind == "village":
            return spec.row([roman(n), x.name or "Chưa xác định thôn"] + [""] * (len(COLUMNS) - 2),
                            bold=True, spans=((1, len(COLUMNS) - 1),))
        if kind == "subtotal":
            summary = f"Cộng {x.name}: {group_summary(x.count(POOR), x.count(NEAR_POOR))}"
            return spec.row(_total_values(summary, x.expected_amount), bold=True, spans=TOTAL_SPANS)
        scope = "TỔNG CỘNG" if data.village_filter else "TỔNG CỘNG TOÀN XÃ"
        grand = f"{scope}: {group_summary(data.count(POOR), data.count(NEAR_POOR))}"
        return spec.row(_total_values(grand, data.expected_amount), bold=True, spans=TOTAL_SPANS)

    rows = LazyRows(entries, make)
    story.append(RowTable(header_table(widths), spec, rows))

    by_source = data.amount_by_funding()
    if by_source:
        parts = "; ".join(f"{label}: {format_number(v)} đồng" for label, v in by_source)
        text = f"Kinh phí dự kiến theo nguồn: {parts}"
        story += [Spacer(1, 3 * mm), para(text + ".", style(11, italic=True))]
    story.append(Spacer(1, 6 * mm))
    story.append(
        signature_block(
            width,
            signature_titles(plan.signer_title if plan else "CHỦ TỊCH"),
            plan.signer_name if plan else "",
            left_title="NGƯỜI LẬP BIỂU",
            left_name=plan.preparer_name if plan else "",
        )
    )
    return story


def write_annex_pdf(data: ReportData, path: str | Path) -> int:
    """Write the annex to ``path``; returns the number of pages."""
    margins = Margins()
    width = frame_width(LANDSCAPE, margins)
    return build_pdf(path, annex_story(data, width), LANDSCAPE, margins,
                     title=annex_title(data.year).capitalize(), author=data.settings.commune_name)

