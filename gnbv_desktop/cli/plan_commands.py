"""Commands of the support plans: printouts, helpers, assignments, suggestions, the commune plan."""

from __future__ import annotations

import argparse
import sys

from gnbv_desktop.cli.context import CliContext, CliError, output_path, print_json
from gnbv_desktop.cli.registry_commands import current_year
from gnbv_desktop.core.plans import (
    HELPER_KIND_LABELS,
    ORGANISATION,
    PERSON,
    SIGNER_TITLES,
    CommunePlan,
    Helper,
    format_percent,
    project,
    suggest_measures,
    unaddressed_deprivations,
)
from gnbv_desktop.core.text import format_number, parse_date
from gnbv_desktop.jobs.progress import run_to_end


def register(sub: argparse._SubParsersAction) -> None:
    # The three printouts' command names are their kinds in jobs.plan_reports (ANNEX, SHEETS, POSTING),
    # which is imported only when one of them runs.
    for name, help_text in (
        ("annex", "in phụ lục danh sách hộ nghèo, cận nghèo và giải pháp hỗ trợ (.pdf hoặc .xlsx)"),
        ("sheets", "in phiếu theo dõi hỗ trợ từng hộ (.pdf)"),
        ("posting", "in danh sách niêm yết công khai, số CCCD được che (.pdf)"),
    ):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("out", metavar="TỆP", help="tệp kết quả")
        p.add_argument("--year", type=int, default=None)
        p.add_argument("--village", action="append", default=[], metavar="TÊN", help="chỉ in các thôn này")
        if name == "posting":
            p.add_argument("--date", help="ngày bắt đầu niêm yết dd/mm/yyyy (mặc định: hôm nay)")
            p.add_argument("--days", type=int, default=7, help="số ngày niêm yết (mặc định 7)")
        p.set_defaults(handler=cmd_render, kind=name)

    p = sub.add_parser("helpers", help="người/tổ chức giúp đỡ và tiến độ hỗ trợ")
    p.add_argument("--year", type=int, default=None)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_helpers)

    p = sub.add_parser("helper-add", help="thêm người/tổ chức giúp đỡ")
    p.add_argument("name", metavar="TÊN")
    p.add_argument("--person", action="store_true", help="là cá nhân (mặc định: tổ chức, đoàn thể)")
    p.add_argument("--position", default="", help="chức vụ")
    p.add_argument("--organisation", default="", help="đơn vị công tác")
    p.add_argument("--phone", default="")
    p.set_defaults(handler=cmd_helper_add)

    p = sub.add_parser("assign", help="phân công người/tổ chức giúp đỡ cho các hộ")
    p.add_argument("--helper", action="append", required=True, metavar="TÊN|MÃ")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--household", action="append", metavar="MÃ HỘ|TÊN CHỦ HỘ")
    g.add_argument("--unassisted", action="store_true", help="mọi hộ nghèo, cận nghèo chưa có người giúp đỡ")
    p.add_argument("--year", type=int, default=None)
    p.set_defaults(handler=cmd_assign)

    p = sub.add_parser("suggest", help="giải pháp gợi ý và thiếu hụt chưa có giải pháp của một hộ")
    p.add_argument("household", metavar="MÃ HỘ|TÊN CHỦ HỘ")
    p.add_argument("--year", type=int, default=None)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_suggest)

    p = sub.add_parser("plan", help="kế hoạch giảm nghèo của xã: chỉ tiêu và dự báo tỷ lệ hộ nghèo")
    p.add_argument("--year", type=int, default=None)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_plan)

    p = sub.add_parser("plan-set", help="ghi số, ngày, người ký và chỉ tiêu của kế hoạch năm")
    p.add_argument("--year", type=int, default=None)
    p.add_argument("--number", help="số kế hoạch, ví dụ 12/KH-UBND")
    p.add_argument("--date", help="ngày ban hành dd/mm/yyyy")
    p.add_argument("--signer", help="họ tên người ký")
    p.add_argument("--title", choices=SIGNER_TITLES, help="chức vụ người ký")
    p.add_argument("--preparer", help="người lập biểu")
    p.add_argument("--total-households", type=int, help="tổng số hộ dân cư toàn xã")
    p.add_argument("--target-rate", type=float, help="chỉ tiêu giảm tỷ lệ hộ nghèo (điểm %%)")
    p.add_argument("--target-escape", type=int, help="chỉ tiêu số hộ thoát nghèo")
    p.add_argument("--target-near-poor", type=int, help="chỉ tiêu giảm số hộ cận nghèo")
    p.add_argument("--target-dtts-rate", type=float, help="chỉ tiêu giảm tỷ lệ hộ nghèo DTTS (điểm %%)")
    p.set_defaults(handler=cmd_plan_set)


