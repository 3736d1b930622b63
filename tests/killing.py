"""Kill a program the way a power cut does, at a moment it announces."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Iterable

# What a killed process exits with: the signal on POSIX, TerminateProcess's exit code on Windows.
KILLED = -signal.SIGKILL if hasattr(signal, "SIGKILL") else 1


def kill_when(proc: subprocess.Popen, lines: Iterable[str], prefix: str) -> None:
    """Read ``lines`` (the process's progress output) until one starts with ``prefix``, kill the
    process there (SIGKILL: no handler, no clean-up) and check it died of it; the lines read are
    the assertion's message."""
    seen = []
    for line in lines:
        seen.append(line)
        if line.startswith(prefix):
            proc.kill()
            break
    proc.wait(timeout=60)
    assert proc.returncode == KILLED, "".join(seen)
