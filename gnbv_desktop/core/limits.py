"""Bounds every value from outside is held to, in one place (issue 9: nothing unbounded is stored).

They are generous for real data and far below what would overflow SQLite's 64-bit integers or
make a list, a report or an export unusable.
"""

from __future__ import annotations

# Years the app works with (review years, plan years, standards' periods).
FIRST_YEAR = 2000
LAST_YEAR = 2100
# Largest amount of money (đồng) anywhere: a per-person income, a plan amount, a standard's line.
MAX_MONEY = 1_000_000_000_000
# Income lines of a poverty standard (đồng per person per month): the shipped ones are 700.000 –
# 3.000.000; a line of 1 đồng or of billions is a mistake, not a standard.
MIN_INCOME_LINE = 100_000
MAX_INCOME_LINE = 100_000_000
# Names and short labels (people, catalogue entries, standards' titles), and longer free text.
MAX_NAME_CHARS = 500
MAX_TEXT_CHARS = 5_000
# Catalogues and standards received from the upper level.
MAX_CATALOG_ENTRIES = 2_000
MAX_STANDARDS = 20
MAX_INDICATORS = 100
# Counts of households in targets.
MAX_HOUSEHOLD_COUNT = 1_000_000
MAX_RESIDENTS = 10_000_000  # resident households of a commune (Hộ dân cư): more than any has, a typing error


def year_in_range(value: object) -> bool:
    """A whole-number year (not a bool, not a string) inside the app's years."""
    return isinstance(value, int) and not isinstance(value, bool) and FIRST_YEAR <= value <= LAST_YEAR
