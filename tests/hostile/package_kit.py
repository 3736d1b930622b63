"""Crafting hostile sync and reference packages at test time (no binaries in the repository).

A forger is assumed to hold the commune's own signing key unless a case says otherwise: the
signature then proves nothing and every refusal must come from the content checks. Raw zips are
built byte by byte when a case needs what ``zipfile`` would not write (lying sizes, other
compression methods, zip64 markers).
"""

from __future__ import annotations

import bz2
import io
import json
import os
import shutil
import struct
import subprocess
import sys
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from gnbv_desktop.cli import main
from gnbv_desktop.io.package_zip import seal, sha256
from gnbv_desktop.io.sync_package import FORMAT, FORMAT_VERSION
from gnbv_desktop.store.sync_identity import installation
from gnbv_desktop.store.sync_outbox import collect_changes, plan_export
from tests.hostile.kit import canonical_dump  # noqa: F401 (the kit's one canonical dump)

ROOT = Path(__file__).resolve().parents[2]
CODE, NAME = "23764", "Xã Ia Grai"
GIB = 1024**3


@dataclass
class World:
    """A small commune, its key, and an aggregate that already merged the commune's first package."""

    commune_db: Path
    aggregate_db: Path
    installation_uuid: str
    key: bytes
    tables: dict[str, list[dict]]  # the commune's records, as its full package carries them


def load_world(commune_db, commune_path: Path, aggregate_path: Path) -> World:
    me = installation(commune_db)
    plan = plan_export(commune_db, full=True)
    tables = {t: [json.loads(line) for line in lines] for t, lines in collect_changes(commune_db, plan).items()}
    return World(commune_path, aggregate_path, me.uuid, me.private_key, tables)


def copy_tables(world: World) -> dict[str, list[dict]]:
    return json.loads(json.dumps(world.tables))


def manifest(world: World, tables: dict[str, list], **changes) -> dict:
    m = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "app_version": "0.1.0",
        "commune": {"code": CODE, "name": NAME, "province": "Gia Lai"},
        "installation": world.installation_uuid, "upper_level": "Sở Nông nghiệp và Môi trường tỉnh Gia Lai",
        "created_at": "2026-11-20T08:00:00+00:00", "sequence": 2, "base_sequence": 0,
        "counts": {t: len(rows) for t, rows in tables.items()}, "attachments": [],
    }
    m.update(changes)
    return m


def lines(rows: list) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")


def craft(world: World, *, tables: dict[str, list] | None = None, manifest_changes: dict | None = None,
          extra: dict[str, bytes] | None = None, entries: dict[str, bytes] | None = None,
          manifest_override: dict | None = None, key: bytes | None | str = "commune",
          password: str | None = None) -> bytes:
    """A package: the commune's records (or ``tables``) with ``manifest_changes``; ``extra`` entries
    are added and listed in the manifest's checksums; signed with the commune's key by default."""
    tables = copy_tables(world) if tables is None else tables
    files = {f"{t}.jsonl": lines(rows) for t, rows in tables.items()} if entries is None else dict(entries)
    files.update(extra or {})
    m = manifest_override if manifest_override is not None else manifest(world, tables, **(manifest_changes or {}))
    if "files" not in m:
        m = {**m, "files": {name: sha256(data) for name, data in files.items()}}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(m, ensure_ascii=False))
        for name, data in files.items():
            zf.writestr(name, data)
    signing = world.key if key == "commune" else key
    return seal(buf.getvalue(), password, signing)


@dataclass
class RawEntry:
    name: str
    payload: bytes  # as stored (already compressed)
    method: int = zipfile.ZIP_DEFLATED
    declared_size: int | None = None
    crc: int | None = None  # default: the true CRC of a stored payload, 0 for a compressed one
    flags: int = 0


def raw_zip(entries: list[RawEntry], *, zip64_marker: bool = False) -> bytes:
    """A zip written byte by byte: sizes, methods and flags say whatever the case needs."""
    out, central = bytearray(), bytearray()
    for e in entries:
        name = e.name.encode("utf-8")
        size = len(e.payload) if e.declared_size is None else e.declared_size
        offset = len(out)
        crc = e.crc if e.crc is not None else zlib.crc32(e.payload) if e.method == zipfile.ZIP_STORED else 0
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, e.flags, e.method, 0, 0, crc, len(e.payload),
                           size, len(name), 0) + name + e.payload
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, e.flags, e.method, 0, 0, crc,
                               len(e.payload), size, len(name), 0, 0, 0, 0, 0, offset) + name
    count = 0xFFFF if zip64_marker else len(entries)
    return bytes(out + central + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(central),
                                             len(out), 0))


def deflate_zeros(total: int) -> bytes:
    """Raw deflate of ``total`` zero bytes, produced in chunks (about 1 KB per MB)."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = bytes(16 * 1024**2)
    parts = []
    for _ in range(total // len(chunk)):
        parts.append(c.compress(chunk))
    parts.append(c.compress(bytes(total % len(chunk))))
    parts.append(c.flush())
    return b"".join(parts)


def bzip2_zeros(total: int) -> bytes:
    c = bz2.BZ2Compressor(9)
    chunk = bytes(16 * 1024**2)
    parts = [c.compress(chunk) for _ in range(total // len(chunk))]
    parts.append(c.flush())
    return b"".join(parts)


def fresh_aggregate(world: World, tmp_path: Path) -> Path:
    target = tmp_path / "tinh.sqlite3"
    shutil.copyfile(world.aggregate_db, target)
    return target


def run_cli(capsys, db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


_LIMITED = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({mem}, {mem}))
resource.setrlimit(resource.RLIMIT_CPU, ({cpu}, {cpu}))
from gnbv_desktop.cli import main
sys.exit(main(sys.argv[1:]))
"""


def run_limited(db: Path, *args: str, memory: int = GIB, seconds: int = 60) -> subprocess.CompletedProcess:
    """The CLI in a child process limited to ``memory`` bytes of address space and ``seconds`` of
    CPU (and wall-clock): a bomb that got through would kill the child, not the test run."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", _LIMITED.format(mem=memory, cpu=seconds), "--db", str(db), *args],
        capture_output=True, text=True, timeout=seconds, env=env, cwd=str(ROOT),
    )
