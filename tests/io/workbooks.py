"""Workbooks shaped like the lists communes really keep, built cell by cell for the import tests."""

from __future__ import annotations

import datetime as _dt
import unicodedata
from pathlib import Path

import openpyxl


def admin_block(ws) -> None:
    """The administrative header a printed list starts with (rows 1–5)."""
    ws["A1"] = "UBND XÃ IA GRAI"
    ws["F1"] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    ws["F2"] = "Độc lập - Tự do - Hạnh phúc"
    ws["A4"] = "DANH SÁCH HỘ NGHÈO, HỘ CẬN NGHÈO NĂM 2026"
    ws["A5"] = "(Kèm theo Quyết định số 12/QĐ-UBND ngày 05/01/2026 của UBND xã Ia Grai)"


def merged_header_list(path: Path) -> Path:
    """Admin block, a two-row merged header (Năm sinh over Nam/Nữ), a (1) (2)… row, group and
    subtotal rows, a signature block; numbers stored as text, decomposed Unicode, ``Ð`` look-alike,
    a CCCD that lost its leading zero, an Excel date serial, money as ``1,4 triệu``."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    admin_block(ws)
    top = ["STT", "Họ và tên\nchủ hộ", "Năm sinh", None, "Số CCCD", "Dân tộc", "Thôn",
           "Thu nhập BQ\n(đồng/người/tháng)", "Phân loại", "Ghi chú"]
    for c, text in enumerate(top, start=1):
        ws.cell(7, c, text)
    ws.cell(8, 3, "Nam")
    ws.cell(8, 4, "Nữ")
    for c in (1, 2, 5, 6, 7, 8, 9, 10):
        ws.merge_cells(start_row=7, start_column=c, end_row=8, end_column=c)
    ws.merge_cells("C7:D7")
    for c in range(1, 11):
        ws.cell(9, c, f"({c})")
    ws.cell(10, 1, "I. Thôn 1")
    ws.merge_cells("A10:J10")
    decomposed = unicodedata.normalize("NFD", "Nguyễn Văn  Ân")
    ws.append([1, decomposed, 1975, None, 64075012345, "Kinh", None, "1.200.000", "Nghèo"])  # row 11
    ws.append(["2", "Trần Thị Bình", None, "12/03/1980", "064180012345", "kinh", "thôn  1", "1,4 triệu", "CN"])
    ws.append(["Cộng thôn 1", None, None, None, None, None, None, None, None])  # row 13
    ws.cell(14, 1, "II. Thôn 2")
    ws.append([3, "Ðinh Thị Cúc", None, 29587, "052181000123", "Gia Rai", None, 900000, "HCN", "mới tách hộ"])
    ws.append(["Tổng cộng", None, None, None, None, None, None, None, None])  # row 16
    ws.append([])
    ws.append([None, "Người lập biểu", None, None, None, None, "TM. ỦY BAN NHÂN DÂN"])  # row 18
    ws.append([None, None, None, None, None, None, "CHỦ TỊCH"])
    ws.append([None, "Lê Văn Lập", None, None, None, None, "Rơ Mah Hlum"])  # row 20
    wb.save(path)
    return path


def marked_columns_list(path: Path) -> Path:
    """Three header rows: classification as x-marked columns, one column per indicator, causes
    marked per column; Giới tính as a text column; income as a number cell."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "HN"
    ws["A1"] = "DANH SÁCH HỘ NGHÈO"
    header1 = ["TT", "Mã hộ", "Chủ hộ", "Giới tính", "Năm sinh", "Thôn, làng", "Thu nhập",
               "Phân loại hộ", None, "Các chỉ số thiếu hụt", None, None, None, "Nguyên nhân nghèo", None]
    header2 = [None] * 7 + ["Hộ nghèo", "Hộ cận nghèo", "Việc làm", "Bảo hiểm y tế", "Nguồn nước sinh hoạt",
                            "Nhà tiêu hợp vệ sinh", "Thiếu vốn sản xuất, kinh doanh", "Thiếu lao động"]
    for c, text in enumerate(header1, start=1):
        ws.cell(3, c, text)
    for c, text in enumerate(header2, start=1):
        if text:
            ws.cell(4, c, text)
    for c in range(1, 8):
        ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
    ws.merge_cells("H3:I3")
    ws.merge_cells("J3:M3")
    ws.merge_cells("N3:O3")
    ws.append([1, "HN-01", "Siu H'Bia", "Nữ", 1982, "Làng Dư", 800000, "x", None, "x", "✓", "X", None, "x", None])
    ws.append([2, "HN-02", "Ksor Blơng", "Nam", 1970, "Làng Dư", "1500000", None, "x", None, "có", None, None, None,
               "1"])
    ws.append([3, "HN-03", "Puih Thuơ", "Nam", 1968, "Làng Dư", 700000, "x", "x", None, None, None, None, None, None])
    wb.save(path)
    return path


