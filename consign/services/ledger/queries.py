"""The read side of the ledger: stock on hand now or as of a moment, and the movements."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, aliased

from consign import aging, fields, records
from consign import ledger as rules
from consign.context import Context
from consign.models import Consignor, Hotel, Movement, Note, Product, Stock, Terms
from consign.periods import LAST_DAY, end_of, local_date, zone
from consign.services import access, lookup
from consign.services.ledger import shelf
from consign.services.ledger.book import in_force_condition, latest_price_of
from consign.terms import DISPLAY_DAYS, covering

READ = "ledger.read"


@dataclass(frozen=True)
class StockRow:
    hotel: str
    consignor: str
    sku: str
    name: str
    on_hand: int
    value: int | None = None  # on hand × the latest placement price in force, else list price
    oldest_days: int | None = None  # days on display of the oldest unit (FIFO)
    due_on: date | None = None  # the last day of the oldest unit's display term
    due_back: bool | None = None  # the oldest unit is past its display term
    due_units: int | None = None  # the units past their display term, lot by lot (FIFO)


def stock(
    session: Session, hotel: str | None = None, consignor: str | None = None,
    as_of: datetime | str | None = None, tz: tzinfo | None = None,
    now: datetime | None = None, *, ctx: Context | None = None,
) -> list[StockRow]:
    """What is on which shelf: one row per (hotel, product) with units on hand, now or just
    after every movement dated at or before ``as_of`` (a moment, or a date typed: the end
    of that day in ``tz``). Pairs with nothing on hand are left out.

    Each row has its value at the price of the product's latest placement at the hotel in
    force at that moment (else its list price) and the age of its oldest unit, first in
    first out (:mod:`consign.aging`), on the day of ``as_of`` (without one, of ``now``;
    without either, the age is not known). Only the rows the acting role sees: a hotel's
    staff, their hotel's; an IKM, its own goods at every hotel."""
    return stock_with_lots(session, hotel, consignor, as_of, tz, now, ctx=ctx)[0]


def stock_with_lots(
    session: Session, hotel: str | None = None, consignor: str | None = None,
    as_of: datetime | str | None = None, tz: tzinfo | None = None,
    now: datetime | None = None, *, ctx: Context | None = None,
) -> tuple[list[StockRow], dict[tuple[str, str], list[aging.Lot]]]:
    """:func:`stock`, and the lots on each of its shelves, oldest first, by (hotel, SKU)
    (none without ``as_of`` or ``now``)."""
    role = access.require(session, ctx, READ)
    tz = tz or zone()
    if isinstance(as_of, str):
        as_of = fields.moment(as_of, tz, "as_of", end_of_day=True)
    elif as_of is not None:
        as_of = fields.moment(as_of, tz, "as_of")
    until = as_of or (fields.moment(now, tz, "now") if now is not None else None)
    chosen = _chosen_pairs(session, role, as_of, hotel, consignor)
    price = func.coalesce(
        latest_price_of(chosen.c.hotel_id, chosen.c.product_id, until or _LAST_MOMENT)
        .scalar_subquery(), Product.price)
    query = (
        select(Hotel.code.label("hotel"), Consignor.code.label("consignor"), Product.sku,
               Product.name, chosen.c.on_hand, price.label("price"), chosen.c.hotel_id,
               chosen.c.product_id, Product.consignor_id)
        .join(Hotel, Hotel.id == chosen.c.hotel_id)
        .join(Product, Product.id == chosen.c.product_id)
        .join(Consignor, Consignor.id == Product.consignor_id)
        .order_by(Hotel.code, Consignor.code, Product.sku)
    )
    rows = session.connection().execute(query).all()
    lots = (_lots(session, chosen, as_of is not None, until, tz) if until is not None and rows
            else {})
    ages = _ages(session, rows, lots, until, tz) if lots else {}
    return ([_stock_row(row, ages) for row in rows],
            {(row.hotel, row.sku): lots[row.hotel_id, row.product_id] for row in rows
             if (row.hotel_id, row.product_id) in lots})


_LAST_MOMENT = datetime.combine(LAST_DAY, time.max, UTC)  # after every movement there can be