def village_ids_of(ctx: CliContext, names: list[str]) -> list[int] | None:
    from gnbv_desktop.store.villages import find_village, list_villages

    ids = []
    for name in names:
        v = find_village(ctx.db, name)
        if v is None:
            known = ", ".join(x.name for x in list_villages(ctx.db))
            raise CliError(f"Không có thôn '{name}'. Các thôn: {known}.")
        ids.append(v.id)
    return ids or None


def cmd_render(args: argparse.Namespace, ctx: CliContext) -> int:
    from gnbv_desktop.jobs.plan_reports import POSTING, ReportError, render_report

    year = args.year or current_year()
    output_path(args.out)
    villages = village_ids_of(ctx, args.village)
    posting = {}
    if args.kind == POSTING:
        try:
            posted_on = parse_date(args.date) if args.date else None
        except ValueError as exc:
            raise CliError(f"Ngày niêm yết '{args.date}' không hợp lệ (dd/mm/yyyy).") from exc
        posting = {"posted_on": posted_on, "posting_days": args.days}
    try:
        result = run_to_end(render_report(ctx.db, args.kind, args.out, year, villages, **posting))
    except ReportError as exc:
        raise CliError(str(exc)) from exc
    pages = f", {result.pages} trang" if result.pages else ""
    print(f"Đã ghi {result.path} ({format_number(result.households)} hộ{pages}).")
    return 0


def cmd_helpers(args: argparse.Namespace, ctx: CliContext) -> int:
    from gnbv_desktop.store.plans import helper_progress

    year = args.year or current_year()
    rows = helper_progress(ctx.db, year)
    if args.json:
        print_json([
            {"id": p.helper.id, "name": p.helper.name, "kind": p.helper.kind, "position": p.helper.position,
             "organisation": p.helper.organisation, "phone": p.helper.phone, "households": p.households,
             "plan_items": p.items, "done": p.done}
            for p in rows
        ])
        return 0
    for p in rows:
        sys.stdout.write(f"{p.helper.id}\t{p.helper.label}\t{HELPER_KIND_LABELS[p.helper.kind]}\t"
                         f"{p.households} hộ\t{p.done}/{p.items} giải pháp hoàn thành\n")
    return 0


def cmd_helper_add(args: argparse.Namespace, ctx: CliContext) -> int:
    from gnbv_desktop.store.households import ValidationError
    from gnbv_desktop.store.plans import save_helper

    h = Helper(name=args.name, kind=PERSON if args.person else ORGANISATION, position=args.position,
               organisation=args.organisation, phone=args.phone)
    try:
        save_helper(ctx.db, h)
    except ValidationError as exc:
        raise CliError(str(exc)) from exc
    print(f"Đã thêm {h.label} (mã {h.id}).")
    return 0


def cmd_assign(args: argparse.Namespace, ctx: CliContext) -> int:
    from gnbv_desktop.store.households import ValidationError, find_household_id
    from gnbv_desktop.store.plans import assign_helpers, find_helper, households_without_helper

    year = args.year or current_year()
    helpers = []
    for text in args.helper:
        h = find_helper(ctx.db, text)
        if h is None:
            raise CliError(f"Không có người/tổ chức giúp đỡ '{text}'.")
        helpers.append(h.id)
    if args.unassisted:
        households = sorted(households_without_helper(ctx.db, year))
    else:
        households = []
        for text in args.household:
            hid = find_household_id(ctx.db, text)
            if hid is None:
                raise CliError(f"Không tìm thấy hộ '{text}' (mã hộ hoặc họ tên chủ hộ).")
            households.append(hid)
    if not households:
        print(f"Năm {year} không còn hộ nghèo, cận nghèo nào chưa có người giúp đỡ.")
        return 0
    try:
        added = assign_helpers(ctx.db, households, helpers, year)
    except ValidationError as exc:
        raise CliError(str(exc)) from exc
    print(f"Đã phân công {added} lượt giúp đỡ cho {len(households)} hộ, năm {year}.")
    return 0


