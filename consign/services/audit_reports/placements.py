"""``audit placements``: the register of what is displayed where at a moment (per hotel, IKM
and product: units on hand, their value at the hotel's price, the day first placed, the
days on display of the oldest unit still there, first in first out, the display term and
whether it is past), with totals per hotel and per sector."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from consign import aging, fields, policy
from consign.context import Context
from consign.models import Consignor, Hotel, Movement, Product, Stock
from consign.services import local_days
from consign.services.audit_reports.scoping import seen
from consign.services.ledger import queries, shelf


@dataclass(frozen=True)
class Placement:
    hotel: str
    hotel_name: str
    consignor: str
    consignor_name: str
    sector: str
    phone: str | None  # the IKM's, stored +62…
    sku: str
    name: str
    on_hand: int
    value: int
    first_placed: date | None
    since: date | None  # the day the oldest unit still there came
    oldest_days: int | None
    display_days: int | None
    due_on: date | None
    due_back: bool


@dataclass(frozen=True)
class Total:
    key: str  # a hotel's code or a sector
    name: str
    products: int
    units: int
    value: int
    due_back: int  # products whose oldest unit is past its display term


@dataclass(frozen=True)
class Placements:
    as_of: date
    rows: tuple[Placement, ...]
    by_hotel: tuple[Total, ...]
    by_sector: tuple[Total, ...]
    total: Total


def moment_of(ctx: Context, as_of) -> tuple[date, datetime]:
    """The day and the moment a report is as of: the end of ``as_of`` (a date), else now."""
    if as_of is None:
        return ctx.today, ctx.now
    day = fields.day(as_of, "as-of")
    return day, queries.end_of_day(day, ctx.tz)


def placements(session: Session, ctx: Context, as_of=None, hotel: str | None = None,
               consignor: str | None = None, sector: str | None = None) -> Placements:
    """What is on which shelf at the end of ``as_of`` (else now), in the role's scope."""
    view = seen(session, ctx, hotel, consignor)
    sector = fields.sector(sector) if sector else None
    day, until = moment_of(ctx, as_of)
    rows = register(session, ctx, day, until, view.hotel, view.consignor, sector)
    return Placements(day, tuple(rows), totals(rows, "hotel"), totals(rows, "sector"),
                      _total("", "", rows))


def register(session: Session, ctx: Context, day: date, until: datetime,
             hotel: str | None, consignor: str | None, sector: str | None = None
             ) -> list[Placement]:
    """The rows of the register."""
    return shelved(session, ctx, day, until, hotel, consignor, sector)[0]


def shelved(session: Session, ctx: Context, day: date, until: datetime,
            hotel: str | None, consignor: str | None, sector: str | None = None
            ) -> tuple[list[Placement], dict[tuple[str, str], list[aging.Lot]]]:
    """The rows of the register and the lots on their shelves, oldest first, by (hotel,
    SKU) (what ``audit aging`` reads)."""
    stock, lots = queries.stock_with_lots(session, hotel, consignor, as_of=until, tz=ctx.tz)
    hotels = dict(session.execute(select(Hotel.code, Hotel.name)).all())
    owners = {row.code: row for row in session.execute(
        select(Consignor.code, Consignor.name, Consignor.sector, Consignor.phone))}
    first = _first_placed(session, until, ctx, hotel)
    contacts = policy.reads_accounts(ctx.role)  # a hotel's staff read the IKM's names only
    found = []
    for row in stock:
        owner = owners[row.consignor]
        if sector and owner.sector != sector:
            continue
        since = day - timedelta(days=row.oldest_days) if row.oldest_days is not None else None
        term = (row.due_on - since).days if since is not None else None
        found.append(Placement(
            row.hotel, hotels[row.hotel], row.consignor, owner.name, owner.sector,
            owner.phone if contacts else None,
            row.sku, row.name, row.on_hand, row.value or 0, first.get((row.hotel, row.sku)),
            since, row.oldest_days, term, row.due_on, bool(row.due_back)))
    return found, lots


def _first_placed(session: Session, until: datetime, ctx: Context, hotel: str | None
                  ) -> dict[tuple[str, str], date]:
    """Per (hotel, SKU), the day of its first placement in force (no void of it stands, of
    whatever date) up to ``until``: one index seek per shelf."""
    placed = aliased(Movement)
    day = local_days.day_number(placed.at, session.get_bind().dialect.name, ctx.tz,
                                end=until)
    first = (select(func.min(day))
             .where(placed.hotel_id == Stock.hotel_id, placed.product_id == Stock.product_id,
                    placed.kind == "placed", placed.at <= until,
                    placed.id.not_in(shelf.voided()))
             .scalar_subquery())
    query = (select(Hotel.code, Product.sku, first.label("day")).select_from(Stock)
             .join(Hotel, Hotel.id == Stock.hotel_id)
             .join(Product, Product.id == Stock.product_id))
    if hotel:
        query = query.where(Hotel.code == hotel)
    rows = session.connection().execute(query).all()
    return {(code, sku): local_days.day_of(number) for code, sku, number in rows
            if number is not None}


def totals(rows: list[Placement], by: str) -> tuple[Total, ...]:
    """Totals per hotel or per sector, in the order of their keys."""
    groups: dict[str, list[Placement]] = defaultdict(list)
    for row in rows:
        groups[getattr(row, by)].append(row)
    return tuple(_total(key, members[0].hotel_name if by == "hotel" else key, members)
                 for key, members in sorted(groups.items()))


def _total(key: str, name: str, rows: list[Placement]) -> Total:
    return Total(key, name, len(rows), sum(r.on_hand for r in rows),
                 sum(r.value for r in rows), sum(1 for r in rows if r.due_back))
