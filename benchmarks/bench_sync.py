"""Sync benchmark: the upper level's merge and a commune's export, each against the bare libraries
doing the same work in the same run; the demo's peak memory at two sizes.

Every measured piece runs in a fresh subprocess, which reports its own CPU time (user + system,
finished worker processes included). Its peak memory is the larger of its own ``VmHWM`` (unlike
``ru_maxrss`` not inherited from this parent across fork + exec) and the resident size of its
whole process tree sampled every 50 ms. Several runs each (the app and its baseline in turn),
medians printed, then the ratios:

- merge: ``import_packages`` of K commune packages into a fresh aggregate, against the bare
  baseline: unzip + ``orjson.loads`` of every line + one transaction of ``executemany`` of the
  same rows into the same ``sync_records`` table (same indexes). The packages are copies of one
  demo commune under K codes, names and installation keys (a demo per commune would take most
  of the run). Targets (issue 13): CPU ≤ 1.5×,
  peak memory ≤ 2×, and linear in the number of packages (K/2 and K packages measured).
- export: ``export_package`` (full, unencrypted, as the commune sends it) of a commune, against
  ``SELECT`` → JSON lines → zip written as a stream. Target: peak < 200 MB at 20,000 households.
- demo: ``create_demo`` at two sizes; its peak memory should be about the same at both.

Defaults keep a run near 10 minutes on a loaded 2-core machine; the issue's full sizes:
``--communes 30 --per-commune 5000 --households 20000 --demo 10000 40000``.
Run: ``python benchmarks/bench_sync.py [--runs 3]``.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


# ---- measured pieces (each runs in its own subprocess) ------------------------------------------
def _cpu() -> float:
    """CPU seconds of this process and its finished worker processes."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _own_peak_mb() -> float:
    """This process's peak resident memory (``VmHWM``: unlike ``ru_maxrss`` it does not inherit the
    parent's peak across fork + exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_merge(aggregate_path: str, packages: list[str]) -> None:
    from gnbv_desktop.jobs.progress import run_to_end
    from gnbv_desktop.jobs.sync import import_packages
    from gnbv_desktop.store.database import open_database

    agg = open_database(aggregate_path)
    results = run_to_end(import_packages(agg, packages))
    assert sum(r.merged.new for r in results) > 0
    agg.close()


def child_bare_merge(aggregate_path: str, packages: list[str]) -> None:
    import sqlite3
    import zipfile

    import orjson

    conn = sqlite3.connect(aggregate_path)
    conn.execute("BEGIN")
    for package_id, path in enumerate(packages, start=1):
        blob = Path(path).read_bytes()
        start = blob.find(b"PK\x03\x04")  # past the signature envelope
        code = f"bare{package_id}"
        with zipfile.ZipFile(__import__("io").BytesIO(blob[start:])) as zf:
            for name in zf.namelist():
                if not name.endswith(".jsonl"):
                    continue
                table = name[:-6]
                rows = []
                for line in zf.read(name).splitlines():
                    rec = orjson.loads(line)
                    rows.append((table, code, rec["uuid"], rec["change_counter"], rec["updated_at"], rec["deleted"],
                                 line.decode(), package_id))
                conn.executemany("INSERT INTO sync_records (table_name, commune_code, uuid, change_counter, "
                                 "updated_at, deleted, data, package_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.execute("COMMIT")
    conn.close()


def child_export(db_path: str, out: str) -> None:
    from gnbv_desktop.jobs.progress import run_to_end
    from gnbv_desktop.jobs.sync import export_package
    from gnbv_desktop.store.database import open_database

    db = open_database(db_path)
    run_to_end(export_package(db, out, full=True, allow_unencrypted=True))
    db.close()


def child_bare_export(db_path: str, out: str) -> None:
    import sqlite3
    import zipfile

    import orjson

    from gnbv_desktop.store.records import SYNCED_TABLES

    conn = sqlite3.connect(db_path)
    conn.execute("BEGIN")
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=3) as zf:
        for table in SYNCED_TABLES:
            cur = conn.execute(f"SELECT * FROM [{table}]")
            names = [d[0] for d in cur.description]
            with zf.open(f"{table}.jsonl", "w") as f:
                while rows := cur.fetchmany(1000):
                    f.write(b"".join(orjson.dumps(dict(zip(names, row, strict=True))) + b"\n" for row in rows))
    conn.rollback()
    conn.close()


def child_demo(db_path: str, households: str) -> None:
    from gnbv_desktop.jobs.demo import create_demo
    from gnbv_desktop.jobs.progress import run_to_end
    from gnbv_desktop.store.database import open_database

    db = open_database(db_path)
    run_to_end(create_demo(db, int(households), seed=1, year=2026))
    db.close()


CHILDREN = {"merge": child_merge, "bare-merge": child_bare_merge, "export": child_export,
            "bare-export": child_bare_export, "demo": child_demo}


def run_child(kind: str, *args: str) -> None:
    cpu0 = _cpu()
    t = time.perf_counter()
    if kind in ("merge", "bare-merge"):
        CHILDREN[kind](args[0], list(args[1:]))
    else:
        CHILDREN[kind](*args)
    wall = time.perf_counter() - t
    print(json.dumps({"cpu": _cpu() - cpu0, "peak": _own_peak_mb(), "wall": wall}))


# ---- the parent: fixtures, runs, medians, ratios -------------------------------------------------
PAGE_MB = os.sysconf("SC_PAGE_SIZE") / 1024**2


def _tree_rss_mb(root: int) -> float:
    """Resident memory of ``root`` and all its descendants now (worker processes included)."""
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat[stat.rindex(")") + 2:].split()[1])
    tree, total = {root}, 0.0
    grew = True
    while grew:
        grew = False
        for pid, ppid in parents.items():
            if ppid in tree and pid not in tree:
                tree.add(pid)
                grew = True
    for pid in tree:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_MB
        except (OSError, IndexError):
            pass
    return total


def measure(kind: str, *args: str) -> dict:
    """Run one piece in a subprocess; its peak is the larger of its own ``VmHWM`` and the largest
    resident size of its process tree sampled every 50 ms (a parse worker counts too)."""
    proc = subprocess.Popen([sys.executable, __file__, "--child", kind, *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    sampled = 0.0
    while proc.poll() is None:
        sampled = max(sampled, _tree_rss_mb(proc.pid))
        time.sleep(0.05)
    out, err = proc.communicate()
    if proc.returncode:
        raise SystemExit(f"{kind} thất bại:\n{err}")
    result = json.loads(out.strip().splitlines()[-1])
    result["peak"] = max(result["peak"], sampled)
    return result


def medians(kind: str, runs: int, prepare, *args) -> dict:
    return paired_medians([(kind, args)], runs, prepare)[0]


def paired_medians(pieces: list[tuple[str, tuple]], runs: int, prepare) -> list[dict]:
    """Medians of ``runs`` measurements of each ``(kind, args)`` piece, taken in turn (app, bare,
    app, bare…) so that a change in the machine's load during the run weighs on both alike."""
    samples: list[list[dict]] = [[] for _ in pieces]
    for _ in range(runs):
        for (kind, args), got in zip(pieces, samples, strict=True):
            prepare()
            got.append(measure(kind, *args))
    out = []
    for (kind, _args), got in zip(pieces, samples, strict=True):
        m = {k: statistics.median(s[k] for s in got) for k in ("cpu", "peak", "wall")}
        spread = ", ".join(f"{s['cpu']:.1f}" for s in got)
        print(f"  {kind:<12} CPU {m['cpu']:6.2f} s (lần chạy: {spread}), đỉnh bộ nhớ {m['peak']:6.0f} MB, "
              f"thời gian thực {m['wall']:6.2f} s", flush=True)
        out.append(m)
    return out


