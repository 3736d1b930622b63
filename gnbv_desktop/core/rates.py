"""Poverty rates: the count over all resident households (tổng số hộ dân cư), never over the list.

A rate with no known resident total is not a number: it is shown as :data:`NO_RESIDENTS`.
"""

from __future__ import annotations

NO_RESIDENTS = "chưa có tổng số hộ dân cư"


def rate(part: int, residents: int | None) -> float | None:
    """``part`` as a percentage of ``residents``; None when the resident total is unknown (or 0)."""
    if not residents:
        return None
    return 100.0 * part / residents


def format_rate(value: float | None) -> str:
    """``2.456`` → ``2,46 %``; an unknown rate → "chưa có tổng số hộ dân cư"."""
    if value is None:
        return NO_RESIDENTS
    return f"{value:.2f}".replace(".", ",") + " %"
