"""What every printed document shares (NĐ 30/2020/NĐ-CP style): the embedded Times-metric font,
paragraph styles, the two-column header block, the signature block and "Trang x/y" numbering.

Liberation Serif is metric-compatible with Times New Roman and carries every Vietnamese letter;
it is embedded from ``resources/fonts`` (SIL OFL, licence shipped alongside) so the PDF prints
the same on any machine.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as _canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as _Table

from gnbv_desktop.core.document import Issuer
from gnbv_desktop.io.pdf_stream import stream_to
from gnbv_desktop.paths import resource_path

FONT = "LiberationSerif"
FONT_BOLD = "LiberationSerif-Bold"
FONT_ITALIC = "LiberationSerif-Italic"
FONT_BOLD_ITALIC = "LiberationSerif-BoldItalic"

PORTRAIT = A4
LANDSCAPE = landscape(A4)

# Page streams binary (zlib only): ASCII85 on top makes every printout a quarter larger and cost
# about a third of the layout time. PDF readers and archives need no 7-bit-clean streams today.
rl_config.useA85 = 0


@dataclass(frozen=True)
class Margins:
    """Page margins in points; the defaults follow NĐ 30/2020 (top/bottom 20, left 30, right 15 mm)."""

    top: float = 20 * mm
    bottom: float = 20 * mm
    left: float = 30 * mm
    right: float = 15 * mm


def register_fonts() -> None:
    """Register the Liberation Serif family once per process (bold/italic map for <b>, <i>)."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    for name, file in (
        (FONT, "LiberationSerif-Regular.ttf"),
        (FONT_BOLD, "LiberationSerif-Bold.ttf"),
        (FONT_ITALIC, "LiberationSerif-Italic.ttf"),
        (FONT_BOLD_ITALIC, "LiberationSerif-BoldItalic.ttf"),
    ):
        pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", file))))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC)


class Table(_Table):
    """reportlab's Table whose cells default to the embedded font: a plain-string cell (even an
    empty one) would otherwise select Helvetica, which is referenced without being embedded."""

    def __init__(self, data, *args, style=None, **kwargs):
        super().__init__(data, *args, style=TableStyle([("FONT", (0, 0), (-1, -1), FONT)]), **kwargs)
        if style is not None:
            self.setStyle(style)


def style(size: float = 13, *, bold: bool = False, italic: bool = False, align: int = TA_LEFT,
          leading: float | None = None, space_after: float = 0, name: str = "") -> ParagraphStyle:
    font = {(False, False): FONT, (True, False): FONT_BOLD, (False, True): FONT_ITALIC,
            (True, True): FONT_BOLD_ITALIC}[(bold, italic)]
    return ParagraphStyle(
        name or f"s{size}{bold}{italic}{align}", fontName=font, fontSize=size,
        leading=leading or size * 1.2, alignment=align, spaceAfter=space_after,
    )


def para(text: str, st: ParagraphStyle) -> Paragraph:
    """A paragraph from plain text: XML special characters escaped, newlines kept as line breaks."""
    return Paragraph(escape(text).replace("\n", "<br/>"), st)


CENTER, LEFT, RIGHT = TA_CENTER, TA_LEFT, TA_RIGHT


class LineWrapper:
    """Breaks plain text into lines that fit a width, measuring each distinct word once.

    Long tables use pre-broken plain-text cells instead of Paragraphs: the table then sizes a
    row by counting lines, which keeps a 3,000-household annex within seconds.
    """

    def __init__(self, font: str, size: float):
        self.font = font
        self.size = size
        self._widths: dict[str, float] = {}
        self.space = self.width(" ")

    def width(self, word: str) -> float:
        w = self._widths.get(word)
        if w is None:
            w = self._widths[word] = pdfmetrics.stringWidth(word, self.font, self.size)
        return w

    def lines(self, text: str, width: float) -> list[str]:
        out: list[str] = []
        for raw in text.split("\n"):
            line, used = [], 0.0
            for word in raw.split():
                w = self.width(word)
                if w > width:  # a word wider than the column: cut it by characters
                    if line:
                        out.append(" ".join(line))
                        line, used = [], 0.0
                    chunk = ""
                    for ch in word:
                        if chunk and self.width(chunk + ch) > width:
                            out.append(chunk)
                            chunk = ""
                        chunk += ch
                    line, used = [chunk], self.width(chunk)
                    continue
                extra = w + (self.space if line else 0)
                if line and used + extra > width:
                    out.append(" ".join(line))
                    line, used = [word], w
                else:
                    line.append(word)
                    used += extra
            out.append(" ".join(line))
        return out

    def wrap(self, text: str, width: float) -> str:
        return "\n".join(self.lines(text, width)) if text else ""


