"""The plain sales copied and summed and the plain placements summed by the database
(consign.services.settlement.plain) make exactly the statements the rules make when every
movement goes through them one by one: over random ledgers (placements, sales at list and
discounted prices, returns, losses, voids and voids of voids, a rate that changes
mid-month, October closed or not), every statement row, line (with its position, moment,
receipt and payment), stock row and loss is the same, and the figures the audit computes
without writing agree with the drafts."""

from datetime import date
from unittest import mock

from hypothesis import HealthCheck, given, settings
from sqlalchemy import false, select

from consign.context import Context
from consign.models import Hotel, Statement, StatementLine, StatementLoss, StatementStock
from consign.services import settlement
from consign.services.settlement import build, plain
from tests.settlement_support import NOV, OCT, wib
from tests.test_settlement_invariants import (
    begin,
    close,
    ledgers,
    record,
    setup,
)

_SKIP = {"id", "statement_id"}


def _rows(session, model, order):
    columns = [c for c in model.__table__.columns if c.name not in _SKIP]
    query = select(Statement.period, Statement.consignor_code, *columns).order_by(
        Statement.period, Statement.consignor_code, *order)
    if model is not Statement:
        query = query.join(Statement, Statement.id == model.statement_id)
    return [tuple(row) for row in session.execute(query)]


def _everything(db) -> dict:
    with db.transaction(readonly=True) as session:
        return {
            "statements": _rows(session, Statement, ()),
            "lines": _rows(session, StatementLine, (StatementLine.position,)),
            "stock": _rows(session, StatementStock, (StatementStock.position,)),
            "losses": _rows(session, StatementLoss, (StatementLoss.position,)),
        }


def _settle(db, ctx) -> None:
    with db.transaction() as session:
        settlement.settle(session, ctx, OCT)
        settlement.settle(session, ctx, NOV)


def _computed(db, ctx, period) -> dict:
    """What the audit reads of a month not issued: gross and commission per IKM."""
    with db.transaction(readonly=True) as session:
        hotel = session.scalar(select(Hotel))
        return {cid: (f.gross, f.commission, f.net, f.stock)
                for (_, cid), f in build.compute(session, [hotel], period, ctx.tz).items()}


def _drafted(db, period) -> dict:
    with db.transaction(readonly=True) as session:
        return {s.consignor_id: (s.gross, s.commission, s.net) for s in session.scalars(
            select(Statement).where(Statement.period == str(period),
                                    Statement.status == "draft"))}


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(story=ledgers())
def test_the_database_settles_plain_sales_as_the_rules_do(fresh, story):
    october_ops, close_october, november_ops, pair_rate = story
    db, ctx, recorded = begin(fresh, pair_rate)
    record(db, ctx, october_ops, recorded)
    if close_october:
        close(db, OCT)
    record(db, ctx, november_ops, recorded)
    _settle(db, ctx)
    copied = _everything(db)
    computed = _computed(db, ctx, NOV)
    assert {cid: figures[:3] for cid, figures in computed.items()} == _drafted(db, NOV)
    # no movement is plain (each is voided, as the plain ones' test reads it): every
    # movement one by one
    with mock.patch.object(plain, "_never_reversed", false):
        _settle(db, ctx)
        one_by_one = _everything(db)
        assert _computed(db, ctx, NOV) == computed
    assert copied == one_by_one


def test_a_month_of_plain_sales_only_is_copied_with_its_details(db):
    """Hand-checked: three sales of one IKM, one at a discount, numbered in ledger order,
    each line with its moment, receipt and payment; the rate changes on the 16th."""
    ctx = Context.make("tester", now=wib("2020-12-15 12:00"))
    setup(db, ctx, 1750)
    from consign.services import ledger

    with db.transaction() as session:
        ledger.place(session, ctx, "ATRIA", "IKM-0002", [("KRP-001", 5, None)],
                     at=wib("2020-10-01 09:00"))
        ledger.sell(session, ctx, "ATRIA", "KRP-001", 1, at=wib("2020-10-15 23:59:59.999999"),
                    receipt="R-1", payment="cash")
        ledger.sell(session, ctx, "ATRIA", "KRP-001", 1, at=wib("2020-10-16 00:00"),
                    receipt="R-2", payment="qris", price=9_990)
        ledger.sell(session, ctx, "ATRIA", "KRP-001", 2, at=wib("2020-10-31 23:30"),
                    receipt="R-3")
    with db.transaction() as session:
        settlement.settle(session, ctx, OCT)
    with db.transaction(readonly=True) as session:
        statement = session.scalar(select(Statement).where(Statement.period == "2020-10"))
        lines = [(line.position, line.day, line.qty, line.unit_price, line.amount,
                  line.rate_bp, line.receipt, line.payment) for line in statement.lines]
        assert lines == [
            (1, date(2020, 10, 15), 1, 10_110, 10_110, 2000, "R-1", "cash"),
            (2, date(2020, 10, 16), 1, 9_990, 9_990, 1750, "R-2", "qris"),
            (3, date(2020, 10, 31), 2, 10_110, 20_220, 1750, "R-3", None),
        ]
        # 10,110 at 20% = 2,022; 30,210 at 17.5% = 5,286.75, rounded once per rate: 5,287
        assert (statement.gross, statement.commission, statement.net) == (
            40_320, 2_022 + 5_287, 40_320 - 7_309)
        assert [(row.sku, row.opening, row.placed, row.sold, row.closing)
                for row in statement.stock] == [("KRP-001", 0, 5, 4, 1)]
