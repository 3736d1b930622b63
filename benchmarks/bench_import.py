"""Import a 20,000-household Excel list: time and peak memory; openpyxl read-only vs calamine reading.

Two workbooks: an official's list (one sheet), and the same list with the support-plan sheets
of an export (two plan items and one helper per household), imported into a fresh database each.
Targets on the 2-core reference machine: whole import < 15 s, peak memory < 500 MB.
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
                for engine in ("openpyxl", "calamine"):
                    t = time.perf_counter()
                    data = read_sheet(xlsx, engine=engine)
                    print(f"read cells with {engine:9s}: {time.perf_counter() - t:.2f} s ({len(data.rows)} rows)")
                del data
            _import_twice(Path(tmp) / f"bench{int(plans)}.sqlite3", xlsx)


def _import_twice(db_path: Path, xlsx: Path) -> None:
    db = open_database(db_path)
    ensure_demo_commune(db)
    base = peak_mb()
    t = time.perf_counter()
    preview = run_to_end(preview_import(db, xlsx, year=2026))
    t_preview = time.perf_counter() - t
    summary = run_to_end(run_import(db, preview))
    total = time.perf_counter() - t
    print(f"preview (read + check + match): {t_preview:.1f} s; write: {total - t_preview:.1f} s")
    print(f"import total: {total:.1f} s for {summary.imported} new households, {summary.plan_items} plan items "
          "(target < 15 s)")
    print(f"peak memory: {peak_mb():.0f} MB (before import {base:.0f} MB; target < 500 MB)")
    t = time.perf_counter()
    preview = run_to_end(preview_import(db, xlsx, year=2026))
    summary = run_to_end(run_import(db, preview))
    print(f"re-import (all {summary.updated} updated): {time.perf_counter() - t:.1f} s")
    db.close()


if __name__ == "__main__":
    main()
