"""Backup commands: copy, list, restore, and the full integrity check.

None of them opens the database through ``ctx.db``: they must work on a damaged file (check,
restore, list) and never upgrade or write the file they inspect.
"""

from __future__ import annotations

import argparse

from gnbv_desktop.cli.context import CliContext, CliError, print_json
from gnbv_desktop.core.text import format_number
from gnbv_desktop.store.accounts import ADMIN, has_accounts
from gnbv_desktop.store.backup import BackupError, list_backups, make_backup, restore
from gnbv_desktop.store.integrity import NotADatabase, findings_text, full_check, quick_check


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("backup", help="sao lưu dữ liệu (mặc định vào thư mục sao lưu tự động)")
    p.add_argument("folder", nargs="?", metavar="THƯ_MỤC", help="thư mục đích, ví dụ ổ USB")
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser("backups", help="danh sách các bản sao lưu tự động")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_backups)

    p = sub.add_parser("restore", help="khôi phục dữ liệu từ một bản sao lưu (sao lưu dữ liệu hiện tại trước)")
    p.add_argument("file", metavar="TỆP")
    p.set_defaults(handler=cmd_restore, creates_db=True)

    p = sub.add_parser("check", help="kiểm tra toàn vẹn tệp dữ liệu (mã thoát 1 nếu có lỗi)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_check)


def _existing(ctx: CliContext) -> None:
    if not ctx.db_path.exists() or ctx.db_path.stat().st_size == 0:
        raise CliError(f"Không tìm thấy tệp dữ liệu: {ctx.db_path}")


def _damage(ctx: CliContext) -> list[str]:
    try:
        return quick_check(ctx.db_path)
    except NotADatabase as exc:
        return [str(exc)]


def cmd_backup(args: argparse.Namespace, ctx: CliContext) -> int:
    _existing(ctx)
    findings = _damage(ctx)
    if findings:
        raise CliError(f"Tệp dữ liệu '{ctx.db_path}' bị hỏng, không sao lưu:\n{findings_text(findings)}")
    try:
        target = make_backup(ctx.db_path, "thu-cong", folder=args.folder)
    except BackupError as exc:
        raise CliError(str(exc)) from exc
    print(f"Đã sao lưu vào {target} ({format_number(target.stat().st_size)} byte).")
    return 0


def cmd_backups(args: argparse.Namespace, ctx: CliContext) -> int:
    backups = list_backups(ctx.db_path)
    if args.json:
        print_json([b.as_dict() for b in backups])
        return 0
    if not backups:
        print("Chưa có bản sao lưu nào.")
    for b in backups:
        households = "không đọc được" if b.households is None else f"{format_number(b.households)} hộ"
        print(f"{b.created:%d/%m/%Y %H:%M:%S}\t{b.reason_label}\t{format_number(b.size)} byte\t{households}\t{b.path}")
    return 0


def cmd_restore(args: argparse.Namespace, ctx: CliContext) -> int:
    exists = ctx.db_path.exists() and ctx.db_path.stat().st_size > 0
    damaged = exists and bool(_damage(ctx))
    if exists and not damaged and has_accounts(ctx.db):  # a damaged file's accounts cannot be read
        if ctx.account is None or ctx.account.role != ADMIN:
            raise CliError("Chỉ tài khoản quản trị mới khôi phục được dữ liệu.")
        ctx.close()
    try:
        safety = restore(ctx.db_path, args.file, current_damaged=damaged)
    except BackupError as exc:
        raise CliError(str(exc)) from exc
    print(f"Đã khôi phục {ctx.db_path} từ {args.file}.")
    if safety:
        print(f"Dữ liệu trước khi khôi phục được giữ tại {safety}.")
    return 0


def cmd_check(args: argparse.Namespace, ctx: CliContext) -> int:
    _existing(ctx)
    try:
        findings = full_check(ctx.db_path)
    except NotADatabase as exc:
        findings = [f"không phải cơ sở dữ liệu ({exc})"]
    if args.json:
        print_json({"file": str(ctx.db_path), "ok": not findings, "findings": findings})
    elif findings:
        print(f"Tệp {ctx.db_path} có {format_number(len(findings))} lỗi:\n{findings_text(findings)}")
    else:
        print(f"Tệp {ctx.db_path} không có lỗi (kiểm tra toàn vẹn và khóa ngoại).")
    return 1 if findings else 0
