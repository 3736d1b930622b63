"""Every figure of each summary form, in the PDF text and the XLSX cells, equals a count computed
here directly from the database with SQL (not through the app's statistics)."""

from __future__ import annotations

import re

import openpyxl
import pytest

from gnbv_desktop.jobs.progress import run_to_end
from gnbv_desktop.jobs.year_report import write_report
from gnbv_desktop.store.review import close_review
from gnbv_desktop.store.villages import list_villages
from tests.pdf_text import pdf_text

YEAR = 2026
ALIVE = "JOIN households h ON h.id = a.household_id AND h.deleted = 0"
SIZE = "(1 + (SELECT COUNT(*) FROM members m WHERE m.household_id = h.id AND m.deleted = 0))"


@pytest.fixture
def commune(demo_db):
    """The demo commune (60 households, 2025 and 2026) with resident figures, a few households
    moved so that every kind of movement occurs, and the 2026 review closed."""
    db = demo_db
    villages = list_villages(db)
    for i, v in enumerate(villages):
        db.execute("UPDATE resident_households SET households = ?, people = ? WHERE village_id = ? AND year = ?",
                   [40 + 3 * i, 170 + 11 * i, v.id, YEAR])
    cur = "UPDATE assessments SET classification = ? WHERE year = 2026 AND household_id = ?"

    def first(year, cls, skip=0):
        return db.execute("SELECT household_id FROM assessments WHERE year = ? AND classification = ? "
                          "ORDER BY household_id LIMIT 1 OFFSET ?", [year, cls, skip]).fetchone()[0]

    db.execute(cur, ["poor", first(2025, "near_poor")])  # từ cận nghèo thành nghèo
    db.execute(cur, ["average", first(2025, "near_poor", 1)])  # thoát cận nghèo
    db.execute(cur, ["near_poor", first(2025, "average")])  # cận nghèo phát sinh
    db.execute(cur, ["average", first(2025, "poor")])  # thoát nghèo vượt cận nghèo
    db.execute(cur, ["poor", first(2025, "average", 1)])  # nghèo phát sinh
    close_review(db, YEAR, "125/QĐ-UBND", "2026-12-15")
    return db


def _write(db, tmp_path, form, ext, period=None):
    path = tmp_path / f"{form}.{ext}"
    run_to_end(write_report(db, path, form, YEAR, period))
    return path


class _PdfRows:
    """Row label → the figures printed after it, from the PDF text (labels may end in digits)."""

    def __init__(self, path):
        self.lines = [line.strip() for line in pdf_text(path).splitlines()]

    def __getitem__(self, label: str) -> list[str]:
        pattern = re.compile(rf"^(?:\d+ |[IVX]+ )?{re.escape(label)} ((?:[\d.,—]+ ?)+)$")
        for line in self.lines:
            m = pattern.match(line)
            if m:
                return m.group(1).split()
        raise KeyError(label)


def _pdf_rows(path) -> _PdfRows:
    return _PdfRows(path)


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _rate(part: int, whole: int) -> str:
    return f"{100 * part / whole:.2f}".replace(".", ",")


def _sheet_rows(path) -> tuple[object, dict[str, int]]:
    ws = openpyxl.load_workbook(path).active
    rows = {}
    for r in range(1, ws.max_row + 1):
        label = ws.cell(r, 2).value
        if isinstance(label, str) and label not in rows:
            rows[label] = r
    return ws, rows


