"""Figures and dates as they are printed."""

import datetime

import pytest

from reports.fmt import (
    check_lang,
    long_date,
    number,
    period_label,
    rate_label,
    rupiah,
    short_date,
    signed_number,
)


@pytest.mark.parametrize(("amount", "text"), [
    (0, "Rp0"),
    (999, "Rp999"),
    (1000, "Rp1.000"),
    (1_250_000, "Rp1.250.000"),
    (-1_250_000, "-Rp1.250.000"),
    (-5, "-Rp5"),
    (1_000_000_000_000, "Rp1.000.000.000.000"),
])
def test_rupiah_uses_dots_for_thousands_and_no_decimals(amount, text):
    assert rupiah(amount) == text


@pytest.mark.parametrize("not_whole", [1250.0, "1250"])
def test_rupiah_refuses_anything_but_whole_rupiah(not_whole):
    with pytest.raises(TypeError, match="whole rupiah"):
        rupiah(not_whole)


def test_a_long_date_names_the_month_in_the_report_language():
    assert long_date(datetime.date(2020, 10, 5)) == "5 Oktober 2020"
    assert long_date(datetime.date(2020, 10, 5), "en") == "5 October 2020"


def test_a_short_date_abbreviates_the_month():
    assert short_date(datetime.date(2020, 8, 17)) == "17 Agu 2020"
    assert short_date(datetime.date(2020, 8, 17), "en") == "17 Aug 2020"


def test_a_period_is_printed_as_month_and_year():
    assert period_label("2020-10") == "Oktober 2020"
    assert period_label("2021-01", "en") == "January 2021"


@pytest.mark.parametrize("bad", ["2020-13", "2020-1", "202010", "2020-00", "20-10-01"])
def test_a_malformed_period_is_refused(bad):
    with pytest.raises(ValueError, match="Period"):
        period_label(bad)


@pytest.mark.parametrize(("rate_bp", "lang", "text"), [
    (1750, "id", "17,5%"),
    (1750, "en", "17.5%"),
    (2000, "id", "20%"),
    (2000, "en", "20%"),
    (1725, "id", "17,25%"),
    (5, "id", "0,05%"),
    (0, "en", "0%"),
])
def test_a_rate_in_basis_points_is_a_percentage_without_useless_decimals(rate_bp, lang, text):
    assert rate_label(rate_bp, lang) == text


def test_counts_use_the_languages_thousands_separator():
    assert number(1_234_567) == "1.234.567"
    assert number(1_234_567, "en") == "1,234,567"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_counts_read_exactly_as_babel_formats_them_in_the_locale(lang):
    from babel.numbers import format_decimal

    samples = [0, 7, 999, 1000, 65_536, 1_234_567, 10**12 + 5, 10**18]
    for n in samples + [-n for n in samples]:
        assert number(n, lang) == format_decimal(n, format="#,##0", locale=lang)


def test_signed_counts_show_a_plus_for_gains():
    assert [signed_number(n) for n in (2, 0, -1)] == ["+2", "0", "-1"]


def test_an_unknown_language_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="'fr'.*id, en"):
        check_lang("fr")
    with pytest.raises(ValueError):
        long_date(datetime.date(2020, 1, 1), "fr")
