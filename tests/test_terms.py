"""Which commission rate applies to a line's date."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from consign.errors import PeriodClosed
from consign.models import ClosedPeriod, Terms
from consign.services import lookup, terms
from consign.terms import covering


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
