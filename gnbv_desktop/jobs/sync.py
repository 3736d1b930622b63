"""Sync jobs: a commune exports its package; the upper level merges packages from many communes.

Both run as generators yielding :class:`Progress` (GUI off the UI thread, CLI in place). An
import checks every package completely before writing, and writes a whole batch in one
transaction: one refused package leaves the aggregate exactly as it was.
"""

from __future__ import annotations

import datetime as _dt
import os
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from gnbv_desktop import __version__
from gnbv_desktop.core.file_errors import describe_os_error
from gnbv_desktop.core.limits import MAX_NAME_CHARS
from gnbv_desktop.core.signing import fingerprint
from gnbv_desktop.core.sync_schema import RecordSchema, commune_code_problem, display, text_problem
from gnbv_desktop.core.text import format_date
from gnbv_desktop.io.package_crypto import PasswordError, check_new_password
from gnbv_desktop.io.package_zip import DEFAULT_LIMITS, Limits, PackageError, read_file, sha256
from gnbv_desktop.io.partial_files import track_partial
from gnbv_desktop.io.sync_package import (
    PackageInfo,
    SyncPackageReader,
    SyncPackageWriter,
    open_sync_package,
    read_sync_info,
    record_schemas,
)
from gnbv_desktop.jobs.progress import Job, Progress
from gnbv_desktop.store import aggregate
from gnbv_desktop.store.backup import BackupError, backup_before_job
from gnbv_desktop.store.database import immediate_transaction
from gnbv_desktop.store.households import stats
from gnbv_desktop.store.index_rebuild import page_cache_widened
from gnbv_desktop.store.read_only import READ_ONLY_WRITE_MESSAGE
from gnbv_desktop.store.records import SYNCED_TABLES, now_iso
from gnbv_desktop.store.settings import get_value, is_aggregate, load_settings, set_value
from gnbv_desktop.store.sync_identity import installation
from gnbv_desktop.store.sync_outbox import ExportRecord, iter_export_lines, plan_export, record_export, synced_columns

# Vietnamese names of synced tables for progress and summaries; an unlisted table shows its name.
TABLE_LABELS = {
    "villages": "thôn",
    "households": "hộ gia đình",
    "members": "nhân khẩu",
    "assessments": "kết quả rà soát",
    "helpers": "người giúp đỡ",
    "helper_assignments": "phân công giúp đỡ",
    "household_plans": "kế hoạch hỗ trợ hộ",
    "plan_items": "giải pháp hỗ trợ",
    "commune_plans": "kế hoạch của xã",
    "resident_households": "hộ dân cư",
    "reviews": "kỳ rà soát đã kết thúc",
    "transitions": "biến động hộ nghèo, hộ cận nghèo",
}


MERGE_CACHE_KIB = 8 * 1024


class SyncError(ValueError):
    """A refused export or import; the message is for the user and nothing was changed."""


def table_label(table: str) -> str:
    return TABLE_LABELS.get(table, table)


def summary_name(year: int) -> str:
    return f"tong-hop-{year}.xlsx"


