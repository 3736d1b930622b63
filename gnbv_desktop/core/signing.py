"""Ed25519 keys of an installation and their short fingerprint (pure functions over bytes).

Every installation signs the packages it sends; a receiver pins the sender's public key after
comparing :func:`fingerprint` with the sender by phone. The key functions import ``cryptography``
when called: reading a fingerprint (``gnbv stats`` on an upper-level file) needs only hashlib.
"""

from __future__ import annotations


def new_private_key() -> bytes:
    """A fresh installation key (32 raw bytes)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def public_key(private_key: bytes) -> bytes:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.from_private_bytes(private_key).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )


def fingerprint(public: bytes) -> str:
    """A public key in a form to read aloud by phone: 16 digits in groups of four."""
    import hashlib  # here: the desktop app's start imports this module (store.aggregate) without a key to show

    digits = str(int.from_bytes(hashlib.sha256(b"gnbv-key:" + public).digest()[:8], "big") % 10**16).zfill(16)
    return " ".join(digits[i : i + 4] for i in range(0, 16, 4))
