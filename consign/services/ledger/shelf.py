"""What is on each shelf, first in first out, computed in the database: the set-based twin
of :func:`consign.aging.on_shelf`, for the reports that age every shelf of the programme at
once (``stock --as-of``, ``audit placements``, ``audit aging``, ``audit sales``).

Units leave a shelf in the order they came, and a take from an empty shelf is owed and paid
from the next units to come (:mod:`consign.aging`). So, numbering the units that came (the
movements in force that add units, in the order of their moments and ids) 1, 2, … I and
those taken 1, 2, … O, the n-th unit taken is always the n-th that came, and what is on the
shelf is the newest I − O units that came: as many as are on hand, the sum of every
movement up to then (a reversal cancels what it voids and is never dated before it).

Those units are found by walking back from the newest movement that added units, one such
movement at a time (a recursive query: an index seek per lot), until they cover what is
asked: the work grows with the shelves and their lots, not with the sales.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from sqlalchemy import and_, case, func, literal, literal_column, or_, select
from sqlalchemy.orm import Session, aliased

from consign import aging
from consign import ledger as rules
from consign.models import Movement, Stock
from consign.services import local_days

LAST_ID = 2**62  # after every movement id: a bound that takes every movement of its moment


def adds(movement=Movement):
    """SQL: ``movement`` adds units to its shelf and is no reversal (a placement, a count's
    surplus). Written with literal constants: SQLite uses the partial index
    ``ix_movements_inflows`` only for a condition it can read as the index's own."""
    return and_(movement.qty > literal_column("0"),
                movement.kind != literal_column("'reversal'"))


def takes(movement=Movement):
    """SQL: ``movement`` takes units from its shelf and is no reversal (a sale, a return, a
    write-off, a count's shortage); its kinds listed, for the index that starts with them."""
    return and_(movement.qty < 0,
                movement.kind.in_([kind for kind in rules.MOVEMENT_KINDS if kind != "reversal"]))


def takes_unsold(movement=Movement):
    """SQL: ``movement`` takes units and is neither a sale nor a reversal (a return, a
    write-off, a count's shortage): the partial index ``ix_movements_takes``'s condition."""
    return and_(movement.qty < literal_column("0"),
                movement.kind.not_in([literal_column("'sold'"), literal_column("'reversal'")]))


def by_shelf(movement=Movement):
    """SQL: ``movement`` is of the stock row's shelf, read shelf by shelf: the stock row is
    the outer loop and each shelf's movements one seek down an index that begins with the
    shelf (its hotel taken as a value, so that the planner cannot drive the join from the
    movements of a hotel over a span of moments, reading every movement of the span)."""
    return and_(movement.hotel_id == Stock.hotel_id + literal_column("0"),
                movement.product_id == Stock.product_id)


def before(movement, at, movement_id):
    """SQL: ``movement`` comes before the moment ``at`` and, at that moment, before the id
    ``movement_id`` (:data:`LAST_ID`: every movement of the moment; 0: none)."""
    return and_(movement.at <= at, or_(movement.at < at, movement.id < movement_id))


def voided(moment: datetime | None = None, inclusive: bool = True):
    """The ids of the movements that the reversals dated up to ``moment`` (at or before it;
    else before it; without one, of any date) leave voided: their chains of voids hold an
    odd number of reversals."""
    reversal = aliased(Movement)
    query = select(reversal.root_id).where(reversal.root_id.is_not(None))
    if moment is not None:
        query = query.where(reversal.at <= moment if inclusive else reversal.at < moment)
    return query.group_by(reversal.root_id).having(func.count() % 2 == 1)


