"""The sync and reference commands, end to end through ``gnbv``."""

from __future__ import annotations

import json

from gnbv_desktop.store.catalog_store import load_catalog, replace_catalog
from gnbv_desktop.store.database import open_database
from gnbv_desktop.store.reference import received_standard_documents
from tests.cli.helpers import run_cli, run_json, run_without_db
from tests.jobs.sync_helpers import dump


def _commune(capsys, path, code, name, seed):
    assert run_cli(capsys, path, "demo", "--households", "25", "--seed", str(seed), "--year", "2026")[0] == 0
    db = open_database(path)
    db.execute("UPDATE settings SET value = ? WHERE key = 'commune_code'", [code])
    db.execute("UPDATE settings SET value = ? WHERE key = 'commune_name'", [name])
    db.close()


def test_export_import_status_and_stats(capsys, tmp_path):
    a, b, agg = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3", tmp_path / "tinh.sqlite3"
    _commune(capsys, a, "23764", "Xã Ia Grai", 1)
    _commune(capsys, b, "23767", "Xã Ia Hrung", 2)
    (tmp_path / "pw").write_text("\ufeffbí mật chung\r\n", encoding="utf-8")  # as Notepad saves it

    code, out, _ = run_cli(capsys, a, "sync-export", str(tmp_path / "a1.gnbv"), "--password-file", str(tmp_path / "pw"))
    assert code == 0 and "gói số 1 (đầy đủ)" in out and "có mã hóa" in out
    pw = ("--password-file", str(tmp_path / "pw"))
    first = run_json(capsys, b, "sync-export", str(tmp_path / "b1.gnbv"), "--json", "--year", "2026", *pw)
    assert first["full"] and first["counts"]["households"] == 25
    second = run_json(capsys, b, "sync-export", str(tmp_path / "b2.gnbv"), "--json", *pw)
    assert (second["sequence"], second["base_sequence"], second["full"]) == (2, 1, False)

    # a package needing its base, alone in a new aggregate: refused, and no aggregate file is left behind
    code, _, err = run_cli(capsys, agg, "sync-import", str(tmp_path / "b2.gnbv"), *pw)
    assert code == 1 and "chưa nhận gói số 1" in err
    assert not agg.exists()

    results = run_json(capsys, agg, "sync-import", str(tmp_path / "a1.gnbv"), str(tmp_path / "b1.gnbv"),
                       str(tmp_path / "b2.gnbv"), "--password-file", str(tmp_path / "pw"), "--json")
    assert [(r["commune_code"], r["sequence"], r["status"]) for r in results] == [
        ("23764", 1, "imported"), ("23767", 1, "imported"), ("23767", 2, "imported")]
    again = run_json(capsys, agg, "sync-import", str(tmp_path / "a1.gnbv"), "--password-file",
                     str(tmp_path / "pw"), "--json")
    assert again[0]["status"] == "already_imported"

    status = run_json(capsys, agg, "sync-status", "--json")
    assert status["mode"] == "aggregate"
    by_code = {c["code"]: c for c in status["communes"]}
    assert by_code["23767"]["last_sequence"] == 2 and by_code["23767"]["packages"] == 2
    assert by_code["23764"]["counts"]["households"] == 25 and by_code["23764"]["name"] == "Xã Ia Grai"

    totals = run_json(capsys, agg, "stats", "--year", "2026", "--json")
    per_a = run_json(capsys, a, "stats", "--year", "2026", "--json")
    per_b = run_json(capsys, b, "stats", "--year", "2026", "--json")
    assert totals["households"] == per_a["households"] + per_b["households"] == 50
    assert totals["by_commune"]["23764"]["by_classification"] == per_a["by_classification"]
    assert totals["by_commune"]["23767"]["members"] == per_b["members"]
    poor = per_a["by_classification"]["poor"] + per_b["by_classification"]["poor"]
    assert totals["by_classification"]["poor"] == poor

    history = run_json(capsys, b, "sync-status", "--json")
    assert [e["sequence"] for e in history["exports"]] == [2, 1]


