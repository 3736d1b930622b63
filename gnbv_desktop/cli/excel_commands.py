"""Commands for Excel lists: ``import-excel`` (with preview, dry run, templates) and ``export-excel``."""

from __future__ import annotations

import argparse
import sys

from gnbv_desktop.cli.context import CliContext, CliError, output_path
from gnbv_desktop.cli.registry_commands import current_year
from gnbv_desktop.core.file_errors import describe_os_error
from gnbv_desktop.core.standards import StandardError
from gnbv_desktop.core.text import format_number
from gnbv_desktop.jobs.progress import Progress, run_to_end
from gnbv_desktop.store.database import describe_failure


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import-excel", help="nhập danh sách hộ từ tệp Excel (.xlsx, .xls, .xlsb) hoặc .ods")
    p.add_argument("file", metavar="TỆP", help="tệp .xlsx, .xlsm, .xls, .xlsb hoặc .ods")
    p.add_argument("--sheet", metavar="TÊN", help="tên trang tính (mặc định: trang đầu tiên)")
    p.add_argument("--year", type=int, default=None, help="năm rà soát của danh sách (mặc định: năm nay)")
    p.add_argument("--mapping", metavar="MẪU.json", help="mẫu ánh xạ cột đã lưu")
    p.add_argument("--village", metavar="TÊN", default="",
                   help="thôn cho các dòng không ghi thôn (tệp không có cột Thôn, không có dòng nhóm thôn)")
    p.add_argument("--skip-invalid", action="store_true", help="chỉ nhập các dòng hợp lệ, bỏ qua dòng lỗi")
    p.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra và báo cáo, không ghi gì")
    p.add_argument("--no-convert-encoding", action="store_true",
                   help="không chuyển các cột gõ bằng bảng mã cũ (TCVN3/ABC, VNI) sang Unicode")
    p.set_defaults(handler=cmd_import_excel)

    p = sub.add_parser("export-excel",
                       help="xuất danh sách hộ, thành viên, đánh giá và kế hoạch hỗ trợ của năm ra tệp Excel")
    p.add_argument("out", metavar="TỆP.xlsx")
    p.add_argument("--year", type=int, default=None, help="năm của đánh giá (mặc định: năm nay)")
    p.set_defaults(handler=cmd_export_excel)


def _progress_to_stderr(p: Progress) -> None:
    if p.message:
        done = f" ({format_number(p.done)}/{format_number(p.total)})" if p.total else ""
        print(f"{p.message}{done}", file=sys.stderr, flush=True)


def cmd_import_excel(args: argparse.Namespace, ctx: CliContext) -> int:
    from gnbv_desktop.io.excel_reader import WorkbookError
    from gnbv_desktop.jobs.import_excel import ImportRefused, preview_import, run_import

    year = args.year or current_year()
    db = ctx.db
    try:
        preview = run_to_end(
            preview_import(db, args.file, year=year, sheet=args.sheet, template=args.mapping,
                           default_village=args.village, convert_legacy=not args.no_convert_encoding),
            _progress_to_stderr,
        )
    except (WorkbookError, StandardError) as exc:
        raise CliError(str(exc)) from exc
    c = preview.counts()
    print(f"Tệp: {preview.path.name}, trang '{preview.sheet}', năm {year}")
    print(f"Số dòng dữ liệu đã đọc: {format_number(c['rows_read'])} ({format_number(c['households'])} hộ)")
    print(f"Dòng bỏ qua (trống, nhóm, cộng, ký tên): {format_number(c['skipped_rows'])}")
    for notice in preview.notices:
        print(f"Lưu ý: {notice}")
    problems = preview.problems
    if problems:
        print("Các vấn đề:")
        for p in problems:
            print(f"  [{'LỖI' if p.error else 'Lưu ý'}] {p}")
    if preview.new_villages:
        print("Thôn mới sẽ được tạo: " + ", ".join(n for n, _ in preview.new_villages))
    if preview.plan_sheets:
        print(f"Kế hoạch hỗ trợ năm {year} (trang {', '.join(preview.plan_sheets)}): "
              f"{format_number(c['plan_items'])} giải pháp, {format_number(c['helpers'])} người/tổ chức giúp đỡ, "
              f"{format_number(c['assignments'])} lượt phân công")
    if preview.invalid and not args.skip_invalid:
        raise CliError(
            f"Có {format_number(c['invalid'])} hộ không hợp lệ; chưa nhập gì. "
            "Sửa tệp, hoặc dùng --skip-invalid để chỉ nhập các dòng hợp lệ."
        )
    if args.dry_run:
        print(
            f"Chạy thử: sẽ nhập mới {format_number(c['new'])} hộ, cập nhật {format_number(c['update'])} hộ, "
            f"bỏ qua {format_number(c['invalid'])} hộ lỗi. Chưa ghi gì."
        )
        return 0
    try:
        summary = run_to_end(
            run_import(db, preview, skip_invalid=args.skip_invalid, create_villages=True), _progress_to_stderr
        )
    except ImportRefused as exc:
        raise CliError(str(exc)) from exc
    for line in summary.lines():
        print(line)
    return 0


def cmd_export_excel(args: argparse.Namespace, ctx: CliContext) -> int:
    from gnbv_desktop.jobs.export_excel import export_excel

    year = args.year or current_year()
    output_path(args.out, suffix=".xlsx")
    try:
        count = run_to_end(export_excel(ctx.db, args.out, year), _progress_to_stderr)
    except OSError as exc:
        raise CliError(describe_failure(exc, args.out)
                       or f"Không ghi được tệp '{args.out}': {describe_os_error(exc)}.") from exc
    print(f"Đã xuất {format_number(count)} hộ (đánh giá năm {year}) ra {args.out}.")
    return 0
