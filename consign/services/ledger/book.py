"""The book itself: how one movement is written, how the running stock is kept guarded,
how notes are numbered and how the period lock is checked. Used by every use case.

Stock never goes below zero, on SQLite and on PostgreSQL, also at once: the ``stock`` row
of (hotel, product) is changed with ``UPDATE … WHERE on_hand + :delta >= 0`` in the same
transaction as the movement. On SQLite a writing transaction holds the database's write
lock from its ``BEGIN IMMEDIATE``; on PostgreSQL the UPDATE locks the row and, under READ
COMMITTED, re-evaluates its WHERE against the row as the previous writer committed it.

A movement dated before the latest one of its (hotel, product) must not make the stock
negative at any later moment either; only then is the ledger of that pair scanned. The scan
also looks at the stock as settled, where a void that cancels its movement counts at that
movement's time; a void that cancels a movement that added units is scanned that way from
the movement's time on.

The statements of the paths taken for every sale are built once, here, and executed with
parameters: building a SQLAlchemy statement costs more than SQLite takes to run it.
"""

from datetime import datetime, tzinfo
from functools import cache

from sqlalchemy import Integer, bindparam, case, func, select, update
from sqlalchemy.orm import Session, aliased

from consign import ledger as rules
from consign import policy, records
from consign.context import Context
from consign.errors import InsufficientStock, NeverPlaced, NotFound, PeriodClosed
from consign.i18n import msg
from consign.models import ClosedPeriod, Counter, Hotel, Movement, Stock
from consign.models.base import Moment
from consign.periods import Period, shown
from consign.services import audit

STOCK = Stock.__table__
COUNTERS = Counter.__table__
MOVEMENTS = Movement.__table__


def _param(name: str, type_=Integer):
    return bindparam(name, type_=type_)


_HOTEL, _PRODUCT, _DELTA, _AT = (
    _param("the_hotel"),
    _param("the_product"),
    _param("delta"),
    _param("moment", Moment()),
)


def _pair(hotel_id: int, product_id: int, **more) -> dict:
    """Parameters of the statements below (named apart from columns, as UPDATE requires)."""
    return {"the_hotel": hotel_id, "the_product": product_id, **more}


def dialect_insert(session: Session, entity):
    """``INSERT`` that knows ``ON CONFLICT DO NOTHING`` on this session's database."""
    return _dialect_insert(session.get_bind().dialect.name, entity)


def _dialect_insert(dialect: str, entity):
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(entity)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(entity)


@cache
def _insert_ignoring(dialect: str, entity, key: tuple[str, ...], returning: bool = False):
    """``INSERT … ON CONFLICT (key) DO NOTHING`` for this dialect (a plain ``INSERT`` without
    a key), built once."""
    statement = _dialect_insert(dialect, entity)
    if key:
        statement = statement.on_conflict_do_nothing(index_elements=key)
    return statement.returning(entity.c.id) if returning else statement


# ---- the period lock --------------------------------------------------------------------

_CLOSED_THROUGH = select(func.max(ClosedPeriod.period)).where(ClosedPeriod.hotel_id == _HOTEL)
_CLOSED_BEFORE = _CLOSED_THROUGH.where(
    ClosedPeriod.period < bindparam("before", type_=ClosedPeriod.period.type))


def closed_through(session: Session, hotel_id: int, before: Period | None = None) -> str | None:
    """The latest closed period of the hotel (``2020-10``), or None; with ``before``, the
    latest one before that period. The one place that reads how far the books are closed."""
    if before is None:
        return session.connection().scalar(_CLOSED_THROUGH, {"the_hotel": hotel_id})
    return session.connection().scalar(_CLOSED_BEFORE, {"the_hotel": hotel_id,
                                                         "before": str(before)})


_SHARE_BY_ID = select(Hotel.id).where(Hotel.id == bindparam("hotel")).with_for_update(read=True)
_SHARE_BY_CODE = select(Hotel.id).where(Hotel.code == bindparam("hotel")).with_for_update(read=True)


