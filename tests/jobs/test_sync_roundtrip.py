"""Commune → aggregate round trips: full, incremental, edits and deletions, replay, gaps, batches."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook

from gnbv_desktop.jobs.sync import SyncError, summary_name
from gnbv_desktop.store import aggregate
from gnbv_desktop.store.households import (
    delete_household,
    get_assessment,
    get_household,
    save_assessment,
    save_household,
    stats,
)
from gnbv_desktop.store.records import SYNCED_TABLES
from gnbv_desktop.store.settings import is_aggregate, load_settings, save_settings
from gnbv_desktop.store.sync_outbox import list_exports
from tests.jobs.sync_helpers import (
    aggregate_records,
    commune_records,
    dump,
    export,
    import_,
    make_aggregate,
    make_commune,
)

CODE = "23764"


@pytest.fixture
def commune(tmp_path):
    db = make_commune(tmp_path / "xa.sqlite3", CODE, "Xã Ia Grai")
    yield db
    db.close()


@pytest.fixture
def agg(tmp_path):
    db = make_aggregate(tmp_path / "tinh.sqlite3")
    yield db
    db.close()


def _edit_and_delete(db) -> tuple[str, str, str]:
    """Change a household, its assessment and members; delete another. Returns the UUIDs touched."""
    first, second = [r[0] for r in db.execute("SELECT id FROM households ORDER BY id LIMIT 2")]
    h = get_household(db, first)
    h.phone = "0912345678"
    removed = h.members.pop()
    save_household(db, h)
    a = get_assessment(db, first, 2026)
    a.income, a.deprived, a.classification = 300_000, ["1.1", "2.2", "3.1"], ""
    save_assessment(db, first, a)
    delete_household(db, second)
    return h.uuid, removed.uuid, get_household(db, second).uuid


def test_full_round_trip_gives_the_same_records(commune, agg, tmp_path):
    rec = export(commune, tmp_path / "p1.gnbv", year=2026)
    assert (rec.sequence, rec.base_sequence, rec.is_full) == (1, 0, True)
    assert rec.counts["households"] == 40

    [result] = import_(agg, tmp_path / "p1.gnbv")
    assert result.merged.new == sum(rec.counts.values()) and result.merged.updated == 0
    assert aggregate_records(agg, CODE) == commune_records(commune)
    # references travel as UUIDs and point at records that arrived
    households = aggregate.records_of(agg, CODE, "households")
    for m in aggregate.records_of(agg, CODE, "members").values():
        assert m["household_uuid"] in households
    assert "id" not in m and "rev" not in m and "household_id" not in m
    # search and sort keys are the commune's local derived columns: they stay home
    h = next(iter(households.values()))
    assert h["head_name"] and "search_key" not in h and "sort_key" not in h
    with zipfile.ZipFile(tmp_path / "p1.gnbv") as z:
        lines = z.read("households.jsonl").decode("utf-8").splitlines()
    assert len(lines) == 40 and not any('"search_key"' in line or '"sort_key"' in line for line in lines)

    expected = stats(commune, 2026)
    got = aggregate.aggregate_stats(agg, 2026)
    assert got["by_commune"][CODE]["by_classification"] == expected["by_classification"]
    assert (got["households"], got["members"]) == (expected["households"], expected["members"])


def test_edits_and_deletions_arrive_with_the_incremental_package(commune, agg, tmp_path):
    export(commune, tmp_path / "p1.gnbv")
    import_(agg, tmp_path / "p1.gnbv")
    hh_uuid, member_uuid, deleted_uuid = _edit_and_delete(commune)

    rec = export(commune, tmp_path / "p2.gnbv", year=2026)
    assert (rec.sequence, rec.base_sequence, rec.is_full) == (2, 1, False)
    # only what changed: two households (edited, deleted), the edited one's members (saving a household
    # rewrites its members; the removed one travels as a deletion) and one assessment
    members_of_edited = commune.execute(
        "SELECT COUNT(*) FROM members WHERE household_id = (SELECT id FROM households WHERE uuid = ?)", [hh_uuid]
    ).fetchone()[0]
    assert rec.counts == dict.fromkeys(SYNCED_TABLES, 0) | {
        "households": 2, "members": members_of_edited, "assessments": 1}

    [result] = import_(agg, tmp_path / "p2.gnbv")
    assert (result.merged.new, result.merged.updated) == (0, 3 + members_of_edited)
    assert aggregate_records(agg, CODE) == commune_records(commune)
    assert aggregate.records_of(agg, CODE, "households")[hh_uuid]["phone"] == "0912345678"
    assert aggregate.records_of(agg, CODE, "members")[member_uuid]["deleted"] == 1
    assert aggregate.records_of(agg, CODE, "households")[deleted_uuid]["deleted"] == 1
    got = aggregate.aggregate_stats(agg, 2026)["by_commune"][CODE]
    assert got["households"] == 39 == stats(commune, 2026)["households"]
    assert got["by_classification"] == stats(commune, 2026)["by_classification"]
    [status] = aggregate.commune_statuses(agg)
    assert (status.last_sequence, status.packages, status.households, status.missing) == (2, 2, 39, [])


def test_incremental_and_full_packages_give_the_same_aggregate(commune, tmp_path):
    export(commune, tmp_path / "p1.gnbv")
    _edit_and_delete(commune)
    export(commune, tmp_path / "p2.gnbv")
    export(commune, tmp_path / "p3.gnbv", full=True)
    by_increments = make_aggregate(tmp_path / "a.sqlite3")
    by_full = make_aggregate(tmp_path / "b.sqlite3")
    import_(by_increments, tmp_path / "p2.gnbv", tmp_path / "p1.gnbv")  # batch order does not matter
    import_(by_full, tmp_path / "p3.gnbv")
    assert aggregate_records(by_increments, CODE) == aggregate_records(by_full, CODE) == commune_records(commune)


def test_replaying_a_package_changes_nothing(commune, agg, tmp_path):
    export(commune, tmp_path / "p1.gnbv")
    _edit_and_delete(commune)
    export(commune, tmp_path / "p2.gnbv")
    import_(agg, tmp_path / "p1.gnbv", tmp_path / "p2.gnbv")
    before = dump(agg)
    results = import_(agg, tmp_path / "p1.gnbv", tmp_path / "p2.gnbv")
    assert [r.already_imported for r in results] == [True, True]
    assert dump(agg) == before


def test_older_full_package_never_overwrites_newer_records(commune, agg, tmp_path):
    export(commune, tmp_path / "old.gnbv", full=True)
    _edit_and_delete(commune)
    export(commune, tmp_path / "new.gnbv", full=True)
    import_(agg, tmp_path / "new.gnbv")
    [late] = import_(agg, tmp_path / "old.gnbv")
    assert late.merged.new == 0 and late.merged.updated == 0
    assert aggregate_records(agg, CODE) == commune_records(commune)
    assert aggregate.commune_statuses(agg)[0].last_sequence == 2


def test_gap_is_refused_naming_the_missing_package_unless_forced(commune, agg, tmp_path):
    export(commune, tmp_path / "p1.gnbv")
    _edit_and_delete(commune)
    export(commune, tmp_path / "p2.gnbv")
    h = get_household(commune, commune.execute("SELECT MAX(id) FROM households").fetchone()[0])
    h.note = "Đã xác minh lại"
    save_household(commune, h)
    export(commune, tmp_path / "p3.gnbv")
    import_(agg, tmp_path / "p1.gnbv")
    before = dump(agg)
    with pytest.raises(SyncError) as err:
        import_(agg, tmp_path / "p3.gnbv")
    assert "chưa nhận gói số 2" in str(err.value) and "p3.gnbv" in str(err.value)
    assert dump(agg) == before

    [forced] = import_(agg, tmp_path / "p3.gnbv", force_gap=True)
    assert forced.forced and forced.missing == [(2, 2)]
    assert aggregate.records_of(agg, CODE, "households")[h.uuid]["note"] == "Đã xác minh lại"
    assert aggregate.commune_statuses(agg)[0].missing == [(2, 2)]
    import_(agg, tmp_path / "p2.gnbv")  # the missing one arrives late: gap closed, records complete
    assert aggregate.commune_statuses(agg)[0].missing == []
    assert aggregate_records(agg, CODE) == commune_records(commune)


def test_a_refused_package_rolls_back_the_whole_batch(commune, agg, tmp_path):
    other = make_commune(tmp_path / "xa2.sqlite3", "23767", "Xã Ia Hrung", households=20, seed=9)
    export(other, tmp_path / "other.gnbv")
    export(commune, tmp_path / "p1.gnbv")
    _edit_and_delete(commune)
    export(commune, tmp_path / "p2.gnbv")
    export(commune, tmp_path / "p3.gnbv")
    before = dump(agg)
    with pytest.raises(SyncError):
        import_(agg, tmp_path / "other.gnbv", tmp_path / "p3.gnbv")  # p3 needs p1 and p2
    assert dump(agg) == before
    import_(agg, tmp_path / "other.gnbv", tmp_path / "p1.gnbv", tmp_path / "p2.gnbv", tmp_path / "p3.gnbv")
    got = aggregate.aggregate_stats(agg, 2026)
    assert set(got["by_commune"]) == {CODE, "23767"}
    assert got["households"] == 39 + 20
    assert [c.name for c in aggregate.commune_statuses(agg)] == ["Xã Ia Grai", "Xã Ia Hrung"]
    other.close()


def test_history_and_attachments(commune, agg, tmp_path):
    export(commune, tmp_path / "p1.gnbv", year=2026, password="mật khẩu")
    export(commune, tmp_path / "p2.gnbv")
    history = list_exports(commune)
    assert [(e.sequence, e.base_sequence, e.is_full, e.encrypted) for e in history] == [
        (2, 1, False, False), (1, 0, True, True)]
    assert history[1].file_name == "p1.gnbv" and history[1].counts["members"] > 0

    import_(agg, tmp_path / "p1.gnbv", password="mật khẩu")
    files = aggregate.attachments_of(agg, CODE)
    assert list(files) == [summary_name(2026)]
    ws = load_workbook(io.BytesIO(files[summary_name(2026)])).active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    total = next(r for r in rows if r[0] == "Tổng cộng")
    s = stats(commune, 2026)
    assert total[1:6] == [s["households"], s["by_classification"]["poor"], s["by_classification"]["near_poor"],
                          s["by_classification"]["average"], s["by_classification"]["none"]]
    village_rows = {r[0]: r[1] for r in rows if r[0] in s["by_village"]}
    assert village_rows == {v: c["households"] for v, c in s["by_village"].items()}


def test_export_needs_a_commune_code_and_a_commune_database(commune, agg, tmp_path):
    with pytest.raises(SyncError, match="cấp trên"):
        export(agg, tmp_path / "x.gnbv")
    s = load_settings(commune)
    s.commune_code = ""
    save_settings(commune, s)
    with pytest.raises(SyncError, match="mã đơn vị hành chính"):
        export(commune, tmp_path / "x.gnbv")
    assert not (tmp_path / "x.gnbv").exists() and list_exports(commune) == []
    with pytest.raises(SyncError, match="Chỉ cơ sở dữ liệu cấp trên"):
        import_(commune, tmp_path / "x.gnbv")


def test_a_commune_database_does_not_become_an_aggregate(commune):
    with pytest.raises(aggregate.AggregateError):
        aggregate.make_aggregate(commune)
    assert not is_aggregate(commune)


def test_a_table_added_to_synced_tables_travels_without_code_changes(commune, agg, tmp_path, monkeypatch):
    """What the plan tables will do once merged: a new synced table with a reference to households."""
    from gnbv_desktop.store.migrations import SYNC_COLUMNS
    from gnbv_desktop.store.records import FOREIGN_KEYS, SYNCED_TABLES, new_record_fields

    commune.execute(f"""CREATE TABLE helper_visits (
        id INTEGER PRIMARY KEY, household_id INTEGER REFERENCES households(id), visited_on TEXT NOT NULL,
        {SYNC_COLUMNS})""")
    agg.execute(f"""CREATE TABLE helper_visits (
        id INTEGER PRIMARY KEY, household_id INTEGER REFERENCES households(id), visited_on TEXT NOT NULL,
        {SYNC_COLUMNS})""")  # the migration adding a synced table runs on every database
    SYNCED_TABLES.append("helper_visits")
    monkeypatch.setitem(FOREIGN_KEYS, "helper_visits", {"household_id": "households"})
    try:
        hid, huuid = commune.execute("SELECT id, uuid FROM households ORDER BY id LIMIT 1").fetchone()
        with commune.atomic():
            commune["helper_visits"].insert({"household_id": hid, "visited_on": "2026-03-02",
                                             **new_record_fields(commune)})
        rec = export(commune, tmp_path / "p1.gnbv")
        assert rec.counts["helper_visits"] == 1
        import_(agg, tmp_path / "p1.gnbv")
        [visit] = aggregate.records_of(agg, CODE, "helper_visits").values()
        assert visit["household_uuid"] == huuid and visit["visited_on"] == "2026-03-02"
        assert "household_id" not in visit
    finally:
        SYNCED_TABLES.remove("helper_visits")


INDEX_SQL = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sync_records' AND sql IS NOT NULL"


def _traced_import(agg, *paths) -> list[str]:
    """Import ``paths``; the SQL statements the aggregate's connection ran."""
    statements: list[str] = []
    agg.conn.set_trace_callback(statements.append)
    try:
        import_(agg, *paths)
    finally:
        agg.conn.set_trace_callback(None)
    return statements


