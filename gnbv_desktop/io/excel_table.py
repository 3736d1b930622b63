"""The mapped cells of a list's data rows, column by column, as the import's field rules read them.

A list repeats the same few villages, years, incomes, marks and classifications down its columns,
so the parser (:mod:`gnbv_desktop.io.excel_parser`) reads each column once per distinct value
(:func:`per_value`) instead of each cell of each row: a rule gives a value and the notes on it, the
notes of a row are joined column by column (:func:`joined`), and only a row that has a note gets a
problem. Cells a column refuses (control characters, too long) are found here too, read as blank
and reported on their row.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from functools import lru_cache
from itertools import repeat
from operator import add, itemgetter, sub

from gnbv_desktop.core.excel_values import ValueProblem, is_blank, parse_mark, text_of
from gnbv_desktop.core.limits import MAX_NAME_CHARS, MAX_NOTE_CHARS, MAX_TEXT_CHARS
from gnbv_desktop.core.text import clean_keeps, format_number, has_control_chars, shorten, strip_illegal_chars
from gnbv_desktop.io.excel_reader import column_letter

# Notes: a problem found in a column before it is made into a Problem of its row.
# (field or column it names — None for the whole row —, message, error, whether it quotes the cell —
# or the cell's text itself, when a rule reading a whole column has it already)
Note = tuple[str | int | None, str, bool, bool | str]
QUIET: tuple[Note, ...] = ()


# Longest text a mapped cell may hold (core.limits, the bounds the sync schema uses too); longer
# cells are an error on their row, so nothing imported can swell the database or be refused by the
# upper level in a sync package.
_FIELD_LIMITS = {"head_name": MAX_NAME_CHARS, "name": MAX_NAME_CHARS, "note": MAX_NOTE_CHARS,
                 "causes": MAX_NOTE_CHARS, "needs": MAX_NOTE_CHARS, "categories": MAX_NOTE_CHARS}


def _has_control(text: str) -> bool:
    """Control or direction-override characters left once what XML cannot hold is removed (each
    distinct short text tested once: most cells of a list repeat; long ones are not kept). Every such
    character is outside the printable ones, so a printable text needs no further look."""
    if text.isprintable():
        return False
    return _short_has_control(text) if len(text) <= 200 else _control_left(text)


def _control_left(text: str) -> bool:
    return has_control_chars(strip_illegal_chars(text), allow_newlines=True)


_short_has_control = lru_cache(maxsize=65536)(_control_left)


def _column_plan(mapping: dict[int, str]) -> list[tuple[int, str, int, str, str]]:
    """(column, field, longest text, item kind, item code) of each mapped column, worked out once
    per sheet rather than on every row."""
    out = []
    for c, f in mapping.items():
        kind, _, code = f.partition(":")
        out.append((c, f, _FIELD_LIMITS.get(f, MAX_TEXT_CHARS), kind, code))
    return out


class Columns:
    """The mapping worked out once per sheet, and the cells it refuses found column by column.

    A cell holding control characters, or longer than its column allows, is an error on its row
    and read as blank. A column's texts are tested at once in C (its distinct ones when they are
    known), and only the rows holding a refused text are looked at again.
    """

    def __init__(self, mapping: dict[int, str], headers: dict[int, str], rows: list[list[object]], start: int,
                 known: dict[int, dict[object, None]]):
        """``headers``: column → ``C (Số CCCD)``, as problems name the column; ``known``: column → its
        distinct cells from ``start`` down, of the columns whose distinct cells were found already."""
        self.headers = headers
        self.fields: dict[str, list[int]] = {}  # field → its columns, in mapping order (not item columns)
        self.items: list[tuple[str, str, int]] = []  # kind, code, column of each item column (indicators…)
        self.refused: dict[int, list[tuple[int, str]]] = {}  # row index → (column, message), in mapping order
        self.start = start
        self.below: dict[int, Sequence[object]] = {}  # column → its cells from ``start`` down (None past a row's end)
        self._distinct: dict[int, dict[object, None] | None] = dict(known)  # see :meth:`distinct`
        below = rows[start:]
        self.length = len(below)
        transposed = list(zip(*below, strict=False))  # every column as far as the shortest row goes, in C
        for c, f, limit, kind, code in _column_plan(mapping):
            if code:
                self.items.append((kind, code, c))
            else:
                self.fields.setdefault(f, []).append(c)
            column = transposed[c] if c < len(transposed) else [r[c] if c < len(r) else None for r in below]
            self.below[c] = column
            self._refuse(column, known.get(c), start, limit, c)
        self._marks: dict[tuple, tuple[dict[str, set[str]], tuple[Note, ...]]] = {}
        self._ticks: dict[tuple[type, object], bool | str] = {}

    def distinct(self, c: int) -> dict[object, None] | None:
        """Column ``c``'s distinct cells from ``start`` down, in the order they first appear (None when a
        cell is unhashable): found once, and only for a column a rule reads per value (an STT, CCCD or
        tick column never is)."""
        if c not in self._distinct:
            try:
                self._distinct[c] = dict.fromkeys(self.below[c])
            except TypeError:  # an unhashable cell value
                self._distinct[c] = None
        return self._distinct[c]

    def marks(self, key: tuple[object, ...]) -> tuple[dict[str, set[str]], tuple[Note, ...]]:
        """The item columns of a row (``key``: their cells, in :attr:`items` order) read as ticks: kind →
        the codes ticked (a kind whose every cell was refused is left out), and a note on each refused
        cell. Worked out once per distinct combination of ticks (a list has a few hundred), each tick
        read once (:meth:`_tick`); the sets are shared, never to be changed."""
        hit = self._marks.get(key)
        if hit is None:
            lists: dict[str, set[str]] = {}
            refused: tuple[Note, ...] = QUIET
            for (kind, code, col), value in zip(self.items, key, strict=True):
                marked = value is not None and self._tick(value)  # most tick cells are empty
                if marked.__class__ is str:
                    refused += ((col, marked, True, True),)
                    continue
                bucket = lists.setdefault(kind, set())
                if marked:
                    bucket.add(code)
            hit = self._marks[key] = (lists, refused)
        return hit

    def _tick(self, value: object) -> bool | str:
        """:func:`parse_mark` of a tick cell, or the problem it raises, once per distinct cell ("x" on
        thousands of rows)."""
        key = (value.__class__, value)  # 1, 1.0 and True are quoted differently
        hit = self._ticks.get(key)
        if hit is None:
            try:
                hit = parse_mark(value)
            except ValueProblem as exc:
                hit = str(exc)
            self._ticks[key] = hit
        return hit

    def _refuse(self, column: Sequence[object], distinct: dict[object, None] | None, start: int, limit: int,
                c: int) -> None:
        """Note the cells of ``column`` (column ``c`` from row ``start`` down; ``distinct``: its distinct
        cells, when known) that are refused."""
        texts = _texts(column if distinct is None else distinct)
        if "".join(texts).isprintable() and max(map(len, texts), default=0) <= limit:
            return  # the common case, seen at C speed: no control character, nothing too long
        bad: dict[object, str] = {}
        for v in dict.fromkeys(texts):  # each distinct text once
            if _has_control(v):
                bad[v] = ("Ô chứa ký tự điều khiển không được phép (như ký tự đảo chiều chữ U+202E); "
                          "hãy gõ lại ô này.")
            elif len(v) > limit:
                bad[v] = (f"Ô dài {format_number(len(v))} ký tự, quá giới hạn {format_number(limit)} ký tự "
                          "của cột này; hãy rút gọn.")
        if bad:
            for i, v in enumerate(column):
                if isinstance(v, str) and v in bad:
                    self.refused.setdefault(start + i, []).append((c, bad[v]))


def _texts(cells: Collection[object]) -> Collection[str]:
    """The texts among ``cells`` (an empty one may be left out: it is never refused), found in C by the
    cells' types: ``isinstance`` looks further on each cell that is not a text (numbers, blanks)."""
    types = set(map(type, cells))
    if not any(issubclass(t, str) for t in types):  # numbers, dates, blanks
        return ()
    if types <= {str, type(None)}:  # texts, and blanks (tick columns)
        return list(filter(None, cells)) if type(None) in types else cells
    return list(filter(str.__instancecheck__, cells))


