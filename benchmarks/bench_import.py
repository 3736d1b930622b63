"""Import a 20,000-household Excel list: CPU time against python-calamine reading the same file, peak memory.

Two workbooks: an official's list (one sheet), and the same list with the support-plan sheets
of an export (two plan items and one helper per household), imported into a fresh database each.
Prints, measured in the same run, the CPU time python-calamine takes to read the file and the CPU
time of the whole import (preview + write), and their ratio. Targets (issue 12): list only ≤ 4×,
with plan sheets ≤ 6×, peak memory < 300 MB.
Run: ``python benchmarks/bench_import.py [--households N]``.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gnbv_desktop.core.cccd import make_cccd  # noqa: E402
from gnbv_desktop.io.excel_reader import read_sheet  # noqa: E402
from gnbv_desktop.jobs.demo import ensure_demo_commune  # noqa: E402
from gnbv_desktop.jobs.import_excel import preview_import, run_import  # noqa: E402
from gnbv_desktop.jobs.progress import run_to_end  # noqa: E402
from gnbv_desktop.store.database import open_database  # noqa: E402

VILLAGES = ["Thôn 1", "Thôn 2", "Thôn Hợp Thắng", "Làng Dư", "Làng Ia Băng", "Làng Bồ"]
FAMILY = "Nguyễn Trần Lê Phạm Hoàng Phan Vũ Đặng Bùi Đỗ Rơ Mah Siu Ksor".split()
GIVEN = "An Bình Cường Dũng Hoa Lan Mai Nam Phúc Quang Sơn Thảo Uyên Vinh Yến Blơng Hlum".split()
CODES = ["1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "4.1", "4.2", "5.1", "5.2", "6.1", "6.2"]


MEASURES = ["Vay vốn NHCSXH", "Hỗ trợ sản xuất", "Thẻ BHYT", "Hỗ trợ nhà ở", "Nước sinh hoạt", "Đào tạo nghề"]
STATUSES = ["Dự kiến", "Đang thực hiện", "Hoàn thành"]
HELPERS = [("Hội Liên hiệp Phụ nữ xã Ia Grai", "Tổ chức, đoàn thể", ""), ("Hội Nông dân xã Ia Grai", "Tổ chức, đoàn thể", ""),
           ("Nguyễn Văn Hùng", "Cá nhân", "Chủ tịch UBND xã"), ("Trần Thị Mai", "Cá nhân", "Công chức")]


def build(path: Path, n: int, plans: bool = False) -> None:
    rng = random.Random(5)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách")
    ws.append(["UBND XÃ IA GRAI"])
    ws.append(["DANH SÁCH HỘ NGHÈO, HỘ CẬN NGHÈO NĂM 2026"])
    ws.append([])
    ws.append(["STT", "Mã hộ", "Họ và tên chủ hộ", "Năm sinh", "Giới tính", "Số CCCD", "Dân tộc", "Thôn",
               "Địa chỉ", "Điện thoại", "Thu nhập BQ (đồng/người/tháng)", "Các chỉ số thiếu hụt", "Phân loại",
               "Nguyên nhân nghèo", "Nhu cầu hỗ trợ", "Ghi chú"])
    ws.append([f"({i})" for i in range(1, 17)])
    for i in range(1, n + 1):
        sex = rng.choice(["nam", "nu"])
        year = rng.randint(1945, 2000)
        income = rng.randrange(600_000, 1_500_001, 1000)
        deprived = sorted(rng.sample(CODES, rng.randint(0, 5)))
        ws.append([
            i, f"{i:05d}", f"{rng.choice(FAMILY)} {rng.choice(GIVEN)} {rng.choice(GIVEN)}", year,
            "Nam" if sex == "nam" else "Nữ", int(make_cccd("064", year, sex, i)), "Kinh",
            VILLAGES[i % len(VILLAGES)], "", f"09{rng.randrange(10**8):08d}", f"{income:,}".replace(",", "."),
            ", ".join(deprived), "Nghèo" if len(deprived) >= 3 else "Cận nghèo",
            "Thiếu vốn sản xuất, kinh doanh; Thiếu lao động", "Tín dụng ưu đãi (vay vốn)", "",
        ])
    if plans:
        _plan_sheets(wb, n, rng)
    wb.save(path)


def _plan_sheets(wb: Workbook, n: int, rng: random.Random) -> None:
    ws = wb.create_sheet("Kế hoạch hỗ trợ")
    ws.append(["STT", "Mã hộ", "Họ và tên chủ hộ", "Thôn", "Giải pháp hỗ trợ", "Nội dung hỗ trợ",
               "Kinh phí dự kiến (đồng)", "Nguồn kinh phí", "Đơn vị chủ trì", "Thời gian thực hiện", "Trạng thái",
               "Kinh phí đã thực hiện (đồng)", "Ngày thực hiện", "Kết quả"])
    k = 0
    for i in range(1, n + 1):
        for measure in rng.sample(MEASURES, 2):
            k += 1
            status = rng.choice(STATUSES)
            done = status == "Hoàn thành"
            ws.append([k, f"{i:05d}", None, None, measure, f"{measure} cho hộ", 5_000_000, "NSĐP",
                       "Hội Nông dân xã Ia Grai", "Quý II/2026", status, 5_000_000 if done else None,
                       "15/05/2026" if done else None, "Đã nhận hỗ trợ" if done else None])
    hs = wb.create_sheet("Người giúp đỡ")
    hs.append(["STT", "Mã hộ", "Họ và tên chủ hộ", "Thôn", "Người/tổ chức giúp đỡ", "Loại", "Chức vụ",
               "Đơn vị công tác", "Điện thoại liên hệ", "Ghi chú"])
    for i in range(1, n + 1):
        name, kind, position = HELPERS[i % len(HELPERS)]
        hs.append([i, f"{i:05d}", None, None, name, kind, position, None, "0905112233", None])


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu() -> float:
    """CPU seconds of this process and its finished children (the workbook probe, if any)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def calamine_read(path: Path) -> int:
    """What the ratio is measured against: python-calamine reading every sheet's cells into Python."""
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    cells = sum(len(wb.get_sheet_by_name(n).to_python()) for n in wb.sheet_names)
    wb.close()
    return cells


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--households", type=int, default=20_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for plans in (False, True):
            xlsx = Path(tmp) / f"list{int(plans)}.xlsx"
            t = time.perf_counter()
            build(xlsx, args.households, plans)
            what = "with plan sheets (2 items + 1 helper per household)" if plans else "list only"
            print(f"\n== {what}: built {args.households} households in {time.perf_counter() - t:.1f} s, "
                  f"{xlsx.stat().st_size / 1e6:.1f} MB")
            if not plans:
                t = time.perf_counter()
                data = read_sheet(xlsx, engine="openpyxl")
                print(f"read cells with openpyxl (comparison): {time.perf_counter() - t:.2f} s ({len(data.rows)} rows)")
                del data
            calamine_read(xlsx)  # warm the file cache and the imports so both timings start alike
            c = cpu()
            calamine_read(xlsx)
            read_cpu = cpu() - c
            _import_twice(Path(tmp) / f"bench{int(plans)}.sqlite3", xlsx, read_cpu, 6 if plans else 4)


