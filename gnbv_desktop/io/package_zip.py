"""The container shared by sync (``.gnbv``) and reference (``.gnbvref``) packages.

A zip holding ``manifest.json`` (format name and version, the SHA-256 of every other entry) and
plain-named entries; optionally signed by the sending installation (:mod:`package_signing`) and
encrypted as a whole (:mod:`package_crypto`): ``encrypt(sign(zip))``.

Reading treats the file as hostile: before a caller sees a single byte of content it checks the
size, the password, the signature, the zip's directory (entry count, names, duplicates, the
compression method), then decompresses each entry as a stream with hard caps per entry and in
total — whatever sizes the zip declares — and verifies every checksum. Memory stays bounded by
the caps, never by what a file claims.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from gnbv_desktop.core.file_errors import describe_os_error
from gnbv_desktop.core.sync_schema import display
from gnbv_desktop.io.package_crypto import DecryptionError, decrypt, encrypt, is_encrypted
from gnbv_desktop.io.package_signing import SignatureError, open_envelope, sign_envelope

MANIFEST = "manifest.json"
_PLAIN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$")
_EOCD = b"PK\x05\x06"
_EOCD_SIZE = 22
_CHUNK = 256 * 1024
# The writer uses deflate only. bzip2 and LZMA are refused: Python's zipfile decompresses each of
# their blocks whole, so a few kilobytes could expand to gigabytes in a single call.
_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}


class PackageError(ValueError):
    """A package that is refused; the message names the problem in Vietnamese."""


@dataclass(frozen=True)
class Limits:
    """What a package may hold; anything beyond is refused as damaged or as a zip bomb.

    The caps apply to the bytes actually decompressed, so a zip declaring small sizes cannot get
    past them. 5,000 households unpack to about 27 MB (3.5 MB file): the caps leave room for a
    commune of 40,000 and keep an import of a package at the caps within 1 GB of memory.
    """

    max_file_bytes: int = 128 * 1024**2
    max_entry_bytes: int = 256 * 1024**2
    max_total_bytes: int = 256 * 1024**2
    max_manifest_bytes: int = 1024**2
    max_entries: int = 64
    # Records compress about 5–15 times; zeros or repeated junk compress hundreds of times.
    max_ratio: int = 100
    ratio_applies_above: int = 1024**2


DEFAULT_LIMITS = Limits()


@dataclass
class Container:
    """A package that passed every container check."""

    manifest: dict
    entries: dict[str, bytes]
    signer: bytes | None  # the Ed25519 public key that signed it, None when unsigned
    encrypted: bool


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_plain_name(name: str) -> bool:
    return bool(_PLAIN_NAME.match(name))


def read_file(path: Path, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """A package file's bytes, refusing one too large to be a package before reading it."""
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            raise PackageError(
                f"Tệp gói quá lớn ({size // 1024**2} MB, tối đa {limits.max_file_bytes // 1024**2} MB)."
            )
        with path.open("rb") as f:
            data = f.read(limits.max_file_bytes + 1)
    except OSError as exc:
        raise PackageError(f"Không đọc được tệp '{path}': {describe_os_error(exc)}.") from exc
    if len(data) > limits.max_file_bytes:
        raise PackageError(f"Tệp gói quá lớn (tối đa {limits.max_file_bytes // 1024**2} MB).")
    return data


class PackageWriter:
    """A package's zip written entry by entry, each entry from a stream of chunks: only the
    compressed zip is held, never an entry's content whole. The manifest, listing every entry's
    SHA-256, is written last; :meth:`finish` signs and encrypts."""

    def __init__(self) -> None:
        self._buf = io.BytesIO()
        # Level 3: half the time of level 6 for a package about 15 % larger (20,000 households: 14 MB).
        self._zf = zipfile.ZipFile(self._buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=3)
        self._files: dict[str, str] = {}

    def add(self, name: str, chunks: Iterable[bytes]) -> None:
        if not is_plain_name(name) or name == MANIFEST or name in self._files:
            raise ValueError(f"Tên tệp trong gói không hợp lệ: {name!r}")
        digest = hashlib.sha256()
        with self._zf.open(name, "w") as f:
            for chunk in chunks:
                digest.update(chunk)
                f.write(chunk)
        self._files[name] = digest.hexdigest()

    def finish(self, manifest: dict, password: str | None = None, signing_key: bytes | None = None) -> bytes:
        self._zf.writestr(MANIFEST, json.dumps({**manifest, "files": self._files}, ensure_ascii=False, indent=2))
        self._zf.close()
        zip_bytes = self._buf.getvalue()
        self._buf.close()
        return seal(zip_bytes, password, signing_key)


