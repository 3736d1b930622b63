"""Opening the database: pragmas, upgrade with a backup copy, refusal of newer files — and the
Vietnamese words for what the environment can do to it (busy, read-only, full disk)."""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gnbv_desktop.store import migrations
from gnbv_desktop.store.integrity import BackgroundCheck, NotADatabase, connect_read_only, findings_text, quick_check
from gnbv_desktop.store.read_only import READ_ONLY_WRITE_MESSAGE, writable

if TYPE_CHECKING:
    from sqlite_utils import Database

# How long a write waits for another program's write to finish before giving up (seconds).
BUSY_TIMEOUT_S = 30.0


class DatabaseError(Exception):
    """A database file that cannot be used; the message is for the user, in Vietnamese."""


def describe_failure(exc: BaseException, path: str | Path | None = None) -> str | None:
    """The Vietnamese message for a failure of the environment rather than of the data — another
    program writing, a read-only file, a full disk, a damaged file — or ``None`` for any other
    error. SQLite rolls back the failed transaction, so each message can say nothing changed.
    ``path`` names the file for an OS error that does not carry its name (a failed write)."""
    unchanged = "Dữ liệu không bị thay đổi."
    if isinstance(exc, sqlite3.Error):
        name = getattr(exc, "sqlite_errorname", "") or ""
        text = str(exc).lower()
        if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
            return (f"Dữ liệu đang được một chương trình GNBV khác ghi; đã chờ {BUSY_TIMEOUT_S:g} giây mà chưa xong. "
                    f"Hãy đợi việc đó xong rồi làm lại. {unchanged}")
        if name.startswith("SQLITE_READONLY") or "readonly" in text:
            return READ_ONLY_WRITE_MESSAGE
        if name == "SQLITE_FULL" or "full" in text:
            return f"Ổ đĩa đã đầy, không ghi thêm được dữ liệu. Hãy giải phóng dung lượng rồi làm lại. {unchanged}"
        if name.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN")) or "disk i/o" in text or "unable to open" in text:
            return f"Không đọc/ghi được tệp dữ liệu (lỗi ổ đĩa hoặc tệp bị khóa). {unchanged}"
        if name in ("SQLITE_CORRUPT", "SQLITE_NOTADB") or "malformed" in text:
            return "Tệp dữ liệu bị hỏng. Hãy khôi phục từ bản sao lưu gần nhất."
        return None
    if isinstance(exc, OSError) and exc.errno == errno.ENOENT:  # the folder deleted, the USB stick pulled mid-way
        name = exc.filename2 or exc.filename or path  # os.replace(part, final): the final name is the one the user chose
        where = f" '{name}'" if name else ""
        return f"Không tìm thấy tệp hoặc thư mục{where} (thư mục đã bị xóa, đổi tên hoặc ổ USB đã được rút ra)."
    if isinstance(exc, OSError) and exc.errno in _OS_MESSAGES:
        name = exc.filename or path
        where = f" '{name}'" if name else ""
        return f"Không ghi được tệp{where}: {_OS_MESSAGES[exc.errno]}."
    return None


