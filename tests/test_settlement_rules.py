"""The rules around statements: drafts are rebuilt, issued ones never change, periods close
in order and lock the ledger, numbers have no gaps (also when closes run at once), and
every refusal a user can meet says what is wrong."""

import threading
from datetime import date

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from consign.errors import (
    AlreadyIssued,
    InvalidInput,
    MissingRate,
    NotFound,
    OutOfOrder,
    PeriodClosed,
)
from consign.models import ClosedPeriod, Statement, StatementLine, StatementStock
from consign.periods import Period
from consign.services import settlement
from tests.settlement_support import (
    NOV,
    OCT,
    by_consignor,
    close,
    lines,
    october,
    stock,
    totals,
    wib,
)

# ---- drafts ------------------------------------------------------------------------------

def test_settling_twice_gives_the_same_drafts(office, atria):
    october(office)
    first = office.settle(OCT)
    again = office.settle(OCT)
    assert [totals(s) for s in again] == [totals(s) for s in first]
    assert [lines(s) for s in again] == [lines(s) for s in first]
    assert [stock(s) for s in again] == [stock(s) for s in first]
    assert [s.id for s in again] == [s.id for s in first]  # rebuilt in place
    with office.db.transaction(readonly=True) as session:
        assert session.scalar(select(text("count(*)")).select_from(Statement)) == 3


def test_a_draft_whose_pair_no_longer_qualifies_is_removed(office, atria):
    office.now = wib("2020-11-01 08:00")
    note = office.place("ATRIA", "IKM-0003", [("TAS-001", 2, None)], at=wib("2020-09-30 09:00"))
    assert [s.consignor_code for s in office.settle(OCT)] == ["IKM-0003"]  # stock carried
    office.void(note.movements[0].id, "salah hotel", at=wib("2020-10-02 09:00"))
    assert office.settle(OCT) == []  # the placement is cancelled in September


def test_settle_for_one_hotel_leaves_other_hotels_alone(office, atria, make_hotel):
    make_hotel("TUGU", name="Hotel Tugu Malang")
    office.now = wib("2020-11-01 08:00")
    office.place("TUGU", "IKM-0003", [("TAS-001", 1, None)], at=wib("2020-10-02 09:00"))
    october(office)
    assert {s.hotel_code for s in office.settle(OCT, "TUGU")} == {"TUGU"}
    assert {s.hotel_code for s in office.settle(OCT)} == {"ATRIA", "TUGU"}


def test_settling_a_closed_period_returns_its_issued_statements_unchanged(issued):
    again = issued.settle(OCT)
    assert [s.number for s in again] == ["ST-000001", "ST-000002", "ST-000003"]
    assert {s.status for s in again} == {"issued"}


# ---- closing -----------------------------------------------------------------------------

def test_a_closed_period_refuses_new_movements(issued):
    with pytest.raises(PeriodClosed, match="closed through 2020-10"):
        issued.sell("ATRIA", "BTK-001", 1, at=wib("2020-10-31 23:30"))


def test_closing_a_period_twice_is_refused(issued):
    issued.now = wib("2020-11-03 10:00")
    with pytest.raises(PeriodClosed, match="2020-10 is already closed for ATRIA"):
        issued.close_period(OCT, "ATRIA")


def test_closing_out_of_order_is_refused_and_names_the_open_period(office, atria):
    october(office)
    office.now = wib("2020-12-02 10:00")
    office.settle(OCT)
    with pytest.raises(OutOfOrder, match="close 2020-10 first"):
        office.close_period(NOV, "ATRIA")
    with office.db.transaction(readonly=True) as session:
        assert session.scalars(select(ClosedPeriod)).all() == []


def test_an_earlier_month_with_movements_but_no_drafts_must_be_closed_first(office, atria):
    october(office)  # never settled
    office.now = wib("2020-12-02 10:00")
    with pytest.raises(OutOfOrder, match="2020-10 has statements to issue"):
        office.close_period(NOV, "ATRIA")