def _chosen_pairs(session: Session, role, as_of: datetime | None, hotel: str | None,
                  consignor: str | None):
    """The (hotel, product) pairs with units on hand (``on_hand``), of the hotel and IKM
    asked for: a subquery."""
    if as_of is None:
        pairs = select(Stock.hotel_id, Stock.product_id, Stock.on_hand.label("on_hand"))
    else:  # the running stock less what moved after the moment: the sum of what came before
        pairs = select(Stock.hotel_id, Stock.product_id,
                       shelf.held_at(as_of).label("on_hand"))
    pairs = pairs.subquery()
    query = (select(pairs.c.hotel_id, pairs.c.product_id, pairs.c.on_hand)
             .where(pairs.c.on_hand != 0, access.pairs(role, pairs.c.hotel_id,
                                                      pairs.c.product_id)))
    if hotel:
        query = query.where(pairs.c.hotel_id == lookup.hotel(session, hotel, role=role).id)
    if consignor:
        owner = lookup.consignor(session, consignor, role=role).id
        query = query.where(pairs.c.product_id.in_(
            select(Product.id).where(Product.consignor_id == owner)))
    return query.subquery("chosen")


def _stock_row(row, ages: dict) -> StockRow:
    found = ages.get((row.hotel_id, row.product_id))
    return StockRow(row.hotel, row.consignor, row.sku, row.name, row.on_hand,
                    row.on_hand * row.price, found.days if found else None,
                    found.due_on if found else None, found.due_back if found else None,
                    found.past_term if found else None)


def _lots(session: Session, chosen, as_of: bool, until: datetime, tz: tzinfo) -> dict:
    """The lots on each chosen shelf just after ``until`` (:mod:`.shelf`), by (hotel id,
    product id): the units on hand then are the chosen ones as of a moment, else the
    running stock less what moved after ``until``."""
    if as_of:
        shelves = select(chosen.c.hotel_id, chosen.c.product_id,
                         chosen.c.on_hand.label("held"))
    else:
        shelves = (select(Stock.hotel_id, Stock.product_id, shelf.held_at(until).label("held"))
                   .join(chosen, (chosen.c.hotel_id == Stock.hotel_id)
                         & (chosen.c.product_id == Stock.product_id)))
    return shelf.lots(session, shelves.subquery(), until, tz)


def _ages(session: Session, rows: list, lots: dict, until: datetime, tz: tzinfo) -> dict:
    """The age of each shelf with lots on the day of ``until``, from its oldest lot and
    the display term in force the day that lot came."""
    terms = _display_terms(session, {hotel_id for hotel_id, _product in lots})
    today = local_date(until, tz)
    owners = {(row.hotel_id, row.product_id): row.consignor_id for row in rows}
    shared: dict = {}
    return {pair: aging.age(found, today, _display_days(terms[pair[0]], owners[pair], shared))
            for pair, found in lots.items()}


def _display_terms(session: Session, hotel_ids: set[int]) -> dict[int, dict]:
    """The terms of these hotels, by hotel id and then by IKM id (None: the hotel's
    defaults)."""
    found: dict[int, dict] = {hotel_id: {} for hotel_id in hotel_ids}
    rows = session.execute(
        select(Terms.id, Terms.hotel_id, Terms.consignor_id, Terms.valid_from, Terms.valid_to,
               Terms.display_days).where(Terms.hotel_id.in_(sorted(hotel_ids))))
    for row in rows:
        found[row.hotel_id].setdefault(row.consignor_id, []).append(row)
    return found


def _display_days(terms: dict, owner_id: int, shared: dict | None = None):
    """The display term of a pair's goods that came on a day: the pair's own terms on that
    day, else the hotel's default, else the standard term (``terms``: the hotel's, from
    :func:`_display_terms`). ``shared``: what each day was found to be, kept for the other
    pairs of the same terms (at a hotel, IKM without terms of their own share the
    hotel's), so that a programme's shelves look each day up once."""
    own = terms.get(owner_id, [])
    mine = own + terms.get(None, [])  # all that covering reads
    group = (id(terms), tuple(term.id for term in own))
    found_on = {} if shared is None else shared.setdefault(group, {})

    def display_days(day: date) -> int:
        if day not in found_on:
            found = covering(mine, owner_id, day)
            found_on[day] = found.display_days if found else DISPLAY_DAYS
        return found_on[day]

    return display_days


