"""``python installer/build.py`` builds a one-folder bundle that runs without the sources.

The bundle is built for this platform with PyInstaller (the ``build`` extra) and started as a user
would start it: ``--version`` and the headless ``--self-check`` (every module, a temporary
database, a classification, a PDF page, an XLSX, a sync package both ways, the windows offscreen).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from gnbv_desktop import __version__

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow
TARBALL = sys.platform.startswith("linux")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("bundle")
    args = [sys.executable, str(ROOT / "installer" / "build.py"), "--dist", str(tmp / "dist"), "--work", str(tmp / "work")]
    done = subprocess.run(args + (["--tarball"] if TARBALL else []), capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return tmp / "dist" / "gnbv-desktop"


def _run(bundle: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    program = bundle / ("gnbv-desktop.exe" if os.name == "nt" else "gnbv-desktop")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "GNBV_DB", "QT_QPA_PLATFORM")}
    env["GNBV_DATA_DIR"] = str(tmp_path / "userdata")
    return subprocess.run([str(program), *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)


def test_bundle_prints_its_version(bundle, tmp_path):
    done = _run(bundle, tmp_path, "--version")
    assert (done.returncode, done.stdout.strip()) == (0, f"GNBV Desktop {__version__}")


def test_bundle_passes_its_self_check(bundle, tmp_path):
    done = _run(bundle, tmp_path, "--self-check")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[-1] == "OK" and not any(line.startswith("LỖI") for line in lines)
    assert any("Dựng cửa sổ" in line for line in lines)
    assert not (tmp_path / "userdata").exists()  # nothing written outside its temporary folder


@pytest.mark.skipif(not TARBALL, reason="the tarball is the Linux package")
def test_linux_tarball_installs_a_menu_entry_for_the_unpacked_program(bundle, tmp_path):
    tarball = next(bundle.parent.glob(f"gnbv-desktop-{__version__}-linux-*.tar.gz"))
    with tarfile.open(tarball) as tar:
        assert {"gnbv-desktop/gnbv-desktop", "gnbv-desktop/gnbv-desktop.desktop", "gnbv-desktop/gnbv-desktop.png",
                "gnbv-desktop/install-linux.sh", "gnbv-desktop/_internal/resources/fonts/LiberationSerif-Regular.ttf",
                "gnbv-desktop/_internal/ui/household_general.ui"} <= set(tar.getnames())
        tar.extractall(tmp_path / "opt", filter="tar")
    share = tmp_path / "share"
    done = subprocess.run(["sh", str(tmp_path / "opt" / "gnbv-desktop" / "install-linux.sh")], capture_output=True,
                          text=True, env={**os.environ, "XDG_DATA_HOME": str(share)})
    assert done.returncode == 0, done.stderr
    entry = (share / "applications" / "gnbv-desktop.desktop").read_text(encoding="utf-8")
    program = tmp_path / "opt" / "gnbv-desktop" / "gnbv-desktop"
    assert f'Exec="{program}" %f' in entry
    assert (share / "icons" / "hicolor" / "256x256" / "apps" / "gnbv-desktop.png").is_file()
    assert (share / "mime" / "packages" / "gnbv-desktop.xml").is_file()
    version = subprocess.run([str(program), "--version"], capture_output=True, text=True)
    assert version.stdout.strip() == f"GNBV Desktop {__version__}"
