"""What is never paid, never rebuilt, and what check finds when statements disagree."""

from datetime import date

import pytest
from sqlalchemy import text

from consign.errors import AlreadyIssued, NothingToPay
from consign.services import lookup
from consign.services.settlement import build, checks
from tests.settlement_support import NOV, OCT, wib


@pytest.fixture
def shelf(office, make_hotel, make_product):
    """ATRIA at 20 %: two batik placed on 2 October, one sold on 5 October."""
    make_hotel()
    make_product(price=100_000)
    office.place("ATRIA", "IKM-0001", [("BTK-001", 2, None)], at=wib("2020-10-02 09:00"))
    return office.sell("ATRIA", "BTK-001", at=wib("2020-10-05 10:00")).movement


def test_a_statement_with_a_negative_net_cannot_be_paid(office, shelf, snapshot):
    office.close_period(OCT, "ATRIA")
    office.void(shelf.id, "Salah input", at=wib("2020-11-03 10:00"))
    [november] = office.close_period(NOV, "ATRIA")
    # the correction of Rp100.000 at 20 %: -100.000 + 20.000 = -80.000, carried forward
    assert (november.number, november.gross, november.commission, november.net) == (
        "ST-000002", -100_000, -20_000, -80_000)
    before = snapshot()
    with pytest.raises(NothingToPay) as refused:
        office.pay("ST-000002", date(2020, 12, 15), "TRF-BRI-1")
    assert refused.value.message == (
        "Statement ST-000002 has nothing to pay: its net is -Rp80.000 and is carried into "
        "the next statement.")
    assert snapshot() == before
    assert office.statement("ST-000002").status == "issued"


def test_a_nil_statement_cannot_be_paid(office, shelf):
    office.close_period(OCT, "ATRIA")
    [november] = office.close_period(NOV, "ATRIA")
    stock = office.statement(november.number).stock  # close returns the totals only
    assert (november.gross, november.net, stock[0].closing) == (0, 0, 1)
    with pytest.raises(NothingToPay, match=r"ST-000002 has nothing to pay: its net is Rp0\.$"):
        office.pay("ST-000002", date(2020, 12, 15), "TRF-BRI-1")


def test_issued_statements_are_never_rebuilt_even_if_asked_directly(db, ctx, office, shelf):
    office.close_period(OCT, "ATRIA")
    with pytest.raises(AlreadyIssued, match="ATRIA's statements of 2020-10 are already issued"), \
            db.transaction() as session:
        build.rebuild(session, ctx, [lookup.hotel(session, "ATRIA")], OCT)


def drafts(db, sql: str) -> None:
    with db.engine.begin() as connection:
        connection.execute(text(sql))


def problems(db, check) -> list[str]:
    """The check's problems, each as its sentence reads (in the tests' language)."""
    with db.transaction(readonly=True) as session:
        return [str(problem) for problem in check(session, None)]


def test_check_finds_a_month_that_does_not_open_with_what_the_month_before_closed(db, office,
                                                                                  shelf):
    office.settle(OCT)
    office.settle(NOV)
    assert problems(db, checks.stock_carries_over) == []
    drafts(db, "UPDATE statement_stock SET opening = opening + 1, closing = closing + 1 "
               "WHERE statement_id = (SELECT id FROM statements WHERE period = '2020-11')")
    assert problems(db, checks.stock_carries_over) == [
        "Statement draft ATRIA/IKM-0001 2020-11 opens BTK-001 at 2, "
        "but draft ATRIA/IKM-0001 2020-10 closed it at 1."]


def test_check_finds_a_statement_with_negative_stock(db, office, shelf):
    office.settle(OCT)
    assert problems(db, checks.statement_stock_not_negative) == []
    drafts(db, "UPDATE statement_stock SET sold = 3, closing = -1")
    assert problems(db, checks.statement_stock_not_negative) == [
        "Statement draft ATRIA/IKM-0001 2020-10: stock of BTK-001 is negative "
        "(opening 0, closing -1)."]


def test_a_month_that_has_not_begun_is_not_settled_and_this_month_is(office, shelf, snapshot):
    """On 15 December 2020 at 12:00 WIB (the office's clock): January 2021 has nothing in it
    yet, so it has no drafts to show anyone; December, under way, settles as it stands."""
    from consign.errors import OutOfOrder
    from consign.periods import Period

    before = snapshot()
    with pytest.raises(OutOfOrder) as refused:
        office.settle(Period(2021, 1), "ATRIA")
    assert refused.value.message == (
        "Cannot settle 2021-01: the month has not begun yet (it begins on 2021-01-01).")
    assert refused.value.field == "period"
    assert snapshot() == before
    office.now = wib("2020-12-31 23:59")
    with pytest.raises(OutOfOrder):
        office.settle(Period(2021, 1))
    office.now = wib("2021-01-01 00:00")
    assert office.settle(Period(2021, 1), "ATRIA") != []
    office.now = wib("2020-12-15 12:00")
    [december] = office.settle(Period(2020, 12), "ATRIA")
    assert december.status == "draft"
