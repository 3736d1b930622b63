"""A one-sheet summary workbook sent with a sync package: households by village and classification."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from gnbv_desktop.core.classifications import CLASSIFICATION_LABELS, CLASSIFICATIONS
from gnbv_desktop.core.text import strip_illegal_chars
from gnbv_desktop.io.xlsx_safe import guard_sheet, safe_row

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def summary_workbook(stats: dict, commune_name: str, created_on: str) -> bytes:
    """``stats`` has the shape of ``store.households.stats``; ``created_on`` is ``dd/mm/yyyy``."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Tổng hợp"
    year = stats["year"]
    ws["A1"] = f"TỔNG HỢP HỘ NGHÈO, HỘ CẬN NGHÈO NĂM {year}"
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = strip_illegal_chars(f"{commune_name} — số liệu ngày {created_on}")
    header = ["Thôn", "Số hộ", *(CLASSIFICATION_LABELS[c] for c in CLASSIFICATIONS)]
    ws.append([])
    ws.append(header)
    head_row = ws.max_row
    for village, counts in stats["by_village"].items():
        ws.append(safe_row(ws, [village, counts["households"], *(counts.get(c, 0) for c in CLASSIFICATIONS)]))
    by_class = stats["by_classification"]
    ws.append(["Tổng cộng", stats["households"], *(by_class.get(c, 0) for c in CLASSIFICATIONS)])
    last = ws.max_row
    ws.append([])
    ws.append(["Số nhân khẩu", stats["members"]])
    ws.append(["Hộ thoát nghèo trong năm", by_class.get("escaped", 0)])
    for row in ws.iter_rows(min_row=head_row, max_row=last):
        for cell in row:
            cell.border = _BOX
            if cell.column > 1:
                cell.number_format = "#,##0"
    for cell in ws[head_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    for cell in ws[last]:
        cell.font = Font(bold=True)
    ws.column_dimensions["A"].width = 28
    for col in "BCDEF":
        ws.column_dimensions[col].width = 16
    guard_sheet(ws)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