def test_a_month_with_only_stock_carried_in_must_be_closed_before_the_next(issued):
    issued.now = wib("2021-01-02 10:00")
    with pytest.raises(OutOfOrder, match="close 2020-11 first"):
        issued.close_period(Period(2020, 12), "ATRIA")


def test_a_month_cannot_be_closed_before_it_is_over(office, atria):
    october(office)
    office.now = wib("2020-10-31 23:00")
    with pytest.raises(OutOfOrder, match="before the month is over"):
        office.close_period(OCT, "ATRIA")


def test_closing_a_month_without_statements_still_locks_it(office, atria):
    office.now = wib("2020-11-02 10:00")
    assert office.close_period(OCT, "ATRIA") == []
    with pytest.raises(PeriodClosed):
        office.place("ATRIA", "IKM-0001", [("BTK-001", 1, None)], at=wib("2020-10-30 09:00"))


def test_a_sale_without_a_commission_rate_stops_settle_and_close(office, make_hotel,
                                                                  make_product):
    make_hotel("KAJOE", name="Hotel Kajoetangan", commission_bp=None)
    make_product("BTK-001")
    office.now = wib("2020-11-02 10:00")
    office.place("KAJOE", "IKM-0001", [("BTK-001", 2, None)], at=wib("2020-10-01 09:00"))
    office.sell("KAJOE", "BTK-001", 1, at=wib("2020-10-05 10:00"))
    message = "No commission rate for KAJOE / IKM-0001 on 2020-10-05"
    with pytest.raises(MissingRate, match=message) as refused:
        office.settle(OCT)
    command = ("Set one with 'consign terms set --hotel KAJOE --consignor IKM-0001 "
               "--commission RATE --from DATE'.")
    assert refused.value.text("en") == (  # the command line says how to put it right
        f"{message}: the movements of that day cannot be settled. {command}")
    assert refused.value.fact("en") == f"{message}: the movements of that day cannot be settled."
    assert refused.value.text("id").endswith(
        "Tetapkan tarifnya dengan 'consign terms set --hotel KAJOE --consignor IKM-0001 "
        "--commission RATE --from DATE'.")
    assert "consign" not in refused.value.fact("id")  # a page has its own form for it
    with pytest.raises(MissingRate, match=message):
        office.close_period(OCT, "KAJOE")
    with office.db.transaction(readonly=True) as session:
        assert session.scalars(select(ClosedPeriod)).all() == []
        assert session.scalars(select(Statement)).all() == []


def test_numbers_continue_across_hotels_without_gaps(issued, make_hotel):
    make_hotel("TUGU", name="Hotel Tugu Malang")
    issued.place("TUGU", "IKM-0003", [("TAS-001", 1, None)], at=wib("2020-10-20 09:00"))
    numbers = [s.number for s in close(issued, OCT, "2020-11-03 10:00", hotel="TUGU")]
    assert numbers == ["ST-000004"]


def test_statements_are_numbered_in_order_of_issue_when_closes_run_at_once(
    office, make_hotel, make_product
):
    hotels = [f"H{n:02d}" for n in range(6)]
    make_product("BTK-001")
    make_product("KRP-001", consignor="IKM-0002", price=10_110)
    office.now = wib("2020-11-02 10:00")
    for code in hotels:
        make_hotel(code, name=f"Hotel {code}")
        office.place(code, "IKM-0001", [("BTK-001", 3, None)], at=wib("2020-10-01 09:00"))
        office.place(code, "IKM-0002", [("KRP-001", 3, None)], at=wib("2020-10-01 09:00"))
        office.sell(code, "BTK-001", 1, at=wib("2020-10-09 09:00"))
    results, start = {}, threading.Barrier(len(hotels))

    def close_one(code):
        start.wait()
        results[code] = [s.number for s in office.close_period(OCT, code)]

    threads = [threading.Thread(target=close_one, args=(code,)) for code in hotels]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    numbers = sorted(n for found in results.values() for n in found)
    assert numbers == [f"ST-{n:06d}" for n in range(1, 13)]
    for found in results.values():  # each close took two consecutive numbers
        assert int(found[1][3:]) == int(found[0][3:]) + 1


