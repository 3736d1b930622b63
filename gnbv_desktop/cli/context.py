"""What every CLI command shares: the database it works on (opened lazily), the standards in
force there, and the error type."""

from __future__ import annotations

import getpass
import json
import os
import sys
from pathlib import Path

from sqlite_utils import Database

from gnbv_desktop.core.standard_set import StandardSet, shipped_standards
from gnbv_desktop.paths import default_db_path
from gnbv_desktop.store.accounts import Account, AccountError, has_accounts, login
from gnbv_desktop.store.audit import SOURCE_CLI, start_session
from gnbv_desktop.store.database import DatabaseError, open_database
from gnbv_desktop.store.read_only import READ_ONLY_FILE_NOTICE, is_read_only
from gnbv_desktop.store.standard_store import standards_in_force


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


def output_path(value: str, *, suffix: str | None = None) -> Path:
    """The file a command is asked to write, checked before any work: its folder must exist (a
    mistyped folder never silently becomes a new one — the official would not find the file where
    they looked), it must not be a folder itself, and with ``suffix`` it must end so."""
    path = Path(value)
    if not value.strip():
        raise CliError("Chưa cho tên tệp kết quả.")
    if suffix and path.suffix.lower() != suffix:
        raise CliError(f"Tên tệp xuất phải có đuôi {suffix}.")
    folder = path.parent
    if not folder.is_dir():
        raise CliError(f"Không tìm thấy thư mục '{folder}' để ghi tệp '{path.name}'; phần mềm không tự tạo thư mục. "
                       "Hãy tạo thư mục đó trước hoặc chọn một thư mục khác.")
    if path.is_dir():
        raise CliError(f"'{path}' là một thư mục; hãy cho tên tệp cần ghi.")
    return path


class CliContext:
    """The database a command works on.

    Only the commands that start a database (``init``, ``demo``, ``sync-import``: they declare
    ``creates_db``) may create the file; every other command refuses a missing file instead of
    leaving an empty database (and its folders) behind a mistyped ``--db``.
    """

    def __init__(self, db_path: str | None, user: str | None = None, password_file: str | None = None, *,
                 may_create: bool = False):
        self.explicit = db_path is not None or bool(os.environ.get("GNBV_DB"))
        self.given_as = "--db" if db_path is not None else "GNBV_DB"
        self.db_path = Path(db_path) if db_path else default_db_path()
        self.blank = db_path is not None and not db_path.strip()
        self.may_create = may_create
        self._db: Database | None = None
        self.user = user
        self.password_file = password_file
        self.account: Account | None = None
        self._warned = False

    @property
    def exists(self) -> bool:
        return self.db_path.is_file() and self.db_path.stat().st_size > 0

    def check_path(self) -> None:
        """Refuse, before anything is written, a path the command cannot use."""
        if self.blank:
            raise CliError("Đường dẫn sau --db đang trống.")
        if self.exists:
            return
        if self.db_path.is_dir():
            raise CliError(f"'{self.db_path}' là một thư mục, không phải tệp dữ liệu.")
        if not self.may_create:
            if self.explicit:
                raise CliError(f"Không tìm thấy tệp dữ liệu '{self.db_path}'. Kiểm tra lại đường dẫn {self.given_as} "
                               "(tệp mới chỉ được tạo bởi các lệnh init, demo, sync-import).")
            return  # the default file: commands that need data say so when they open it
        if self.explicit and not self.db_path.parent.is_dir():
            raise CliError(f"Không tìm thấy thư mục '{self.db_path.parent}' để tạo tệp dữ liệu '{self.db_path.name}'.")

    @property
    def db(self) -> Database:
        """The database, opened on first use."""
        if self._db is None:
            if not self.exists and not self.may_create:
                raise CliError(f"Không tìm thấy tệp dữ liệu '{self.db_path}'. Mở phần mềm hoặc chạy 'gnbv --db TỆP init …' "
                               "để khai báo xã trước.")
            try:
                self._db = open_database(self.db_path)
            except DatabaseError as exc:
                raise CliError(str(exc)) from exc
            if is_read_only(self._db):
                print(f"Lưu ý: {READ_ONLY_FILE_NOTICE.format(name=self.db_path)}", file=sys.stderr)
            try:
                self._login(self._db)
            except CliError:
                self.close()
                raise
            self._warn_unusable_standards()
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

    @property
    def standards(self) -> StandardSet:
        """The standards in force: those of the database (shipped plus received from the upper
        level) when a database file exists, else the shipped ones — no file is created for this."""
        if self._db is None and not self.exists:
            return shipped_standards()
        return standards_in_force(self.db)

    def _warn_unusable_standards(self) -> None:
        """Received standards that cannot be used never stop a command; say so once, on stderr."""
        warning = standards_in_force(self._db).warning if self._db is not None else ""
        if warning and not self._warned:
            self._warned = True
            print(f"Cảnh báo: {warning}", file=sys.stderr)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
