"""Four cases a mutation run over the rule modules showed no test held, each worked out by
hand: a correction of a stock count from an issued month, the name of a product placed for
the first time in the month, a close just after midnight WIB, and a price of Rp1."""

from datetime import UTC, date, datetime

from consign.context import Context
from consign.services import ledger, registry, settlement
from consign.services.settlement import statements
from consign.tabular import Upload
from tests.boundary_support import shop


def at(text: str) -> Context:
    """The clock at ``text`` in WIB (UTC+7)."""
    local = datetime.fromisoformat(text)
    return Context.make("tester", now=local.replace(tzinfo=UTC) - (
        datetime(2000, 1, 1, 7) - datetime(2000, 1, 1)))


def lines_of(db, number: str) -> list[tuple]:
    with db.transaction(readonly=True) as session:
        record = settlement.statement(session, at("2020-12-15 12:00"), number)
    return [(line.kind, line.day.isoformat(), line.sku, line.qty, line.unit_price, line.amount,
             line.rate_bp) for line in record.lines]


def test_a_count_shortage_voided_after_its_month_is_issued_is_corrected_in_rupiah(db):
    ctx = at("2020-12-15 12:00")
    shop(db, ctx)  # BTK-001: 10 placed at Rp150.000 on 2 October, 1 sold on 5 October
    with db.transaction() as session:
        counted = ledger.count(session, ctx, "ATRIA", Upload("count.csv",
                               b"sku,counted\nBTK-001,7\n"), apply=True, at="2020-10-31 21:00")
    with db.transaction() as session:
        settlement.close_period(session, ctx, "2020-10", "ATRIA")
    # October: the sale (150.000) and the count shortage of 2 (2 x 150.000 = 300.000), 20%
    assert lines_of(db, "ST-000001") == [
        ("sale", "2020-10-05", "BTK-001", 1, 150_000, 150_000, 2000),
        ("loss", "2020-10-31", "BTK-001", 2, 150_000, 300_000, 2000),
    ]
    with db.transaction() as session:
        ledger.void(session, ctx, counted.note.movements[0].id, "dua lembar terselip di gudang",
                    at="2020-11-04 10:00")
    with db.transaction() as session:
        november = settlement.settle(session, ctx, "2020-11", "ATRIA")
    with db.transaction(readonly=True) as session:
        draft = statements.of_period(session, "2020-11")[0]
        correction = [(line.kind, line.qty, line.unit_price, line.amount, line.rate_bp)
                      for line in draft.lines]
        stock = [(row.sku, row.opening, row.counted, row.corrected, row.closing)
                 for row in draft.stock]
    assert correction == [("correction", -2, 150_000, -300_000, 2000)]
    # gross -300.000; commission 20% = -60.000; net -240.000, carried forward
    assert (november[0].gross, november[0].commission, november[0].net) == (
        -300_000, -60_000, -240_000)
    assert stock == [("BTK-001", 7, 0, 2, 9)]


def test_a_product_placed_for_the_first_time_that_month_has_its_name_in_the_stock_table(db):
    ctx = at("2020-12-15 12:00")
    shop(db, ctx)
    with db.transaction() as session:
        registry.add_product(session, ctx, "BTK-002", "IKM-0001", "Batik cap motif Teratai",
                             90_000)
        ledger.place(session, ctx, "ATRIA", "IKM-0001", [("BTK-002", 4, None)],
                     at="2020-11-02 09:00")
    with db.transaction() as session:
        settlement.settle(session, ctx, "2020-11", "ATRIA")
    with db.transaction(readonly=True) as session:
        draft = statements.of_period(session, "2020-11")[0]
        rows = [(row.sku, row.name, row.opening, row.placed, row.closing) for row in draft.stock]
    assert rows == [("BTK-001", "Batik tulis motif Kendedes", 9, 0, 9),
                    ("BTK-002", "Batik cap motif Teratai", 0, 4, 4)]


def test_a_month_closed_five_minutes_after_midnight_wib_is_issued_on_the_first(db):
    shop(db, at("2020-10-31 12:00"))
    just_after = at("2020-11-01 00:05")  # still 31 October, 17:05, in UTC
    assert just_after.now == datetime(2020, 10, 31, 17, 5, tzinfo=UTC)
    with db.transaction() as session:
        issued = settlement.close_period(session, just_after, "2020-10", "ATRIA")
    assert (issued[0].issued_on, issued[0].due_on) == (date(2020, 11, 1), date(2020, 11, 15))


def test_a_month_cannot_close_five_minutes_before_midnight_wib(db):
    import pytest

    from consign.errors import OutOfOrder

    shop(db, at("2020-10-31 12:00"))
    with pytest.raises(OutOfOrder, match="before the month is over"), \
            db.transaction() as session:
        settlement.close_period(session, at("2020-10-31 23:55"), "2020-10", "ATRIA")


def test_a_price_of_one_rupiah_is_a_price(db):
    ctx = at("2020-12-15 12:00")
    shop(db, ctx)
    with db.transaction() as session:
        registry.add_product(session, ctx, "STK-001", "IKM-0001", "Stiker Arema", 1)
        ledger.place(session, ctx, "ATRIA", "IKM-0001", [("STK-001", 3, None)],
                     at="2020-10-02 09:00")
        sold = ledger.sell(session, ctx, "ATRIA", "STK-001", qty=2, price=1,
                           at="2020-10-06 09:00")
    assert (sold.movement.unit_price, sold.movement.qty) == (1, -2)
