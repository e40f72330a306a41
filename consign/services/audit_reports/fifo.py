"""How long sold goods were on the shelf, first in first out: each sale takes the oldest
units on the shelf (:mod:`consign.aging`), and the days between the day those units came
and the day of the sale are its units' days to sell. :func:`days_to_sell` reads one
shelf's movements, over plain values (the reference); :func:`sold_days` the same figures
for every shelf at once, in the database."""

from __future__ import annotations

import hashlib
from collections import defaultdict, deque
from collections.abc import Iterable
from datetime import date, datetime, tzinfo

from sqlalchemy import and_, case, func, insert, literal, or_, select, tuple_, union_all
from sqlalchemy.orm import Session, aliased

from consign import aging
from consign.models import ClosedPeriod, Hotel, Movement, Product, ShelfMonth, Stock
from consign.periods import Period, end_of, local_date, parse_period, start_of
from consign.services import local_days
from consign.services.ledger import shelf


def days_to_sell(moves: Iterable[aging.Move], first: date, last: date) -> tuple[int, int]:
    """``(units, unit_days)`` of the sales of one shelf dated ``first`` through ``last``:
    the units they took from the shelf and the sum over those units of their days on it.
    ``moves`` in the order they happened, voided ones included (they count as if they
    never happened). Units a sale took from an empty shelf (possible only where a void
    later removed the units it took) have no age and are left out (and are paid from the
    next units to come, as :func:`consign.aging.on_shelf` does)."""
    lots: deque[list] = deque()
    units = unit_days = owed = 0
    for move in aging.in_force(moves):
        if move.qty > 0:
            paid = min(owed, move.qty)
            owed -= paid
            if move.qty > paid:
                lots.append([move.day, move.qty - paid])
            continue
        wanted, counted = -move.qty, move.kind == "sold" and first <= move.day <= last
        while wanted and lots:
            taken = min(wanted, lots[0][1])
            if counted:
                units += taken
                unit_days += taken * (move.day - lots[0][0]).days
            lots[0][1] -= taken
            wanted -= taken
            if not lots[0][1]:
                lots.popleft()
        owed += wanted
    return units, unit_days


# ---- the same figures over every shelf at once, in the database ----------------------------
#
# Number the units that came to a shelf (in force, in the order of their movements) and
# those taken: the n-th unit taken is the n-th that came (consign.services.ledger.shelf).
# The units taken in the range are those after the O taken before it, up to the O' taken
# by its end; they are the units on the shelf at its start, and those that came in it, less
# those still there at its end: so their days on the shelf come from a few walks back
# through the movements that added units (:func:`shelf.walk`), not from the sales one by
# one. The days of the units the range's returns, write-offs and count shortages took come
# out the same way, a walk from each of them (they are few). The sales are read once, for
# their units and days.
#
# A unit taken from an empty shelf (owed) has no age: that can happen only where a void
# removed the units a later take took (a voided placement or count surplus, or a take put
# back by the void of its void), or where, at one moment, a take comes before (by id) the
# movement that brings its units: the stock is never short at the end of any moment (the
# ledger refuses it). Such shelves, few, are read one movement at a time, by
# :func:`days_to_sell` itself.


def sold_days(session: Session, tz: tzinfo, first: date, last: date, *scope,
              taken_through: str | None = None) -> dict[tuple[str, str], tuple[int, int]]:
    """:func:`days_to_sell` of every shelf (stock row) within ``scope`` (conditions on
    :class:`Stock`) with a sale dated ``first`` through ``last`` (in force or not), by
    (hotel code, SKU). ``taken_through``: the closed month just before ``first``, whose
    close kept what each shelf had had taken by then (:func:`keep`), at every hotel in
    ``scope``."""
    return {(code, sku): ages for code, sku, ages
            in _by_shelf(session, tz, first, last, *scope, taken_through=taken_through).values()}