def test_refused_import_leaves_an_existing_aggregate_unchanged(capsys, tmp_path):
    a, agg = tmp_path / "a.sqlite3", tmp_path / "tinh.sqlite3"
    _commune(capsys, a, "23764", "Xã Ia Grai", 1)
    assert run_cli(capsys, a, "sync-export", str(tmp_path / "a1.gnbv"), "--no-encrypt")[0] == 0
    assert run_cli(capsys, agg, "sync-import", str(tmp_path / "a1.gnbv"))[0] == 0
    (tmp_path / "broken.gnbv").write_bytes((tmp_path / "a1.gnbv").read_bytes()[:5000])
    db = open_database(agg)
    before = dump(db)
    db.close()
    code, _, err = run_cli(capsys, agg, "sync-import", str(tmp_path / "broken.gnbv"))
    assert code == 1 and "broken.gnbv" in err and "không đầy đủ" in err
    db = open_database(agg)
    assert dump(db) == before
    db.close()
    # a commune database is never turned into an aggregate
    code, _, err = run_cli(capsys, a, "sync-import", str(tmp_path / "a1.gnbv"))
    assert code == 1 and "chế độ cấp trên" in err


def test_reference_package_updates_catalogues_standards_and_targets_only(capsys, tmp_path):
    a, agg = tmp_path / "a.sqlite3", tmp_path / "tinh.sqlite3"
    _commune(capsys, a, "23764", "Xã Ia Grai", 1)
    assert run_cli(capsys, a, "sync-export", str(tmp_path / "a1.gnbv"), "--no-encrypt")[0] == 0
    assert run_cli(capsys, agg, "sync-import", str(tmp_path / "a1.gnbv"))[0] == 0
    # the upper level edits a catalogue and sets targets
    db = open_database(agg)
    causes = load_catalog(db, "causes")
    causes[0] = {**causes[0], "name": "Thiếu vốn sản xuất, kinh doanh (cập nhật)"}
    replace_catalog(db, "causes", causes)
    db.close()
    (tmp_path / "targets.json").write_text(json.dumps(
        {"23764": {"target_escape_households": 6, "target_poverty_reduction": 1.5},
         "99999": {"target_escape_households": 2}}
    ), encoding="utf-8")
    code, out, err = run_cli(capsys, agg, "ref-export", str(tmp_path / "ref.gnbvref"), "--year", "2026",
                             "--targets", str(tmp_path / "targets.json"))
    assert code == 0, err
    assert "chỉ tiêu cho 2 xã" in out

    db = open_database(a)
    households_before = [line for line in dump(db) if "INSERT INTO \"households\"" in line or
                         "INSERT INTO \"members\"" in line or "INSERT INTO \"assessments\"" in line]
    db.close()
    plan_before = run_json(capsys, a, "plan", "--year", "2026", "--json")["plan"]
    code, out, err = run_cli(capsys, a, "ref-import", str(tmp_path / "ref.gnbvref"))
    assert code == 0, err
    assert "2 chỉ tiêu năm 2026" in out
    # the targets land in the commune's plan record (what `gnbv plan` and Kế hoạch hỗ trợ show);
    # what the commune typed itself and the targets not given stay as they were
    plan = run_json(capsys, a, "plan", "--year", "2026", "--json")
    assert plan["plan"] == {**plan_before, "target_escape_households": 6, "target_poverty_reduction": 1.5}
    assert plan["projection"]["target_escapes"] == 6
    assert plan["plan"]["document_number"] == plan_before["document_number"] != ""
    db = open_database(a)
    assert load_catalog(db, "causes")[0]["name"] == "Thiếu vốn sản xuất, kinh doanh (cập nhật)"
    assert {d["id"] for d in received_standard_documents(db)} == {"qd59-2015", "nd07-2021", "nd351-2025"}
    assert [line for line in dump(db) if "INSERT INTO \"households\"" in line or
            "INSERT INTO \"members\"" in line or "INSERT INTO \"assessments\"" in line] == households_before
    db.close()

    # a commune cannot export reference packages, an aggregate cannot import one
    code, _, err = run_cli(capsys, a, "ref-export", str(tmp_path / "x.gnbvref"))
    assert code == 1 and "cấp trên" in err
    code, _, err = run_cli(capsys, agg, "ref-import", str(tmp_path / "ref.gnbvref"))
    assert code == 1 and "dành cho xã" in err


