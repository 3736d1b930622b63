"""Backups: consistent copies through SQLite's online backup API, rotation, restore.

A raw copy of a live WAL database can miss committed pages still in the ``-wal`` file; the
backup API copies a consistent snapshot even while another connection writes. Copies are
written as ``….part`` and renamed when complete, so a power cut never leaves a half backup that
looks whole. Automatic copies live in ``sao-luu/`` next to the database (the data folder for the
usual file), named ``<tệp>-YYYYmmdd-HHMMSS-<lý do>.sqlite3``; the last 10 are kept, plus the
newest of each of the last 12 months.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from gnbv_desktop.core.file_errors import describe_os_error
from gnbv_desktop.store import migrations
from gnbv_desktop.store.database import open_database
from gnbv_desktop.store.integrity import NotADatabase, connect_read_only, full_check
from gnbv_desktop.store.read_only import READ_ONLY_WRITE_MESSAGE, is_read_only
from gnbv_desktop.store.settings import MODE_AGGREGATE
from gnbv_desktop.store.sync_identity import SavedIdentity, keep_identity, read_saved_identity

if TYPE_CHECKING:
    from sqlite_utils import Database

BACKUP_FOLDER = "sao-luu"
KEEP_LAST = 10
KEEP_MONTHS = 12
PART_SUFFIX = ".part"
PART_ABANDONED_S = 3600

# Why a copy was taken: the slug in the file name → what the user reads in the list.
REASONS = {
    "mo-phan-mem": "Khi mở phần mềm",
    "dong-phan-mem": "Khi đóng phần mềm",
    "thu-cong": "Sao lưu thủ công",
    "truoc-nhap-excel": "Trước khi nhập Excel",
    "truoc-nhap-goi-dong-bo": "Trước khi nhập gói đồng bộ",
    "truoc-nhap-goi-tham-chieu": "Trước khi nhập gói tham chiếu",
    "truoc-khoa-so": "Trước khi khóa sổ cuối năm",  # + "-<năm>" (jobs.year_review)
    "truoc-khoi-phuc": "Trước khi khôi phục",
    "truoc-chuyen-nam": "Trước khi chuyển danh sách sang năm mới",
}
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})(?:-(?P<n>\d+))?-(?P<reason>[a-z][a-z0-9-]*)\.sqlite3$")


class BackupError(Exception):
    """A backup or restore that could not be done; the message is for the user."""


@dataclass(frozen=True)
class BackupInfo:
    """One backup file as the list in Cài đặt → Sao lưu and ``gnbv backups`` show it."""

    path: Path
    created: _dt.datetime
    reason: str
    size: int
    households: int | None  # None: the file could not be read
    commune: str
    schema_version: int

    @property
    def reason_label(self) -> str:
        """The reason as the user reads it; a year closed ("truoc-khoa-so-2026") is named."""
        base, _sep, year = self.reason.rpartition("-")
        if base in REASONS and year.isdigit():
            return f"{REASONS[base]} {year}"
        return REASONS.get(self.reason, self.reason)

    def as_dict(self) -> dict:
        return {
            "file": str(self.path),
            "created": self.created.isoformat(timespec="seconds"),
            "reason": self.reason,
            "reason_label": self.reason_label,
            "size": self.size,
            "households": self.households,
            "commune": self.commune,
            "schema_version": self.schema_version,
        }


def backup_folder(db_path: str | Path) -> Path:
    return Path(db_path).parent / BACKUP_FOLDER


def copy_database(source: sqlite3.Connection, target: Path, *, keep_existing: bool = False) -> Path:
    """Write a consistent, self-contained (rollback-journal mode) copy of ``source`` to ``target``.

    The copy is written to a part file of its own (two programs backing up in the same second
    must not write into one file) and then put in place. With ``keep_existing`` a file that has
    meanwhile appeared under ``target`` is never replaced: the copy takes the next free name
    (``…-2-…``) and that path is returned."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, part_name = tempfile.mkstemp(dir=target.parent, prefix=f"{target.stem}-", suffix=PART_SUFFIX)
    os.close(fd)
    part = Path(part_name)
    try:
        dest = sqlite3.connect(str(part), isolation_level=None)
        try:
            source.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")  # one file, readable from a USB stick
        finally:
            dest.close()
        with open(part, "rb+") as f:
            os.fsync(f.fileno())
        if keep_existing:
            target = _put_in_place(part, target)
        else:
            os.replace(part, target)
    except (OSError, sqlite3.Error) as exc:
        part.unlink(missing_ok=True)
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise BackupError(f"Không ghi được bản sao lưu '{target}': {reason}.") from exc
    return target