def export_package(
    db: Database,
    out_path: str | Path,
    *,
    full: bool = False,
    password: str | None = None,
    allow_unencrypted: bool = False,
    year: int | None = None,
) -> Job[ExportRecord]:
    """Write the commune's next package to ``out_path`` and remember it.

    Incremental (rows whose ``rev`` passed the last package's, deletions included as tombstones)
    unless ``full`` or nothing was exported before. With ``year`` the summary XLSX of that year's
    list goes along. The package is signed with this installation's key and encrypted with
    ``password``; an unencrypted package (personal data readable by anyone holding the file) is
    written only when ``allow_unencrypted`` says the user chose it, and the history records it.
    """
    out_path = Path(out_path)
    if is_aggregate(db):
        raise SyncError("Đây là cơ sở dữ liệu cấp trên; gói đồng bộ chỉ được xuất từ dữ liệu của xã.")
    settings = load_settings(db)
    if not settings.commune_name or not settings.commune_code:
        raise SyncError(
            "Chưa khai báo tên và mã đơn vị hành chính của xã (Cài đặt) — cấp trên cần mã xã để ghép dữ liệu."
        )
    problem = commune_code_problem(settings.commune_code) or text_problem(
        settings.commune_name, max_chars=MAX_NAME_CHARS, blank_ok=False)
    if problem:
        raise SyncError(f"Tên hoặc mã xã trong Cài đặt không dùng được cho gói đồng bộ: {problem}")
    if password:
        try:
            password = check_new_password(password)
        except PasswordError as exc:
            raise SyncError(str(exc)) from exc
    elif not allow_unencrypted:
        raise SyncError(
            "Gói chứa số CCCD, điện thoại, địa chỉ của các hộ: hãy đặt mật khẩu đã thống nhất với cấp trên "
            "(hoặc chọn rõ xuất không mã hóa)."
        )
    try:
        identity = installation(db)
    except sqlite3.DatabaseError as exc:
        raise SyncError(database_problem(exc)) from exc
    steps = len(SYNCED_TABLES) + 2
    with db.atomic():  # one consistent snapshot of every table
        plan = plan_export(db, full)
        info = PackageInfo(
            commune_code=settings.commune_code,
            commune_name=settings.commune_name,
            province_name=settings.province_name,
            upper_level=settings.upper_level,
            installation_uuid=identity.uuid,
            sequence=plan.sequence,
            base_sequence=plan.base_sequence,
            created_at=now_iso(),
            app_version=__version__,
        )
        # Each table goes from the SELECT into the compressed package row by row: only the
        # compressed package is held, never the records.
        writer = SyncPackageWriter(info)
        for i, table in enumerate(SYNCED_TABLES):
            yield Progress(i, steps, f"Đang đọc và đóng gói {table_label(table)}…")
            writer.add_table(table, iter_export_lines(db, table, plan.rev_from, plan.rev_to))
        if year is not None:
            year_stats = stats(db, year)
            if year_stats["households"]:
                from gnbv_desktop.io.summary_xlsx import summary_workbook  # openpyxl: only for this attachment

                writer.add_attachment(summary_name(year), summary_workbook(
                    year_stats, settings.commune_name, format_date(_dt.date.today())))
    yield Progress(steps - 2, steps, "Đang ký và mã hóa gói…")
    try:
        blob = writer.finish(password or None, identity.private_key)
    except ValueError as exc:
        raise SyncError(str(exc)) from exc
    yield Progress(steps - 1, steps, "Đang ghi tệp…")
    tmp = track_partial(out_path.with_name(out_path.name + ".tmp"))
    try:
        tmp.write_bytes(blob)
        os.replace(tmp, out_path)
    except OSError as exc:
        if tmp.is_file():  # a folder of that name is not ours to remove
            tmp.unlink()
        raise SyncError(f"Không ghi được tệp '{out_path}': {describe_os_error(exc)}.") from exc
    counts = dict(writer.counts)
    try:
        record = record_export(db, plan, out_path.name, counts, sha256(blob), bool(password))
    except sqlite3.DatabaseError as exc:
        out_path.unlink(missing_ok=True)
        raise SyncError(database_problem(exc)) from exc
    except Exception:
        out_path.unlink(missing_ok=True)
        raise
    yield Progress(steps, steps, "Đã xuất gói.")
    return record


