"""SIGKILL at random moments during every kind of long job: the database is always sound and holds
exactly the state before or after the job, and no worker process outlives the killed parent.

The "after" state of each job is recorded by running it to completion once; a kill must leave
either that or the untouched starting file (compared as a canonical dump: every row of every
table, without the columns that hold random UUIDs or the clock, and without the session row
naming who opened the file).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import Workbook

from gnbv_desktop.jobs.demo import create_demo
from gnbv_desktop.jobs.progress import run_to_end
from gnbv_desktop.jobs.reference_sync import export_reference
from gnbv_desktop.store import aggregate
from gnbv_desktop.store.database import open_database
from gnbv_desktop.store.integrity import connect_read_only, full_check
from gnbv_desktop.store.reference import set_upper_targets
from gnbv_desktop.store.settings import load_settings, save_settings
from tests.jobs.sync_helpers import export

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL") or not Path("/proc").is_dir(),
                                reason="needs SIGKILL and /proc (Linux)")

ROOT = Path(__file__).resolve().parents[2]
VOLATILE = {"uuid", "created_at", "updated_at", "imported_at", "received_at", "last_imported_at", "at"}
CLOCK = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[.\d]*(?:Z|[+-]\d\d:\d\d)?")  # times inside JSON values
ORPHAN_GRACE = 2.0
# Who is working on the file, written when a command opens it (before any job): not job state.
SESSION_TABLES = {"audit_session"}
RUNS = {"import-excel": 16, "demo": 12, "sync-import": 20, "ref-import": 12, "carry-forward": 12,
        "review-close": 12, "review-start": 12}


def canonical(path: Path) -> str:
    """Digest of every row of every table, volatile columns left out, rows in a fixed order."""
    conn = connect_read_only(path)
    try:
        digest = hashlib.sha256()
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            if r[0] not in SESSION_TABLES]
        for table in tables:
            cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")') if r[1] not in VOLATILE]
            rows = conn.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "{table}"').fetchall()
            digest.update(table.encode())
            for row in sorted(CLOCK.sub("T", json.dumps(r, ensure_ascii=False, default=repr)) for r in rows):
                digest.update(row.encode())
        digest.update(str(conn.execute("PRAGMA user_version").fetchone()[0]).encode())
        return digest.hexdigest()
    finally:
        conn.close()


def descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (Linux /proc)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rfind(")") + 2:].split()
            if fields[0] != "Z":
                parents[int(entry.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, pp in parents.items() if pp in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rfind(")") + 2] != "Z"


@dataclass
class Job:
    name: str
    template: Path
    args: list[str]
    before: str = ""
    after: str = ""
    seconds: float = 0.0


def _cli(db: Path, args: list[str]) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "gnbv_desktop", "--db", str(db), *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)


def _excel(path: Path, n: int) -> Path:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("DS")
    ws.append(["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Thu nhập", "Phân loại"])
    for i in range(1, n + 1):
        ws.append([i, f"Người Thứ {i}", 1950 + i % 50, f"Thôn {i % 4 + 1}", 1_000_000 + i, "Nghèo"])
    wb.save(path)
    return path


def _commune(path: Path, households: int, code: str = "23764", seed: int = 1) -> Path:
    db = open_database(path)
    run_to_end(create_demo(db, households, seed=seed, year=2026))
    s = load_settings(db)
    s.commune_code, s.commune_name = code, f"Xã {code}"
    save_settings(db, s)
    db.close()
    return path


@pytest.fixture(scope="module")
def jobs(tmp_path_factory) -> list[Job]:
    tmp = tmp_path_factory.mktemp("kill")
    empty = tmp / "empty.sqlite3"
    open_database(empty).close()
    commune = _commune(tmp / "commune.sqlite3", 600)
    packages = []
    for i, code in enumerate(("23764", "23765", "23766")):
        db = open_database(_commune(tmp / f"c{code}.sqlite3", 300, code, seed=i + 2))
        export(db, tmp / f"{code}.gnbv")
        db.close()
        packages.append(str(tmp / f"{code}.gnbv"))
    agg_path = tmp / "aggregate.sqlite3"
    agg = open_database(agg_path)
    aggregate.make_aggregate(agg, "Sở Nông nghiệp và Môi trường tỉnh Gia Lai")
    set_upper_targets(agg, 2026, {"23764": {"target_escape_households": 6}})
    run_to_end(export_reference(agg, tmp / "ref.gnbvref", year=2026))
    agg.close()
    xlsx = _excel(tmp / "list.xlsx", 1000)
    found = [
        Job("import-excel", empty, ["import-excel", str(xlsx), "--year", "2026"]),
        Job("demo", empty, ["demo", "--households", "400", "--year", "2026"]),
        Job("sync-import", agg_path, ["sync-import", *packages]),
        Job("ref-import", commune, ["ref-import", str(tmp / "ref.gnbvref")]),
        Job("carry-forward", commune, ["carry-forward", "--from", "2026", "--to", "2027"]),
        # Year-end: closing 2026 writes every household's movement and the decision; starting 2027
        # carries every household over, marked for review.
        Job("review-close", commune, ["review", "close", "--year", "2026", "--decision-number", "15/QĐ-UBND",
                                      "--decision-date", "15/12/2026"]),
        Job("review-start", commune, ["review", "start", "--year", "2027"]),
    ]
    for job in found:
        job.before = canonical(job.template)
        done = tmp / f"done-{job.name}.sqlite3"
        shutil.copy(job.template, done)
        start = time.monotonic()
        proc = _cli(done, job.args)
        assert proc.wait(timeout=120) == 0, job.name
        job.seconds = time.monotonic() - start
        job.after = canonical(done)
        assert job.after != job.before, job.name
    return found


MAX_RUNS = 240  # a bound on the loop however slow the machine


@dataclass
class Outcome:
    killed: bool
    state: str  # "before" or "after"
    children: int
    inside: bool  # killed during the write phase (after the job's backup)


def _writing(job: Job, db: Path, proc: subprocess.Popen) -> bool:
    """The job reached its write phase: the backup it takes first exists (every job here takes one)."""
    return any((db.parent / "sao-luu").glob(f"{db.stem}-*-truoc-*.sqlite3"))


def _kill_once(job: Job, db: Path, delay: float, wait_for_writes: bool, pause: float) -> Outcome:
    """Kill after ``delay`` seconds, or (``wait_for_writes``) ``pause`` seconds into the write phase."""
    shutil.copy(job.template, db)
    proc = _cli(db, job.args)
    children: set[int] = set()
    if wait_for_writes and job.name != "demo":  # demo takes no backup: timing only
        while proc.poll() is None and not _writing(job, db, proc):
            children |= descendants(proc.pid)
            time.sleep(0.01)
        delay = pause
    deadline = time.monotonic() + delay
    while time.monotonic() < deadline and proc.poll() is None:
        children |= descendants(proc.pid)
        time.sleep(0.02)
    children |= descendants(proc.pid)
    inside = proc.poll() is None and _writing(job, db, proc)
    proc.send_signal(signal.SIGKILL)
    code = proc.wait(timeout=30)
    killed_at = time.monotonic()
    while any(alive(c) for c in children) and time.monotonic() - killed_at < ORPHAN_GRACE:
        time.sleep(0.05)
    survivors = [c for c in children if alive(c)]
    for c in survivors:
        os.kill(c, signal.SIGKILL)
    assert not survivors, f"{db.name}: processes {survivors} outlived the parent by {ORPHAN_GRACE} s"
    assert full_check(db) == [], db.name
    state = canonical(db)
    assert state in (job.before, job.after), f"{db.name}: half-finished state"
    for leftover in db.parent.glob(f"{db.name}*"):
        leftover.unlink()
    return Outcome(code == -signal.SIGKILL, "before" if state == job.before else "after", len(children),
                   inside and code == -signal.SIGKILL)


@pytest.mark.timeout(600)  # a loaded machine slows every start; the loop itself stops at 50 kills
def test_kill_loop(jobs, tmp_path):
    """Runs go two at a time (the loop mostly waits) in a fixed interleaving of the jobs until 50
    SIGKILLs have landed; every other run waits for the job's write phase before its kill."""
    rng = random.Random(20261201)
    order = [job for i in range(max(RUNS.values())) for job in jobs if i < RUNS[job.name]]
    # The interleaving repeats until 50 kills have landed: on a loaded machine more runs finish
    # before their kill, so a fixed number of runs could fall short (bounded by MAX_RUNS).
    runs = [(job, tmp_path / f"{job.name}-{i}.sqlite3", rng.uniform(0.3, 1.4) * job.seconds, i % 2 == 1,
             rng.uniform(0, 0.5)) for i, job in enumerate(order * (MAX_RUNS // len(order) + 1))][:MAX_RUNS]
    results: list[tuple[str, Outcome]] = []
    with ThreadPoolExecutor(max_workers=2) as pool:
        for start in range(0, len(runs), 2):
            if sum(o.killed for _n, o in results) >= 50:
                break
            results += pool.map(lambda r: (r[0].name, _kill_once(*r)), runs[start:start + 2])
    outcomes: dict[str, dict[str, int]] = {j.name: {"before": 0, "after": 0} for j in jobs}
    for name, o in results:
        outcomes[name][o.state] += 1
    kills = sum(o.killed for _n, o in results)
    inside = sum(o.inside for _n, o in results)
    print(f"\n{len(results)} runs, {kills} SIGKILLs ({inside} during the write phase), "
          f"{sum(o.children for _n, o in results)} child processes checked, outcomes {outcomes}, "
          f"job seconds { {j.name: round(j.seconds, 1) for j in jobs} }")
    assert kills >= 50
    assert inside >= 10
