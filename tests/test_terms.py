"""Which commission rate applies to a line's date."""

from collections import namedtuple
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from consign.errors import PeriodClosed
from consign.models import ClosedPeriod, Terms
from consign.services import lookup, terms
from consign.terms import changes, covering


def rate(db, day, consignor="IKM-0001"):
    """The rate of a line of ``consignor`` at ATRIA on ``day``: the pair's, else the
    hotel's default (``consign.terms.covering`` over the hotel's stored terms)."""
    with db.transaction() as session:
        hotel = lookup.hotel(session, "ATRIA")
        owner = lookup.consignor(session, consignor)
        candidates = list(session.scalars(select(Terms).where(Terms.hotel_id == hotel.id)))
        found = covering(candidates, owner.id, day)
        return found.rate_bp if found else None


def test_a_pair_rate_covers_its_dates_and_the_hotel_default_covers_the_rest(
    db, make_hotel, make_product, make_terms
):
    make_hotel(commission_bp=2000)
    make_product()
    make_product(sku="KRM-001", consignor="IKM-0002")
    make_terms(consignor="IKM-0001", rate_bp=1750, valid_from=date(2020, 10, 1),
               valid_to=date(2020, 10, 31))
    make_terms(rate_bp=2250, valid_from=date(2020, 10, 16))
    assert rate(db, date(2020, 9, 30)) == 2000
    assert rate(db, date(2020, 10, 1)) == 1750
    assert rate(db, date(2020, 10, 31)) == 1750
    assert rate(db, date(2020, 11, 1)) == 2250
    assert rate(db, date(2020, 10, 15), "IKM-0002") == 2000
    assert rate(db, date(2020, 10, 16), "IKM-0002") == 2250


def test_a_hotel_without_a_default_rate_has_no_rate_for_a_line(db, make_hotel, make_product):
    make_hotel(commission_bp=None)
    make_product()
    assert rate(db, date(2020, 10, 5)) is None


def test_a_rate_cannot_start_inside_a_month_whose_statements_are_issued(
    db, ctx, make_hotel, make_product, snapshot
):
    make_hotel()
    make_product()
    with db.transaction() as session:
        hotel = lookup.hotel(session, "ATRIA")
        session.add(ClosedPeriod(hotel_id=hotel.id, period="2020-10",
                                 closed_at=datetime(2020, 11, 2, tzinfo=UTC), actor="tester"))
    before = snapshot()
    with pytest.raises(PeriodClosed, match="its statements are issued through 2020-10"), \
            db.transaction() as session:
        terms.set_terms(session, ctx, "ATRIA", 1500, valid_from=date(2020, 10, 20))
    assert snapshot() == before
    with db.transaction() as session:
        terms.set_terms(session, ctx, "ATRIA", 1500, valid_from=date(2020, 11, 1))
    assert rate(db, date(2020, 10, 31)) == 2000
    assert rate(db, date(2020, 11, 1)) == 1500


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
        terms = covering(spans, 1, day)
        found.append(terms.rate_bp if terms else None)
        day += timedelta(days=1)
    return found


@settings(max_examples=300, deadline=None)
@given(spans=_spans(), first=_DAYS, length=st.integers(0, 40))
def test_a_rate_found_on_its_change_days_holds_on_every_day_until_the_next(spans, first, length):
    last = first + timedelta(days=length)
    starts = changes(spans, first, last)
    assert starts[0] == first and starts == sorted(set(starts))
    assert all(first <= day <= last for day in starts)
    expected = _by_day(spans, first, last)
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else last + timedelta(days=1)
        terms = covering(spans, 1, start)
        held = terms.rate_bp if terms else None
        assert expected[(start - first).days:(end - first).days] == \
            [held] * (end - start).days


def test_the_change_days_of_a_month_are_where_terms_start_and_the_day_after_they_end():
    spans = [_Span(1, date(2020, 10, 10), date(2020, 10, 20), 1500),
             _Span(None, None, date(2020, 10, 31), 2000),  # ends on the month's last day
             _Span(None, date(2020, 11, 1), None, 2500),  # starts after it
             _Span(1, None, date(2020, 9, 30), 1000)]  # ended before it
    assert changes(spans, date(2020, 10, 1), date(2020, 10, 31)) == [
        date(2020, 10, 1), date(2020, 10, 10), date(2020, 10, 21)]
