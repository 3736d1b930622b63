"""Personal data requests: ``household-data`` (everything about one household) and ``household-erase``."""

from __future__ import annotations

import argparse

from gnbv_desktop.cli.context import CliContext, CliError, output_path
from gnbv_desktop.core.file_errors import describe_os_error
from gnbv_desktop.core.text import format_number


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("household-data", help="xuất mọi dữ liệu đang lưu về một hộ (yêu cầu về dữ liệu cá nhân)")
    p.add_argument("code", metavar="MÃ_HỘ")
    p.add_argument("--out", required=True, metavar="TỆP.xlsx")
    p.set_defaults(handler=cmd_household_data)

    p = sub.add_parser("household-erase",
                       help="xóa vĩnh viễn một hộ đã xóa, kể cả lịch sử thay đổi (quản trị xác nhận)")
    p.add_argument("code", metavar="MÃ_HỘ")
    p.add_argument("--yes", action="store_true", help="xác nhận xóa vĩnh viễn, không hoàn tác được")
    p.set_defaults(handler=cmd_household_erase)


def cmd_household_data(args: argparse.Namespace, ctx: CliContext) -> int:
    output_path(args.out, suffix=".xlsx")
    from gnbv_desktop.io.household_data_xlsx import write_household_data
    from gnbv_desktop.store.personal_data import EraseError, household_data

    try:
        data = household_data(ctx.db, args.code)
        n = write_household_data(data, args.out)
    except EraseError as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:
        raise CliError(f"Không ghi được tệp '{args.out}': {describe_os_error(exc)}.") from exc
    print(f"Đã xuất {format_number(n)} dòng dữ liệu của hộ {data.code} ({data.head_name}) ra {args.out}.")
    return 0


def cmd_household_erase(args: argparse.Namespace, ctx: CliContext) -> int:
    from gnbv_desktop.store.personal_data import EraseError, erase_household

    if not args.yes:
        raise CliError("Xóa vĩnh viễn không hoàn tác được; thêm --yes để xác nhận.")
    try:
        counts = erase_household(ctx.db, args.code, ctx.account)
    except EraseError as exc:
        raise CliError(str(exc)) from exc
    print(f"Đã xóa vĩnh viễn hộ {args.code.strip()} ({format_number(sum(counts.values()))} dòng, kể cả lịch sử thay đổi). "
          "Các bản sao lưu cũ vẫn còn dữ liệu này cho đến khi được xoay vòng.")
    return 0