def _value(ws, r: int, c: int):
    """A cell's value, with the form's own formulas evaluated (SUM of a range, a + b, rates)."""
    v = ws.cell(r, c).value
    if not isinstance(v, str) or not v.startswith("="):
        return v
    m = re.fullmatch(r"=SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)", v)
    if m:
        col = openpyxl.utils.column_index_from_string(m.group(1))
        return sum((_value(ws, i, col) or 0) for i in range(int(m.group(2)), int(m.group(4)) + 1)
                   if isinstance(_value(ws, i, col), int))
    if re.fullmatch(r"=([A-Z]+\d+\+)*[A-Z]+\d+", v):
        return sum(_value(ws, *_ref(ref)) or 0 for ref in v[1:].split("+"))
    m = re.fullmatch(r'=IF\(AND\(ISNUMBER\(([A-Z]+\d+)\),[A-Z]+\d+>0\),ROUND\(([A-Z]+\d+)/[A-Z]+\d+\*100,2\),""\)', v)
    if m:
        den, num = _value(ws, *_ref(m.group(1))), _value(ws, *_ref(m.group(2)))
        return round(100 * num / den, 2) if den else ""
    raise AssertionError(f"unexpected formula {v}")


def _ref(ref: str) -> tuple[int, int]:
    m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    return int(m.group(2)), openpyxl.utils.column_index_from_string(m.group(1))


def _by_village(db, sql: str, params: list) -> dict[int, int]:
    return dict(db.execute(sql, params).fetchall())


def test_results_form(commune, tmp_path):
    db = commune
    q = f"SELECT h.village_id, COUNT(*) FROM assessments a {ALIVE} WHERE a.year = ? AND a.classification = ?"
    poor = _by_village(db, q + " GROUP BY 1", [YEAR, "poor"])
    near = _by_village(db, q + " GROUP BY 1", [YEAR, "near_poor"])
    avg = _by_village(db, q + " GROUP BY 1", [YEAR, "average"])
    dtts = {c: _by_village(db, q + " AND h.ethnicity_code != '01' GROUP BY 1", [YEAR, c]) for c in ("poor", "near_poor")}
    people_sql = (f"SELECT h.village_id, SUM({SIZE}) FROM assessments a {ALIVE} "
                  "WHERE a.year = ? AND a.classification = ? GROUP BY 1")
    people = {c: _by_village(db, people_sql, [YEAR, c]) for c in ("poor", "near_poor")}
    res = dict(db.execute("SELECT village_id, households FROM resident_households WHERE year = ? AND deleted = 0", [YEAR]))
    pdf = _pdf_rows(_write(db, tmp_path, "ket-qua", "pdf"))
    ws, rows = _sheet_rows(_write(db, tmp_path, "ket-qua", "xlsx"))
    for v in list_villages(db):
        expected = [res[v.id], poor.get(v.id, 0), near.get(v.id, 0), avg.get(v.id, 0), dtts["poor"].get(v.id, 0),
                    dtts["near_poor"].get(v.id, 0), people["poor"].get(v.id, 0), people["near_poor"].get(v.id, 0)]
        r = rows[v.name]
        assert [_value(ws, r, c) for c in (3, 4, 6, 8, 9, 10, 11, 12)] == expected
        assert _value(ws, r, 5) == round(100 * expected[1] / expected[0], 2)
        assert pdf[v.name] == [_n(expected[0]), _n(expected[1]), _rate(expected[1], expected[0]), _n(expected[2]),
                               _rate(expected[2], expected[0]), *[_n(x) for x in expected[3:]]]
    totals = [sum(res.values()), sum(poor.values()), sum(near.values()), sum(avg.values()), sum(dtts["poor"].values()),
              sum(dtts["near_poor"].values()), sum(people["poor"].values()), sum(people["near_poor"].values())]
    r = rows["Tổng cộng toàn xã"]
    assert ws.cell(r, 4).value.startswith("=SUM(")
    assert [_value(ws, r, c) for c in (3, 4, 6, 8, 9, 10, 11, 12)] == totals
    assert pdf["Tổng cộng toàn xã"][:3] == [_n(totals[0]), _n(totals[1]), _rate(totals[1], totals[0])]


def test_results_form_without_residents_says_so(commune, tmp_path):
    commune.execute("DELETE FROM resident_households")
    text = " ".join(pdf_text(_write(commune, tmp_path, "ket-qua", "pdf")).split())
    assert "chưa có tổng số hộ dân cư" in text
    assert "—" in text