def write_package(manifest: dict, entries: dict[str, bytes], password: str | None = None,
                  signing_key: bytes | None = None) -> bytes:
    """Zip ``entries`` with a manifest listing their checksums; sign with the installation's key
    when given, then encrypt when a password is given."""
    for name in entries:
        if not is_plain_name(name) or name == MANIFEST:
            raise ValueError(f"Tên tệp trong gói không hợp lệ: {name!r}")
    writer = PackageWriter()
    for name, data in entries.items():
        writer.add(name, (data,))
    return writer.finish(manifest, password, signing_key)


def seal(zip_bytes: bytes, password: str | None = None, signing_key: bytes | None = None) -> bytes:
    """Sign (when a key is given), then encrypt (when a password is given) a package's zip."""
    blob = sign_envelope(zip_bytes, signing_key) if signing_key else zip_bytes
    return encrypt(blob, password) if password else blob


def unseal(blob: bytes, password: str | None = None, limits: Limits = DEFAULT_LIMITS) -> tuple[bytes, bytes | None, bool]:
    """``(zip bytes, signer's public key or None, was encrypted)``: decrypt and check the signature."""
    if len(blob) > limits.max_file_bytes:
        raise PackageError(
            f"Tệp gói quá lớn ({len(blob) // 1024**2} MB, tối đa {limits.max_file_bytes // 1024**2} MB)."
        )
    encrypted = is_encrypted(blob)
    if encrypted:
        try:
            blob = decrypt(blob, password or "")
        except DecryptionError as exc:
            raise PackageError(str(exc)) from exc
    try:
        zip_bytes, signer = open_envelope(blob)
    except SignatureError as exc:
        raise PackageError(str(exc)) from exc
    return zip_bytes, signer, encrypted


def read_container(
    blob: bytes,
    *,
    format_name: str,
    format_version: int,
    password: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    read_entries: bool = True,
) -> Container:
    """Decrypt (when needed), check the signature, check and unpack; raises PackageError.

    With ``read_entries=False`` only the container (directory, names, methods) and the manifest
    are checked and ``entries`` is empty: a quick look before the full read, which verifies checksums.
    """
    opened = open_container(blob, format_name=format_name, format_version=format_version, password=password,
                            limits=limits)
    entries: dict[str, bytes] = {}
    if read_entries:
        for name in sorted(opened.names):
            data = opened.read(name, opened.budget)
            if sha256(data) != opened.manifest["files"][name]:
                raise PackageError(_checksum_problem(name))
            entries[name] = data
    return Container(opened.manifest, entries, opened.signer, opened.encrypted)


class OpenContainer:
    """A package whose container, signature and manifest passed, read entry by entry as a stream
    (caps enforced on what comes out): a package of any size costs the memory of one chunk, not
    of its contents."""

    def __init__(self, zf: zipfile.ZipFile, manifest: dict, budget: _Budget, signer: bytes | None, encrypted: bool):
        self._zf, self.budget = zf, budget  # the budget left after the manifest, for the first full read
        self.manifest, self.signer, self.encrypted, self.limits = manifest, signer, encrypted, budget.limits
        self.names = set(manifest["files"])

    def chunks(self, name: str, budget: _Budget | None = None) -> Iterator[bytes]:
        """``name``'s content, decompressed chunk by chunk under the caps."""
        try:
            yield from _entry_chunks(self._zf, self._zf.getinfo(name), self.limits.max_entry_bytes,
                                     budget or _Budget(self.limits))
        except _ZIP_ERRORS as exc:
            raise _damaged(exc) from exc

    def read(self, name: str, budget: _Budget | None = None) -> bytes:
        return b"".join(self.chunks(name, budget))

    def verified(self, name: str) -> VerifiedEntry:
        """``name`` as a stream checked against the manifest's SHA-256 at its end, decompressed
        under the caps per entry and (from :attr:`budget`) for the whole package."""
        return VerifiedEntry(name, self.chunks(name, self.budget), self.manifest["files"][name])