def test_two_closes_of_the_same_month_at_once_issue_it_once(issued_free):
    office = issued_free
    errors, start = [], threading.Barrier(2)

    def close_it():
        start.wait()
        try:
            office.close_period(OCT, "ATRIA")
        except PeriodClosed as error:
            errors.append(error)

    threads = [threading.Thread(target=close_it) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(errors) == 1
    with office.db.transaction(readonly=True) as session:
        numbers = session.scalars(select(Statement.number).order_by(Statement.number)).all()
    assert numbers == ["ST-000001", "ST-000002", "ST-000003"]


@pytest.fixture
def issued_free(office, atria):
    """October recorded, not yet closed, the clock on 2 November."""
    october(office)
    office.now = wib("2020-11-02 10:00")
    return office


# ---- an issued statement never changes -----------------------------------------------------

def _first(session):
    return session.scalar(
        select(Statement).where(Statement.number == "ST-000001")
        .options(*settlement.statements.with_parts())
    )


@pytest.mark.parametrize("change", [
    lambda s: setattr(s, "gross", 1),
    lambda s: setattr(s, "consignor_name", "Lain"),
    lambda s: setattr(s, "status", "draft"),
    lambda s: setattr(s.lines[0], "qty", 9),
    lambda s: setattr(s.stock[0], "closing", 0),
    lambda s: s.lines.pop(),
    lambda s: s.stock.pop(),
], ids=["gross", "name", "status", "line", "stock", "remove line", "remove stock row"])
def test_the_orm_refuses_to_change_an_issued_statement(issued, change):
    with (
        pytest.raises(AlreadyIssued, match="ST-000001 is issued: an issued statement never"),
        issued.db.transaction() as session,
    ):
        change(_first(session))
        session.flush()


def test_the_orm_refuses_to_add_a_line_to_or_delete_an_issued_statement(issued):
    with pytest.raises(AlreadyIssued, match="ST-000001"), issued.db.transaction() as session:
        statement = _first(session)
        extra = StatementLine(position=9, kind="sale", day=date(2020, 10, 30), sku="BTK-001",
                              name="x", qty=1, unit_price=1, amount=1, rate_bp=2000,
                              movement_id=statement.lines[0].movement_id)
        statement.lines.append(extra)
        session.flush()
    with pytest.raises(AlreadyIssued, match="ST-000001"), issued.db.transaction() as session:
        session.delete(_first(session))
        session.flush()


def test_the_orm_refuses_any_change_of_an_issued_statement_row(issued):
    with (
        pytest.raises(AlreadyIssued, match="ST-000001 is issued"),
        issued.db.transaction() as session,
    ):
        _first(session).status = "draft"


FROZEN_SQL = [
    "UPDATE statements SET gross = 1 WHERE number = 'ST-000001'",
    "UPDATE statements SET number = 'ST-000099' WHERE number = 'ST-000001'",
    "UPDATE statements SET status = 'draft' WHERE number = 'ST-000001'",
    "UPDATE statements SET built_at = built_at WHERE number = 'ST-000001'",
    "DELETE FROM statements WHERE number = 'ST-000001'",
    "UPDATE statement_lines SET amount = 1, qty = 1, unit_price = 1",
    "DELETE FROM statement_lines",
    "UPDATE statement_stock SET closing = 0",
    "DELETE FROM statement_stock",
    "INSERT INTO statement_lines (statement_id, position, kind, day, sku, name, qty, "
    "unit_price, amount, rate_bp, movement_id) SELECT id, 9, 'sale', '2020-10-30', 'BTK-001', "
    "'x', 1, 1, 1, 2000, (SELECT min(id) FROM movements) FROM statements "
    "WHERE number = 'ST-000001'",
    "INSERT INTO statement_stock (statement_id, position, sku, name, opening, placed, sold, "
    "returned, lost, counted, corrected, closing) SELECT id, 9, 'X', 'x', 0, 0, 0, 0, 0, 0, 0, "
    "0 FROM statements WHERE number = 'ST-000001'",
]


@pytest.mark.parametrize("sql", FROZEN_SQL)
def test_the_database_refuses_to_change_an_issued_statement(issued, sql):
    with (
        pytest.raises(DBAPIError, match="issued statements are frozen"),
        issued.db.engine.begin() as connection,
    ):
        connection.execute(text(sql))


def test_the_database_knows_no_paid_status_a_statement_could_be_set_to(office, atria):
    october(office)
    office.settle(OCT)
    with (
        pytest.raises(DBAPIError, match="status"),
        office.db.engine.begin() as connection,
    ):
        connection.execute(text("UPDATE statements SET status = 'paid'"))


def test_drafts_stay_editable_by_settle(office, atria):
    october(office)
    office.settle(OCT)
    with office.db.engine.begin() as connection:
        connection.execute(text("DELETE FROM statement_lines"))
        connection.execute(text("DELETE FROM statement_stock"))
    assert [lines(s) for s in office.settle(OCT)][0][0][0] == "sale"


# ---- payment (tests/test_payments.py has the rest) ------------------------------------------

def test_a_statement_that_is_not_issued_cannot_be_paid(issued):
    with pytest.raises(NotFound, match="No issued statement ST-000009"):
        issued.pay("ST-000009", date(2020, 11, 10), "X")


def test_a_payment_before_the_issue_date_or_in_the_future_is_refused(issued):
    with pytest.raises(OutOfOrder, match="it was issued on 2020-11-02"):
        issued.pay("ST-000001", date(2020, 11, 1), "X")
    issued.now = wib("2020-11-05 10:00")
    with pytest.raises(InvalidInput, match="payment date 2020-11-06 is in the future") as future:
        issued.pay("ST-000001", date(2020, 11, 6), "X")
    assert future.value.field == "on"
    with pytest.raises(InvalidInput, match="^ref is blank$") as blank:
        issued.pay("ST-000001", date(2020, 11, 5), "  ")
    assert blank.value.field == "ref"


def test_payment_leaves_figures_and_hash_as_issued(issued):
    before = issued.statement("ST-000001")
    issued.pay("ST-000001", date(2020, 11, 10), "BRI-TRF-0042")
    after = issued.statement("ST-000001")
    assert totals(after)[3:] == totals(before)[3:]
    assert after.pdf_sha256 == before.pdf_sha256


def test_listing_filters_by_period_hotel_consignor_and_status(issued):
    issued.pay("ST-000002", date(2020, 11, 10), "T")
    with issued.db.transaction(readonly=True) as session:
        def numbers(**filters):
            return [s.number for s in settlement.list_statements(session, issued.ctx,
                                                                 **filters)]

        assert numbers(period=OCT) == ["ST-000001", "ST-000002", "ST-000003"]
        assert numbers(period=NOV) == []
        assert numbers(consignor="IKM-0002") == ["ST-000002"]
        assert numbers(hotel="ATRIA", status="paid") == ["ST-000002"]
        with pytest.raises(InvalidInput,
                           match="status 'void' must be one of draft, issued, overdue, "
                                 "paid") as bad:
            numbers(status="void")
        assert bad.value.field == "status"
        with pytest.raises(NotFound, match="No hotel with code NOPE"):
            numbers(hotel="NOPE")


def test_stock_rows_of_the_statements_match_the_ledger_at_period_end(issued, db):
    from consign.services import ledger

    with db.transaction(readonly=True) as session:
        closing = {(row.sku): row.closing for row in session.scalars(select(StatementStock))}
        on_hand = {row.sku: row.on_hand for row in ledger.stock(
            session, hotel="ATRIA", as_of=OCT.end(issued.ctx.tz))}
    assert closing == on_hand == {"BTK-001": 6, "BTK-002": 15, "KRP-001": 8, "TAS-001": 5}


def test_the_statement_view_names_the_snapshot_not_the_registry(issued, db):
    from consign.models import Consignor

    with db.transaction() as session:
        session.scalar(select(Consignor).where(Consignor.code == "IKM-0001")).name = "Baru"
    assert issued.statement("ST-000001").consignor_name == "Batik Tulis Celaket"
    assert by_consignor(issued.settle(NOV))["IKM-0001"].consignor_name == "Baru"
