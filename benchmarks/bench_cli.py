"""Start-up cost of the command line, against bare Python doing the same work, in the same run.

Each row runs a ``gnbv`` command in a fresh process (as a user typing it) and a bare process that
does the same work with the standard library only, alternately, and compares the CPU time each
process used (user + system, from the operating system's accounting of the child). CPU time,
not wall time: other programs load the machine, and a process waiting for a core uses no CPU.
Medians of several runs; the ratio is what the target is set on (issue 13: ``gnbv stats`` on
2,000 households within 6× the bare process).

    python benchmarks/bench_cli.py            # BENCH_HOUSEHOLDS=2000 BENCH_RUNS=9 by default
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HOUSEHOLDS = int(os.environ.get("BENCH_HOUSEHOLDS", "2000"))
RUNS = int(os.environ.get("BENCH_RUNS", "9"))
YEAR = 2026

# The ``gnbv`` console script pip installs: import the CLI and call main().
GNBV = "import sys; from gnbv_desktop.cli import main; sys.exit(main(sys.argv[1:]))"

# The counts ``gnbv stats`` prints (households and members by village and classification), read
# by bare sqlite3 and printed as JSON.
BARE_STATS = r"""
import json, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
rows = conn.execute('''SELECT COALESCE(v.name, ''), a.classification, COUNT(*),
       SUM(MAX(1 + COALESCE(mc.n, 0), COALESCE(h.declared_size, 0)))
  FROM assessments a JOIN households h ON h.id = a.household_id AND h.deleted = 0
  LEFT JOIN villages v ON v.id = h.village_id
  LEFT JOIN (SELECT household_id, COUNT(*) AS n FROM members WHERE deleted = 0 GROUP BY household_id) mc
         ON mc.household_id = h.id
  WHERE a.year = ? AND a.deleted = 0 GROUP BY 1, 2''', [int(sys.argv[2])]).fetchall()
print(json.dumps(rows, ensure_ascii=False))
"""

# The rows ``gnbv list --json`` prints, read by bare sqlite3.
BARE_LIST = r"""
import json, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
rows = conn.execute('''SELECT h.id, h.code, h.head_name, COALESCE(v.name, ''), a.classification, a.income, a.deprived
  FROM households h JOIN assessments a ON a.household_id = h.id AND a.year = ? AND a.deleted = 0
  LEFT JOIN villages v ON v.id = h.village_id WHERE h.deleted = 0 ORDER BY h.code''', [int(sys.argv[2])]).fetchall()
print(json.dumps(rows, ensure_ascii=False, indent=2))
"""

BARE_ARGPARSE = "import argparse; argparse.ArgumentParser(prog='gnbv').print_help()"

# As on a user's machine, where the installer leaves compiled bytecode: the first (warm-up) run
# writes it, so no row measures compiling the sources.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"PYTHONPATH": str(ROOT)}


def cpu_seconds(argv: list[str]) -> float:
    """CPU time (user + system) of one child process run to its end."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, check=True, env=ENV)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def compare(label: str, ours: list[str], bare: list[str], target: float | None) -> dict:
    """Alternate the two processes RUNS times (so a burst of load hits both) and print medians."""
    cpu_seconds(ours), cpu_seconds(bare)  # warm the file cache and the bytecode
    mine, base = [], []
    for _ in range(RUNS):
        mine.append(cpu_seconds(ours))
        base.append(cpu_seconds(bare))
    m, b = statistics.median(mine), statistics.median(base)
    verdict = "" if target is None else (f" (target ≤ {target:g}: {'met' if m / b <= target else 'NOT met'})")
    print(f"{label:<44} {m * 1000:7.0f} ms  bare {b * 1000:6.0f} ms  ratio {m / b:5.2f}{verdict}")
    return {"row": label, "ms": round(m * 1000), "bare_ms": round(b * 1000), "ratio": round(m / b, 2)}


def main() -> None:
    from gnbv_desktop.jobs.demo import create_demo
    from gnbv_desktop.jobs.progress import run_to_end
    from gnbv_desktop.store.database import open_database

    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        db = open_database(path)
        run_to_end(create_demo(db, HOUSEHOLDS, seed=1, year=YEAR))
        db.close()
        db_args = ["--db", str(path)]
        print(f"CPU time per process, median of {RUNS} runs, {HOUSEHOLDS:,} households "
              f"(bare = python + sqlite3 doing the same counts/rows)")
        rows = [
            compare(f"gnbv stats --json ({HOUSEHOLDS:,} households)",
                    [py, "-c", GNBV, *db_args, "stats", "--year", str(YEAR), "--json"],
                    [py, "-c", BARE_STATS, str(path), str(YEAR)], 6.0),
            compare(f"gnbv list --json ({HOUSEHOLDS:,} households)",
                    [py, "-c", GNBV, *db_args, "list", "--year", str(YEAR), "--json"],
                    [py, "-c", BARE_LIST, str(path), str(YEAR)], None),
            compare("gnbv --help", [py, "-c", GNBV, "--help"], [py, "-c", BARE_ARGPARSE], None),
        ]
        if os.environ.get("BENCH_JSON"):
            Path(os.environ["BENCH_JSON"]).write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