def make_commune(path: Path, households: int, code: str, name: str) -> None:
    from gnbv_desktop.jobs.demo import create_demo
    from gnbv_desktop.jobs.progress import run_to_end
    from gnbv_desktop.store.database import open_database
    from gnbv_desktop.store.settings import load_settings, save_settings

    db = open_database(path)
    run_to_end(create_demo(db, households, seed=1, year=2026))
    s = load_settings(db)
    s.commune_code, s.commune_name = code, name
    save_settings(db, s)
    db.close()


def commune_packages(d: Path, count: int, households: int) -> list[Path]:
    """``count`` packages of different communes (codes, names, installations and keys), copies of
    one demo commune of ``households`` households (creating each demo would take most of the run)."""
    from gnbv_desktop.jobs.progress import run_to_end
    from gnbv_desktop.jobs.sync import export_package
    from gnbv_desktop.store.database import open_database
    from gnbv_desktop.store.settings import load_settings, save_settings

    template = d / "template.sqlite3"
    make_commune(template, households, "30000", "Xã mẫu")
    out = []
    for i in range(count):
        path = d / f"c{i}.sqlite3"
        shutil.copy(template, path)
        db = open_database(path)
        db.execute("DELETE FROM installation_identity")
        s = load_settings(db)
        s.commune_code, s.commune_name = f"{30000 + i}", f"Xã mẫu {i + 1:02d}"
        save_settings(db, s)
        run_to_end(export_package(db, d / f"c{i}.gnbv", allow_unencrypted=True))
        db.close()
        path.unlink()
        out.append(d / f"c{i}.gnbv")
    return out


