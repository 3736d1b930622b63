"""The plan annex for 3,000 poor and near-poor households: PDF (target < 10 s) and XLSX (< 5 s).

Creates a demo commune large enough (about 5,000 households, 60 % of them poor or near-poor, each
with its demo plan items and helpers), keeps exactly 3,000 households in the annex, and prints
the time to read the data, lay out the PDF and write the workbook, plus pages and file sizes.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gnbv_desktop.io.annex_pdf import write_annex_pdf  # noqa: E402
from gnbv_desktop.io.annex_xlsx import write_annex_xlsx  # noqa: E402
from gnbv_desktop.jobs.demo import create_demo  # noqa: E402
from gnbv_desktop.jobs.progress import run_to_end  # noqa: E402
from gnbv_desktop.store.database import open_database  # noqa: E402
from gnbv_desktop.store.report_data import report_data  # noqa: E402

TARGET = 3000


def keep_first(data, n: int) -> None:
    """Trim the grouped households to exactly ``n`` (whole villages first, then part of one)."""
    left = n
    groups = []
    for g in data.groups:
        if left <= 0:
            break
        g.households = g.households[:left]
        left -= len(g.households)
        groups.append(g)
    data.groups = groups


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "bench.sqlite3")
        t = time.perf_counter()
        run_to_end(create_demo(db, 5200, seed=11, year=2026))
        print(f"demo 5.200 hộ (kèm kế hoạch):  {time.perf_counter() - t:6.2f} s")
        t = time.perf_counter()
        data = report_data(db, 2026)
        read = time.perf_counter() - t
        keep_first(data, TARGET)
        n = len(data.households)
        items = sum(len(h.items) for h in data.households)
        print(f"đọc dữ liệu phụ lục:          {read:6.2f} s  ({n} hộ, {items} giải pháp)")
        pdf = Path(tmp) / "annex.pdf"
        t = time.perf_counter()
        pages = write_annex_pdf(data, pdf)
        print(f"phụ lục PDF:                  {time.perf_counter() - t:6.2f} s  ({pages} trang, "
              f"{pdf.stat().st_size / 1e6:.1f} MB; mục tiêu < 10 s)")
        xlsx = Path(tmp) / "annex.xlsx"
        t = time.perf_counter()
        write_annex_xlsx(data, xlsx)
        print(f"phụ lục XLSX:                 {time.perf_counter() - t:6.2f} s  ({xlsx.stat().st_size / 1e6:.1f} MB; "
              "mục tiêu < 5 s)")
        db.close()


if __name__ == "__main__":
    main()
