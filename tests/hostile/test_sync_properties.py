"""Hypothesis: generated manifests, records and damaged bytes, with the kit's one oracle.

Whatever is generated, an import either refuses with a clean Vietnamese message naming the file
and leaves the aggregate's canonical dump unchanged, or accepts and stores exactly what was sent —
and then what was sent passes independent sanity checks (64-bit integers, finite numbers, no
control characters, canonical UUIDs). Any other exception fails the test.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from gnbv_desktop.jobs.progress import run_to_end
from gnbv_desktop.jobs.sync import SyncError, import_packages
from gnbv_desktop.store import aggregate
from gnbv_desktop.store.database import open_database
from tests.hostile.package_kit import CODE, canonical_dump, copy_tables, craft, manifest

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                             HealthCheck.too_slow])
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e]")

scalars = st.one_of(
    st.none(), st.booleans(),
    st.integers(min_value=-(2**64), max_value=2**64 + 5),
    st.integers(min_value=1880, max_value=2101),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40), st.text(alphabet=st.characters(max_codepoint=0x3000), min_size=0, max_size=600),
    st.sampled_from(["rural", "urban", "poor", "near_poor", "planned", "person", "[]", '["a"]', "2026",
                     "2026-01-01T00:00:00+00:00", "00000000-0000-0000-0000-000000000000", "../../x", "CON",
                     "\u202eabc", "\x00", "A" * 5000]),
)
values = st.one_of(scalars, st.lists(scalars, max_size=3), st.dictionaries(st.text(max_size=5), scalars, max_size=2))


def _sane(value: object) -> bool:
    """Independent of the app's schema: what an accepted value can never be."""
    if isinstance(value, bool) or value is None:
        return True
    if isinstance(value, int):
        return -(2**63) <= value < 2**63
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, str):
        return not _CONTROL.search(value) and len(value) <= 5000
    return False  # no list or object is a column value


def _import(world, blob: bytes):
    """Import ``blob`` into a fresh copy of the aggregate; returns (copy path, results or SyncError)."""
    folder = Path(tempfile.mkdtemp(prefix="synchostile-"))
    agg_path = folder / "tinh.sqlite3"
    shutil.copyfile(world.aggregate_db, agg_path)
    path = folder / "sinh-ra.gnbv"
    path.write_bytes(blob)
    before = canonical_dump(agg_path)
    db = open_database(agg_path)
    try:
        outcome = run_to_end(import_packages(db, [path]))
    except SyncError as exc:
        outcome = exc
    finally:
        db.close()
    event("refused cleanly" if isinstance(outcome, SyncError) else "accepted")
    if isinstance(outcome, SyncError):
        text = str(outcome)
        assert path.name in text and "Traceback" not in text and not _CONTROL.search(text), text
        assert canonical_dump(agg_path) == before
    return agg_path, outcome, folder


@SETTINGS
@given(data=st.data())
def test_generated_records(world, data):
    tables = copy_tables(world)
    table = data.draw(st.sampled_from(sorted(t for t, rows in tables.items() if rows)))
    rec = data.draw(st.sampled_from(tables[table]))
    field = data.draw(st.one_of(st.sampled_from(sorted(rec)), st.text(min_size=1, max_size=12)))
    value = data.draw(values)
    rec[field] = value
    if field != "change_counter":
        rec["change_counter"] = rec["change_counter"] + 1  # so an accepted copy wins the merge
    agg_path, outcome, folder = _import(world, craft(world, tables=tables))
    try:
        if not isinstance(outcome, SyncError):
            db = open_database(agg_path)
            stored = aggregate.records_of(db, CODE, table)
            db.close()
            assert stored[rec["uuid"]] == (rec if rec.get("deleted") == 0 else stored[rec["uuid"]])
            assert _UUID.fullmatch(rec["uuid"]) and _sane(value), (table, field, value)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@SETTINGS
@given(data=st.data())
def test_generated_manifests(world, data):
    m = manifest(world, world.tables)
    key = data.draw(st.sampled_from([*sorted(m), "commune.code", "commune.name", "commune.province",
                                     "counts.members", "extra"]))
    value = data.draw(values)
    if key.startswith("commune."):
        m["commune"] = {**m["commune"], key.split(".")[1]: value}
    elif key.startswith("counts."):
        m["counts"] = {**m["counts"], "members": value}
    else:
        m[key] = value
    agg_path, outcome, folder = _import(world, craft(world, manifest_override=m))
    try:
        if not isinstance(outcome, SyncError):
            db = open_database(agg_path)
            name, code = db.execute("SELECT commune_name, commune_code FROM sync_communes").fetchone()
            db.close()
            assert code == CODE and not _CONTROL.search(name)
            assert _sane(value) or key in ("attachments", "counts", "commune", "files"), (key, value)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@SETTINGS
@given(positions=st.lists(st.integers(min_value=0), min_size=1, max_size=4), flip=st.integers(1, 255))
def test_damaged_bytes(world, positions, flip):
    blob = bytearray(craft(world))
    for p in {p % len(blob) for p in positions}:
        blob[p] ^= flip
    _agg, outcome, folder = _import(world, bytes(blob))
    shutil.rmtree(folder, ignore_errors=True)
    assert isinstance(outcome, SyncError)  # the signature covers every byte


@SETTINGS
@given(text=st.text(max_size=200))
def test_generated_jsonl_lines(world, text):
    tables = copy_tables(world)
    entries = {f"{t}.jsonl": "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()
               for t, rows in tables.items()}
    entries["members.jsonl"] += text.encode("utf-8", "surrogatepass") + b"\n"
    _agg, outcome, folder = _import(world, craft(world, tables=tables, entries=entries))
    shutil.rmtree(folder, ignore_errors=True)
    if all(not piece.strip() for piece in text.encode("utf-8", "surrogatepass").split(b"\n")):
        assert not isinstance(outcome, SyncError), outcome  # blank lines (ASCII white space) are allowed
    else:
        assert isinstance(outcome, SyncError)  # one line too many for the manifest's count, at least