def _by_shelf(session: Session, tz: tzinfo, first: date, last: date, *scope,
              taken_through: str | None = None
              ) -> dict[tuple[int, int], tuple[str, str, tuple[int, int]]]:
    """:func:`sold_days`, by (hotel id, product id), each with its hotel's code and SKU."""
    start, end = start_of(first, tz), end_of(last, tz)
    query = _Shelves(session.get_bind().dialect.name, tz, start, end,
                     taken_through).query(scope)
    found, odd = {}, []
    rows = session.connection().execute(query).all()
    for code, sku, hotel_id, product_id, units, days, irregular in rows:
        if irregular:
            odd.append((hotel_id, product_id, code, sku))
        else:
            found[hotel_id, product_id] = (code, sku, (int(units), int(days)))
    found.update(_one_by_one(session, tz, odd, first, last, end))
    return found


# ---- closed months: their figures kept at the close ----------------------------------------
#
# Once a hotel's month is closed, nothing can be dated in it or before it any more, so what
# its sales took, as the ledger stood at its end, never changes: the close keeps it
# (:func:`keep`). The figures of a range of months are those of each of its months as the
# ledger stands at the range's end; a closed month's kept figures are those too, unless a
# void dated after the month, within the range, undid something dated in it or before it
# (the void puts units back, and the later sales of the shelf take other ones). Such
# shelves, few, are computed over the whole range; the others add the kept figures of the
# range's closed months to those computed for the months after them.

def keep(session: Session, tz: tzinfo, hotel_id: int, period: Period) -> str:
    """Keep, for every shelf of the hotel, what its movements dated up to the end of
    ``period`` (which is being closed) took, and its days to sell in the month; the
    :func:`kept_digest` of what it kept, for the close's audit entry."""
    ages = _by_shelf(session, tz, period.first_day, period.last_day,
                     Stock.hotel_id == hotel_id)
    before = period.previous()
    kept_before = session.scalar(select(ClosedPeriod.ages_kept).where(
        ClosedPeriod.hotel_id == hotel_id, ClosedPeriod.period == str(before)))
    taken = defaultdict(int)
    if kept_before:  # what the month before had taken, and the month's own
        taken.update(session.execute(
            select(ShelfMonth.product_id, ShelfMonth.taken)
            .where(ShelfMonth.hotel_id == hotel_id, ShelfMonth.period == str(before))).all())
    since = (Movement.at >= period.start(tz),) if kept_before else ()
    for product_id, units in session.execute(
            select(Movement.product_id, func.sum(-Movement.qty))
            .where(Movement.hotel_id == hotel_id, shelf.takes(Movement), *since,
                   Movement.at < period.end(tz))
            .group_by(Movement.product_id)):
        taken[product_id] += int(units)
    rows = []
    for product_id in session.scalars(select(Stock.product_id).where(Stock.hotel_id == hotel_id)
                                      .order_by(Stock.product_id)):
        _code, _sku, (units, days) = ages.get((hotel_id, product_id), ("", "", (0, 0)))
        rows.append({"hotel_id": hotel_id, "period": str(period), "product_id": product_id,
                     "taken": taken[product_id], "sold": (hotel_id, product_id) in ages,
                     "units": units, "unit_days": days})
    if rows:
        session.execute(insert(ShelfMonth), rows)
    return kept_digest((row["product_id"], row["taken"], row["sold"], row["units"],
                        row["unit_days"]) for row in rows)


def kept_digest(rows: Iterable[tuple[int, int, bool, int, int]]) -> str:
    """The SHA-256 of a hotel's kept month, from its shelves' rows ``(product id, taken,
    sold, units, unit days)`` in the order of their product ids: what ``consign check``
    holds the kept rows to."""
    text = "\n".join(f"{product},{taken},{int(bool(sold))},{units},{days}"
                     for product, taken, sold, units, days in rows)
    return hashlib.sha256(text.encode()).hexdigest()


