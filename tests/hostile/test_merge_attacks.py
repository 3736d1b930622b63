"""Attacks on the merge's speed-ups: the lines kept from the check pass against the lines read
again past the memory budget, tombstones and odd line breaks, plain inserts into a commune's empty
tables, the statistics against an SQL oracle."""

from __future__ import annotations

import gc
import json
import sqlite3
import tracemalloc
from uuid import UUID

import pytest

from gnbv_desktop.io import sync_package
from gnbv_desktop.store.database import open_database
from tests.hostile.package_kit import CODE, canonical_dump, craft, fresh_aggregate, lines, run_cli
from tests.jobs.sync_helpers import make_aggregate


def _stored(path) -> set[tuple]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return set(conn.execute("SELECT table_name, commune_code, uuid, change_counter, updated_at, deleted, data "
                                "FROM sync_records"))
    finally:
        conn.close()


def _odd_tables(world) -> tuple[dict[str, list], dict[str, bytes]]:
    """The commune's records with some made tombstones (personal data still in them, to be
    stripped), written with blank lines, CRLF line ends and whitespace-only lines between them."""
    tables = json.loads(json.dumps(world.tables))
    for table in ("members", "households"):
        for rec in tables[table][::2]:
            rec["deleted"], rec["change_counter"] = 1, rec["change_counter"] + 5
    entries = {}
    for table, rows in tables.items():
        out = b"\r\n \t\r\n"
        for i, rec in enumerate(rows):
            out += json.dumps(rec, ensure_ascii=False).encode() + (b"\r\n" if i % 3 else b"\n\n   \n")
        entries[f"{table}.jsonl"] = out
    return tables, entries


def _aggregate(world, tmp_path, name: str, fresh: bool):
    """The world's aggregate (holding the commune's first package) or a new empty one."""
    folder = tmp_path / name
    folder.mkdir()
    if not fresh:
        return fresh_aggregate(world, folder)
    path = folder / "tinh.sqlite3"
    make_aggregate(path).close()
    return path


@pytest.mark.parametrize("fresh", [True, False], ids=["empty-aggregate", "holding-package-1"])
@pytest.mark.parametrize("keep", [0, 700, 20_000])
def test_lines_read_again_past_the_budget_are_stored_as_the_kept_ones(world, tmp_path, capsys, monkeypatch, keep,
                                                                      fresh):
    tables, entries = _odd_tables(world)
    path = tmp_path / "goi-2.gnbv"
    path.write_bytes(craft(world, tables=tables, entries=entries, manifest_changes={"sequence": 2, "base_sequence": 0}))
    kept_all, read_again = _aggregate(world, tmp_path, "a", fresh), _aggregate(world, tmp_path, "b", fresh)
    assert run_cli(capsys, kept_all, "sync-import", str(path))[0] == 0
    monkeypatch.setattr(sync_package, "KEEP_LINES_BYTES", keep)
    code, out, err = run_cli(capsys, read_again, "sync-import", str(path))
    assert code == 0, err
    stored = _stored(read_again)
    assert stored == _stored(kept_all)
    # Oracle from the package itself: every record under its own UUID; a tombstone without personal data.
    mine = {(t, r["uuid"]): r for t, rows in tables.items() for r in rows}
    assert {(t, u) for t, _c, u, *_ in stored if _c == CODE} == set(mine)
    for t, _c, uuid, counter, updated, deleted, data in stored:
        rec, held = mine[(t, uuid)], json.loads(data)
        assert (counter, updated, deleted) == (rec["change_counter"], rec["updated_at"], rec["deleted"])
        assert held == rec if not deleted else set(held) < set(rec) and all(held[k] == rec[k] for k in held)


