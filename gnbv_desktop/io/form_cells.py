"""How a summary form's cell reads in print: numbers with dot thousands, rates with a comma."""

from __future__ import annotations

from gnbv_desktop.core.forms import Row, Section
from gnbv_desktop.core.text import format_number


def cell_text(section: Section, row: Row, col: int) -> str:
    """The text printed in one cell; an unknown rate prints "—" (the form's note says why)."""
    column = section.columns[col]
    value = row.cells[col]
    if column.rate_of is not None:
        if all(v is None for v in row.cells[2:]):
            return ""
        rate = section.rate(row, col)
        return "—" if rate is None else f"{rate:.2f}".replace(".", ",")
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(value)
    return str(value)
