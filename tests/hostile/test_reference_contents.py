"""Hostile reference packages (.gnbvref): crafted contents are refused with a message naming the
part, entry and field, and the commune's database is unchanged; sound packages still apply.

Issue 9, finding 2: a catalogue carrying a ``standards`` entry bricked every later start;
nonsense standards (``poor_line=1``, ``average_line="abc"``, ``min_deprived=-5``, years
1000–9999, a dimension without indicators, duplicate codes) and 100,000 catalogue entries were
accepted.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable

import pytest

from gnbv_desktop.io.reference_package import ReferencePackage, build_reference_package
from gnbv_desktop.store.reference import shipped_standard_documents
from tests.hostile.kit import COMMUNE_CODE, assert_refused, canonical_dump, commune_template, copy_of, run, run_limited

NAN, INF = float("nan"), float("inf")


def _base() -> ReferencePackage:
    return ReferencePackage(
        issuer="Sở Nông nghiệp và Môi trường tỉnh Gia Lai",
        created_at="2026-12-01T08:00:00+00:00",
        year=2027,
        catalogs={"causes": [{"code": "thieu_von", "name": "Thiếu vốn"}, {"code": "om_dau", "name": "Ốm đau"}]},
        standards=shipped_standard_documents(),
        targets={COMMUNE_CODE: {"target_escape_households": 8}},
    )


def _std(ref: ReferencePackage, sid: str = "nd07-2021") -> dict:
    return next(d for d in ref.standards if d["id"] == sid)


def _new_standard(ref: ReferencePackage, **fields) -> None:
    doc = copy.deepcopy(_std(ref, "nd351-2025"))
    doc.update(id="nd-moi", short_name="NĐ mới", **fields)
    ref.standards.append(doc)


def _set(path: str, value: object) -> Callable[[ReferencePackage], None]:
    """A mutation of the nd07-2021 document at a dotted path (``thresholds.rural.poor_line``)."""
    def mutate(ref: ReferencePackage) -> None:
        node = _std(ref)
        *parents, last = path.split(".")
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
    return mutate


def _measure(**fields) -> dict:
    return {"code": "bhyt", "name": "Cấp thẻ bảo hiểm y tế", "short": "Thẻ BHYT",
            "indicators": {"nd07-2021": ["2.2"]}, "causes": ["om_dau"], "needs": ["y_te"], **fields}


def _do(fn: Callable[[ReferencePackage], object]) -> Callable[[ReferencePackage], None]:
    return lambda ref: fn(ref) and None


HOSTILE: dict[str, tuple[Callable[[ReferencePackage], None], str]] = {
    "catalogue named standards (the brick)": (
        _do(lambda r: r.catalogs.update(standards=[{"code": "x", "name": "y"}])), "danh mục 'standards'"),
    "unknown catalogue": (_do(lambda r: r.catalogs.update(ethnic_groups=[{"code": "1", "name": "Kinh"}])),
                          "không được gửi qua gói tham chiếu"),
    "catalogue name with path": (_do(lambda r: r.catalogs.update({"../x": [{"code": "a", "name": "A"}]})),
                                 "không được gửi"),
    "100,000 catalogue entries": (
        _do(lambda r: r.catalogs.update(causes=[{"code": f"c{i}", "name": f"Mục {i}"} for i in range(100_000)])),
        "tối đa 2000"),
    "100,000-character name": (_do(lambda r: r.catalogs["causes"][0].update(name="A" * 100_000)), "tối đa 500"),
    "NUL in a catalogue name": (_do(lambda r: r.catalogs["causes"][0].update(name="Thiếu\x00vốn")), "ký tự điều khiển"),
    "right-to-left override in a code": (_do(lambda r: r.catalogs["causes"][0].update(code="a\u202eb")),
                                         "ký tự điều khiển"),
    "ESC in an extra field": (_do(lambda r: r.catalogs["causes"][0].update(short="\x1b[31m")), "ký tự điều khiển"),
    "deeply nested extra field": (_do(lambda r: r.catalogs["causes"][0].update(extra={"a": {"b": {"c": [1]}}})),
                                  "trường không dùng"),
    "NaN field": (_do(lambda r: r.catalogs["causes"][0].update(weight=NAN)), "trường không dùng"),
    "measure indicators as a number": (_do(lambda r: r.catalogs.update(support_measures=[_measure(indicators=5)])),
                                       "mã chuẩn nghèo → danh sách"),
    "measure indicator list as a number": (
        _do(lambda r: r.catalogs.update(support_measures=[_measure(indicators={"nd07-2021": 5})])), "danh sách mã"),
    "measure causes as text": (_do(lambda r: r.catalogs.update(support_measures=[_measure(causes="om_dau")])),
                               "danh sách mã"),
    "short name as a number": (_do(lambda r: r.catalogs.update(funding_sources=[{"code": "a", "name": "A", "short": 5}])),
                               "phải là chữ"),
    "duplicate catalogue code": (_do(lambda r: r.catalogs["causes"].append({"code": "om_dau", "name": "X"})),
                                 "bị trùng"),
    "catalogue entry without name": (_do(lambda r: r.catalogs["causes"].append({"code": "z"})), "cần có mã"),
    "empty catalogue": (_do(lambda r: r.catalogs.update(needs=[])), "ít nhất một mục"),
    "poor_line = 1": (_set("thresholds.rural.poor_line", 1), "poor_line"),
    "average_line = 'abc'": (_set("thresholds.rural.average_line", "abc"), "average_line"),
    "poor_line as text": (_set("thresholds.urban.poor_line", "1500000"), "poor_line"),
    "poor_line = true": (_set("thresholds.urban.poor_line", True), "poor_line"),
    "poor_line = 10^20": (_set("thresholds.urban.poor_line", 10**20), "poor_line"),
    "poor_line NaN": (_set("thresholds.urban.poor_line", NAN), "poor_line"),
    "lines not increasing": (_set("thresholds.rural.average_line", 1_400_000), "tăng dần"),
    "urban thresholds missing": (_do(lambda r: _std(r)["thresholds"].pop("urban")), "hai khu vực"),
    "extra area": (_do(lambda r: _std(r)["thresholds"].update(mountain=dict(_std(r)["thresholds"]["rural"]))),
                   "hai khu vực"),
    "min_deprived = -5": (_set("min_deprived", -5), "min_deprived"),
    "min_deprived above the indicators": (_set("min_deprived", 99), "từ 1 đến 12"),
    "min_deprived as text": (_set("min_deprived", "ba"), "min_deprived"),
    "unknown rule": (_set("rule", "magic"), "'band' hoặc 'line'"),
    "band rule without near-poor line": (_set("rule", "band"), "near_poor_line"),
    "new standard for 1000–9999": (_do(lambda r: _new_standard(r, years=[1000, 9999])), "2000–2100"),
    "new standard over nd07's years": (_do(lambda r: _new_standard(r, years=[2024, 2026])), "trùng với chuẩn"),
    "years reversed": (_set("years", [2026, 2022]), "khoảng năm"),
    "years as text": (_set("years", ["2022", "2026"]), "khoảng năm"),
    "extended year 9999": (_set("extended_years", [9999]), "extended_years"),
    "dimension without indicators": (_set("dimensions.0.indicators", []), "ít nhất một chỉ số"),
    "no dimensions": (_set("dimensions", []), "chiều thiếu hụt"),
    "duplicate indicator codes": (_set("dimensions.1.indicators.0.code", "1.1"), "bị trùng"),
    "indicator code of 1,000 characters": (_set("dimensions.0.indicators.0.code", "9" * 1000), "tối đa 16"),
    "indicator without a name": (_set("dimensions.0.indicators.0.name", ""), "không trống"),
    "title of 10,000 characters": (_set("title", "T" * 10_000), "tối đa 500"),
    "control character in the title": (_set("title", "Chuẩn\x07"), "ký tự điều khiển"),
    "standard id with a path": (_set("id", "../../x"), "mã chuẩn (id)"),
    "unknown field in a standard": (_set("formula", "=1+1"), "trường không biết"),
    "a shipped standard's indicators changed": (
        _do(lambda r: _std(r)["dimensions"][0]["indicators"].pop()), "đổi danh sách chỉ số"),
    "same standard twice": (_do(lambda r: r.standards.append(copy.deepcopy(_std(r)))), "bị trùng"),
    "21 standards": (_do(lambda r: r.standards.extend(copy.deepcopy(r.standards[0]) for _ in range(18))), "tối đa 20"),
    "standard not an object": (_do(lambda r: r.standards.append("nd07")), "không phải một đối tượng"),
    "target NaN": (_do(lambda r: r.targets[COMMUNE_CODE].update(target_escape_households=NAN)), "phải là một số"),
    "target Infinity": (_do(lambda r: r.targets[COMMUNE_CODE].update(target_escape_households=INF)), "phải là một số"),
    "target -Infinity rate": (_do(lambda r: r.targets[COMMUNE_CODE].update(target_poverty_reduction=-INF)),
                              "phải là một số"),
    "target 1e300": (_do(lambda r: r.targets[COMMUNE_CODE].update(target_escape_households=1e300)), "tối đa"),
    "target 2^63": (_do(lambda r: r.targets[COMMUNE_CODE].update(target_escape_households=2**63)), "tối đa"),
    "target negative": (_do(lambda r: r.targets[COMMUNE_CODE].update(target_escape_households=-1)), "không âm"),
    "target as text": (_do(lambda r: r.targets[COMMUNE_CODE].update(target_escape_households="8")), "phải là một số"),
    "target true": (_do(lambda r: r.targets[COMMUNE_CODE].update(target_escape_households=True)), "phải là một số"),
    "unknown target": (_do(lambda r: r.targets[COMMUNE_CODE].update(households_to_escape=6)), "không phải chỉ tiêu"),
    "commune code with a path": (_do(lambda r: r.targets.update({"../../x": {"target_escape_households": 1}})),
                                 "mã xã"),
    "year 99999": (_do(lambda r: setattr(r, "year", 99999)), "năm không hợp lệ"),
    "year as text": (_do(lambda r: setattr(r, "year", "2027")), "năm không hợp lệ"),
}


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return commune_template(tmp_path_factory.mktemp("ref"))


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_reference_package_is_refused_and_changes_nothing(case, template, tmp_path, capsys):
    mutate, says = HOSTILE[case]
    ref = _base()
    mutate(ref)
    package = tmp_path / "ref.gnbvref"
    package.write_bytes(build_reference_package(ref, "0.1.0"))
    db_path = copy_of(template, tmp_path / "xa.sqlite3")
    err = assert_refused(capsys, db_path, "ref-import", str(package), says=says)
    assert "bị từ chối" in err
    # and the commune keeps working on the standards it had
    code, out, err = run(capsys, db_path, "classify", "--year", "2026", "--area", "rural", "--income", "1.550.000")
    assert code == 0 and json.loads(out)["classification"] == "average" and not err


ACCEPTED: dict[str, tuple[Callable[[ReferencePackage], None], Callable[[dict], bool]]] = {
    "shipped standards as they are": (lambda r: None, lambda c: c["classification"] == "average"),
    "a corrected threshold": (_set("thresholds.rural.poor_line", 1_600_000),
                              lambda c: c["classification"] == "near_poor"),
    "a new standard for later years": (_do(lambda r: _new_standard(r, years=[2031, 2035])),
                                       lambda c: c["classification"] == "average"),
    "the provisional standard's final indicator list": (
        _do(lambda r: _std(r, "nd351-2025")["dimensions"][0]["indicators"].pop()),
        lambda c: c["classification"] == "average"),
    "catalogues with their own fields": (
        _do(lambda r: r.catalogs.update(funding_sources=[{"code": "nstw", "name": "Ngân sách Trung ương",
                                                          "short": "NSTW"}], support_measures=[_measure()])),
        lambda c: True),
    "targets at their limits": (
        _do(lambda r: r.targets[COMMUNE_CODE].update(target_escape_households=1_000_000, target_poverty_reduction=100)),
        lambda c: True),
}


ANNOUNCED = {
    "a corrected threshold": ["Chuẩn NĐ 07/2021/NĐ-CP (nd07-2021) thay đổi: chuẩn nghèo nông thôn 1.500.000 đ → 1.600.000 đ."],
    "a new standard for later years": ["Chuẩn nghèo mới NĐ mới (nd-moi) áp dụng năm 2031–2035."],
    "the provisional standard's final indicator list": [
        "Chuẩn NĐ 351/2025/NĐ-CP (nd351-2025) thay đổi: danh sách chỉ số (12 → 11 chỉ số)."],
}


@pytest.mark.parametrize("case", sorted(ACCEPTED))
def test_sound_reference_package_applies_and_round_trips(case, template, tmp_path, capsys):
    mutate, classified = ACCEPTED[case]
    ref = _base()
    mutate(ref)
    package = tmp_path / "ref.gnbvref"
    package.write_bytes(build_reference_package(ref, "0.1.0"))
    db_path = copy_of(template, tmp_path / "xa.sqlite3")
    code, out, err = run(capsys, db_path, "ref-import", str(package))
    assert code == 0, err
    said = [line.strip() for line in out.splitlines()[1:]]  # what changed in the standards, never silent
    assert said == ANNOUNCED.get(case, []), said
    code, out, err = run(capsys, db_path, "standards", "--json")
    assert code == 0 and not err
    by_id = {s["id"]: s for s in json.loads(out)}
    for doc in ref.standards:
        assert by_id[doc["id"]]["thresholds"] == doc["thresholds"]
        assert [i["code"] for i in by_id[doc["id"]]["indicators"]] == [
            i["code"] for d in doc["dimensions"] for i in d["indicators"]]
    code, out, err = run(capsys, db_path, "classify", "--year", "2026", "--area", "rural", "--income", "1.550.000")
    assert code == 0 and classified(json.loads(out)), out
    before = canonical_dump(db_path)
    assert run(capsys, db_path, "ref-import", str(package))[0] == 0  # importing again changes no data
    after = canonical_dump(db_path)
    assert [line for line in after if "last_reference" not in line and "last_rev" not in line] == [
        line for line in before if "last_reference" not in line and "last_rev" not in line]


BIG = ["100,000 catalogue entries", "100,000-character name", "21 standards", "new standard for 1000–9999"]


@pytest.mark.parametrize("case", BIG)
def test_big_cases_are_refused_within_1_gib_and_60_s_in_their_own_process(case, template, tmp_path):
    mutate, says = HOSTILE[case]
    ref = _base()
    mutate(ref)
    package = tmp_path / "ref.gnbvref"
    package.write_bytes(build_reference_package(ref, "0.1.0"))
    db_path = copy_of(template, tmp_path / "xa.sqlite3")
    before = canonical_dump(db_path)
    code, _out, err = run_limited(db_path, "ref-import", str(package))
    assert code == 1 and says in err and "Traceback" not in err, err
    assert canonical_dump(db_path) == before