class HeaderBlock(Flowable):
    """The two-column heading of an administrative document, drawn at exact positions.

    Left: the superior body (caps, regular) over the issuing UBND (caps, bold) with a short rule,
    then "Số: …". Right: the national title (caps, bold) over the motto (bold) with a rule the
    width of the motto, then the italic place and date.
    """

    def __init__(self, who: Issuer, number_line: str, place_date: str, width: float, size: float = 12.5):
        super().__init__()
        self.who = who
        self.number_line = number_line
        self.place_date = place_date
        self.width = width
        self.size = size
        self.left_w = width * 0.40
        self.height = size * 1.25 * 4 + 6

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def _centred(self, text: str, font: str, size: float, cx: float, y: float) -> float:
        self.canv.setFont(font, size)
        self.canv.drawCentredString(cx, y, text)
        return pdfmetrics.stringWidth(text, font, size)

    def draw(self) -> None:
        c, s = self.canv, self.size
        line = s * 1.25
        top = self.height - s
        lx, rx = self.left_w / 2, self.left_w + (self.width - self.left_w) / 2
        self._centred(self.who.province_line, FONT, s, lx, top)
        w = self._centred(self.who.commune_line, FONT_BOLD, s, lx, top - line)
        c.setLineWidth(0.6)
        rule = min(w, self.left_w) / 3
        c.line(lx - rule / 2, top - line - 4, lx + rule / 2, top - line - 4)
        if self.number_line:
            self._centred(self.number_line, FONT, s, lx, top - 2 * line - 6)
        self._centred("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", FONT_BOLD, s, rx, top)
        w = self._centred("Độc lập - Tự do - Hạnh phúc", FONT_BOLD, s + 0.5, rx, top - line)
        c.line(rx - w / 2, top - line - 4, rx + w / 2, top - line - 4)
        if self.place_date:
            self._centred(self.place_date, FONT_ITALIC, s + 0.5, rx, top - 2 * line - 6)


def signature_block(
    width: float,
    right_lines: tuple[str, str],
    right_name: str,
    left_title: str = "",
    left_name: str = "",
    size: float = 12.5,
) -> KeepTogether:
    """"NGƯỜI LẬP BIỂU" on the left (optional) and the authority, title and signer on the right,
    with room for signature and seal; kept on one page."""
    bold = style(size, bold=True, align=CENTER, leading=size * 1.25)
    italic = style(size - 1.5, italic=True, align=CENTER)
    authority, title = right_lines
    right = [para(authority, bold), para(title, bold), para("(Ký tên, đóng dấu)", italic)]
    left = []
    if left_title:
        left = [para(left_title, bold), para("(Ký, ghi rõ họ tên)", italic)]
    spacer = [Spacer(1, 24 * mm)]
    rows = [
        [left, right],
        [spacer, spacer],
        [para(left_name, bold) if left_name else "", para(right_name, bold) if right_name else ""],
    ]
    t = Table(rows, colWidths=[width * 0.45, width * 0.55])
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return KeepTogether([t])