@contextmanager
def immediate_transaction(db: Database) -> Iterator[Database]:
    """``db.atomic()`` whose transaction takes the write lock as it begins (``BEGIN IMMEDIATE``).

    A transaction that reads first and writes later (SQLite's default) cannot wait for another
    program's write: needing the lock while another connection holds it, it gets "database is
    locked" at once, whatever the busy timeout. Taken first, the lock is waited for (up to
    ``BUSY_TIMEOUT_S``), and what the transaction reads cannot change before it commits.
    Any exception (a cancelled job's generator closing included) rolls everything back."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
        db.execute("COMMIT")
    except BaseException:
        if db.conn.in_transaction:
            db.conn.rollback()
        raise


_OS_MESSAGES = {
    errno.ENOSPC: "ổ đĩa đã đầy",
    errno.EDQUOT: "đã hết dung lượng được cấp",
    errno.EROFS: "ổ đĩa chỉ đọc",
    errno.EACCES: "không có quyền ghi",
    errno.EPERM: "không có quyền ghi",
}


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


class LazyDatabase:
    """sqlite-utils' ``Database`` over one connection, with sqlite-utils loaded on first use.

    Importing sqlite-utils pulls in click, dateutil and pluggy: a tenth of a second of CPU at every
    start, before the household list can show. The list and every other read only need
    :meth:`execute`, which goes straight to the connection; the first use of anything else (a
    table, ``atomic``, ``query`` …) builds the real ``Database`` and hands that and everything after
    it to sqlite-utils, so every write still takes sqlite-utils' one path. The connection is in
    autocommit mode (``isolation_level=None``): sqlite-utils' own ``execute`` then adds nothing
    to the connection's, so which of the two ran a statement makes no difference.
    """

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._db: Database | None = None
        # What sqlite-utils' Database does at creation, done now so that triggers behave the same
        # before and after it is loaded.
        conn.execute("PRAGMA recursive_triggers=on;")

    def execute(self, sql: str, parameters: Any = None) -> sqlite3.Cursor:
        if self._db is not None:
            return self._db.execute(sql, parameters)
        return self.conn.execute(sql) if parameters is None else self.conn.execute(sql, parameters)

    def close(self) -> None:
        self.conn.close()

    def loaded(self) -> Database:
        """The sqlite-utils ``Database`` of this connection (imported and made on first call)."""
        if self._db is None:
            from sqlite_utils import Database

            # No sqlite-utils plugins are used: skipping their discovery spares a scan of all
            # installed packages' entry points (tens of milliseconds).
            self._db = Database(self.conn, recursive_triggers=False, execute_plugins=False)
        return self._db

    def __getattr__(self, name: str) -> Any:
        if name in ("conn", "_db"):  # not set yet (a copy being made): not sqlite-utils' to answer
            raise AttributeError(name)
        return getattr(self.loaded(), name)

    def __getitem__(self, table: str) -> Any:
        return self.loaded()[table]


def _connect(path: Path) -> Database:
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_S)
    db = LazyDatabase(conn)
    db.execute("PRAGMA foreign_keys = ON")
    return db  # type: ignore[return-value]  # a Database to every caller, see LazyDatabase


def _connect_read_only(path: Path) -> Database:
    """A file the user may only read (:mod:`store.read_only`): SQLite's read-only mode, and
    ``query_only`` so that a write fails before it starts and the file is known to be read-only."""
    db = LazyDatabase(connect_read_only(path))
    db.execute("PRAGMA query_only = ON")
    return db  # type: ignore[return-value]


def _journal_mode(db: Database) -> str:
    return db.execute("PRAGMA journal_mode").fetchone()[0].lower()


def _enable_wal(db: Database) -> None:
    """WAL lets the UI read while a job writes; FULL sync makes every committed save survive a
    power cut (commune laptops lose power often), at a cost too small to notice on one user's edits."""
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")