def end_of_day(day, tz: tzinfo) -> datetime:
    """The last moment of a day in the business time zone: what "as of a date" means."""
    return end_of(day, tz) - timedelta(microseconds=1)


def on_hand_by_product(session: Session, hotel_id: int, at: datetime) -> dict[int, int]:
    """Units on hand per product at the hotel just after ``at``."""
    rows = session.execute(
        select(Movement.product_id, func.sum(Movement.qty))
        .where(Movement.hotel_id == hotel_id, Movement.at <= at)
        .group_by(Movement.product_id)
    )
    return {product_id: units for product_id, units in rows}


# ---- the ledger as a clerk reads it --------------------------------------------------------

_REVERSAL = aliased(Movement, name="reversal")
_LISTED = (
    select(Movement.id, Movement.kind, Hotel.code.label("hotel"),
           Consignor.code.label("consignor"), Product.sku, Movement.qty, Movement.unit_price,
           Movement.at, Movement.recorded_at, Movement.actor, Note.number.label("note"),
           Movement.receipt, Movement.payment, Movement.reason, Movement.liable,
           Movement.reverses_id.label("reverses"), Movement.cancels, Movement.note_id,
           _REVERSAL.id.label("reversed_by"),
           # a reversal is in force until it is voided; any other movement while its chain
           # of voids holds an even number of reversals
           case((Movement.kind == "reversal", _REVERSAL.id.is_(None)),
                else_=in_force_condition()).label("in_force"))
    .join(Hotel, Hotel.id == Movement.hotel_id)
    .join(Product, Product.id == Movement.product_id)
    .join(Consignor, Consignor.id == Product.consignor_id)
    .outerjoin(Note, Note.id == Movement.note_id)
    .outerjoin(_REVERSAL, _REVERSAL.reverses_id == Movement.id)
)


def movements(
    session: Session, tz: tzinfo, hotel: str | None = None, consignor: str | None = None,
    sku: str | None = None, kind: str | None = None, since=None, until=None,
    receipt: str | None = None, note: str | None = None, limit: int | None = None, *,
    ctx: Context | None = None,
) -> list[records.Movement]:
    """``consign movements``: the ledger, newest first, each movement with whether (and by
    which movement) it was reversed and whether it is in force now (a sale whose void was
    voided is in force again); filtered by hotel, IKM, SKU, kind, the days from
    ``since`` through ``until`` (dates: the whole of each day in ``tz``; or moments),
    receipt and note number, each alone or together. Only the movements the acting role
    sees: a hotel's staff, their hotel's; an IKM, those of its goods at every hotel."""
    role = access.require(session, ctx, READ)
    query = _LISTED.where(access.pairs(role, Movement.hotel_id, Movement.product_id))
    if hotel:
        query = query.where(Movement.hotel_id == lookup.hotel(session, hotel, role=role).id)
    if consignor:
        query = query.where(
            Product.consignor_id == lookup.consignor(session, consignor, role=role).id)
    if sku:
        query = query.where(Movement.product_id == lookup.product(session, sku, role=role).id)
    if kind:
        query = query.where(Movement.kind == fields.choice(kind, "kind", rules.MOVEMENT_KINDS))
    if since is not None:
        query = query.where(Movement.at >= fields.moment(since, tz, "from"))
    if until is not None:
        query = query.where(Movement.at <= fields.moment(until, tz, "to", end_of_day=True))
    if receipt is not None:
        query = query.where(Movement.receipt == fields.receipt(receipt))
    if note is not None:
        query = query.where(Movement.note_id == lookup.note(session, note, role=role).id)
    query = query.order_by(Movement.at.desc(), Movement.id.desc())
    if limit is not None:
        query = query.limit(fields.identifier(limit, "limit"))
    return [records.Movement(**row._asdict()) for row in session.execute(query)]
