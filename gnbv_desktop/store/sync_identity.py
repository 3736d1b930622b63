"""Who sends a package and whom a receiver trusts.

Every installation (one database) has a UUID and an Ed25519 key pair, created on first need; its
packages carry the UUID in the manifest and are signed with the key. The upper level binds each
commune code to the installation, name and key of its first package; a commune pins the key of
its upper level at the first reference package. Comparing the short fingerprint by phone is what
turns "first seen" into "trusted".
"""

from __future__ import annotations

import sqlite3
import uuid as _uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gnbv_desktop.core.signing import fingerprint, new_private_key, public_key
from gnbv_desktop.store.records import now_iso

if TYPE_CHECKING:
    from sqlite_utils import Database

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


def highest_sequence(db: Database) -> int:
    """The highest sync package number this installation ever issued.

    Package numbers must never be reused: the upper level tells a new package from one it already
    has by its number, and a reused number would make it add a new list to an old one. The mark is
    kept in ``installation_identity``, which ``gnbv demo --replace`` keeps (``reset.KEPT_TABLES``)
    while it empties the package history. A restore brings back an older file whose mark is lower,
    so :func:`store.backup.restore` carries the current mark over (:func:`keep_identity`).
    A file copied back by hand outside the program can still go back in time; the upper level
    then sees a number it already holds with other content, and asks for a full package.
    A database from before the mark counts its history's last number.
    """
    return read_highest_sequence(db.conn)


def read_highest_sequence(conn) -> int:
    """:func:`highest_sequence` on a plain sqlite3 connection (a read-only one before a restore);
    a file without the tables (older schema) counts what it has."""
    highest = 0
    for sql in ("SELECT highest_sequence FROM installation_identity WHERE id = 1",
                "SELECT MAX(sequence) FROM sync_exports"):
        try:
            row = conn.execute(sql).fetchone()
        except sqlite3.OperationalError:  # the column or table came with a later version
            continue
        highest = max(highest, (row[0] or 0) if row else 0)
    return highest


@dataclass(frozen=True)
class SavedIdentity:
    """An installation's identity and package-number mark, read from a file about to be restored over."""

    uuid: str
    signing_key: bytes
    created_at: str
    highest_sequence: int


def read_saved_identity(conn) -> SavedIdentity | None:
    """The identity of the database on ``conn`` (a plain, possibly read-only sqlite3 connection)."""
    try:
        row = conn.execute("SELECT uuid, signing_key, created_at FROM installation_identity WHERE id = 1").fetchone()
    except sqlite3.OperationalError:  # a file from before identities
        row = None
    return SavedIdentity(row[0], bytes(row[1]), row[2], read_highest_sequence(conn)) if row else None


def keep_identity(db: Database, saved: SavedIdentity) -> None:
    """After a restore (inside the caller's transaction): a backup taken before this installation's
    first package has no identity — it gets the one the upper level already knows, instead of a
    new one that the upper level would refuse as another computer's; and the mark never goes down."""
    db.execute(
        "INSERT OR IGNORE INTO installation_identity (id, uuid, signing_key, created_at) VALUES (1, ?, ?, ?)",
        [saved.uuid, saved.signing_key, saved.created_at],
    )
    raise_highest_sequence(db, saved.highest_sequence)


def raise_highest_sequence(db: Database, sequence: int) -> None:
    """Never let the mark go below ``sequence`` (inside the caller's transaction). Without an
    identity yet there is nothing to mark: the first package creates one, and its history counts."""
    db.execute("UPDATE installation_identity SET highest_sequence = MAX(highest_sequence, ?) WHERE id = 1",
               [sequence])


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
