"""The Windows installer script and the Linux desktop entry, checked against the bundle's layout
(Inno Setup cannot run here: this is the line-by-line review made executable)."""

from __future__ import annotations

import re
from pathlib import Path

from gnbv_desktop.app import parse_args

INSTALLER = Path(__file__).resolve().parents[2] / "installer"
ISS = (INSTALLER / "gnbv-desktop.iss").read_text(encoding="utf-8-sig")
SPEC = (INSTALLER / "gnbv-desktop.spec").read_text(encoding="utf-8")


def _define(name: str) -> str:
    return re.search(rf'#define {name} "([^"]+)"', ISS).group(1)


def _setup(key: str) -> str:
    return re.search(rf"^{key}=(.*)$", ISS, flags=re.M).group(1).strip()


def test_installer_packs_the_folder_and_program_build_py_makes():
    names = set(re.findall(r'name="([^"]+)"', SPEC))
    assert names == {"gnbv-desktop"}  # EXE and COLLECT: dist/gnbv-desktop/gnbv-desktop(.exe)
    assert _define("Bundle") == r"..\dist\gnbv-desktop"
    assert _define("AppExe") == "gnbv-desktop.exe"
    assert 'Source: "{#Bundle}\\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs' in ISS


def test_installer_is_per_user_vietnamese_with_menu_and_desktop_shortcuts():
    assert _setup("PrivilegesRequired") == "lowest"
    assert _setup("DefaultDirName").startswith("{autopf}")
    assert re.search(r'^Name: "vi"; MessagesFile: "\{#VietnameseMessages\}"$', ISS, flags=re.M)
    assert "Vietnamese.isl" in _define("VietnameseMessages")
    icons = re.findall(r"^Name: \"(\{auto\w+\})\\GNBV Desktop\"; Filename: \"\{app\}\\\{#AppExe\}\"", ISS, flags=re.M)
    assert icons == ["{autoprograms}", "{autodesktop}"]


def test_file_types_open_the_package_with_an_argument_the_app_accepts():
    commands = re.findall(r'shell\\open\\command"; .*ValueData: """\{app\}\\\{#AppExe\}"" (--open) ""%1"""', ISS)
    assert commands == ["--open", "--open"]
    assert re.search(r'Subkey: "Software\\Classes\\\.gnbv"; .*ValueData: "GNBVDesktop\.Package"', ISS)
    assert all(line.startswith("Root: HKA;") for line in ISS.splitlines() if line.startswith("Root:"))
    assert parse_args(["--open", r"C:\goi.gnbv"]).open == r"C:\goi.gnbv"


def test_uninstaller_never_deletes_the_data_folder():
    lines = [line for line in ISS.splitlines() if not line.startswith(";")]
    sections = {line.strip() for line in lines if line.startswith("[")}
    assert sections == {"[Setup]", "[Languages]", "[Tasks]", "[Files]", "[Icons]", "[Registry]", "[Run]"}
    assert not any("{localappdata}" in line or "{userappdata}" in line for line in lines)


def test_linux_desktop_entry_opens_a_double_clicked_file():
    entry = (INSTALLER / "gnbv-desktop.desktop").read_text(encoding="utf-8")
    exec_line = re.search(r"^Exec=(.*)$", entry, flags=re.M).group(1)
    assert exec_line == "gnbv-desktop %f"
    assert parse_args(["/tmp/goi.gnbv"]).open == "/tmp/goi.gnbv" and parse_args([]).open is None
    mime = (INSTALLER / "gnbv-desktop-mime.xml").read_text(encoding="utf-8")
    assert all(t in mime for t in re.search(r"^MimeType=(.*);$", entry, flags=re.M).group(1).split(";"))