def walk(requests, voids):
    """The units that came to shelves, newest first, as far as ``requests`` ask: a recursive
    CTE. Each request (columns ``hotel_id``, ``product_id``, ``bound_at``, ``bound_id``,
    ``lo``, ``hi``, ``sign``) asks for the units at depths ``lo`` + 1 … ``hi`` counted back
    from the newest unit that came before (``bound_at``, ``bound_id``), in movements not
    voided (``voids``: a query of ids). Each row is one movement that added units (``at``,
    ``id``, ``qty``), with ``newer``: the units it and the newer ones brought; the units of
    it asked are ``min(newer, hi) - max(newer - qty, lo)`` where that is positive."""
    def newest_before(shelf, at, movement_id):
        came = aliased(Movement)
        return (select(came.id)
                .where(came.hotel_id == shelf.hotel_id, came.product_id == shelf.product_id,
                       adds(came), before(came, at, movement_id), came.id.not_in(voids))
                .order_by(came.at.desc(), came.id.desc()).limit(1).scalar_subquery())

    first = aliased(Movement)
    found = (
        select(requests.c.hotel_id, requests.c.product_id, requests.c.lo, requests.c.hi,
               requests.c.sign, first.at, first.id, first.qty, first.qty.label("newer"))
        .join(first, first.id == newest_before(requests.c, requests.c.bound_at,
                                               requests.c.bound_id))
        .where(requests.c.hi > requests.c.lo)
        .cte("walk", recursive=True))
    last, older = found.alias("last"), aliased(Movement)
    return found.union_all(
        select(last.c.hotel_id, last.c.product_id, last.c.lo, last.c.hi, last.c.sign,
               older.at, older.id, older.qty, last.c.newer + older.qty)
        .join(older, older.id == newest_before(last.c, last.c.at, last.c.id))
        .where(last.c.newer < last.c.hi))


def asked(found):
    """SQL: the units of a :func:`walk` row that its request asked for."""
    return (_least(found.c.newer, found.c.hi)
            - _greatest(found.c.newer - found.c.qty, found.c.lo))


def _least(a, b):
    return case((a < b, a), else_=b)


def _greatest(a, b):
    return case((a > b, a), else_=b)


def held_at(until: datetime):
    """SQL: the units on hand of each stock row's shelf just after ``until`` (the running
    stock less what moved after it), as ``held``."""
    later = aliased(Movement)
    moved = (select(func.coalesce(func.sum(later.qty), 0))
             .where(later.hotel_id == Stock.hotel_id, later.product_id == Stock.product_id,
                    later.at > until).scalar_subquery())
    return (Stock.on_hand - moved).label("held")


def lots(session: Session, shelves, until: datetime, tz: tzinfo) -> dict[tuple[int, int], list]:
    """The lots on each of ``shelves`` (a subquery of ``hotel_id``, ``product_id`` and
    ``held``, the units on hand just after ``until``), oldest first: per (hotel id, product
    id), the :class:`consign.aging.Lot` of each movement that brought units still there
    (the business day in ``tz`` it came, and how many of its units are left)."""
    rows = session.connection().execute(
        lots_query(shelves, until, tz, session.get_bind().dialect.name)).all()
    shelved: dict[tuple[int, int], list] = {}
    for hotel_id, product_id, number, units in rows:
        shelved.setdefault((hotel_id, product_id), []).append(
            aging.Lot(local_days.day_of(number), units))
    return shelved


def lots_query(shelves, until: datetime, tz: tzinfo, dialect: str):
    """The query of :func:`lots`: (hotel id, product id, day number, units) of each lot,
    oldest first."""
    requests = select(shelves.c.hotel_id, shelves.c.product_id,
                      literal(until, Movement.at.type).label("bound_at"),
                      literal(LAST_ID).label("bound_id"), literal(0).label("lo"),
                      shelves.c.held.label("hi"), literal(1).label("sign")).subquery()
    found = walk(requests, voided(until))
    day = local_days.day_number(found.c.at, dialect, tz, end=until)
    return (select(found.c.hotel_id, found.c.product_id, day, asked(found))
            .where(found.c.newer > found.c.lo)
            .order_by(found.c.hotel_id, found.c.product_id, found.c.at, found.c.id))
