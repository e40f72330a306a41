"""The ledger's and the terms' rules over plain values (consign.ledger, consign.terms)."""

from collections import namedtuple
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consign import ledger, terms
from consign.periods import Period, zone

WIB = zone()


def wib(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=WIB).astimezone(UTC)


@pytest.mark.parametrize(("closed", "at", "expected"), [
    (None, "2020-10-31 23:30", False),
    ("2020-10", "2020-10-31 23:30", True),  # still October in Malang
    ("2020-10", "2020-11-01 00:00", False),  # 31 October 17:00 in UTC, November in Malang
    ("2020-10", "2020-09-15 10:00", True),  # before the latest closed month: closed too
    ("2020-10", "2021-01-01 00:00", False),
    (Period(2020, 12), "2020-12-31 23:59", True),
])
def test_a_moment_is_in_the_closed_books_up_to_the_end_of_the_latest_closed_month(
        closed, at, expected):
    assert ledger.is_closed(closed, wib(at), WIB) is expected


def test_the_books_open_at_the_first_moment_of_the_month_after_the_closed_one():
    assert ledger.open_from(None, WIB) is None
    assert ledger.open_from("2020-10", WIB) == datetime(2020, 10, 31, 17, 0, tzinfo=UTC)
    assert ledger.open_from("2020-12", WIB) == datetime(2020, 12, 31, 17, 0, tzinfo=UTC)


def test_a_void_cancels_while_its_movements_month_is_open_else_it_corrects():
    assert ledger.cancels(None, wib("2020-10-05 10:00"), WIB)
    assert ledger.cancels("2020-09", wib("2020-10-05 10:00"), WIB)
    assert not ledger.cancels("2020-10", wib("2020-10-05 10:00"), WIB)
    assert not ledger.cancels("2020-10", wib("2020-10-31 23:59"), WIB)


@pytest.mark.parametrize(("given", "placed", "listed", "price"), [
    (120_000, 140_000, 150_000, 120_000),  # the price given
    (None, 140_000, 150_000, 140_000),  # else the latest placement's
    (None, None, 150_000, 150_000),  # else the list price
    (1, None, 150_000, 1),  # Rp1 is a price
])
def test_a_sale_takes_the_price_given_else_the_placement_price_else_the_list_price(
        given, placed, listed, price):
    assert ledger.sale_price(given, placed, listed) == price


def test_a_loss_is_settled_at_the_placement_price_else_the_list_price():
    assert ledger.settle_price(140_000, 150_000) == 140_000
    assert ledger.settle_price(None, 150_000) == 150_000
    assert ledger.placement_price(None, 150_000) == 150_000
    assert ledger.placement_price(145_000, 150_000) == 145_000


def test_a_receipt_logged_again_is_the_same_sale_only_with_the_same_quantity_and_price():
    recorded = ledger.Recorded(2, 150_000)
    assert ledger.same_sale(recorded, 2, 150_000)
    assert not ledger.same_sale(recorded, 1, 150_000)
    assert not ledger.same_sale(recorded, 2, 149_999)


def test_notes_are_numbered_per_kind_and_business_year():
    assert ledger.note_series("placement", wib("2020-12-31 23:30"), WIB) == "PL-2020"
    assert ledger.note_series("return", wib("2021-01-01 00:10"), WIB) == "RT-2021"
    assert ledger.note_series("loss", wib("2021-01-01 00:10"), WIB) == "LS-2021"
    assert ledger.note_series("count", wib("2021-01-01 00:10"), WIB) == "SO-2021"
    assert ledger.note_number("PL-2020", 42) == "PL-2020-00042"
    assert ledger.note_number("PL-2020", 123456) == "PL-2020-123456"


# ---- terms --------------------------------------------------------------------------------------

def rate(consignor_id=None, start=None, end=None, bp=2000):
    return SimpleNamespace(consignor_id=consignor_id, valid_from=start, valid_to=end, rate_bp=bp)


def test_the_pair_rate_covers_its_own_days_and_the_hotel_default_the_rest():
    default = rate(bp=2000)
    pair = rate(7, date(2020, 10, 1), date(2020, 10, 31), 1750)
    found = [default, pair]
    assert terms.covering(found, 7, date(2020, 10, 15)).rate_bp == 1750
    assert terms.covering(found, 7, date(2020, 10, 31)).rate_bp == 1750  # inclusive
    assert terms.covering(found, 7, date(2020, 11, 1)).rate_bp == 2000
    assert terms.covering(found, 8, date(2020, 10, 15)).rate_bp == 2000
    assert terms.covering([pair], 8, date(2020, 10, 15)) is None


def test_a_new_open_ended_rate_ends_the_current_one_the_day_before():
    current = rate(start=None, end=None)
    ended, collision = terms.placing([current], date(2021, 1, 1), None)
    assert (ended, collision) == (current, None)
    assert terms.ends_on(date(2021, 1, 1)) == date(2020, 12, 31)


@pytest.mark.parametrize(("start", "end"), [
    (date(2020, 10, 15), date(2020, 10, 20)),  # inside the bounded rate
    (date(2020, 9, 1), date(2020, 10, 1)),  # touching its first day
    (date(2020, 10, 31), None),  # touching its last day, open-ended
    (None, date(2020, 10, 1)),  # from the beginning of time
])
def test_any_other_overlap_is_a_collision(start, end):
    bounded = rate(start=date(2020, 10, 1), end=date(2020, 10, 31))
    assert terms.placing([bounded], start, end) == (None, bounded)


def test_a_rate_that_starts_before_the_open_ended_one_collides_with_it():
    later = rate(start=date(2021, 1, 1))
    assert terms.placing([later], date(2020, 6, 1), None) == (None, later)
    assert terms.placing([later], date(2020, 6, 1), date(2020, 12, 31)) == (None, None)


