"""Account commands: add, list, change a role, reset a password (a quản trị's work once accounts exist)."""

from __future__ import annotations

import argparse

from gnbv_desktop.cli.context import CliContext, CliError, print_json, read_secret
from gnbv_desktop.core.text import format_date_time
from gnbv_desktop.store.accounts import ROLES, AccountError, create_account, has_accounts, list_accounts, reset_password, set_role


def register(sub: argparse._SubParsersAction) -> None:
    roles = ", ".join(f"{k} ({v})" for k, v in ROLES.items())
    p = sub.add_parser("account-add", help="tạo tài khoản (tài khoản đầu tiên phải là quản trị)")
    p.add_argument("username", metavar="TÊN")
    p.add_argument("--role", required=True, choices=list(ROLES), help=f"vai trò: {roles}")
    p.add_argument("--full-name", default="", help="họ tên người dùng")
    p.add_argument("--new-password-file", metavar="TỆP", help="tệp chứa mật khẩu của tài khoản mới (mặc định: hỏi)")
    p.set_defaults(handler=cmd_account_add)

    p = sub.add_parser("accounts", help="danh sách tài khoản")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_accounts)

    p = sub.add_parser("account-role", help="đổi vai trò của một tài khoản (quản trị)")
    p.add_argument("username", metavar="TÊN")
    p.add_argument("role", choices=list(ROLES), metavar="VAI_TRÒ", help=roles)
    p.set_defaults(handler=cmd_account_role)

    p = sub.add_parser("account-password", help="đặt lại mật khẩu và mở khóa một tài khoản (quản trị)")
    p.add_argument("username", metavar="TÊN")
    p.add_argument("--new-password-file", metavar="TỆP")
    p.set_defaults(handler=cmd_account_password)


def _new_password(path: str | None) -> str:
    if path:
        return read_secret(path)
    first = read_secret(None, "Mật khẩu mới: ")
    if read_secret(None, "Nhập lại mật khẩu mới: ") != first:
        raise CliError("Hai lần nhập mật khẩu không khớp.")
    return first


def cmd_account_add(args: argparse.Namespace, ctx: CliContext) -> int:
    db = ctx.db
    if has_accounts(db) and ctx.account is None:
        raise CliError("Hãy đăng nhập bằng tài khoản quản trị (--user).")
    try:
        account = create_account(db, ctx.account, args.username, args.role, _new_password(args.new_password_file),
                                 args.full_name)
    except AccountError as exc:
        raise CliError(str(exc)) from exc
    print(f"Đã tạo tài khoản {account.username} ({account.role_label}).")
    return 0


def cmd_accounts(args: argparse.Namespace, ctx: CliContext) -> int:
    accounts = list_accounts(ctx.db)
    if args.json:
        print_json([{"username": a.username, "full_name": a.full_name, "role": a.role, "locked_until": a.locked_until}
                    for a in accounts])
        return 0
    if not accounts:
        print("Chưa có tài khoản nào: dữ liệu mở không cần đăng nhập.")
    for a in accounts:
        locked = f"\tkhóa đến {format_date_time(a.locked_until)}" if a.locked_until else ""
        print(f"{a.username}\t{a.full_name}\t{a.role_label}{locked}")
    return 0


def cmd_account_role(args: argparse.Namespace, ctx: CliContext) -> int:
    try:
        account = set_role(ctx.db, ctx.account, args.username, args.role)
    except AccountError as exc:
        raise CliError(str(exc)) from exc
    print(f"Tài khoản {account.username} nay có vai trò {account.role_label}.")
    return 0


def cmd_account_password(args: argparse.Namespace, ctx: CliContext) -> int:
    db = ctx.db
    try:
        reset_password(db, ctx.account, args.username, _new_password(args.new_password_file))
    except AccountError as exc:
        raise CliError(str(exc)) from exc
    print(f"Đã đặt lại mật khẩu cho {args.username}.")
    return 0
