"""Reference package jobs: the upper level exports catalogues, standards and targets; a commune imports them."""

from __future__ import annotations

import os
from pathlib import Path

from sqlite_utils import Database

from gnbv_desktop import __version__
from gnbv_desktop.core.file_errors import describe_os_error
from gnbv_desktop.core.signing import fingerprint
from gnbv_desktop.core.standards import StandardError
from gnbv_desktop.io.package_crypto import PasswordError
from gnbv_desktop.io.package_zip import DEFAULT_LIMITS, Limits, PackageError, read_file, seal, unseal
from gnbv_desktop.io.partial_files import track_partial
from gnbv_desktop.io.reference_package import ReferencePackage, build_reference_package, read_reference_package
from gnbv_desktop.jobs.progress import Job, Progress
from gnbv_desktop.jobs.sync import SyncError
from gnbv_desktop.store.backup import backup_before_job
from gnbv_desktop.store.catalog_store import CatalogError
from gnbv_desktop.store.database import immediate_transaction
from gnbv_desktop.store.households import ValidationError
from gnbv_desktop.store.records import now_iso
from gnbv_desktop.store.reference import (
    apply_reference,
    reference_catalogs,
    standard_documents,
    upper_targets,
)
from gnbv_desktop.store.settings import is_aggregate, load_settings
from gnbv_desktop.store.sync_identity import installation, pin_signer, trusted_signer


def export_reference(
    db: Database, out_path: str | Path, *, year: int, password: str | None = None
) -> Job[ReferencePackage]:
    """Write the reference package for ``year`` (targets as recorded with ``set_upper_targets``)."""
    out_path = Path(out_path)
    if not is_aggregate(db):
        raise SyncError("Chỉ cơ sở dữ liệu cấp trên (Chế độ cấp trên) mới xuất gói tham chiếu cho các xã.")
    yield Progress(0, 2, "Đang chuẩn bị danh mục, chuẩn nghèo và chỉ tiêu…")
    ref = ReferencePackage(
        issuer=load_settings(db).commune_name,
        created_at=now_iso(),
        year=year,
        catalogs=reference_catalogs(db),
        standards=standard_documents(db),
        targets=upper_targets(db, year),
    )
    try:  # signed by this (upper-level) installation; communes pin its key at their first package
        blob = seal(build_reference_package(ref, __version__, None), password or None, installation(db).private_key)
    except PasswordError as exc:
        raise SyncError(str(exc)) from exc
    yield Progress(1, 2, "Đang ghi tệp…")
    tmp = track_partial(out_path.with_name(out_path.name + ".tmp"))
    try:
        tmp.write_bytes(blob)
        os.replace(tmp, out_path)
    except OSError as exc:
        if tmp.is_file():  # a folder of that name is not ours to remove
            tmp.unlink()
        raise SyncError(f"Không ghi được tệp '{out_path}': {describe_os_error(exc)}.") from exc
    yield Progress(2, 2, "Đã xuất gói tham chiếu.")
    return ref


def import_reference(
    db: Database, path: str | Path, *, password: str | None = None, limits: Limits = DEFAULT_LIMITS,
    replace_key: bool = False,
) -> Job[dict]:
    """Apply a reference package to a commune: catalogues, standards, this commune's targets.

    The targets land in the year's commune plan (Kế hoạch hỗ trợ); the standards received
    classify from the next ``standards_in_force`` on (every connection reads them from the database). The first
    signed package pins its signer's key (``summary["new_key"]`` is its fingerprint, to confirm by
    phone); afterwards a package unsigned or signed by another key is refused. ``replace_key``
    (the upper level reinstalled its computer, confirmed by phone) pins this package's key instead.
    """
    path = Path(path)
    if is_aggregate(db):
        raise SyncError("Gói tham chiếu dành cho xã; cơ sở dữ liệu cấp trên không nhập gói này.")
    yield Progress(0, 2, f"Đang kiểm tra {path.name}…")
    try:
        zip_bytes, signer, _encrypted = unseal(read_file(path, limits), password, limits)
        ref = read_reference_package(zip_bytes, None, limits=limits)
    except PackageError as exc:
        raise SyncError(f"Gói '{path.name}' bị từ chối: {exc}") from exc
    trusted = None if replace_key else trusted_signer(db)
    if replace_key and signer is None:
        raise SyncError(f"Gói '{path.name}' bị từ chối: gói không có chữ ký nên không thể ghi nhận làm khóa mới.")
    if trusted is not None and signer != trusted.public_key:
        what = "không có chữ ký" if signer is None else f"được ký bằng khóa khác ({fingerprint(signer)})"
        raise SyncError(
            f"Gói '{path.name}' bị từ chối: gói {what}, trong khi gói tham chiếu của cấp trên "
            f"({trusted.name or 'đã nhận trước đây'}) được ký bằng khóa {trusted.fingerprint}. Nếu cấp trên đã cài "
            "lại máy, hãy gọi điện xác nhận rồi bỏ ghi nhận khóa cũ trong trang Đồng bộ."
        )
    code = load_settings(db).commune_code
    yield Progress(1, 2, "Đang sao lưu trước khi nhập…")
    backup_before_job(db, "truoc-nhap-goi-tham-chieu")
    yield Progress(1, 2, "Đang cập nhật danh mục và chỉ tiêu…")
    try:
        # the package's data and its signer's key in one transaction: a power cut between the two
        # would leave the data in with no key pinned, and the next package, signed by anyone, trusted
        with immediate_transaction(db):
            summary = apply_reference(
                db,
                catalogs=ref.catalogs,
                standards=ref.standards,
                year=ref.year,
                targets=ref.targets.get(code) if code else None,
                source=ref.issuer,
            )
            if trusted is None and signer is not None:
                pin_signer(db, signer, ref.issuer)
    except (CatalogError, ValidationError, StandardError) as exc:
        raise SyncError(f"Gói '{path.name}' bị từ chối: {exc}") from exc
    summary["new_key"] = fingerprint(signer) if trusted is None and signer is not None else ""
    yield Progress(2, 2, "Đã nhập gói tham chiếu.")
    return summary