def test_first_import_rebuilds_statistics_indexes(commune, agg, tmp_path):
    """Into an empty aggregate, building the statistics indexes once costs less than maintaining
    them record by record: they are dropped and rebuilt, and the result must be the same."""
    before = sorted(r[0] for r in agg.execute(INDEX_SQL))
    export(commune, tmp_path / "p1.gnbv", year=2026)
    statements = _traced_import(agg, tmp_path / "p1.gnbv")
    assert sorted(s for s in statements if s.startswith("DROP INDEX")) == [f"DROP INDEX [{n}]" for n in before]
    assert sorted(r[0] for r in agg.execute(INDEX_SQL)) == before and before
    assert aggregate_records(agg, CODE) == commune_records(commune)
    expected = stats(commune, 2026)
    got = aggregate.aggregate_stats(agg, 2026)
    assert got["by_commune"][CODE]["by_classification"] == expected["by_classification"]


def test_a_small_package_into_a_larger_aggregate_keeps_the_indexes(commune, agg, tmp_path):
    """A few changed records into an aggregate holding many more: rebuilding would cost more than
    maintaining, so the indexes stay."""
    export(commune, tmp_path / "p1.gnbv", year=2026)
    import_(agg, tmp_path / "p1.gnbv")
    _edit_and_delete(commune)
    export(commune, tmp_path / "p2.gnbv", year=2026)
    statements = _traced_import(agg, tmp_path / "p2.gnbv")
    assert any(s.lstrip().startswith("INSERT INTO sync_records") for s in statements)
    assert not [s for s in statements if "INDEX" in s.upper()]
    assert aggregate_records(agg, CODE) == commune_records(commune)