def test_a_void_just_after_midnight_wib_of_an_open_month_cancels_it_there():
    # 1 November 03:00 WIB is 31 October 20:00 UTC; October is closed, November open
    assert ledger.cancels("2020-10", wib("2020-11-01 03:00"), WIB)


def test_a_new_open_ended_rate_on_the_same_day_as_the_current_one_collides_with_it():
    current = rate(start=date(2021, 1, 1))
    assert terms.placing([current], date(2021, 1, 1), None) == (None, current)


def test_a_rate_covers_its_first_and_last_day():
    bounded = rate(start=date(2020, 10, 1), end=date(2020, 10, 31))
    assert terms.covers(bounded, date(2020, 10, 1)) and terms.covers(bounded, date(2020, 10, 31))
    assert not terms.covers(bounded, date(2020, 9, 30))


def test_the_verification_code_is_twelve_upper_case_hex_digits_in_three_groups():
    from consign import fields
    from consign.errors import InvalidInput
    from consign.settlement import verification_code

    # sha256("ST-000042|ATRIA|IKM-0001|2020-10|1250000|250000|0|1000000")[:12] = f5cd0ca8927b
    assert verification_code("ST-000042", "ATRIA", "IKM-0001", "2020-10", 1_250_000,
                             250_000, 0, 1_000_000) == "F5CD 0CA8 927B"
    # a negative net and opening balance as plain integers
    assert verification_code("ST-000043", "TUGU", "IKM-0002", "2020-11", -20_220, -3_539,
                             -5_000, -21_681) == _code("ST-000043|TUGU|IKM-0002|2020-11|-20220|"
                                                       "-3539|-5000|-21681")
    code = "F5CD 0CA8 927B"  # as typed from a paper copy: spaces, dashes and case ignored
    assert fields.verification_code("f5cd0ca8927b") == code
    assert fields.verification_code(" F5CD  0CA8 - 927B ") == code
    # a phone's keyboard: full-width letters and digits, another dash, a no-break space
    assert fields.verification_code("Ｆ５ＣＤ\u20110CA8\u2013927b\u00a0") == code
    for typo in ("F5CD 0CA8 927", "F5CD0CA8927BX", "F5CD 0CA8 927G"):
        with pytest.raises(InvalidInput, match="is not a verification code"):
            fields.verification_code(typo)


def _code(text: str) -> str:
    import hashlib

    digest = hashlib.sha256(text.encode()).hexdigest()[:12].upper()
    return f"{digest[:4]} {digest[4:8]} {digest[8:]}"


def test_figures_group_the_lines_by_rate():
    from consign.settlement import Group, Line, figures

    lines = [Line("sale", date(2020, 10, 5), "BTK-001", "Batik", 1, 10_010, 1750, 1),
             Line("sale", date(2020, 10, 6), "BTK-001", "Batik", 2, 10_010, 2000, 2)]
    result = figures(lines, [], -1_000)
    # 17.5% of 10.010 = 1.751,75 -> 1.752; 20% of 20.020 = 4.004
    assert result.groups == (Group(1750, 10_010, 1_752), Group(2000, 20_020, 4_004))
    assert (result.gross, result.commission, result.opening_balance, result.net) == (
        30_030, 5_756, -1_000, 23_274)


# ---- the days on which a rate can change -------------------------------------------------

_Span = namedtuple("_Span", "consignor_id valid_from valid_to rate_bp")
_DAYS = st.dates(date(2020, 9, 1), date(2020, 12, 31))


@st.composite
def _spans(draw):
    """Terms of a hotel for IKM 1 and the default (None), any of them open at either end;
    overlaps are allowed here (covering takes the first), which only makes it harder."""
    spans = []
    for _ in range(draw(st.integers(0, 5))):
        start, end = draw(st.one_of(st.none(), _DAYS)), draw(st.one_of(st.none(), _DAYS))
        if start and end and end < start:
            start, end = end, start
        spans.append(_Span(draw(st.sampled_from([1, None])), start, end,
                           draw(st.sampled_from([1500, 2000, 2500]))))
    return spans


def _by_day(spans, first, last):
    """The rate of every day of the span, found day by day."""
    found, day = [], first
    while day <= last:
        rate = terms.covering(spans, 1, day)
        found.append(rate.rate_bp if rate else None)
        day += timedelta(days=1)
    return found


@settings(max_examples=300, deadline=None)
@given(spans=_spans(), first=_DAYS, length=st.integers(0, 40))
def test_a_rate_found_on_its_change_days_holds_on_every_day_until_the_next(spans, first, length):
    last = first + timedelta(days=length)
    starts = terms.changes(spans, first, last)
    assert starts[0] == first and starts == sorted(set(starts))
    assert all(first <= day <= last for day in starts)
    expected = _by_day(spans, first, last)
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else last + timedelta(days=1)
        rate = terms.covering(spans, 1, start)
        held = rate.rate_bp if rate else None
        assert expected[(start - first).days:(end - first).days] == \
            [held] * (end - start).days


def test_the_change_days_of_a_month_are_where_terms_start_and_the_day_after_they_end():
    spans = [_Span(1, date(2020, 10, 10), date(2020, 10, 20), 1500),
             _Span(None, None, date(2020, 10, 31), 2000),  # ends on the month's last day
             _Span(None, date(2020, 11, 1), None, 2500),  # starts after it
             _Span(1, None, date(2020, 9, 30), 1000)]  # ended before it
    assert terms.changes(spans, date(2020, 10, 1), date(2020, 10, 31)) == [
        date(2020, 10, 1), date(2020, 10, 10), date(2020, 10, 21)]
