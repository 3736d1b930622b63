"""Signed packages: each installation signs what it sends with its own Ed25519 key.

A signed package's zip is wrapped (before any encryption) as ``MAGIC`` + the signer's 32-byte
public key + a 64-byte signature over ``MAGIC + public key + zip``. The receiver pins the key of
each sender at its first package — after the user has compared the short :func:`core.signing.fingerprint`
with the sender by phone — and from then on refuses packages that are unsigned or signed by
another key. The signature covers every byte of the zip, hence the manifest and, through its
checksums, every entry.
"""

from __future__ import annotations

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from gnbv_desktop.core.signing import public_key

MAGIC = b"GNBVSIG1"
_KEY, _SIG = 32, 64


class SignatureError(ValueError):
    """A signature that does not verify; the message is for the user."""


def sign_envelope(data: bytes, private_key: bytes) -> bytes:
    key = Ed25519PrivateKey.from_private_bytes(private_key)
    pub = public_key(private_key)
    return MAGIC + pub + key.sign(MAGIC + pub + data) + data


def is_signed(blob: bytes) -> bool:
    return blob[: len(MAGIC)] == MAGIC


def open_envelope(blob: bytes) -> tuple[bytes, bytes | None]:
    """``(content, signer's public key)`` of a signed blob, ``(blob, None)`` of an unsigned one."""
    if not is_signed(blob):
        return blob, None
    head = len(MAGIC)
    if len(blob) < head + _KEY + _SIG:
        raise SignatureError("Chữ ký của gói bị hỏng: gói không đầy đủ (bị cắt khi sao chép).")
    pub, sig, data = blob[head : head + _KEY], blob[head + _KEY : head + _KEY + _SIG], blob[head + _KEY + _SIG :]
    try:
        Ed25519PublicKey.from_public_bytes(pub).verify(sig, MAGIC + pub + data)
    except (InvalidSignature, ValueError) as exc:
        raise SignatureError(
            "Chữ ký của gói không khớp — gói bị hỏng, không đầy đủ (bị cắt khi sao chép) hoặc đã bị sửa đổi sau "
            "khi ký. Gói bị từ chối."
        ) from exc
    return data, pub
