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
    got = read_reference_package(build_reference_package(ref, "0.1.0", "mk"), "mk")
    assert got == ref
    with pytest.raises(PackageError, match="Sai mật khẩu"):
        read_reference_package(build_reference_package(ref, "0.1.0", "mk"), "khác")


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"catalogs": {"causes": [{"code": "a"}]}}, "cần có mã (code) và tên (name)"),
        ({"catalogs": {"../x": [{"code": "a", "name": "A"}]}}, "Tên danh mục không hợp lệ"),
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
