"""The book itself: how one movement is written, how the running stock is kept guarded,
how notes are numbered and how the period lock is checked. Used by every use case.

Stock never goes below zero, on SQLite and on PostgreSQL, also at once: the ``stock`` row
of (hotel, product) is changed with ``UPDATE … WHERE on_hand + :delta >= 0`` in the same
transaction as the movement. On SQLite a writing transaction holds the database's write
lock from its ``BEGIN IMMEDIATE``; on PostgreSQL the UPDATE locks the row and, under READ
COMMITTED, re-evaluates its WHERE against the row as the previous writer committed it.

A movement dated before the latest one of its (hotel, product) must not make the stock
negative at any later moment either; only then is the ledger of that pair scanned.
"""

from datetime import UTC, datetime, tzinfo

from sqlalchemy import bindparam, case, func, select, update
from sqlalchemy.orm import Session, aliased

from consign.context import Context
from consign.errors import InsufficientStock, InvalidInput, PeriodClosed
from consign.models import ClosedPeriod, Counter, Hotel, Movement, Stock
from consign.models.base import Moment
from consign.periods import Period

NOTE_PREFIX = {"placement": "PL", "return": "RT", "loss": "LS", "count": "SO"}
STOCK = Stock.__table__
_AT = bindparam("at", type_=Moment())


def moment(ctx: Context, at: datetime | None) -> datetime:
    """The business time of a movement: ``at``, else now; a moment in the future is refused."""
    if at is None:
        return ctx.now
    if at.tzinfo is None:
        raise InvalidInput(f"time {at.isoformat()} has no time zone")
    if at > ctx.now:
        raise InvalidInput(f"time {shown(at, ctx.tz)} is in the future")
    return at.astimezone(UTC)


