"""Worker processes that never outlive the process that started them.

A large sync import parses packages in a spawned process. When the app is killed (power button,
task manager, SIGKILL) that worker used to stay alive, blocked on its pipe and holding hundreds of
megabytes, for over a minute. ``die_with_parent`` is the worker's initializer: on Linux the kernel
kills it with its parent (``PR_SET_PDEATHSIG``, works even while the worker holds the GIL in a
long parse); everywhere, a thread waits on multiprocessing's parent sentinel (a pipe on POSIX, a
process handle on Windows) and ends the worker when the parent is gone.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading

PR_SET_PDEATHSIG = 1


def _kill_with_parent_on_linux() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):
        pass  # the sentinel thread below still ends the worker


def _parent_alive(parent_pid: int) -> bool:
    if os.name == "nt":
        parent = multiprocessing.parent_process()
        return parent is None or parent.is_alive()
    return os.getppid() == parent_pid


def _watch_parent() -> None:
    parent = multiprocessing.parent_process()
    if parent is None:
        return
    parent.join()  # returns when the parent's end of the sentinel closes: it has exited
    os._exit(1)


def die_with_parent(parent_pid: int) -> None:
    """Initializer for a ``ProcessPoolExecutor`` worker started by ``parent_pid``."""
    _kill_with_parent_on_linux()
    if not _parent_alive(parent_pid):  # the parent died before the kernel was told to watch it
        os._exit(1)
    threading.Thread(target=_watch_parent, name="gnbv-parent-watch", daemon=True).start()
