"""Create the project's virtual environment on first use (standard library only).

``python3 main.py`` and ``python3 -m gnbv_desktop.bootstrap test`` work on a fresh machine with
nothing but Python ≥ 3.11: the environment lives in ``.venv`` next to the sources and is
(re)installed when ``pyproject.toml`` changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / ".gnbv-installed"


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _wanted_stamp(extras: str) -> str:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:16]
    return f"{digest}:{extras}"


def ensure_venv(extras: str = "test") -> Path:
    """Make ``.venv`` with the app (and ``extras``) installed; fast no-op when up to date."""
    py = venv_python()
    want = _wanted_stamp(extras)
    if py.exists() and STAMP.exists() and STAMP.read_text().strip() == want:
        return py
    if not py.exists():
        print("Đang tạo môi trường Python (.venv) lần đầu…", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    spec = f".[{extras}]" if extras else "."
    print("Đang cài các thư viện cần thiết…", flush=True)
    subprocess.check_call([str(py), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], cwd=ROOT)
    subprocess.check_call([str(py), "-m", "pip", "install", "--quiet", "-e", spec], cwd=ROOT)
    STAMP.write_text(want)
    return py


def in_project_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def main(argv: list[str]) -> int:
    """``test [pytest args]`` runs the suite; ``setup`` only installs."""
    command = argv[0] if argv else "setup"
    py = ensure_venv("test")
    if command == "test":
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        return subprocess.call([str(py), "-m", "pytest", *argv[1:]], cwd=ROOT, env=env)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
