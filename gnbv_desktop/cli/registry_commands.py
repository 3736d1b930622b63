"""Commands of the household registry: init, demo, standards, classify, stats, list.

Every ``gnbv`` run imports this module to build its parser, so it imports at the top only what the
parsers need; each handler imports the store and jobs modules it uses (``gnbv stats`` never loads
the demo generator or the backup code)."""

from __future__ import annotations

import argparse
import datetime as _dt
import sys

from gnbv_desktop.cli.context import CliContext, CliError, print_json
from gnbv_desktop.core.classifications import CLASSIFICATION_LABELS, CLASSIFICATIONS
from gnbv_desktop.core.standards import AREAS, StandardError, classify
from gnbv_desktop.core.text import fold, format_number


def current_year() -> int:
    return _dt.date.today().year


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help="khai báo xã/phường và các thôn")
    p.add_argument("--commune-name", required=True, help="tên xã/phường, ví dụ 'Xã Ia Grai'")
    p.add_argument("--province", required=True, help="tên hoặc mã tỉnh/thành phố")
    p.add_argument("--commune-code", default="", help="mã đơn vị hành chính (tra trong danh mục nếu bỏ trống)")
    p.add_argument("--upper-level", default="", help="cơ quan cấp trên nhận dữ liệu")
    p.add_argument("--village", action="append", default=[], metavar="TÊN[:rural|urban]", help="thôn/ấp/bản/tổ dân phố")
    p.set_defaults(handler=cmd_init, creates_db=True)

    p = sub.add_parser("demo", help="tạo xã mẫu với dữ liệu giả lập trong một tệp dữ liệu mới")
    p.add_argument("--households", type=int, default=200)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--year", type=int, default=None)
    p.add_argument("--replace", action="store_true", help="xóa hết dữ liệu đang có trong tệp rồi tạo xã mẫu")
    p.set_defaults(handler=cmd_demo, creates_db=True)

    p = sub.add_parser("carry-forward", help="bắt đầu danh sách năm mới từ danh sách năm trước")
    p.add_argument("--from", dest="from_year", type=int, required=True)
    p.add_argument("--to", dest="to_year", type=int, required=True)
    p.set_defaults(handler=cmd_carry_forward)

    p = sub.add_parser("standards", help="các chuẩn nghèo đa chiều")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_standards)

    p = sub.add_parser("classify", help="phân loại một hộ theo chuẩn nghèo")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--standard")
    g.add_argument("--year", type=int)
    p.add_argument("--area", required=True, choices=AREAS)
    p.add_argument("--income", required=True, help="thu nhập bình quân người/tháng, ví dụ 1.500.000 hoặc '1,5 triệu'")
    p.add_argument("--deprived", default="", help="mã các chỉ số thiếu hụt, cách nhau bởi dấu phẩy")
    p.set_defaults(handler=cmd_classify)

    p = sub.add_parser("stats", help="thống kê danh sách hộ của năm")
    p.add_argument("--year", type=int, default=None)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_stats)

    p = sub.add_parser("list", help="danh sách hộ của năm")
    p.add_argument("--year", type=int, default=None)
    p.add_argument("--village")
    p.add_argument("--classification", choices=CLASSIFICATIONS)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_list)


def parse_village_arg(text: str) -> tuple[str, str]:
    name, _, area = text.rpartition(":") if text.endswith((":rural", ":urban")) else (text, "", "rural")
    return name.strip(), area or "rural"


def cmd_init(args: argparse.Namespace, ctx: CliContext) -> int:
    from gnbv_desktop.core.catalogs import find_province, units_of_province
    from gnbv_desktop.store.settings import (
        DEFAULT_UPPER_LEVEL_TEMPLATE,
        CommuneSettings,
        SettingsError,
        load_settings,
        save_settings,
    )
    from gnbv_desktop.store.villages import VillageError, add_village

    province = find_province(args.province)
    if province is None:
        raise CliError(f"Không tìm thấy tỉnh/thành phố '{args.province}' trong danh mục 34 tỉnh, thành phố (2025).")
    code = args.commune_code
    if not code:
        matches = [u for u in units_of_province(province[0]) if fold(u.unit_name) == fold(args.commune_name)]
        code = matches[0].unit_code if matches else ""
    villages = [parse_village_arg(v) for v in args.village]
    if not villages:
        raise CliError("Cần khai báo ít nhất một thôn (--village).")
    db = ctx.db
    if load_settings(db).is_configured:
        raise CliError(f"Cơ sở dữ liệu '{ctx.db_path}' đã được khai báo cho {load_settings(db).commune_name}.")
    settings = CommuneSettings(
        commune_name=args.commune_name.strip(),
        commune_code=code,
        province_name=province[1],
        province_code=province[0],
        upper_level=args.upper_level or DEFAULT_UPPER_LEVEL_TEMPLATE.format(province=_province_phrase(province[1])),
    )
    try:
        with db.atomic():
            save_settings(db, settings)
            for name, area in villages:
                add_village(db, name, area)
    except (SettingsError, VillageError) as exc:
        raise CliError(str(exc)) from exc
    print(f"Đã khai báo {settings.commune_name}, {settings.province_name} với {len(villages)} thôn.")
    return 0


