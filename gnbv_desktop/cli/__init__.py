"""The ``gnbv`` command: headless access to the same rules, storage and jobs as the GUI.

Each command group lives in its own module exposing ``register(subparsers)``; a command's
handler takes ``(args, ctx)`` and returns the exit status: 0 success, 1 invalid input or data
(message on stderr, nothing changed), 2 usage error (argparse).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from gnbv_desktop import __version__
from gnbv_desktop.cli import excel_commands, plan_commands, registry_commands, sync_commands, year_commands
from gnbv_desktop.cli.context import CliContext, CliError

COMMAND_MODULES = [registry_commands, excel_commands, sync_commands, plan_commands, year_commands]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gnbv",
        description="GNBV Desktop — quản lý hộ nghèo, hộ cận nghèo và kế hoạch hỗ trợ (dòng lệnh).",
    )
    parser.add_argument("--version", action="version", version=f"GNBV Desktop {__version__}")
    parser.add_argument("--db", metavar="PATH", help="tệp cơ sở dữ liệu (mặc định: thư mục dữ liệu người dùng hoặc GNBV_DB)")
    sub = parser.add_subparsers(dest="command", metavar="LỆNH")
    sub.required = True
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    ctx = CliContext(args.db)
    try:
        return int(args.handler(args, ctx) or 0)
    except CliError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 1
    finally:
        ctx.close()