def _put_in_place(part: Path, target: Path) -> Path:
    """Give ``part`` the first free name from ``target`` on, atomically (a hard link fails when the
    name is taken); where the disk has no hard links (FAT32 sticks) the name is checked, then taken."""
    while True:
        try:
            os.link(part, target)
        except FileExistsError:
            target = _next_name(target)
            continue
        except OSError:
            if target.exists():
                target = _next_name(target)
                continue
            os.replace(part, target)
            return target
        part.unlink()
        return target


def _next_name(target: Path) -> Path:
    """``x-20260101-120000-thu-cong.sqlite3`` → ``x-20260101-120000-2-thu-cong.sqlite3`` (→ ``-3-`` …)."""
    m = _NAME.match(target.name)
    if m is None:  # not a rotation name: number it before the suffix
        return target.with_name(f"{target.stem}-2{target.suffix}")
    n = int(m.group("n") or 1) + 1
    return target.with_name(f"{m.group('stem')}-{m.group('stamp')}-{n}-{m.group('reason')}.sqlite3")


def _unique_name(folder: Path, stem: str, reason: str, now: _dt.datetime) -> Path:
    stamp = now.strftime("%Y%m%d-%H%M%S")
    target = folder / f"{stem}-{stamp}-{reason}.sqlite3"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{stem}-{stamp}-{n}-{reason}.sqlite3"
    return target


def make_backup(db_path: str | Path, reason: str = "thu-cong", folder: str | Path | None = None,
                now: _dt.datetime | None = None) -> Path:
    """Back up the database file at ``db_path`` into ``folder`` (default: its rotation folder)."""
    db_path = Path(db_path)
    if not db_path.exists() or db_path.stat().st_size == 0:
        raise BackupError(f"Không có tệp dữ liệu để sao lưu: {db_path}")
    rotating = folder is None
    target_folder = backup_folder(db_path) if rotating else Path(folder)
    try:
        target_folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"Không tạo được thư mục sao lưu '{target_folder}': {describe_os_error(exc)}.") from exc
    target = _unique_name(target_folder, db_path.stem, reason, now or _dt.datetime.now())
    try:
        source = connect_read_only(db_path)
    except sqlite3.Error as exc:
        raise BackupError(f"Không đọc được tệp dữ liệu '{db_path}': {exc}.") from exc
    try:
        target = copy_database(source, target, keep_existing=True)
    finally:
        source.close()
    if rotating:
        rotate(db_path, now=now)
    return target


def backup_before(db_path: str | Path, reason: str) -> Path | None:
    """The copy every risky job takes first (import, sync import, reference import, year-end close,
    restore); ``None`` when there is no database yet, so nothing can be lost."""
    db_path = Path(db_path)
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    return make_backup(db_path, reason)


def _parse(path: Path, stem: str) -> tuple[_dt.datetime, str] | None:
    m = _NAME.match(path.name)
    if not m or m.group("stem") != stem:
        return None
    try:
        created = _dt.datetime.strptime(m.group("stamp"), "%Y%m%d-%H%M%S")
    except ValueError:
        return None
    return created + _dt.timedelta(microseconds=int(m.group("n") or 0)), m.group("reason")


def _abandoned(part: Path) -> bool:
    """A part file untouched for an hour was left by a copy cut short; a younger one may be another
    program's backup being written right now."""
    try:
        return _dt.datetime.now().timestamp() - part.stat().st_mtime > PART_ABANDONED_S
    except OSError:
        return False


