"""Vietnamese text handling: folding for search, collation, number and date formats."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gnbv_desktop.core.text import (
    clean,
    clean_all,
    clean_keeps,
    fold,
    fold_all,
    format_date,
    format_number,
    is_digits,
    name_sort_key,
    parse_date,
    plain_ascii,
)


def test_fold_ignores_diacritics_case_and_d_stroke():
    assert fold("Nguyễn Văn A") == "nguyen van a"
    assert fold("ĐINH Thị Đào") == "dinh thi dao"
    assert fold("\u00d0inh") == "dinh"  # look-alike Ð typed for Đ


def test_clean_normalises_decomposed_text_and_lookalikes():
    decomposed = unicodedata.normalize("NFD", "Nguyễn  Thị   Hằng ")
    assert clean(decomposed) == "Nguyễn Thị Hằng"
    assert clean("\u00d0ặng Văn B") == "\u0110ặng Văn B"


def test_vietnamese_name_sort_by_given_then_family():
    names = ["Trần Văn Bình", "Nguyễn Thị Ánh", "Lê Văn An", "Nguyễn Văn Anh", "Phạm Đức Dũng", "Hoàng Văn Đạt",
             "Vũ Thị Ân", "Đỗ Văn Bình"]
    ordered = sorted(names, key=name_sort_key)
    assert ordered == ["Lê Văn An", "Nguyễn Văn Anh", "Nguyễn Thị Ánh", "Vũ Thị Ân", "Đỗ Văn Bình", "Trần Văn Bình",
                       "Phạm Đức Dũng", "Hoàng Văn Đạt"]


def test_d_stroke_sorts_after_d():
    assert sorted(["Đào", "Dung", "Em"], key=lambda n: name_sort_key(n)) == ["Dung", "Đào", "Em"]


def test_numbers_and_dates():
    assert format_number(1500000) == "1.500.000"
    assert format_number(0) == "0"
    assert format_date("2026-01-05") == "05/01/2026"
    assert parse_date("5/1/2026").isoformat() == "2026-01-05"


def test_ethnic_group_lookup_is_forgiving():
    from gnbv_desktop.core.catalogs import find_ethnic_group

    assert find_ethnic_group("Gia Rai").code == "10"
    assert find_ethnic_group("gia-rai").name == "Gia-rai"
    assert find_ethnic_group("H'Mông").name == "HMông"
    assert find_ethnic_group("Mèo").name == "HMông"
    assert find_ethnic_group("1").name == "Kinh"
    assert find_ethnic_group("Klingon") is None


@pytest.mark.parametrize(("text", "digits"), [("1975", True), ("¹975", False), ("②", False), ("٣", False),
                                              ("", False), ("12 3", False)])
def test_only_0_to_9_are_digits(text, digits):
    """``str.isdigit`` also takes ``¹``, ``②`` and Arabic-Indic digits, which ``int()`` refuses."""
    assert is_digits(text) is digits



@pytest.mark.parametrize("texts", [
    ["Nguyễn  Văn An"], [" An"], ["An "], ["An", " Bình"], ["An ", "Bình"], ["Nguye\u0302\u0303n"], ["\u00d0inh"],
    ["An\u00a0Bình"], ["An\tBình"], ["a\x07b"], ["Thôn 1", "Nguyen\u0301"],
])
def test_clean_keeps_is_false_when_clean_changes_a_text(texts):
    """The column test the import uses to skip cleaning (oracle: clean itself, text by text)."""
    assert any(clean(t) != t for t in texts)
    assert not clean_keeps(texts)


@pytest.mark.parametrize("texts", [
    [], [""], ["H01", "0912 345 678", "a|b"], ["Nguyễn Văn An", "Thôn Hợp Thắng", "Ê Đê", "H'Mông"],
])
def test_clean_keeps_is_true_for_texts_clean_leaves_alone(texts):
    assert all(clean(t) == t for t in texts)
    assert clean_keeps(texts)


_COLUMN_TEXTS = ["H01", "0912 345 678", "a|b", "a| b", " An", "An ", "Nguyễn  Văn An", "Nguye\u0302\u0303n", "\u00d0inh",
                 "An\u00a0Bình", "a\x07b", "ĐINH Thị Đào", "Thôn Hợp Thắng", "", "x" * 250 + "  y"]


@pytest.mark.parametrize("texts", [[], ["H01", "0912345678"], _COLUMN_TEXTS, [t for t in _COLUMN_TEXTS if t.isascii()],
                                   ["Nguyễn Văn An", "Ê Đê"], ["064190001234", " 064190001234"]])
def test_column_forms_give_what_clean_and_fold_give_text_by_text(texts):
    """The import cleans and folds whole columns (clean_all, fold_all); the oracle is clean and fold
    on each text, and plain_ascii says a column needs nothing only when clean changes none of it."""
    assert clean_all(list(texts)) == [clean(t) for t in texts]
    assert fold_all(list(texts)) == [fold(t) for t in texts]
    if plain_ascii(list(texts)):
        assert all(t.isascii() and clean(t) == t for t in texts)


@given(st.lists(st.text(alphabet=st.sampled_from("aA |\u00a0\t\x07đĐ\u00d0ễe\u0302\u0303 1"), max_size=8), max_size=6))
def test_column_forms_match_clean_and_fold_on_any_texts(texts):
    assert clean_all(list(texts)) == [clean(t) for t in texts]
    assert fold_all(list(texts)) == [fold(t) for t in texts]
    if clean_keeps(list(texts)):
        assert all(clean(t) == t for t in texts)
    if plain_ascii(list(texts)):
        assert all(t.isascii() and clean(t) == t for t in texts)
