"""Sync jobs: a commune exports its package; the upper level merges packages from many communes.

Both run as generators yielding :class:`Progress` (GUI off the UI thread, CLI in place). An
import checks every package completely before writing, and writes a whole batch in one
transaction: one refused package leaves the aggregate exactly as it was.
"""

from __future__ import annotations

import datetime as _dt
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from gnbv_desktop import __version__
from gnbv_desktop.core.text import format_date
from gnbv_desktop.io.package_zip import DEFAULT_LIMITS, Limits, PackageError, read_file, sha256
from gnbv_desktop.io.partial_files import track_partial
from gnbv_desktop.io.summary_xlsx import summary_workbook
from gnbv_desktop.io.sync_package import (
    PackageInfo,
    build_sync_package,
    read_sync_info,
    read_sync_package,
)
from gnbv_desktop.jobs.progress import Job, Progress
from gnbv_desktop.jobs.worker_process import die_with_parent
from gnbv_desktop.store import aggregate
from gnbv_desktop.store.backup import backup_before_job
from gnbv_desktop.store.households import stats
from gnbv_desktop.store.records import SYNCED_TABLES, now_iso
from gnbv_desktop.store.settings import load_settings
from gnbv_desktop.store.sync_outbox import ExportRecord, export_lines, plan_export, record_export

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
}


