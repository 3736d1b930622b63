"""A real read-only drive for tests: a small tmpfs filled, then remounted read-only — what a
write-protected USB stick is to SQLite. Needs root (mount); skipped where it cannot mount."""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest


@contextlib.contextmanager
def read_only_drive(folder: Path, fill: Callable[[Path], None]) -> Iterator[Path]:
    """Mount a tmpfs at ``folder``, let ``fill`` write into it, remount it read-only; unmount at the end."""
    folder.mkdir()
    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(folder)], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        fill(folder)
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True, capture_output=True)
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False, capture_output=True)