def ratio_line(label: str, app: dict, bare: dict, cpu_target: float | None, mem_target: float | None) -> None:
    cpu, mem = app["cpu"] / bare["cpu"], app["peak"] / bare["peak"]
    ok = (cpu_target is None or cpu <= cpu_target) and (mem_target is None or mem <= mem_target)
    targets = ", ".join(t for t in (f"CPU ≤ {cpu_target}×" if cpu_target else "",
                                    f"bộ nhớ ≤ {mem_target}×" if mem_target else "") if t)
    print(f"  {label}: CPU {cpu:.2f}×, bộ nhớ {mem:.2f}× so với thư viện trần"
          + (f" (mục tiêu {targets}: {'đạt' if ok else 'CHƯA ĐẠT'})" if targets else ""))


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        run_child(sys.argv[2], *sys.argv[3:])
        return
    ap = argparse.ArgumentParser()
    ap.add_argument("--communes", type=int, default=10, help="packages merged (K; K/2 is measured too)")
    ap.add_argument("--per-commune", type=int, default=3000, help="households per package")
    ap.add_argument("--households", type=int, default=20000, help="households of the exporting commune")
    ap.add_argument("--demo", type=int, nargs=2, default=[5000, 20000], help="two demo sizes")
    ap.add_argument("--runs", type=int, default=3, help="runs of each merge and export measurement (medians)")
    ap.add_argument("--demo-runs", type=int, default=1, help="runs of each demo size")
    ap.add_argument("--skip", nargs="*", default=[], choices=["merge", "export", "demo"])
    args = ap.parse_args()
    # The app as installed runs from bytecode. Under PYTHONDONTWRITEBYTECODE a checkout would
    # compile each of its modules again in every measured process, which the bare baseline (the
    # standard library and orjson, compiled when installed) never does.
    compileall.compile_dir(ROOT / "gnbv_desktop", quiet=1)
    from gnbv_desktop.store import aggregate
    from gnbv_desktop.store.database import open_database

    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        if "demo" not in args.skip or "export" not in args.skip:
            print(f"== Tạo dữ liệu mẫu (create_demo) {args.demo[0]:,} và {args.demo[1]:,} hộ ==", flush=True)
            demo = {}
            for n in sorted(set(args.demo)):
                path = d / f"demo{n}.sqlite3"

                def fresh(p=path):
                    p.unlink(missing_ok=True)
                    for extra in ("-wal", "-shm"):
                        Path(str(p) + extra).unlink(missing_ok=True)
                demo[n] = medians("demo", 1 if "demo" in args.skip else args.demo_runs, fresh, path, n)
            small, large = (demo[n] for n in sorted(set(args.demo)))
            print(f"  đỉnh bộ nhớ {large['peak']:.0f} MB ở {max(args.demo):,} hộ so với {small['peak']:.0f} MB ở "
                  f"{min(args.demo):,} hộ: {large['peak'] / small['peak']:.2f}×; CPU mỗi hộ "
                  f"{1000 * small['cpu'] / min(args.demo):.2f} → {1000 * large['cpu'] / max(args.demo):.2f} ms")

        if "export" not in args.skip:
            print(f"\n== Xuất gói đầy đủ của một xã {args.households:,} hộ ==", flush=True)
            src = d / f"demo{args.households}.sqlite3"
            if not src.exists():
                make_commune(src, args.households, "23764", "Xã Ia Grai")
            out = d / "export.gnbv"
            # the export replaces its file (written aside, then renamed); the bare one rewrites its zip
            app, bare = paired_medians([("export", (src, out)), ("bare-export", (src, d / "bare.zip"))], args.runs,
                                       lambda: None)
            print(f"  tệp gói {out.stat().st_size / 1024**2:.1f} MB")
            ratio_line("xuất gói", app, bare, None, None)
            print(f"  đỉnh bộ nhớ khi xuất {app['peak']:.0f} MB (mục tiêu < 200 MB ở 20.000 hộ: "
                  f"{'đạt' if app['peak'] < 200 else 'CHƯA ĐẠT'})")

        if "merge" not in args.skip:
            k = args.communes
            print(f"\n== Ghép {k} gói × {args.per_commune:,} hộ vào cơ sở dữ liệu cấp trên ==", flush=True)
            packages = commune_packages(d, k, args.per_commune)
            template = d / "aggregate-template.sqlite3"
            agg = open_database(template)
            aggregate.make_aggregate(agg)
            agg.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            agg.close()
            target = d / "aggregate.sqlite3"

            def fresh_aggregate():
                for extra in ("", "-wal", "-shm"):
                    Path(str(target) + extra).unlink(missing_ok=True)
                shutil.copy(template, target)
                shutil.rmtree(d / "backups", ignore_errors=True)

            results = {}
            for count in sorted({max(1, k // 2), k}):
                print(f" {count} gói:")
                pieces = [(kind, (target, *packages[:count])) for kind in ("merge", "bare-merge")]
                app, bare = paired_medians(pieces, args.runs, fresh_aggregate)
                ratio_line(f"ghép {count} gói", app, bare, 1.5, 2.0)
                results[count] = app
            if len(results) == 2:
                (n1, a), (n2, b) = sorted(results.items())
                print(f"  CPU mỗi gói: {a['cpu'] / n1:.2f} s ({n1} gói) → {b['cpu'] / n2:.2f} s ({n2} gói); "
                      f"đỉnh bộ nhớ {a['peak']:.0f} → {b['peak']:.0f} MB")


if __name__ == "__main__":
    main()
