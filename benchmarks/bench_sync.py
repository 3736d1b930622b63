"""Sync benchmark: export of a 20,000-household commune; merge of 30 packages of 5,000 households.

Targets on the 2-core reference machine: export < 5 s; merging 30 packages < 60 s.
Run: ``python benchmarks/bench_sync.py [--households 20000] [--communes 30] [--per-commune 5000]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gnbv_desktop.core.text import format_number  # noqa: E402
from gnbv_desktop.jobs.demo import create_demo  # noqa: E402
from gnbv_desktop.jobs.progress import run_to_end  # noqa: E402
from gnbv_desktop.jobs.sync import export_package, import_packages  # noqa: E402
from gnbv_desktop.store import aggregate  # noqa: E402
from gnbv_desktop.store.database import open_database  # noqa: E402
from gnbv_desktop.store.households import delete_household  # noqa: E402
from gnbv_desktop.store.settings import load_settings, save_settings  # noqa: E402


def commune(path: Path, households: int, seed: int, code: str, name: str):
    db = open_database(path)
    run_to_end(create_demo(db, households, seed=seed, year=2026))
    s = load_settings(db)
    s.commune_code, s.commune_name = code, name
    save_settings(db, s)
    return db


def timed(label: str, fn):
    t = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - t
    print(f"{label}: {elapsed:.2f} s")
    return result, elapsed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--households", type=int, default=20000)
    ap.add_argument("--communes", type=int, default=30)
    ap.add_argument("--per-commune", type=int, default=5000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        print(f"== Xuất gói của một xã {format_number(args.households)} hộ ==")
        db, _ = timed("tạo dữ liệu mẫu", lambda: commune(d / "big.sqlite3", args.households, 1, "23764", "Xã Ia Grai"))
        rec, t_full = timed("xuất gói đầy đủ (kèm bảng tổng hợp XLSX)",
                            lambda: run_to_end(export_package(db, d / "full.gnbv", year=2026, allow_unencrypted=True)))
        size = (d / "full.gnbv").stat().st_size
        print(f"  {format_number(rec.total)} bản ghi, tệp {size / 1024**2:.1f} MB")
        timed("xuất gói đầy đủ có mã hóa (scrypt + AES-GCM)",
              lambda: run_to_end(export_package(db, d / "enc.gnbv", full=True, password="mat-khau", year=2026)))
        for hid in range(1, 201):
            delete_household(db, hid)
        rec, _ = timed("xuất gói thay đổi (200 hộ bị xóa)",
                       lambda: run_to_end(export_package(db, d / "inc.gnbv", allow_unencrypted=True)))
        print(f"  {format_number(rec.total)} bản ghi")
        db.close()

        print(f"\n== Ghép {args.communes} gói × {format_number(args.per_commune)} hộ vào cơ sở dữ liệu cấp trên ==")
        t = time.perf_counter()
        packages = []
        for i in range(args.communes):
            c = commune(d / f"c{i}.sqlite3", args.per_commune, 100 + i, f"{30000 + i}", f"Xã mẫu {i + 1:02d}")
            run_to_end(export_package(c, d / f"c{i}.gnbv", allow_unencrypted=True))
            c.close()
            packages.append(d / f"c{i}.gnbv")
        print(f"chuẩn bị {args.communes} gói: {time.perf_counter() - t:.1f} s")
        agg = open_database(d / "tinh.sqlite3")
        aggregate.make_aggregate(agg)
        results, t_merge = timed("ghép tất cả các gói (một giao dịch)",
                                 lambda: run_to_end(import_packages(agg, packages)))
        print(f"  {format_number(sum(r.merged.new for r in results))} bản ghi mới")
        timed("nhập lại cùng các gói (không thay đổi gì)", lambda: run_to_end(import_packages(agg, packages)))
        stats, _ = timed("thống kê theo xã", lambda: aggregate.aggregate_stats(agg, 2026))
        print(f"  {format_number(stats['households'])} hộ trong {stats['communes']} xã")
        timed("tình trạng các xã", lambda: aggregate.commune_statuses(agg))
        agg.close()
        print(f"\nMục tiêu: xuất < 5 s (đo được {t_full:.2f} s); ghép < 60 s (đo được {t_merge:.2f} s)")


if __name__ == "__main__":
    main()