def sold_in_months(session: Session, tz: tzinfo, first: Period, last: Period, *scope
                   ) -> dict[tuple[str, str], tuple[int, int]]:
    """:func:`sold_days` of the months ``first`` through ``last``, the same figures, read
    from what the closes kept where they can be: the kept months of the range, and the units
    the month just before it had had taken by its end."""
    kept = _kept_through(session, first, last)
    base = _kept_before(session, first, kept)
    crossing = _crossing(session, tz, first, kept, base, last.end(tz))
    shelves = tuple_(Stock.hotel_id, Stock.product_id)
    apart = (shelves.not_in(sorted(crossing)),) if crossing else ()
    parts = [_kept_figures(session, first, kept, *scope, *apart)]
    for (since, through), hotel_ids in _computed_from(session, first, last, kept, base).items():
        parts.append(sold_days(session, tz, since.first_day, last.last_day, *scope,
                               Stock.hotel_id.in_(hotel_ids), *apart,
                               taken_through=str(through) if through else None).items())
    if crossing:
        parts.append(sold_days(session, tz, first.first_day, last.last_day, *scope,
                               shelves.in_(sorted(crossing))).items())
    found: dict[tuple[str, str], tuple[int, int]] = {}
    for part in parts:
        for key, (units, days) in part:
            before = found.get(key, (0, 0))
            found[key] = (before[0] + units, before[1] + days)
    return found


def _kept_figures(session: Session, first: Period, kept: dict[int, Period], *conditions):
    """((hotel code, SKU), (units, days)) summed over the kept months of each hotel, of
    the shelves within ``conditions`` (on :class:`Stock`) with a sale in them (summed by
    the ids of the shelf, in the order of its key; its codes looked up after)."""
    by_last: dict[Period, list[int]] = defaultdict(list)
    for hotel_id, through in kept.items():
        by_last[through].append(hotel_id)
    if not by_last:
        return
    hotels = dict(session.connection().execute(select(Hotel.id, Hotel.code)).all())
    skus = dict(session.connection().execute(select(Product.id, Product.sku)).all())
    for through, hotel_ids in by_last.items():
        for hotel_id, product_id, units, days in session.connection().execute(
                select(ShelfMonth.hotel_id, ShelfMonth.product_id, func.sum(ShelfMonth.units),
                       func.sum(ShelfMonth.unit_days))
                .join(Stock, and_(Stock.hotel_id == ShelfMonth.hotel_id,
                                  Stock.product_id == ShelfMonth.product_id))
                .where(ShelfMonth.hotel_id.in_(hotel_ids), ShelfMonth.sold,
                       ShelfMonth.period >= str(first), ShelfMonth.period <= str(through),
                       *conditions)
                .group_by(ShelfMonth.hotel_id, ShelfMonth.product_id)):
            yield (hotels[hotel_id], skus[product_id]), (int(units), int(days))


def _computed_from(session: Session, first: Period, last: Period, kept: dict[int, Period],
                   base: set[int]) -> dict[tuple[Period, Period | None], list[int]]:
    """The hotels whose months are computed, by the first of them (the month after the
    kept ones, or ``first`` where none is kept) and the kept month just before it, whose
    units taken they start from (None: none is, they start from the ledger's beginning)."""
    since: dict[tuple[Period, Period | None], list[int]] = defaultdict(list)
    for hotel_id in session.scalars(select(Hotel.id).order_by(Hotel.id)):
        if hotel_id not in kept:
            since[first, first.previous() if hotel_id in base else None].append(hotel_id)
        elif kept[hotel_id] < last:
            since[kept[hotel_id].next(), kept[hotel_id]].append(hotel_id)
    return since


def _kept_through(session: Session, first: Period, last: Period) -> dict[int, Period]:
    """Per hotel whose month ``first`` is closed with its figures kept: the last month of
    the unbroken run of such months from ``first`` (through ``last`` at most)."""
    through: dict[int, Period] = {}
    for hotel_id, period in session.connection().execute(
            select(ClosedPeriod.hotel_id, ClosedPeriod.period)
            .where(ClosedPeriod.ages_kept, ClosedPeriod.period >= str(first),
                   ClosedPeriod.period <= str(last))
            .order_by(ClosedPeriod.hotel_id, ClosedPeriod.period)):
        month = parse_period(period)
        expected = through[hotel_id].next() if hotel_id in through else first
        if month == expected:
            through[hotel_id] = month
    return through