def _movements(db) -> dict[str, dict[int, int]]:
    """Movements computed from the two years' assessments (both under NĐ 07), by village."""
    sql = f"""SELECT h.village_id, prev.classification, cur.classification, COUNT(*), SUM({SIZE})
              FROM assessments cur JOIN households h ON h.id = cur.household_id AND h.deleted = 0
              LEFT JOIN assessments prev ON prev.household_id = cur.household_id AND prev.year = cur.year - 1
              WHERE cur.year = ? GROUP BY 1, 2, 3"""
    out: dict[str, dict[int, list[int]]] = {}
    kinds = {("poor", "near_poor"): "escaped", ("poor", "average"): "escaped", ("poor", "none"): "escaped",
             ("near_poor", "poor"): "near_to_poor", ("near_poor", "average"): "escaped_near",
             ("near_poor", "none"): "escaped_near", ("average", "poor"): "new_poor", ("none", "poor"): "new_poor",
             ("average", "near_poor"): "new_near", ("none", "near_poor"): "new_near"}
    for vid, before, after, n, people in db.execute(sql, [YEAR]):
        kind = kinds.get((before, after))
        if kind:
            bucket = out.setdefault(kind, {}).setdefault(vid, [0, 0])
            bucket[0] += n
            bucket[1] += people
        if (before, after) == ("poor", "near_poor"):
            bucket = out.setdefault("poor_to_near", {}).setdefault(vid, [0, 0])
            bucket[0] += n
            bucket[1] += people
    return out


def test_changes_form(commune, tmp_path):
    db = commune
    moves = _movements(db)
    assert set(moves) >= {"escaped", "near_to_poor", "escaped_near", "new_poor", "new_near"}
    level = (f"SELECT h.village_id, COUNT(*), SUM({SIZE}) FROM assessments a {ALIVE} "
             "WHERE a.year = ? AND a.classification = ? GROUP BY 1")
    ws, rows = _sheet_rows(_write(db, tmp_path, "dien-bien", "xlsx"))
    pdf_lines = pdf_text(_write(db, tmp_path, "dien-bien", "pdf")).splitlines()
    people_title = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Số nhân khẩu")
    for idx in (0, 1):  # the households section, then the people section
        lv = {(y, c): {vid: (n, p)[idx] for vid, n, p in db.execute(level, [y, c])}
              for y in (YEAR - 1, YEAR) for c in ("poor", "near_poor")}

        def mv(kind, vid, idx=idx):
            return moves.get(kind, {}).get(vid, [0, 0])[idx]

        for v in list_villages(db):
            expected = [lv[(2025, "poor")].get(v.id, 0), mv("escaped", v.id), mv("new_poor", v.id), 0,
                        mv("near_to_poor", v.id), lv[(2026, "poor")].get(v.id, 0),
                        lv[(2025, "near_poor")].get(v.id, 0), mv("escaped_near", v.id), mv("near_to_poor", v.id),
                        mv("new_near", v.id), 0, mv("poor_to_near", v.id), lv[(2026, "near_poor")].get(v.id, 0)]
            lines = [x for x in pdf_lines if re.match(rf"^\d+ {re.escape(v.name)} [\d.]+( [\d.]+){{12}}$", x.strip())]
            assert lines[idx].split()[-13:] == [_n(x) for x in expected]
            r = next(r for r in range(people_title if idx else 1, ws.max_row + 1) if ws.cell(r, 2).value == v.name)
            assert [_value(ws, r, c) for c in range(3, 16)] == expected
    r = rows["Tổng cộng toàn xã"]
    escaped_total = sum(x[0] for x in moves["escaped"].values())
    assert _value(ws, r, 4) == escaped_total
    escaped_rows = db.execute(
        "SELECT COUNT(*) FROM assessments c JOIN assessments p ON p.household_id = c.household_id AND p.year = 2025 "
        "WHERE c.year = 2026 AND p.classification = 'poor' AND c.classification != 'poor'").fetchone()[0]
    assert escaped_total == escaped_rows