_NONE_AS_EMPTY = {None: ""}.get  # _NONE_AS_EMPTY(v, v): "" for a blank cell, else the value
_NUMBERS = {int, float, bool}  # the cell types whose values can be equal across types (1 == 1.0 == True)


def per_value(rule: Callable[[object], object], values: list[object],
              distinct: dict[object, None] | None = None) -> list[object]:
    """``rule(value)`` of each cell of a column, worked out once per distinct value: a list's columns
    repeat the same few villages, years, incomes and marks. The values are read in the order they
    first appear, as row by row (the context's own memos keep what they saw first). Cells of different
    types are different cells to a rule (``1``, ``1.0`` and ``True`` are quoted differently), so a
    column mixing number types is keyed by type and value. ``distinct``: ``dict.fromkeys(values)``
    when the caller has it already."""
    if distinct is None:
        try:
            distinct = dict.fromkeys(values)
        except TypeError:  # an unhashable cell value: read each cell alone
            return [rule(v) for v in values]
    if len(distinct) == len(values):  # no value repeats (codes, phones, CCCDs): each cell once, in row order
        return list(map(rule, values))
    # the cells' types: ``distinct`` keeps one of 1 and 1.0; a cell of a number type equals only a
    # number, so without one among the distinct cells no cell is a number
    if not _NUMBERS.intersection(map(type, distinct)) or len(_NUMBERS.intersection(map(type, values))) <= 1:
        if len(distinct) == 1:  # one value all the way down (an ethnic group, a cause)
            return [rule(next(iter(distinct)))] * len(values)
        memo = {v: rule(v) for v in distinct}
        return list(map(memo.__getitem__, values))
    typed = {(v.__class__, v): v for v in values}
    memo = {key: rule(v) for key, v in typed.items()}
    return [memo[(v.__class__, v)] for v in values]