def test_records_merged_in_small_batches_are_the_same_records(commune, agg, tmp_path, monkeypatch):
    """The merge streams each table in batches; batches of three records must give the same aggregate."""
    from gnbv_desktop.io import sync_package

    monkeypatch.setattr(sync_package, "BATCH_RECORDS", 3)
    export(commune, tmp_path / "p1.gnbv", year=2026)
    [result] = import_(agg, tmp_path / "p1.gnbv")
    assert result.merged.new == sum(commune.execute(f"SELECT COUNT(*) FROM [{t}]").fetchone()[0]
                                    for t in SYNCED_TABLES)
    assert aggregate_records(agg, CODE) == commune_records(commune)


@pytest.mark.parametrize("keep_bytes", [0, 4000, 10**9])
def test_lines_kept_by_the_check_or_read_again_give_the_same_records(commune, agg, tmp_path, monkeypatch,
                                                                    keep_bytes):
    """The check keeps a package's lines for the write within ``KEEP_LINES_BYTES``; beyond it the
    write reads them again. With no table, some tables or every table kept, in batches of three,
    and a deleted record still carrying its personal data (an older version's package) in the
    middle of a table, the aggregate holds the commune's records and the record stripped."""
    import json

    from gnbv_desktop.io import sync_package
    from gnbv_desktop.io.sync_package import PackageInfo, build_sync_package
    from gnbv_desktop.store.sync_identity import installation
    from gnbv_desktop.store.sync_outbox import collect_changes, plan_export

    monkeypatch.setattr(sync_package, "KEEP_LINES_BYTES", keep_bytes)
    monkeypatch.setattr(sync_package, "BATCH_RECORDS", 3)
    tables = collect_changes(commune, plan_export(commune, full=True))
    victim = json.loads(tables["households"][7])
    victim["deleted"] = 1
    tables["households"][7] = json.dumps(victim, ensure_ascii=False)
    me = installation(commune)
    info = PackageInfo(CODE, "Xã Ia Grai", 1, 0, "2026-11-20T08:00:00+00:00", "0.1.0", "Gia Lai",
                       installation_uuid=me.uuid)
    (tmp_path / "p1.gnbv").write_bytes(build_sync_package(info, tables, signing_key=me.private_key))
    [result] = import_(agg, tmp_path / "p1.gnbv")
    assert result.merged.new == sum(len(lines) for lines in tables.values())
    expected = commune_records(commune)
    expected["households"][victim["uuid"]] = {k: victim[k] for k in (
        "uuid", "created_at", "updated_at", "change_counter", "deleted", "village_uuid")}
    assert aggregate_records(agg, CODE) == expected


