"""Import a 20,000-household Excel list: CPU time against python-calamine reading the same file, peak memory.

Workbooks (issue 12):

* ``list``: an official's list, one row per household, 12 indicator columns marked ``x`` under a
  merged "Các chỉ số thiếu hụt" header, title block and numbering row — target ≤ 4×;
* ``export``: the app's own export (``jobs.export_excel``) of those households with their support
  plans (two plan items and one helper each), i.e. with the plan sheets — target ≤ 6×;
* ``xls`` / ``ods`` (``--formats``): the list saved as Excel 97–2003 and as LibreOffice Calc.

Every run is two fresh child processes (cold caches, as when an official opens the app to import).
The first imports the file (preview + write) into a new database, then imports it again unchanged
(it must change nothing). The second only reads the file with python-calamine: the baseline is
measured in a process that holds none of the import's objects, because a read made after the
import, in its process, pays for the cycle collector walking the import's few hundred thousand
live objects (that flattering figure is printed too, as "after the import, same process"). The
figures are CPU seconds of the process and its own children (the workbook guard's probe for
.xls/.ods) and the importing child's peak resident memory (``ru_maxrss``: the whole process,
interpreter and libraries included, measured right after the first import). The ratio is the
median import time over the median clean read time of ``--runs`` pairs of children, both
measured in this one run of the benchmark.
Run: ``python benchmarks/bench_import.py [--households N] [--runs 3] [--formats xls,ods] [--workbooks DIR]``
(``--workbooks`` keeps the generated files in DIR and reuses them on the next run).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
# Nothing heavy is imported at the top: the workbook guard's probe for .xls/.ods runs in a spawned
# process, which imports this script again as its main module (as it imports the app's entry point,
# which is light), and its CPU time is counted in the import's.

VILLAGES = ["Thôn 1", "Thôn 2", "Thôn Hợp Thắng", "Làng Dư", "Làng Ia Băng", "Làng Bồ"]
FAMILY = "Nguyễn Trần Lê Phạm Hoàng Phan Vũ Đặng Bùi Đỗ Rơ Mah Siu Ksor".split()
GIVEN = "An Bình Cường Dũng Hoa Lan Mai Nam Phúc Quang Sơn Thảo Uyên Vinh Yến Blơng Hlum".split()
CODES = ["1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "4.1", "4.2", "5.1", "5.2", "6.1", "6.2"]
MEASURES = ["Vay vốn NHCSXH", "Hỗ trợ sản xuất", "Thẻ BHYT", "Hỗ trợ nhà ở", "Nước sinh hoạt", "Đào tạo nghề"]
STATUSES = ["Dự kiến", "Đang thực hiện", "Hoàn thành"]
HELPERS = [("Hội Liên hiệp Phụ nữ xã Ia Grai", "Tổ chức, đoàn thể", ""), ("Hội Nông dân xã Ia Grai", "Tổ chức, đoàn thể", ""),
           ("Nguyễn Văn Hùng", "Cá nhân", "Chủ tịch UBND xã"), ("Trần Thị Mai", "Cá nhân", "Công chức")]
HEAD = ["STT", "Mã hộ", "Họ và tên chủ hộ", "Năm sinh", "Giới tính", "Số CCCD", "Dân tộc", "Thôn", "Địa chỉ",
        "Điện thoại", "Thu nhập BQ (đồng/người/tháng)"]
TAIL = ["Phân loại", "Nguyên nhân nghèo", "Nhu cầu hỗ trợ", "Ghi chú"]


def list_rows(n: int) -> list[list[object]]:
    """The households, one row each, indicators as ``x`` in 12 columns."""
    from gnbv_desktop.core.cccd import make_cccd

    rng = random.Random(5)
    rows = []
    for i in range(1, n + 1):
        sex = rng.choice(["nam", "nu"])
        year = rng.randint(1945, 2000)
        income = rng.randrange(600_000, 1_500_001, 1000)
        deprived = set(rng.sample(CODES, rng.randint(0, 5)))
        rows.append([
            i, f"{i:05d}", f"{rng.choice(FAMILY)} {rng.choice(GIVEN)} {rng.choice(GIVEN)}", year,
            "Nam" if sex == "nam" else "Nữ", int(make_cccd("064", year, sex, i)), "Kinh",
            VILLAGES[i % len(VILLAGES)], None, f"09{rng.randrange(10**8):08d}", f"{income:,}".replace(",", "."),
            *("x" if c in deprived else None for c in CODES),
            "Nghèo" if len(deprived) >= 3 else "Cận nghèo",
            "Thiếu vốn sản xuất, kinh doanh; Thiếu lao động", "Tín dụng ưu đãi (vay vốn)", None,
        ])
    return rows


def header_rows() -> tuple[list, list, list]:
    """Two header rows (indicator codes under a merged parent) and the numbering row."""
    top = [*HEAD, "Các chỉ số thiếu hụt", *[None] * 11, *TAIL]
    sub = [None] * len(HEAD) + CODES + [None] * len(TAIL)
    return top, sub, [f"({i})" for i in range(1, len(top) + 1)]


def build_list(path: Path, rows: list[list[object]]) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    ws.append(["UBND XÃ IA GRAI"])
    ws.append(["DANH SÁCH HỘ NGHÈO, HỘ CẬN NGHÈO NĂM 2026"])
    ws.append([])
    top, sub, numbers = header_rows()
    ws.append(top)
    ws.append(sub)
    ws.append(numbers)
    first, last = len(HEAD) + 1, len(HEAD) + len(CODES)
    ws.merge_cells(start_row=4, start_column=first, end_row=4, end_column=last)
    for c in [*range(1, first), *range(last + 1, len(top) + 1)]:
        ws.merge_cells(start_row=4, start_column=c, end_row=5, end_column=c)
    for r in rows:
        ws.append(r)
    wb.save(path)


def build_xls(path: Path, rows: list[list[object]]) -> None:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Danh sach")
    ws.write(0, 0, "DANH SÁCH HỘ NGHÈO, HỘ CẬN NGHÈO NĂM 2026")
    top, sub, numbers = header_rows()
    first, last = len(HEAD), len(HEAD) + len(CODES) - 1
    ws.write_merge(2, 2, first, last, top[first])
    for c, text in enumerate(top):
        if not first <= c <= last:
            ws.write_merge(2, 3, c, c, text)
    for r, cells in enumerate([sub, numbers, *rows], start=3):
        for c, value in enumerate(cells):
            if value is not None:
                ws.write(r, c, value)
    wb.save(str(path))


def build_ods(path: Path, rows: list[list[object]]) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    from gnbv_desktop.core.standard_set import shipped_standards

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Danh sách")
    top, _sub, numbers = header_rows()  # one header row: the indicators by name (no merged parent)
    names = [shipped_standards().for_year(2026).indicator(c).name for c in CODES]
    top = [*HEAD, *names, *TAIL]
    for cells in [["DANH SÁCH HỘ NGHÈO, HỘ CẬN NGHÈO NĂM 2026"], [], top, numbers, *rows]:
        tr = TableRow()
        for value in cells:
            if value is None:
                tr.addElement(TableCell())
                continue
            number = isinstance(value, (int, float))
            cell = TableCell(valuetype="float", value=value) if number else TableCell(valuetype="string")
            cell.addElement(P(text=str(value)))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))


def build_plan_list(path: Path, n: int) -> None:
    """The list with hand-filled plan sheets (two items and one helper per household)."""
    from openpyxl import Workbook

    rng = random.Random(7)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách")
    ws.append(["STT", "Mã hộ", "Họ và tên chủ hộ", "Năm sinh", "Giới tính", "Số CCCD", "Dân tộc", "Thôn",
               "Thu nhập BQ (đồng/người/tháng)", "Các chỉ số thiếu hụt", "Phân loại", "Nguyên nhân nghèo"])
    for r in list_rows(n):
        codes = ", ".join(c for c, mark in zip(CODES, r[11:23], strict=True) if mark)
        ws.append([*r[:8], r[10], codes, r[23], r[24]])
    items = wb.create_sheet("Kế hoạch hỗ trợ")
    items.append(["STT", "Mã hộ", "Họ và tên chủ hộ", "Thôn", "Giải pháp hỗ trợ", "Nội dung hỗ trợ",
                  "Kinh phí dự kiến (đồng)", "Nguồn kinh phí", "Đơn vị chủ trì", "Thời gian thực hiện", "Trạng thái",
                  "Kinh phí đã thực hiện (đồng)", "Ngày thực hiện", "Kết quả"])
    k = 0
    for i in range(1, n + 1):
        for measure in rng.sample(MEASURES, 2):
            k += 1
            done = (status := rng.choice(STATUSES)) == "Hoàn thành"
            items.append([k, f"{i:05d}", None, None, measure, f"{measure} cho hộ", 5_000_000, "NSĐP",
                          "Hội Nông dân xã Ia Grai", "Quý II/2026", status, 5_000_000 if done else None,
                          "15/05/2026" if done else None, "Đã nhận hỗ trợ" if done else None])
    hs = wb.create_sheet("Người giúp đỡ")
    hs.append(["STT", "Mã hộ", "Họ và tên chủ hộ", "Thôn", "Người/tổ chức giúp đỡ", "Loại", "Chức vụ",
               "Đơn vị công tác", "Điện thoại liên hệ", "Ghi chú"])
    for i in range(1, n + 1):
        name, kind, position = HELPERS[i % len(HELPERS)]
        hs.append([i, f"{i:05d}", None, None, name, kind, position, None, "0905112233", None])
    wb.save(path)


def build_export(path: Path, work: Path, n: int) -> None:
    """The app's own export (household sheet + plan sheets) of ``n`` households with plans."""
    from gnbv_desktop.jobs.demo import ensure_demo_commune
    from gnbv_desktop.jobs.export_excel import export_excel
    from gnbv_desktop.jobs.import_excel import preview_import, run_import
    from gnbv_desktop.jobs.progress import run_to_end
    from gnbv_desktop.store.database import open_database

    source = work / "plans-source.xlsx"
    build_plan_list(source, n)
    db = open_database(work / "export-source.sqlite3")
    ensure_demo_commune(db)
    run_to_end(run_import(db, run_to_end(preview_import(db, source, year=2026))))
    run_to_end(export_excel(db, path, 2026))
    db.close()