def numbered_canvas(label: str = "Trang", size: float = 10):
    """A canvas class that writes "Trang x/y" at the foot of every page, y being known only at the end.

    Each page draws a PDF form named after its number that does not exist yet (a forward
    reference); ``save`` defines those forms once the total is known, each holding the centred
    "Trang x/y". A page is thus finished, compressed and let go when it ends: memory does not
    grow with a copy of every page's drawing (30,000 household sheets once took 3.5 GB).
    """

    class NumberedCanvas(_canvas.Canvas):
        def __init__(self, filename, *args, **kwargs):
            # Every page starts in the embedded font; reportlab's default (Helvetica, not embedded)
            # would otherwise be referenced by every page, which archives of official PDFs refuse.
            register_fonts()
            kwargs["initialFontName"] = kwargs.get("initialFontName") or FONT
            super().__init__(filename, *args, **kwargs)
            self._pages_done = 0
            self._out = open(filename, "wb")  # noqa: SIM115 (closed by save or close_output)
            self._streaming = stream_to(self._doc, self._out)

        def showPage(self) -> None:  # noqa: N802 (reportlab API)
            self._pages_done += 1
            name = f"page-number-{self._pages_done}"
            self._streaming.reserve_form(name)
            self.doForm(name)
            super().showPage()

        def save(self) -> None:
            total = self._pages_done
            w, _h = self._pagesize
            for n in range(1, total + 1):
                self.beginForm(f"page-number-{n}")
                self.setFont(FONT, size)
                self.drawCentredString(w / 2, 10 * mm, f"{label} {n}/{total}")
                self.endForm()
            if len(self._code):
                self.showPage()
            with self._out:
                self._streaming.finish(self)

        def close_output(self) -> None:
            """Close the file when the layout failed half-way (the caller removes it)."""
            self._out.close()

    return NumberedCanvas


_END = object()


class StoryFeed(list):
    """The flowables of a document fed to reportlab a few at a time from an iterable.

    reportlab takes flowables from the front of a list (``del flowables[0]``) and puts split
    parts back there; over a whole list of 40,000 household sheets that both holds every sheet's
    paragraphs at once and moves the rest of the list at each step. Here the list is a short
    window refilled from the source whenever reportlab looks at it, so layout holds a few pages'
    flowables and each step is cheap.
    """

    WINDOW = 64

    def __init__(self, source: Iterable[Flowable]):
        super().__init__()
        self._source: Iterator[Flowable] | None = iter(source)

    def _fill(self, at_least: int = WINDOW) -> None:
        while self._source is not None and super().__len__() < at_least:
            nxt = next(self._source, _END)
            if nxt is _END:
                self._source = None
            else:
                super().append(nxt)

    def __len__(self) -> int:
        self._fill()
        return super().__len__()

    def __bool__(self) -> bool:
        return len(self) > 0

    def __getitem__(self, index):
        if isinstance(index, int) and index >= 0:
            self._fill(max(self.WINDOW, index + 1))
        else:
            self._fill()
        return super().__getitem__(index)


def build_pdf(path: str | Path, story: Iterable[Flowable], pagesize=LANDSCAPE, margins: Margins = Margins(),
              title: str = "", author: str = "") -> int:
    """Lay out ``story`` (a list, or a generator for long documents) into ``path``; returns the number of pages."""
    register_fonts()
    doc = SimpleDocTemplate(
        str(path), pagesize=pagesize, leftMargin=margins.left, rightMargin=margins.right,
        topMargin=margins.top, bottomMargin=margins.bottom, title=title, author=author,
        creator="GNBV Desktop", pageCompression=1,
    )
    try:
        doc.build(StoryFeed(story), canvasmaker=numbered_canvas())
    finally:
        canvas = getattr(doc, "canv", None)
        if canvas is not None:
            canvas.close_output()
    return doc.page


def frame_width(pagesize=LANDSCAPE, margins: Margins = Margins()) -> float:
    return pagesize[0] - margins.left - margins.right


def village_scope(villages: list[str]) -> list:
    """The italic "Thôn: …" line under a title when a printout covers only some villages."""
    if not villages:
        return []
    return [para("Thôn: " + ", ".join(villages), style(12, italic=True, align=TA_CENTER))]


def column_widths(columns: list[tuple[str, float]], width: float) -> list[float]:
    """Share ``width`` between ``(label, relative width)`` columns in proportion."""
    total = sum(w for _, w in columns)
    return [width * w / total for _, w in columns]