MERGE_CACHE_KIB = 256 * 1024


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
    year: int | None = None,
    attachments: dict[str, bytes] | None = None,
) -> Job[ExportRecord]:
    """Write the commune's next package to ``out_path`` and remember it.

    Incremental (rows whose ``rev`` passed the last package's, deletions included) unless ``full``
    or nothing was exported before. With ``year`` the summary XLSX of that year's list goes along.
    """
    out_path = Path(out_path)
    if aggregate.is_aggregate(db):
        raise SyncError("Đây là cơ sở dữ liệu cấp trên; gói đồng bộ chỉ được xuất từ dữ liệu của xã.")
    settings = load_settings(db)
    if not settings.commune_name or not settings.commune_code:
        raise SyncError(
            "Chưa khai báo tên và mã đơn vị hành chính của xã (Cài đặt) — cấp trên cần mã xã để ghép dữ liệu."
        )
    steps = len(SYNCED_TABLES) + 2
    files = dict(attachments or {})
    with db.atomic():  # one consistent snapshot of every table
        plan = plan_export(db, full)
        tables = {}
        for i, table in enumerate(SYNCED_TABLES):
            yield Progress(i, steps, f"Đang đọc {table_label(table)}…")
            tables[table] = export_lines(db, table, plan.rev_from, plan.rev_to)
        if year is not None:
            year_stats = stats(db, year)
            if year_stats["households"]:
                files.setdefault(summary_name(year),
                                 summary_workbook(year_stats, settings.commune_name, format_date(_dt.date.today())))
    yield Progress(steps - 2, steps, "Đang đóng gói…")
    info = PackageInfo(
        commune_code=settings.commune_code,
        commune_name=settings.commune_name,
        province_name=settings.province_name,
        upper_level=settings.upper_level,
        sequence=plan.sequence,
        base_sequence=plan.base_sequence,
        created_at=now_iso(),
        app_version=__version__,
    )
    try:
        blob = build_sync_package(info, tables, files, password or None)
    except ValueError as exc:
        raise SyncError(str(exc)) from exc
    yield Progress(steps - 1, steps, "Đang ghi tệp…")
    tmp = track_partial(out_path.with_name(out_path.name + ".tmp"))
    try:
        tmp.write_bytes(blob)
        os.replace(tmp, out_path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise SyncError(f"Không ghi được tệp '{out_path}': {exc.strerror or exc}.") from exc
    counts = {t: len(rows) for t, rows in tables.items()}
    try:
        record = record_export(db, plan, out_path.name, counts, sha256(blob), bool(password))
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
    missing: list[int] = field(default_factory=list)
    merged: aggregate.MergeCounts = field(default_factory=aggregate.MergeCounts)

    def as_dict(self) -> dict:
        return {
            "file": self.file_name,
            "commune_code": self.commune_code,
            "commune_name": self.commune_name,
            "sequence": self.sequence,
            "base_sequence": self.base_sequence,
            "status": "already_imported" if self.already_imported else "imported",
            "forced": self.forced,
            "missing": self.missing,
            **self.merged.as_dict(),
        }


def format_sequences(seqs: list[int]) -> str:
    """``[2, 3, 4, 7]`` → ``2–4, 7`` for messages."""
    parts, start = [], None
    for i, s in enumerate(seqs):
        if start is None:
            start = s
        if i + 1 == len(seqs) or seqs[i + 1] != s + 1:
            parts.append(str(s) if s == start else f"{start}–{s}")
            start = None
    return ", ".join(parts)


def import_packages(
    db: Database,
    paths: list[str | Path],
    *,
    password: str | None = None,
    force_gap: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> Job[list[ImportResult]]:
    """Merge packages into the aggregate, all or nothing.

    First every file's container and manifest is checked and the batch is ordered by commune and
    sequence (so packages 1 and 2 may come in any order); then, in one transaction, each package's
    records are validated in full and merged. A refused package rolls everything back.
    """
    if not aggregate.is_aggregate(db):
        raise SyncError("Chỉ cơ sở dữ liệu cấp trên (Chế độ cấp trên) mới nhập được gói đồng bộ của các xã.")
    paths = [Path(p) for p in paths]
    if not paths:
        raise SyncError("Chưa chọn gói nào để nhập.")
    n = len(paths)
    checked: list[tuple[PackageInfo, str, Path]] = []
    for i, path in enumerate(paths):
        yield Progress(i, 2 * n, f"Đang kiểm tra {path.name}…")
        blob = _read(path, limits)
        info = _refusing(path, lambda b=blob: read_sync_info(b, password, limits=limits))
        checked.append((info, sha256(blob), path))
    checked.sort(key=lambda c: (c[0].commune_code, c[0].sequence))
    results = []
    # Merging inserts records at random places of the (table, commune, UUID) index: a larger page
    # cache for this connection keeps that index in memory instead of re-reading pages.
    db.execute(f"PRAGMA cache_size = -{MERGE_CACHE_KIB}")
    incoming = sum(sum(info.counts.values()) for info, _sha, _path in checked)
    to_parse = [i for i, (info, sha, _p) in enumerate(checked)
                if aggregate.imported_package_id(db, info.commune_code, sha) is None]
    if to_parse:
        yield Progress(n, 2 * n, "Đang sao lưu trước khi nhập…")
        backup_before_job(db, "truoc-nhap-goi-dong-bo")
    with _parser(len(to_parse)) as parse, db.atomic(), aggregate.statistics_indexes_suspended(db, incoming):
        parsed = {i: parse(str(checked[i][2]), checked[i][1], password, limits) for i in to_parse[:1]}
        merged_shas: set[tuple[str, str]] = set()
        for i, (info, sha, path) in enumerate(checked):
            step = f"Gói {i + 1}/{n} ({info.commune_name}, số {info.sequence})"
            yield Progress(n + i, 2 * n, f"{step}: đang kiểm tra bản ghi…")
            result = ImportResult(path.name, info.commune_code, info.commune_name, info.sequence, info.base_sequence)
            results.append(result)
            if i not in parsed or (info.commune_code, sha) in merged_shas:
                result.already_imported = True
                continue
            merged_shas.add((info.commune_code, sha))
            following = [j for j in to_parse if j > i][:1]
            for j in following:  # parsed on the second core while this package is written
                parsed[j] = parse(str(checked[j][2]), checked[j][1], password, limits)
            rows, attachments = parsed.pop(i).result()
            result.missing = aggregate.missing_sequences(db, info.commune_code, info.base_sequence)
            if result.missing and not force_gap:
                raise SyncError(
                    f"Gói '{path.name}' của {info.commune_name} là gói thay đổi số {info.sequence} dựa trên gói số "
                    f"{info.base_sequence}, nhưng cấp trên chưa nhận gói số {format_sequences(result.missing)}. "
                    "Hãy nhập các gói còn thiếu trước, hoặc đề nghị xã gửi một gói đầy đủ "
                    "(hoặc chọn bỏ qua kiểm tra thiếu gói)."
                )
            result.forced = bool(result.missing)
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
            )
            for table, records in rows.items():
                yield Progress(n + i, 2 * n, f"{step}: đang ghép {table_label(table)}…")
                result.merged.add(aggregate.merge_records(db, package_id, info.commune_code, table, records))
            aggregate.store_attachments(
                db, package_id, info.commune_code, {k: (sha256(v), v) for k, v in attachments.items()}
            )
            aggregate.finish_package(db, package_id, result.merged)
    yield Progress(2 * n, 2 * n, "Đã nhập xong.")
    return results


def parse_for_merge(
    path: str, sha: str, password: str | None, limits: Limits
) -> tuple[dict[str, list[aggregate.MergeRow]], dict[str, bytes]]:
    """Read and validate one package completely; return its records as compact merge rows.

    Top-level (picklable) so a large batch can run it in a second process.
    """
    file = Path(path)
    blob = _read(file, limits)
    if sha256(blob) != sha:
        raise SyncError(f"Gói '{file.name}' đã thay đổi trong khi nhập; hãy nhập lại.")
    pkg = _refusing(file, lambda: read_sync_package(blob, password, limits=limits))
    rows = {
        table: [(r["uuid"], r["change_counter"], r["updated_at"], int(r["deleted"]), line) for r, line in records]
        for table, records in pkg.records.items()
    }
    return rows, pkg.attachments


# From this many packages on, parsing runs in a second process (the machine has two cores and
# parsing is Python work that would otherwise wait for the database writes).
PARALLEL_PARSE_FROM = 3


class _Done:
    """A finished computation with the interface of a Future."""

    def __init__(self, fn, *args):
        self._value, self._error = None, None
        try:
            self._value = fn(*args)
        except Exception as exc:  # re-raised where the result is used, as a Future would
            self._error = exc

    def result(self):
        if self._error is not None:
            raise self._error
        return self._value


@contextmanager
def _parser(packages: int):
    """``parse(path, sha, password, limits)`` returning a future: in a worker process for big batches."""
    if packages < PARALLEL_PARSE_FROM:
        yield lambda *args: _Done(parse_for_merge, *args)
        return
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                               initializer=die_with_parent, initargs=(os.getpid(),))
    try:
        yield lambda *args: pool.submit(parse_for_merge, *args)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _read(path: Path, limits: Limits) -> bytes:
    return _refusing(path, lambda: read_file(path, limits))


def _refusing(path: Path, fn):
    """Run ``fn``; a PackageError becomes a SyncError naming the file."""
    try:
        return fn()
    except PackageError as exc:
        raise SyncError(f"Gói '{path.name}' bị từ chối: {exc}") from exc
