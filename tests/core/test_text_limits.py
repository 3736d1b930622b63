"""One place for text limits: the sync schema's bounds are core.limits', and local checks refuse
control characters naming the field. Also the identity rule trusted when a mã hộ matches."""

from __future__ import annotations

import pytest

from gnbv_desktop.core import limits
from gnbv_desktop.core.household import Household, Member, same_head, validate_household
from gnbv_desktop.core.plans import Helper, validate_helper
from gnbv_desktop.core.sync_schema import ColumnInfo, column_rule


@pytest.mark.parametrize(("table", "column", "limit"), [
    ("households", "head_name", limits.MAX_NAME_CHARS),
    ("members", "full_name", limits.MAX_NAME_CHARS),
    ("helpers", "name", limits.MAX_NAME_CHARS),
    ("villages", "name", limits.MAX_NAME_CHARS),
    ("households", "phone", limits.MAX_TEXT_CHARS),
    ("households", "note", limits.MAX_LONG_TEXT_CHARS),
])
def test_sync_schema_takes_its_text_bounds_from_core_limits(table, column, limit):
    rule = column_rule(table, ColumnInfo(column, "TEXT", True, False))
    assert rule.check("a" * limit) == ""
    assert rule.check("a" * (limit + 1)) == f"dài {limit + 1} ký tự, tối đa {limit}."


def test_local_bounds_are_never_looser_than_the_schemas():
    assert limits.MAX_NAME_CHARS <= limits.MAX_TEXT_CHARS <= limits.MAX_NOTE_CHARS <= limits.MAX_LONG_TEXT_CHARS


@pytest.mark.parametrize("bad", ["Hội\x1b[31m đỏ", "Hội \u202eỏđ", "Hội\x85x"])
def test_control_characters_in_a_name_are_refused_naming_the_field(bad):
    problem = limits.text_problem("Tên thôn", bad, limits.MAX_NAME_CHARS)
    assert problem.startswith("Tên thôn chứa ký tự điều khiển")


def test_a_note_may_hold_line_breaks_but_a_name_may_not():
    assert limits.text_problem("Ghi chú", "dòng 1\ndòng 2\ttab", limits.MAX_NOTE_CHARS, multiline=True) == ""
    assert limits.text_problem("Họ tên", "Lê\nMinh", limits.MAX_NAME_CHARS) != ""


def test_household_validation_bounds_names_and_notes():
    name = "Ê" * limits.MAX_NAME_CHARS
    ok = Household(head_name=name, village_id=1, note="x" * limits.MAX_NOTE_CHARS, members=[Member(name, "Con", 2000)])
    assert validate_household(ok) == {}
    long = Household(head_name=name + "Ê", village_id=1, note="x" * (limits.MAX_NOTE_CHARS + 1),
                     members=[Member("A\u202eB", "Con", 2000)])
    errors = validate_household(long)
    assert errors["head_name"] == "Họ tên chủ hộ dài 201 ký tự, tối đa 200 ký tự."
    assert errors["note"] == "Ghi chú dài 1.001 ký tự, tối đa 1.000 ký tự."
    assert errors["members[0].full_name"].startswith("Họ tên thành viên thứ 1 chứa ký tự điều khiển")


def test_helper_validation_refuses_an_escape_before_cleaning_could_hide_it():
    assert validate_helper(Helper(name="Hội\x1b[31m đỏ"))["name"].startswith("Tên người/tổ chức giúp đỡ chứa ký tự")
    assert validate_helper(Helper(name="H" * 20_000))["name"] == "Tên người/tổ chức giúp đỡ dài 20.000 ký tự, tối đa 200 ký tự."
    assert validate_helper(Helper(name="H" * limits.MAX_NAME_CHARS)) == {}


@pytest.mark.parametrize(("a", "b", "same"), [
    (("Lê Thu Minh", "040176025530"), ("Võ Anh Thy", "038188068606"), False),  # both CCCDs, different
    (("Lê Thu Minh", "040176025530"), ("Lê Thu Minh", "038188068606"), False),  # namesakes, different CCCDs
    (("Lê Thu Minh", "040176025530"), ("Lê Thị Thu Minh", "040176025530"), True),  # corrected spelling
    (("Hà Văn Hai", ""), ("HÀ  VĂN HẢI", ""), True),  # no CCCD: folded names agree
    (("Hà Văn Hai", "040176025530"), ("ha van hai", ""), True),  # one CCCD only: the name decides
    (("Hà Văn Hai", ""), ("Trần Văn Bốn", "040176025530"), False),
])
def test_same_head(a, b, same):
    assert same_head(*a, *b) is same
    assert same_head(*b, *a) is same