def cmd_suggest(args: argparse.Namespace, ctx: CliContext) -> int:
    from gnbv_desktop.store.households import find_household_id, get_assessment
    from gnbv_desktop.store.plans import plan_items, support_measures

    year = args.year or current_year()
    hid = find_household_id(ctx.db, args.household)
    if hid is None:
        raise CliError(f"Không tìm thấy hộ '{args.household}'.")
    a = get_assessment(ctx.db, hid, year)
    if a is None:
        raise CliError(f"Hộ '{args.household}' chưa có kết quả rà soát năm {year}.")
    measures = support_measures(ctx.db)
    items = plan_items(ctx.db, hid, year)
    planned = {i.measure_code for i in items if i.status != "cancelled"}
    suggestions = suggest_measures(measures, a.standard_id, a.deprived, a.causes, a.needs, planned)
    missing = unaddressed_deprivations(measures, a.standard_id, a.deprived, items)
    if args.json:
        print_json({
            "household_id": hid, "year": year, "standard": a.standard_id, "deprived": a.deprived,
            "planned": sorted(planned),
            "suggestions": [{"code": s.measure.code, "name": s.measure.name, "indicators": list(s.indicators),
                             "reason": s.reason} for s in suggestions],
            "unaddressed": missing,
        })
        return 0
    for s in suggestions:
        print(f"{s.measure.code}\t{s.measure.name}\t({s.reason})")
    print("Thiếu hụt chưa có giải pháp: " + (", ".join(missing) or "không còn"))
    return 0


def _plan_json(plan: CommunePlan | None, year: int) -> dict | None:
    if plan is None:
        return None
    return {k: v for k, v in vars(plan).items() if k not in ("id", "uuid")} | {"year": year}


def cmd_plan(args: argparse.Namespace, ctx: CliContext) -> int:
    from gnbv_desktop.store.plans import get_commune_plan, plan_counts

    year = args.year or current_year()
    plan = get_commune_plan(ctx.db, year)
    counts = plan_counts(ctx.db, year, plan)
    proj = project(counts, plan)
    if args.json:
        print_json({
            "year": year,
            "plan": _plan_json(plan, year),
            "counts": vars(counts),
            "projection": {
                "current_rate": None if proj.current_rate is None else round(proj.current_rate, 4),
                "projected_rate": None if proj.projected_rate is None else round(proj.projected_rate, 4),
                "target_rate": None if proj.target_rate is None else round(proj.target_rate, 4),
                "meets_rate_target": proj.meets_rate_target,
                "planned_escapes": proj.planned_escapes,
                "target_escapes": proj.target_escapes,
                "meets_escape_target": proj.meets_escape_target,
                "summary": proj.summary(),
            },
        })
        return 0
    if plan is None:
        print(f"Chưa có kế hoạch năm {year} (dùng 'gnbv plan-set').")
    else:
        print(f"Kế hoạch số {plan.document_number or '…'} năm {year}; người ký: {plan.signer_name or '…'}")
    residents_text = "chưa có" if counts.total_households is None else format_number(counts.total_households)
    print(f"Hộ nghèo: {counts.poor}/{residents_text} hộ dân cư ({format_percent(proj.current_rate)}); "
          f"dự kiến thoát nghèo {proj.planned_escapes} hộ")
    print(proj.summary())
    return 0


def cmd_plan_set(args: argparse.Namespace, ctx: CliContext) -> int:
    from gnbv_desktop.store.households import ValidationError
    from gnbv_desktop.store.plans import get_commune_plan, save_commune_plan

    year = args.year or current_year()
    plan = get_commune_plan(ctx.db, year) or CommunePlan(year=year)
    for attr, value in (
        ("document_number", args.number), ("signer_name", args.signer), ("signer_title", args.title),
        ("preparer_name", args.preparer), ("total_households", args.total_households),
        ("target_poverty_reduction", args.target_rate), ("target_escape_households", args.target_escape),
        ("target_near_poor_reduction", args.target_near_poor), ("target_dtts_reduction", args.target_dtts_rate),
    ):
        if value is not None:
            setattr(plan, attr, value)
    if args.date:
        try:
            plan.document_date = parse_date(args.date).isoformat()
        except ValueError as exc:
            raise CliError(f"Ngày ban hành '{args.date}' không hợp lệ (dd/mm/yyyy).") from exc
    try:
        save_commune_plan(ctx.db, plan)
    except ValidationError as exc:
        raise CliError(str(exc)) from exc
    print(f"Đã lưu kế hoạch năm {year}.")
    return 0
