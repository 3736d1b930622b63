"""The plan commands of the CLI, through ``gnbv`` as a user runs them."""

from __future__ import annotations

import openpyxl

from tests.cli.helpers import run_cli, run_json
from tests.pdf_text import flat_pdf_text


def _demo(capsys, db_path):
    code, _out, err = run_cli(capsys, db_path, "demo", "--households", "40", "--year", "2026", "--seed", "3")
    assert code == 0, err


def test_stats_gains_plan_figures(capsys, db_path):
    _demo(capsys, db_path)
    data = run_json(capsys, db_path, "stats", "--year", "2026", "--json")
    assert 0 < data["households_with_helper"] <= data["by_classification"]["poor"] + data["by_classification"][
        "near_poor"]
    assert data["plan_items"] > 0


def test_annex_pdf_and_xlsx(capsys, db_path, tmp_path):
    _demo(capsys, db_path)
    heads = [r["head_name"] for r in run_json(capsys, db_path, "list", "--year", "2026", "--json")
             if r["classification"] in ("poor", "near_poor")]
    code, out, err = run_cli(capsys, db_path, "annex", str(tmp_path / "a.pdf"), "--year", "2026")
    assert code == 0, err and f"{len(heads)} hộ" in out
    text = flat_pdf_text(tmp_path / "a.pdf")
    assert all(" ".join(h.split()) in text for h in heads)
    code, _out, err = run_cli(capsys, db_path, "annex", str(tmp_path / "a.xlsx"), "--year", "2026",
                              "--village", "Thôn 1")
    assert code == 0, err
    ws = openpyxl.load_workbook(tmp_path / "a.xlsx").active
    assert ws["A7"].value.endswith("Thôn: Thôn 1")


def test_unknown_village_and_bad_type_exit_1(capsys, db_path, tmp_path):
    _demo(capsys, db_path)
    code, _out, err = run_cli(capsys, db_path, "posting", str(tmp_path / "p.pdf"), "--village", "Thôn 99")
    assert code == 1 and "Không có thôn 'Thôn 99'" in err
    code, _out, err = run_cli(capsys, db_path, "sheets", str(tmp_path / "p.docx"), "--year", "2026")
    assert code == 1 and ".pdf" in err
    assert not (tmp_path / "p.docx").exists()


def test_helpers_add_assign_unassisted(capsys, db_path):
    _demo(capsys, db_path)
    code, out, err = run_cli(capsys, db_path, "helper-add", "Lê Văn Tám", "--person", "--position", "Trưởng thôn")
    assert code == 0, err
    code, out, err = run_cli(capsys, db_path, "assign", "--helper", "Lê Văn Tám", "--unassisted", "--year", "2026")
    assert code == 0, err
    stats = run_json(capsys, db_path, "stats", "--year", "2026", "--json")
    poor_near = stats["by_classification"]["poor"] + stats["by_classification"]["near_poor"]
    assert stats["households_with_helper"] == poor_near
    helpers = {h["name"]: h for h in run_json(capsys, db_path, "helpers", "--year", "2026", "--json")}
    assert helpers["Lê Văn Tám"]["kind"] == "person" and helpers["Lê Văn Tám"]["households"] > 0
    code, _out, err = run_cli(capsys, db_path, "assign", "--helper", "Không Ai", "--unassisted")
    assert code == 1 and "Không có người/tổ chức giúp đỡ" in err


def test_plan_set_and_projection(capsys, db_path):
    _demo(capsys, db_path)
    code, _o, err = run_cli(capsys, db_path, "plan-set", "--year", "2026", "--number", "7/KH-UBND", "--date",
                            "09/02/2026", "--signer", "Đinh Thị Hoa", "--title", "PHÓ CHỦ TỊCH", "--target-rate", "1.5")
    assert code == 0, err
    data = run_json(capsys, db_path, "plan", "--year", "2026", "--json")
    assert data["plan"]["document_number"] == "7/KH-UBND" and data["plan"]["document_date"] == "2026-02-09"
    proj = data["projection"]
    assert abs(proj["target_rate"] - (proj["current_rate"] - 1.5)) < 1e-6
    assert "so với chỉ tiêu" in proj["summary"]
    code, _o, err = run_cli(capsys, db_path, "plan-set", "--year", "2026", "--target-rate", "150")
    assert code == 1 and "từ 0 đến 100" in err


def test_suggest_json(capsys, db_path):
    _demo(capsys, db_path)
    rows = run_json(capsys, db_path, "list", "--year", "2026", "--classification", "poor", "--json")
    target = next(r for r in rows if r["deprived"])
    data = run_json(capsys, db_path, "suggest", target["code"], "--year", "2026", "--json")
    suggested = {c for s in data["suggestions"] for c in s["indicators"]}
    # every deprivation is either already addressed by a plan item or suggested now
    assert set(data["unaddressed"]) <= suggested
