"""Password protection of a whole package file: scrypt key derivation + AES-256-GCM.

Layout: ``MAGIC`` (8 bytes), a JSON header line (KDF parameters, salt and nonce, hex) ending in
``\\n``, then the ciphertext with its 16-byte tag. The header is authenticated as associated
data, so changing a parameter, a byte of the ciphertext or the password all fail the same check
and nothing of the content is ever returned half-decrypted.
"""

from __future__ import annotations

import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"GNBVENC1"
# scrypt cost: ~32 MiB of memory and a fraction of a second per attempt, which makes guessing slow.
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
_MAX_N = 2**20  # refuse headers that would make us allocate gigabytes
_MAX_HEADER = 1024


class DecryptionError(ValueError):
    """Wrong password, a damaged or tampered file; the message is for the user."""


def is_encrypted(data: bytes) -> bool:
    return data.startswith(MAGIC)


def _key(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(password.encode("utf-8"))


def encrypt(data: bytes, password: str) -> bytes:
    if not password:
        raise ValueError("Mật khẩu không được để trống.")
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
    if not password:
        raise DecryptionError("Gói được mã hóa: cần nhập mật khẩu đã thống nhất với cấp trên.")
    end = blob.find(b"\n", len(MAGIC), len(MAGIC) + _MAX_HEADER)
    if end < 0:
        raise DecryptionError("Phần đầu của gói mã hóa bị hỏng.")
    header_bytes = blob[len(MAGIC) : end + 1]
    try:
        h = json.loads(header_bytes)
        n, r, p = int(h["n"]), int(h["r"]), int(h["p"])
        salt, nonce = bytes.fromhex(h["salt"]), bytes.fromhex(h["nonce"])
        if h.get("kdf") != "scrypt" or h.get("cipher") != "AES-256-GCM":
            raise ValueError(h.get("cipher"))
    except (ValueError, KeyError, TypeError) as exc:
        raise DecryptionError("Phần đầu của gói mã hóa bị hỏng hoặc dùng cách mã hóa không hỗ trợ.") from exc
    if not (2 <= n <= _MAX_N and n & (n - 1) == 0 and 1 <= r <= 32 and 1 <= p <= 16 and len(nonce) == 12):
        raise DecryptionError("Tham số mã hóa trong gói nằm ngoài giới hạn cho phép.")
    try:
        key = _key(password, salt, n, r, p)
        return AESGCM(key).decrypt(nonce, blob[end + 1 :], MAGIC + header_bytes)
    except InvalidTag as exc:
        raise DecryptionError(
            "Sai mật khẩu, hoặc gói đã bị sửa đổi/hỏng trên đường truyền — không đọc được nội dung."
        ) from exc
