"""``audit aging``: goods past their display term (or older than N days), oldest first,
with the IKM's phone number so that the agency can call them to collect, and the same
goods per hotel as the return request the hotel hands over.

How many units are due back is read from the shelf's lots, first in first out
(:mod:`consign.aging`): a lot is due back from the day after its display term ends (or
when it is older than N days)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from consign import aging as fifo
from consign import fields
from consign.context import Context
from consign.models import Consignor, Hotel
from consign.services.audit_reports.placements import Placement, moment_of, shelved
from consign.services.audit_reports.scoping import seen
from consign.services.ledger import queries


@dataclass(frozen=True)
class Aged:
    hotel: str
    hotel_name: str
    consignor: str
    consignor_name: str
    phone: str | None  # the IKM's, stored +62…
    sku: str
    name: str
    on_hand: int
    units_due: int  # units past their term (or older than N days)
    value_due: int  # those units at the hotel's price
    since: date
    oldest_days: int
    due_on: date


@dataclass(frozen=True)
class Aging:
    as_of: date
    days: int | None
    rows: tuple[Aged, ...]  # oldest first
    returns: tuple[Aged, ...]  # the same, per hotel and IKM: the return requests


def aging(session: Session, ctx: Context, as_of=None, days=None, hotel: str | None = None,
          consignor: str | None = None) -> Aging:
    """Goods due back at the end of ``as_of`` (else now): past their display term, or with
    ``days``, on display for more than that many days."""
    view = seen(session, ctx, hotel, consignor)
    days = fields.days(days, "days") if days is not None else None
    day, until = moment_of(ctx, as_of)
    shelf, lots = shelved(session, ctx, day, until, view.hotel, view.consignor)
    flagged = [row for row in shelf if row.oldest_days is not None and (
        row.oldest_days > days if days is not None else row.due_back)]
    due = _units_due(session, flagged, lots, day, days)
    rows = [_aged(row, due[row.hotel, row.sku]) for row in flagged]
    rows.sort(key=lambda r: (-r.oldest_days, r.hotel, r.consignor, r.sku))
    returns = sorted(rows, key=lambda r: (r.hotel, r.consignor, r.sku))
    return Aging(day, days, tuple(rows), tuple(returns))


def _aged(row: Placement, units_due: int) -> Aged:
    price = row.value // row.on_hand if row.on_hand else 0
    return Aged(row.hotel, row.hotel_name, row.consignor, row.consignor_name, row.phone,
                row.sku, row.name, row.on_hand, units_due, units_due * price, row.since,
                row.oldest_days, row.due_on)


def _units_due(session: Session, rows: list[Placement], lots: dict, day: date,
               days: int | None) -> dict[tuple[str, str], int]:
    """Per flagged (hotel, SKU), the units of its lots that are due back on ``day``."""
    if not rows:
        return {}
    hotel_ids = dict(session.execute(select(Hotel.code, Hotel.id)).all())
    owner_ids = dict(session.execute(select(Consignor.code, Consignor.id)).all())
    terms = queries._display_terms(session, {hotel_ids[row.hotel] for row in rows})
    due, shared = {}, {}
    for row in rows:
        term = queries._display_days(terms[hotel_ids[row.hotel]], owner_ids[row.consignor],
                                     shared)
        due[row.hotel, row.sku] = sum(lot.units for lot in lots.get((row.hotel, row.sku), ())
                                      if _lot_due(lot, day, days, term))
    return due


def _lot_due(lot: fifo.Lot, day: date, days: int | None, term) -> bool:
    if days is not None:
        return (day - lot.day).days > days
    return day > lot.day + timedelta(days=term(lot.day))


__all__ = ["Aged", "Aging", "aging"]
