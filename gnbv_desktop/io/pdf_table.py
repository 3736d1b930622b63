"""A long ruled table drawn straight on the canvas, for lists of thousands of households.

reportlab's ``Table`` re-measures every cell each time it splits across pages and draws each
cell through its style machinery; for the annex of 3,000 households that takes half a minute.
Here cells are plain text broken into lines once (:class:`LineWrapper`), a row's height is its
line count times the leading, and a page split is a scan over known heights. The header (built
once as a small reportlab ``Table``) repeats at the top of every page; rows never break across
pages unless a single row is taller than a page.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Table

from gnbv_desktop.io.pdf_common import FONT, FONT_BOLD, LineWrapper

LEFT, CENTRE, RIGHT = "LEFT", "CENTER", "RIGHT"
# Break a row across pages rather than leave more than this share of a page empty.
BREAK_ROW_WHEN_EMPTY = 0.15


@dataclass
class Row:
    """One ruled row: the lines of each column (a span's text sits in its first column)."""

    cells: list[list[str]]
    height: float
    bold: bool = False
    spans: tuple[tuple[int, int], ...] = ()

    def line_count(self) -> int:
        return max((len(c) for c in self.cells), default=1)


class LazyRows(Sequence[Row]):
    """Rows broken into lines when asked for, from one small entry per row (e.g. a household).

    A list of 40,000 households as ready rows holds every cell's lines at once (about 200 MB);
    here :class:`RowTable` measures each row once for its height and asks again for the rows of
    the page it lays out, so only a page's rows exist at a time — for a second line-breaking pass
    (word widths are cached) instead of memory that grows with the list.
    """

    def __init__(self, entries: Sequence[Any], make: Callable[[Any], Row]):
        self._entries = entries
        self._make = make
        self._last: tuple[int, Row] | None = None

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Row]:
        return (self._make(e) for e in self._entries)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if self._last is not None and self._last[0] == index:
            return self._last[1]
        row = self._make(self._entries[index])
        self._last = (index, row)
        return row


def _prefix_sums(rows: Sequence[Row]) -> array:
    sums = array("d", [0.0])
    total = 0.0
    for r in rows:
        total += r.height
        sums.append(total)
    return sums


@dataclass
class TableSpec:
    """Geometry and type shared by the body rows of one table."""

    widths: list[float]
    aligns: list[str]
    size: float = 8.5
    leading: float = 10.0
    pad_x: float = 2.5
    pad_top: float = 2.0
    pad_bottom: float = 3.0
    line_width: float = 0.5
    regular: LineWrapper = field(init=False)
    bold: LineWrapper = field(init=False)

    def __post_init__(self) -> None:
        self.regular = LineWrapper(FONT, self.size)
        self.bold = LineWrapper(FONT_BOLD, self.size)

    def inner(self, first: int, last: int) -> float:
        return sum(self.widths[first : last + 1]) - 2 * self.pad_x

    def row(self, values: list[str], *, bold: bool = False, spans: tuple[tuple[int, int], ...] = ()) -> Row:
        """Break every cell to its column (or span) width and size the row."""
        wrapper = self.bold if bold else self.regular
        span_end = {a: b for a, b in spans}
        cells = []
        for col, text in enumerate(values):
            last = span_end.get(col, col)
            cells.append(wrapper.lines(text, self.inner(col, last)) if text else [])
        lines = max((len(c) for c in cells), default=1) or 1
        return Row(cells, self.pad_top + self.pad_bottom + lines * self.leading, bold, spans)


