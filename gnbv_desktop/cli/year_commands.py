"""Commands of the year's cycle: resident households, the year-end review, the summary forms."""

from __future__ import annotations

import argparse
import datetime as _dt
from pathlib import Path

from gnbv_desktop.cli.context import CliContext, CliError, output_path
from gnbv_desktop.core.forms import FORM_KEYS, PERIODS
from gnbv_desktop.core.review import TRANSITION_LABELS, TRANSITIONS
from gnbv_desktop.core.standards import StandardError
from gnbv_desktop.core.text import format_date, format_number, parse_date
from gnbv_desktop.jobs.progress import run_to_end


def current_year() -> int:
    return _dt.date.today().year


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("residents", help="số hộ, số nhân khẩu dân cư của thôn trong năm (mẫu số của tỷ lệ hộ nghèo)")
    p.add_argument("--year", type=int, default=None)
    p.add_argument("--village", help="tên thôn (bỏ trống: xem số liệu các thôn)")
    p.add_argument("--households", type=int, help="tổng số hộ dân cư của thôn")
    p.add_argument("--people", type=int, help="tổng số nhân khẩu dân cư của thôn")
    p.add_argument("--from", dest="from_file", metavar="TỆP.xlsx",
                   help="nhập số hộ, số nhân khẩu dân cư các thôn từ bảng tính (cột Thôn, Số hộ dân cư, Số nhân khẩu)")
    p.add_argument("--sheet", help="tên trang tính (mặc định: trang đầu tiên có các cột trên)")
    p.set_defaults(handler=cmd_residents)

    p = sub.add_parser("review", help="rà soát cuối năm: bắt đầu, xác nhận, kết thúc")
    rsub = p.add_subparsers(dest="review_command", metavar="BƯỚC")
    rsub.required = True
    r = rsub.add_parser("start", help="chuyển các hộ của năm trước sang năm rà soát, đánh dấu chưa rà soát")
    r.add_argument("--year", type=int, required=True)
    r.set_defaults(handler=cmd_review_start)
    r = rsub.add_parser("status", help="tiến độ rà soát của năm")
    r.add_argument("--year", type=int, required=True)
    r.set_defaults(handler=cmd_review_status)
    r = rsub.add_parser("confirm", help="xác nhận hộ chưa rà soát giữ nguyên kết quả năm trước")
    r.add_argument("--year", type=int, required=True)
    g = r.add_mutually_exclusive_group(required=True)
    g.add_argument("--household", action="append", metavar="MÃ_HỘ", help="mã hộ hoặc họ tên chủ hộ (lặp lại được)")
    g.add_argument("--all", action="store_true", help="mọi hộ chưa rà soát")
    r.set_defaults(handler=cmd_review_confirm)
    r = rsub.add_parser("close", help="kết thúc rà soát: ghi quyết định công nhận, tính biến động")
    r.add_argument("--year", type=int, required=True)
    r.add_argument("--decision-number", default="", help="số quyết định công nhận, ví dụ 125/QĐ-UBND")
    r.add_argument("--decision-date", default="", help="ngày quyết định (dd/mm/yyyy)")
    r.set_defaults(handler=cmd_review_close)

    p = sub.add_parser("report", help="biểu tổng hợp rà soát, báo cáo định kỳ (PDF hoặc XLSX)")
    p.add_argument("output", metavar="TỆP", help="tệp kết quả .pdf hoặc .xlsx")
    p.add_argument("--year", type=int, default=None)
    p.add_argument("--form", required=True, choices=FORM_KEYS, help="biểu cần in")
    p.add_argument("--period", choices=sorted(PERIODS), default=None, help="kỳ báo cáo của biểu dinh-ky")
    p.set_defaults(handler=cmd_report)


def _village(ctx: CliContext, name: str):
    from gnbv_desktop.store.villages import find_village, list_villages

    v = find_village(ctx.db, name)
    if v is None:
        names = ", ".join(x.name for x in list_villages(ctx.db))
        raise CliError(f"Không có thôn '{name}'. Các thôn: {names}.")
    return v


