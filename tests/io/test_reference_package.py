"""Reference packages: what goes in comes out; a damaged or invalid one changes nothing."""

from __future__ import annotations

import re

import pytest

from gnbv_desktop.io.package_zip import PackageError
from gnbv_desktop.io.reference_package import ReferencePackage, build_reference_package, read_reference_package
from gnbv_desktop.jobs.progress import run_to_end
from gnbv_desktop.jobs.reference_sync import import_reference
from gnbv_desktop.jobs.sync import SyncError
from gnbv_desktop.store.catalog_store import load_catalog
from gnbv_desktop.store.reference import shipped_standard_documents
from tests.jobs.sync_helpers import dump


def _ref(**kw) -> ReferencePackage:
    base = dict(
        issuer="Sở Nông nghiệp và Môi trường tỉnh Gia Lai",
        created_at="2026-12-01T08:00:00+00:00",
        year=2027,
        catalogs={"causes": [{"code": "thieu_von", "name": "Thiếu vốn"}, {"code": "om_dau", "name": "Ốm đau"}]},
        standards=shipped_standard_documents(),
        targets={"23764": {"target_escape_households": 8}},
    )
    return ReferencePackage(**(base | kw))


def test_round_trip_with_password():
    ref = _ref()
    got = read_reference_package(build_reference_package(ref, "0.1.0", "mật khẩu tỉnh"), "mật khẩu tỉnh")
    assert got == ref
    with pytest.raises(PackageError, match="Sai mật khẩu"):
        read_reference_package(build_reference_package(ref, "0.1.0", "mật khẩu tỉnh"), "mật khẩu khác")


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"catalogs": {"causes": [{"code": "a"}]}}, "cần có mã (code) và tên (name)"),
        ({"catalogs": {"../x": [{"code": "a", "name": "A"}]}}, "danh mục '../x' không được gửi"),
        ({"standards": [{"id": "x"}]}, "thiếu trường"),
        ({"targets": {"23764": {"target_escape_households": "tám"}}}, "phải là một số"),
    ],
)
def test_invalid_content_is_refused_and_the_commune_is_unchanged(demo_db, tmp_path, kw, message):
    path = tmp_path / "ref.gnbvref"
    path.write_bytes(build_reference_package(_ref(**kw), "0.1.0"))
    before = dump(demo_db)
    with pytest.raises(SyncError, match=re.escape(message)):
        run_to_end(import_reference(demo_db, path))
    assert dump(demo_db) == before


def test_import_replaces_the_catalogue(demo_db, tmp_path):
    path = tmp_path / "ref.gnbvref"
    path.write_bytes(build_reference_package(_ref(), "0.1.0"))
    summary = run_to_end(import_reference(demo_db, path))
    assert [(i["code"], i["name"]) for i in load_catalog(demo_db, "causes")] == [
        ("thieu_von", "Thiếu vốn"), ("om_dau", "Ốm đau")]
    assert summary["year"] == 2027 and summary["targets"] == {"target_escape_households": 8}


def _plan_row(db, year):
    return db.execute("SELECT change_counter, rev FROM commune_plans WHERE year = ?", [year]).fetchone()


def test_targets_land_in_the_commune_plan_and_keep_what_the_commune_typed(demo_db, tmp_path):
    from gnbv_desktop.store.plans import get_commune_plan
    from gnbv_desktop.store.settings import load_settings

    before = get_commune_plan(demo_db, 2026)
    assert before.document_number and before.target_poverty_reduction == 3.0
    code = load_settings(demo_db).commune_code
    path = tmp_path / "ref.gnbvref"
    path.write_bytes(build_reference_package(_ref(year=2026, targets={
        code: {"target_escape_households": 8, "target_dtts_reduction": 2.5}, "99999": {"target_escape_households": 1},
    }), "0.1.0"))
    run_to_end(import_reference(demo_db, path))
    after = get_commune_plan(demo_db, 2026)
    assert (after.target_escape_households, after.target_dtts_reduction) == (8, 2.5)
    # the commune's own fields, and the targets the package did not give, are untouched
    assert (after.document_number, after.signer_name, after.document_date, after.target_poverty_reduction) == (
        before.document_number, before.signer_name, before.document_date, 3.0)
    # the same package again changes nothing (the plan's change counter does not move)
    stamp = _plan_row(demo_db, 2026)
    run_to_end(import_reference(demo_db, path))
    assert _plan_row(demo_db, 2026) == stamp

    # a year without a plan gets one holding only the targets
    path.write_bytes(build_reference_package(_ref(year=2027, targets={code: {"target_poverty_reduction": 1.5}}),
                                             "0.1.0"))
    run_to_end(import_reference(demo_db, path))
    new = get_commune_plan(demo_db, 2027)
    assert (new.target_poverty_reduction, new.target_escape_households, new.document_number) == (1.5, None, "")


def test_received_standard_with_a_corrected_threshold_classifies_from_then_on(demo_db, tmp_path):
    from gnbv_desktop.core.standard_set import shipped_standards
    from gnbv_desktop.core.standards import classify
    from gnbv_desktop.store.database import open_database
    from gnbv_desktop.store.standard_store import standards_in_force

    docs = shipped_standard_documents()
    nd07 = next(d for d in docs if d["id"] == "nd07-2021")
    nd07["thresholds"]["rural"]["poor_line"] = 1_600_000
    path = tmp_path / "ref.gnbvref"
    path.write_bytes(build_reference_package(_ref(standards=docs), "0.1.0"))
    other = open_database(tmp_path / "gnbv.sqlite3")  # another connection, as the UI's beside a worker
    assert classify(standards_in_force(other).get("nd07-2021"), "rural", 1_550_000, []).classification == "average"
    run_to_end(import_reference(demo_db, path))
    for db in (demo_db, other):
        assert standards_in_force(db).get("nd07-2021").thresholds["rural"].poor_line == 1_600_000
        assert classify(standards_in_force(db).get("nd07-2021"), "rural", 1_550_000, []).classification == "near_poor"
    other.close()
    assert shipped_standards().get("nd07-2021").thresholds["rural"].poor_line == 1_500_000


def test_a_standard_that_cannot_be_read_is_refused(demo_db, tmp_path):
    docs = shipped_standard_documents()
    docs[0]["min_deprived"] = "ba"
    assert docs[0]["id"] == "nd07-2021"
    path = tmp_path / "ref.gnbvref"
    path.write_bytes(build_reference_package(_ref(standards=docs), "0.1.0"))
    before = dump(demo_db)
    with pytest.raises(SyncError, match="Chuẩn nghèo 'nd07-2021': số chỉ số thiếu hụt tối thiểu"):
        run_to_end(import_reference(demo_db, path))
    assert dump(demo_db) == before