def _province_phrase(name: str) -> str:
    return name if fold(name).startswith(("thanh pho", "tinh")) else f"tỉnh {name}"


def cmd_demo(args: argparse.Namespace, ctx: CliContext) -> int:
    from gnbv_desktop.jobs.demo import create_demo
    from gnbv_desktop.jobs.progress import run_to_end
    from gnbv_desktop.store.accounts import ADMIN, has_accounts
    from gnbv_desktop.store.backup import backup_before_job
    from gnbv_desktop.store.reset import clear_data, holds_data
    from gnbv_desktop.store.settings import is_aggregate, load_settings

    if args.households < 1:
        raise CliError("Số hộ phải lớn hơn 0.")
    year = args.year or current_year()
    try:
        ctx.standards.for_year(year)
        ctx.standards.for_year(year - 1)
    except StandardError as exc:
        raise CliError(str(exc)) from exc
    db = ctx.db
    if is_aggregate(db):
        raise CliError(f"Tệp '{ctx.db_path}' là dữ liệu tổng hợp của cấp trên; lệnh demo không ghi vào tệp này. "
                       "Dùng --db với một tệp mới cho xã mẫu.")
    if holds_data(db) and not args.replace:
        raise CliError(f"Tệp dữ liệu '{ctx.db_path}' đã có dữ liệu ({_contents(db)}); chưa ghi gì. "
                       "Dùng --db với một tệp mới cho xã mẫu, hoặc thêm --replace để xóa hết dữ liệu trong tệp này.")
    if args.replace and holds_data(db):
        if has_accounts(db) and (ctx.account is None or ctx.account.role != ADMIN):
            raise CliError("Chỉ tài khoản quản trị mới được xóa dữ liệu để thay bằng xã mẫu; không có gì thay đổi.")
        saved = backup_before_job(db, "truoc-thay-bang-xa-mau")  # the list it empties can be restored
        if saved:
            print(f"Đã sao lưu dữ liệu cũ vào {saved}.")
    with db.atomic():  # emptying and the demo commit together: a failure leaves the old data
        if args.replace:
            clear_data(db)
        n = run_to_end(create_demo(db, args.households, args.seed, year))
    print(f"Đã tạo {format_number(n)} hộ mẫu cho năm {year} tại {load_settings(ctx.db).commune_name}.")
    return 0


def _contents(db) -> str:
    from gnbv_desktop.store.settings import load_settings

    settings = load_settings(db)
    households = db.execute("SELECT COUNT(*) FROM households").fetchone()[0]
    parts = [settings.commune_name] if settings.is_configured else []
    return ", ".join([*parts, f"{format_number(households)} hộ"])


def cmd_carry_forward(args: argparse.Namespace, ctx: CliContext) -> int:
    from gnbv_desktop.jobs.carry_forward import carried_message, carry_forward
    from gnbv_desktop.jobs.progress import run_to_end

    if args.to_year <= args.from_year:
        raise CliError("Năm đích phải sau năm nguồn.")
    try:
        ctx.standards.for_year(args.to_year)
    except StandardError as exc:
        raise CliError(str(exc)) from exc
    n = run_to_end(carry_forward(ctx.db, args.from_year, args.to_year))
    print(carried_message(ctx.db, n, args.from_year, args.to_year))
    return 0


def standard_json(s) -> dict:
    return {
        "id": s.id,
        "legal_text": s.legal_text,
        "short_name": s.short_name,
        "title": s.title,
        "years": [s.first_year, s.last_year],
        "extended_years": list(s.extended_years),
        "provisional": s.provisional,
        "rule": s.rule,
        "min_deprived": s.min_deprived,
        "thresholds": {
            area: {"poor_line": t.poor_line, "near_poor_line": t.near_poor_line, "average_line": t.average_line}
            for area, t in s.thresholds.items()
        },
        "indicators": [
            {"code": i.code, "dimension": i.dimension_name, "name": i.name, "provisional": i.provisional}
            for i in s.indicators
        ],
    }


def cmd_standards(args: argparse.Namespace, ctx: CliContext) -> int:
    standards = ctx.standards
    data = [standard_json(s) for s in standards]
    if args.json:
        print_json(data)
        return 0
    for s in standards:
        mark = " (tạm thời — cần đối chiếu văn bản chính thức)" if s.provisional else ""
        print(f"{s.id}: {s.legal_text}, năm {s.first_year}–{s.last_year}{mark}")
        for area, t in s.thresholds.items():
            print(f"  {area}: chuẩn nghèo {format_number(t.poor_line)} đ")
    return 0


