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

from sqlalchemy import String, case, func, literal, select, union_all
from sqlalchemy.orm import Session

from consign.context import Context
from consign.models import Hotel, Movement, Stock
from consign.services.audit_reports.sales import range_of
from consign.services.audit_reports.scoping import seen, shelves_seen
from consign.services.audit_reports.tables import Share, share
from consign.services.ledger import shelf


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


_MISSING = ("lost", "damaged", "counted")  # what the placed units are set against


def shrinkage(session: Session, ctx: Context, period, to=None, hotel: str | None = None,
              consignor: str | None = None) -> Shrinkage:
    view = seen(session, ctx, hotel, consignor)
    first, last = range_of(period, to)
    hotels = {hotel_id: (code, name) for hotel_id, code, name
              in session.execute(select(Hotel.id, Hotel.code, Hotel.name))}
    tallies: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    # the shelves in view (a movement's shelf has a stock row)
    for row in session.execute(_moved(first.start(ctx.tz), last.end(ctx.tz),
                                      shelves_seen(view))):
        _add(tallies[hotels[row.hotel_id]], row)
    rows = [_shrink(code, name, t) for (code, name), t in sorted(tallies.items())]
    total: dict[str, int] = defaultdict(int)
    for tally in tallies.values():
        for key, value in tally.items():
            total[key] += value
    return Shrinkage(str(first), str(last), tuple(rows), _shrink("", "", total))


def _moved(start, end, shelves):
    """Per hotel, kind, liability and direction: the units and rupiah of the movements in
    force dated in [start, end) on the ``shelves`` (conditions on :class:`Stock`) that
    place, lose or count goods. A shelf's movements of one kind are one step down an index
    of the ledger, shelf by shelf (:func:`shelf.by_shelf`); the many placements are read
    from the index alone (their units, no price: a placement loses nothing)."""
    in_force = Movement.id.not_in(shelf.voided())
    on_shelves = (select().select_from(Stock)
                  .join(Movement, shelf.by_shelf(Movement))
                  .where(Movement.at >= start, Movement.at < end, in_force, *shelves))
    placed = (on_shelves.add_columns(
        Stock.hotel_id, literal("placed", String).label("kind"),
        literal("hotel", String).label("liable"), literal(1).label("up"),
        func.sum(Movement.qty).label("units"), literal(0).label("rupiah"))
        .where(Movement.kind == "placed").group_by(Stock.hotel_id))
    liable = func.coalesce(Movement.liable, "hotel")
    up = case((Movement.qty > 0, 1), else_=0)
    counted = (on_shelves.add_columns(
        Stock.hotel_id, Movement.kind, liable.label("liable"), up.label("up"),
        func.sum(Movement.qty).label("units"),
        func.sum(Movement.qty * func.coalesce(Movement.unit_price, 0)).label("rupiah"))
        .group_by(Stock.hotel_id, Movement.kind, liable, up))
    # the few that took units (each index of its own: shelf.takes_unsold, shelf.adds)
    missing = counted.where(shelf.takes_unsold(Movement), Movement.kind.in_(_MISSING))
    surplus = counted.where(shelf.adds(Movement), Movement.kind == "counted")
    return union_all(placed, missing, surplus)


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