def shown(at: datetime, tz: tzinfo) -> str:
    """A moment as people read it in the business time zone: ``2020-10-05 14:30``."""
    return at.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def dialect_insert(session: Session, entity):
    """``INSERT`` that knows ``ON CONFLICT DO NOTHING`` on this session's database."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(entity)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(entity)


# ---- the period lock --------------------------------------------------------------------

def closed_through(session: Session, hotel_id: int) -> str | None:
    """The latest closed period of the hotel (``2020-10``), or None."""
    return session.scalar(
        select(func.max(ClosedPeriod.period)).where(ClosedPeriod.hotel_id == hotel_id)
    )


def ensure_open(session: Session, hotel_id: int, at: datetime, tz: tzinfo) -> None:
    """Refuse a movement dated in or before the latest period closed for the hotel."""
    latest = closed_through(session, hotel_id)
    if latest is not None and str(Period.of(at, tz)) <= latest:
        code = session.scalar(select(Hotel.code).where(Hotel.id == hotel_id))
        raise PeriodClosed(
            f"Cannot record a movement dated {shown(at, tz)} at {code}: its books are closed "
            f"through {latest}. Date the correction in an open period."
        )


# ---- numbers ----------------------------------------------------------------------------

def next_number(session: Session, kind: str, at: datetime, tz: tzinfo) -> str:
    """The next number of a note of this kind and year: ``PL-2020-00042``, without gaps."""
    series = f"{NOTE_PREFIX[kind]}-{at.astimezone(tz).year}"
    session.execute(
        dialect_insert(session, Counter.__table__)
        .values(name=series, value=0)
        .on_conflict_do_nothing(index_elements=["name"])
    )
    value = session.scalar(
        update(Counter.__table__)
        .where(Counter.name == series)
        .values(value=Counter.value + 1)
        .returning(Counter.value)
    )
    return f"{series}-{value:05d}"


# ---- the guarded running stock ----------------------------------------------------------

def open_stock(session: Session, hotel_id: int, product_id: int) -> None:
    """Create the stock row of a pair on its first placement; safe when two do it at once."""
    session.execute(
        dialect_insert(session, STOCK)
        .values(hotel_id=hotel_id, product_id=product_id, on_hand=0)
        .on_conflict_do_nothing(index_elements=["hotel_id", "product_id"])
    )


def move_stock(session: Session, hotel_id: int, product_id: int, delta: int, at: datetime):
    """Add ``delta`` to the pair's stock unless that makes it negative.

    Returns ``(on_hand, last_at)`` after the change, or None when it was refused (or the
    pair has no stock row: never placed there)."""
    latest = case((STOCK.c.last_at.is_(None) | (STOCK.c.last_at < _AT), _AT), else_=STOCK.c.last_at)
    row = session.execute(
        update(STOCK)
        .where(
            STOCK.c.hotel_id == hotel_id,
            STOCK.c.product_id == product_id,
            STOCK.c.on_hand + delta >= 0,
        )
        .values(on_hand=STOCK.c.on_hand + delta, last_at=latest)
        .returning(STOCK.c.on_hand, STOCK.c.last_at),
        {"at": at},
    ).first()
    return None if row is None else tuple(row)


def on_hand(session: Session, hotel_id: int, product_id: int) -> int:
    stored = session.scalar(
        select(Stock.on_hand).where(Stock.hotel_id == hotel_id, Stock.product_id == product_id)
    )
    return stored or 0


def available_from(session: Session, hotel_id: int, product_id: int, at: datetime) -> int:
    """The least stock the pair has at any moment from ``at`` on (ties count together)."""
    balance = (
        func.sum(Movement.qty).over(order_by=Movement.at).label("balance")
    )
    timeline = (
        select(Movement.at, balance)
        .where(Movement.hotel_id == hotel_id, Movement.product_id == product_id)
        .subquery()
    )
    before = select(func.coalesce(func.sum(Movement.qty), 0)).where(
        Movement.hotel_id == hotel_id, Movement.product_id == product_id, Movement.at <= at
    )
    later = select(func.min(timeline.c.balance)).where(timeline.c.at >= at)
    least_later = session.scalar(later)
    at_moment = session.scalar(before)
    return at_moment if least_later is None else min(at_moment, least_later)


# ---- writing one movement ---------------------------------------------------------------

def record(
    session: Session, ctx: Context, values: dict, what: str, conflict: tuple[str, ...] = ()
) -> Movement | None:
    """Append one movement and move the stock with it.

    ``what`` completes the refusal "Cannot {what}: only N on hand." With ``conflict`` (the
    columns of a unique key) a movement that would repeat one already there is not written
    and None is returned; the caller decides what that means."""
    statement = dialect_insert(session, Movement).values(
        actor=ctx.actor, recorded_at=ctx.now, **values
    )
    if conflict:
        statement = statement.on_conflict_do_nothing(index_elements=list(conflict))
    movement = session.scalar(statement.returning(Movement))
    if movement is not None:
        _move(session, ctx, movement, what)
    return movement


def _move(session: Session, ctx: Context, movement: Movement, what: str) -> None:
    hotel_id, product_id, qty, at = (
        movement.hotel_id, movement.product_id, movement.qty, movement.at
    )
    if qty > 0:
        open_stock(session, hotel_id, product_id)
    after = move_stock(session, hotel_id, product_id, qty, at)
    if after is None or (qty < 0 and after[1] > at):
        _refuse_if_short(session, ctx, movement, what, current=after is None)


def _refuse_if_short(session: Session, ctx: Context, movement: Movement, what: str,
                     current: bool) -> None:
    """Refuse a movement that takes more than there is: now (``current``), or at some moment
    from its own date on when it is dated before the pair's latest movement."""
    hotel_id, product_id, qty, at = (
        movement.hotel_id, movement.product_id, movement.qty, movement.at
    )
    last_at = session.scalar(
        select(Stock.last_at).where(Stock.hotel_id == hotel_id, Stock.product_id == product_id)
    )
    if last_at is not None and last_at > at:
        least = available_from(session, hotel_id, product_id, at)
        if least < 0 or current:
            raise InsufficientStock(
                f"Cannot {what}: only {least - qty} on hand at {shown(at, ctx.tz)}."
            )
    elif current:
        raise InsufficientStock(
            f"Cannot {what}: only {on_hand(session, hotel_id, product_id)} on hand."
        )


def latest_price(session: Session, hotel_id: int, product_id: int, at: datetime) -> int | None:
    """The unit price of the latest placement of the product at the hotel up to ``at``
    (placements since voided do not count), or None if there is none."""
    reversal = aliased(Movement)
    voided = select(reversal.id).where(reversal.reverses_id == Movement.id).exists()
    return session.scalar(
        select(Movement.unit_price)
        .where(
            Movement.hotel_id == hotel_id,
            Movement.product_id == product_id,
            Movement.kind == "placed",
            Movement.at <= at,
            ~voided,
        )
        .order_by(Movement.at.desc(), Movement.id.desc())
        .limit(1)
    )
