"""Starting from a fresh clone with the system Python: ``python3 -m gnbv_desktop`` runs inside the
project's ``.venv`` or says what to run; the GUI entry names missing Linux packages."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from gnbv_desktop import bootstrap

ROOT = Path(__file__).resolve().parents[2]
SKIP = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache")
BASE_PYTHON = Path(sys.base_prefix) / ("python.exe" if os.name == "nt" else "bin/python3")


def _base_python_lacks_the_libraries() -> bool:
    probe = f"import importlib.util as u, sys; sys.exit(all(u.find_spec(m) for m in {bootstrap.CLI_MODULES!r}))"
    return subprocess.run([str(BASE_PYTHON), "-s", "-c", probe], env=_clean_env()).returncode == 0


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "GNBV_NO_BOOTSTRAP", "GNBV_DB")}
    return env | extra


needs_bare_python = pytest.mark.skipif(not BASE_PYTHON.exists() or not _base_python_lacks_the_libraries(),
                                       reason="needs a system Python without the app's libraries")


@pytest.fixture
def clone(tmp_path) -> Path:
    src = tmp_path / "gnbv"
    shutil.copytree(ROOT, src, ignore=SKIP)
    return src


@needs_bare_python
def test_module_run_by_system_python_reexecutes_in_project_venv(clone, tmp_path):
    venv = clone / ".venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    py = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    purelib = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    (Path(purelib) / "_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    digest = hashlib.sha256((clone / "pyproject.toml").read_bytes()).hexdigest()[:16]
    (venv / ".gnbv-installed").write_text(f"{digest}:")  # as ensure_venv leaves it after installing
    done = subprocess.run([str(BASE_PYTHON), "-s", "-m", "gnbv_desktop", "standards", "--json"], cwd=clone,
                          env=_clean_env(GNBV_DATA_DIR=str(tmp_path / "data")), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert {s["id"] for s in json.loads(done.stdout)} >= {"nd07-2021"}


@needs_bare_python
def test_module_run_without_environment_says_what_to_run(clone, tmp_path):
    done = subprocess.run([str(BASE_PYTHON), "-s", "-m", "gnbv_desktop", "standards"], cwd=clone,
                          env=_clean_env(GNBV_NO_BOOTSTRAP="1"), capture_output=True, text=True)
    assert done.returncode == 1
    assert "python3 main.py" in done.stderr and "Traceback" not in done.stderr
    assert not (clone / ".venv").exists()


def test_missing_xcb_libraries_are_named_as_packages(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)

    def fake_cdll(name):
        if name == "libxcb-cursor.so.0":
            raise OSError(name)

    monkeypatch.setattr(bootstrap.ctypes, "CDLL", fake_cdll)
    assert bootstrap.missing_qt_system_packages() == ["libxcb-cursor0"]
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert bootstrap.missing_qt_system_packages() == []


def _fake_checkout(tmp_path, monkeypatch) -> list[list[str]]:
    """bootstrap pointed at a checkout in tmp_path whose .venv exists; pip calls are recorded."""
    root = tmp_path / "gnbv"
    root.mkdir()
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    venv = root / ".venv"
    monkeypatch.setattr(bootstrap, "ROOT", root)
    monkeypatch.setattr(bootstrap, "VENV", venv)
    monkeypatch.setattr(bootstrap, "STAMP", venv / ".gnbv-installed")
    bootstrap.venv_python().parent.mkdir(parents=True)
    bootstrap.venv_python().write_text("")
    calls: list[list[str]] = []
    monkeypatch.setattr(bootstrap.subprocess, "check_call", lambda argv, **_kw: calls.append(argv))
    return calls


def test_the_app_gets_only_its_libraries_and_the_test_command_adds_the_tools(tmp_path, monkeypatch, capsys):
    calls = _fake_checkout(tmp_path, monkeypatch)
    bootstrap.ensure_venv()  # python3 main.py
    assert calls[-1][-2:] == ["-e", "."]
    bootstrap.ensure_venv()
    assert len(calls) == 1  # up to date: nothing installed again
    monkeypatch.setattr(bootstrap.subprocess, "call", lambda argv, **_kw: 0)
    assert bootstrap.main(["test"]) == 0
    assert calls[-1][-2:] == ["-e", ".[build,test]"]
    bootstrap.ensure_venv()  # the app after the tests: the tools already there are kept, nothing to do
    assert len(calls) == 2
    err = capsys.readouterr().err
    assert "Đang cài các thư viện cần thiết" in err and "Warning" not in err


def test_the_test_command_runs_the_suite_on_up_to_two_cores_unless_told_otherwise(tmp_path, monkeypatch):
    _fake_checkout(tmp_path, monkeypatch)
    runs: list[list[str]] = []
    monkeypatch.setattr(bootstrap.subprocess, "call", lambda argv, **_kw: runs.append(argv) or 0)
    bootstrap.main(["test"])
    bootstrap.main(["test", "-x", "-q", "-p", "no:cacheprovider", "tests/core"])
    bootstrap.main(["test", "-n", "0", "tests/core"])
    bootstrap.main(["test", "-p", "no:xdist"])
    assert [r[3:] for r in runs] == [
        ["-n", "auto", "--maxprocesses", "2"],
        ["-n", "auto", "--maxprocesses", "2", "-x", "-q", "-p", "no:cacheprovider", "tests/core"],
        ["-n", "0", "tests/core"],
        ["-p", "no:xdist"],
    ]
    assert all(r[1:3] == ["-m", "pytest"] for r in runs)
