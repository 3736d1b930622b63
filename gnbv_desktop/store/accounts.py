"""Accounts and roles: quản trị, nhập liệu, chỉ xem — salted scrypt hashes, lockout after failures.

Accounts are optional: a database without any works as before (the OS login is written in the
audit trail). Once one exists, the GUI and the CLI ask who is working, write that name into the
audit trail, and a "chỉ xem" session cannot write: triggers on every audited table refuse
inserts, updates and deletes while ``audit_session.role`` says so — whatever code path (page,
job worker, CLI command) tries it.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gnbv_desktop.store.read_only import is_read_only
from gnbv_desktop.store.tables import table_exists

if TYPE_CHECKING:
    from sqlite_utils import Database

ADMIN = "quan-tri"
EDITOR = "nhap-lieu"
VIEWER = "chi-xem"
ROLES = {ADMIN: "Quản trị", EDITOR: "Nhập liệu", VIEWER: "Chỉ xem"}
MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD = 8
READ_ONLY_MESSAGE = "Tài khoản chỉ xem không được thay đổi dữ liệu"
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}

SCHEMA = f"""
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    full_name TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL CHECK (role IN ('{ADMIN}', '{EDITOR}', '{VIEWER}')),
    password_hash TEXT NOT NULL,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime'))
);
"""


class AccountError(Exception):
    """A refused login or account change; the message is for the user."""


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    full_name: str
    role: str
    locked_until: str

    @property
    def role_label(self) -> str:
        return ROLES[self.role]


def hash_password(password: str, salt: bytes | None = None) -> str:
    # hashlib, hmac and secrets are imported where passwords are checked: every start of the app
    # imports this module (has_accounts), few starts check a password.
    import hashlib
    import secrets

    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${digest.hex()}"


def password_matches(password: str, stored: str) -> bool:
    import hashlib
    import hmac

    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        got = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                             dklen=len(bytes.fromhex(digest)))
    except ValueError:
        return False
    return hmac.compare_digest(got, bytes.fromhex(digest))


def has_accounts(db: Database) -> bool:
    return table_exists(db, "accounts") and db.execute("SELECT 1 FROM accounts LIMIT 1").fetchone() is not None


def _account(row) -> Account:
    return Account(*row)


def list_accounts(db: Database) -> list[Account]:
    return [_account(r) for r in db.execute(
        "SELECT id, username, full_name, role, locked_until FROM accounts ORDER BY username").fetchall()]


def get_account(db: Database, username: str) -> Account | None:
    row = db.execute("SELECT id, username, full_name, role, locked_until FROM accounts WHERE username = ?",
                     [username.strip()]).fetchone()
    return _account(row) if row else None


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự.")


def create_account(db: Database, by: Account | None, username: str, role: str, password: str, full_name: str = "") -> Account:
    """The first account is created by anyone and must be a quản trị; later ones only by a quản trị."""
    username = username.strip()
    if not username or any(c.isspace() for c in username):
        raise AccountError("Tên đăng nhập không được trống hay chứa khoảng trắng.")
    if role not in ROLES:
        raise AccountError(f"Vai trò '{role}' không có; chọn một trong: {', '.join(ROLES)}.")
    _check_password(password)
    if has_accounts(db):
        require_admin(by)
    elif role != ADMIN:
        raise AccountError("Tài khoản đầu tiên phải là quản trị.")
    if get_account(db, username):
        raise AccountError(f"Tên đăng nhập '{username}' đã có.")
    with db.atomic():
        db.execute("INSERT INTO accounts (username, full_name, role, password_hash) VALUES (?, ?, ?, ?)",
                   [username, full_name.strip(), role, hash_password(password)])
    return get_account(db, username)


def require_admin(by: Account | None) -> None:
    if by is None or by.role != ADMIN:
        raise AccountError("Chỉ tài khoản quản trị mới làm được việc này.")


def set_role(db: Database, by: Account | None, username: str, role: str) -> Account:
    require_admin(by)
    target = _existing(db, username)
    if role not in ROLES:
        raise AccountError(f"Vai trò '{role}' không có; chọn một trong: {', '.join(ROLES)}.")
    if target.role == ADMIN and role != ADMIN and _admins(db) == 1:
        raise AccountError("Phải còn ít nhất một tài khoản quản trị.")
    db.execute("UPDATE accounts SET role = ? WHERE id = ?", [role, target.id])
    return _existing(db, username)


def reset_password(db: Database, by: Account | None, username: str, password: str) -> None:
    """A quản trị sets a new password (and lifts a lockout)."""
    require_admin(by)
    target = _existing(db, username)
    _check_password(password)
    db.execute("UPDATE accounts SET password_hash = ?, failed_attempts = 0, locked_until = '' WHERE id = ?",
               [hash_password(password), target.id])


def _existing(db: Database, username: str) -> Account:
    account = get_account(db, username)
    if account is None:
        raise AccountError(f"Không có tài khoản '{username}'.")
    return account


def _admins(db: Database) -> int:
    return db.execute("SELECT COUNT(*) FROM accounts WHERE role = ?", [ADMIN]).fetchone()[0]


def login(db: Database, username: str, password: str, now: _dt.datetime | None = None) -> Account:
    """Check the password; ``MAX_FAILURES`` wrong ones in a row lock the account for ``LOCK_MINUTES``."""
    now = now or _dt.datetime.now()
    row = db.execute("SELECT id, password_hash, failed_attempts, locked_until FROM accounts WHERE username = ?",
                     [username.strip()]).fetchone()
    if row is None:
        raise AccountError("Sai tên đăng nhập hoặc mật khẩu.")
    account_id, stored, failures, locked_until = row
    if locked_until and locked_until > now.isoformat(timespec="seconds"):
        until = _dt.datetime.fromisoformat(locked_until)
        raise AccountError(f"Tài khoản bị khóa do nhập sai mật khẩu nhiều lần; thử lại sau {until:%H:%M} "
                           "hoặc nhờ quản trị đặt lại mật khẩu.")
    # A read-only file cannot count failures: the password is checked, nothing is recorded.
    record = not is_read_only(db)
    if not password_matches(password, stored):
        failures += 1
        lock = (now + _dt.timedelta(minutes=LOCK_MINUTES)).isoformat(timespec="seconds") if failures >= MAX_FAILURES else ""
        if record:
            db.execute("UPDATE accounts SET failed_attempts = ?, locked_until = ? WHERE id = ?",
                       [0 if lock else failures, lock, account_id])
        if lock and record:
            raise AccountError(f"Sai mật khẩu {MAX_FAILURES} lần: tài khoản bị khóa {LOCK_MINUTES} phút.")
        raise AccountError("Sai tên đăng nhập hoặc mật khẩu.")
    if record:
        db.execute("UPDATE accounts SET failed_attempts = 0, locked_until = '' WHERE id = ?", [account_id])
    return _existing(db, username)