def test_bad_last_record_of_a_later_package_changes_nothing(commune, agg, tmp_path, monkeypatch):
    """A record refused on the last line of a signed package, after an earlier package of the batch
    was written: the whole import rolls back."""
    from gnbv_desktop.io import sync_package
    from gnbv_desktop.io.sync_package import PackageInfo, build_sync_package
    from gnbv_desktop.store.sync_identity import installation
    from gnbv_desktop.store.sync_outbox import collect_changes, plan_export

    monkeypatch.setattr(sync_package, "BATCH_RECORDS", 2)
    export(commune, tmp_path / "p1.gnbv", full=True)
    tables = collect_changes(commune, plan_export(commune, full=True))
    assert len(tables["members"]) > 10
    tables["members"][-1] = tables["members"][-1].replace('"deleted":0', '"deleted":7')
    me = installation(commune)
    info = PackageInfo(CODE, "Xã Ia Grai", 2, 0, "2026-11-20T08:00:00+00:00", "0.1.0", "Gia Lai",
                       installation_uuid=me.uuid)
    (tmp_path / "p2.gnbv").write_bytes(build_sync_package(info, tables, signing_key=me.private_key))
    before = dump(agg)
    line = len(tables["members"])
    with pytest.raises(SyncError, match=rf"p2\.gnbv.*members\.jsonl, dòng {line}, trường deleted"):
        import_(agg, tmp_path / "p1.gnbv", tmp_path / "p2.gnbv")
    assert dump(agg) == before


