"""Build the one-folder bundle for this platform: ``python installer/build.py [--tarball]``.

Writes ``dist/gnbv-desktop/`` (program ``gnbv-desktop`` or ``gnbv-desktop.exe``) and, on Linux
with ``--tarball``, ``dist/gnbv-desktop-VERSION-linux-ARCH.tar.gz`` holding the folder, the
``.desktop`` entry and the icon. Needs the ``build`` extra (``pip install -e .[build]``).
On Windows the installer is then built with Inno Setup: ``ISCC installer\\gnbv-desktop.iss``.
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gnbv_desktop import __version__  # noqa: E402


def build(dist: Path, work: Path) -> Path:
    subprocess.check_call(
        [sys.executable, "-m", "PyInstaller", str(ROOT / "installer" / "gnbv-desktop.spec"), "--noconfirm",
         "--log-level", "WARN", "--distpath", str(dist), "--workpath", str(work)],
        cwd=ROOT,
    )
    return dist / "gnbv-desktop"


def tarball(folder: Path) -> Path:
    """The Linux archive: the bundle plus the desktop entry and icon to install beside it."""
    arch = platform.machine() or "x86_64"
    out = folder.parent / f"gnbv-desktop-{__version__}-linux-{arch}.tar.gz"
    with tarfile.open(out, "w:gz", compresslevel=6) as tar:
        tar.add(folder, arcname="gnbv-desktop")
        tar.add(ROOT / "installer" / "gnbv-desktop.desktop", arcname="gnbv-desktop/gnbv-desktop.desktop")
        tar.add(ROOT / "resources" / "icons" / "gnbv.png", arcname="gnbv-desktop/gnbv-desktop.png")
        tar.add(ROOT / "installer" / "gnbv-desktop-mime.xml", arcname="gnbv-desktop/gnbv-desktop-mime.xml")
        tar.add(ROOT / "installer" / "install-linux.sh", arcname="gnbv-desktop/install-linux.sh")
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Đóng gói GNBV Desktop bằng PyInstaller (thư mục dist/gnbv-desktop).")
    p.add_argument("--dist", default=str(ROOT / "dist"), help="thư mục kết quả")
    p.add_argument("--work", default=str(ROOT / "build" / "pyinstaller"), help="thư mục tạm của PyInstaller")
    p.add_argument("--tarball", action="store_true", help="Linux: tạo thêm tệp .tar.gz kèm tệp .desktop và biểu tượng")
    args = p.parse_args(argv)
    folder = build(Path(args.dist), Path(args.work))
    print(f"Đã đóng gói: {folder}")
    if args.tarball:
        if not sys.platform.startswith("linux"):
            print("Tệp .tar.gz chỉ dành cho Linux.", file=sys.stderr)
            return 1
        print(f"Đã tạo: {tarball(folder)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
