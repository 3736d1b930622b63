"""Printouts at several sizes: CPU time per listed household and peak memory, to show they scale linearly.

A demo commune is created once; for each size its poor and near-poor households are repeated (new
codes and ids, spread over the villages) until the list holds N households, and each printout is
written in a fresh child process so its peak memory (ru_maxrss) is its own. The figure to watch is
the per-household time at the largest size divided by that at the smallest (target ≤ 1.2) and the
peak memory (target < 300 MB at 40,000).

    .venv/bin/python benchmarks/bench_scale.py [--sizes 10000,20000,40000] [--only annex-pdf]
"""

from __future__ import annotations

import argparse
import copy
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PRINTOUTS = ["annex-pdf", "annex-xlsx", "posting-pdf", "sheets-pdf"]


def grow(data, n: int) -> None:
    """Repeat the listed households (renumbered) until the report lists ``n`` of them."""
    base = [h for g in data.groups for h in g.households]
    for g in data.groups:
        g.households = []
    k = 0
    while k < n:
        src = base[k % len(base)]
        h = copy.copy(src)
        h.id = k + 1
        h.code = f"{k + 1:06d}"
        data.groups[k % len(data.groups)].households.append(h)
        k += 1


def child(db_path: str, printout: str, n: int, out: str) -> None:
    from gnbv_desktop.store.database import open_database
    from gnbv_desktop.store.report_data import report_data

    db = open_database(Path(db_path))
    data = report_data(db, 2026)
    grow(data, n)
    start = time.process_time()
    if printout == "annex-pdf":
        from gnbv_desktop.io.annex_pdf import write_annex_pdf
        write_annex_pdf(data, out)
    elif printout == "annex-xlsx":
        from gnbv_desktop.io.annex_xlsx import write_annex_xlsx
        write_annex_xlsx(data, out)
    elif printout == "posting-pdf":
        from gnbv_desktop.io.posting_pdf import write_posting_pdf
        write_posting_pdf(data, out)
    else:
        from gnbv_desktop.io.household_sheets_pdf import write_household_sheets
        write_household_sheets(data, out)
    cpu = time.process_time() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"cpu": cpu, "peak_mb": peak_mb}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,20000,40000")
    parser.add_argument("--only", choices=PRINTOUTS)
    parser.add_argument("--child", nargs=4, metavar=("DB", "PRINTOUT", "N", "OUT"))
    args = parser.parse_args()
    if args.child:
        db_path, printout, n, out = args.child
        child(db_path, printout, int(n), out)
        return
    from gnbv_desktop.jobs.demo import create_demo
    from gnbv_desktop.jobs.progress import run_to_end
    from gnbv_desktop.store.database import open_database

    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "scale.sqlite3"
        db = open_database(db_path)
        run_to_end(create_demo(db, 1500, seed=5, year=2026))
        db.close()
        print(f"{'bản in':12} {'số hộ':>7} {'CPU s':>7} {'ms/hộ':>7} {'bộ nhớ MB':>10}")
        for printout in [args.only] if args.only else PRINTOUTS:
            per_household = []
            for n in sizes:
                out = Path(tmp) / f"{printout}-{n}.{'xlsx' if 'xlsx' in printout else 'pdf'}"
                res = subprocess.run([sys.executable, __file__, "--child", str(db_path), printout, str(n), str(out)],
                                     capture_output=True, text=True, check=True)
                r = json.loads(res.stdout.strip().splitlines()[-1])
                per_household.append(r["cpu"] / n * 1000)
                print(f"{printout:12} {n:7d} {r['cpu']:7.2f} {per_household[-1]:7.3f} {r['peak_mb']:10.0f}")
            print(f"{printout:12} tỷ lệ ms/hộ {sizes[-1]:,} : {sizes[0]:,} = {per_household[-1] / per_household[0]:.2f} "
                  "(mục tiêu ≤ 1,2)")


if __name__ == "__main__":
    main()