class VerifiedEntry:
    """An entry read once, as a stream: its SHA-256 is computed on the way and compared with the
    manifest's by :meth:`finish` — which a reader calls at the end, and also before reporting a
    problem it found in the content, so that a damaged entry is reported as damaged."""

    def __init__(self, name: str, chunks: Iterator[bytes], expected: str):
        self.name, self._chunks, self._expected = name, chunks, expected
        self._digest = hashlib.sha256()
        self._broken = False  # the stream itself was refused (caps, damaged zip): that is the problem to report

    def __iter__(self) -> Iterator[bytes]:
        try:
            for chunk in self._chunks:
                self._digest.update(chunk)
                yield chunk
        except PackageError:
            self._broken = True
            raise

    def finish(self) -> None:
        """Read what is left (under the same caps) and refuse the entry if its checksum differs."""
        if self._broken:
            return
        for chunk in self._chunks:
            self._digest.update(chunk)
        if self._digest.hexdigest() != self._expected:
            raise PackageError(_checksum_problem(self.name))


def open_container(
    blob: bytes,
    *,
    format_name: str,
    format_version: int,
    password: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> OpenContainer:
    """Decrypt (when needed), check the signature, the zip's directory and the manifest; raises
    PackageError. The entries are then read one at a time, under the caps, with
    :meth:`OpenContainer.chunks` or :meth:`OpenContainer.verified`."""
    zip_bytes, signer, encrypted = unseal(blob, password, limits)
    try:
        zf, manifest, budget = _open_zip(zip_bytes, format_name, format_version, limits)
    except _ZIP_ERRORS as exc:
        raise _damaged(exc) from exc
    return OpenContainer(zf, manifest, budget, signer, encrypted)


_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError, struct.error)


def _damaged(exc: Exception) -> PackageError:
    return PackageError(f"Tệp gói bị hỏng hoặc không đầy đủ (có thể bị cắt khi sao chép): {exc}.")


def _checksum_problem(name: str) -> str:
    return f"Mã kiểm tra SHA-256 của '{name}' không khớp — gói đã bị sửa đổi hoặc hỏng."


def read_package(
    blob: bytes,
    *,
    format_name: str,
    format_version: int,
    password: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    read_entries: bool = True,
) -> tuple[dict, dict[str, bytes]]:
    """:func:`read_container` as ``(manifest, entries)`` for callers that do not pin a signer
    (a package with a wrong signature is refused all the same)."""
    c = read_container(blob, format_name=format_name, format_version=format_version, password=password,
                       limits=limits, read_entries=read_entries)
    return c.manifest, c.entries


def _check_directory(zip_bytes: bytes, limits: Limits) -> None:
    """Refuse a zip whose central directory alone would cost memory or time to parse, before
    ``zipfile`` builds an object for each of its entries."""
    start = max(0, len(zip_bytes) - 65535 - _EOCD_SIZE)
    pos = zip_bytes.rfind(_EOCD, start)
    if pos < 0 or len(zip_bytes) - pos < _EOCD_SIZE:
        raise PackageError("Tệp gói bị hỏng hoặc không đầy đủ (có thể bị cắt khi sao chép): không tìm thấy mục lục "
                           "của tệp zip — có thể đây không phải gói GNBV.")
    _sig, _disk, _cd_disk, _n_disk, n_total, cd_size, _cd_offset, _comment = struct.unpack(
        "<4s4H2LH", zip_bytes[pos : pos + _EOCD_SIZE]
    )
    if n_total == 0xFFFF or cd_size == 0xFFFFFFFF:
        raise PackageError("Gói dùng định dạng zip64 mà gói GNBV không bao giờ dùng — gói bị từ chối.")
    if n_total > limits.max_entries or cd_size > limits.max_entries * 1024:
        raise PackageError(f"Gói có quá nhiều tệp ({n_total}, tối đa {limits.max_entries}).")


