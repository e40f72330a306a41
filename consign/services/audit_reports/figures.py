"""The settled figures of a range of months, per (hotel, IKM, month), as the audit reads
them: an issued statement's frozen figures; for a month not yet issued, the statement
``settle`` would build from the ledger as it stands, computed without writing anything
(the pure parts of :mod:`consign.services.settlement.build`). Commission is always a
statement's own, never re-rounded."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from consign import settlement
from consign.context import Context
from consign.models import Consignor, Hotel, Statement
from consign.periods import Period
from consign.services.audit_reports.scoping import Seen
from consign.services.settlement import build


@dataclass
class ProductFigures:
    sku: str
    name: str
    gross: int = 0
    opening: int = 0
    placed: int = 0
    sold: int = 0


@dataclass
class StatementFigures:
    """One (hotel, IKM, month): its statement's totals and its products' figures."""

    hotel: str
    consignor: str
    period: str
    issued: bool
    gross: int
    commission: int
    opening_balance: int
    net: int
    products: dict[str, ProductFigures] = field(default_factory=dict)


def months(first: Period, last: Period) -> list[Period]:
    found, period = [], first
    while period <= last:
        found.append(period)
        period = period.next()
    return found


def statements_of(session: Session, ctx: Context, first: Period, last: Period, view: Seen
                  ) -> list[StatementFigures]:
    """The figures of every statement of the months ``first`` through ``last`` in view."""
    query = select(Hotel).order_by(Hotel.code)
    if view.hotel:
        query = query.where(Hotel.code == view.hotel)
    codes = dict(session.execute(select(Consignor.id, Consignor.code)).all())
    found = []
    for hotel in session.scalars(query):
        for period in months(first, last):
            if build.is_closed(session, hotel.id, period):
                found += _issued(session, hotel, period, view)
            else:
                found += _computed(session, ctx, hotel, period, view, codes)
    return found


def _issued(session: Session, hotel: Hotel, period: Period, view: Seen):
    query = (select(Statement)
             .where(Statement.hotel_id == hotel.id, Statement.period == str(period),
                    Statement.status != "draft")
             .options(selectinload(Statement.lines), selectinload(Statement.stock))
             .order_by(Statement.consignor_code))
    if view.consignor:
        query = query.where(Statement.consignor_code == view.consignor)
    for statement in session.scalars(query):
        yield _figures(hotel.code, statement.consignor_code, str(period), True, statement,
                       statement.lines, statement.stock)


def _computed(session: Session, ctx: Context, hotel: Hotel, period: Period, view: Seen,
              codes: dict[int, str]):
    pairs = build.gather(session, hotel.id, period, ctx.tz)
    if view.consignor:
        pairs = {cid: pair for cid, pair in pairs.items() if codes[cid] == view.consignor}
    if not pairs:
        return
    rate_for = build.rates(session, hotel)
    previous = build.previous_nets(session, hotel.id, period)
    for consignor_id, pair in pairs.items():
        lines = settlement.lines_of(pair.entries, rate_for(consignor_id))
        stock = settlement.stock_rows(pair.openings, pair.entries)
        figures = settlement.figures(lines, stock, previous.get(consignor_id))
        yield _figures(hotel.code, codes[consignor_id], str(period), False, figures,
                       figures.lines, figures.stock)


def _figures(hotel: str, consignor: str, period: str, issued: bool, totals, lines, stock
             ) -> StatementFigures:
    gross_by_sku: dict[str, int] = defaultdict(int)
    for line in lines:
        gross_by_sku[line.sku] += line.amount
    products = {row.sku: ProductFigures(row.sku, row.name, gross_by_sku.pop(row.sku, 0),
                                        row.opening, row.placed, row.sold)
                for row in stock}
    for sku, amount in gross_by_sku.items():  # a correction of a product no longer there
        products[sku] = ProductFigures(sku, sku, amount)
    return StatementFigures(hotel, consignor, period, issued, totals.gross, totals.commission,
                            totals.opening_balance, totals.net, products)