def test_a_table_whose_keys_do_not_fit_is_read_again_and_stored_as_when_kept(world, tmp_path, capsys,
                                                                            monkeypatch):
    """A budget holding the villages' lines but not what Python keeps of each record besides its
    line (UUID, counter, updated at, deleted): the check keeps nothing of that table, the write
    reads it again — and every record is stored exactly as when the check keeps them all."""
    tables, entries = _odd_tables(world)
    path = tmp_path / "goi-2.gnbv"
    path.write_bytes(craft(world, tables=tables, entries=entries, manifest_changes={"sequence": 2, "base_sequence": 0}))
    kept_all, read_again = _aggregate(world, tmp_path, "a", True), _aggregate(world, tmp_path, "b", True)
    assert run_cli(capsys, kept_all, "sync-import", str(path))[0] == 0
    village_lines = sum(len(json.dumps(r, ensure_ascii=False).encode()) for r in tables["villages"])
    monkeypatch.setattr(sync_package, "KEEP_LINES_BYTES", village_lines)
    read_back: list[str] = []
    reread = sync_package._reread_batches

    def spy(schema, count, chunks, name, batch_records):
        read_back.append(name)
        return reread(schema, count, chunks, name, batch_records)

    monkeypatch.setattr(sync_package, "_reread_batches", spy)
    code, _out, err = run_cli(capsys, read_again, "sync-import", str(path))
    assert code == 0, err
    assert read_back[0] == "villages.jsonl"
    stored = _stored(read_again)
    assert stored == _stored(kept_all)
    mine = {(t, r["uuid"]): r for t, rows in tables.items() for r in rows}
    assert {(t, u) for t, _c, u, *_ in stored if _c == CODE} == set(mine)
    for t, _c, uuid_, counter, updated, deleted, _data in stored:
        assert (counter, updated, deleted) == (mine[(t, uuid_)]["change_counter"], mine[(t, uuid_)]["updated_at"],
                                               mine[(t, uuid_)]["deleted"])


@pytest.mark.parametrize("deleted", [0, 1], ids=["records", "tombstones"])
def test_what_the_check_keeps_for_the_write_stays_within_the_budget(world, monkeypatch, deleted):
    """Minimal records (the kind a package at the caps holds 1.2 million of): with no budget a
    record costs the check only its UUID in the duplicate test, not its keys as well; with one,
    what is kept (lines and keys) adds at most the budget to the check's peak memory — tombstones
    too, whose lines the check writes out again without the names they came with."""

    def package(extra: int) -> bytes:
        tables = json.loads(json.dumps(world.tables))
        template = tables["villages"][0]
        tables["villages"] += [{**template, "uuid": str(UUID(int=i + 1, version=4)), "name": f"Thôn {i}",
                                "sort_order": 100 + i, "change_counter": 1000 + i, "deleted": deleted}
                               for i in range(extra)]
        return craft(world, tables=tables, manifest_changes={"sequence": 2, "base_sequence": 0})

    def check_peak(blob: bytes, budget: int) -> int:
        monkeypatch.setattr(sync_package, "KEEP_LINES_BYTES", budget)
        reader = sync_package.open_sync_package(blob)
        gc.collect()
        tracemalloc.start()
        try:
            reader.check()
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = package(20_000), package(40_000)
    nothing_kept = check_peak(small, 0)
    per_record = (check_peak(large, 0) - nothing_kept) / 20_000
    assert per_record < sync_package.KEPT_RECORD_BYTES  # the UUID (about 130 bytes); its keys would add 134
    budget = 1024**2
    assert check_peak(small, budget) - nothing_kept <= budget + 64 * 1024
    assert check_peak(small, 64 * 1024**2) - nothing_kept > 20_000 * sync_package.KEPT_RECORD_BYTES  # all kept


def _stats(capsys, db_path) -> dict:
    code, out, err = run_cli(capsys, db_path, "stats", "--json", "--year", "2026")
    assert code == 0, err
    return json.loads(out)


def _indexes(path) -> list[tuple]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sync_records' "
                            "ORDER BY name").fetchall()
    finally:
        conn.close()


def test_the_upper_levels_statistics_equal_each_communes_own_after_full_incremental_and_second_commune(
        tmp_path, capsys):
    """The oracle is each commune's own ``stats`` (its file, not the aggregate's code): first packages
    into an empty aggregate (plain inserts, indexes rebuilt), an incremental one with deletions
    (upserts, indexes kept), then a second commune smaller than what is held."""
    from gnbv_desktop.store.households import delete_household
    from tests.jobs.sync_helpers import export, import_, make_commune

    agg_path = tmp_path / "tinh.sqlite3"
    make_aggregate(agg_path).close()
    indexes = _indexes(agg_path)
    a_path, b_path = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    a = make_commune(a_path, "23764", "Xã Ia Grai", households=40, seed=3)
    b = make_commune(b_path, "23770", "Xã Ia Pếch", households=15, seed=9)

    def compare(*communes: tuple) -> None:
        upper = _stats(capsys, agg_path)["by_commune"]
        for path, code in communes:
            own = _stats(capsys, path)
            held = upper[code]
            assert (held["households"], held["members"]) == (own["households"], own["members"]), code
            assert {k: held["by_classification"][k] for k in own["by_classification"]} == own["by_classification"]
        assert _indexes(agg_path) == indexes

    agg = open_database(agg_path)
    export(a, tmp_path / "a1.gnbv")
    import_(agg, tmp_path / "a1.gnbv")
    compare((a_path, "23764"))
    ids = [r[0] for r in a.execute("SELECT id FROM households WHERE deleted = 0 ORDER BY id LIMIT 5")]
    for household_id in ids[:3]:
        delete_household(a, household_id)
    export(a, tmp_path / "a2.gnbv")
    import_(agg, tmp_path / "a2.gnbv")
    compare((a_path, "23764"))
    export(b, tmp_path / "b1.gnbv")
    import_(agg, tmp_path / "b1.gnbv")
    compare((a_path, "23764"), (b_path, "23770"))
    agg.close()
    a.close()
    b.close()


