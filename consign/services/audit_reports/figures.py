"""The settled figures of a range of months, per (hotel, IKM, month), as the audit reads
them: an issued statement's frozen figures; for a month not yet issued, the statement
``settle`` would build from the ledger as it stands, computed without writing anything
(the pure parts of :mod:`consign.services.settlement.build`). Commission is always a
statement's own, never re-rounded.

What is read of an issued month is what the caller asks for (``detail``): its statements'
totals alone (TOTALS); with their units opening, placed and sold, summed in the database
from their stock rows (UNITS); or each product's figures, its gross summed from the
statements' lines (PRODUCTS: a year is a million lines, which only a report by product
needs). A month computed from the ledger has them all."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from consign.context import Context
from consign.db import bulk_read
from consign.models import Consignor, Hotel, Statement, StatementLine, StatementStock
from consign.periods import Period
from consign.services.audit_reports.scoping import Seen
from consign.services.settlement import build, plain

TOTALS, UNITS, PRODUCTS = "totals", "units", "products"  # what statements_of reads


@dataclass
class ProductFigures:
    sku: str
    name: str
    gross: int = 0
    opening: int = 0
    placed: int = 0
    sold: int = 0

    @property
    def selling(self) -> bool:
        return self.sold != 0


@dataclass
class StatementFigures:
    """One (hotel, IKM, month): its statement's totals, its units (opening, placed, sold
    over all its products; ``selling``: some product sold, or had a sale undone) and, read
    in detail PRODUCTS, its products' figures."""

    hotel: str
    consignor: str
    period: str
    issued: bool
    gross: int
    commission: int
    opening_balance: int
    net: int
    opening: int = 0
    placed: int = 0
    sold: int = 0
    selling: bool = False
    products: dict[str, ProductFigures] = field(default_factory=dict)


def months(first: Period, last: Period) -> list[Period]:
    found, period = [], first
    while period <= last:
        found.append(period)
        period = period.next()
    return found


def statements_of(session: Session, ctx: Context, first: Period, last: Period, view: Seen,
                  detail: str = PRODUCTS) -> list[StatementFigures]:
    """The figures of every statement of the months ``first`` through ``last`` in view, by
    hotel and month, read in as much ``detail`` as asked (TOTALS, UNITS or PRODUCTS)."""
    hotels, closed, open_ = _split(session, first, last, view)
    found: dict[tuple[str, str], list[StatementFigures]] = defaultdict(list)
    for statement in _all_computed(session, ctx, open_, view):
        found[statement.hotel, statement.period].append(statement)
    for statement in _issued(session, closed, view, detail):
        found[statement.hotel, statement.period].append(statement)
    return [statement for hotel in hotels for period in months(first, last)
            for statement in found.get((hotel.code, str(period)), ())]


def gross_by_month(session: Session, ctx: Context, first: Period, last: Period, view: Seen
                   ) -> list[tuple[str, str, int]]:
    """``(month, IKM's code, gross)`` of the months ``first`` through ``last`` in view, over
    the hotels: the issued statements' gross summed in the database (a chart of months
    needs no more of them), the months not issued computed from the ledger."""
    _hotels, closed, open_ = _split(session, first, last, view)
    found: dict[tuple[str, str], int] = defaultdict(int)
    if closed:
        for period, consignor, gross in bulk_read(session, select(
                Statement.period, Statement.consignor_code, func.sum(Statement.gross))
                .where(*_chosen(closed, view))
                .group_by(Statement.period, Statement.consignor_code)):
            found[period, consignor] += int(gross)
    for statement in _all_computed(session, ctx, open_, view):
        found[statement.period, statement.consignor] += statement.gross
    return [(period, consignor, gross) for (period, consignor), gross in sorted(found.items())]


def _split(session: Session, first: Period, last: Period, view: Seen):
    """The hotels in view (by code), and the range's months of each: the closed ones as
    (hotel, month), the others by month."""
    query = select(Hotel).order_by(Hotel.code)
    if view.hotel:
        query = query.where(Hotel.code == view.hotel)
    hotels = list(session.scalars(query))
    closed, open_ = [], defaultdict(list)
    for hotel in hotels:
        latest = build.closed_before(session, hotel.id)
        for period in months(first, last):
            if latest is not None and period <= latest:
                closed.append((hotel, period))
            else:
                open_[period].append(hotel)
    return hotels, closed, open_


def _all_computed(session: Session, ctx: Context, open_: dict, view: Seen):
    """The statements of the months not issued, every hotel's month computed at once."""
    if not open_:
        return
    codes = dict(session.execute(select(Consignor.id, Consignor.code)).all())
    for period, unissued in open_.items():
        yield from _computed(session, ctx, unissued, period, view, codes)


def _chosen(closed: list[tuple[Hotel, Period]], view: Seen) -> tuple:
    """SQL: the issued statements of the closed (hotel, month)s in view (each hotel's
    closed months of a range run from its first month to the hotel's latest closed one:
    the hotels closed through the same month are chosen together)."""
    through: dict[int, Period] = {}
    for hotel, period in closed:
        through[hotel.id] = max(period, through.get(hotel.id, period))
    by_latest: dict[Period, list[int]] = defaultdict(list)
    for hotel_id, latest in through.items():
        by_latest[latest].append(hotel_id)
    chosen = (Statement.status != "draft",
              Statement.period >= str(min(period for _, period in closed)),
              or_(*(and_(plain.at_hotels(Statement.hotel_id, sorted(ids)),
                         Statement.period <= str(latest))
                    for latest, ids in sorted(by_latest.items()))))
    if view.consignor:
        chosen += (Statement.consignor_code == view.consignor,)
    return chosen


