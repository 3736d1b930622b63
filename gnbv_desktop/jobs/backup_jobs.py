"""Backup, check and restore as jobs, so Cài đặt → Sao lưu runs them off the window's thread.

Copying or fully checking a file of 15,000 households takes seconds on a commune laptop; run on
the window's thread it froze the window. Each job is one step (SQLite copies and checks the file
in one call), so its progress says what is happening rather than how far it is. They work on the
file through the store's own connections, not on the connection the job runner opens.
"""

from __future__ import annotations

from pathlib import Path

from gnbv_desktop.jobs.progress import Job, Progress
from gnbv_desktop.store.backup import BackupInfo, check_backup, describe, make_backup, restore


def backup_job(db_path: Path, folder: Path | None = None) -> Job[Path]:
    """A manual backup into the automatic folder, or into ``folder`` (a USB stick)."""
    yield Progress(0, 0, "Đang sao lưu dữ liệu…")
    return make_backup(db_path, "thu-cong", folder=folder)


def check_job(path: Path) -> Job[BackupInfo]:
    """The full check of a backup chosen from elsewhere, before anything is asked or changed."""
    yield Progress(0, 0, f"Đang kiểm tra bản sao lưu {path.name}…")
    check_backup(path)
    return describe(path)


def restore_job(db_path: Path, backup: Path) -> Job[Path | None]:
    """Restore ``backup`` over ``db_path``; returns the copy of the state before (see ``store.backup.restore``)."""
    yield Progress(0, 0, "Đang sao lưu dữ liệu hiện tại rồi khôi phục…")
    return restore(db_path, backup)