def hold_books(session: Session, hotel: int | str) -> None:
    """Share-lock the hotel's row (by id or code) until the transaction ends, before reading
    its closed periods. ``close`` holds that row exclusively while it issues a month, so a
    movement recorded meanwhile waits for the close to commit and then sees the month
    closed, instead of slipping into it unsettled. On SQLite every writer already holds
    the database's write lock from BEGIN IMMEDIATE."""
    if session.get_bind().dialect.name != "postgresql":
        return
    query = _SHARE_BY_ID if isinstance(hotel, int) else _SHARE_BY_CODE
    session.connection().execute(
        query, {"hotel": hotel if isinstance(hotel, int) else hotel.upper()}
    )


def ensure_open(session: Session, hotel_id: int, at: datetime, tz: tzinfo) -> None:
    """Refuse a movement dated in or before the latest period closed for the hotel."""
    hold_books(session, hotel_id)
    latest = closed_through(session, hotel_id)
    if rules.is_closed(latest, at, tz):
        code = session.scalar(select(Hotel.code).where(Hotel.id == hotel_id))
        refuse_closed(code, latest, at, tz)


def refuse_closed(hotel: str, latest: str | None, at: datetime, tz: tzinfo) -> None:
    """Refuse a movement of ``hotel`` dated in or before ``latest``, its last closed period."""
    if rules.is_closed(latest, at, tz):
        raise PeriodClosed(msg(
            "Cannot record a movement dated {at} at {hotel}: its books are closed through "
            "{latest}. Date the correction in an open period.", at=shown(at, tz), hotel=hotel,
            latest=latest), field="at")


# ---- numbers ----------------------------------------------------------------------------

_ADVANCE = (
    update(COUNTERS)
    .where(COUNTERS.c.name == _param("series", COUNTERS.c.name.type))
    .values(value=COUNTERS.c.value + 1)
    .returning(COUNTERS.c.value)
)


def next_number(session: Session, kind: str, at: datetime, tz: tzinfo) -> str:
    """The next number of a note of this kind and year: ``PL-2020-00042``, without gaps."""
    series = rules.note_series(kind, at, tz)
    dialect = session.get_bind().dialect.name
    connection = session.connection()
    connection.execute(_insert_ignoring(dialect, COUNTERS, ("name",)), {"name": series, "value": 0})
    value = connection.scalar(_ADVANCE, {"series": series})
    return rules.note_number(series, value)


# ---- the guarded running stock ----------------------------------------------------------

_PAIR = (STOCK.c.hotel_id == _HOTEL, STOCK.c.product_id == _PRODUCT)
_MOVE = (
    update(STOCK)
    .where(*_PAIR, STOCK.c.on_hand + _DELTA >= 0)
    .values(
        on_hand=STOCK.c.on_hand + _DELTA,
        last_at=case(
            (STOCK.c.last_at.is_(None) | (STOCK.c.last_at < _AT), _AT), else_=STOCK.c.last_at
        ),
    )
    .returning(STOCK.c.on_hand, (STOCK.c.last_at > _AT).label("backdated"))
)
_STOCK_ROW = select(STOCK.c.on_hand, STOCK.c.last_at).where(*_PAIR)


def open_stock(session: Session, hotel_id: int, product_id: int) -> None:
    """Create the stock row of a pair on its first placement; safe when two do it at once."""
    statement = _insert_ignoring(session.get_bind().dialect.name, STOCK, ("hotel_id", "product_id"))
    session.connection().execute(
        statement, {"hotel_id": hotel_id, "product_id": product_id, "on_hand": 0}
    )


def move_stock(session: Session, hotel_id: int, product_id: int, delta: int, at: datetime):
    """Add ``delta`` to the pair's stock unless that makes it negative.

    Returns ``(on_hand, backdated)`` after the change, ``backdated`` telling whether the
    pair already has a movement dated after ``at``; or None when it was refused (or the pair
    has no stock row: never placed there)."""
    params = _pair(hotel_id, product_id, delta=delta, moment=at)
    row = session.connection().execute(_MOVE, params).first()
    return None if row is None else tuple(row)