def cpu() -> float:
    """CPU seconds of this process and its finished children (the workbook guard's probe, if any)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def calamine_read(path: Path) -> int:
    """What the ratio is measured against: python-calamine reading every sheet's cells into Python."""
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    cells = sum(len(wb.get_sheet_by_name(n).to_python()) for n in wb.sheet_names)
    wb.close()
    return cells


def reader(path: Path) -> None:
    """The baseline (in its own process): python-calamine reading the file, nothing else alive."""
    import python_calamine  # noqa: F401  (loaded before the clock starts: loading it is not reading)

    c = cpu()
    calamine_read(path)
    print(json.dumps({"read": cpu() - c}))


def child(path: Path, db_path: Path) -> None:
    """One measured import (in its own process): import, re-import unchanged, then read once more."""
    from gnbv_desktop.jobs.demo import ensure_demo_commune
    from gnbv_desktop.jobs.import_excel import preview_import, run_import
    from gnbv_desktop.jobs.progress import run_to_end
    from gnbv_desktop.store.database import open_database

    db = open_database(db_path)
    ensure_demo_commune(db)
    c = cpu()
    preview = run_to_end(preview_import(db, path, year=2026))
    preview_cpu = cpu() - c
    summary = run_to_end(run_import(db, preview))
    import_cpu = cpu() - c
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    c = cpu()
    again = run_to_end(run_import(db, run_to_end(preview_import(db, path, year=2026))))
    reimport_cpu = cpu() - c
    c = cpu()
    calamine_read(path)
    read_after = cpu() - c
    db.close()
    print(json.dumps({"import": import_cpu, "preview": preview_cpu, "read_after": read_after, "peak_mb": peak,
                      "new": summary.imported, "items": summary.plan_items, "reimport": reimport_cpu,
                      "re_changed": again.updated + again.imported, "re_unchanged": again.unchanged}))


