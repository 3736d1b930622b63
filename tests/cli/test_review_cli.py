"""gnbv review start/confirm/close and the movements in stats --json, checked against SQL."""

from __future__ import annotations

import sqlite3

from tests.cli.helpers import run_cli, run_json


def test_review_cycle_from_the_command_line(capsys, db_path):
    assert run_cli(capsys, db_path, "demo", "--households", "60", "--year", "2025")[0] == 0
    code, out, err = run_cli(capsys, db_path, "review", "start", "--year", "2026")
    assert code == 0 and "60 hộ chưa rà soát" in out, err
    code, _o, err = run_cli(capsys, db_path, "review", "close", "--year", "2026")
    assert code == 1 and "còn 60 hộ chưa rà soát" in err
    assert run_json(capsys, db_path, "stats", "--year", "2026", "--json")["transitions"] is None
    # two households change: one poor household escapes, one average household becomes poor
    con = sqlite3.connect(db_path)
    poor = con.execute("SELECT household_id FROM assessments WHERE year = 2026 AND classification = 'poor' "
                       "ORDER BY household_id LIMIT 1").fetchone()[0]
    avg = con.execute("SELECT household_id FROM assessments WHERE year = 2026 AND classification = 'average' "
                      "ORDER BY household_id LIMIT 1").fetchone()[0]
    con.close()
    code, out, _e = run_cli(capsys, db_path, "review", "confirm", "--year", "2026", "--all")
    assert code == 0 and "60 hộ" in out
    con = sqlite3.connect(db_path)
    with con:
        con.execute("UPDATE assessments SET classification = 'average' WHERE year = 2026 AND household_id = ?", [poor])
        con.execute("UPDATE assessments SET classification = 'poor' WHERE year = 2026 AND household_id = ?", [avg])
    con.close()
    code, out, err = run_cli(capsys, db_path, "review", "close", "--year", "2026", "--decision-number", "12/QĐ-UBND",
                             "--decision-date", "31/02/2026")
    assert code == 1 and "không hợp lệ" in err
    code, out, err = run_cli(capsys, db_path, "review", "close", "--year", "2026", "--decision-number", "12/QĐ-UBND",
                             "--decision-date", "20/12/2026")
    assert code == 0 and "Thoát nghèo (vượt chuẩn cận nghèo): 1" in out, err
    data = run_json(capsys, db_path, "stats", "--year", "2026", "--json")["transitions"]
    con = sqlite3.connect(db_path)
    by_kind = dict(con.execute("SELECT kind, COUNT(*) FROM transitions WHERE year = 2026 AND deleted = 0 GROUP BY 1"))
    con.close()
    assert by_kind == {"escaped_poor_above": 1, "new_poor": 1}
    assert data["escaped_poor"] == 1 and data["new_poor"] == 1 and data["re_poor"] == 0
    assert data["decision_date"] == "2026-12-20"