def checked(f: str, parse: Callable[..., object], *args: object) -> Callable[[object], tuple[object, tuple[Note, ...]]]:
    """``parse(value, *args)`` as a rule of field ``f``: (its value, no note), or (None, the problem it raised)."""
    def rule(value: object) -> tuple[object, tuple[Note, ...]]:
        try:
            return parse(value, *args), QUIET
        except ValueProblem as exc:
            return None, ((f, str(exc), True, True),)
    return rule


class Table:
    """The mapped cells of some data rows, column by column, as the field rules read them.

    A field is one list of cells (a refused cell, or one past its row's end, blank), so each rule
    runs once per distinct value of a column rather than once per row, and a problem becomes a
    :class:`Problem` only on the rows that have one.
    """

    def __init__(self, columns: Columns, rows: list[list[object]], indexes: list[int]):
        """``rows``: the data rows, as read (a problem quotes the cell as written); ``indexes``: their
        indexes in the sheet."""
        self.columns = columns
        self.fields = columns.fields  # the fields the sheet has (a field is there on every row)
        self.rows = rows
        self.indexes = indexes
        self.numbers = list(map(add, indexes, repeat(1)))
        refused = columns.refused
        self.refused = [refused.get(r, ()) for r in indexes] if refused else [()] * len(indexes)
        self._refused_cells = ([(i, c) for i, cells in enumerate(self.refused) if cells for c, _message in cells]
                               if refused else [])
        self.any_refused = bool(self._refused_cells)
        self._positions = list(map(sub, indexes, repeat(columns.start)))  # in the columns of :attr:`Columns.below`
        # every row under the header is one of these (no group, subtotal or signature row): a column's
        # cells are the sheet's column as it is (the indexes increase, so as many means the same)
        self._whole = len(indexes) == columns.length
        self._cells: dict[int, list[object]] = {}
        self._values: dict[str, list[object]] = {}
        self._distinct: dict[str, dict[object, None] | None] = {}
        self._tidy: dict[str, list[str] | None] = {}
        self._source: dict[str, list[int]] = {}  # field mapped more than once → the column read on each row

    def __len__(self) -> int:
        return len(self.indexes)

    def subset(self, positions: list[int]) -> Table:
        """The same columns on some of these rows (a member list's first row of each household)."""
        return Table(self.columns, [self.rows[p] for p in positions], [self.indexes[p] for p in positions])

    def cells(self, c: int) -> list[object]:
        """Column ``c`` as the rules read it: refused cells and cells past a row's end are blank."""
        hit = self._cells.get(c)
        if hit is None:
            column = self.columns.below[c]
            positions = self._positions
            if self._whole:
                hit = list(column)
            else:
                hit = list(itemgetter(*positions)(column)) if len(positions) > 1 else [column[p] for p in positions]
            for i, col in self._refused_cells:
                if col == c:
                    hit[i] = None
            self._cells[c] = hit
        return hit

    def per_value(self, rule: Callable[[object], object], f: str) -> list[object]:
        """:func:`per_value` of field ``f`` (:meth:`get`) on its distinct cells (:meth:`distinct`)."""
        return per_value(rule, self.get(f), self.distinct(f))

    def cleaned(self, f: str) -> list[str]:
        """Field ``f`` as :func:`text_of` makes each cell (``""`` for a blank one): a text cleaned, a
        number as typed (a mã hộ, house number or note typed as ``10001`` is read as the float
        ``10001.0``, and must not be stored so); a column whose texts :func:`clean` would leave as
        they are (most lists' names, codes, villages) is taken as it is."""
        values = self.get(f)
        distinct = self.distinct(f)
        if self.tidy_texts(f) is None:
            return per_value(text_of, values, distinct)
        if None not in distinct:
            return list(values)
        return [""] * len(values) if len(distinct) == 1 else list(map(_NONE_AS_EMPTY, values, values))

    def tidy_texts(self, f: str) -> list[str] | None:
        """The distinct texts of field ``f`` when each of its cells is blank or a text :func:`clean` leaves
        as it is (told at C speed on the distinct texts, once per field), else None."""
        if f not in self._tidy:
            distinct = self.distinct(f)
            texts = None if distinct is None else list(distinct)
            if texts is not None and None in distinct:
                texts.remove(None)
            try:
                self._tidy[f] = texts if texts is not None and clean_keeps(texts) else None
            except TypeError:  # a cell that is not a text (a number, a date): clean_keeps joins them
                self._tidy[f] = None
        return self._tidy[f]

    def distinct(self, f: str) -> dict[object, None] | None:
        """``dict.fromkeys`` of field ``f``'s cells, or None when a cell is unhashable; found once per field,
        and taken from :class:`Columns` when the field is one column read whole, none of its cells refused."""
        if f not in self._distinct:
            cs = self.fields.get(f)
            if self._whole and cs and len(cs) == 1 and not any(col == cs[0] for _i, col in self._refused_cells):
                self._distinct[f] = self.columns.distinct(cs[0])
            else:
                try:
                    self._distinct[f] = dict.fromkeys(self.get(f))
                except TypeError:  # an unhashable cell value
                    self._distinct[f] = None
        return self._distinct[f]

    def get(self, f: str) -> list[object]:
        """Field ``f`` on every row (blank where not mapped); a field mapped to several columns is
        read from its first non-blank column on each row."""
        hit = self._values.get(f)
        if hit is None:
            cs = self.fields.get(f)
            if not cs:
                hit = [None] * len(self)
            elif len(cs) == 1:
                hit = self.cells(cs[0])
            else:
                columns = {c: self.cells(c) for c in cs}
                source = [next((c for c in cs if not is_blank(columns[c][i])), cs[0]) for i in range(len(self))]
                hit = [columns[c][i] for i, c in enumerate(source)]
                self._source[f] = source
            self._values[f] = hit
        return hit

    def where(self, f: str | int, i: int, quote: bool | str) -> tuple[str, str]:
        """How a problem about ``f`` (a field, or a column) on row ``i`` names its column (``C (Số CCCD)``:
        a field mapped more than once names the column read on that row), and the cell as written when
        ``quote`` (at most 200 characters: an over-long cell is not repeated whole), or ``quote`` itself
        when it is that text already."""
        if f.__class__ is int:
            c = f
        elif len(cs := self.fields[f]) == 1:
            c = cs[0]
        else:
            self.get(f)
            c = self._source[f][i]
        where = self.columns.headers.get(c) or f"{column_letter(c)} ()"
        if not quote or quote.__class__ is str:
            return where, quote or ""
        row = self.rows[i]
        return where, shorten(text_of(row[c]), 200) if c < len(row) else ""

    def refused_notes(self, i: int) -> tuple[Note, ...]:
        """Refused cells of row ``i`` (see :class:`Columns`), as errors that do not quote the cell."""
        return tuple((c, message, True, False) for c, message in self.refused[i])


def columns_of(results: list[tuple], width: int) -> list[list]:
    """Rows of results (tuples of ``width`` items) as ``width`` columns."""
    return [list(map(itemgetter(k), results)) for k in range(width)]


def joined(*notes: list[tuple[Note, ...]]) -> list[tuple[Note, ...]]:
    """Columns of notes joined row by row, in the order given (the order the problems are listed in)."""
    out = notes[0]
    for more in notes[1:]:
        if any(more):  # most columns have no note on any row
            out = list(map(add, out, more))
    return out
