"""Sync commands: packages up to the upper level, the aggregate's merge, reference packages down."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from gnbv_desktop.cli.context import CliContext, CliError, output_path, print_json
from gnbv_desktop.cli.registry_commands import current_year
from gnbv_desktop.core.file_errors import describe_os_error
from gnbv_desktop.core.text import format_number
from gnbv_desktop.jobs.progress import run_to_end


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sync-export", help="xuất gói đồng bộ (.gnbv) gửi cấp trên")
    p.add_argument("out", metavar="OUT.gnbv")
    p.add_argument("--full", action="store_true", help="gói đầy đủ (mặc định: chỉ thay đổi từ gói trước)")
    p.add_argument("--password-file", metavar="F", help="tệp chứa mật khẩu mã hóa gói (ít nhất 8 ký tự)")
    p.add_argument("--no-encrypt", action="store_true",
                   help="xuất gói KHÔNG mã hóa (ai có tệp cũng đọc được dữ liệu hộ); được ghi vào lịch sử gửi gói")
    p.add_argument("--year", type=int, default=None, help="năm của bảng tổng hợp XLSX kèm theo")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_sync_export)

    p = sub.add_parser("sync-import", help="nhập gói đồng bộ của các xã vào cơ sở dữ liệu cấp trên")
    p.add_argument("packages", nargs="+", metavar="PKG.gnbv")
    p.add_argument("--password-file", metavar="F")
    p.add_argument("--force-gap", action="store_true", help="nhập cả khi thiếu gói trước đó")
    p.add_argument("--replace-commune", action="store_true",
                   help="xã đã cài lại máy: gói đầy đủ của xã thay toàn bộ dữ liệu cũ của xã đó (không cộng thêm)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_sync_import, creates_db=True)

    p = sub.add_parser("sync-status", help="tình trạng đồng bộ (cấp trên: từng xã; xã: các gói đã gửi)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_sync_status)

    p = sub.add_parser("ref-export", help="xuất gói tham chiếu (.gnbvref) cho các xã")
    p.add_argument("out", metavar="OUT.gnbvref")
    p.add_argument("--year", type=int, default=None)
    p.add_argument("--targets", metavar="TỆP.json",
                   help="chỉ tiêu theo mã xã, ví dụ {\"23764\": {\"target_escape_households\": 12}}")
    p.add_argument("--password-file", metavar="F")
    p.set_defaults(handler=cmd_ref_export)

    p = sub.add_parser("ref-import", help="nhập gói tham chiếu từ cấp trên")
    p.add_argument("file", metavar="FILE.gnbvref")
    p.add_argument("--password-file", metavar="F")
    p.add_argument("--replace-upper-key", action="store_true",
                   help="cấp trên đã cài lại máy (đã gọi điện xác nhận): ghi nhận khóa của gói này thay khóa cũ")
    p.set_defaults(handler=cmd_ref_import)


def read_password(path: str | None) -> str | None:
    """The password in a file: the first line, without a byte-order mark or line ending (as Notepad
    saves it), Unicode-normalised so a password typed on another keyboard still matches."""
    from gnbv_desktop.io.package_crypto import normalize_password

    if not path:
        return None
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise CliError(f"Không đọc được tệp mật khẩu '{path}': {describe_os_error(exc)}.") from exc
    except UnicodeDecodeError as exc:
        raise CliError(f"Tệp mật khẩu '{path}' không phải văn bản UTF-8.") from exc
    password = normalize_password(text.split("\n", 1)[0].rstrip("\r"))
    if not password:
        raise CliError(f"Tệp mật khẩu '{path}' trống.")
    return password


def _year(args: argparse.Namespace) -> int:
    return args.year or current_year()


def cmd_sync_export(args: argparse.Namespace, ctx: CliContext) -> int:
    output_path(args.out)
    from gnbv_desktop.jobs.sync import SyncError, export_package
    from gnbv_desktop.store.sync_identity import installation

    password = read_password(args.password_file)
    if password and args.no_encrypt:
        raise CliError("Chọn một trong hai: --password-file (mã hóa) hoặc --no-encrypt (không mã hóa).")
    if not password and not args.no_encrypt:
        raise CliError("Gói chứa dữ liệu cá nhân của các hộ: hãy cho mật khẩu bằng --password-file "
                       "(hoặc chọn rõ --no-encrypt để xuất không mã hóa).")
    try:
        rec = run_to_end(export_package(ctx.db, args.out, full=args.full, password=password,
                                        allow_unencrypted=args.no_encrypt, year=_year(args)))
    except SyncError as exc:
        raise CliError(str(exc)) from exc
    if args.json:
        print_json({"file": str(args.out), "sequence": rec.sequence, "base_sequence": rec.base_sequence,
                    "full": rec.is_full, "encrypted": rec.encrypted, "counts": rec.counts})
        return 0
    kind = "đầy đủ" if rec.is_full else f"thay đổi từ gói số {rec.base_sequence}"
    print(f"Đã xuất gói số {rec.sequence} ({kind}) vào {args.out}: {format_number(rec.total)} bản ghi"
          + (", có mã hóa." if rec.encrypted else ", KHÔNG mã hóa (đã ghi vào lịch sử gửi gói)."))
    print(f"Mã nhận dạng khóa của máy này (đọc cho cấp trên khi được hỏi): {installation(ctx.db).fingerprint}")
    return 0


def cmd_sync_import(args: argparse.Namespace, ctx: CliContext) -> int:
    from gnbv_desktop.core.sync_schema import display
    from gnbv_desktop.jobs.sync import SyncError, format_sequences, import_packages
    from gnbv_desktop.store import aggregate

    password = read_password(args.password_file)
    created = not ctx.exists
    db = ctx.db
    try:
        aggregate.make_aggregate(db)
        results = run_to_end(import_packages(db, args.packages, password=password, force_gap=args.force_gap,
                                             replace_commune=args.replace_commune))
    except (SyncError, aggregate.AggregateError) as exc:
        if created:
            ctx.close()
            for suffix in ("", "-wal", "-shm"):
                Path(str(ctx.db_path) + suffix).unlink(missing_ok=True)
        raise CliError(str(exc)) from exc
    if args.json:
        print_json([r.as_dict() for r in results])
        return 0
    for r in results:
        name = display(r.commune_name)
        if r.skipped_note:
            print(f"{r.file_name}: {name} gói số {r.sequence} {r.skipped_note}")
            continue
        note = f" (bỏ qua thiếu gói số {format_sequences(r.missing)})" if r.forced else ""
        if r.replaced:
            note += " (thay toàn bộ dữ liệu cũ của xã)"
        print(f"{r.file_name}: {name} gói số {r.sequence}{note}: {format_number(r.merged.new)} mới, "
              f"{format_number(r.merged.updated)} cập nhật, {format_number(r.merged.unchanged)} không đổi.")
        if r.new_key:
            print(f"  Ghi nhận khóa của {name} (mã xã {r.commune_code}), mã nhận dạng: {r.new_key} — hãy gọi điện "
                  "cho xã để đối chiếu; từ nay chỉ nhận gói ký bằng khóa này.")
    return 0


def cmd_sync_status(args: argparse.Namespace, ctx: CliContext) -> int:
    from gnbv_desktop.core.sync_schema import display
    from gnbv_desktop.jobs.sync import table_label
    from gnbv_desktop.store import aggregate
    from gnbv_desktop.store.settings import is_aggregate
    from gnbv_desktop.store.sync_outbox import list_exports

    db = ctx.db
    if is_aggregate(db):
        communes = aggregate.commune_statuses(db)
        if args.json:
            print_json({"mode": "aggregate", "communes": [
                {"code": c.code, "name": c.name, "province": c.province_name, "last_sequence": c.last_sequence,
                 "last_created_at": c.last_created_at, "last_imported_at": c.last_imported_at,
                 "packages": c.packages, "counts": c.counts, "missing": [list(r) for r in c.missing],
                 "key_fingerprint": c.fingerprint} for c in communes]})
            return 0
        if not communes:
            print("Cấp trên chưa nhận gói đồng bộ nào của các xã (nhập gói bằng lệnh gnbv sync-import).")
        for c in communes:
            counts = ", ".join(f"{format_number(n)} {table_label(t)}" for t, n in sorted(c.counts.items()))
            print(f"{c.code}\t{display(c.name)}\tgói số {c.last_sequence}\t{c.last_created_at[:10]}\t{counts}"
                  f"\t{c.fingerprint or 'chưa có khóa'}")
        return 0
    exports = list_exports(db)
    if args.json:
        print_json({"mode": "commune", "exports": [
            {"sequence": e.sequence, "base_sequence": e.base_sequence, "full": e.is_full, "created_at": e.created_at,
             "file": e.file_name, "counts": e.counts, "encrypted": e.encrypted} for e in exports]})
        return 0
    if not exports:
        print("Chưa xuất gói đồng bộ nào.")
    for e in exports:
        kind = "đầy đủ" if e.is_full else f"thay đổi từ gói {e.base_sequence}"
        print(f"Gói số {e.sequence}\t{e.created_at[:10]}\t{kind}\t{format_number(e.total)} bản ghi\t{e.file_name}")
    return 0


def cmd_ref_export(args: argparse.Namespace, ctx: CliContext) -> int:
    """With ``--targets`` the targets are saved in the same transaction as the package is written:
    a package that cannot be written leaves the recorded targets as they were."""
    output_path(args.out)
    from gnbv_desktop.io.package_zip import PackageError
    from gnbv_desktop.io.reference_package import validate_targets
    from gnbv_desktop.jobs.reference_sync import export_reference
    from gnbv_desktop.jobs.sync import SyncError
    from gnbv_desktop.store.households import ValidationError
    from gnbv_desktop.store.reference import set_upper_targets
    from gnbv_desktop.store.settings import is_aggregate
    from gnbv_desktop.store.sync_identity import installation

    password = read_password(args.password_file)
    year = _year(args)
    db = ctx.db
    targets = None
    if args.targets:
        try:
            targets = json.loads(Path(args.targets).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CliError(f"Không đọc được tệp chỉ tiêu '{args.targets}': {exc}.") from exc
        try:
            validate_targets(targets)
        except PackageError as exc:
            raise CliError(f"Tệp chỉ tiêu '{args.targets}': {exc}") from exc
        if not is_aggregate(db):
            raise CliError("Chỉ cơ sở dữ liệu cấp trên (Chế độ cấp trên) mới xuất gói tham chiếu cho các xã.")
    try:
        with db.atomic():
            if targets is not None:
                set_upper_targets(db, year, targets)
            ref = run_to_end(export_reference(db, args.out, year=year, password=password))
    except SyncError as exc:
        raise CliError(str(exc)) from exc
    except ValidationError as exc:
        raise CliError(f"Tệp chỉ tiêu '{args.targets}': " + " ".join(exc.errors.values())) from exc
    print(f"Đã xuất gói tham chiếu năm {year} vào {args.out}: {len(ref.catalogs)} danh mục, "
          f"{len(ref.standards)} chuẩn nghèo, chỉ tiêu cho {len(ref.targets)} xã.")
    print(f"Mã nhận dạng khóa của máy này (đọc cho các xã khi được hỏi): {installation(db).fingerprint}")
    return 0


def cmd_ref_import(args: argparse.Namespace, ctx: CliContext) -> int:
    from gnbv_desktop.jobs.reference_sync import import_reference
    from gnbv_desktop.jobs.sync import SyncError

    password = read_password(args.password_file)
    try:
        summary = run_to_end(import_reference(ctx.db, args.file, password=password,
                                              replace_key=args.replace_upper_key))
    except SyncError as exc:
        raise CliError(str(exc)) from exc
    targets = summary["targets"]
    print(f"Đã nhập gói tham chiếu: {len(summary['catalogs'])} danh mục, {len(summary['standards'])} chuẩn nghèo"
          + (f", {len(targets)} chỉ tiêu năm {summary['year']}." if targets else ", không có chỉ tiêu cho xã này."))
    for line in summary["standard_changes"]:
        print(f"  {line}")
    if summary.get("new_key"):
        print(f"Ghi nhận khóa của cấp trên, mã nhận dạng: {summary['new_key']} — hãy gọi điện cho cấp trên để đối "
              "chiếu; từ nay chỉ nhận gói tham chiếu ký bằng khóa này.")
    return 0
