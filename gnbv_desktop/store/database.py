"""Opening the database: pragmas, upgrade with a backup copy, refusal of newer files."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from gnbv_desktop.store import audit, migrations
from gnbv_desktop.store.integrity import NotADatabase, findings_text, quick_check


class DatabaseError(Exception):
    """A database file that cannot be used; the message is for the user, in Vietnamese."""


class DamagedDatabase(DatabaseError):
    """The file failed the check at open; nothing was written to it. ``findings`` are SQLite's."""

    def __init__(self, path: Path, findings: list[str]):
        self.path = path
        self.findings = findings
        super().__init__(
            f"Tệp dữ liệu '{path}' bị hỏng (kiểm tra phát hiện {len(findings)} lỗi):\n{findings_text(findings)}\n"
            "Phần mềm không ghi gì vào tệp này. Hãy khôi phục từ bản sao lưu gần nhất "
            "(Cài đặt → Sao lưu, hoặc lệnh: gnbv restore TỆP)."
        )


def _connect(path: Path) -> Database:
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=30)
    db = Database(conn)
    db.execute("PRAGMA foreign_keys = ON")
    return db


def _enable_wal(db: Database) -> None:
    """WAL lets the UI read while a job writes; FULL sync makes every committed save survive a
    power cut (commune laptops lose power often), at a cost too small to notice on one user's edits."""
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")


def open_database(path: str | Path, *, create: bool = True) -> Database:
    """Open (and create or upgrade) the database at ``path``.

    Before upgrading an existing file a copy is taken next to it
    (``gnbv.sqlite3.bak-v1-20260101-120000``) so a failed upgrade loses nothing.
    """
    path = Path(path)
    exists = path.exists() and path.stat().st_size > 0
    if not exists and not create:
        raise DatabaseError(f"Không tìm thấy tệp dữ liệu: {path}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if exists:
        check_before_writing(path)
    try:
        db = _connect(path)
        version = migrations.schema_version(db)
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"Tệp '{path}' không phải cơ sở dữ liệu GNBV hợp lệ hoặc đã hỏng ({exc}).") from exc
    if version < 0:
        db.close()
        raise DatabaseError(
            f"Tệp '{path.name}' ghi phiên bản lược đồ không hợp lệ (v{version}); có thể tệp đã bị sửa bằng công cụ khác. "
            "Tệp không bị thay đổi. Hãy khôi phục từ bản sao lưu."
        )
    if version > migrations.LATEST_VERSION:
        db.close()
        raise DatabaseError(
            f"Tệp dữ liệu '{path.name}' được tạo bởi phiên bản GNBV Desktop mới hơn "
            f"(lược đồ v{version}, phiên bản này hỗ trợ đến v{migrations.LATEST_VERSION}). "
            "Hãy cập nhật phần mềm; tệp không bị thay đổi."
        )
    if exists and version < migrations.LATEST_VERSION:
        if version == 0 and db.table_names():
            db.close()
            raise DatabaseError(f"Tệp '{path}' không phải cơ sở dữ liệu GNBV.")
        if version > 0:
            backup_before_upgrade(db, path, version)
    _enable_wal(db)
    if version < migrations.LATEST_VERSION and audit.is_audited(db):
        audit.clear_role(db)  # a "chỉ xem" session left in the file must not block the upgrade
    try:
        if migrations.apply(db) and audit.is_audited(db):
            audit.install_triggers(db)  # columns added by later migrations are audited too
    except sqlite3.DatabaseError as exc:
        db.close()
        raise DatabaseError(
            f"Không nâng cấp được tệp '{path.name}' từ lược đồ v{version}: nội dung tệp không khớp với phiên bản ghi trong tệp "
            f"({exc}). Bước nâng cấp lỗi đã được hoàn tác. Hãy khôi phục từ bản sao lưu."
        ) from exc
    return db


def check_before_writing(path: Path) -> None:
    """Refuse a file that is not a database or fails the quick check, before any write."""
    try:
        findings = quick_check(path)
    except NotADatabase as exc:
        raise DatabaseError(f"Tệp '{path}' không phải cơ sở dữ liệu GNBV hợp lệ hoặc đã hỏng ({exc}).") from exc
    if findings:
        raise DamagedDatabase(path, findings)


def backup_before_upgrade(db: Database, path: Path, version: int) -> Path:
    """Copy the whole file (WAL checkpointed first) before touching its schema."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.bak-v{version}-{stamp}")
    dest = sqlite3.connect(str(target))
    try:
        db.conn.backup(dest)
    finally:
        dest.close()
    return target