def _kept_before(session: Session, first: Period, kept: dict[int, Period]) -> set[int]:
    """The hotels, none of whose months of the range is kept, whose month just before
    ``first`` was closed with its figures kept."""
    return {hotel_id for hotel_id in session.scalars(
        select(ClosedPeriod.hotel_id).where(ClosedPeriod.ages_kept,
                                            ClosedPeriod.period == str(first.previous())))
        if hotel_id not in kept}


def _crossing(session: Session, tz: tzinfo, first: Period, kept: dict[int, Period],
              base: set[int], end: datetime) -> set[tuple[int, int]]:
    """The shelves whose kept figures are not the range's: at a hotel with kept months of
    the range, where a void dated after ``first`` and before ``end`` belongs to a chain
    begun before the void's month and before the end of the hotel's last kept month; at a
    hotel starting from the kept month before the range (``base``), where a void dated in
    the range belongs to a chain begun before it."""
    bounds = {hotel_id: (first.end(tz), through.end(tz)) for hotel_id, through in kept.items()}
    bounds.update({hotel_id: (first.start(tz), first.start(tz)) for hotel_id in base})
    if not bounds:
        return set()
    reversal, root = aliased(Movement), aliased(Movement)
    found = set()
    for hotel_id, product_id, at, root_at in session.connection().execute(
            select(reversal.hotel_id, reversal.product_id, reversal.at, root.at)
            .join(root, root.id == reversal.root_id)
            .where(reversal.root_id.is_not(None),
                   reversal.at >= min(since for since, _ in bounds.values()),
                   reversal.at < end, reversal.hotel_id.in_(sorted(bounds)))):
        since, kept_end = bounds[hotel_id]
        if at >= since and root_at < Period.of(at, tz).start(tz) and root_at < kept_end:
            found.add((hotel_id, product_id))
    return found


def _one_by_one(session: Session, tz: tzinfo, shelves: list, first: date, last: date,
                end: datetime) -> dict[tuple[int, int], tuple[str, str, tuple[int, int]]]:
    """:func:`days_to_sell` of these shelves ``(hotel id, product id, code, SKU)`` from
    their movements, a few hundred shelves a query."""
    found = {}
    for chunk in range(0, len(shelves), 300):
        names = {(h, p): (code, sku) for h, p, code, sku in shelves[chunk:chunk + 300]}
        moves: dict[tuple[int, int], list[aging.Move]] = {pair: [] for pair in names}
        for hotel_id, product_id, move_id, kind, qty, at, root in session.connection().execute(
                select(Movement.hotel_id, Movement.product_id, Movement.id, Movement.kind,
                       Movement.qty, Movement.at, Movement.root_id)
                .where(tuple_(Movement.hotel_id, Movement.product_id).in_(sorted(names)),
                       Movement.at < end)
                .order_by(Movement.hotel_id, Movement.product_id, Movement.at, Movement.id)
                ).all():
            moves[hotel_id, product_id].append(
                aging.Move(move_id, kind, qty, local_date(at, tz), root))
        found.update({pair: (*names[pair], days_to_sell(pair_moves, first, last))
                      for pair, pair_moves in moves.items()})
    return found


def _pair(a, b):
    return and_(a.hotel_id == b.hotel_id, a.product_id == b.product_id)


def _total(expression):
    return func.coalesce(func.sum(expression), 0)