def cmd_classify(args: argparse.Namespace, ctx: CliContext) -> int:
    from gnbv_desktop.core.money import MoneyError, parse_money

    try:
        std = ctx.standards.get(args.standard) if args.standard else ctx.standards.for_year(args.year)
        codes = [c.strip() for c in args.deprived.split(",") if c.strip()]
        income = parse_money(args.income)
        if income is None:
            raise CliError("Chưa nhập thu nhập (--income).")
        result = classify(std, args.area, income, codes)
    except (StandardError, MoneyError) as exc:
        raise CliError(str(exc)) from exc
    print_json(
        {
            "standard": std.id,
            "classification": result.classification,
            "deprived_count": result.deprived_count,
            "explanation": result.explanation,
        }
    )
    return 0


def cmd_stats(args: argparse.Namespace, ctx: CliContext) -> int:
    from gnbv_desktop.store.aggregate import aggregate_stats
    from gnbv_desktop.store.households import stats
    from gnbv_desktop.store.plans import plan_stats
    from gnbv_desktop.store.review import transition_counts
    from gnbv_desktop.store.settings import is_aggregate

    year = args.year or current_year()
    if is_aggregate(ctx.db):
        data = aggregate_stats(ctx.db, year)
        if args.json:
            print_json(data)
            return 0
        print(f"Năm {year}: {data['communes']} xã, {format_number(data['households'])} hộ")
        for code, c in data["by_commune"].items():
            counts = ", ".join(f"{CLASSIFICATION_LABELS[k]}: {format_number(c['by_classification'][k])}"
                               for k in CLASSIFICATIONS)
            print(f"  {c['name']} ({code}): {format_number(c['households'])} hộ — {counts}")
            print_transitions(c["transitions"], "    ")
        total = data["transitions"]
        if total is not None:
            print(f"Biến động của {total['communes_closed']} xã đã kết thúc rà soát năm {year}:")
            print_transitions(total, "  ", with_decision=False)
        return 0
    data = stats(ctx.db, year)
    data.update(plan_stats(ctx.db, year))
    data["transitions"] = transition_counts(ctx.db, year)
    if args.json:
        print_json(data)
        return 0
    print(f"Năm {year}: {format_number(data['households'])} hộ, {format_number(data['members'])} nhân khẩu")
    for c in CLASSIFICATIONS:
        print(f"  {CLASSIFICATION_LABELS[c]}: {format_number(data['by_classification'][c])}")
    print_transitions(data["transitions"], "  ")
    return 0


def print_transitions(moves: dict | None, indent: str, *, with_decision: bool = True) -> None:
    """The year's movements as ``stats`` prints them (the shape of ``transition_counts``): one line
    per kind with households and people, or a line saying the review is not closed yet."""
    from gnbv_desktop.core.review import TRANSITION_LABELS, TRANSITIONS
    from gnbv_desktop.core.text import format_date, shorten

    if moves is None:
        print(f"{indent}Chưa kết thúc rà soát cuối năm: chưa có số biến động.")
        return
    if with_decision:
        number = shorten(moves.get("decision_number") or "(chưa ghi số)")
        day = moves.get("decision_date") or ""
        try:
            day = format_date(day)
        except ValueError:  # a commune's package carries the date as text; show it as written
            day = shorten(day)
        print(f"{indent}Biến động theo quyết định {number} ngày {day or '(chưa ghi ngày)'}:")
    for kind in TRANSITIONS:
        print(f"{indent}  {TRANSITION_LABELS[kind]}: {format_number(moves[kind])} hộ, "
              f"{format_number(moves['people'][kind])} người")


def cmd_list(args: argparse.Namespace, ctx: CliContext) -> int:
    from gnbv_desktop.store.household_list import list_rows
    from gnbv_desktop.store.villages import find_village, list_villages

    year = args.year or current_year()
    village_id = None
    if args.village:
        v = find_village(ctx.db, args.village)
        if v is None:
            names = ", ".join(x.name for x in list_villages(ctx.db))
            raise CliError(f"Không có thôn '{args.village}'. Các thôn: {names}.")
        village_id = v.id
    rows = sorted(list_rows(ctx.db, year, village_id=village_id, classification=args.classification), key=lambda r: r.code)
    if args.json:
        print_json(
            [
                {
                    "id": r.id,
                    "code": r.code,
                    "head_name": r.head_name,
                    "village": r.village,
                    "classification": r.classification,
                    "income": r.income,
                    "deprived": r.deprived,
                    "members": r.size,
                }
                for r in rows
            ]
        )
        return 0
    for r in rows:
        label = CLASSIFICATION_LABELS.get(r.classification, "")
        sys.stdout.write(f"{r.code}\t{r.head_name}\t{r.village}\t{label}\t{format_number(r.income)}\n")
    return 0