@dataclass
class ImportResult:
    """What one package did to the aggregate."""

    file_name: str
    commune_code: str
    commune_name: str
    sequence: int
    base_sequence: int
    already_imported: bool = False
    forced: bool = False
    missing: list[tuple[int, int]] = field(default_factory=list)
    merged: aggregate.MergeCounts = field(default_factory=aggregate.MergeCounts)
    new_key: str = ""  # fingerprint of a key pinned by this package (first package or replacement)
    replaced: bool = False
    superseded_by: int = 0  # number of a newer full package already held: this one changed nothing
    encrypted: bool = False
    signed: bool = False

    @property
    def skipped_note(self) -> str:
        """Why this package changed nothing (Vietnamese), or ``""`` when it was merged."""
        if self.already_imported:
            return "đã nhập trước đây — không thay đổi gì."
        if self.superseded_by:
            return (f"cấp trên đã có gói đầy đủ số {self.superseded_by} mới hơn của xã — gói cũ này được bỏ qua, "
                    "không thay đổi gì.")
        return ""

    def as_dict(self) -> dict:
        return {
            "file": self.file_name,
            "commune_code": self.commune_code,
            "commune_name": self.commune_name,
            "sequence": self.sequence,
            "base_sequence": self.base_sequence,
            "status": ("already_imported" if self.already_imported
                       else "superseded" if self.superseded_by else "imported"),
            "superseded_by": self.superseded_by,
            "forced": self.forced,
            "missing": [list(r) for r in self.missing],
            "replaced": self.replaced,
            "encrypted": self.encrypted,
            "signed": self.signed,
            "new_key_fingerprint": self.new_key,
            **self.merged.as_dict(),
        }


def format_sequences(ranges: list[tuple[int, int]]) -> str:
    """``[(2, 4), (7, 7)]`` → ``2–4, 7`` for messages."""
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in ranges)


REQUIRE_ENCRYPTION = "require_encrypted_packages"


def identity_problem(b: aggregate.Binding, info: PackageInfo) -> str:
    """Why a package cannot come from the commune the aggregate bound its code to, or ``""``."""
    if b.installation_uuid and info.installation_uuid != b.installation_uuid:
        sent = f"máy {info.installation_uuid[:8]}" if info.installation_uuid else "một phiên bản cũ không ghi mã máy"
        return (f"mã xã {b.code} đã gắn với máy (cài đặt) {b.installation_uuid[:8]} của {display(b.name)}, "
                f"còn gói này đến từ {sent}.")
    if info.commune_name != b.name:
        return f"mã xã {b.code} đã đăng ký với tên '{display(b.name)}', gói ghi tên '{display(info.commune_name)}'."
    if b.public_key is not None and info.signer is None:
        return (f"gói không có chữ ký, trong khi {display(b.name)} đã gửi gói ký bằng khóa có mã nhận dạng "
                f"{fingerprint(b.public_key)}.")
    if b.public_key is not None and info.signer != b.public_key:
        return (f"gói được ký bằng khóa {fingerprint(info.signer)}, không phải khóa đã ghi nhận của "
                f"{display(b.name)} ({fingerprint(b.public_key)}) — có thể là gói giả mạo.")
    return ""