class RowTable(Flowable):
    """The body rows under a header that repeats on each page; splits between rows.

    reportlab calls ``wrap`` and ``split`` once per page on what is left of the table. To keep a
    list of 60,000 households linear, the remainder is a view on the one shared row list (a start
    index, plus the tail of a row cut across pages) and heights come from prefix sums computed
    once: each page costs the rows it holds, not the rows still to come. ``rows`` may be a
    :class:`LazyRows`, which makes a page's rows only when that page is laid out.
    """

    def __init__(self, header: Table, spec: TableSpec, rows: Sequence[Row], header_height: float | None = None):
        super().__init__()
        self.header = header
        self.spec = spec
        self.width = sum(spec.widths)
        self._header_h = header_height if header_height is not None else header.wrap(self.width, 10_000)[1]
        self._base = rows
        self._prefix = _prefix_sums(rows)
        self._start = 0
        self._lead: Row | None = None

    @property
    def rows(self) -> list[Row]:
        """The rows of this part (a copy: used to draw one page's worth)."""
        return ([self._lead] if self._lead else []) + list(self._base[self._start:])

    def _count(self) -> int:
        return (1 if self._lead else 0) + len(self._base) - self._start

    def _iter_rows(self):
        if self._lead:
            yield self._lead
        yield from (self._base[i] for i in range(self._start, len(self._base)))

    def _body_height(self) -> float:
        lead = self._lead.height if self._lead else 0.0
        return lead + self._prefix[-1] - self._prefix[self._start]

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.height = self._header_h + self._body_height()
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        room = avail_height - self._header_h
        used, k = 0.0, 0
        page: list[Row] = []
        for r in self._iter_rows():
            if used + r.height > room:
                nxt: Row | None = r
                break
            used += r.height
            page.append(r)
            k += 1
        else:
            nxt = None
        total = self._count()
        if k == total and k > 1:
            k -= 1  # within the frame's tolerance: move the last row rather than leave an empty part
            nxt = page.pop()
            used -= nxt.height
        frame = getattr(self, "_frame", None)
        full_room = (frame._aH if frame is not None else avail_height) - self._header_h
        left = room - used
        s = self.spec
        if nxt is not None and left >= max(full_room * BREAK_ROW_WHEN_EMPTY, s.pad_top + s.pad_bottom + 3 * s.leading) \
                and nxt.line_count() > 3:
            # like a word processor's "allow row to break across pages": fill the page, carry on overleaf
            head, tail = self._cut(nxt, left)
            return [self._part([*page, head]), self._rest(k + 1, tail)]
        if k == 0:
            if nxt is None or nxt.height <= full_room or room <= s.leading * 3:
                return []  # the row fits on a fresh page: move it there whole
            head, tail = self._cut(nxt, room)  # a row taller than a whole page
            return [self._part([head]), self._rest(1, tail)]
        return [self._part(page), self._rest(k, None)]

    def _part(self, rows: list[Row]) -> RowTable:
        return RowTable(self.header, self.spec, rows, self._header_h)

    def _rest(self, skip: int, lead: Row | None) -> RowTable:
        """What is left after the first ``skip`` rows of this part, ``lead`` standing in front."""
        part = RowTable.__new__(RowTable)
        Flowable.__init__(part)
        part.header, part.spec, part.width, part._header_h = self.header, self.spec, self.width, self._header_h
        part._base, part._prefix = self._base, self._prefix
        skip_base = skip - (1 if self._lead else 0)
        part._start = self._start + max(skip_base, 0)
        part._lead = lead
        return part

    def _cut(self, row: Row, room: float) -> tuple[Row, Row]:
        s = self.spec
        fit = max(1, int((room - s.pad_top - s.pad_bottom) // s.leading))
        head = Row([c[:fit] for c in row.cells], s.pad_top + s.pad_bottom + fit * s.leading, row.bold, row.spans)
        rest = [c[fit:] for c in row.cells]
        left = max((len(c) for c in rest), default=1) or 1
        return head, Row(rest, s.pad_top + s.pad_bottom + left * s.leading, row.bold, row.spans)

    def _draw_header(self, y: float) -> None:
        """Draw the header once into a PDF form, then place that form on every page."""
        c = self.canv
        name = f"rowtable-header-{id(self.header)}"
        if not c.hasForm(name):
            c.beginForm(name, 0, 0, self.width, self._header_h)
            self.header.drawOn(c, 0, 0)
            c.endForm()
        c.saveState()
        c.translate(0, y)
        c.doForm(name)
        c.restoreState()

    def draw(self) -> None:
        c, s = self.canv, self.spec
        self._draw_header(self.height - self._header_h)
        xs = [0.0]
        for w in s.widths:
            xs.append(xs[-1] + w)
        y = self.height - self._header_h
        c.setLineWidth(s.line_width)
        text = c.beginText()
        current_font = None
        for r in self.rows:
            font = FONT_BOLD if r.bold else FONT
            if font != current_font:
                text.setFont(font, s.size, s.leading)
                current_font = font
            span_end = {a: b for a, b in r.spans}
            covered = {col for a, b in r.spans for col in range(a + 1, b + 1)}
            baseline = y - s.pad_top - s.size
            for col, lines in enumerate(r.cells):
                if col in covered or not lines:
                    continue
                last = span_end.get(col, col)
                x0, x1 = xs[col] + s.pad_x, xs[last + 1] - s.pad_x
                align = s.aligns[col] if col not in span_end else LEFT
                for i, line in enumerate(lines):
                    if align == LEFT:
                        x = x0
                    else:
                        w = pdfmetrics.stringWidth(line, font, s.size)
                        x = x1 - w if align == RIGHT else (x0 + x1 - w) / 2
                    text.setTextOrigin(x, baseline - i * s.leading)
                    text.textOut(line)
            bottom = y - r.height
            c.line(0, bottom, self.width, bottom)
            for col, x in enumerate(xs):
                if col not in covered:
                    c.line(x, y, x, bottom)
            y = bottom
        c.drawText(text)
