"""Numbers from outside that used to end in tracebacks (issue 9, finding 5): NaN, Infinity,
1e300 and integers beyond SQLite's 64 bits as targets, plan counts and incomes — each a
Vietnamese refusal with the database unchanged."""

from __future__ import annotations

import pytest

from gnbv_desktop.store.database import open_database
from tests.hostile.kit import assert_refused, commune_template, copy_of

PLAN_SET = [
    (["--target-rate", "nan"], "từ 0 đến 100"),
    (["--target-rate", "inf"], "từ 0 đến 100"),
    (["--target-rate", "1e300"], "từ 0 đến 100"),
    (["--target-dtts-rate=-inf"], "từ 0 đến 100"),
    (["--target-escape", str(10**20)], "tối đa 1.000.000"),
    (["--target-escape", str(2**63)], "tối đa 1.000.000"),
    (["--total-households", str(2**64 - 1)], "tối đa 1.000.000"),
    (["--target-near-poor", "-1"], "không được âm"),
]

CLASSIFY = [("100000000000000000000", "lớn quá mức"), ("1.5", "không rõ nghĩa"), ("1,2", "không rõ nghĩa"),
            ("1.2345", "không rõ nghĩa"), ("NaN", "Không đọc được"), ("Infinity", "Không đọc được"),
            ("1e300", "Không đọc được"), ("", "Chưa nhập thu nhập")]

TARGETS = ['{"23764": {"target_escape_households": NaN}}', '{"23764": {"target_poverty_reduction": Infinity}}',
           '{"23764": {"target_escape_households": 1e300}}', '{"23764": {"target_escape_households": 9223372036854775808}}',
           '{"23764": {"target_poverty_reduction": -Infinity}}']


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return commune_template(tmp_path_factory.mktemp("numbers"))


@pytest.mark.parametrize(("args", "says"), PLAN_SET, ids=[" ".join(a) for a, _ in PLAN_SET])
def test_impossible_plan_numbers_are_refused(args, says, template, tmp_path, capsys):
    db_path = copy_of(template, tmp_path / "xa.sqlite3")
    assert_refused(capsys, db_path, "plan-set", "--year", "2026", *args, says=says)


@pytest.mark.parametrize(("income", "says"), CLASSIFY, ids=[i or "blank" for i, _ in CLASSIFY])
def test_impossible_incomes_on_the_command_line_are_refused(income, says, template, tmp_path, capsys):
    db_path = copy_of(template, tmp_path / "xa.sqlite3")
    assert_refused(capsys, db_path, "classify", "--year", "2026", "--area", "rural", "--income", income, says=says)


@pytest.mark.parametrize("targets", TARGETS)
def test_the_upper_level_cannot_send_impossible_targets(targets, tmp_path, capsys):
    upper = tmp_path / "tinh.sqlite3"
    open_database(upper).close()  # the upper level's (empty) database
    (tmp_path / "t.json").write_text(targets, encoding="utf-8")
    assert_refused(capsys, upper, "ref-export", str(tmp_path / "r.gnbvref"), "--targets", str(tmp_path / "t.json"),
                   says="Chỉ tiêu của xã 23764")
    assert not (tmp_path / "r.gnbvref").exists()
