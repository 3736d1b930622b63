"""The ``gnbv`` command: headless access to the same rules, storage and jobs as the GUI.

Each command group lives in its own module exposing ``register(subparsers)``; a command's
handler takes ``(args, ctx)`` and returns the exit status: 0 success, 1 invalid input or data
(message on stderr, nothing changed), 2 usage error (argparse).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from collections.abc import Sequence

from gnbv_desktop import __version__
from gnbv_desktop.cli import (
    account_commands,
    argparse_vi,
    audit_commands,
    backup_commands,
    excel_commands,
    plan_commands,
    privacy_commands,
    registry_commands,
    sync_commands,
    year_commands,
)
from gnbv_desktop.cli.context import CliContext, CliError
from gnbv_desktop.cli.examples import EXAMPLES
from gnbv_desktop.io.partial_files import remove_leftovers
from gnbv_desktop.store.accounts import READ_ONLY_MESSAGE
from gnbv_desktop.store.backup import BackupError
from gnbv_desktop.store.database import describe_failure

COMMAND_MODULES = [registry_commands, excel_commands, sync_commands, plan_commands, backup_commands, audit_commands,
                   account_commands, privacy_commands, year_commands]


def build_parser() -> argparse.ArgumentParser:
    argparse_vi.install()
    parser = argparse.ArgumentParser(
        prog="gnbv",
        description="GNBV Desktop — quản lý hộ nghèo, hộ cận nghèo và kế hoạch hỗ trợ (dòng lệnh).",
        epilog="Ví dụ:\n" + EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"GNBV Desktop {__version__}")
    parser.add_argument("--db", metavar="PATH", help="tệp cơ sở dữ liệu (mặc định: thư mục dữ liệu người dùng hoặc GNBV_DB)")
    parser.add_argument("--user", metavar="TÊN", help="tên đăng nhập, khi dữ liệu dùng tài khoản")
    parser.add_argument("--user-password-file", dest="login_password_file", metavar="TỆP",
                        help="tệp chứa mật khẩu đăng nhập (mặc định: hỏi khi chạy)")
    sub = parser.add_subparsers(dest="command", metavar="LỆNH")
    sub.required = True
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    remove_leftovers()
    # Commands that start a database declare it with set_defaults(creates_db=True).
    ctx = CliContext(args.db, args.user, args.login_password_file, may_create=getattr(args, "creates_db", False))
    try:
        ctx.check_path()
        return int(args.handler(args, ctx) or 0)
    except (CliError, BackupError) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 1
    except sqlite3.IntegrityError as exc:  # a "chỉ xem" session's write stopped by the role triggers
        if READ_ONLY_MESSAGE not in str(exc):
            raise
        print(f"Lỗi: {READ_ONLY_MESSAGE}; không có gì thay đổi.", file=sys.stderr)
        return 1
    except BrokenPipeError:
        _silence_closed_stdout()
        return 1
    except (sqlite3.Error, OSError) as exc:  # busy, read-only, full disk: said in Vietnamese, exit 1
        message = describe_failure(exc)
        if message is None and isinstance(exc, sqlite3.OperationalError):
            message = (f"không đọc/ghi được tệp dữ liệu '{ctx.db_path}' ({exc}); không có gì thay đổi. "
                       "Nếu phần mềm đang mở tệp này và đang chạy một việc dài, hãy chờ xong rồi thử lại.")
        if message is None:
            raise
        print(f"Lỗi: {message}", file=sys.stderr)
        return 1
    finally:
        ctx.close()


def _silence_closed_stdout() -> None:
    """``gnbv list … | head``: the reader left; end without a traceback, also at interpreter exit
    when Python flushes stdout again (the recipe of the ``signal`` module's documentation)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