def _open_zip(blob: bytes, format_name: str, format_version: int, limits: Limits
              ) -> tuple[zipfile.ZipFile, dict, _Budget]:
    """The zip, its manifest, and the package's decompression budget after the manifest, once the
    directory and the manifest passed every check."""
    _check_directory(blob, limits)
    zf = zipfile.ZipFile(io.BytesIO(blob))
    infos = zf.infolist()
    if len(infos) > limits.max_entries:
        raise PackageError(f"Gói có quá nhiều tệp ({len(infos)}, tối đa {limits.max_entries}).")
    names: set[str] = set()
    for info in infos:
        name = info.filename
        if not is_plain_name(name):
            raise PackageError(
                f"Gói chứa đường dẫn không hợp lệ '{_shown(name)}' (chỉ chấp nhận tên tệp đơn, không có thư mục, "
                "'../' hay đường dẫn tuyệt đối). Gói bị từ chối."
            )
        if name in names:
            raise PackageError(f"Gói chứa hai tệp cùng tên '{name}'.")
        names.add(name)
        if info.compress_type not in _METHODS or info.flag_bits & 0x1:
            raise PackageError(
                f"Tệp '{name}' trong gói dùng cách nén hoặc mã hóa zip không được hỗ trợ — gói bị từ chối."
            )
        if info.file_size > limits.max_entry_bytes:
            raise PackageError(
                f"Tệp '{name}' trong gói quá lớn khi giải nén ({info.file_size // 1024**2} MB, "
                f"tối đa {limits.max_entry_bytes // 1024**2} MB)."
            )
    if MANIFEST not in names:
        raise PackageError("Gói không có tệp mô tả manifest.json — không phải gói GNBV.")
    budget = _Budget(limits)
    raw_manifest = b"".join(_entry_chunks(zf, zf.getinfo(MANIFEST),
                                          min(limits.max_manifest_bytes, limits.max_entry_bytes), budget))
    try:
        manifest = json.loads(raw_manifest)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise PackageError(f"Tệp manifest.json không đọc được: {_shown(str(exc))}.") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != format_name:
        raise PackageError(f"Tệp không phải loại gói mong đợi ({format_name}).")
    version = manifest.get("format_version")
    if type(version) is not int or version < 1:
        raise PackageError("manifest.json thiếu phiên bản định dạng hợp lệ.")
    if version > format_version:
        raise PackageError(
            f"Gói dùng định dạng phiên bản {version}, phần mềm này chỉ đọc đến phiên bản {format_version}. "
            "Hãy cập nhật GNBV Desktop."
        )
    files = manifest.get("files")
    if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
        raise PackageError("manifest.json thiếu danh sách mã kiểm tra (files).")
    listed, present = set(files), names - {MANIFEST}
    if listed - present:
        raise PackageError(f"Gói thiếu tệp ghi trong manifest: {_names(listed - present)}.")
    if present - listed:
        raise PackageError(f"Gói có tệp không ghi trong manifest: {_names(present - listed)}.")
    return zf, manifest, budget


class _Budget:
    """Bytes decompressed so far across the whole package."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.used = 0

    def spend(self, n: int) -> None:
        self.used += n
        if self.used > self.limits.max_total_bytes:
            raise PackageError(
                f"Tổng dung lượng giải nén của gói vượt giới hạn {self.limits.max_total_bytes // 1024**2} MB — "
                "nghi là gói độc hại (zip bomb), bị từ chối."
            )


def _entry_chunks(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, budget: _Budget) -> Iterator[bytes]:
    """One entry decompressed chunk by chunk, stopping at ``cap`` bytes, the package budget or an
    abnormal compression ratio — counted on what comes out, not on what the zip declares."""
    limits = budget.limits
    size = 0
    ratio_cap = limits.max_ratio * max(info.compress_size, 1)
    with zf.open(info) as f:
        while chunk := f.read(_CHUNK):
            size += len(chunk)
            if size > cap:
                raise PackageError(
                    f"Tệp '{info.filename}' trong gói quá lớn khi giải nén (hơn {cap // 1024**2 or 1} MB) — "
                    "nghi là gói độc hại (zip bomb), bị từ chối."
                )
            if size > limits.ratio_applies_above and size > ratio_cap:
                raise PackageError(
                    f"Tệp '{info.filename}' có tỉ lệ nén bất thường (hơn {limits.max_ratio}:1) — "
                    "nghi là gói độc hại (zip bomb), bị từ chối."
                )
            budget.spend(len(chunk))
            yield chunk


def _shown(text: str) -> str:
    return display(text, 80)


def _names(names: set[str]) -> str:
    shown = sorted(names)
    return ", ".join(shown[:5]) + (f" và {len(shown) - 5} tệp khác" if len(shown) > 5 else "")
