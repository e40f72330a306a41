"""``audit shrinkage PERIOD [--to PERIOD]``: what went missing per hotel in a month or a
range of months: losses and damage, and stock-count differences, in units and in rupiah
(at the price each movement carries: the product's latest placement price at the hotel),
split by who is liable, and as a share of the units placed there in the range.

Movements count by their business moment; a voided one (its chain of voids odd) does
not count. A count shortage is liable as recorded (the hotel unless the count said the
IKM); a count surplus has no liability and no price: it is shown in units."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from consign.context import Context
from consign.models import Consignor, Hotel, Movement, Product
from consign.services.audit_reports.sales import range_of
from consign.services.audit_reports.scoping import seen
from consign.services.audit_reports.tables import Share, share
from consign.services.ledger.book import in_force_condition


@dataclass(frozen=True)
class Shrink:
    hotel: str
    name: str
    placed: int
    lost: int  # units lost or damaged
    short: int  # units a count found missing
    surplus: int  # units a count found over
    hotel_units: int  # lost, damaged and short units the hotel is liable for
    hotel_rupiah: int
    consignor_units: int  # ... the IKM is liable for
    consignor_rupiah: int
    units: int  # lost, damaged and short
    rupiah: int
    share: Share | None  # units ÷ placed


@dataclass(frozen=True)
class Shrinkage:
    period_from: str
    period_to: str
    rows: tuple[Shrink, ...]
    total: Shrink


_KINDS = ("placed", "lost", "damaged", "counted")


def shrinkage(session: Session, ctx: Context, period, to=None, hotel: str | None = None,
              consignor: str | None = None) -> Shrinkage:
    view = seen(session, ctx, hotel, consignor)
    first, last = range_of(period, to)
    liable = func.coalesce(Movement.liable, "hotel")
    up = case((Movement.qty > 0, 1), else_=0)
    query = (
        select(Hotel.code, Hotel.name, Movement.kind, liable.label("liable"),
               up.label("up"), func.sum(Movement.qty).label("units"),
               func.sum(Movement.qty * func.coalesce(Movement.unit_price, 0)).label("rupiah"))
        .join(Hotel, Hotel.id == Movement.hotel_id)
        .join(Product, Product.id == Movement.product_id)
        .where(Movement.kind.in_(_KINDS), Movement.at >= first.start(ctx.tz),
               Movement.at < last.end(ctx.tz), in_force_condition())
        .group_by(Hotel.code, Hotel.name, Movement.kind, liable, up))
    if view.hotel:
        query = query.where(Hotel.code == view.hotel)
    if view.consignor:
        query = query.where(Product.consignor_id == select(Consignor.id).where(
            Consignor.code == view.consignor).scalar_subquery())
    tallies: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in session.execute(query):
        _add(tallies[row.code, row.name], row)
    rows = [_shrink(code, name, t) for (code, name), t in sorted(tallies.items())]
    total: dict[str, int] = defaultdict(int)
    for tally in tallies.values():
        for key, value in tally.items():
            total[key] += value
    return Shrinkage(str(first), str(last), tuple(rows), _shrink("", "", total))


def _add(tally: dict[str, int], row) -> None:
    units, rupiah = abs(int(row.units)), abs(int(row.rupiah))  # NUMERIC sums on PostgreSQL
    if row.kind == "placed":
        tally["placed"] += units
        return
    if row.kind == "counted" and row.up:
        tally["surplus"] += units
        return
    tally["lost" if row.kind != "counted" else "short"] += units
    side = "hotel" if row.liable == "hotel" else "consignor"
    tally[f"{side}_units"] += units
    tally[f"{side}_rupiah"] += rupiah


def _shrink(code: str, name: str, t: dict[str, int]) -> Shrink:
    units = t["lost"] + t["short"]
    return Shrink(code, name, t["placed"], t["lost"], t["short"], t["surplus"],
                  t["hotel_units"], t["hotel_rupiah"], t["consignor_units"],
                  t["consignor_rupiah"], units, t["hotel_rupiah"] + t["consignor_rupiah"],
                  share(units, t["placed"]))
