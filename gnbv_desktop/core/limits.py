"""Bounds every value from outside is held to, in one place (issue 9: nothing unbounded is stored).

They are generous for real data and far below what would overflow SQLite's 64-bit integers or
make a list, a report or an export unusable.
"""

from __future__ import annotations

from gnbv_desktop.core.text import format_number, has_control_chars

# Years the app works with (review years, plan years, standards' periods).
FIRST_YEAR = 2000
LAST_YEAR = 2100
# Largest amount of money (đồng) anywhere: a per-person income, a plan amount, a standard's line.
MAX_MONEY = 1_000_000_000_000
# Income lines of a poverty standard (đồng per person per month): the shipped ones are 700.000 –
# 3.000.000; a line of 1 đồng or of billions is a mistake, not a standard.
MIN_INCOME_LINE = 100_000
MAX_INCOME_LINE = 100_000_000
# Text a commune records and sends up in its sync packages. The sync schema (core/sync_schema.py),
# the Excel import, the store's save paths and the CLI all take their bounds from here, so nothing
# accepted locally is refused by the upper level.
# Names: people, helpers (people and organisations), villages, the commune, its province and upper level.
MAX_NAME_CHARS = 200
# Short text: address, phone, relation, codes, a helper's position.
MAX_TEXT_CHARS = 500
# A note typed by an official (household, helper, assessment).
MAX_NOTE_CHARS = 1_000
# Longest free text a package may carry (plan items' content and result).
MAX_LONG_TEXT_CHARS = 4_000
# Received from the upper level and never sent back: catalogue entries' and standards' labels,
# and their longer explanations.
MAX_LABEL_CHARS = 500
MAX_DOCUMENT_TEXT_CHARS = 5_000
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


def text_problem(label: str, value: str, max_chars: int, *, multiline: bool = False) -> str:
    """A Vietnamese sentence naming the field when ``value`` is too long or holds control characters
    (ESC, a right-to-left override: a printed name would read differently from the stored one),
    else "". ``multiline`` text (notes) may hold line breaks and tabs."""
    if has_control_chars(value, allow_newlines=multiline):
        return f"{label} chứa ký tự điều khiển không được phép (như ESC hoặc ký tự đảo chiều chữ); hãy gõ lại."
    if len(value) > max_chars:
        return f"{label} dài {format_number(len(value))} ký tự, tối đa {format_number(max_chars)} ký tự."
    return ""