def stock_row(session: Session, hotel_id: int, product_id: int) -> tuple[int, datetime | None]:
    """``(on_hand, last_at)`` of the pair; ``(0, None)`` if it was never placed there."""
    row = session.connection().execute(_STOCK_ROW, _pair(hotel_id, product_id)).first()
    return (0, None) if row is None else tuple(row)


_PAIR_MOVES = (Movement.hotel_id == _HOTEL, Movement.product_id == _PRODUCT)

# A reversal recorded while its movement's period is still open cancels it there: the
# statements count it at the time of what it cancels (SPEC section 3), its ``counts_at``.
# Along ``counts_at`` a movement and its cancelling reversal fall on the same moment and
# net out; the stock so seen, the stock as settled, must never go below zero either.

def _timeline(time):
    """The pair's balance just after each moment of its movements, taken at ``time``."""
    return (
        select(time.label("at"), func.sum(Movement.qty).over(order_by=time).label("balance"))
        .where(*_PAIR_MOVES)
        .subquery()
    )


def _least_from(time) -> tuple:
    """The least balance at the moments from ``:moment`` on, and the balance at it."""
    timeline = _timeline(time)
    return (
        select(func.min(timeline.c.balance)).where(timeline.c.at >= _AT).scalar_subquery(),
        select(func.coalesce(func.sum(Movement.qty), 0))
        .where(*_PAIR_MOVES, time <= _AT)
        .scalar_subquery(),
    )


_LEAST_FROM = select(*_least_from(Movement.at), *_least_from(Movement.counts_at))
_SETTLED_TIMELINE = _timeline(Movement.counts_at)
_FIRST_SHORT_SETTLED = (
    select(_SETTLED_TIMELINE.c.at, _SETTLED_TIMELINE.c.balance)
    .where(_SETTLED_TIMELINE.c.at >= _AT, _SETTLED_TIMELINE.c.balance < 0)
    .order_by(_SETTLED_TIMELINE.c.at)
    .limit(1)
)


def available_from(session: Session, hotel_id: int, product_id: int, at: datetime) -> int:
    """The least stock the pair has at any moment from ``at`` on (ties count together), as
    the movements stand and as settled (cancelling reversals at the time of what they
    cancel)."""
    least = session.connection().execute(_LEAST_FROM, _pair(hotel_id, product_id, moment=at))
    return min(units for units in least.one() if units is not None)


def refuse_short_cancel(session: Session, ctx: Context, original: Movement, what: str) -> None:
    """Refuse the cancelling reversal just recorded of ``original``, a movement that added
    units, if without the two the pair's stock as settled goes below zero at any moment
    from ``original``'s time on: that period's statement would close with less than
    nothing on the shelf."""
    params = _pair(original.hotel_id, original.product_id, moment=original.counts_at)
    short = session.connection().execute(_FIRST_SHORT_SETTLED, params).first()
    if short is not None:
        at, balance = short
        raise InsufficientStock(msg(
            "Cannot {what}: only {left} on hand at {at}. Its period {period} is still open, "
            "so the void cancels it there, from {since} on.", what=what,
            left=balance + original.qty, at=shown(at, ctx.tz),
            period=str(Period.of(original.counts_at, ctx.tz)),
            since=shown(original.counts_at, ctx.tz)))


# ---- writing one movement ---------------------------------------------------------------


