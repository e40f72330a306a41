"""Whole rupiah, rates in basis points, and the one rounding rule."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consign.errors import InvalidInput
from consign.fields import price
from consign.money import commission, parse_money, parse_rate, rate_text, rupiah


@pytest.mark.parametrize("text", ["150000", "150.000", "Rp150.000", "Rp 150.000", " 150000 "])
def test_every_accepted_form_of_one_hundred_fifty_thousand_rupiah(text):
    assert parse_money(text) == 150_000


@pytest.mark.parametrize(
    "text", ["-150000", "150000,50", "150.000,00", "150.5", "Rp", "", "1.50.000", "15O000",
             "150 000", "1e5", "Rp-5"],
)
def test_negatives_fractions_and_anything_else_are_refused_naming_the_value(text):
    with pytest.raises(InvalidInput, match="is not a whole rupiah amount") as caught:
        parse_money(text)
    assert repr(text.strip()) in caught.value.message


@pytest.mark.parametrize("text", ["0", "Rp0", "1.000.000.001", "99999999999999999999"])
def test_a_price_outside_rp1_to_one_billion_is_refused(text):
    with pytest.raises(InvalidInput) as caught:
        price(text)
    assert caught.value.field == "price"


def test_a_price_of_rp1_and_of_one_billion_are_accepted():
    assert (price("Rp1"), price("1.000.000.000"), price(1)) == (1, 1_000_000_000, 1)


def test_more_digits_than_any_column_holds_are_refused_before_they_are_read():
    with pytest.raises(InvalidInput, match="is not a whole rupiah amount"):
        parse_money("9" * 5000)


@pytest.mark.parametrize(
    ("text", "bp"),
    [("20%", 2000), ("17.5%", 1750), ("17,5%", 1750), ("17.25 %", 1725), ("0%", 0),
     ("100%", 10000), ("7", 700), ("12.05%", 1205)],
)
def test_rates_are_read_as_basis_points(text, bp):
    assert parse_rate(text) == bp


@pytest.mark.parametrize("text", ["120%", "100.01%", "17.125%", "-5%", "abc", "1000%"])
def test_rates_out_of_range_or_with_three_decimals_are_refused(text):
    with pytest.raises(InvalidInput):
        parse_rate(text)


@pytest.mark.parametrize(("bp", "text"), [(2000, "20%"), (1750, "17.5%"), (1725, "17.25%"),
                                          (5, "0.05%"), (1205, "12.05%"), (0, "0%")])
def test_rates_print_without_trailing_zeros(bp, text):
    assert rate_text(bp) == text


@pytest.mark.parametrize(
    ("amount", "bp", "expected"),
    [
        (150_000, 2000, 30_000),
        (1_010, 1750, 177),  # 176.75 -> 177
        (1_030, 1750, 180),  # 180.25 -> 180
        (1_010, 2050, 207),  # 207.05 -> 207
        (10, 2500, 3),  # 2.5 exactly: half away from zero, where round() gives 2
        (30, 2500, 8),  # 7.5 -> 8
        (-10, 2500, -3),  # a correction mirrors its original
        (-1_010, 1750, -177),
        (0, 2000, 0),
        (999_999_999_999, 10000, 999_999_999_999),
    ],
)
def test_commission_rounds_halves_away_from_zero(amount, bp, expected):
    assert commission(amount, bp) == expected


@given(st.integers(-10**12, 10**12), st.integers(0, 10_000))
def test_a_correction_commission_mirrors_the_original(amount, bp):
    assert commission(-amount, bp) == -commission(amount, bp)


@given(st.integers(0, 10**12), st.integers(0, 10_000))
def test_commission_is_within_half_a_rupiah_of_the_exact_product(amount, bp):
    exact_times_10000 = amount * bp
    assert abs(commission(amount, bp) * 10_000 - exact_times_10000) <= 5_000


@pytest.mark.parametrize(("amount", "text"), [(1_250_000, "Rp1.250.000"), (0, "Rp0"),
                                              (999, "Rp999"), (-5_000, "-Rp5.000")])
def test_amounts_print_in_indonesian_form(amount, text):
    assert rupiah(amount) == text


@given(st.integers(0, 10**15))
def test_printed_amounts_read_back_to_the_same_integer(amount):
    assert parse_money(rupiah(amount)) == amount
