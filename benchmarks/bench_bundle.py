"""The bundle a user installs: its size and how fast the bundled program starts.

Builds ``dist/gnbv-desktop`` with ``installer/build.py`` unless ``--bundle DIR`` names one, then
prints: folder size and file count (and the Linux tarball's size when present); ``--version``
(the frozen interpreter's start); ``--self-check``; and, on an X server, the time from process
start until the main window is mapped on screen with a 200-household commune — measured from
outside with ``xwininfo`` — for the bundle and, for comparison, for ``python main.py``.
Needs Xvfb and xwininfo for the window figures (started on display :13 when DISPLAY is unset).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RUNS = 5


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]  # symlinks would count twice
    return sum(p.stat().st_size for p in files), len(files)


def timed(argv: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(argv, env=env, check=True, capture_output=True)
    return time.perf_counter() - t0


def _window_mapped(title: str, env: dict[str, str]) -> bool:
    tree = subprocess.run(["xwininfo", "-root", "-tree"], env=env, capture_output=True, text=True).stdout
    for line in tree.splitlines():
        if f'"{title}' in line:
            wid = line.split()[0]
            info = subprocess.run(["xwininfo", "-id", wid], env=env, capture_output=True, text=True).stdout
            if "Map State: IsViewable" in info:
                return True
    return False


def time_to_window(argv: list[str], env: dict[str, str], title: str = "GNBV Desktop") -> float:
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while not _window_mapped(title, env):
            if proc.poll() is not None or time.perf_counter() - t0 > 60:
                raise RuntimeError(f"no window from {argv[0]}")
            time.sleep(0.01)
        return time.perf_counter() - t0
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def report(label: str, values: list[float]) -> None:
    print(f"{label}: best {min(values):.2f} s, median {statistics.median(values):.2f} s ({len(values)} runs)")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bundle", type=Path, help="an existing dist/gnbv-desktop folder (default: build one)")
    args = p.parse_args()
    bundle = args.bundle
    if bundle is None:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "installer" / "build.py"), "--tarball"], check=True)
        print(f"build (installer/build.py --tarball): {time.perf_counter() - t0:.0f} s")
        bundle = ROOT / "dist" / "gnbv-desktop"
    program = bundle / ("gnbv-desktop.exe" if os.name == "nt" else "gnbv-desktop")
    size, count = folder_size(bundle)
    print(f"bundle folder: {size / 2**20:.0f} MiB in {count:,} files")
    for tarball in sorted(bundle.parent.glob("gnbv-desktop-*.tar.gz")):
        print(f"{tarball.name}: {tarball.stat().st_size / 2**20:.0f} MiB")

    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "GNBV_DB")}
        env["GNBV_DATA_DIR"] = tmp
        report("bundle --version", [timed([str(program), "--version"], env) for _ in range(RUNS)])
        report("bundle --self-check", [timed([str(program), "--self-check"], env) for _ in range(2)])

        db = Path(tmp) / "xa.sqlite3"
        from gnbv_desktop.cli import main as gnbv

        gnbv(["--db", str(db), "demo", "--households", "200", "--year", "2026"])
        xvfb = None
        if "DISPLAY" not in env and shutil.which("Xvfb"):
            xvfb = subprocess.Popen(["Xvfb", ":13", "-screen", "0", "1366x768x24"], stderr=subprocess.DEVNULL)
            env["DISPLAY"] = ":13"
            time.sleep(1)
        if "DISPLAY" not in env or not shutil.which("xwininfo"):
            print("window start: skipped (needs an X server and xwininfo)")
            return 0
        env["QT_QPA_PLATFORM"] = "xcb"
        try:
            report("bundle: process start → main window on screen",
                   [time_to_window([str(program), "--db", str(db), "--year", "2026"], env) for _ in range(RUNS)])
            source = dict(env, GNBV_NO_BOOTSTRAP="1")
            report("source (python main.py): process start → main window on screen",
                   [time_to_window([sys.executable, str(ROOT / "main.py"), "--db", str(db), "--year", "2026"], source)
                    for _ in range(RUNS)])
        finally:
            if xvfb is not None:
                xvfb.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