def per_member_list(path: Path) -> Path:
    """The national detail list: one row per person, STT chủ hộ / STT thành viên / Quan hệ,
    birth year under Nam or Nữ, indicator codes in one column."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Chi tiết"
    ws.append(["STT chủ hộ", "STT thành viên hộ", "Họ và tên", "Quan hệ với chủ hộ", "Năm sinh", None,
               "Số định danh cá nhân", "Thôn/ấp", "Thu nhập bình quân", "Chỉ số thiếu hụt", "Phân loại"])
    ws.append([None, None, None, None, "Nam", "Nữ", None, None, None, None, None])
    ws.merge_cells("E1:F1")
    for c in (1, 2, 3, 4, 7, 8, 9, 10, 11):
        ws.merge_cells(start_row=1, start_column=c, end_row=2, end_column=c)
    ws.append([1, None, "Nay Y Kông", "Chủ hộ", 1966, None, "064066000111", "Thôn 2", 1100000, "1.1, 2.2; 4.1",
               "Hộ nghèo"])
    ws.append([None, 1, "Rơ Châm H'Mai", "Vợ", None, 1969, "064169000222", None, None, None, None])
    ws.append([None, 2, "Nay Y Ðức", "Con", _dt.date(2001, 5, 4), None, None, None, None, None, None])
    ws.append([2, None, "Lê Thị Hoa", "Chủ hộ", None, 1990, "", "Thôn 2", "1.300.000", "", "cận nghèo"])
    ws.append([None, 1, "Lê Văn Tí", "Con", 2015, None, None, None, None, None, None])
    wb.save(path)
    return path


def simple_list(path: Path, rows: list[list], header: list[str] | None = None) -> Path:
    """One header row, then ``rows``."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "DS"
    ws.append(header or ["STT", "Họ tên chủ hộ", "Năm sinh", "Số CCCD", "Thôn", "Thu nhập", "Phân loại"])
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def xls_list(path: Path, rows: list[list], header: list[str]) -> Path:
    """The same list saved as Excel 97–2003 (.xls), as many commune files still are."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Danh sach")
    ws.write(0, 0, "DANH SÁCH HỘ NGHÈO NĂM 2026")
    for c, text in enumerate(header):
        ws.write(2, c, text)
    for r, row in enumerate(rows, start=3):
        for c, value in enumerate(row):
            if value is not None:
                ws.write(r, c, value)
    wb.save(str(path))
    return path


def ods_list(path: Path, rows: list[list], header: list[str]) -> Path:
    """The same list saved by LibreOffice Calc (.ods)."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="DS")
    for row in [header, *rows]:
        tr = TableRow()
        for value in row:
            if value is None:
                tr.addElement(TableCell())
            elif isinstance(value, (int, float)):
                cell = TableCell(valuetype="float", value=value)
                cell.addElement(P(text=str(value)))
                tr.addElement(cell)
            else:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=str(value)))
                tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path