def test_bad_targets_file_is_refused(capsys, tmp_path):
    agg = tmp_path / "tinh.sqlite3"
    open_database(agg).close()
    for bad, message in (
        ('{"23764": {"target_escape_households": "sáu"}}', "Số hộ thoát nghèo phải là một số"),
        ('{"23764": {"target_escape_households": 2.5}}', "phải là số nguyên không âm"),
        ('{"23764": {"target_poverty_reduction": 140}}', "phải từ 0 đến 100"),
        ('{"23764": {"households_to_escape": 6}}', "'households_to_escape' không phải chỉ tiêu"),
    ):
        (tmp_path / "t.json").write_text(bad, encoding="utf-8")
        code, _, err = run_cli(capsys, agg, "ref-export", str(tmp_path / "r.gnbvref"), "--targets",
                               str(tmp_path / "t.json"))
        assert code == 1 and message in err and "23764" in err and not (tmp_path / "r.gnbvref").exists()


def test_received_standards_apply_whenever_the_cli_opens_the_database(capsys, tmp_path):
    from gnbv_desktop.io.reference_package import ReferencePackage, build_reference_package
    from gnbv_desktop.store.reference import shipped_standard_documents

    a = tmp_path / "a.sqlite3"
    _commune(capsys, a, "23764", "Xã Ia Grai", 1)
    docs = shipped_standard_documents()
    next(d for d in docs if d["id"] == "nd07-2021")["thresholds"]["rural"]["poor_line"] = 1_600_000
    (tmp_path / "ref.gnbvref").write_bytes(build_reference_package(
        ReferencePackage("Sở", "2026-01-02T00:00:00+00:00", 2026, standards=docs), "0.1.0"))
    assert run_cli(capsys, a, "ref-import", str(tmp_path / "ref.gnbvref"))[0] == 0

    def rural_line(db_path) -> int:
        data = run_json(capsys, db_path, "standards", "--json")
        return next(s for s in data if s["id"] == "nd07-2021")["thresholds"]["rural"]["poor_line"]

    assert rural_line(a) == 1_600_000
    result = run_json(capsys, a, "classify", "--year", "2026", "--area", "rural", "--income", "1550000")
    assert result["classification"] == "near_poor"
    data = json.loads(run_without_db(capsys, "standards", "--json"))
    assert next(s for s in data if s["id"] == "nd07-2021")["thresholds"]["rural"]["poor_line"] == 1_500_000
    assert not (tmp_path / "userdata").exists()  # no database file (nor folder) is created for this


def test_status_of_an_upper_level_that_received_nothing_says_so(capsys, tmp_path):
    from gnbv_desktop.store import aggregate

    agg = tmp_path / "tinh.sqlite3"
    db = open_database(agg)
    aggregate.make_aggregate(db, "Sở Nông nghiệp và Môi trường tỉnh Gia Lai")
    db.close()
    code, out, err = run_cli(capsys, agg, "sync-status")
    assert code == 0, err
    assert out.strip() == "Cấp trên chưa nhận gói đồng bộ nào của các xã (nhập gói bằng lệnh gnbv sync-import)."
    assert run_json(capsys, agg, "sync-status", "--json") == {"mode": "aggregate", "communes": []}
