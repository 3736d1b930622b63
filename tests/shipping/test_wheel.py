"""``pip install .`` (not editable) gives a working app: forms and resources travel in the wheel.

The wheel is built from a copy of the sources and installed, without network, into a fresh
virtual environment that borrows only the dependencies from the running one; the CLI then runs
from that environment in an unrelated folder, so nothing of the checkout can stand in for it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow
SKIP = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache")


def _bin(venv: Path, name: str) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin") / (f"{name}.exe" if os.name == "nt" else name)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    shutil.copytree(ROOT, src, ignore=SKIP)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                    "-w", str(tmp / "out"), str(src)], check=True, capture_output=True)
    return next((tmp / "out").glob("gnbv_desktop-*.whl"))


def test_wheel_holds_every_module_form_and_resource(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"gnbv_desktop/{p.relative_to(ROOT / 'gnbv_desktop').as_posix()}"
                for p in (ROOT / "gnbv_desktop").rglob("*.py")}
    for folder in ("ui", "resources"):
        expected |= {f"gnbv_desktop/{p.relative_to(ROOT).as_posix()}" for p in (ROOT / folder).rglob("*") if p.is_file()}
    assert expected - names == set()


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    venv = tmp_path_factory.mktemp("venv") / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    py = _bin(venv, "python")
    purelib = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(purelib) / "_gnbv_test_deps.pth").write_text("\n".join(sorted(deps)) + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "--no-index", str(wheel)],
                   check=True, capture_output=True)
    return venv


def _gnbv(venv: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "GNBV_DB")}
    env["GNBV_DATA_DIR"] = str(cwd / "userdata")
    return subprocess.run([str(_bin(venv, "gnbv")), *args], cwd=cwd, env=env, capture_output=True, text=True)


def test_installed_cli_runs_standards_and_annex(installed, tmp_path):
    where = subprocess.run([str(_bin(installed, "python")), "-c", "import gnbv_desktop; print(gnbv_desktop.__file__)"],
                           cwd=tmp_path, check=True, capture_output=True, text=True).stdout
    assert Path(where).resolve().is_relative_to(installed.resolve())
    standards = _gnbv(installed, tmp_path, "standards", "--json")
    assert standards.returncode == 0, standards.stderr
    assert {s["id"] for s in json.loads(standards.stdout)} >= {"qd59-2015", "nd07-2021"}
    demo = _gnbv(installed, tmp_path, "--db", "xa.sqlite3", "demo", "--households", "20", "--year", "2026")
    assert demo.returncode == 0, demo.stderr
    annex = _gnbv(installed, tmp_path, "--db", "xa.sqlite3", "annex", "phuluc.pdf", "--year", "2026")
    assert annex.returncode == 0, annex.stderr
    assert (tmp_path / "phuluc.pdf").read_bytes().startswith(b"%PDF")
    assert not (tmp_path / "userdata").exists()


def test_installed_app_passes_its_self_check(installed, tmp_path):
    """The window part finds the forms and fonts inside the installed package."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "GNBV_DB")}
    env["GNBV_DATA_DIR"] = str(tmp_path / "userdata")
    done = subprocess.run([str(_bin(installed, "gnbv-desktop")), "--self-check"], cwd=tmp_path, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().splitlines()[-1] == "OK"
