"""A database file the user may only read: a file without write permission, or on a read-only
folder, CD or write-protected USB stick.

Such a file is still worth opening — an official looks up a list on a copy handed over on a
locked stick — so it is opened through SQLite's read-only mode and marked ``query_only``: every
command that only reads works, every write fails at once with SQLite's read-only error, which
``database.describe_failure`` words in Vietnamese. Nothing is written at open (no upgrade, no
WAL switch, no audit session, no login counters).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


READ_ONLY_FILE_NOTICE = ("Tệp dữ liệu '{name}' chỉ cho đọc (tệp chỉ đọc, hoặc thư mục/ổ USB không ghi được): "
                         "chỉ xem được, mọi thay đổi sẽ không được lưu.")

READ_ONLY_WRITE_MESSAGE = ("Tệp dữ liệu đang ở chế độ chỉ đọc (không có quyền ghi, ổ đĩa hoặc thư mục chỉ đọc). Hãy chép tệp "
                           "sang thư mục ghi được hoặc bỏ thuộc tính chỉ đọc rồi làm lại. Dữ liệu không bị thay đổi.")


def writable(path: Path) -> bool:
    """Whether this user may write the file and create SQLite's journal next to it."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def is_read_only(db: Database) -> bool:
    """Whether ``db`` was opened read-only (``database.open_database`` marks it ``query_only``)."""
    return bool(db.execute("PRAGMA query_only").fetchone()[0])
