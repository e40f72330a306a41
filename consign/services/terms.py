"""Commission terms: a hotel's default rate, and a (hotel, IKM) pair's own rate, over time
(the rules are in :mod:`consign.terms`)."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from consign import fields, money, policy, records
from consign import terms as rules
from consign.context import Context
from consign.errors import InvalidInput, OverlappingTerms, PeriodClosed
from consign.i18n import msg
from consign.models import Terms
from consign.services import access, audit, lookup
from consign.services.ledger.book import closed_through, hold_books


def span(terms: Terms):
    start = terms.valid_from.isoformat() if terms.valid_from else msg("the beginning")
    end = terms.valid_to.isoformat() if terms.valid_to else msg("open-ended")
    return msg("{start} to {end}", start=start, end=end)


def scope_label(hotel_code: str, consignor_code: str | None):
    return (f"{hotel_code} / {consignor_code}" if consignor_code
            else msg("{hotel} (hotel default)", hotel=hotel_code))


def set_terms(
    session: Session, ctx: Context, hotel: str, commission, consignor: str | None = None,
    valid_from=None, valid_to=None, display_days=None, payment_days=None,
) -> records.Terms:
    """Add a rate. A new open-ended rate that starts after the scope's current open-ended one
    ends that one on the day before; any other overlap is refused, naming the period. A
    rate cannot start in or before a month whose statements are already issued.

    A display or payment term not given (None) is, for a pair, that of the hotel's default
    terms in force on the day the pair's rate starts; for a hotel's default (or a pair of
    a hotel without default terms that day), 90 and 14 days."""
    access.require(session, ctx, "terms.write")
    rate = fields.rate(commission)
    valid_from = fields.optional_day(valid_from, "from")
    valid_to = fields.optional_day(valid_to, "to")
    if display_days is not None:
        display_days = fields.days(display_days, "display_days")
    if payment_days is not None:
        payment_days = fields.days(payment_days, "payment_days")
    if valid_from is not None and valid_to is not None and valid_to < valid_from:
        raise InvalidInput(msg("to {to} is before from {start}", to=valid_to.isoformat(),
                               start=valid_from.isoformat()), field="to")
    the_hotel = lookup.hotel(session, hotel)
    the_consignor = lookup.consignor(session, consignor) if consignor else None
    _refuse_closed(session, the_hotel, valid_from)
    inherited = _inherited(session, the_hotel, the_consignor, valid_from)
    display_days = inherited.display_days if display_days is None else display_days
    payment_days = inherited.payment_days if payment_days is None else payment_days
    scope = list(session.scalars(select(Terms).where(
        Terms.hotel_id == the_hotel.id,
        Terms.consignor_id == the_consignor.id if the_consignor else Terms.consignor_id.is_(None),
    )))
    ended, collision = rules.placing(scope, valid_from, valid_to)
    label = scope_label(the_hotel.code, the_consignor.code if the_consignor else None)
    if collision is not None:
        raise OverlappingTerms(msg(
            "Terms for {scope} from {start} overlap the existing period {span} at {rate}.",
            scope=label, start=valid_from.isoformat() if valid_from else msg("the beginning"),
            span=span(collision), rate=money.rate_text(collision.rate_bp)))
    if ended is not None:
        ended.valid_to = rules.ends_on(valid_from)
        session.flush()
        audit.record(session, ctx, "terms.end", f"terms:{ended.id}",
                     valid_to=ended.valid_to.isoformat())
    terms = Terms(hotel=the_hotel, consignor=the_consignor, rate_bp=rate,
                  valid_from=valid_from, valid_to=valid_to, display_days=display_days,
                  payment_days=payment_days)
    session.add(terms)
    session.flush()
    audit.record(session, ctx, "terms.set", f"terms:{terms.id}", scope=label,
                 rate=money.rate_text(rate), valid_from=valid_from, valid_to=valid_to,
                 display_days=display_days, payment_days=payment_days)
    return records.terms_of(terms)


class _Days(NamedTuple):
    display_days: int
    payment_days: int


_STANDARD = _Days(rules.DISPLAY_DAYS, rules.PAYMENT_DAYS)


def _inherited(session: Session, hotel, consignor, valid_from: date | None) -> _Days:
    """The display and payment terms a new rate takes when it is not given them: a pair's,
    those of the hotel's default terms on the day it starts; else the standard ones."""
    if consignor is None:
        return _STANDARD
    found = default_rate(session, hotel, valid_from or rules.BEGINNING)
    return _Days(found.display_days, found.payment_days) if found else _STANDARD


def _refuse_closed(session: Session, hotel, valid_from: date | None) -> None:
    hold_books(session, hotel.id)
    latest = closed_through(session, hotel.id)
    if latest and (valid_from is None or valid_from.strftime("%Y-%m") <= latest):
        raise PeriodClosed(msg(
            "Cannot set terms for {hotel} from {start}: its statements are issued through "
            "{latest}; start the new rate after that.", hotel=hotel.code,
            start=valid_from.isoformat() if valid_from else msg("the beginning"),
            latest=latest))


def list_terms(session: Session, hotel: str | None = None, consignor: str | None = None, *,
               ctx: Context | None = None) -> list[records.Terms]:
    """The terms the acting role sees: a hotel's staff, their hotel's; an IKM, its own
    pairs' and the default terms of the hotels where its goods were placed."""
    role = access.require(session, ctx, "terms.read")
    query = select(Terms).where(_seen(role))
    if hotel:
        query = query.where(Terms.hotel_id == lookup.hotel(session, hotel, role=role).id)
    if consignor:
        query = query.where(
            Terms.consignor_id == lookup.consignor(session, consignor, role=role).id)
    rows = sorted(session.scalars(query), key=lambda t: (
        t.hotel.code, t.consignor.code if t.consignor else "", t.valid_from or rules.BEGINNING))
    return [records.terms_of(row) for row in rows]


def _seen(role: policy.Role):
    if policy.scope(role).consignor is None:
        return access.hotels(role, Terms.hotel_id)
    return or_(access.consignors(role, Terms.consignor_id),
               and_(Terms.consignor_id.is_(None), access.hotels(role, Terms.hotel_id)))


def default_rates(session: Session, day: date) -> dict[int, Terms]:
    """Every hotel's own default rate on ``day``, by hotel id, in one query."""
    by_hotel: dict[int, list[Terms]] = {}
    for row in session.scalars(select(Terms).where(Terms.consignor_id.is_(None))):
        by_hotel.setdefault(row.hotel_id, []).append(row)
    found = {hotel_id: rules.covering(rows, -1, day) for hotel_id, rows in by_hotel.items()}
    return {hotel_id: terms for hotel_id, terms in found.items() if terms is not None}


def default_rate(session: Session, hotel, day: date) -> Terms | None:
    """The hotel's own default rate on ``day`` (no pair rate considered)."""
    rows = session.scalars(
        select(Terms).where(Terms.hotel_id == hotel.id, Terms.consignor_id.is_(None)))
    return rules.covering(list(rows), -1, day)
