"""The registry commands as a user runs them: exit codes, JSON shapes, messages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.cli.helpers import run_cli, run_json

ROOT = Path(__file__).resolve().parents[2]


def test_init_then_list_villages(capsys, db_path):
    code, out, err = run_cli(capsys, db_path, "init", "--commune-name", "Xã Ia Grai", "--province", "Gia Lai",
                             "--village", "Thôn 1", "--village", "Tổ dân phố 2:urban")
    assert code == 0, err
    assert "Xã Ia Grai" in out
    from gnbv_desktop.store.database import open_database
    from gnbv_desktop.store.settings import load_settings
    from gnbv_desktop.store.villages import list_villages

    db = open_database(db_path)
    s = load_settings(db)
    assert (s.commune_code, s.province_code) == ("23764", "52")
    assert s.upper_level == "Sở Nông nghiệp và Môi trường tỉnh Gia Lai"
    assert [(v.name, v.area) for v in list_villages(db)] == [("Thôn 1", "rural"), ("Tổ dân phố 2", "urban")]
    db.close()


def test_init_unknown_province_is_exit_1(capsys, db_path):
    code, _out, err = run_cli(capsys, db_path, "init", "--commune-name", "X", "--province", "Atlantis",
                              "--village", "A")
    assert code == 1 and "Atlantis" in err


def test_demo_stats_list(capsys, db_path):
    code, out, _ = run_cli(capsys, db_path, "demo", "--households", "40", "--seed", "3", "--year", "2026")
    assert code == 0 and "40" in out
    stats = run_json(capsys, db_path, "stats", "--year", "2026", "--json")
    assert stats["households"] == 40
    assert set(stats["by_classification"]) >= {"poor", "near_poor", "average", "none"}
    listed = run_json(capsys, db_path, "list", "--year", "2026", "--json")
    assert len(listed) == 40
    assert {"id", "code", "head_name", "village", "classification", "income", "deprived", "members"} <= set(listed[0])
    poor = run_json(capsys, db_path, "list", "--year", "2026", "--classification", "poor", "--json")
    assert len(poor) == stats["by_classification"]["poor"]
    in_village = run_json(capsys, db_path, "list", "--year", "2026", "--village", "thôn 1", "--json")
    assert {r["village"] for r in in_village} == {"Thôn 1"}
    assert len(in_village) == stats["by_village"]["Thôn 1"]["households"]


def test_demo_is_deterministic(capsys, tmp_path):
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    for p in (a, b):
        run_cli(capsys, p, "demo", "--households", "15", "--seed", "9", "--year", "2026")
    la = run_json(capsys, a, "list", "--year", "2026", "--json")
    lb = run_json(capsys, b, "list", "--year", "2026", "--json")
    assert [(r["head_name"], r["income"], r["deprived"]) for r in la] == [
        (r["head_name"], r["income"], r["deprived"]) for r in lb
    ]


def test_classify_json_and_errors(capsys, db, db_path):
    out = run_json(capsys, db_path, "classify", "--standard", "nd07-2021", "--area", "rural", "--income", "1500000",
                   "--deprived", "1.1,2.2,3.1")
    assert out == {"standard": "nd07-2021", "classification": "poor", "deprived_count": 3,
                   "explanation": "Hộ nghèo: thu nhập 1.500.000 đ ≤ 1.500.000 đ và thiếu hụt 3/12 chỉ số (≥ 3)"}
    out = run_json(capsys, db_path, "classify", "--year", "2019", "--area", "urban", "--income", "1000000")
    assert out["standard"] == "qd59-2015" and out["classification"] == "near_poor"
    code, _, err = run_cli(capsys, db_path, "classify", "--year", "2026", "--area", "rural", "--income", "1",
                           "--deprived", "7.7")
    assert code == 1 and "7.7" in err


def test_standards_json(capsys, db, db_path):
    data = run_json(capsys, db_path, "standards", "--json")
    nd07 = next(s for s in data if s["id"] == "nd07-2021")
    assert nd07["thresholds"]["rural"]["poor_line"] == 1_500_000
    assert {"code": "2.2", "dimension": "Y tế", "name": "Bảo hiểm y tế", "provisional": False} in nd07["indicators"]


def test_module_entry_point_usage_error_is_2(tmp_path):
    r = subprocess.run([sys.executable, "-m", "gnbv_desktop", "--db", str(tmp_path / "x.db"), "classify"],
                       cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 2
    r = subprocess.run([sys.executable, "-m", "gnbv_desktop", "--version"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0 and "GNBV Desktop" in r.stdout


def test_carry_forward_across_a_new_standard_reclassifies_nothing(capsys, db_path):
    """2026 (NĐ 07) → 2027 (NĐ 351): incomes carried as a hint, nobody classified until reviewed."""
    run_cli(capsys, db_path, "demo", "--households", "30", "--seed", "4", "--year", "2026")
    code, out, _ = run_cli(capsys, db_path, "carry-forward", "--from", "2026", "--to", "2027")
    assert code == 0 and "30" in out and "rà soát theo chuẩn mới" in out
    listed = {r["id"]: r for r in run_json(capsys, db_path, "list", "--year", "2027", "--json")}
    before = {r["id"]: r for r in run_json(capsys, db_path, "list", "--year", "2026", "--json")}
    assert set(listed) == set(before)
    for hid, row in listed.items():
        assert row["income"] == before[hid]["income"]
        assert row["deprived"] == [] and row["classification"] == ""
    import sqlite3

    con = sqlite3.connect(db_path)
    statuses = con.execute("SELECT review_status, standard_id, COUNT(*) FROM assessments WHERE year = 2027 GROUP BY 1, 2")
    assert statuses.fetchall() == [("new_standard", "nd351-2025", 30)]
    con.close()
    code, out, _ = run_cli(capsys, db_path, "carry-forward", "--from", "2026", "--to", "2027")
    assert code == 0 and "Đã chuyển 0 hộ" in out


def test_residents_command_and_rates_in_stats(capsys, db_path):
    from tests.cli.helpers import run_cli, run_json

    assert run_cli(capsys, db_path, "demo", "--households", "40", "--year", "2026")[0] == 0
    code, out, err = run_cli(capsys, db_path, "residents", "--year", "2026", "--village", "thôn 1", "--households",
                             "500", "--people", "2100")
    assert code == 0 and "Thôn 1 năm 2026: 500 hộ dân cư, 2.100 nhân khẩu" in out
    code, _o, err = run_cli(capsys, db_path, "residents", "--year", "2026", "--village", "Không Có", "--households", "5")
    assert code == 1 and "Không có thôn 'Không Có'" in err
    data = run_json(capsys, db_path, "stats", "--year", "2026", "--json")
    import sqlite3

    con = sqlite3.connect(db_path)
    total = con.execute("SELECT SUM(households) FROM resident_households WHERE year = 2026 AND deleted = 0").fetchone()[0]
    poor = con.execute("SELECT COUNT(*) FROM assessments WHERE year = 2026 AND classification = 'poor'").fetchone()[0]
    near = con.execute("SELECT COUNT(*) FROM assessments WHERE year = 2026 AND classification = 'near_poor'").fetchone()[0]
    con.close()
    assert data["resident_households"] == total
    assert data["poverty_rate_percent"] == round(100 * poor / total, 4)
    assert data["near_poverty_rate_percent"] == round(100 * near / total, 4)