def test_deprivation_form(commune, tmp_path):
    db = commune
    codes = ["1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "4.1", "4.2", "5.1", "5.2", "6.1", "6.2"]
    sql = f"""SELECT h.village_id, j.value, COUNT(*) FROM assessments a {ALIVE}, json_each(a.deprived) j
              WHERE a.year = ? AND a.classification IN ('poor', 'near_poor') GROUP BY 1, 2"""
    counts = {(vid, code): n for vid, code, n in db.execute(sql, [YEAR])}
    base = _by_village(db, f"SELECT h.village_id, COUNT(*) FROM assessments a {ALIVE} WHERE a.year = ? "
                           "AND a.classification IN ('poor', 'near_poor') GROUP BY 1", [YEAR])
    pdf = _pdf_rows(_write(db, tmp_path, "thieu-hut", "pdf"))
    ws, rows = _sheet_rows(_write(db, tmp_path, "thieu-hut", "xlsx"))
    for v in list_villages(db):
        expected = [base.get(v.id, 0), *[counts.get((v.id, c), 0) for c in codes]]
        assert [_value(ws, rows[v.name], c) for c in range(3, 16)] == expected
        assert pdf[v.name] == [_n(x) for x in expected]
    total = [sum(base.values()), *[sum(n for (_v, c), n in counts.items() if c == code) for code in codes]]
    assert [_value(ws, rows["Tổng cộng toàn xã"], c) for c in range(3, 16)] == total
    assert pdf["Tổng cộng toàn xã"] == [_n(x) for x in total]


def test_ethnic_and_target_group_forms(commune, tmp_path):
    db = commune
    sql = f"""SELECT h.ethnicity_name, a.classification, COUNT(*), SUM({SIZE}) FROM assessments a {ALIVE}
              WHERE a.year = ? GROUP BY 1, 2"""
    got = {(e, c): (n, p) for e, c, n, p in db.execute(sql, [YEAR])}
    pdf = _pdf_rows(_write(db, tmp_path, "dan-toc", "pdf"))
    ws, rows = _sheet_rows(_write(db, tmp_path, "dan-toc", "xlsx"))
    for name in {e for e, _c in got}:
        expected = [x for c in ("poor", "near_poor", "average") for x in got.get((name, c), (0, 0))]
        assert [_value(ws, rows[name], c) for c in range(3, 9)] == expected
        assert pdf[name] == [_n(x) for x in expected]
    total = [sum(v[i] for (_e, c), v in got.items() if c == cls) for cls in ("poor", "near_poor", "average") for i in (0, 1)]
    assert [_value(ws, rows["Tổng cộng"], c) for c in range(3, 9)] == total

    group_sql = f"""SELECT a.classification, COUNT(*), SUM({SIZE}) FROM assessments a {ALIVE}
                    WHERE a.year = ? AND EXISTS (SELECT 1 FROM json_each(a.target_groups) WHERE value = ?) GROUP BY 1"""
    pdf = _pdf_rows(_write(db, tmp_path, "doi-tuong", "pdf"))
    ws, rows = _sheet_rows(_write(db, tmp_path, "doi-tuong", "xlsx"))
    for code, label in (("nguoi_co_cong", "Hộ có người có công với cách mạng"),
                        ("khong_kha_nang_lao_dong", "Hộ không có khả năng lao động")):
        got = {c: (n, p) for c, n, p in db.execute(group_sql, [YEAR, code])}
        expected = [x for c in ("poor", "near_poor", "average") for x in got.get(c, (0, 0))]
        assert [_value(ws, rows[label], c) for c in range(3, 9)] == expected
        assert pdf[label] == [_n(x) for x in expected]


def test_leaving_form_lists_each_household(commune, tmp_path):
    db = commune
    sql = f"""SELECT h.head_name, {SIZE}, p.classification, c.classification FROM assessments c
              JOIN households h ON h.id = c.household_id AND h.deleted = 0
              JOIN assessments p ON p.household_id = c.household_id AND p.year = c.year - 1
              WHERE c.year = ? AND ((p.classification = 'poor' AND c.classification != 'poor')
                 OR (p.classification = 'near_poor' AND c.classification IN ('average', 'none')))"""
    leaving = db.execute(sql, [YEAR]).fetchall()
    assert leaving
    text = pdf_text(_write(db, tmp_path, "thoat-ngheo", "pdf"))
    ws, rows = _sheet_rows(_write(db, tmp_path, "thoat-ngheo", "xlsx"))
    for name, size, _before, _after in leaving:
        assert name in text
        assert ws.cell(rows[name], 5).value == size
        assert ws.cell(rows[name], 8).value == "15/12/2026"
    assert _value(ws, rows["Tổng cộng"], 5) == sum(x[1] for x in leaving)
    assert f"Tổng cộng {_n(sum(x[1] for x in leaving))}" in text


@pytest.mark.parametrize(("period", "end"), [("6m", "2026-06-30"), ("12m", "2026-12-31")])
def test_periodic_report(commune, tmp_path, period, end):
    db = commune
    db.execute("UPDATE plan_items SET status = 'done', actual_amount = 1000000, actual_date = '2026-08-01' "
               "WHERE id IN (SELECT id FROM plan_items WHERE year = 2026 AND status = 'planned' ORDER BY id LIMIT 3)")
    sql = """SELECT p.measure_code, COUNT(DISTINCT CASE WHEN p.status = 'done' AND p.actual_date != '' AND p.actual_date <= :end
                                              THEN p.household_id END),
                     SUM(p.status = 'done' AND p.actual_date != '' AND p.actual_date <= :end),
                     COALESCE(SUM(p.expected_amount), 0),
                     COALESCE(SUM(CASE WHEN p.status = 'done' AND p.actual_date != '' AND p.actual_date <= :end
                                  THEN p.actual_amount END), 0)
              FROM plan_items p JOIN households h ON h.id = p.household_id AND h.deleted = 0
              WHERE p.year = :year AND p.deleted = 0 AND p.status != 'cancelled' GROUP BY 1"""
    names = dict(db.execute("SELECT code, name FROM catalog_entries WHERE catalog = 'support_measures'").fetchall())
    if not names:
        from gnbv_desktop.core.catalogs import catalog_labels

        names = catalog_labels("support_measures")
    got = {names[m]: [a, b, c, d] for m, a, b, c, d in db.execute(sql, {"end": end, "year": YEAR})}
    pdf = _pdf_rows(_write(db, tmp_path, "dinh-ky", "pdf", period))
    ws = openpyxl.load_workbook(_write(db, tmp_path, "dinh-ky", "xlsx", period)).active
    for label, expected in got.items():
        r = next(i for i in range(1, ws.max_row + 1) if ws.cell(i, 2).value == label)
        assert [ws.cell(r, c).value for c in range(3, 7)] == expected
        if len(label) < 45:  # longer names wrap onto a second line in the PDF
            assert pdf[label][:4] == [_n(x) for x in expected]


def test_upper_level_forms_have_communes_as_rows(tmp_path):
    """Two communes send their packages; the upper level's forms show each commune's totals,
    equal to counts made directly on each commune's own database."""
    from tests.jobs.sync_helpers import export, import_, make_aggregate, make_commune

    communes = [make_commune(tmp_path / "a.sqlite3", "23764", "Xã Ia Grai", 40, 3),
                make_commune(tmp_path / "b.sqlite3", "23770", "Xã Ia Băng", 30, 5)]
    agg = make_aggregate(tmp_path / "agg.sqlite3")
    for i, db in enumerate(communes):
        close_review(db, YEAR)
        export(db, tmp_path / f"p{i}.gnbv")
    import_(agg, tmp_path / "p0.gnbv", tmp_path / "p1.gnbv")
    ws, rows = _sheet_rows(_write(agg, tmp_path, "ket-qua", "xlsx"))
    pdf = _pdf_rows(_write(agg, tmp_path, "ket-qua", "pdf"))
    totals = [0, 0, 0]
    for db, name in zip(communes, ("Xã Ia Grai", "Xã Ia Băng"), strict=True):
        res = db.execute("SELECT SUM(households) FROM resident_households WHERE year = ? AND deleted = 0", [YEAR]).fetchone()[0]
        poor, near = (db.execute(f"SELECT COUNT(*) FROM assessments a {ALIVE} WHERE a.year = ? AND a.classification = ?",
                                 [YEAR, c]).fetchone()[0] for c in ("poor", "near_poor"))
        assert [_value(ws, rows[name], c) for c in (3, 4, 6)] == [res, poor, near]
        assert pdf[name][:3] == [_n(res), _n(poor), _rate(poor, res)]
        totals = [totals[0] + res, totals[1] + poor, totals[2] + near]
    assert [_value(ws, rows["Tổng cộng"], c) for c in (3, 4, 6)] == totals
    ws, rows = _sheet_rows(_write(agg, tmp_path, "dien-bien", "xlsx"))
    for db, name in zip(communes, ("Xã Ia Grai", "Xã Ia Băng"), strict=True):
        escaped = db.execute(
            "SELECT COUNT(*) FROM assessments c JOIN assessments p ON p.household_id = c.household_id AND p.year = 2025 "
            "WHERE c.year = 2026 AND p.classification = 'poor' AND c.classification != 'poor'").fetchone()[0]
        assert _value(ws, rows[name], 4) == escaped
    for key in ("thieu-hut", "dan-toc", "doi-tuong", "thoat-ngheo"):
        _write(agg, tmp_path, key, "pdf")


def test_text_that_looks_like_a_formula_stays_text(commune, tmp_path):
    hid = commune.execute("SELECT household_id FROM assessments WHERE year = 2026 LIMIT 1").fetchone()[0]
    commune.execute("UPDATE households SET ethnicity_name = '=HYPERLINK(\"http://x\",\"y\")' WHERE id = ?", [hid])
    ws, rows = _sheet_rows(_write(commune, tmp_path, "dan-toc", "xlsx"))
    cell = ws.cell(rows['=HYPERLINK("http://x","y")'], 2)
    assert cell.data_type == "s" and cell.quotePrefix  # io.xlsx_safe: shown as typed, never evaluated
    # the form's own totals and rates stay live formulas; nothing else is one
    formulas = [c.value for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas and all(f.startswith(("=SUM(", "=IF(")) for f in formulas)


def test_upper_level_periodic_report_counts_each_household_once(tmp_path):
    from tests.jobs.sync_helpers import export, import_, make_aggregate, make_commune

    communes = [make_commune(tmp_path / "a.sqlite3", "23764", "Xã Ia Grai", 30, 3),
                make_commune(tmp_path / "b.sqlite3", "23770", "Xã Ia Băng", 20, 5)]
    agg = make_aggregate(tmp_path / "agg.sqlite3")
    for i, db in enumerate(communes):
        export(db, tmp_path / f"p{i}.gnbv")
    import_(agg, tmp_path / "p0.gnbv", tmp_path / "p1.gnbv")
    ws = openpyxl.load_workbook(_write(agg, tmp_path, "dinh-ky", "xlsx", "12m")).active
    helped = sum(db.execute(
        "SELECT COUNT(DISTINCT p.household_id) FROM plan_items p JOIN households h ON h.id = p.household_id "
        "AND h.deleted = 0 WHERE p.year = 2026 AND p.deleted = 0 AND p.status = 'done' AND p.actual_date != '' "
        "AND p.actual_date <= '2026-12-31'").fetchone()[0] for db in communes)
    total = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == "Tổng cộng")
    assert _value(ws, total, 3) == helped