def _backup_files(folder: Path, stem: str) -> list[tuple[_dt.datetime, str, Path]]:
    """Backups of the database named ``stem`` in ``folder``, newest first."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        parsed = _parse(path, stem) if path.is_file() else None
        if parsed:
            found.append((parsed[0], parsed[1], path))
    return sorted(found, key=lambda f: (f[0], f[2].stat().st_mtime_ns), reverse=True)  # same second: later write first


def rotate(db_path: str | Path, now: _dt.datetime | None = None) -> list[Path]:
    """Keep the last ``KEEP_LAST`` backups and the newest of each of the last ``KEEP_MONTHS`` months;
    delete the others (and ``.part`` leftovers of an interrupted copy). Returns what was deleted."""
    db_path = Path(db_path)
    folder = backup_folder(db_path)
    files = _backup_files(folder, db_path.stem)
    now = now or _dt.datetime.now()
    months = {(now.year * 12 + now.month - 1 - k) for k in range(KEEP_MONTHS)}
    keep = {path for _c, _r, path in files[:KEEP_LAST]}
    seen_months: set[int] = set()
    for created, _reason, path in files:
        month = created.year * 12 + created.month - 1
        if month in months and month not in seen_months:
            seen_months.add(month)
            keep.add(path)
    removed = [path for _c, _r, path in files if path not in keep]
    if folder.is_dir():
        for suffix in (PART_SUFFIX, f"{PART_SUFFIX}-journal"):  # the copy's own rollback journal is left beside it too
            removed += [p for p in folder.glob(f"{db_path.stem}-*{suffix}") if _abandoned(p)]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def describe(path: Path, created: _dt.datetime | None = None, reason: str = "") -> BackupInfo:
    """Read a backup's household count, commune and schema version without changing it."""
    households: int | None = None
    commune = ""
    version = 0
    try:
        conn = connect_read_only(path)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            households = conn.execute("SELECT COUNT(*) FROM households WHERE deleted = 0").fetchone()[0]
            if conn.execute("SELECT value FROM settings WHERE key = 'mode'").fetchone() == ("aggregate",):
                households = conn.execute(
                    "SELECT COUNT(*) FROM sync_records WHERE table_name = 'households' AND deleted = 0"
                ).fetchone()[0]
            row = conn.execute("SELECT value FROM settings WHERE key = 'commune_name'").fetchone()
            commune = row[0] if row else ""
        finally:
            conn.close()
    except sqlite3.Error:
        households = None
    stat = path.stat()
    return BackupInfo(path, created or _dt.datetime.fromtimestamp(stat.st_mtime), reason, stat.st_size,
                      households, commune, version)


def list_backups(db_path: str | Path) -> list[BackupInfo]:
    """The rotation folder's backups of this database, newest first."""
    db_path = Path(db_path)
    return [describe(path, created.replace(microsecond=0), reason)
            for created, reason, path in _backup_files(backup_folder(db_path), db_path.stem)]


def latest_good_backup(db_path: str | Path) -> BackupInfo | None:
    """The newest backup that passes the quick check (offered when the database is damaged)."""
    for info in list_backups(db_path):
        try:
            if info.households is not None and not full_check(info.path):
                return info
        except NotADatabase:
            continue
    return None