def import_packages(
    db: Database,
    paths: list[str | Path],
    *,
    password: str | None = None,
    force_gap: bool = False,
    replace_commune: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> Job[list[ImportResult]]:
    """Merge packages into the aggregate, all or nothing.

    First every file's container, signature and manifest is checked and the batch is ordered by
    commune and sequence (so packages 1 and 2 may come in any order); then, in one write
    transaction, each package's sender is checked against the commune code's binding, its records
    are validated in full and merged. A refused package rolls everything back.

    ``replace_commune``: a full package of a known commune sent from another installation (a
    reinstalled laptop) replaces everything the aggregate holds for that commune and re-binds the
    code to the new installation and key — never adds to the old data.
    """
    if not is_aggregate(db):
        raise SyncError("Chỉ cơ sở dữ liệu cấp trên (Chế độ cấp trên) mới nhập được gói đồng bộ của các xã.")
    paths = [Path(p) for p in paths]
    if not paths:
        raise SyncError("Chưa chọn gói nào để nhập.")
    encryption_required = bool(password) or get_value(db, REQUIRE_ENCRYPTION) == "1"
    n = len(paths)
    checked: list[tuple[PackageInfo, str, Path]] = []
    for i, path in enumerate(paths):
        yield Progress(i, 2 * n, f"Đang kiểm tra {path.name}…")
        blob = _read(path, limits)
        info = _refusing(path, lambda b=blob: read_sync_info(b, password, limits=limits))
        if encryption_required and not info.encrypted:
            raise SyncError(
                f"Gói '{path.name}' bị từ chối: gói không được mã hóa, trong khi cấp trên dùng mật khẩu cho gói "
                "của các xã. Đề nghị xã xuất lại gói có mật khẩu."
            )
        checked.append((info, sha256(blob), path))
    checked.sort(key=lambda c: (c[0].commune_code, c[0].sequence))
    schemas = record_schemas(synced_columns(db))
    results = []
    replaced: set[str] = set()
    incoming = sum(sum(info.counts.values()) for info, _sha, _path in checked)
    pending = [i for i, (info, sha, _p) in enumerate(checked)
               if aggregate.imported_package_id(db, info.commune_code, sha) is None]
    if pending:
        yield Progress(n, 2 * n, "Đang sao lưu trước khi nhập…")
        try:
            backup_before_job(db, "truoc-nhap-goi-dong-bo")
        except BackupError as exc:  # a read-only file, a full disk: nothing was changed
            raise SyncError(str(exc)) from exc
    # Records are merged in batches sorted by key, so each batch touches its commune's part of the
    # (table, commune, UUID) index; a moderate page cache keeps that part in memory (measured: a
    # larger one saves no time and costs its size).
    with (page_cache_widened(db, MERGE_CACHE_KIB), write_transaction(db),
          aggregate.statistics_indexes_suspended(db, incoming)):
        merged_shas: set[tuple[str, str]] = set()
        for i, (info, sha, path) in enumerate(checked):
            step = f"Gói {i + 1}/{n} ({display(info.commune_name)}, số {info.sequence})"
            yield Progress(n + i, 2 * n, f"{step}: đang kiểm tra gói…")
            result = ImportResult(path.name, info.commune_code, info.commune_name, info.sequence, info.base_sequence,
                                  encrypted=info.encrypted, signed=info.signer is not None)
            results.append(result)
            # Decided again under the write lock: a second import of the same file waiting for this one
            # finds it imported instead of inserting it twice.
            if (info.commune_code, sha) in merged_shas or aggregate.imported_package_id(
                    db, info.commune_code, sha) is not None:
                result.already_imported = True
                continue
            merged_shas.add((info.commune_code, sha))
            reader = _open_for_merge(path, sha, password, limits, schemas)
            yield from _merge_package(db, reader, path, sha, result, step, progress=(n + i, 2 * n),
                                      may_replace=replace_commune and info.commune_code not in replaced,
                                      force_gap=force_gap)
            if result.replaced:
                replaced.add(info.commune_code)
        if password:  # from now on an unencrypted package is refused (it may be forged)
            set_value(db, REQUIRE_ENCRYPTION, "1")
    yield Progress(2 * n, 2 * n, "Đã nhập xong.")
    return results


def _merge_package(db: Database, reader: SyncPackageReader, path: Path, sha: str, result: ImportResult, step: str, *,
                   progress: tuple[int, int], may_replace: bool, force_gap: bool) -> Job[None]:
    """Check one (content-checked) package's sender, its place in the commune's history (a package
    older than the newest full one is skipped), sequence and references, then merge its records
    batch by batch, inside the caller's transaction."""
    info = reader.info
    _check_sender(db, info, path, may_replace, result)
    if not result.replaced:
        _place_in_history(db, info, sha, path, result)
    if result.superseded_by:
        return
    if result.replaced:
        aggregate.remove_commune_data(db, info.commune_code)
    result.missing = aggregate.missing_sequences(db, info.commune_code, info.base_sequence)
    if result.missing and not force_gap:
        raise SyncError(
            f"Gói '{path.name}' của {display(info.commune_name)} là gói thay đổi số {info.sequence} dựa trên "
            f"gói số {info.base_sequence}, nhưng cấp trên chưa nhận gói số {format_sequences(result.missing)}. "
            "Hãy nhập các gói còn thiếu trước, hoặc đề nghị xã gửi một gói đầy đủ "
            "(hoặc chọn bỏ qua kiểm tra thiếu gói)."
        )
    result.forced = bool(result.missing)
    if not result.forced:
        dangling = aggregate.unresolved_reference(db, info.commune_code, reader.external_references)
        if dangling is not None:
            raise SyncError(
                f"Gói '{path.name}' bị từ chối: tệp {dangling.table}.jsonl, dòng {dangling.line}, trường "
                f"{dangling.field}: trỏ tới bản ghi {dangling.uuid} không có trong gói này cũng như trong dữ "
                "liệu đã nhận của xã."
            )
    aggregate.bind_commune(db, commune_code=info.commune_code, commune_name=info.commune_name,
                           province_name=info.province_name, installation_uuid=info.installation_uuid,
                           public_key=info.signer)
    package_id = aggregate.begin_package(
        db,
        commune_code=info.commune_code,
        commune_name=info.commune_name,
        province_name=info.province_name,
        sequence=info.sequence,
        base_sequence=info.base_sequence,
        created_at=info.created_at,
        file_name=path.name,
        sha=sha,
        counts=info.counts,
        forced=result.forced,
        installation_uuid=info.installation_uuid,
        encrypted=info.encrypted,
        signed=info.signer is not None,
        replaced_data=result.replaced,
    )
    live: dict[str, int] = {}
    for table, batches in reader.tables():
        yield Progress(*progress, f"{step}: đang ghép {table_label(table)}…")
        result.merged.add(_refusing(path, lambda t=table, b=batches: aggregate.merge_records(
            db, package_id, info.commune_code, t, b, live)))
    aggregate.store_attachments(
        db, package_id, info.commune_code, {k: (sha256(v), v) for k, v in reader.attachments.items()}
    )
    aggregate.finish_package(db, package_id, result.merged, live)


def _place_in_history(db: Database, info: PackageInfo, sha: str, path: Path, result: ImportResult) -> None:
    """Decide what a package from the commune's own installation does to what the aggregate holds.

    A full package is the commune's whole list: newer than every package held, it replaces the
    commune's data (``result.replaced``) — after ``gnbv demo --replace`` or a restore at the
    commune the records have new UUIDs or older change counters, and merging would add the new
    list to the old one. Older than the newest full package held, it is skipped
    (``result.superseded_by``); in between (a full package closing a gap) it merges as usual.
    An incremental package older than the newest full package is skipped too. One that reuses a
    number already held with other content, or builds on a package older than the newest full one,
    cannot be placed: refused, asking the commune for a full package.
    """
    code, here = info.commune_code, (info.sequence, info.created_at)
    full = aggregate.latest_package(db, code, full_only=True)
    newest = aggregate.latest_package(db, code)
    if info.is_full:
        if full is not None and here < full:
            result.superseded_by = full[0]
        elif newest is None or here > newest:
            result.replaced = newest is not None
        return
    if full is not None and info.sequence < full[0]:
        result.superseded_by = full[0]
        return
    ask_full = (f"Hãy đề nghị {display(info.commune_name)} xuất một gói đầy đủ (Đồng bộ → Gói đầy đủ, hoặc lệnh "
                "gnbv sync-export --full) và nhập gói đó; gói đầy đủ sẽ thay toàn bộ dữ liệu cũ của xã.")
    if aggregate.sequence_taken(db, code, info.sequence, sha):
        raise SyncError(
            f"Gói '{path.name}' bị từ chối: cấp trên đã nhận một gói số {info.sequence} khác của "
            f"{display(info.commune_name)} (xã đã khôi phục bản sao lưu cũ hoặc làm lại dữ liệu), nên không biết gói "
            f"thay đổi này dựa trên dữ liệu nào. {ask_full}"
        )
    if full is not None and info.base_sequence < full[0]:
        raise SyncError(
            f"Gói '{path.name}' bị từ chối: đây là gói thay đổi dựa trên gói số {info.base_sequence}, nhưng cấp trên "
            f"đã có gói đầy đủ số {full[0]} mới hơn của {display(info.commune_name)} nên không còn giữ gói "
            f"số {info.base_sequence} làm gốc. {ask_full}"
        )


def _check_sender(db: Database, info: PackageInfo, path: Path, may_replace: bool, result: ImportResult) -> None:
    """Refuse a package whose sender does not match the commune code's binding, unless it is a
    full package allowed to replace the commune's data; sets ``result.replaced`` and ``new_key``."""
    bound = aggregate.binding(db, info.commune_code)
    if bound is None:
        result.new_key = fingerprint(info.signer) if info.signer else ""
        return
    problem = identity_problem(bound, info)
    if not problem and not (may_replace and info.is_full):
        if bound.public_key is None and info.signer is not None:
            result.new_key = fingerprint(info.signer)
        return
    if not may_replace:
        raise SyncError(
            f"Gói '{path.name}' bị từ chối: {problem} Nếu xã đã cài lại máy hoặc đổi tên, hãy gọi điện xác nhận "
            "rồi nhập một gói đầy đủ của xã với lựa chọn thay thế dữ liệu của xã (--replace-commune)."
        )
    if not info.is_full:
        raise SyncError(
            f"Gói '{path.name}' bị từ chối: thay thế dữ liệu của xã {info.commune_code} cần một gói đầy đủ, "
            f"đây là gói thay đổi từ gói số {info.base_sequence}."
        )
    result.replaced = True
    result.new_key = fingerprint(info.signer) if info.signer else ""


@contextmanager
def write_transaction(db: Database):
    """:func:`immediate_transaction` (a second writer waits for the first, the connection's busy
    timeout; nothing half-written) with its database failures as Vietnamese messages."""
    try:
        with immediate_transaction(db):
            yield db
    except sqlite3.IntegrityError as exc:
        raise SyncError(
            "Một gói trong lượt này vừa được nhập bởi một cửa sổ hoặc lệnh khác cùng lúc; không có gì thay đổi. "
            "Hãy xem lại Tình trạng các xã rồi nhập lại nếu cần."
        ) from exc
    except sqlite3.DatabaseError as exc:
        raise SyncError(database_problem(exc)) from exc


def database_problem(exc: sqlite3.DatabaseError) -> str:
    """A database failure during an import, in Vietnamese; nothing was changed."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return ("Cơ sở dữ liệu đang được một cửa sổ hoặc lệnh GNBV khác ghi; đã chờ nhưng chưa đến lượt. "
                "Hãy đợi việc kia xong rồi thử lại — không có gì thay đổi.")
    if "readonly" in text or "read-only" in text:
        return READ_ONLY_WRITE_MESSAGE
    if "full" in text:
        return "Ổ đĩa đã đầy: không ghi được dữ liệu, không có gì thay đổi. Hãy giải phóng dung lượng rồi thử lại."
    return f"Lỗi cơ sở dữ liệu khi ghi ({display(exc, 120)}); không có gì thay đổi."


def _open_for_merge(path: Path, sha: str, password: str | None, limits: Limits,
                    schemas: dict[str, RecordSchema]) -> SyncPackageReader:
    """The package at ``path`` checked again in full (it may have changed since the first look):
    container, signature, manifest, every entry's caps and checksum, every record — streamed,
    keeping what the write needs of each record (``SyncPackageReader.check``), so none is parsed twice."""
    blob = _read(path, limits)
    if sha256(blob) != sha:
        raise SyncError(f"Gói '{path.name}' đã thay đổi trong khi nhập; hãy nhập lại.")
    reader = _refusing(path, lambda: open_sync_package(blob, password, limits=limits, schemas=schemas))
    _refusing(path, reader.check)
    return reader


def _read(path: Path, limits: Limits) -> bytes:
    return _refusing(path, lambda: read_file(path, limits))


def _refusing(path: Path, fn):
    """Run ``fn``; a PackageError becomes a SyncError naming the file."""
    try:
        return fn()
    except PackageError as exc:
        raise SyncError(f"Gói '{path.name}' bị từ chối: {exc}") from exc