def _issued(session: Session, closed: list[tuple[Hotel, Period]], view: Seen, detail: str
            ) -> list[StatementFigures]:
    """The issued statements of the closed (hotel, month)s, by IKM: their frozen totals,
    and as ``detail`` asks their stock rows and their lines summed per SKU; a query for
    each."""
    if not closed:
        return []
    chosen = _chosen(closed, view)
    units = _units(chosen) if detail == UNITS else None
    columns = (Statement.id, Statement.hotel_id, Statement.hotel_code, Statement.consignor_code,
               Statement.period, Statement.gross, Statement.commission,
               Statement.opening_balance, Statement.net)
    query = select(*columns).where(*chosen).order_by(Statement.consignor_code)
    if units is not None:  # each statement's units summed beside it, in the same query
        query = query.add_columns(*(func.coalesce(units.c[name], 0).label(name)
                                    for name in UNIT_SUMS)
                                  ).outerjoin(units, units.c.statement_id == Statement.id)
    statements = bulk_read(session, query).all()
    if detail == PRODUCTS:
        gross = _gross_by_product(session, chosen)
        stock: dict[int, list] = defaultdict(list)
        for row in bulk_read(
                session,
                select(StatementStock.statement_id, StatementStock.sku, StatementStock.name,
                       StatementStock.opening, StatementStock.placed, StatementStock.sold)
                .join(Statement, Statement.id == StatementStock.statement_id)
                .where(*chosen)
                .order_by(StatementStock.statement_id, StatementStock.position)):
            stock[row.statement_id].append(row)
        return [_figures(row.hotel_code, row.consignor_code, row.period, True, row,
                         gross.get(row.id, {}), stock.get(row.id, ())) for row in statements]
    found = []
    for _id, _hotel_id, hotel, consignor, period, gross, commission, carried, net, *sums \
            in statements:  # the units summed beside the totals, where they were asked for
        units = (int(sums[0]), int(sums[1]), int(sums[2]), bool(sums[3])) if sums else ()
        found.append(StatementFigures(hotel, consignor, period, True, gross, commission,
                                      carried, net, *units))
    return found


UNIT_SUMS = ("opening", "placed", "sold", "selling")


def _units(chosen):
    """Per statement of those ``chosen``: its stock rows' units opening, placed and sold,
    and whether any of them sold (or had a sale undone): a subquery."""
    return (select(StatementStock.statement_id,
                   func.sum(StatementStock.opening).label("opening"),
                   func.sum(StatementStock.placed).label("placed"),
                   func.sum(StatementStock.sold).label("sold"),
                   func.max(case((StatementStock.sold != 0, 1), else_=0)).label("selling"))
            .join(Statement, Statement.id == StatementStock.statement_id)
            .where(*chosen).group_by(StatementStock.statement_id).subquery("units"))


def _gross_by_product(session: Session, chosen) -> dict[int, dict[str, int]]:
    """Per statement of those ``chosen``, its lines' gross per SKU."""
    gross: dict[int, dict[str, int]] = defaultdict(dict)
    for statement_id, sku, amount in bulk_read(
            session,
            select(StatementLine.statement_id, StatementLine.sku, func.sum(StatementLine.amount))
            .join(Statement, Statement.id == StatementLine.statement_id)
            .where(*chosen).group_by(StatementLine.statement_id, StatementLine.sku)):
        gross[statement_id][sku] = int(amount)
    return gross


def _computed(session: Session, ctx: Context, hotels: list[Hotel], period: Period,
              view: Seen, codes: dict[int, str]):
    """The figures of the hotels' statements of ``period`` as ``settle`` would make them,
    by hotel and IKM."""
    hotel_codes = {hotel.id: hotel.code for hotel in hotels}
    built = build.compute(session, hotels, period, ctx.tz)
    for (hotel_id, consignor_id), figures in sorted(
            built.items(), key=lambda item: (hotel_codes[item[0][0]], item[0][1])):
        if view.consignor and codes[consignor_id] != view.consignor:
            continue
        gross = _gross_by_sku(figures.lines)
        for together in figures.sold:
            gross[together.sku] += together.amount
        yield _figures(hotel_codes[hotel_id], codes[consignor_id], str(period), False,
                       figures, gross, figures.stock)


def _gross_by_sku(lines) -> dict[str, int]:
    gross: dict[str, int] = defaultdict(int)
    for line in lines:
        gross[line.sku] += line.amount
    return gross


def _figures(hotel: str, consignor: str, period: str, issued: bool, totals,
             gross_by_sku: dict[str, int], stock) -> StatementFigures:
    products = {row.sku: ProductFigures(row.sku, row.name, gross_by_sku.pop(row.sku, 0),
                                        row.opening, row.placed, row.sold)
                for row in stock}
    for sku, amount in gross_by_sku.items():  # a correction of a product no longer there
        products[sku] = ProductFigures(sku, sku, amount)
    found = _totals(hotel, consignor, period, issued, totals,
                    sum(p.opening for p in products.values()),
                    sum(p.placed for p in products.values()),
                    sum(p.sold for p in products.values()),
                    any(p.selling for p in products.values()))
    found.products = products
    return found


def _totals(hotel: str, consignor: str, period: str, issued: bool, totals, opening: int,
            placed: int, sold: int, selling: bool) -> StatementFigures:
    return StatementFigures(hotel, consignor, period, issued, totals.gross, totals.commission,
                            totals.opening_balance, totals.net, opening, placed, sold,
                            selling)