def check_backup(path: str | Path) -> None:
    """Refuse a file that would not make a usable database: damaged, foreign or from a newer version.

    The full integrity check (not the quick one used at every open): a damaged index passes the
    quick check, and a restore must never bring damage back."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"Không tìm thấy tệp sao lưu: {path}")
    try:
        findings = full_check(path)
    except NotADatabase as exc:
        raise BackupError(f"Tệp '{path.name}' không phải bản sao lưu GNBV ({exc}).") from exc
    if findings:
        raise BackupError(f"Bản sao lưu '{path.name}' bị hỏng ({findings[0]}); hãy chọn bản khác.")
    info = describe(path)
    if info.households is None or info.schema_version < 1:
        raise BackupError(f"Tệp '{path.name}' không phải bản sao lưu dữ liệu GNBV.")
    if info.schema_version > migrations.LATEST_VERSION:
        raise BackupError(f"Bản sao lưu '{path.name}' được tạo bởi phiên bản GNBV Desktop mới hơn; hãy cập nhật phần mềm.")


def restore(db_path: str | Path, backup: str | Path, *, current_damaged: bool = False) -> Path | None:
    """Replace the database's content with ``backup``; returns the copy taken of the current state.

    The current state is backed up first (a damaged file is copied byte for byte under a
    ``…-hong`` name instead, since SQLite cannot read it reliably). A sound file is restored in
    place through the backup API, so an open connection (the window) sees the restored data; a
    damaged one is replaced whole, since its own pages cannot be trusted.
    """
    db_path, backup = Path(db_path), Path(backup)
    check_backup(backup)
    if backup.resolve() == db_path.resolve():
        raise BackupError("Không thể khôi phục một tệp vào chính nó.")
    exists = db_path.exists() and db_path.stat().st_size > 0
    if exists and not current_damaged and _kind(backup) != _kind(db_path):
        raise BackupError(
            f"Bản sao lưu '{backup.name}' là {_KIND_LABELS[_kind(backup)]}, còn tệp '{db_path.name}' là "
            f"{_KIND_LABELS[_kind(db_path)]}; không khôi phục để khỏi lẫn hai loại dữ liệu. Nếu cần xem bản sao lưu này, "
            "hãy khôi phục vào một tệp mới (gnbv --db TỆP_MỚI restore …)."
        )
    identity = _identity_of(db_path) if exists else None
    safety = None
    if exists and current_damaged:
        safety = _keep_damaged(db_path)
    elif exists:
        safety = make_backup(db_path, "truoc-khoi-phuc")
    source = connect_read_only(backup)
    try:
        if exists and not current_damaged:
            dest = sqlite3.connect(str(db_path), isolation_level=None, timeout=30)
            try:
                source.backup(dest)
                dest.execute("PRAGMA journal_mode = WAL")
            finally:
                dest.close()
        else:
            part = db_path.with_name(db_path.name + ".restoring")
            copy_database(source, part)
            for suffix in ("-wal", "-shm"):
                Path(str(db_path) + suffix).unlink(missing_ok=True)
            os.replace(part, db_path)
    except sqlite3.Error as exc:
        raise BackupError(f"Không khôi phục được từ '{backup.name}': {exc}. Dữ liệu hiện tại đã được sao lưu.") from exc
    finally:
        source.close()
    db = open_database(db_path)  # a backup from an older version is upgraded at once
    try:
        if identity is not None:
            with db.atomic():  # the restored file must not issue sync package numbers it issued before
                keep_identity(db, identity)
    finally:
        db.close()
    return safety


def _identity_of(db_path: Path) -> SavedIdentity | None:
    """The current file's installation identity and highest sync package number, read before a
    restore replaces it (None for a file SQLite cannot read)."""
    try:
        conn = connect_read_only(db_path)
    except sqlite3.Error:
        return None
    try:
        return read_saved_identity(conn)
    except sqlite3.Error:
        return None
    finally:
        conn.close()


_KIND_LABELS = {"aggregate": "dữ liệu tổng hợp của cấp trên", "commune": "dữ liệu của một xã"}


def _kind(path: Path) -> str:
    """"aggregate" for an upper level's database, else "commune" (read without opening it for writing)."""
    conn = connect_read_only(path)
    try:
        row = conn.execute("SELECT value FROM settings WHERE key = 'mode'").fetchone()
    except sqlite3.Error:
        row = None
    finally:
        conn.close()
    return "aggregate" if row and row[0] == MODE_AGGREGATE else "commune"


def backup_before_job(db: Database, reason: str) -> Path | None:
    """``backup_before`` for a job that holds only its connection: the file is asked of SQLite."""
    if db.conn.in_transaction:
        raise BackupError("Không sao lưu được khi đang ghi dữ liệu.")
    if is_read_only(db):  # the job would write a file it may not write: say that, not why the copy failed
        raise BackupError(READ_ONLY_WRITE_MESSAGE)
    row = next((r for r in db.execute("PRAGMA database_list").fetchall() if r[1] == "main"), None)
    return backup_before(row[2], reason) if row and row[2] else None


def _keep_damaged(db_path: Path) -> Path:
    folder = backup_folder(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"{db_path.stem}-hong-{stamp}{db_path.suffix}"
    for suffix in ("", "-wal"):
        src = Path(str(db_path) + suffix)
        if src.exists() and src.stat().st_size:
            Path(str(target) + suffix).write_bytes(src.read_bytes())
    return target


def backed_up_today(db_path: str | Path, reason: str, today: _dt.date | None = None) -> bool:
    db_path = Path(db_path)
    today = today or _dt.date.today()
    return any(c.date() == today and r == reason for c, r, _p in _backup_files(backup_folder(db_path), db_path.stem))
