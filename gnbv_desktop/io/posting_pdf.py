"""The public posting list (danh sách niêm yết công khai) of the year's poor and near-poor households.

Posted at the commune office and in each village during the review, so it prints only what the
procedure needs: head of household, birth year, masked ID number (``064******123``), village and
classification, number of people — no ethnicity, income, deprivations or health details (Luật
91/2025/QH15) — then the households leaving poverty or near-poverty, with the posting period.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, TableStyle

from gnbv_desktop.core.cccd import mask_cccd
from gnbv_desktop.core.classifications import CLASSIFICATION_LABELS, NEAR_POOR, POOR
from gnbv_desktop.core.document import place_date_line, roman, signature_titles
from gnbv_desktop.io.pdf_common import (
    CENTER,
    PORTRAIT,
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
from gnbv_desktop.io.pdf_table import CENTRE, LEFT, LazyRows, Row, RowTable, TableSpec
from gnbv_desktop.store.report_data import ReportData
from gnbv_desktop.store.review import Leaving

COLUMNS = [("TT", 10), ("Họ và tên chủ hộ", 48), ("Năm sinh", 14), ("Số CCCD/định danh", 30),
           ("Thôn", 26), ("Số nhân khẩu", 14), ("Phân loại", 26)]
ALIGNS = [CENTRE, LEFT, CENTRE, CENTRE, LEFT, CENTRE, LEFT]
DEFAULT_POSTING_DAYS = 7


@dataclass(frozen=True)
class PostingOptions:
    """What the official chooses for a posting: its first day, how many days it stays up, and the
    households leaving poverty or near-poverty (listed after the poor and near-poor)."""

    posted_on: _dt.date | None = None
    days: int = DEFAULT_POSTING_DAYS
    leaving: tuple[Leaving, ...] = ()

    def period_line(self, who_short: str) -> str:
        place = f"(Niêm yết công khai tại trụ sở {who_short} và nhà văn hóa các thôn"
        if self.posted_on is None:
            return place + ")"
        end = self.posted_on + _dt.timedelta(days=self.days - 1)
        return place + f" từ ngày {self.posted_on:%d/%m/%Y} đến ngày {end:%d/%m/%Y})"
SIZE = 11


def posting_title(year: int) -> str:
    return f"DANH SÁCH HỘ NGHÈO, HỘ CẬN NGHÈO NĂM {year}"


def posting_story(data: ReportData, width: float, options: PostingOptions | None = None) -> list:
    register_fonts()
    options = options or PostingOptions()
    who = data.issuer
    story: list = [
        HeaderBlock(who, "", place_date_line(who.bare_name, options.posted_on or _dt.date.today(), data.year), width,
                    size=12),
        Spacer(1, 6 * mm),
        para(posting_title(data.year), style(13.5, bold=True, align=CENTER, leading=17)),
        para(options.period_line(who.short), style(13, italic=True, align=CENTER, leading=16)),
    ]
    story += village_scope(data.village_filter)
    story.append(Spacer(1, 4 * mm))
    widths = column_widths(COLUMNS, width)
    spec = TableSpec(widths, ALIGNS, size=SIZE, leading=SIZE * 1.2)
    head_style = style(SIZE, bold=True, align=CENTER, name="posting-head")
    header = Table([[para(label, head_style) for label, _ in COLUMNS]], colWidths=widths)
    header.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    span = ((1, len(COLUMNS) - 1),)
    blank = ["", "", "", "", ""]
    # one small entry per row; LazyRows breaks a row into lines only when its page is laid out
    entries: list[tuple] = []
    for gi, g in enumerate(data.groups, 1):
        entries.append(("village", gi, g))
        entries.extend(("household", n, h) for n, h in enumerate(g.households, 1))
        entries.append(("subtotal", gi, g))
    entries.append(("total", 0, data))
    if options.leaving:
        entries.append(("leaving-title", len(data.groups) + 1, None))
        entries.extend(("leaving", n, x) for n, x in enumerate(options.leaving, 1))
        entries.append(("leaving-total", 0, options.leaving))

    def make(entry: tuple) -> Row:
        kind, n, x = entry
        if kind == "household":
            return spec.row([str(n), x.head_name, str(x.head_birth_year or ""), mask_cccd(x.head_cccd),
                             x.village, str(x.size), x.classification_label])
        if kind == "leaving":
            change = f"{CLASSIFICATION_LABELS.get(x.before, '')} → {CLASSIFICATION_LABELS.get(x.after, '')}"
            return spec.row([str(n), x.head_name, str(x.head_birth_year or ""), mask_cccd(x.head_cccd),
                             x.village, str(x.size), change])
        if kind == "village":
            return spec.row([roman(n), x.name, *blank], bold=True, spans=span)
        if kind == "subtotal":
            people = sum(h.size for h in x.households)
            return spec.row(["", f"Cộng {x.name}: {x.count(POOR)} hộ nghèo, {x.count(NEAR_POOR)} hộ cận nghèo, "
                             f"{people} nhân khẩu", *blank], bold=True, spans=span)
        if kind == "total":
            people = sum(h.size for h in data.households)
            return spec.row(["", f"Tổng cộng: {data.count(POOR)} hộ nghèo, {data.count(NEAR_POOR)} hộ cận nghèo, "
                             f"{people} nhân khẩu", *blank], bold=True, spans=span)
        if kind == "leaving-title":
            return spec.row([roman(n), "Hộ thoát nghèo, thoát cận nghèo", *blank], bold=True, spans=span)
        return spec.row(["", f"Cộng: {len(x)} hộ thoát nghèo, thoát cận nghèo, "
                         f"{sum(y.size for y in x)} nhân khẩu", *blank], bold=True, spans=span)

    rows = LazyRows(entries, make)
    story.append(RowTable(header, spec, rows))
    story += [
        Spacer(1, 4 * mm),
        para(
            "Trong thời gian niêm yết, mọi ý kiến thắc mắc, khiếu nại về danh sách trên xin gửi về "
            f"{who.short} hoặc Ban Chỉ đạo rà soát để được xem xét, giải quyết.",
            style(12, italic=True, leading=15),
        ),
        Spacer(1, 5 * mm),
    ]
    plan = data.plan
    story.append(signature_block(width, signature_titles(plan.signer_title if plan else "CHỦ TỊCH"),
                                 plan.signer_name if plan else ""))
    return story


def write_posting_pdf(data: ReportData, path: str | Path, options: PostingOptions | None = None) -> int:
    """Write the posting list (A4 portrait); returns the number of pages."""
    margins = Margins()
    return build_pdf(path, posting_story(data, frame_width(PORTRAIT, margins), options), PORTRAIT, margins,
                     title=posting_title(data.year).capitalize(), author=data.settings.commune_name)