def open_database(
    path: str | Path, *, create: bool = True, check: BackgroundCheck | None = None, read_first: bool = False
) -> Database:
    """Open (and create or upgrade) the database at ``path``.

    Before upgrading an existing file a copy is taken next to it
    (``gnbv.sqlite3.bak-v1-20260101-120000``) so a failed upgrade loses nothing. ``check``: the
    quick check of this file, made by the caller (the app); without it the check runs here. A
    file the user may only read is opened read-only and nothing is written (:mod:`store.read_only`).

    ``read_first``: the caller reads (shows the household list) before the check has ended, and
    calls :func:`check_before_writing` with the same ``check`` before anything can write. The open
    then writes nothing itself; a file it must write at once (an upgrade, the switch to WAL) is
    checked here first as without ``read_first``, and so is a file that cannot even be read.
    """
    path = Path(path)
    exists = path.exists() and path.stat().st_size > 0
    if not exists and not create:
        raise DatabaseError(f"Không tìm thấy tệp dữ liệu: {path}")
    read_only = exists and not writable(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    if exists and not read_first:
        check_before_writing(path, check)
    db: Database | None = None
    try:
        db = _connect_read_only(path) if read_only else _connect(path)
        version = migrations.schema_version(db)
        writes_now = version != migrations.LATEST_VERSION or _journal_mode(db) != "wal"
    except sqlite3.OperationalError as exc:  # locked or unreadable while being opened
        if db is not None:
            close_unchecked(db)
        raise DatabaseError(describe_failure(exc) or f"Không mở được tệp dữ liệu '{path}' ({exc}).") from exc
    except sqlite3.DatabaseError as exc:
        if db is not None:
            close_unchecked(db)
        if exists and read_first:
            check_before_writing(path, check)  # damage found says more than the read's error
        raise DatabaseError(f"Tệp '{path}' không phải cơ sở dữ liệu GNBV hợp lệ hoặc đã hỏng ({exc}).") from exc
    if exists and read_first and writes_now and not read_only:
        try:
            check_before_writing(path, check)
        except DatabaseError:
            close_unchecked(db)
            raise
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
    if read_only:
        if version < migrations.LATEST_VERSION:
            db.close()
            raise DatabaseError(
                f"Tệp dữ liệu '{path.name}' chỉ cho đọc và được tạo bởi phiên bản GNBV Desktop cũ hơn; phải nâng cấp tệp "
                "mới mở được, mà tệp không ghi được. Hãy chép tệp sang một thư mục ghi được rồi mở bản chép."
            )
        return db
    if exists and version < migrations.LATEST_VERSION:
        if version == 0 and db.table_names():
            db.close()
            raise DatabaseError(f"Tệp '{path}' không phải cơ sở dữ liệu GNBV.")
        if version > 0:
            backup_before_upgrade(db, path, version)
    try:
        _enable_wal(db)
        if version < migrations.LATEST_VERSION:
            from gnbv_desktop.store import audit  # an upgrade only: opening a current file does without it

            if audit.is_audited(db):
                audit.clear_role(db)  # a "chỉ xem" session left in the file must not block the upgrade
            if migrations.apply(db) and audit.is_audited(db):
                audit.install_triggers(db)  # columns added by later migrations are audited too
    except sqlite3.DatabaseError as exc:
        db.close()
        message = describe_failure(exc)  # read-only file, full disk, another writer: the upgrade rolled back
        if message is not None and "hỏng" not in message:
            raise DatabaseError(f"Không mở được tệp dữ liệu '{path.name}': {message}") from exc
        raise DatabaseError(
            f"Không nâng cấp được tệp '{path.name}' từ lược đồ v{version}: nội dung tệp không khớp với phiên bản ghi trong tệp "
            f"({exc}). Bước nâng cấp lỗi đã được hoàn tác. Hãy khôi phục từ bản sao lưu."
        ) from exc
    return db


def close_unchecked(db: Database) -> None:
    """Close a connection that was opened before its file's check and must not write (the check
    refused the file, or could not be run).

    The last writable connection to a WAL file copies the WAL's pages into the file as it closes
    (a checkpoint): pages left by a session that was killed would be written into a damaged file.
    A read-only connection holding the file meanwhile makes this one not the last, and being
    read-only it does not checkpoint when it closes in turn."""
    path = next((row[2] for row in db.execute("PRAGMA database_list") if row[1] == "main"), "")
    holder = connect_read_only(path) if path else None
    try:
        if holder is not None:
            holder.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
    except sqlite3.DatabaseError:  # page 1 unreadable: nothing was read from the WAL either
        pass
    try:
        db.close()
    finally:
        if holder is not None:
            holder.close()


def check_before_writing(path: Path, check: BackgroundCheck | None = None) -> None:
    """Refuse a file that is not a database or fails the quick check, before any write."""
    try:
        findings = check.findings() if check is not None and check.path == path else quick_check(path)
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