@pytest.mark.parametrize("text, says", [
    ("Thôn\u200b1", "U+200B"),
    ("Thôn \u202eA", "U+202E"),
    ("Thôn \u2066A\u2069", "U+2066"),
    ("Thôn\ufeff", "U+FEFF"),
])
def test_unprintable_texts_are_refused_by_the_compiled_check_too(world, tmp_path, capsys, text, says):
    """Texts that are not printable but hold no ASCII control: the compiled check's shortcut for
    printable texts must not let them through."""
    tables = json.loads(json.dumps(world.tables))
    tables["villages"][0]["name"] = text
    path = tmp_path / "goi-2.gnbv"
    path.write_bytes(craft(world, tables=tables))
    agg = fresh_aggregate(world, tmp_path)
    before = canonical_dump(agg)
    code, _out, err = run_cli(capsys, agg, "sync-import", str(path))
    assert code == 1 and "villages.jsonl, dòng 1, trường name" in err and says in err, err
    assert canonical_dump(agg) == before


def test_a_lone_surrogate_escape_is_refused_as_invalid_json(world, tmp_path, capsys):
    entries = {f"{t}.jsonl": lines(rows) for t, rows in world.tables.items()}
    entries["villages.jsonl"] = entries["villages.jsonl"].replace(b'"name": "', b'"name": "\\ud800', 1)
    path = tmp_path / "goi-2.gnbv"
    path.write_bytes(craft(world, entries=entries))
    agg = fresh_aggregate(world, tmp_path)
    before = canonical_dump(agg)
    code, _out, err = run_cli(capsys, agg, "sync-import", str(path))
    assert code == 1 and "villages.jsonl, dòng 1: không phải JSON hợp lệ" in err, err
    assert canonical_dump(agg) == before


@pytest.mark.parametrize("keep", [0, 48 * 1024**2], ids=["read-again", "kept"])
def test_a_field_written_twice_is_stored_as_the_check_read_it(world, tmp_path, capsys, monkeypatch, keep):
    """JSON lets a key repeat; the check reads its last value, SQLite's json_extract its first. A
    household whose class is written twice ("poor", then its own) must count at the upper level
    as the class the check accepted, and a record's UUID be the one the check saw."""
    monkeypatch.setattr(sync_package, "KEEP_LINES_BYTES", keep)
    tables = json.loads(json.dumps(world.tables))
    entries = {f"{t}.jsonl": lines(rows) for t, rows in tables.items()}
    twice = []
    for rec in tables["assessments"]:
        line = json.dumps(rec, ensure_ascii=False)
        if rec["classification"] != "poor" and not twice:
            twice.append(rec["uuid"])
            forged = json.dumps({"uuid": "00000000-0000-4000-8000-000000000000", "classification": "poor"})[1:-1]
            entries["assessments.jsonl"] = entries["assessments.jsonl"].replace(line.encode(), ("{" + forged + ", " +
                                                                                                line[1:]).encode())
    assert twice
    path = tmp_path / "goi-2.gnbv"
    path.write_bytes(craft(world, entries=entries, manifest_changes={"sequence": 2, "base_sequence": 0}))
    agg = _aggregate(world, tmp_path, "a", True)
    code, _out, err = run_cli(capsys, agg, "sync-import", str(path))
    assert code == 0, err
    conn = sqlite3.connect(f"file:{agg}?mode=ro", uri=True)
    try:
        held = dict(conn.execute("SELECT uuid, json_extract(data, '$.classification') FROM sync_records "
                                 "WHERE table_name = 'assessments'"))
        strays = conn.execute("SELECT COUNT(*) FROM sync_records WHERE json_extract(data, '$.uuid') IS NOT uuid"
                              ).fetchone()[0]
    finally:
        conn.close()
    assert held == {r["uuid"]: r["classification"] for r in tables["assessments"]}
    assert strays == 0
