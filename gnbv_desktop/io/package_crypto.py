"""Password protection of a whole package file: scrypt key derivation + AES-256-GCM.

Layout: a magic (8 bytes) naming the format version, a JSON header line (KDF parameters, salt and
nonce, hex) ending in ``\\n``, then the ciphertext with its 16-byte tag. The header is authenticated
as associated data, so changing a parameter, a byte of the ciphertext or the password all fail the
same check and nothing of the content is ever returned half-decrypted.

The scrypt cost is fixed by the format version, never taken from the (untrusted) header: a header
asking for gigabytes of memory or minutes of work is refused before any key is derived. Version 2
(written now) costs N = 2^17 (128 MiB, under a second); version 1 files (N = 2^15) are still read.
"""

from __future__ import annotations

import functools
import json
import os
import unicodedata

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC_V1 = b"GNBVENC1"
MAGIC = b"GNBVENC2"
# The only scrypt parameters (n, r, p) each format version may use.
KDF_PARAMS = {MAGIC_V1: (2**15, 8, 1), MAGIC: (2**17, 8, 1)}
SCRYPT_N, SCRYPT_R, SCRYPT_P = KDF_PARAMS[MAGIC]
MIN_PASSWORD_CHARS = 8
_MAX_HEADER = 1024
_BOM = "\ufeff"


class DecryptionError(ValueError):
    """Wrong password, a damaged or tampered file; the message is for the user."""


class PasswordError(ValueError):
    """A password too weak to protect a package; the message is for the user."""


def normalize_password(password: str) -> str:
    """The same password however it was typed: NFC (a Vietnamese ``ế`` typed as ``e`` + two marks
    by one keyboard and as one character by another) and without a leading byte-order mark."""
    return unicodedata.normalize("NFC", password.lstrip(_BOM))


def check_new_password(password: str) -> str:
    """The normalised password for a new package, or :class:`PasswordError` saying why not."""
    password = normalize_password(password)
    if not password.strip():
        raise PasswordError("Mật khẩu không được để trống.")
    if len(password) < MIN_PASSWORD_CHARS:
        raise PasswordError(
            f"Mật khẩu quá ngắn ({len(password)} ký tự); cần ít nhất {MIN_PASSWORD_CHARS} ký tự để bảo vệ dữ liệu hộ."
        )
    return password


def is_encrypted(data: bytes) -> bool:
    return data[: len(MAGIC)] in KDF_PARAMS


@functools.lru_cache(maxsize=4)
def _key(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    """The AES key of one package (its own random salt). Remembered for the last few packages:
    a merge reads a package's summary, then the package, and each read would otherwise derive the
    same key again (0.6 s of CPU and 128 MB for scrypt's n = 2**17)."""
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(password.encode("utf-8"))


def encrypt(data: bytes, password: str) -> bytes:
    password = check_new_password(password)
    salt, nonce = os.urandom(16), os.urandom(12)
    header = json.dumps(
        {"kdf": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P, "salt": salt.hex(),
         "cipher": "AES-256-GCM", "nonce": nonce.hex()},
        separators=(",", ":"),
    ).encode("ascii") + b"\n"
    key = _key(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return MAGIC + header + AESGCM(key).encrypt(nonce, data, MAGIC + header)


def decrypt(blob: bytes, password: str) -> bytes:
    if not is_encrypted(blob):
        raise DecryptionError("Tệp không phải gói được mã hóa.")
    magic = blob[: len(MAGIC)]
    end = blob.find(b"\n", len(magic), len(magic) + _MAX_HEADER)
    if end < 0:
        raise DecryptionError("Phần đầu của gói mã hóa bị hỏng.")
    header_bytes = blob[len(magic) : end + 1]
    try:
        h = json.loads(header_bytes)
        params = (h["n"], h["r"], h["p"])
        salt, nonce = bytes.fromhex(h["salt"]), bytes.fromhex(h["nonce"])
        if h.get("kdf") != "scrypt" or h.get("cipher") != "AES-256-GCM":
            raise ValueError(h.get("cipher"))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DecryptionError("Phần đầu của gói mã hóa bị hỏng hoặc dùng cách mã hóa không hỗ trợ.") from exc
    if params != KDF_PARAMS[magic] or any(type(v) is not int for v in params) or len(salt) != 16 or len(nonce) != 12:
        raise DecryptionError(
            "Tham số mã hóa trong gói không đúng với định dạng (có thể gói đã bị sửa để làm treo máy) — gói bị từ chối."
        )
    if not password:
        raise DecryptionError("Gói được mã hóa: cần nhập mật khẩu đã thống nhất với cấp trên.")
    ciphertext, aad = blob[end + 1 :], magic + header_bytes
    # Version 1 packages were encrypted with the password exactly as typed; try that form too.
    candidates = [normalize_password(password)]
    if magic == MAGIC_V1 and password not in candidates:
        candidates.append(password)
    for candidate in candidates:
        try:
            return AESGCM(_key(candidate, salt, *params)).decrypt(nonce, ciphertext, aad)
        except InvalidTag:
            continue
    raise DecryptionError("Sai mật khẩu, hoặc gói đã bị sửa đổi/hỏng trên đường truyền — không đọc được nội dung.")
