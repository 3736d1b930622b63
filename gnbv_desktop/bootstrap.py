"""Create the project's virtual environment on first use (standard library only).

``python3 main.py`` and ``python3 -m gnbv_desktop.bootstrap test`` work on a fresh machine with
nothing but Python ≥ 3.11: the environment lives in ``.venv`` next to the sources and is
(re)installed when ``pyproject.toml`` changes. The app gets only what it needs to run; the test
command adds the test and build tools (``test`` and ``build`` extras).
"""

from __future__ import annotations

import ctypes
import hashlib
import importlib.util
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / ".gnbv-installed"
TEST_EXTRAS = "test,build"
# What the command line imports (the window needs PySide6 as well): a missing one means the
# Python running us is not the project's environment.
CLI_MODULES = ("sqlite_utils", "openpyxl", "reportlab", "platformdirs", "cryptography", "python_calamine", "orjson")


# Libraries Qt's xcb platform (the Linux window system) loads from the system, with the
# Debian/Ubuntu package that has each; pip's PySide6 does not bring them.
QT_XCB_LIBRARIES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libdbus-1.so.3": "libdbus-1-3",
}


def missing_qt_system_packages() -> list[str]:
    """Linux packages to install before Qt can open a window on X11 (empty elsewhere, and when
    another platform such as offscreen is chosen)."""
    platform = os.environ.get("QT_QPA_PLATFORM", "xcb")
    if not sys.platform.startswith("linux") or not platform.startswith("xcb") or not os.environ.get("DISPLAY"):
        return []
    missing = []
    for library, package in QT_XCB_LIBRARIES.items():
        try:
            ctypes.CDLL(library)
        except OSError:
            missing.append(package)
    return missing


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _digest() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:16]


def _installed_extras() -> set[str] | None:
    """The extras ``.venv`` holds for the current ``pyproject.toml``; None when out of date."""
    if not (venv_python().exists() and STAMP.exists()):
        return None
    digest, _, extras = STAMP.read_text().strip().partition(":")
    return {e for e in extras.split(",") if e} if digest == _digest() else None


def _say(text: str) -> None:
    # stderr: the command line's stdout may be JSON that a script reads
    print(text, file=sys.stderr, flush=True)


def ensure_venv(extras: str = "") -> Path:
    """Make ``.venv`` with the app (and ``extras``) installed; fast no-op when up to date."""
    py = venv_python()
    wanted = {e for e in extras.split(",") if e}
    have = _installed_extras()
    if have is not None and wanted <= have:
        return py
    if not py.exists():
        _say("Đang tạo môi trường Python (.venv) lần đầu…")
        venv.EnvBuilder(with_pip=True).create(VENV)
    extras_now = sorted(wanted | (have or set()))
    spec = f".[{','.join(extras_now)}]" if extras_now else "."
    _say("Đang cài các thư viện cần thiết (lần đầu có thể mất vài phút)…")
    quiet = {"PIP_DISABLE_PIP_VERSION_CHECK": "1", "PYTHONWARNINGS": "ignore"}
    env = dict(os.environ, **quiet)
    subprocess.check_call([str(py), "-m", "pip", "install", "--quiet", "-e", spec], cwd=ROOT, env=env)
    STAMP.write_text(f"{_digest()}:{','.join(extras_now)}")
    return py


def in_project_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def missing_modules(names: tuple[str, ...] = CLI_MODULES) -> list[str]:
    return [n for n in names if importlib.util.find_spec(n) is None]


def run_in_project_venv(module_argv: list[str], needed: tuple[str, ...] = CLI_MODULES) -> None:
    """Return when this Python should run the app; otherwise re-run ``module_argv`` inside
    ``.venv`` or say what to run, and exit.

    From a source checkout the project's ``.venv`` is used (and brought up to date) whenever it
    exists or this Python lacks a library; a Python that has every library and no ``.venv`` beside
    the sources (a developer's own environment, an installed wheel) runs as it is.
    """
    checkout = (ROOT / "pyproject.toml").is_file() and os.environ.get("GNBV_NO_BOOTSTRAP") != "1"
    missing = missing_modules(needed)
    if checkout and in_project_venv():
        ensure_venv()
        return
    if not missing and not (checkout and venv_python().exists()):
        return
    if not checkout:
        _say(f"Lỗi: Python đang chạy ({sys.executable}) thiếu thư viện {', '.join(missing)}. "
             "Trong thư mục mã nguồn, chạy 'python3 main.py' một lần để tạo môi trường .venv, "
             "hoặc cài phần mềm bằng 'pip install .'.")
        sys.exit(1)
    python = str(ensure_venv())
    argv = [python, *module_argv]
    if os.name == "nt":  # os.execv on Windows starts a new process and returns at once
        sys.exit(subprocess.call(argv))
    os.execv(python, argv)


MAX_TEST_WORKERS = 2


def test_workers(pytest_args: list[str]) -> list[str]:
    """One pytest worker per processor, at most :data:`MAX_TEST_WORKERS` (pytest-xdist), unless the
    caller chose: the whole suite on one core took close to its 10-minute budget on a two-core
    machine, and its longest tests (the bundle build, the kill loop, the property tests) run side
    by side with the rest. Every test already has its own folders and database, so none depends on
    running alone; the cap keeps the memory of the heaviest tests (hostile packages allowed up to
    1 GB each) and their time limits as on the two-core machine the suite is measured on."""
    if any(a.startswith(("-n", "--numprocesses", "--dist", "--maxprocesses")) or a.endswith("no:xdist")
           for a in pytest_args):
        return []
    return ["-n", "auto", "--maxprocesses", str(MAX_TEST_WORKERS)]


def main(argv: list[str]) -> int:
    """``test [pytest args]`` runs the suite; ``setup`` only installs (with the test tools)."""
    command = argv[0] if argv else "setup"
    py = ensure_venv(TEST_EXTRAS)
    if command == "test":
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        return subprocess.call([str(py), "-m", "pytest", *test_workers(argv[1:]), *argv[1:]], cwd=ROOT, env=env)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