def cmd_residents(args: argparse.Namespace, ctx: CliContext) -> int:
    from gnbv_desktop.store.residents import ResidentsError, residents, set_residents
    from gnbv_desktop.store.villages import list_villages

    year = args.year or current_year()
    if args.from_file:
        from gnbv_desktop.io.excel_reader import WorkbookError
        from gnbv_desktop.io.residents_xlsx import ResidentsFileError
        from gnbv_desktop.jobs.import_residents import import_residents

        if args.village or args.households is not None or args.people is not None:
            raise CliError("Nhập từ tệp (--from) thì không ghi kèm --village, --households, --people.")
        try:
            done = run_to_end(import_residents(ctx.db, args.from_file, year, args.sheet))
        except (ResidentsFileError, WorkbookError) as exc:
            raise CliError(str(exc)) from exc
        print(f"Đã nhập số hộ dân cư năm {year} của {done.villages} thôn từ trang '{done.sheet}': "
              f"{format_number(done.households)} hộ.")
        if done.missing:
            print(f"Tệp chưa có các thôn: {', '.join(done.missing)} (số liệu của các thôn này giữ nguyên).")
        return 0
    if args.sheet:
        raise CliError("--sheet chỉ dùng cùng --from TỆP.xlsx.")
    if args.village:
        if args.households is None:
            raise CliError("Cần nhập số hộ dân cư (--households).")
        v = _village(ctx, args.village)
        try:
            set_residents(ctx.db, year, v.id, args.households, args.people)
        except ResidentsError as exc:
            raise CliError(str(exc)) from exc
        people = "" if args.people is None else f", {format_number(args.people)} nhân khẩu"
        print(f"Đã ghi {v.name} năm {year}: {format_number(args.households)} hộ dân cư{people}.")
        return 0
    if args.households is not None or args.people is not None:
        raise CliError("Cần chọn thôn (--village) để ghi số hộ dân cư.")
    res = residents(ctx.db, year)
    for v in list_villages(ctx.db):
        figures = res.by_village.get(v.id)
        if figures is None:
            print(f"{v.name}\tchưa nhập")
        else:
            print(f"{v.name}\t{format_number(figures[0])} hộ\t{format_number(figures[1]) or '—'} nhân khẩu")
    total = "chưa có tổng số hộ dân cư" if res.households is None else f"{format_number(res.households)} hộ"
    print(f"Toàn xã năm {year}: {total}")
    return 0


def cmd_review_start(args: argparse.Namespace, ctx: CliContext) -> int:
    from gnbv_desktop.jobs.carry_forward import carried_message
    from gnbv_desktop.jobs.year_review import start_review
    from gnbv_desktop.store.review import ReviewError

    try:
        n = run_to_end(start_review(ctx.db, args.year))
    except (ReviewError, StandardError) as exc:
        raise CliError(str(exc)) from exc
    print(carried_message(ctx.db, n, args.year - 1, args.year))
    return 0


def cmd_review_status(args: argparse.Namespace, ctx: CliContext) -> int:
    from gnbv_desktop.store.review import review_state

    state = review_state(ctx.db, args.year)
    print(f"Năm {args.year}: {format_number(state.households)} hộ; chưa rà soát {format_number(state.pending)}; "
          f"rà soát theo chuẩn mới {format_number(state.new_standard)}.")
    if state.review:
        r = state.review
        decided = f" số {r.decision_number}" if r.decision_number else ""
        day = f" ngày {format_date(r.decision_date)}" if r.decision_date else ""
        print(f"Đã kết thúc rà soát (quyết định công nhận{decided}{day}).")
    return 0


def cmd_review_confirm(args: argparse.Namespace, ctx: CliContext) -> int:
    from gnbv_desktop.store.households import find_household_id
    from gnbv_desktop.store.review import confirm_unchanged

    ids = None
    if args.household:
        ids = []
        for text in args.household:
            hid = find_household_id(ctx.db, text)
            if hid is None:
                raise CliError(f"Không tìm thấy hộ '{text}'.")
            ids.append(hid)
    n = confirm_unchanged(ctx.db, args.year, ids)
    print(f"Đã xác nhận {format_number(n)} hộ giữ nguyên kết quả năm {args.year - 1}.")
    return 0


def cmd_review_close(args: argparse.Namespace, ctx: CliContext) -> int:
    from gnbv_desktop.jobs.year_review import finish_review
    from gnbv_desktop.store.review import ReviewError

    decision_date = ""
    if args.decision_date:
        try:
            decision_date = parse_date(args.decision_date).isoformat()
        except ValueError as exc:
            raise CliError(f"Ngày quyết định '{args.decision_date}' không hợp lệ (dd/mm/yyyy).") from exc
    try:
        counts = run_to_end(finish_review(ctx.db, args.year, args.decision_number, decision_date))
    except ReviewError as exc:
        raise CliError(str(exc)) from exc
    print(f"Đã kết thúc rà soát năm {args.year}.")
    for kind in TRANSITIONS:
        print(f"  {TRANSITION_LABELS[kind]}: {format_number(counts[kind])}")
    return 0


def cmd_report(args: argparse.Namespace, ctx: CliContext) -> int:
    from gnbv_desktop.jobs.year_report import write_report
    from gnbv_desktop.store.year_forms import FormError

    year = args.year or current_year()
    out = Path(args.output)
    kind = out.suffix.lower()
    if kind not in (".pdf", ".xlsx"):
        raise CliError(f"Tệp kết quả '{out.name}' phải có đuôi .pdf hoặc .xlsx.")
    if args.form == "dinh-ky" and args.period is None:
        raise CliError("Biểu dinh-ky cần kỳ báo cáo (--period 6m, 9m hoặc 12m).")
    output_path(args.output)
    try:
        pages = run_to_end(write_report(ctx.db, out, args.form, year, args.period))
    except FormError as exc:
        raise CliError(str(exc)) from exc
    detail = f", {pages} trang" if kind == ".pdf" else ""
    print(f"Đã ghi {out}{detail}.")
    return 0
