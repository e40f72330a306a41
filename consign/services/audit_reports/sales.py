"""``audit sales PERIOD [--to PERIOD] [--by hotel|consignor|sector|product]``: what the
programme sold in a month or a range of months, per hotel, IKM, sector or product: gross,
commission and net (the statements' own figures, :mod:`.figures`), units sold, the IKM
that sold, sell-through (units sold ÷ (opening stock + units placed in the range)), the
average days to sell, first in first out, and the change in gross against the range of as
many months just before.

Commission and net are a statement's: they are not split below one, so ``--by product``
leaves them out (None) rather than re-round them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consign import fields
from consign.context import Context
from consign.errors import InvalidInput
from consign.i18n import msg
from consign.models import Consignor, Hotel, Movement, Product, Stock
from consign.periods import Period, local_date
from consign.services.audit_reports.fifo import sold_in_months
from consign.services.audit_reports.figures import (
    PRODUCTS,
    TOTALS,
    UNITS,
    StatementFigures,
    months,
    statements_of,
)
from consign.services.audit_reports.scoping import Seen, seen, shelves_seen
from consign.services.audit_reports.tables import Share, average, share

GROUPINGS = ("hotel", "consignor", "sector", "product")


@dataclass(frozen=True)
class SalesRow:
    key: str  # the hotel's or IKM's code, the sector, the SKU; "" for the total
    name: str
    gross: int
    commission: int | None
    net: int | None
    units: int
    active_ikm: int
    opening: int
    placed: int
    sell_through: Share | None
    avg_days_to_sell: Decimal | None
    previous_gross: int
    change: int
    change_share: Share | None


@dataclass(frozen=True)
class MonthRow:
    period: str
    gross: int
    commission: int
    net: int
    units: int
    active_ikm: int


@dataclass(frozen=True)
class Sales:
    period_from: str
    period_to: str
    previous_from: str
    previous_to: str
    by: str
    rows: tuple[SalesRow, ...]
    total: SalesRow
    months: tuple[MonthRow, ...]


def range_of(period, to=None) -> tuple[Period, Period]:
    first = fields.period(period)
    last = fields.period(to, "to") if to is not None else first
    if last < first:
        raise InvalidInput(msg("{field} {last} is before {first}", field="--to", last=str(last),
                               first=str(first)), field="to")
    return first, last


def previous_range(first: Period, last: Period) -> tuple[Period, Period]:
    count = len(months(first, last))
    start = first
    for _ in range(count):
        start = start.previous()
    return start, first.previous()


def sales(session: Session, ctx: Context, period, to=None, by: str = "hotel",
          hotel: str | None = None, consignor: str | None = None) -> Sales:
    view = seen(session, ctx, hotel, consignor)
    by = fields.choice(by, "by", GROUPINGS)
    first, last = range_of(period, to)
    before = previous_range(first, last)
    by_product = by == "product"
    now = statements_of(session, ctx, first, last, view, PRODUCTS if by_product else UNITS)
    earlier = (statements_of(session, ctx, *before, view, PRODUCTS if by_product else TOTALS)
               if before[0] >= Period(2000, 1) else [])
    names = names_of(session)
    ages = days_sold(session, ctx, first, last, view)
    tallies = tally(now, earlier, by, names, ages, str(first))
    if by_product:  # a product's tally has no commission: the total is the statements'
        whole = tally(now, earlier, "all", names, ages, str(first))
    else:
        whole = {("", ""): together(tallies.values(), ages if now else {})} if tallies else {}
    return Sales(str(first), str(last), str(before[0]), str(before[1]), by,
                 tuple(rows_of(tallies, by)), rows_of(whole, "all")[0] if whole else _empty(),
                 tuple(month_rows(now)))


def latest_month(session: Session, ctx: Context) -> Period:
    """The month a dashboard opens on: the latest month up to today in which something
    sold in the role's view, else this month (on the first of a month, the month just
    ended rather than one with nothing in it yet).

    The latest sale of each shelf in view (a sale needs a placement, so each has a stock
    row) is one step down the index of its movements by kind and moment, where the latest
    sale of all would read the whole ledger; a sale counts at its own moment."""
    view = seen(session, ctx)
    shelf_latest = (select(func.max(Movement.at))
                    .where(Movement.hotel_id == Stock.hotel_id,
                           Movement.product_id == Stock.product_id, Movement.kind == "sold",
                           Movement.at <= ctx.now)
                    .scalar_subquery())
    query = select(func.max(shelf_latest)).select_from(Stock)
    if view.hotel:
        query = query.join(Hotel, Hotel.id == Stock.hotel_id).where(Hotel.code == view.hotel)
    if view.consignor:
        query = (query.join(Product, Product.id == Stock.product_id)
                 .join(Consignor, Consignor.id == Product.consignor_id)
                 .where(Consignor.code == view.consignor))
    latest = session.scalar(query)
    return Period.of_date(local_date(latest, ctx.tz) if latest else ctx.today)


@dataclass(frozen=True)
class Names:
    hotels: dict[str, str]
    consignors: dict[str, tuple[str, str]]  # code -> (name, sector)
    products: dict[str, tuple[str, str]]  # sku -> (name, consignor's code)


def names_of(session: Session) -> Names:
    return Names(
        dict(session.execute(select(Hotel.code, Hotel.name)).all()),
        {code: (name, sector) for code, name, sector in session.execute(
            select(Consignor.code, Consignor.name, Consignor.sector))},
        {sku: (name, owner) for sku, name, owner in session.execute(
            select(Product.sku, Product.name, Consignor.code)
            .join(Consignor, Consignor.id == Product.consignor_id))})


def _key(by: str, statement: StatementFigures, sku: str | None, names: Names
         ) -> tuple[str, str]:
    if by == "all":
        return "", ""
    if by == "hotel":
        return statement.hotel, names.hotels.get(statement.hotel, statement.hotel)
    if by == "consignor":
        return statement.consignor, names.consignors[statement.consignor][0]
    if by == "sector":
        sector = names.consignors[statement.consignor][1]
        return sector, sector
    return sku, names.products.get(sku, (sku, ""))[0]


@dataclass
class _Tally:
    name: str = ""
    gross: int = 0
    commission: int = 0
    net: int = 0
    units: int = 0
    opening: int = 0
    placed: int = 0
    sold_units: int = 0  # FIFO: the units aged, and their days
    unit_days: int = 0
    previous: int = 0

    def __post_init__(self):
        self.ikm: set[str] = set()


def summarise(now: list[StatementFigures], earlier: list[StatementFigures], by: str,
              names: Names, ages: dict[tuple[str, str], tuple[int, int]], first: str
              ) -> list[SalesRow]:
    """The rows of one grouping, by key."""
    return rows_of(tally(now, earlier, by, names, ages, first), by)


def tally(now: list[StatementFigures], earlier: list[StatementFigures], by: str,
          names: Names, ages: dict[tuple[str, str], tuple[int, int]], first: str
          ) -> dict[tuple[str, str], _Tally]:
    """The tallies of one grouping, by (key, name)."""
    tallies: dict[tuple[str, str], _Tally] = defaultdict(_Tally)
    for statement in now:
        if by != "product":
            tally = tallies[_key(by, statement, None, names)]
            tally.gross += statement.gross
            tally.commission += statement.commission
            tally.net += statement.gross - statement.commission
            _add_units(tally, statement, statement, first)
            continue
        for product in statement.products.values():
            tally = tallies[_key(by, statement, product.sku, names)]
            tally.gross += product.gross
            _add_units(tally, statement, product, first)
    _add_ages(tallies, by, names, ages)
    for statement in earlier:
        if by == "product":
            for product in statement.products.values():
                tallies[_key(by, statement, product.sku, names)].previous += product.gross
        else:
            tallies[_key(by, statement, None, names)].previous += statement.gross
    return tallies


def together(tallies, ages: dict[tuple[str, str], tuple[int, int]]) -> _Tally:
    """The tally of all statements from the tallies of a grouping of them by hotel, IKM or
    sector (each statement is in exactly one group): their sums, the IKM that sold in any
    of them, and the days to sell of every shelf."""
    whole = _Tally()
    for one in tallies:
        whole.gross += one.gross
        whole.commission += one.commission
        whole.net += one.net
        whole.units += one.units
        whole.opening += one.opening
        whole.placed += one.placed
        whole.previous += one.previous
        whole.ikm |= one.ikm
    for units, unit_days in ages.values():
        whole.sold_units += units
        whole.unit_days += unit_days
    return whole


def rows_of(tallies: dict[tuple[str, str], _Tally], by: str) -> list[SalesRow]:
    return [_row(key, name, tally, by) for (key, name), tally in sorted(tallies.items())]


def _add_units(tally: _Tally, statement: StatementFigures, units, first: str) -> None:
    """A statement's units (or one product's of it) into a tally; the opening stock is the
    range's first month's."""
    tally.units += units.sold
    tally.placed += units.placed
    tally.opening += units.opening if statement.period == first else 0
    if units.selling:
        tally.ikm.add(statement.consignor)


def _add_ages(tallies: dict, by: str, names: Names,
              ages: dict[tuple[str, str], tuple[int, int]]) -> None:
    """Each shelf's units sold and their days on it, into its group's tally."""
    for (hotel, sku), (units, unit_days) in ages.items():
        owner = names.products[sku][1]
        probe = StatementFigures(hotel, owner, "", False, 0, 0, 0, 0)
        key = _key(by, probe, sku, names)
        if key in tallies:
            tallies[key].sold_units += units
            tallies[key].unit_days += unit_days


def _row(key: str, name: str, tally: _Tally, by: str) -> SalesRow:
    split = by != "product"
    change = tally.gross - tally.previous
    return SalesRow(key, name, tally.gross, tally.commission if split else None,
                    tally.net if split else None, tally.units, len(tally.ikm), tally.opening,
                    tally.placed, share(tally.units, tally.opening + tally.placed),
                    average(tally.unit_days, tally.sold_units), tally.previous, change,
                    share(change, tally.previous))


def _empty() -> SalesRow:
    return SalesRow("", "", 0, 0, 0, 0, 0, 0, 0, None, None, 0, 0, None)


def month_rows(found: list[StatementFigures]) -> list[MonthRow]:
    by_month: dict[str, list[StatementFigures]] = defaultdict(list)
    for statement in found:
        by_month[statement.period].append(statement)
    return [MonthRow(period, sum(s.gross for s in group), sum(s.commission for s in group),
                     sum(s.gross - s.commission for s in group),
                     sum(s.sold for s in group), len({s.consignor for s in group if s.selling}))
            for period, group in sorted(by_month.items())]


def days_sold(session: Session, ctx: Context, first: Period, last: Period, view: Seen
                  ) -> dict[tuple[str, str], tuple[int, int]]:
    """Per (hotel, SKU) with a sale in the range: the units its sales there took, first in
    first out, and their days on the shelf (:func:`.fifo.sold_in_months`: kept by the
    closes of closed months, computed in the database over every shelf at once for the
    others)."""
    return sold_in_months(session, ctx.tz, first, last, *shelves_seen(view))