def run_child(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(name: str, path: Path, work: Path, runs: int, target: int) -> dict:
    results, reads = [], []
    for i in range(runs):  # import and read alternate, so that the other helpers' load weighs on both alike
        db_path = work / f"{path.stem}-{i}.sqlite3"
        results.append(run_child("--child", str(path), str(db_path)))
        reads.append(run_child("--read", str(path))["read"])
        for p in work.glob(f"{db_path.name}*"):
            p.unlink()
    imp = statistics.median(r["import"] for r in results)
    read = statistics.median(reads)
    last = results[-1]
    print(f"\n== {name}: {path.name}, {path.stat().st_size / 1e6:.1f} MB, {last['new']} new households, "
          f"{last['items']} plan items; {runs} runs")
    print("   import CPU s:  " + ", ".join(f"{r['import']:.2f}" for r in results)
          + f"  (preview part: {statistics.median(r['preview'] for r in results):.2f}, "
          f"write part: {statistics.median(r['import'] - r['preview'] for r in results):.2f})")
    print("   calamine CPU s: " + ", ".join(f"{r:.2f}" for r in reads) + "  (each in a fresh process)")
    print("   (calamine after the import, same process, not used: "
          + ", ".join(f"{r['read_after']:.2f}" for r in results) + ")")
    print(f"   ratio (median/median): {imp / read:.1f}×  (target ≤ {target}×)")
    print(f"   peak RSS of the importing process: {max(r['peak_mb'] for r in results):.0f} MB (target < 300 MB)")
    print(f"   re-import of the same file: {statistics.median(r['reimport'] for r in results):.2f} s CPU, "
          f"{last['re_changed']} hộ thay đổi, {last['re_unchanged']} hộ không đổi")
    return {"name": name, "ratio": imp / read}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--households", type=int, default=20_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--formats", default="", help="also time the list as .xls and/or .ods, e.g. xls,ods")
    ap.add_argument("--workbooks", type=Path, help="keep the generated workbooks here and reuse them")
    ap.add_argument("--child", nargs=2, metavar=("FILE", "DB"), help=argparse.SUPPRESS)
    ap.add_argument("--read", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(Path(args.child[0]), Path(args.child[1]))
        return
    if args.read:
        reader(args.read)
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        kept = args.workbooks / str(args.households) if args.workbooks else work
        kept.mkdir(parents=True, exist_ok=True)
        rows = list_rows(args.households)
        files = [("list, 12 indicator columns", kept / "list.xlsx", build_list, 4),
                 ("the app's export with plan sheets", kept / "export.xlsx", None, 6)]
        formats = [f for f in args.formats.split(",") if f]
        files += [(f"list as .{f}", kept / f"list.{f}", {"xls": build_xls, "ods": build_ods}[f], 4) for f in formats]
        for name, path, build, target in files:
            if not path.exists():
                t = time.perf_counter()
                build_export(path, work, args.households) if build is None else build(path, rows)
                print(f"built {path.name} in {time.perf_counter() - t:.0f} s")
            measure(name, path, work, args.runs, target)


if __name__ == "__main__":
    main()
