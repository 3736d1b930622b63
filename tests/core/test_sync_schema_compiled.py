"""The compiled validity check of package records accepts exactly what the field-by-field check accepts.

The merge trusts ``RecordSchema.is_valid`` for every record and asks ``examine`` only for the
wording of a refusal, so a record the compiled check lets through that the field loop would refuse
is a hole in the hostile-package defences. Records of every synced table, as a commune exports
them, are mutated field by field with hostile values; both checks must agree on each.
"""

from __future__ import annotations

import json
import random

import pytest

from gnbv_desktop.core.sync_schema import _CONTROL, _CONTROL_MULTILINE
from gnbv_desktop.io.sync_package import record_schemas
from gnbv_desktop.jobs.demo import create_demo
from gnbv_desktop.jobs.progress import run_to_end
from gnbv_desktop.store.database import open_database
from gnbv_desktop.store.sync_outbox import collect_changes, plan_export

HOSTILE_VALUES = [
    None, True, False, 0, -1, 1, 2, 10**9, 10**9 + 1, 2**63, -(2**63) - 1, 1.5, float("1e300"), "", " ", "\t",
    "a" * 40, "a" * 41, "x" * 501, "x" * 4001, "ok", "Nguyễn Văn A", "bad\x00text", "zero\u200bwidth", "line\nbreak",
    "tab\there", "\u202eright-to-left", "[]", "[\"1.1\"]", "[1]", "[\"\"]", "not json", "{}", "rural", "urban",
    "poor", "nam", "organisation", "2026-11-20T08:00:00+00:00", "1800-01-01T00:00:00", "2026-13-01",
    "0b5c1a0e-8e9e-4c6b-9a8e-0d0f3b5e2a11", "0B5C1A0E-8E9E-4C6B-9A8E-0D0F3B5E2A11",
    "0b5c1a0e-8e9e-4c6b-9a8e-0d0f3b5e2a11\n", [], {}, ["x"],
]


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    db = open_database(tmp_path_factory.mktemp("xa") / "xa.sqlite3")
    run_to_end(create_demo(db, 30, seed=5, year=2026))
    tables = collect_changes(db, plan_export(db, full=True))
    db.close()
    return {t: [json.loads(line) for line in lines] for t, lines in tables.items() if lines}


def _agree(schema, rec, known=None) -> None:
    fast = schema.is_valid(rec) if known is None else schema.is_valid(rec, known)
    slow = schema.examine(rec)
    if fast:
        assert slow == ("", ""), (schema.table, rec, slow)
    elif isinstance(rec, dict) and rec.get("deleted") != 1:
        assert slow != ("", ""), (schema.table, rec)  # a valid live record is never sent the slow way


def test_every_exported_record_passes_both(records):
    schemas = record_schemas()
    for table, recs in records.items():
        for rec in recs:
            assert schemas[table].is_valid(rec) and schemas[table].examine(rec) == ("", "")


def test_each_field_set_to_hostile_values_or_removed(records):
    schemas = record_schemas()
    for table, recs in records.items():
        schema, rec = schemas[table], recs[0]
        for key in [*schema.rules, "unknown_field"]:
            for value in HOSTILE_VALUES:
                _agree(schema, {**rec, key: value})
            _agree(schema, {k: v for k, v in rec.items() if k != key})
        _agree(schema, [rec])
        _agree(schema, {**rec, "deleted": 1})


def test_known_references_skip_only_the_pattern(records):
    """A reference found among the package's validated UUIDs is accepted; anything else still goes
    through the pattern."""
    schemas = record_schemas()
    members = schemas["members"]
    rec = records["members"][0]
    good = rec["household_uuid"]
    assert members.is_valid(rec, (frozenset({good}),))
    forged = {**rec, "household_uuid": good.upper()}
    assert not members.is_valid(forged, (frozenset({good}),)) and members.examine(forged) != ("", "")


def test_random_field_values_agree(records):
    schemas = record_schemas()
    rng = random.Random(13)
    tables = sorted(records)
    for _ in range(3000):
        table = rng.choice(tables)
        schema = schemas[table]
        rec = dict(rng.choice(records[table]))
        for key in rng.sample(sorted(schema.rules), rng.randint(1, 4)):
            rec[key] = rng.choice([*HOSTILE_VALUES, rng.randint(-(2**64), 2**64), rng.random() * 1e13,
                                   "".join(chr(rng.randint(0, 0x3000)) for _ in range(rng.randint(0, 12)))])
        _agree(schema, rec)


def test_a_known_field_swapped_for_an_unknown_one_is_refused(records):
    """The compiled check counts a record's fields instead of comparing key sets: a record with one
    field taken out and an unknown one put in has as many fields as a valid one, and is refused."""
    schemas = record_schemas()
    for table, recs in records.items():
        schema = schemas[table]
        for rec in recs[:3]:
            for key in rec:
                swapped = {k: v for k, v in rec.items() if k != key} | {"unknown_field": rec[key]}
                assert not schema.is_valid(swapped), (table, key)
                _agree(schema, swapped)


def test_every_control_character_is_unprintable():
    """The compiled check searches texts for control characters only when ``str.isprintable`` finds
    an unprintable one: that is exact only if every refused character is unprintable."""
    refused = [chr(c) for c in range(0x110000) if _CONTROL.match(chr(c)) or _CONTROL_MULTILINE.match(chr(c))]
    assert len(refused) > 60
    assert not [f"U+{ord(c):04X}" for c in refused if c.isprintable()]
