"""Registry at the scale of a merged commune (20,000 households).

Prints: demo creation time; time from process start until the main window shows the list (in a
fresh process, as a user starting the app); per-keystroke search latency while typing names.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HOUSEHOLDS = int(os.environ.get("BENCH_HOUSEHOLDS", "20000"))

CHILD = r"""
import sys, time
from pathlib import Path
t0 = float(sys.argv[2])
from PySide6.QtWidgets import QApplication
from gnbv_desktop.gui.context import AppContext
from gnbv_desktop.gui.main_window import MainWindow
from gnbv_desktop.store.database import open_database
app = QApplication([])
db = open_database(sys.argv[1])
ctx = AppContext(db, Path(sys.argv[1]), 2026)
w = MainWindow(ctx)
w.show()
app.processEvents()
rows = w.households.model.rowCount()
print(f"{time.time() - t0:.3f} {rows}")
"""


def main() -> None:
    from gnbv_desktop.jobs.demo import create_demo
    from gnbv_desktop.jobs.progress import run_to_end
    from gnbv_desktop.store.database import open_database

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        db = open_database(path)
        t = time.perf_counter()
        run_to_end(create_demo(db, HOUSEHOLDS, seed=1, year=2026))
        print(f"demo creation, {HOUSEHOLDS:,} households (+2 years of assessments): {time.perf_counter() - t:.2f} s")
        db.close()

        starts = []
        for _ in range(3):
            t0 = time.time()
            out = subprocess.run([sys.executable, "-c", CHILD, str(path), str(t0)], cwd=ROOT,
                                 capture_output=True, text=True, check=True).stdout.split()
            starts.append(float(out[0]))
        print(f"process start → main window with {int(out[1]):,} rows: "
              f"best {min(starts):.2f} s, median {statistics.median(starts):.2f} s (target < 1.5 s)")

        from PySide6.QtWidgets import QApplication

        from gnbv_desktop.gui.context import AppContext
        from gnbv_desktop.gui.pages.households_page import HouseholdsPage

        app = QApplication.instance() or QApplication([])
        db = open_database(path)
        page = HouseholdsPage(AppContext(db, path, 2026))
        page.show()
        app.processEvents()
        latencies = []
        for query in ("nguyen van", "ksor h", "tran thi", "00123", "064"):
            page.search.clear()
            app.processEvents()
            typed = ""
            for ch in query:
                typed += ch
                t = time.perf_counter()
                page.search.setText(typed)
                app.processEvents()
                latencies.append((time.perf_counter() - t) * 1000)
        latencies.sort()
        print(f"search per keystroke over {len(latencies)} keystrokes: median {statistics.median(latencies):.1f} ms, "
              f"p95 {latencies[int(len(latencies) * 0.95) - 1]:.1f} ms, max {latencies[-1]:.1f} ms (target < 50 ms)")
        db.close()


if __name__ == "__main__":
    main()