def record(
    session: Session, ctx: Context, values: dict, what, names: dict,
    conflict: tuple[str, ...] = (),
) -> records.Movement | None:
    """Append one movement, move the stock with it, and write its audit entry; the record
    of the movement written.

    ``what`` completes the refusal "Cannot {what}: only N on hand." ``names`` are the
    codes the entry names (``hotel``, ``consignor``, ``sku``, and ``note`` if any). With
    ``conflict`` (the columns of a unique key) a movement that would repeat one already
    there is not written and None is returned; the caller decides what that means. No ORM
    object is made: a movement is never changed, so there is nothing for one to track."""
    statement = _insert_ignoring(session.get_bind().dialect.name, MOVEMENTS, conflict, True)
    values = {**_NOTHING, "actor": ctx.actor, "recorded_at": ctx.now, "receipt_version": 0,
              **values}
    values["counts_at"] = values["counts_at"] or values["at"]
    movement_id = session.connection().scalar(statement, values)
    if movement_id is None:
        return None
    _move(session, ctx, values, what, names)
    detail = audit.movement_detail(
        values["kind"], names["hotel"], names["consignor"], names["sku"], values["qty"],
        values["unit_price"], values["receipt"], values["payment"], names.get("note"),
        values["reason"], values["liable"], values["reverses_id"])
    audit.record_many(session, [audit.movement_entry(ctx, movement_id, values["at"], detail)])
    return records.movement_written(movement_id, values, names)


_NOTHING = {column.name: None for column in MOVEMENTS.c if column.name != "id"}


def _move(session: Session, ctx: Context, values: dict, what, names: dict) -> None:
    hotel_id, product_id, qty, at = (values["hotel_id"], values["product_id"], values["qty"],
                                     values["at"])
    if qty > 0:
        open_stock(session, hotel_id, product_id)
    after = move_stock(session, hotel_id, product_id, qty, at)
    if after is None or (qty < 0 and after[1]):
        _refuse_if_short(session, ctx, values, what, names, current=after is None)


def _refuse_if_short(
    session: Session, ctx: Context, values: dict, what, names: dict, current: bool
) -> None:
    """Refuse a movement that takes more than there is: now (``current``), or at some moment
    from its own date on when it is dated before the pair's latest movement; and one of
    goods never placed at the hotel, saying so."""
    hotel_id, product_id, qty, at = (values["hotel_id"], values["product_id"], values["qty"],
                                     values["at"])
    row = session.connection().execute(_STOCK_ROW, _pair(hotel_id, product_id)).first()
    if row is None:
        if policy.scope(ctx.role).hotel is not None:  # another hotel's goods: not its own
            raise NotFound(msg("No product with SKU {sku}.", sku=names["sku"]), field="sku")
        raise NeverPlaced(never_placed(names["sku"], names["hotel"]), field="sku")
    on_hand, last_at = row
    if last_at is not None and last_at > at:
        least = available_from(session, hotel_id, product_id, at)
        if least < 0 or current:
            raise InsufficientStock(msg("Cannot {what}: only {left} on hand at {at}.",
                                        what=what, left=least - qty, at=shown(at, ctx.tz)))
    elif current:
        raise InsufficientStock(msg("Cannot {what}: only {left} on hand.", what=what,
                                    left=on_hand))


def never_placed(sku: str, hotel: str):
    """The one sentence for goods a hotel never received."""
    return msg("{sku} was never placed at {hotel}.", sku=sku, hotel=hotel)


def in_force_condition(movement=Movement):
    """SQL: ``movement`` is in force, its chain of voids holding an even number of
    reversals (``ledger.in_force``)."""
    chain = aliased(Movement)
    reversals = (select(func.count(chain.id)).where(chain.root_id == movement.id)
                 .scalar_subquery())
    return reversals % 2 == 0


def latest_price_of(hotel_id, product_id, at):
    """The query of :func:`latest_price`, over any expressions (to use inside another)."""
    return (
        select(Movement.unit_price)
        .where(
            Movement.hotel_id == hotel_id,
            Movement.product_id == product_id,
            Movement.kind == "placed",
            Movement.at <= at,
            in_force_condition(),
        )
        .order_by(Movement.at.desc(), Movement.id.desc())
        .limit(1)
    )


_LATEST_PRICE = latest_price_of(_HOTEL, _PRODUCT, _AT)


def latest_price(session: Session, hotel_id: int, product_id: int, at: datetime) -> int | None:
    """The unit price of the latest placement of the product at the hotel up to ``at``
    (placements voided do not count, unless the void was voided), or None."""
    return session.connection().scalar(_LATEST_PRICE, _pair(hotel_id, product_id, moment=at))
