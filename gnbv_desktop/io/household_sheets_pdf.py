"""Household sheets (phiếu theo dõi hỗ trợ hộ): one A4 page per household for its helper to carry.

Each sheet holds the household and its members, what it lacks, the planned support with blank
columns to record delivery by hand, and the assigned helpers. The ID number is masked, since the
sheet travels outside the office.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, TableStyle

from gnbv_desktop.core.cccd import SEX_LABELS, mask_cccd
from gnbv_desktop.core.text import format_money, format_number
from gnbv_desktop.io.pdf_common import (
    CENTER,
    PORTRAIT,
    Margins,
    Table,
    build_pdf,
    frame_width,
    para,
    register_fonts,
    style,
)
from gnbv_desktop.store.report_data import ReportData, ReportHousehold

SIZE = 10.5


def sheet_title(year: int) -> str:
    return f"PHIẾU THEO DÕI HỖ TRỢ HỘ NGHÈO, HỘ CẬN NGHÈO NĂM {year}"


class _Styles:
    def __init__(self) -> None:
        self.text = style(SIZE, leading=SIZE * 1.25, name="sheet-text")
        self.bold = style(SIZE, bold=True, leading=SIZE * 1.25, name="sheet-bold")
        self.head = style(SIZE - 0.5, bold=True, align=CENTER, leading=SIZE * 1.2, name="sheet-head")
        self.cell = style(SIZE - 0.5, leading=SIZE * 1.2, name="sheet-cell")
        self.centre = style(SIZE - 0.5, align=CENTER, leading=SIZE * 1.2, name="sheet-centre")
        self.section = style(SIZE + 0.5, bold=True, leading=SIZE * 1.6, name="sheet-section")


GRID = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]


def _table(rows: list, widths: list[float]) -> Table:
    t = Table(rows, colWidths=widths, repeatRows=1)
    t.setStyle(TableStyle(GRID))
    return t


def household_sheet(data: ReportData, h: ReportHousehold, width: float, s: _Styles) -> list:
    who = data.issuer
    e = escape
    info = [
        f"Chủ hộ: <b>{e(h.head_name)}</b> — Mã hộ: {e(h.code)} — Năm sinh: {h.head_birth_year or ''}",
        f"Số CCCD: {mask_cccd(h.head_cccd)} — Dân tộc: {e(h.ethnicity)} — Thôn: {e(h.village)}",
        f"Phân loại năm {data.year}: <b>{h.classification_label}</b> — Thu nhập bình quân: "
        f"{format_money(h.income)}/người/tháng — Dự kiến kết quả: {e(h.expected_result) or 'chưa xác định'}",
    ]
    story: list = [
        para(f"{who.commune_line}", style(11, bold=True, align=CENTER)),
        para(sheet_title(data.year), style(13, bold=True, align=CENTER, leading=17)),
        Spacer(1, 3 * mm),
    ]
    story += [Paragraph(line, s.text) for line in info]
    members = [[para(x, s.head) for x in ("TT", "Họ và tên", "Quan hệ với chủ hộ", "Năm sinh", "Giới tính")]]
    members.append([para("1", s.centre), para(h.head_name, s.cell), para("Chủ hộ", s.cell),
                    para(str(h.head_birth_year or ""), s.centre), para(SEX_LABELS.get(h.head_sex, ""), s.cell)])
    for i, m in enumerate(h.members, 2):
        members.append([para(str(i), s.centre), para(m.full_name, s.cell), para(m.relation, s.cell),
                        para(str(m.birth_year or ""), s.centre), para(SEX_LABELS.get(m.sex, ""), s.cell)])
    story += [para(f"1. Thành viên hộ (số nhân khẩu: {h.size})", s.section),
              _table(members, [width * f for f in (0.07, 0.38, 0.22, 0.15, 0.18)])]
    lacks = "; ".join(f"{c} {name}" for c, name in h.deprived) or "Không"
    story += [
        para("2. Thiếu hụt, nguyên nhân và nhu cầu", s.section),
        para(f"Chỉ số thiếu hụt: {lacks}", s.text),
        para(f"Nguyên nhân nghèo: {'; '.join(h.causes) or 'Không ghi'}", s.text),
        para(f"Nhu cầu hỗ trợ: {'; '.join(h.needs) or 'Không ghi'}", s.text),
    ]
    heads = ("TT", "Giải pháp, nội dung hỗ trợ", "Kinh phí dự kiến (đồng)", "Nguồn", "Thời gian",
             "Ngày thực hiện", "Kết quả", "Xác nhận của hộ")
    items = [[para(x, s.head) for x in heads]]
    live = [it for it in h.items if it.status != "cancelled"]
    for i, it in enumerate(live, 1):
        items.append([para(str(i), s.centre), para(f"{it.measure}: {it.content}", s.cell),
                      para(format_number(it.expected_amount), s.centre), para(it.funding, s.cell),
                      para(it.planned_time, s.cell), "", "", ""])
    for i in range(len(live) + 1, max(len(live), 3) + 2):
        items.append([para(str(i), s.centre), "", "", "", "", "", "", ""])
    story += [para("3. Giải pháp hỗ trợ và theo dõi thực hiện", s.section),
              _table(items, [width * f for f in (0.05, 0.29, 0.12, 0.1, 0.1, 0.11, 0.12, 0.11)])]
    story += [para("4. Người/tổ chức giúp đỡ", s.section),
              para("; ".join(h.helpers) or "Chưa phân công", s.text), Spacer(1, 5 * mm)]
    sign = Table([[para("ĐẠI DIỆN HỘ GIA ĐÌNH", s.head), para("NGƯỜI/TỔ CHỨC GIÚP ĐỠ", s.head)],
                  [para("(Ký, ghi rõ họ tên)", style(SIZE - 1, italic=True, align=CENTER)),
                   para("(Ký, ghi rõ họ tên)", style(SIZE - 1, italic=True, align=CENTER))]],
                 colWidths=[width / 2, width / 2])
    story.append(sign)
    return story


def _sheets_story(data: ReportData, width: float, s: _Styles) -> Iterator[Flowable]:
    """The sheets one household at a time, so a list of 40,000 never holds every sheet's paragraphs."""
    households = data.households
    for i, h in enumerate(households):
        if i:
            yield PageBreak()
        yield from household_sheet(data, h, width, s)
    if not households:
        yield para(f"Không có hộ nghèo, hộ cận nghèo nào trong danh sách năm {data.year}.", s.text)


def write_household_sheets(data: ReportData, path: str | Path) -> int:
    """One page per household (longer households continue on a second page); returns pages."""
    register_fonts()
    margins = Margins(top=15 * mm, bottom=18 * mm, left=25 * mm, right=15 * mm)
    width = frame_width(PORTRAIT, margins)
    return build_pdf(path, _sheets_story(data, width, _Styles()), PORTRAIT, margins,
                     title=sheet_title(data.year).capitalize(), author=data.settings.commune_name)
