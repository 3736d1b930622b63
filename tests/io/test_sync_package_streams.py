"""Sync packages are written and read as streams: records that straddle the boundaries of the
chunks written and decompressed must come back exactly as they were exported."""

from __future__ import annotations

import pytest

from gnbv_desktop.io import package_zip, sync_package
from gnbv_desktop.io.sync_package import PackageInfo, build_sync_package, read_sync_package
from gnbv_desktop.jobs.demo import create_demo
from gnbv_desktop.jobs.progress import run_to_end
from gnbv_desktop.store.database import open_database
from gnbv_desktop.store.sync_identity import installation
from gnbv_desktop.store.sync_outbox import collect_changes, plan_export


@pytest.fixture(scope="module")
def commune(tmp_path_factory):
    db = open_database(tmp_path_factory.mktemp("xa") / "xa.sqlite3")
    run_to_end(create_demo(db, 25, seed=9, year=2026))
    me = installation(db)
    tables = collect_changes(db, plan_export(db, full=True))
    db.close()
    info = PackageInfo("23764", "Xã Ia Grai", 1, 0, "2026-11-20T08:00:00+00:00", "0.1.0", "Gia Lai",
                       installation_uuid=me.uuid)
    return info, tables, me.private_key


@pytest.mark.parametrize(("write_chars", "read_bytes"), [(1, 1), (7, 5), (100, 333), (4096, 64)])
def test_records_across_chunk_boundaries_read_back_exactly(commune, monkeypatch, write_chars, read_bytes):
    info, tables, key = commune
    monkeypatch.setattr(sync_package, "_WRITE_CHUNK_CHARS", write_chars)
    monkeypatch.setattr(package_zip, "_CHUNK", read_bytes)
    monkeypatch.setattr(sync_package, "BATCH_RECORDS", 4)
    pkg = read_sync_package(build_sync_package(info, tables, signing_key=key))
    assert {t: [row[4].decode() for row in rows] for t, rows in pkg.records.items()} == tables
    assert pkg.info.counts == {t: len(lines) for t, lines in tables.items()}


@pytest.mark.parametrize("ending", [b"\r\n", b"\n\n", b"\n \t\n"])
def test_line_endings_and_blank_lines_inside_a_chunk_or_across(ending, monkeypatch):
    monkeypatch.setattr(package_zip, "_CHUNK", 3)
    lines = [b'{"a": 1}', b'{"b": "\xc3\xa2"}', b"", b"x" * 10]
    data = ending.join(lines) + ending
    got = list(sync_package._lines(iter([data[i:i + 3] for i in range(0, len(data), 3)]), "t.jsonl"))
    whole = list(sync_package._lines(iter([data]), "t.jsonl"))
    assert got == whole
    assert [line for line in got if line.strip()] == [line for line in lines if line]


def test_a_line_beyond_the_cap_is_refused_before_it_is_held(monkeypatch):
    monkeypatch.setattr(sync_package, "MAX_LINE_BYTES", 10)
    chunks = iter([b'{"a": "' + b"x" * 8, b"x" * 8, b'"}\n'])
    with pytest.raises(package_zip.PackageError, match="một dòng dài hơn"):
        list(sync_package._lines(chunks, "members.jsonl"))
