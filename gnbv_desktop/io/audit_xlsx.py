"""The audit trail (one household's or all) as an XLSX sheet, for an inspection or a data request."""

from __future__ import annotations

import os
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from gnbv_desktop.io.partial_files import track_partial
from gnbv_desktop.store.audit import ENTRY_HEADER, AuditEntry, readable

WIDTHS = [20, 14, 12, 26, 24, 40, 40]


def write_audit_xlsx(entries: list[AuditEntry], path: str | Path, title: str) -> int:
    """Write ``entries`` (newest first) under ``title``; returns the number of rows written."""
    path = Path(path)
    wb = Workbook()
    ws = wb.active
    ws.title = "Lịch sử thay đổi"
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(ENTRY_HEADER)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for i, width in enumerate(WIDTHS):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    for e in entries:
        ws.append([e.when, e.user, e.source, e.what, e.field_label, readable(e.old_value), readable(e.new_value)])
    ws.freeze_panes = "A3"
    tmp = track_partial(path.with_name(f".{path.name}.tmp"))
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.is_file():  # a folder of that name is not ours to remove
            tmp.unlink()
    return len(entries)
