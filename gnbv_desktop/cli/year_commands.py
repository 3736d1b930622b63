"""Commands of the year's cycle: resident households, the year-end review, the summary forms."""

from __future__ import annotations

import argparse
import datetime as _dt

from gnbv_desktop.cli.context import CliContext, CliError
from gnbv_desktop.core.text import format_number
from gnbv_desktop.store.residents import ResidentsError, residents, set_residents
from gnbv_desktop.store.villages import find_village, list_villages


def current_year() -> int:
    return _dt.date.today().year


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("residents", help="số hộ, số nhân khẩu dân cư của thôn trong năm (mẫu số của tỷ lệ hộ nghèo)")
    p.add_argument("--year", type=int, default=None)
    p.add_argument("--village", help="tên thôn (bỏ trống: xem số liệu các thôn)")
    p.add_argument("--households", type=int, help="tổng số hộ dân cư của thôn")
    p.add_argument("--people", type=int, help="tổng số nhân khẩu dân cư của thôn")
    p.set_defaults(handler=cmd_residents)


def _village(ctx: CliContext, name: str):
    v = find_village(ctx.db, name)
    if v is None:
        names = ", ".join(x.name for x in list_villages(ctx.db))
        raise CliError(f"Không có thôn '{name}'. Các thôn: {names}.")
    return v


def cmd_residents(args: argparse.Namespace, ctx: CliContext) -> int:
    year = args.year or current_year()
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
