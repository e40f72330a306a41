"""Amounts in words, checked against hand-written Indonesian and English."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports.terbilang import amount_in_words, english_words, terbilang

INDONESIAN = {
    0: "nol",
    1: "satu",
    2: "dua",
    9: "sembilan",
    10: "sepuluh",
    11: "sebelas",
    12: "dua belas",
    15: "lima belas",
    19: "sembilan belas",
    20: "dua puluh",
    21: "dua puluh satu",
    45: "empat puluh lima",
    99: "sembilan puluh sembilan",
    100: "seratus",
    101: "seratus satu",
    110: "seratus sepuluh",
    111: "seratus sebelas",
    115: "seratus lima belas",
    199: "seratus sembilan puluh sembilan",
    200: "dua ratus",
    250: "dua ratus lima puluh",
    999: "sembilan ratus sembilan puluh sembilan",
    1000: "seribu",
    1001: "seribu satu",
    1010: "seribu sepuluh",
    1011: "seribu sebelas",
    1100: "seribu seratus",
    1111: "seribu seratus sebelas",
    1500: "seribu lima ratus",
    2000: "dua ribu",
    10_000: "sepuluh ribu",
    11_000: "sebelas ribu",
    12_000: "dua belas ribu",
    21_000: "dua puluh satu ribu",
    100_000: "seratus ribu",
    101_000: "seratus satu ribu",
    111_000: "seratus sebelas ribu",
    175_000: "seratus tujuh puluh lima ribu",
    999_999: "sembilan ratus sembilan puluh sembilan ribu sembilan ratus sembilan puluh sembilan",
    1_000_000: "satu juta",
    1_000_001: "satu juta satu",
    1_001_000: "satu juta seribu",
    1_011_000: "satu juta sebelas ribu",
    1_021_000: "satu juta dua puluh satu ribu",
    1_100_000: "satu juta seratus ribu",
    1_250_000: "satu juta dua ratus lima puluh ribu",
    2_001_001: "dua juta seribu satu",
    10_000_000: "sepuluh juta",
    11_000_000: "sebelas juta",
    100_000_000: "seratus juta",
    101_101_101: "seratus satu juta seratus satu ribu seratus satu",
    1_000_000_000: "satu miliar",
    1_001_001_001: "satu miliar satu juta seribu satu",
    2_500_000_000: "dua miliar lima ratus juta",
    1_000_000_000_000: "satu triliun",
    1_000_000_001_000: "satu triliun seribu",
    999_000_000_000_000: "sembilan ratus sembilan puluh sembilan triliun",
    1_000_000_000_000_000: "seribu triliun",
}

ENGLISH = {
    0: "zero",
    1: "one",
    13: "thirteen",
    20: "twenty",
    21: "twenty-one",
    99: "ninety-nine",
    100: "one hundred",
    101: "one hundred one",
    115: "one hundred fifteen",
    1000: "one thousand",
    1001: "one thousand one",
    21_000: "twenty-one thousand",
    1_001_000: "one million one thousand",
    1_250_000: "one million two hundred fifty thousand",
    1_000_000_000: "one billion",
    1_000_000_000_000: "one trillion",
    1_000_000_000_000_000: "one thousand trillion",
}


@pytest.mark.parametrize(("n", "words"), INDONESIAN.items(), ids=str)
def test_indonesian_words_follow_the_spelling_rules(n, words):
    assert terbilang(n) == words


def test_one_million_one_thousand_is_satu_juta_seribu():
    assert terbilang(1_001_000) == "satu juta seribu"


def test_twenty_one_thousand_keeps_satu_ribu():
    assert terbilang(21_000) == "dua puluh satu ribu"


def test_negative_amounts_start_with_minus():
    assert terbilang(-1_250_000) == "minus satu juta dua ratus lima puluh ribu"
    assert english_words(-21) == "minus twenty-one"


@pytest.mark.parametrize(("n", "words"), ENGLISH.items(), ids=str)
def test_english_words_have_no_and_and_hyphenate_tens(n, words):
    assert english_words(n) == words


def test_amount_in_words_adds_rupiah_in_both_languages():
    assert amount_in_words(1_250_000) == "satu juta dua ratus lima puluh ribu rupiah"
    assert amount_in_words(1_250_000, "en") == "one million two hundred fifty thousand rupiah"


def test_amount_in_words_refuses_an_unknown_language():
    with pytest.raises(ValueError, match="'fr'"):
        amount_in_words(1, "fr")


@pytest.mark.parametrize("bad", [1.5, "12", True])
def test_only_whole_numbers_are_spelled(bad):
    with pytest.raises(TypeError):
        terbilang(bad)
    with pytest.raises(TypeError):
        english_words(bad)


# --- a strict reader of Indonesian number words, to check every amount -------

DIGITS = {w: i for i, w in enumerate(
    ["nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan"])}
SE_WORDS = {"sepuluh": 10, "sebelas": 11, "seratus": 100}
MULTIPLIERS = {"belas": None, "puluh": 10, "ratus": 100}
SCALES = {"ribu": 10**3, "juta": 10**6, "miliar": 10**9}


class Unspellable(ValueError):
    pass


def read_terbilang(text: str) -> int:
    """Words back to a number, refusing anything a careful writer would not
    write: 'satu ratus', 'satu puluh', 'satu belas', 'satu ribu' for 1.000."""
    words = text.split()
    if words[:1] == ["minus"]:
        return -read_terbilang(" ".join(words[1:]))
    if words == ["nol"]:
        return 0
    total = group = digit = 0
    for word in words:
        if word in SCALES or word in ("seribu", "triliun"):
            total, group, digit = _read_unit(word, total, group + digit), 0, 0
        else:
            group, digit = _read_below_thousand(word, group, digit)
    return total + group + digit


def _read_below_thousand(word, group, digit):
    """One word of a group below a thousand: (group so far, pending digit)."""
    if word in DIGITS and word != "nol":
        if digit:
            raise Unspellable(f"two digits in a row at {word!r}")
        return group, DIGITS[word]
    if word in MULTIPLIERS:
        if digit < 2:
            raise Unspellable(f"{word!r} needs a digit from dua up")
        return group + (digit + 10 if word == "belas" else digit * MULTIPLIERS[word]), 0
    if word in SE_WORDS:
        return group + SE_WORDS[word], 0
    raise Unspellable(f"unknown word {word!r}")


def _read_unit(word, total, count):
    """A unit word closes the group ``count``; triliun multiplies all before it."""
    if word == "triliun":
        return (total + count) * 10**12
    if word == "seribu":
        if count:
            raise Unspellable("seribu after a count")
        return total + 1000
    if count == 0 or (word == "ribu" and count == 1):
        raise Unspellable(f"{word!r} with count {count}")
    return total + count * SCALES[word]


@pytest.mark.parametrize(("n", "words"), INDONESIAN.items(), ids=str)
def test_the_reader_reads_every_hand_written_case(n, words):
    assert read_terbilang(words) == n


@pytest.mark.parametrize("wrong", ["satu ribu", "satu juta satu ribu", "satu ratus", "satu puluh",
                                   "satu belas", "dua satu"])
def test_the_reader_refuses_what_a_careful_writer_would_not_write(wrong):
    with pytest.raises(Unspellable):
        read_terbilang(wrong)


@given(st.integers(min_value=-(10**18), max_value=10**18))
def test_every_amount_reads_back_to_itself(n):
    assert read_terbilang(terbilang(n)) == n


@given(st.integers(min_value=0, max_value=10**15 - 1))
def test_seribu_is_written_exactly_when_the_thousands_are_one(n):
    words = terbilang(n)
    assert ("seribu" in words.split()) == ((n // 1000) % 1000 == 1)
    assert re.search(r"(?<!puluh )(?<!ratus )\bsatu ribu", words) is None


@given(st.integers(min_value=1, max_value=10**15 - 1))
def test_indonesian_and_english_agree_on_the_number_of_units(n):
    units_id = [w for w in terbilang(n).split() if w in ("ribu", "juta", "miliar", "triliun")]
    units_id += ["ribu"] * terbilang(n).split().count("seribu")
    units_en = [w for w in english_words(n).split()
                if w in ("thousand", "million", "billion", "trillion")]
    assert len(units_id) == len(units_en)
