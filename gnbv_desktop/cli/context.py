"""What every CLI command shares: the database it works on, opened lazily, and error type."""

from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path

from sqlite_utils import Database

from gnbv_desktop.paths import default_db_path
from gnbv_desktop.store.accounts import Account, AccountError, has_accounts, login
from gnbv_desktop.store.audit import SOURCE_CLI, start_session
from gnbv_desktop.store.database import DatabaseError, open_database
from gnbv_desktop.store.reference import use_received_standards


class CliError(Exception):
    """Invalid input or data: printed on stderr in Vietnamese, exit status 1."""


def read_secret(path: str | None, prompt: str = "Mật khẩu: ") -> str:
    """A password from a file (first line) or typed at a prompt without echo."""
    if path:
        try:
            secret = Path(path).read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as exc:
            raise CliError(f"Không đọc được tệp mật khẩu '{path}': {exc.strerror or exc}.") from exc
        if not secret:
            raise CliError(f"Tệp mật khẩu '{path}' trống.")
        return secret
    try:
        return getpass.getpass(prompt)
    except (EOFError, KeyboardInterrupt) as exc:
        raise CliError("Chưa nhập mật khẩu.") from exc


class CliContext:
    def __init__(self, db_path: str | None, user: str | None = None, password_file: str | None = None):
        self.db_path = Path(db_path) if db_path else default_db_path()
        self._db: Database | None = None
        self.user = user
        self.password_file = password_file
        self.account: Account | None = None

    @property
    def db(self) -> Database:
        """The database, opened on first use; the standards it received from the upper level are
        installed then, so every command classifies with them."""
        if self._db is None:
            try:
                self._db = open_database(self.db_path)
            except DatabaseError as exc:
                raise CliError(str(exc)) from exc
            try:
                self._login(self._db)
            except CliError:
                self.close()
                raise
            use_received_standards(self._db)
        return self._db

    def _login(self, db: Database) -> None:
        """With accounts, every command that opens the data names its user (``--user``)."""
        if not has_accounts(db):
            start_session(db, SOURCE_CLI)
            return
        if not self.user:
            raise CliError("Dữ liệu này dùng tài khoản: hãy đăng nhập bằng --user TÊN "
                           "(mật khẩu được hỏi khi chạy, hoặc --user-password-file TỆP).")
        try:
            self.account = login(db, self.user, read_secret(self.password_file))
        except AccountError as exc:
            raise CliError(str(exc)) from exc
        start_session(db, SOURCE_CLI, self.account.username, self.account.role)

    def use_database_standards(self) -> None:
        """For commands that need only the standards: install the ones the database received,
        when a database file exists (without creating one)."""
        if self.db_path.exists() and self.db_path.stat().st_size > 0:
            _ = self.db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
