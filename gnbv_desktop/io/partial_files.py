"""Half-written output files (``.tmp`` / ``.part``) that a killed process left behind.

Exports write into a hidden temporary file and rename it when complete; an exception removes
the temporary file, but a kill or power cut cannot. Each writer registers its temporary file
here first (a small marker in the data folder naming the file and the process), and the next
start removes the files of processes that no longer run.
"""

from __future__ import annotations

import atexit
import os
from pathlib import Path

from gnbv_desktop.paths import user_data_dir

MARKER_FOLDER = "dang-ghi"


def _folder() -> Path:
    return user_data_dir() / MARKER_FOLDER


_own_markers: set[Path] = set()


def track_partial(path: Path) -> Path:
    """Remember that this process is about to write ``path``; returns ``path`` for one-line use.

    The marker only matters if the process is killed: a process that ends normally has renamed or
    removed its temporary files already, and takes its markers (and an emptied folder) with it."""
    import hashlib  # here, with the first file written: every start of the app imports this module

    folder = _folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        key = hashlib.sha1(str(path.resolve()).encode("utf-8")).hexdigest()[:16]
        marker = folder / f"{os.getpid()}-{key}.txt"
        marker.write_text(str(path.resolve()), encoding="utf-8")
    except OSError:
        return path  # a read-only data folder must not stop an export; only the clean-up is lost
    if not _own_markers:
        atexit.register(_remove_own_markers)
    _own_markers.add(marker)
    return path


def _remove_own_markers() -> None:
    folders = {m.parent for m in _own_markers}
    for marker in _own_markers:
        marker.unlink(missing_ok=True)
    _own_markers.clear()
    for folder in folders:
        for parent in (folder, folder.parent):  # the data folder too, when only the markers made it
            try:
                parent.rmdir()
            except OSError:
                break


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        ctypes.windll.kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_leftovers() -> list[Path]:
    """Delete temporary files of processes that ended; returns the files removed."""
    folder = _folder()
    if not folder.is_dir():
        return []
    markers = []
    for marker in folder.glob("*.txt"):
        try:
            pid = int(marker.name.split("-", 1)[0])
            target = Path(marker.read_text(encoding="utf-8").strip())
        except (OSError, ValueError):
            continue
        markers.append((marker, pid, target))
    busy = {target for _m, pid, target in markers if _alive(pid)}
    removed = []
    for marker, pid, target in markers:
        if pid in (os.getpid(),) or _alive(pid):
            continue
        try:
            if target not in busy and target.name.endswith((".tmp", ".part")) and target.is_file():
                target.unlink()
                removed.append(target)
            marker.unlink(missing_ok=True)
        except OSError:
            continue
    return removed
