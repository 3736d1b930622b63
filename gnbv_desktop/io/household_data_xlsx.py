"""Everything stored about one household as an XLSX workbook (a personal data request)."""

from __future__ import annotations

import os
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from gnbv_desktop.io.partial_files import track_partial
from gnbv_desktop.store.audit import FIELD_LABELS, TABLE_LABELS
from gnbv_desktop.store.personal_data import HouseholdData

DERIVED = {"search_key", "sort_key"}  # rebuilt from the name; the sort key is not even text
EXTRA_LABELS = {"id": "Mã nội bộ", "uuid": "Mã đồng bộ", "created_at": "Tạo lúc", "updated_at": "Sửa lúc",
                "change_counter": "Số lần sửa", "rev": "Phiên bản", "search_key": "Khóa tìm kiếm",
                "sort_key": "Khóa sắp xếp", "at": "Thời điểm", "user": "Người dùng", "source": "Nguồn",
                "action": "Thao tác", "table_name": "Bảng", "row_id": "Dòng", "field": "Trường",
                "old_value": "Giá trị cũ", "new_value": "Giá trị mới"}


def write_household_data(data: HouseholdData, path: str | Path) -> int:
    """One sheet per table holding the household's rows; returns the number of rows written."""
    path = Path(path)
    wb = Workbook()
    wb.remove(wb.active)
    written = 0
    for table, rows in data.tables.items():
        title = "Lịch sử thay đổi" if table == "audit_log" else TABLE_LABELS.get(table, table)
        ws = wb.create_sheet(title[:31])
        ws.append([f"{title} — hộ {data.code}, {data.head_name}"])
        ws["A1"].font = Font(bold=True)
        columns = [c for c in rows[0] if c not in DERIVED] if rows else []
        ws.append([FIELD_LABELS.get(c) or EXTRA_LABELS.get(c, c) for c in columns])
        for row in rows:
            ws.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in (row[c] for c in columns)])
            written += 1
    tmp = track_partial(path.with_name(f".{path.name}.tmp"))
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.is_file():  # a folder of that name is not ours to remove
            tmp.unlink()
    return written
