"""Commission terms: a hotel's default rate, and a (hotel, IKM) pair's own rate, over time."""

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from consign import money
from consign.context import Context
from consign.errors import OverlappingTerms, PeriodClosed
from consign.models import ClosedPeriod, Terms
from consign.services import audit
from consign.services.registry import get_consignor, get_hotel

BEGINNING = date.min
END = date.max


def span(terms: Terms) -> str:
    start = terms.valid_from.isoformat() if terms.valid_from else "the beginning"
    end = terms.valid_to.isoformat() if terms.valid_to else "open-ended"
    return f"{start} to {end}"


def scope_label(hotel_code: str, consignor_code: str | None) -> str:
    return f"{hotel_code} / {consignor_code}" if consignor_code else f"{hotel_code} (hotel default)"


def set_terms(
    session: Session,
    ctx: Context,
    hotel: str,
    rate_bp: int,
    consignor: str | None = None,
    valid_from: date | None = None,
    valid_to: date | None = None,
    display_days: int = 90,
    payment_days: int = 14,
) -> Terms:
    """Add a rate. A new open-ended rate that starts after the scope's current open-ended one
    ends that one on the day before; any other overlap is refused, naming the period."""
    the_hotel = get_hotel(session, hotel)
    the_consignor = get_consignor(session, consignor) if consignor else None
    _refuse_closed(session, the_hotel, valid_from)
    same_scope = (
        Terms.consignor_id == the_consignor.id if the_consignor else Terms.consignor_id.is_(None)
    )
    scope = list(session.scalars(select(Terms).where(Terms.hotel_id == the_hotel.id, same_scope)))
    new_start, new_end = valid_from or BEGINNING, valid_to or END
    for existing in scope:
        start, end = existing.valid_from or BEGINNING, existing.valid_to or END
        if valid_to is None and existing.valid_to is None and start < new_start:
            existing.valid_to = new_start - timedelta(days=1)
            audit.record(
                session, ctx, "terms.end", "terms", str(existing.id), valid_to=existing.valid_to
            )
        elif start <= new_end and new_start <= end:
            raise OverlappingTerms(
                f"Terms for {scope_label(the_hotel.code, consignor)} from "
                f"{valid_from or 'the beginning'} overlap the existing period {span(existing)} "
                f"at {money.rate_text(existing.rate_bp)}."
            )
    terms = Terms(
        hotel=the_hotel,
        consignor=the_consignor,
        rate_bp=rate_bp,
        valid_from=valid_from,
        valid_to=valid_to,
        display_days=display_days,
        payment_days=payment_days,
    )
    session.add(terms)
    session.flush()
    audit.record(
        session,
        ctx,
        "terms.set",
        "terms",
        str(terms.id),
        scope=scope_label(the_hotel.code, consignor),
        rate=money.rate_text(rate_bp),
        valid_from=valid_from,
        valid_to=valid_to,
    )
    return terms


def _refuse_closed(session: Session, hotel, valid_from: date | None) -> None:
    latest = session.scalar(
        select(ClosedPeriod.period)
        .where(ClosedPeriod.hotel_id == hotel.id)
        .order_by(ClosedPeriod.period.desc())
        .limit(1)
    )
    if latest and (valid_from is None or valid_from.strftime("%Y-%m") <= latest):
        raise PeriodClosed(
            f"Cannot set terms for {hotel.code} from {valid_from or 'the beginning'}: "
            f"its statements are issued through {latest}; start the new rate after that."
        )


def list_terms(session: Session, hotel: str | None = None, consignor: str | None = None):
    query = select(Terms)
    if hotel:
        query = query.where(Terms.hotel_id == get_hotel(session, hotel).id)
    if consignor:
        query = query.where(Terms.consignor_id == get_consignor(session, consignor).id)
    rows = list(session.scalars(query))
    return sorted(
        rows,
        key=lambda t: (
            t.hotel.code,
            t.consignor.code if t.consignor else "",
            t.valid_from or BEGINNING,
        ),
    )


def rate_on(session: Session, hotel_id: int, consignor_id: int, day: date) -> Terms | None:
    """The pair's rate if one covers ``day``, else the hotel's default on that day."""
    candidates = session.scalars(
        select(Terms).where(
            Terms.hotel_id == hotel_id,
            (Terms.consignor_id == consignor_id) | Terms.consignor_id.is_(None),
        )
    )
    return covering(list(candidates), consignor_id, day)


def covering(candidates: list[Terms], consignor_id: int, day: date) -> Terms | None:
    """Pure: of a hotel's terms, the one in force for this IKM on ``day``."""

    def covers(terms: Terms) -> bool:
        return (terms.valid_from or BEGINNING) <= day <= (terms.valid_to or END)

    pair = [t for t in candidates if t.consignor_id == consignor_id and covers(t)]
    default = [t for t in candidates if t.consignor_id is None and covers(t)]
    return (pair or default or [None])[0]


def default_rates(session: Session, day: date) -> dict[int, Terms]:
    """Every hotel's own default rate on ``day``, by hotel id, in one query."""
    by_hotel: dict[int, list[Terms]] = {}
    for row in session.scalars(select(Terms).where(Terms.consignor_id.is_(None))):
        by_hotel.setdefault(row.hotel_id, []).append(row)
    found = {
        hotel_id: covering(rows, consignor_id=-1, day=day) for hotel_id, rows in by_hotel.items()
    }
    return {hotel_id: terms for hotel_id, terms in found.items() if terms is not None}


def default_rate(session: Session, hotel, day: date) -> Terms | None:
    """The hotel's own default rate on ``day`` (no pair rate considered)."""
    rows = session.scalars(
        select(Terms).where(Terms.hotel_id == hotel.id, Terms.consignor_id.is_(None))
    )
    return covering(list(rows), consignor_id=-1, day=day)
