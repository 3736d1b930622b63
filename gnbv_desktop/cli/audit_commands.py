"""``gnbv audit``: the audit trail on screen, as JSON, or as an XLSX file."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from gnbv_desktop.cli.context import CliContext, CliError, output_path, print_json
from gnbv_desktop.core.file_errors import describe_os_error
from gnbv_desktop.core.text import format_number
from gnbv_desktop.store.audit import entries, readable


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("audit", help="lịch sử thay đổi dữ liệu (ai, khi nào, thay đổi gì)")
    p.add_argument("--household", metavar="MÃ_HỘ", help="chỉ các thay đổi của một hộ")
    p.add_argument("--limit", type=int, default=None, help="chỉ N thay đổi gần nhất")
    p.add_argument("--out", metavar="TỆP.xlsx", help="xuất ra tệp Excel")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_audit)


def cmd_audit(args: argparse.Namespace, ctx: CliContext) -> int:
    db = ctx.db
    household_id = None
    title = "Lịch sử thay đổi dữ liệu"
    if args.household:
        row = db.execute("SELECT id, head_name FROM households WHERE code = ?", [args.household.strip()]).fetchone()
        if row is None:
            raise CliError(f"Không có hộ mã '{args.household}'.")
        household_id = row[0]
        title = f"Lịch sử thay đổi của hộ {args.household.strip()} — {row[1]}"
    found = entries(db, household_id, args.limit)
    if args.out:
        output_path(args.out, suffix=".xlsx")
        from gnbv_desktop.io.audit_xlsx import write_audit_xlsx

        try:
            n = write_audit_xlsx(found, args.out, title)
        except OSError as exc:
            raise CliError(f"Không ghi được tệp '{args.out}': {describe_os_error(exc)}.") from exc
        print(f"Đã xuất {format_number(n)} thay đổi ra {args.out}.")
        return 0
    if args.json:
        print_json([asdict(e) for e in found])
        return 0
    if not found:
        print("Chưa có thay đổi nào được ghi lại.")
    for e in found:
        change = f"{e.field_label}: {readable(e.old_value)} → {readable(e.new_value)}" if e.action == "update" else (
            readable(e.new_value or e.old_value))
        print(f"{e.when}\t{e.user} ({e.source})\t{e.what}\t{change}")
    return 0
