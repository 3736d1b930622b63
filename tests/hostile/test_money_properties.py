"""The one money parser, generated: every way the app writes an amount reads back to it; any text
reads to a whole amount within bounds or is refused with a Vietnamese message — never another
exception, never a silent guess (issue 9, findings 5 and 7)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gnbv_desktop.core.excel_values import ValueProblem
from gnbv_desktop.core.excel_values import parse_money as parse_cell
from gnbv_desktop.core.limits import MAX_MONEY
from gnbv_desktop.core.money import MoneyError, format_money_input, parse_money
from gnbv_desktop.core.text import format_money, format_number

amounts = st.integers(min_value=0, max_value=MAX_MONEY)


@given(amounts)
def test_every_form_the_app_writes_reads_back(amount):
    forms = [format_number(amount), format_money(amount), format_money_input(amount), str(amount),
             f"{amount:,}".replace(",", " ")]
    if amount >= 1_000_000:  # 1,500,000 is clear; a lone "1,500" could be 1,5 (see below)
        forms.append(f"{amount:,}")
    for text in forms:
        assert parse_money(text) == amount, text
    assert parse_money(amount) == amount and parse_money(float(amount)) == amount


@given(st.integers(min_value=0, max_value=999_999), st.integers(min_value=1, max_value=9))
def test_decimal_millions_with_a_unit(whole, tenth):
    assert parse_money(f"{whole},{tenth} triệu") == whole * 1_000_000 + tenth * 100_000
    assert parse_money(f"{whole}.{tenth} tr") == whole * 1_000_000 + tenth * 100_000


@given(st.integers(min_value=0, max_value=999), st.integers(min_value=1, max_value=99).filter(lambda d: d % 10),
       st.sampled_from([".", ","]))
def test_a_lone_separator_that_is_not_thousands_is_refused_saying_what_was_read(head, tail, sep):
    text = f"{head}{sep}{tail}"
    with pytest.raises(MoneyError) as exc:
        parse_money(text)
    assert text in str(exc.value)


@given(st.integers(min_value=MAX_MONEY + 1, max_value=2**80))
def test_above_the_limit_is_refused_in_every_form(amount):
    for value in (amount, float(amount), str(amount), format_number(amount)):
        with pytest.raises(MoneyError, match="lớn quá mức"):
            parse_money(value)


TOKENS = list("0123456789.,  -+eE") + ["triệu", "tr", "nghìn", "k", "đ", "tỷ", "/người/tháng", "abc", "\x00", "∞"]
MONEYISH = st.lists(st.sampled_from(TOKENS), max_size=14).map("".join)


@given(st.one_of(MONEYISH, st.text(max_size=40), st.floats(allow_nan=True, allow_infinity=True),
                 st.integers(min_value=-(2**70), max_value=2**70), st.booleans(), st.none()))
def test_anything_reads_to_a_bounded_whole_amount_or_a_message(value):
    try:
        amount = parse_money(value)
    except MoneyError as exc:
        assert str(exc) and "Traceback" not in str(exc)
        with pytest.raises(ValueProblem):  # Excel cells get the same answer, as an import problem
            parse_cell(value)
        return
    assert amount is None or (isinstance(amount, int) and 0 <= amount <= MAX_MONEY)
    assert parse_cell(value) == amount


@pytest.mark.parametrize("text", ["1.5", "1,2", "1.2345", "1,500", "1.500 nghìn", "1.50.000", "1 5"])
def test_the_ambiguous_examples_of_the_issue_are_refused(text):
    with pytest.raises(MoneyError) as exc:
        parse_money(text)
    assert text in str(exc.value)


@pytest.mark.parametrize(("text", "amount"), [("1.500.000", 1_500_000), ("1,5 triệu", 1_500_000),
                                              ("1500000", 1_500_000), ("2 triệu", 2_000_000),
                                              ("1.500.000 đ", 1_500_000), ("900.000đ/người/tháng", 900_000)])
def test_the_clear_examples_of_the_issue_are_accepted(text, amount):
    assert parse_money(text) == amount
