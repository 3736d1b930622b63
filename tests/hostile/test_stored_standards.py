"""A database whose stored received standards are unusable (written by an older version that
accepted anything, or edited by hand) still opens: the shipped standards classify and the CLI
says why on stderr. (Issue 9, finding 2: ``KeyError 'document'`` in every later command.)"""

from __future__ import annotations

import json

import pytest

from gnbv_desktop.store.database import open_database
from gnbv_desktop.store.reference import shipped_standard_documents
from tests.hostile.kit import commune_template, copy_of, run

UNUSABLE = {
    "entry without document (the brick)": '{"note": "x"}',
    "document not JSON": "{not json",
    "poor_line = 1": "POOR1",
    "average_line = 'abc'": "ABC",
    "a standard for 1000–9999": "WIDE",
    "JSON nested 100,000 deep": "[" * 100_000 + "]" * 100_000,
}


def _stored(kind: str) -> str:
    docs = {d["id"]: d for d in shipped_standard_documents()}
    nd07 = docs["nd07-2021"]
    if kind == "POOR1":
        nd07["thresholds"]["rural"]["poor_line"] = 1
    elif kind == "ABC":
        nd07["thresholds"]["rural"]["average_line"] = "abc"
    elif kind == "WIDE":
        nd07 = dict(nd07, id="x", years=[1000, 9999])
    else:
        return kind
    return json.dumps({"document": nd07}, ensure_ascii=False)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return commune_template(tmp_path_factory.mktemp("stored"))


@pytest.mark.parametrize("case", sorted(UNUSABLE))
def test_unusable_stored_standards_fall_back_to_the_shipped_ones(case, template, tmp_path, capsys):
    db_path = copy_of(template, tmp_path / "xa.sqlite3")
    db = open_database(db_path)
    db.execute("INSERT INTO catalog_entries (catalog, code, name, data, sort_order, uuid, created_at, updated_at, "
               "change_counter, rev, deleted) VALUES ('standards', 'nd07-2021', 'NĐ 07', ?, 0, 'u', '', '', 1, 1, 0)",
               [_stored(UNUSABLE[case])])
    db.close()
    code, out, err = run(capsys, db_path, "classify", "--year", "2026", "--area", "rural", "--income", "1550000")
    assert code == 0 and json.loads(out)["classification"] == "average"
    assert "Cảnh báo: Chuẩn nghèo nhận từ cấp trên không dùng được" in err and "Traceback" not in err
    code, out, err = run(capsys, db_path, "list", "--year", "2026", "--json")
    assert code == 0 and len(json.loads(out)) == 12
    code, out, err = run(capsys, db_path, "standards", "--json")
    assert code == 0 and [s["thresholds"]["rural"]["poor_line"] for s in json.loads(out)] == [700_000, 1_500_000,
                                                                                              2_200_000]
