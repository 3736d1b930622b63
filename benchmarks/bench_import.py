"""Import a 20,000-household Excel list: time and peak memory; openpyxl read-only vs calamine reading.

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


def build(path: Path, n: int) -> None:
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
    wb.save(path)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--households", type=int, default=20_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        xlsx = Path(tmp) / "list.xlsx"
        t = time.perf_counter()
        build(xlsx, args.households)
        print(f"built {args.households} households: {time.perf_counter() - t:.1f} s, "
              f"{xlsx.stat().st_size / 1e6:.1f} MB")
        for engine in ("openpyxl", "calamine"):
            t = time.perf_counter()
            data = read_sheet(xlsx, engine=engine)
            print(f"read cells with {engine:9s}: {time.perf_counter() - t:.2f} s ({len(data.rows)} rows)")
        del data
        db = open_database(Path(tmp) / "bench.sqlite3")
        ensure_demo_commune(db)
        base = peak_mb()
        t = time.perf_counter()
        preview = run_to_end(preview_import(db, xlsx, year=2026))
        t_preview = time.perf_counter() - t
        summary = run_to_end(run_import(db, preview))
        total = time.perf_counter() - t
        print(f"preview (read + check + match): {t_preview:.1f} s; write: {total - t_preview:.1f} s")
        print(f"import total: {total:.1f} s for {summary.imported} new households (target < 15 s)")
        print(f"peak memory: {peak_mb():.0f} MB (before import {base:.0f} MB; target < 500 MB)")
        t = time.perf_counter()
        preview = run_to_end(preview_import(db, xlsx, year=2026))
        summary = run_to_end(run_import(db, preview))
        print(f"re-import (all {summary.updated} updated): {time.perf_counter() - t:.1f} s")
        db.close()


if __name__ == "__main__":
    main()
