"""The summary forms of the review cycle as plain tables, printed by both the PDF and the XLSX writer.

A form is one or more sections; a section has columns and rows. Counted columns of a total row
are the sum of the data rows above it (the XLSX writes a SUM formula there), and a rate column is
computed from two other columns of the same row (the XLSX writes the division), so a total rate
is never an average of rates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

FORM_KEYS = ("ket-qua", "dien-bien", "thieu-hut", "dan-toc", "doi-tuong", "thoat-ngheo", "dinh-ky")
PERIODS = {"6m": (6, "6 tháng đầu năm"), "9m": (9, "9 tháng đầu năm"), "12m": (12, "năm")}
DATA, GROUP, TOTAL = "data", "group", "total"


@dataclass(frozen=True)
class Column:
    label: str
    width: float = 12  # relative width in the PDF
    numeric: bool = True
    rate_of: tuple[int, int] | None = None  # (numerator column, denominator column): a percentage
    group: str = ""  # the upper header shared by neighbouring columns ("Hộ nghèo" over "Số hộ", "Tỷ lệ")


@dataclass
class Row:
    cells: list  # text for label columns, int for counted ones, None for blank; rates are computed
    kind: str = DATA


@dataclass
class Section:
    title: str
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    note: str = ""

    def add(self, cells: list, kind: str = DATA) -> Row:
        row = Row(list(cells), kind)
        self.rows.append(row)
        return row

    def add_total(self, label: str, label_col: int = 1, *, grand: bool = False) -> Row:
        """A total row under the data rows since the previous total (every data row when
        ``grand``): counted columns summed."""
        start = 0 if grand else max((i + 1 for i, r in enumerate(self.rows) if r.kind == TOTAL), default=0)
        cells: list = [None] * len(self.columns)
        cells[label_col] = label
        for c, col in enumerate(self.columns):
            if col.numeric and col.rate_of is None:
                cells[c] = sum((r.cells[c] or 0) for r in self.rows[start:] if r.kind == DATA)
        return self.add(cells, TOTAL)

    def header_spans(self) -> list[tuple[int, int, str]]:
        """(first column, last column, upper label) of the header: a group over its neighbouring
        columns, or a column alone with an empty upper label (its label spans both header rows)."""
        out: list[tuple[int, int, str]] = []
        c = 0
        while c < len(self.columns):
            group = self.columns[c].group
            end = c
            while group and end + 1 < len(self.columns) and self.columns[end + 1].group == group:
                end += 1
            out.append((c, end, group))
            c = end + 1
        return out

    def rate(self, row: Row, col: int) -> float | None:
        """The percentage in a rate column; None when the denominator is unknown or 0."""
        num, den = self.columns[col].rate_of
        n, d = row.cells[num], row.cells[den]
        if not d or n is None:
            return None
        return 100.0 * n / d


@dataclass
class SummaryForm:
    key: str
    number: str  # "Biểu số 01"
    title: str
    subtitle: str  # "(Kèm theo Báo cáo … năm 2026)" or the period
    sections: list[Section]
    unit_label: str = "Thôn"
    notes: list[str] = field(default_factory=list)
    landscape: bool = True