class _Shelves:
    """The query of :func:`sold_days` for one range (``start`` to ``end``, moments), built
    in steps: each method one part of it."""

    def __init__(self, dialect: str, tz: tzinfo, start: datetime, end: datetime,
                 taken_through: str | None = None):
        self.tz, self.dialect, self.start, self.end = tz, dialect, start, end
        self.taken_through = taken_through
        self.voids = shelf.voided(end, inclusive=False)

    def day(self, at, in_range: bool = False):
        return local_days.day_number(at, self.dialect, self.tz,
                                     self.start if in_range else None, self.end)

    def query(self, scope):
        sold = self.sold(scope)
        gone, lost, odd = self.voids_of()
        taken = self.taken(sold, gone)
        held = self.held(sold, lost, odd, taken)
        requests = self.requests(held, taken, lost)
        came = self.came(shelf.walk(requests, self.voids))
        return (select(Hotel.code, Product.sku, held.c.hotel_id, held.c.product_id,
                       held.c.units, held.c.days - func.coalesce(came.c.days, 0), held.c.odd)
                .join(Hotel, Hotel.id == held.c.hotel_id)
                .join(Product, Product.id == held.c.product_id)
                .outerjoin(came, _pair(came.c, held.c)))

    def sold(self, scope):
        """Per shelf with a sale in the range: the sum of the sales' quantities and of
        their quantities times their days (both negative: sales take units)."""
        sale = aliased(Movement)
        return (select(Stock.hotel_id, Stock.product_id, func.sum(sale.qty).label("qty"),
                       func.sum(sale.qty * self.day(sale.at, True)).label("days"))
                .join(sale, and_(_pair(sale, Stock), sale.kind == "sold",
                                 sale.at >= self.start, sale.at < self.end))
                .where(*scope).group_by(Stock.hotel_id, Stock.product_id).cte("sold"))

    def voids_of(self):
        """The takes voided by the range's end (``gone``), per shelf (``lost``: their units
        before the range, and the units and days of its voided sales), and the shelves read
        one by one for a void (``odd``: a voided movement that added units, or a take put
        back by the void of its void)."""
        reversal, root = aliased(Movement), aliased(Movement)
        chains = (select(reversal.root_id.label("id"), func.count().label("voids"))
                  .where(reversal.root_id.is_not(None), reversal.at < self.end)
                  .group_by(reversal.root_id).subquery("chains"))
        roots = (select(root.hotel_id, root.product_id, root.id, root.at, root.kind,
                        root.qty, (chains.c.voids % 2 == 1).label("voided"))
                 .join(chains, chains.c.id == root.id).cte("roots"))
        gone = (select(roots).where(roots.c.voided, roots.c.qty < 0)).cte("gone")
        sale, later = gone.c.kind == "sold", gone.c.at >= self.start
        lost = (select(gone.c.hotel_id, gone.c.product_id,
                       _total(case((~later, -gone.c.qty), else_=0)).label("before"),
                       _total(case((sale & later, -gone.c.qty), else_=0)).label("qty"),
                       _total(case((sale & later, -gone.c.qty * self.day(gone.c.at)),
                                   else_=0)).label("days"))
                .group_by(gone.c.hotel_id, gone.c.product_id).subquery("lost"))
        odd = (select(roots.c.hotel_id, roots.c.product_id)
               .where(or_(and_(roots.c.qty > 0, roots.c.voided),
                          and_(roots.c.qty < 0, ~roots.c.voided)))
               .group_by(roots.c.hotel_id, roots.c.product_id).subquery("odd"))
        return gone, lost, odd

    def taken(self, sold, gone):
        """The range's takes in force that are no sale, each with the units taken in the
        range before it (``prior``, in force: less the voided ones, ``gone``) and the units
        that came before it (``came``)."""
        take, earlier, came = aliased(Movement), aliased(Movement), aliased(Movement)
        prior = (select(_total(-earlier.qty))
                 .where(_pair(earlier, take), shelf.takes(earlier), earlier.at >= self.start,
                        shelf.before(earlier, take.at, take.id)).scalar_subquery())
        prior_gone = (select(_total(-gone.c.qty))
                      .where(_pair(gone.c, take), gone.c.at >= self.start,
                             shelf.before(gone.c, take.at, take.id)).scalar_subquery())
        brought = (select(_total(came.qty))
                   .where(_pair(came, take), shelf.adds(came),
                          shelf.before(came, take.at, take.id)).scalar_subquery())
        return (select(take.hotel_id, take.product_id, take.at, take.id,
                       (-take.qty).label("qty"), (prior - prior_gone).label("prior"),
                       brought.label("came"))
                .select_from(sold)
                .join(take, and_(_pair(take, sold.c), shelf.takes_unsold(take),
                                 take.at >= self.start, take.at < self.end))
                .where(take.id.not_in(self.voids)).cte("taken"))

    def held(self, sold, lost, odd, taken):
        """Per shelf with a sale in the range: its units sold in force (``units``) and
        their days less those of the units that came in the range (``days``), the units
        taken in force before the range (``before``), the units that came before it
        (``came_before``) and by its end (``came``), the range's other takes (``taken``),
        and whether it is read one by one (``odd``)."""
        came = aliased(Movement)
        took = aliased(Movement)

        def brought(*when):
            return (select(_total(came.qty))
                    .where(_pair(came, sold.c), shelf.adds(came), *when).scalar_subquery())

        in_range = (select(_total(came.qty * self.day(came.at, True)))
                    .where(_pair(came, sold.c), shelf.adds(came), came.at >= self.start,
                           came.at < self.end).scalar_subquery())
        if self.taken_through is None:
            before = (select(_total(-took.qty))
                      .where(_pair(took, sold.c), shelf.takes(took), took.at < self.start)
                      .scalar_subquery())
        else:  # kept by the close of the month before the range (0: a shelf stocked since)
            before = func.coalesce(
                select(ShelfMonth.taken)
                .where(_pair(ShelfMonth, sold.c), ShelfMonth.period == self.taken_through)
                .scalar_subquery(), 0)
        others = (select(taken.c.hotel_id, taken.c.product_id,
                         func.sum(taken.c.qty).label("qty"))
                  .group_by(taken.c.hotel_id, taken.c.product_id).subquery("others"))
        return (select(sold.c.hotel_id, sold.c.product_id,
                       (-sold.c.qty - func.coalesce(lost.c.qty, 0)).label("units"),
                       (-sold.c.days - func.coalesce(lost.c.days, 0) - in_range).label("days"),
                       (before - func.coalesce(lost.c.before, 0)).label("before"),
                       brought(came.at < self.start).label("came_before"),
                       brought(came.at < self.end).label("came"),
                       func.coalesce(others.c.qty, 0).label("taken"),
                       or_(odd.c.hotel_id.is_not(None), self.tied(sold)).label("odd"))
                .outerjoin(lost, _pair(lost.c, sold.c))
                .outerjoin(others, _pair(others.c, sold.c))
                .outerjoin(odd, _pair(odd.c, sold.c)).cte("held"))

    def tied(self, sold):
        """SQL: in the range, a movement that adds units to the shelf comes, at its own
        moment, after (by id) a take: that take may find the shelf empty."""
        came, take = aliased(Movement), aliased(Movement)
        first = (select(take.id).where(_pair(take, came), take.at == came.at,
                                       take.id < came.id, take.qty < 0,
                                       take.kind != "reversal").exists())
        return (select(came.id).where(_pair(came, sold.c), shelf.adds(came),
                                      came.at >= self.start, came.at < self.end, first)
                .exists())

    def requests(self, held, taken, lost):
        """What to walk back for (:func:`shelf.walk`), per shelf not read one by one: the
        units on it at the range's start (sign +1) and at its end (-1), and those each of
        the range's other takes took (-1)."""
        def at(moment):
            return literal(moment, Movement.at.type)

        regular = ~held.c.odd
        start = select(held.c.hotel_id, held.c.product_id, at(self.start).label("bound_at"),
                       literal(0).label("bound_id"), literal(0).label("lo"),
                       (held.c.came_before - held.c.before).label("hi"),
                       literal(1).label("sign")).where(regular)
        end = select(held.c.hotel_id, held.c.product_id, at(self.end), literal(0),
                     literal(0),
                     held.c.came - (held.c.before + held.c.units + held.c.taken),
                     literal(-1)).where(regular)
        depth = taken.c.came - held.c.before - taken.c.prior
        each = (select(taken.c.hotel_id, taken.c.product_id, taken.c.at, taken.c.id,
                       depth - taken.c.qty, depth, literal(-1))
                .join(held, _pair(held.c, taken.c)).where(regular))
        return union_all(start, end, each).subquery("requests")

    def came(self, found):
        """Per shelf, the days of the units walked, each as asked (times its sign)."""
        return (select(found.c.hotel_id, found.c.product_id,
                       func.sum(found.c.sign * self.day(found.c.at) * shelf.asked(found))
                       .label("days"))
                .where(found.c.newer > found.c.lo)
                .group_by(found.c.hotel_id, found.c.product_id).subquery("came"))
