"""Columns of a list typed with a legacy Vietnamese font (TCVN3, VNI), converted to Unicode.

Detection is per column (one list often mixes a Unicode header with old data typed years ago),
on the rows under the header; the converted values replace the cells before the rows are read,
so every check and the preview see real Vietnamese. The preview names each converted column with
an example, and the official can turn the conversion off.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import itemgetter

from gnbv_desktop.core.legacy_text import ENCODING_LABELS, convert, could_be_legacy, detect_encoding
from gnbv_desktop.io.excel_reader import Header, SheetData, column_letter

SAMPLE = 400  # distinct non-ASCII texts a column is judged on
# Fields that hold words (numbers, dates and codes are never in a legacy encoding).
TEXT_FIELDS = {"name", "head_name", "relation", "ethnicity", "village", "address", "note", "causes", "needs",
               "categories", "classification", "expected_result", "area", "sex", "birth_male", "birth_female",
               "cause", "need", "category"}


@dataclass
class LegacyColumn:
    index: int
    header: str
    encoding: str
    example: tuple[str, str]  # (as in the file, converted)

    def message(self, converted: bool) -> str:
        where = f"Cột {column_letter(self.index)} ({self.header})"
        before, after = self.example
        if converted:
            return (f"{where} được gõ bằng bảng mã cũ {ENCODING_LABELS[self.encoding]}; đã chuyển sang Unicode, "
                    f"ví dụ '{before}' → '{after}'. Hãy kiểm tra trước khi nhập.")
        return (f"{where} có vẻ được gõ bằng bảng mã cũ {ENCODING_LABELS[self.encoding]} (ví dụ '{before}' sẽ là "
                f"'{after}'); đang giữ nguyên vì đã tắt chuyển bảng mã.")


def legacy_columns(data: SheetData, header: Header, mapping: dict[int, str],
                   seen: dict[int, dict[object, None]] | None = None) -> list[LegacyColumn]:
    """The mapped text columns whose values are TCVN3 or VNI rather than Unicode. ``seen`` receives each
    column's distinct cells under the header (column → ``dict.fromkeys`` of them), for the parser to use
    unless the column is converted."""
    headers = {c.index: c.header for c in header.columns}
    found = []
    rows = data.rows[header.data_start:]
    shortest = min(map(len, rows), default=0)
    for c, field in sorted(mapping.items()):
        if field.partition(":")[0] not in TEXT_FIELDS:
            continue
        column = map(itemgetter(c), rows) if c < shortest else (row[c] if c < len(row) else None for row in rows)
        try:
            distinct = dict.fromkeys(column)  # each value once, in row order (a column repeats a few values)
            if seen is not None:
                seen[c] = distinct
        except TypeError:  # an unhashable cell value
            distinct = [row[c] for row in rows if c < len(row)]
        texts: dict[str, None] = {}  # the first distinct texts, in row order: enough to tell the encoding
        for v in distinct:
            if isinstance(v, str) and not v.isascii() and could_be_legacy(v):  # the cells a conversion changes
                texts[v] = None
                if len(texts) >= SAMPLE:
                    break
        encoding = detect_encoding(texts)
        if encoding is None:
            continue
        example = max(texts, key=lambda t: sum(not ch.isascii() for ch in t))
        found.append(LegacyColumn(c, headers.get(c, ""), encoding, (example, convert(example, encoding))))
    return found


def convert_columns(data: SheetData, start: int, columns: list[LegacyColumn]) -> None:
    """Replace the cells of ``columns`` from row ``start`` on by their Unicode text (each distinct text once);
    a cell already in Unicode (not :func:`could_be_legacy`) stays as it is."""
    for col in columns:
        done: dict[str, str] = {}
        for row in data.rows[start:]:
            if col.index < len(row) and isinstance(v := row[col.index], str) and not v.isascii():
                if v not in done:
                    done[v] = convert(v, col.encoding) if could_be_legacy(v) else v
                row[col.index] = done[v]


def convert_head(data: SheetData, rows: int) -> bool:
    """Convert the first ``rows`` rows cell by cell where a cell reads as legacy text (a header typed
    in .VnTime); True when anything changed."""
    changed = False
    for row in data.rows[:rows]:
        for c, v in enumerate(row):
            if isinstance(v, str) and not v.isascii():
                encoding = detect_encoding([v])
                if encoding is not None:
                    row[c] = convert(v, encoding)
                    changed = True
    return changed
