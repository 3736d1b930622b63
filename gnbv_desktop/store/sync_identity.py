"""Who sends a package and whom a receiver trusts.

Every installation (one database) has a UUID and an Ed25519 key pair, created on first need; its
packages carry the UUID in the manifest and are signed with the key. The upper level binds each
commune code to the installation, name and key of its first package; a commune pins the key of
its upper level at the first reference package. Comparing the short fingerprint by phone is what
turns "first seen" into "trusted".
"""

from __future__ import annotations

import uuid as _uuid
from dataclasses import dataclass

from sqlite_utils import Database

from gnbv_desktop.core.signing import fingerprint, new_private_key, public_key
from gnbv_desktop.store.records import now_iso

UPPER_LEVEL = "upper_level"


@dataclass(frozen=True)
class Installation:
    uuid: str
    private_key: bytes

    @property
    def public_key(self) -> bytes:
        return public_key(self.private_key)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)


def existing_installation(db: Database) -> Installation | None:
    """This database's identity if it has one already (a read, never a write: safe on the UI thread)."""
    row = db.execute("SELECT uuid, signing_key FROM installation_identity WHERE id = 1").fetchone()
    return Installation(row[0], bytes(row[1])) if row else None


def installation(db: Database) -> Installation:
    """This database's identity, created (and committed) the first time it is asked for."""
    row = db.execute("SELECT uuid, signing_key FROM installation_identity WHERE id = 1").fetchone()
    if row is None:
        with db.atomic():
            db.execute(
                "INSERT OR IGNORE INTO installation_identity (id, uuid, signing_key, created_at) VALUES (1, ?, ?, ?)",
                [str(_uuid.uuid4()), new_private_key(), now_iso()],
            )
        row = db.execute("SELECT uuid, signing_key FROM installation_identity WHERE id = 1").fetchone()
    return Installation(row[0], bytes(row[1]))


@dataclass(frozen=True)
class TrustedSigner:
    public_key: bytes
    name: str
    pinned_at: str

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)


def trusted_signer(db: Database, role: str = UPPER_LEVEL) -> TrustedSigner | None:
    row = db.execute("SELECT public_key, name, pinned_at FROM trusted_signers WHERE role = ?", [role]).fetchone()
    return TrustedSigner(bytes.fromhex(row[0]), row[1], row[2]) if row else None


def pin_signer(db: Database, key: bytes, name: str, role: str = UPPER_LEVEL) -> None:
    """Trust ``key`` for ``role`` from now on (inside the caller's transaction)."""
    db.execute(
        "INSERT INTO trusted_signers (role, public_key, name, pinned_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(role) DO UPDATE SET public_key = excluded.public_key, name = excluded.name, "
        "pinned_at = excluded.pinned_at",
        [role, key.hex(), name, now_iso()],
    )


def forget_signer(db: Database, role: str = UPPER_LEVEL) -> None:
    """Let the next reference package pin a new key (the upper level reinstalled its computer)."""
    with db.atomic():
        db.execute("DELETE FROM trusted_signers WHERE role = ?", [role])
