"""The four classes a household's assessment can put it in, with their Vietnamese names.

Apart from the standards that decide them (``core/standards.py``):
the household list shows and filters on the classes, and the app opens on that list before anything
needs the standards themselves.
"""

from __future__ import annotations

POOR = "poor"
NEAR_POOR = "near_poor"
AVERAGE = "average"
NONE = "none"
CLASSIFICATIONS = (POOR, NEAR_POOR, AVERAGE, NONE)
CLASSIFICATION_LABELS = {
    POOR: "Hộ nghèo",
    NEAR_POOR: "Hộ cận nghèo",
    AVERAGE: "Hộ có mức sống trung bình",
    NONE: "Không thuộc diện",
}
