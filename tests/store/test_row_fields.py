"""The bulk write reads households and assessments field by field, by name, in the order of the
columns it writes (faster than reading them by a list of names): each column must get its own
field, the import's copy of a new household must carry every field, and tidying a household must
set each field from its own value. Oracles: the dataclasses' own field list and the one-value
functions (``clean``, ``normalize_cccd``, ``strip_illegal_chars``)."""

from __future__ import annotations

from dataclasses import fields

from gnbv_desktop.core.cccd import normalize_cccd
from gnbv_desktop.core.household import Assessment, Household, Member, normalize_households
from gnbv_desktop.core.text import clean, strip_illegal_chars
from gnbv_desktop.io.excel_parser import ParsedHousehold
from gnbv_desktop.jobs.import_excel import _merged_household
from gnbv_desktop.store.households import ASSESSMENT_COLUMNS, HOUSEHOLD_COLUMNS, assessment_row, household_row


def _distinct_household() -> Household:
    """Every field set, each to a value no other field has."""
    return Household(head_name="Họ Tên", village_id=7, code="00042", head_cccd="064190001234", head_birth_year=1990,
                     head_birth_date="1990-03-04", head_sex="nu", ethnicity_name="Ê Đê", ethnicity_code="03",
                     ethnicity_list="QĐ 1019", address="Địa chỉ", phone="0905", categories=["dtts"], note="Ghi chú",
                     members=[Member("Con")], id=99, uuid="u-1", declared_size=5)


def test_each_household_column_is_written_from_its_own_field():
    h = _distinct_household()
    row = dict(zip(HOUSEHOLD_COLUMNS, household_row(h), strict=True))
    derived = {"categories", "search_key", "sort_key"}
    assert {c: row[c] for c in HOUSEHOLD_COLUMNS if c not in derived} == {
        c: getattr(h, c) for c in HOUSEHOLD_COLUMNS if c not in derived}
    assert row["categories"] == '["dtts"]'


def test_each_assessment_column_is_written_from_its_own_field():
    a = Assessment(2026, "std", "nong_thon", 900_000, ["1.1"], "ngheo", ["c"], ["n"], "ghi", ["nguoi_co_cong"],
                   "dang_ra_soat")
    row = dict(zip(ASSESSMENT_COLUMNS, assessment_row(a, 13), strict=True))
    plain = [c for c in ASSESSMENT_COLUMNS[1:] if c not in ("deprived", "causes", "needs", "target_groups")]
    assert row["household_id"] == 13
    assert {c: row[c] for c in plain} == {c: getattr(a, c) for c in plain}
    assert (row["deprived"], row["causes"], row["needs"], row["target_groups"]) == (
        '["1.1"]', '["c"]', '["n"]', '["nguoi_co_cong"]')


def test_a_new_households_copy_carries_every_field_but_its_identity():
    src = _distinct_household()
    copy = _merged_household(ParsedHousehold(row=5, household=src), None)
    assert copy is not src and (copy.id, copy.uuid) == (None, "")
    assert set(vars(copy)) == {f.name for f in fields(Household)}  # every field set on the copy itself
    for f in fields(Household):
        if f.name not in ("id", "uuid"):
            assert getattr(copy, f.name) is getattr(src, f.name), f.name
    assert (src.id, src.uuid) == (99, "u-1")  # the preview's own household stays as read


def test_tidying_sets_each_field_from_its_own_value():
    typed = {"head_name": "  Nguyễn   Văn  A ", "head_cccd": "064.190.001.234", "address": " Thôn  1 ",
             "phone": "0905 111 222 ", "code": " 00007", "note": "Ghi\x07chú"}
    h = Household(**typed)
    normalize_households([h])
    expected = {k: clean(v) for k, v in typed.items()} | {"head_cccd": normalize_cccd(typed["head_cccd"]),
                                                          "note": strip_illegal_chars(typed["note"])}
    assert {k: getattr(h, k) for k in typed} == expected
    assert len(set(expected.values())) == len(expected)  # each field's value its own