def test_the_year_cycle_travels_review_in_progress_included(commune, agg, tmp_path):
    """Resident households, a closed review with its movements, and a review started across a
    change of standard (households carried unclassified, "rà soát theo chuẩn mới") all pass the
    package schema and arrive as the commune holds them."""
    from gnbv_desktop.jobs.progress import run_to_end
    from gnbv_desktop.jobs.year_review import finish_review, start_review

    run_to_end(finish_review(commune, 2026, "12/QĐ-UBND", "2026-12-20"))
    assert run_to_end(start_review(commune, 2027)) > 0
    pending = commune.execute("SELECT COUNT(*) FROM assessments WHERE year = 2027 AND classification = '' "
                              "AND review_status = 'new_standard'").fetchone()[0]
    assert pending == commune.execute("SELECT COUNT(*) FROM assessments WHERE year = 2027").fetchone()[0] > 0
    rec = export(commune, tmp_path / "p1.gnbv")
    expected = {t: commune.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("resident_households", "reviews", "transitions")}
    assert expected["resident_households"] > 0 and expected["reviews"] == 1 and expected["transitions"] > 0
    assert {t: rec.counts[t] for t in expected} == expected
    import_(agg, tmp_path / "p1.gnbv")
    assert aggregate_records(agg, CODE) == commune_records(commune)
    [review] = aggregate.records_of(agg, CODE, "reviews").values()
    assert (review["decision_number"], review["decision_date"]) == ("12/QĐ-UBND", "2026-12-20")


def test_an_encrypted_package_derives_its_key_once_per_merge(commune, agg, tmp_path, monkeypatch):
    """scrypt costs 0.6 s of CPU a package: reading the summary and then the records must not pay it twice."""
    from gnbv_desktop.io import package_crypto

    export(commune, tmp_path / "p1.gnbv", year=2026, password="mật khẩu")
    getattr(package_crypto._key, "cache_clear", lambda: None)()  # as on the upper level's machine, which never saw the key
    derived = []
    real = package_crypto.Scrypt

    def counting(**kw):
        kdf = real(**kw)

        class Counted:
            def derive(self, data: bytes) -> bytes:
                derived.append(1)
                return kdf.derive(data)

        return Counted()

    monkeypatch.setattr(package_crypto, "Scrypt", counting)
    import_(agg, tmp_path / "p1.gnbv", password="mật khẩu")
    assert len(derived) == 1
    held = commune.execute("SELECT COUNT(*) FROM households").fetchone()[0]
    assert len(aggregate.records_of(agg, CODE, "households")) == held > 0