def _import_twice(db_path: Path, xlsx: Path, read_cpu: float, target: int) -> None:
    db = open_database(db_path)
    ensure_demo_commune(db)
    base = peak_mb()
    c = cpu()
    t = time.perf_counter()
    preview = run_to_end(preview_import(db, xlsx, year=2026))
    t_preview = time.perf_counter() - t
    summary = run_to_end(run_import(db, preview))
    total = time.perf_counter() - t
    import_cpu = cpu() - c
    print(f"preview (read + check + match): {t_preview:.1f} s; write: {total - t_preview:.1f} s (wall)")
    print(f"CPU: python-calamine reading the file {read_cpu:.2f} s; import {import_cpu:.2f} s "
          f"→ ratio {import_cpu / read_cpu:.1f}× (target ≤ {target}×) for {summary.imported} new households, "
          f"{summary.plan_items} plan items")
    print(f"peak memory: {peak_mb():.0f} MB (before import {base:.0f} MB; target < 300 MB)")
    c = cpu()
    preview = run_to_end(preview_import(db, xlsx, year=2026))
    summary = run_to_end(run_import(db, preview))
    print(f"re-import of the same file: {cpu() - c:.2f} s CPU, {summary.updated} hộ thay đổi, "
          f"{summary.unchanged} hộ không đổi")
    db.close()


if __name__ == "__main__":
    main()
