"""The year's cycle at the scale of a merged commune (20,000 households).

Prints: Tổng quan refresh (the page's reload: its queries and the charts' data) — target < 300 ms;
the annual summary (Biểu 01 kết quả rà soát, PDF and XLSX) and the 12-month report (Biểu 07) —
target < 10 s each; the review close that computes every household's movement.

Every figure is the median of several runs, in wall-clock and in this process's CPU time (other
work on the machine inflates the first, not the second), with the ratio to a bare SQLite read of
the year's list (assessments joined to households) measured in the same run.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HOUSEHOLDS = int(os.environ.get("BENCH_HOUSEHOLDS", "20000"))


REPEAT = int(os.environ.get("BENCH_REPEAT", "7"))


def _timed(fn, repeat: int = 1) -> tuple[float, object]:
    return _timed_cpu(fn, repeat)[0::2]


def _timed_cpu(fn, repeat: int = 1) -> tuple[float, float, object]:
    """Medians of ``repeat`` runs: wall-clock seconds, CPU seconds of this process, last result."""
    wall, cpu, result = [], [], None
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        result = fn()
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - t)
    return statistics.median(wall), statistics.median(cpu), result


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from gnbv_desktop.gui.context import AppContext
    from gnbv_desktop.gui.pages.overview_page import OverviewPage
    from gnbv_desktop.jobs.demo import create_demo
    from gnbv_desktop.jobs.progress import run_to_end
    from gnbv_desktop.jobs.year_report import write_report
    from gnbv_desktop.store.dashboard import dashboard
    from gnbv_desktop.store.database import open_database
    from gnbv_desktop.store.review import close_review

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        db = open_database(path)
        t, _ = _timed(lambda: run_to_end(create_demo(db, HOUSEHOLDS, seed=1, year=2026)))
        print(f"demo {HOUSEHOLDS:,} households: {t:.1f} s", flush=True)
        t, counts = _timed(lambda: close_review(db, 2026, "1/QĐ-UBND", "2026-12-15"))
        print(f"review close (movements of every household): {t * 1000:.0f} ms — {sum(counts.values())} movements",
              flush=True)
        app = QApplication.instance() or QApplication([])
        ctx = AppContext(db, path, 2026)
        page = OverviewPage(ctx)
        page.resize(1366, 700)
        page.show()
        app.processEvents()

        def refresh():
            page.reload()
            app.processEvents()

        bare_wall, bare_cpu, _ = _timed_cpu(lambda: db.execute(
            """SELECT h.village_id, a.classification, COUNT(*) FROM assessments a
               JOIN households h ON h.id = a.household_id AND h.deleted = 0
               WHERE a.year = 2026 AND a.deleted = 0 GROUP BY 1, 2""").fetchall(), repeat=REPEAT)
        print(f"bare SQLite read of the year's list: {bare_wall * 1000:.0f} ms wall, {bare_cpu * 1000:.0f} ms CPU "
              f"(median of {REPEAT})", flush=True)
        for label, fn in (("Tổng quan refresh (target < 300 ms)", refresh),
                          ("  of which its queries (store.dashboard)", lambda: dashboard(db, 2026))):
            wall, cpu, _ = _timed_cpu(fn, repeat=REPEAT)
            print(f"{label}: {wall * 1000:.0f} ms wall, {cpu * 1000:.0f} ms CPU (median of {REPEAT}; "
                  f"{cpu / bare_cpu:.1f}× the bare read's CPU)", flush=True)
        for key, period, label in (("ket-qua", None, "annual summary (Biểu 01)"), ("dien-bien", None, "changes (Biểu 02)"),
                                   ("dinh-ky", "12m", "12-month report (Biểu 07)")):
            for ext in ("pdf", "xlsx"):
                out = Path(tmp) / f"{key}.{ext}"
                wall, cpu, pages = _timed_cpu(
                    lambda out=out, key=key, period=period: run_to_end(write_report(db, out, key, 2026, period)), repeat=3)
                detail = f", {pages} pages" if ext == "pdf" else ""
                print(f"{label} {ext.upper()}: {wall:.2f} s wall, {cpu:.2f} s CPU (median of 3){detail} (target < 10 s)",
                      flush=True)
        ctx.runner.wait()
        db.close()


if __name__ == "__main__":
    main()
