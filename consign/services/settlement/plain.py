"""The month's plain sales, settled where they are kept.

Most of a month's movements are sales in force that no void touches. Each makes exactly the
line :func:`consign.settlement.line_for` makes of it (``-qty`` units at its own price, at
the rate in force on its business day, with its moment, receipt and payment method), and
adds its units to its SKU's ``sold`` column. The database copies those lines and sums them
for the statement's figures, so no Python object is made per sale. Likewise a placement no
void touches makes no line and only adds its units to its SKU's ``placed`` column: the
database sums those per SKU. Every other movement (returns, losses, counts, reversals, a
voided placement, and a sale with a void or without a price) is read into an
:class:`~consign.settlement.Entry` by the caller and goes through the rules one by one.

The business day and the rate of a sale come from two small tables of this transaction's
own: the month's days with their first and last moments in the business time zone, and per
(hotel, IKM) the runs of days with the rate :func:`consign.services.settlement.build.rates`
gives on them; so both rules stay in Python, in one place each.

Every function here works on the month of a set of hotels at once (settling the whole
programme is one statement per step, not one per hotel); results are keyed by
``(hotel_id, consignor_id)``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta, tzinfo

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    cast,
    delete,
    func,
    insert,
    literal,
    literal_column,
    null,
    or_,
    select,
    text,
    true,
    union_all,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.schema import CreateIndex, CreateTable

from consign import settlement
from consign.db import bulk_read
from consign.errors import MissingRate
from consign.models import Hotel, Movement, Product, Statement, StatementLine, Stock
from consign.models.base import Moment, Money
from consign.periods import Period
from consign.services import local_days
from consign.services.ledger import shelf

_SCRATCH = MetaData()

#: the business days of the month being settled, by their number (:mod:`..local_days`)
DAYS = Table(
    "settle_days", _SCRATCH,
    Column("n", Integer, primary_key=True, autoincrement=False),
    Column("day", Date, nullable=False),
    prefixes=["TEMPORARY"],
)
#: per IKM with goods at a hotel, the runs of days of one rate (None: no terms cover them);
#: ``whole``: the run is the whole month (the IKM's rate did not change in it)
RATES = Table(
    "settle_rates3", _SCRATCH,
    Column("hotel_id", Integer, nullable=False),
    Column("consignor_id", Integer, nullable=False),
    Column("first_n", Integer, nullable=False),
    Column("last_n", Integer, nullable=False),
    Column("rate_bp", Integer),
    Column("whole", Boolean, nullable=False),
    prefixes=["TEMPORARY"],
)
_RATES_INDEX = Index("ix_settle_rates3", RATES.c.hotel_id, RATES.c.consignor_id,
                     RATES.c.first_n)

#: the lines the rules made one by one, to be numbered with the plain ones
LINES = Table(
    "settle_lines2", _SCRATCH,
    Column("hotel_id", Integer, nullable=False),
    Column("consignor_id", Integer, nullable=False),
    Column("movement_id", Integer, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("day", Date, nullable=False),
    Column("sku", String(60), nullable=False),
    Column("name", String(200), nullable=False),
    Column("qty", Integer, nullable=False),
    Column("unit_price", Money, nullable=False),
    Column("amount", Money, nullable=False),
    Column("rate_bp", Integer, nullable=False),
    Column("at", Moment),
    Column("receipt", String(60)),
    Column("payment", String(20)),
    Column("note", String(30)),
    Column("reason", String(500)),
    Column("corrects_day", Date),
    Column("corrects_receipt", String(60)),
    Column("corrects_number", String(12)),
    prefixes=["TEMPORARY"],
)

_DETAIL = ("at", "receipt", "payment", "note", "reason", "corrects_day", "corrects_receipt",
           "corrects_number")
_LINE_COLUMNS = ("kind", "day", "sku", "name", "qty", "unit_price", "amount", "rate_bp",
                 "movement_id", *_DETAIL)


def condition():
    """A movement that is a plain sale: sold, priced, without a note, and never voided (no
    reversal reverses it, so none can cancel it; a voided sale goes through the rules)."""
    return and_(Movement.kind == "sold", _sold_plainly(), _never_reversed())


def _sold_plainly():
    """What makes a sale plain beside its never being voided: a price, and no note."""
    return and_(Movement.unit_price.is_not(None), Movement.note_id.is_(None))


def unplain():
    """SQL: a movement that is neither a sale nor a placement, or a sale without a price or
    with a note: with the sales and placements a reversal reverses (:func:`ever_reversed`),
    what is not plain (neither of :func:`condition` nor a placement never reversed).
    Written in the words and constants of the partial index ``ix_movements_unplain``'s
    condition, for SQLite to use it."""
    sold, placed = literal_column("'sold'"), literal_column("'placed'")
    return or_(Movement.kind.not_in([sold, placed]),
               and_(Movement.kind == sold,
                    or_(Movement.unit_price.is_(None), Movement.note_id.is_not(None))))


def ever_reversed():
    """SQL: a reversal reverses the movement (even one whose void was voided in turn: it
    goes through the rules all the same): not :func:`_never_reversed`."""
    return ~_never_reversed()


def _never_reversed():
    """No reversal reverses the movement: its id is not among those the reversals name (a
    list the database makes once, the ledger's reversals being few, and looks each
    movement up in)."""
    reversal = aliased(Movement)
    return Movement.id.not_in(
        select(reversal.reverses_id).where(reversal.reverses_id.is_not(None)))


def at_hotels(column, hotel_ids: list[int]):
    """``column`` is one of the hotels' (an equality for one: the plans stay the simplest)."""
    return column == hotel_ids[0] if len(hotel_ids) == 1 else column.in_(hotel_ids)


def counting_in(hotel_ids: list[int], period: Period, tz: tzinfo, *conditions):
    """SQL: a movement at one of the hotels that counts in ``period`` (by its ``counts_at``),
    and meets ``conditions``."""
    return and_(at_hotels(Movement.hotel_id, hotel_ids), Movement.counts_at >= period.start(tz),
                Movement.counts_at < period.end(tz), *conditions)


def _in_month(hotel_ids: list[int], period: Period, tz: tzinfo):
    return counting_in(hotel_ids, period, tz, condition())


def _scratch(session: Session, table: Table, *indexes: Index) -> None:
    """The transaction's own empty copy of a scratch table (temporary: one per connection,
    never seen by another)."""
    session.execute(CreateTable(table, if_not_exists=True))
    for index in indexes:
        session.execute(CreateIndex(index, if_not_exists=True))
    session.execute(delete(table))


def prepare(session: Session, hotel_ids: list[int], period: Period, tz: tzinfo,
            rate_for: Callable[[int, int], Callable[[date], int]]) -> None:
    """Fill the scratch tables of days and rates for ``period`` at the hotels, for every IKM
    with goods at each (a sale needs a placement first, so its pair has a stock row);
    ``rate_for(hotel_id, consignor_id)`` gives the pair's rate on a day
    (:func:`..build.rates`: pairs of one ``group`` of terms have the same rates)."""
    _scratch(session, DAYS)
    _scratch(session, RATES, _RATES_INDEX)
    days, day = [], period.first_day
    while day <= period.last_day:
        days.append({"n": local_days.number(day), "day": day})
        day += timedelta(days=1)
    session.execute(insert(DAYS), days)
    runs, shared = [], {}  # pairs of one group of terms share their runs
    for hotel_id, consignor_id in bulk_read(
            session, select(Stock.hotel_id, Product.consignor_id).distinct()
            .join(Stock, Stock.product_id == Product.id)
            .where(at_hotels(Stock.hotel_id, hotel_ids))):
        rate_on = rate_for(hotel_id, consignor_id)
        if rate_on.group not in shared:
            shared[rate_on.group] = _runs(rate_on, period)
        whole = len(shared[rate_on.group]) == 1
        for rate, first, last in shared[rate_on.group]:
            runs.append({"hotel_id": hotel_id, "consignor_id": consignor_id,
                         "first_n": local_days.number(first),
                         "last_n": local_days.number(last), "rate_bp": rate, "whole": whole})
    if runs:
        session.execute(insert(RATES), runs)
    if session.get_bind().dialect.name == "sqlite":  # their sizes, for the query planner
        session.execute(text("ANALYZE temp"))


def _rate_or_none(rate_on: Callable[[date], int], day: date) -> int | None:
    try:
        return rate_on(day)
    except MissingRate:
        return None


def _runs(rate_on, period: Period) -> list[tuple]:
    """``(rate, first day, last day)`` of each run of days of the month with one rate
    (None: no terms cover them), the rate found on the first day of each run of days of
    the same terms (``rate_on.changes``)."""
    starts = rate_on.changes(period.first_day, period.last_day)
    runs: list[list] = []
    for n, start in enumerate(starts):
        rate = _rate_or_none(rate_on, start)
        end = starts[n + 1] - timedelta(days=1) if n + 1 < len(starts) else period.last_day
        if runs and runs[-1][0] == rate:
            runs[-1][2] = end
        else:
            runs.append([rate, start, end])
    return [tuple(run) for run in runs]


def _joined(session: Session, query, hotel_ids: list[int], period: Period, tz: tzinfo):
    """``query`` over the month's plain sales at the hotels with their day and rate (a sale
    without a rate has None: :func:`refuse_unrated` refuses it before anything is read
    or written)."""
    day = local_days.day_number(Movement.at, session.get_bind().dialect.name, tz,
                                period.start(tz), period.end(tz))
    return (query.select_from(Movement)
            .join(Product, Product.id == Movement.product_id)
            .join(DAYS, DAYS.c.n == day)
            .outerjoin(RATES, and_(RATES.c.hotel_id == Movement.hotel_id,
                                   RATES.c.consignor_id == Product.consignor_id,
                                   RATES.c.first_n <= DAYS.c.n, RATES.c.last_n >= DAYS.c.n))
            .where(_in_month(hotel_ids, period, tz)))


def sums(session: Session, hotel_ids: list[int], period: Period, tz: tzinfo,
         sold: bool = True) -> tuple[dict[tuple[int, int], list[settlement.Sold]],
                                     dict[tuple[int, int], list[settlement.Placed]]]:
    """Per (hotel, IKM): its plain sales taken together per (SKU, rate), unless not
    ``sold`` (then none), and its plain placements per SKU; every day of a plain sale has
    a rate (:func:`refuse_unrated` has run).

    Both are summed per shelf in one reading of the month's movements of those kinds,
    shelf by shelf from the index that holds what they are summed from
    (``ix_movements_shelf_kind``): a sale or a placement is no reversal, so it counts at its
    own moment (``consign check`` holds every movement to that). Most IKM have one rate all
    month: their sales' sums are joined to it, which spares the database a business day
    and a rate to find for every sale; only the sales of an IKM whose rate changed in the
    month are summed per the rate of their own day."""
    kinds = ("placed", "sold") if sold else ("placed",)
    # of placements and sales, the plain ones (a placement never reversed, a sale of
    # condition()), written as one test
    # (an OR of the two whole conditions has the planner seek every shelf twice)
    plain = and_(_never_reversed(), or_(Movement.kind == "placed", _sold_plainly())
                 if sold else true())
    shelves = (select(Movement.hotel_id, Movement.product_id, Movement.kind,
                      func.sum(Movement.qty).label("units"),
                      func.sum(Movement.qty * func.coalesce(Movement.unit_price, 0))
                      .label("amount"))
               .select_from(Stock)
               .join(Movement, and_(shelf.by_shelf(Movement), Movement.kind.in_(kinds),
                                    Movement.at >= period.start(tz),
                                    Movement.at < period.end(tz)))
               .where(at_hotels(Stock.hotel_id, hotel_ids), plain)
               .group_by(Movement.hotel_id, Movement.product_id, Movement.kind)
               .subquery("shelves"))
    rows = bulk_read(session, select(
        shelves.c.hotel_id, Product.consignor_id, Product.sku, Product.name, shelves.c.kind,
        RATES.c.rate_bp, RATES.c.whole, shelves.c.units, shelves.c.amount)
        .join(Product, Product.id == shelves.c.product_id)
        .outerjoin(RATES, and_(RATES.c.hotel_id == shelves.c.hotel_id,
                               RATES.c.consignor_id == Product.consignor_id, RATES.c.whole))
        .order_by(shelves.c.hotel_id, Product.consignor_id, Product.sku, shelves.c.kind))
    sales, placed = [], defaultdict(list)
    for hotel_id, consignor_id, sku, name, kind, rate, whole, units, amount in rows:
        if kind == "placed":
            placed[hotel_id, consignor_id].append(settlement.Placed(sku, name, int(units)))
        elif whole:  # else summed per day below
            sales.append((hotel_id, consignor_id, sku, name, rate, -units, -amount))
    if sold and session.scalar(select(RATES.c.consignor_id).where(~RATES.c.whole).limit(1)
                               ) is not None:
        sales += bulk_read(session, _joined(
            session, select(Movement.hotel_id, Product.consignor_id, Product.sku, Product.name,
                            RATES.c.rate_bp, func.sum(-Movement.qty),
                            func.sum(-Movement.qty * Movement.unit_price)),
            hotel_ids, period, tz)
            .where(~RATES.c.whole)
            .group_by(Movement.hotel_id, Product.consignor_id, Product.sku, Product.name,
                      RATES.c.rate_bp))
    return _together(sorted(sales, key=lambda row: (row[0], row[1], row[2], row[4]))), placed


def _together(rows) -> dict[tuple[int, int], list[settlement.Sold]]:
    found: dict[tuple[int, int], list[settlement.Sold]] = defaultdict(list)
    for hotel_id, consignor_id, sku, name, rate, units, amount in rows:
        found[hotel_id, consignor_id].append(
            settlement.Sold(sku, name, rate, int(units), int(amount)))
    return found


def refuse_unrated(session: Session, hotel_ids: list[int], period: Period, tz: tzinfo,
                   missing: Callable[[int, int, date], MissingRate]) -> None:
    """Raise ``missing(hotel_id, consignor_id, day)`` for the first plain sale (of the
    first hotel by code) on a day without a rate (asked of the ledger only when some IKM
    has such a day)."""
    if session.scalar(select(RATES.c.consignor_id).where(RATES.c.rate_bp.is_(None)).limit(1)
                      ) is None:
        return
    first = session.execute(_joined(
        session, select(Movement.hotel_id, Product.consignor_id, DAYS.c.day), hotel_ids,
        period, tz)
        .join(Hotel, Hotel.id == Movement.hotel_id)
        .where(RATES.c.rate_bp.is_(None))
        .order_by(Hotel.code, Product.consignor_id, Movement.counts_at, Movement.id)
        .limit(1)).first()
    if first is not None:
        raise missing(first.hotel_id, first.consignor_id, first.day)


def sellers(session: Session, hotel_ids: list[int], period: Period, tz: tzinfo
            ) -> list[tuple[int, int]]:
    """The (hotel, IKM) pairs with a plain sale at the hotels in ``period``."""
    return [tuple(pair) for pair in bulk_read(
        session, select(Movement.hotel_id, Product.consignor_id).distinct().select_from(Movement)
        .join(Product, Product.id == Movement.product_id)
        .where(_in_month(hotel_ids, period, tz)))]


def written(session: Session, hotel_ids: list[int], period: Period
            ) -> dict[tuple[int, int], list[settlement.Sold]]:
    """Per (hotel, IKM), the plain sales' lines :func:`write_lines` wrote to the hotels'
    drafts of ``period``, taken together per (SKU, rate)."""
    return _together(bulk_read(
        session, select(Statement.hotel_id, Statement.consignor_id, StatementLine.sku,
               StatementLine.name, StatementLine.rate_bp, func.sum(StatementLine.qty),
               func.sum(StatementLine.amount))
        .join(Statement, Statement.id == StatementLine.statement_id)
        .where(at_hotels(Statement.hotel_id, hotel_ids), Statement.period == str(period),
               Statement.status == "draft", StatementLine.kind == "sale",
               StatementLine.movement_id.not_in(select(LINES.c.movement_id)))
        .group_by(Statement.hotel_id, Statement.consignor_id, StatementLine.sku,
                  StatementLine.name, StatementLine.rate_bp)
        .order_by(Statement.hotel_id, Statement.consignor_id, StatementLine.sku,
                  StatementLine.rate_bp)))


def write_lines(session: Session, hotel_ids: list[int], period: Period, tz: tzinfo,
                ruled: dict[tuple[int, int], tuple[settlement.Line, ...]]) -> None:
    """Every line of the hotels' drafts of ``period``: the plain sales' and those the rules
    made one by one (``ruled``, per (hotel, IKM)), numbered in ledger order per
    statement."""
    _scratch(session, LINES)
    made = [{"hotel_id": hotel_id, "consignor_id": consignor_id,
             "movement_id": line.movement_id,
             "kind": line.kind, "day": line.day, "sku": line.sku, "name": line.name,
             "qty": line.qty, "unit_price": line.unit_price, "amount": line.amount,
             "rate_bp": line.rate_bp, **line.detail._asdict()}
            for (hotel_id, consignor_id), lines in ruled.items() for line in lines]
    if made:
        session.execute(insert(LINES), made)
    plain = _joined(session, select(
        Movement.hotel_id.label("hotel_id"), Product.consignor_id.label("consignor_id"),
        Movement.counts_at.label("counts_at"),
        literal("sale", String(20)).label("kind"), DAYS.c.day.label("day"),
        Product.sku.label("sku"), Product.name.label("name"), (-Movement.qty).label("qty"),
        Movement.unit_price.label("unit_price"),
        (-Movement.qty * Movement.unit_price).label("amount"),
        RATES.c.rate_bp.label("rate_bp"), Movement.id.label("movement_id"),
        Movement.at.label("at"), Movement.receipt.label("receipt"),
        Movement.payment.label("payment"), cast(null(), String(30)).label("note"),
        Movement.reason.label("reason"), cast(null(), Date).label("corrects_day"),
        cast(null(), String(60)).label("corrects_receipt"),
        cast(null(), String(12)).label("corrects_number")), hotel_ids, period, tz)
    drafts = (select(Statement.id, Statement.hotel_id, Statement.consignor_id)
              .where(at_hotels(Statement.hotel_id, hotel_ids),
                     Statement.period == str(period), Statement.status == "draft")
              .subquery("drafts"))
    if made:  # the few lines of the rules, numbered in among the plain ones
        one_by_one = (
            select(LINES.c.hotel_id, LINES.c.consignor_id, Movement.counts_at, *(
                LINES.c[name] for name in _LINE_COLUMNS))
            .join(Movement, Movement.id == LINES.c.movement_id))
        every = union_all(plain, one_by_one).subquery("every")
    else:
        every = plain.subquery("every")
    position = func.row_number().over(partition_by=drafts.c.id,
                                      order_by=(every.c.counts_at, every.c.movement_id))
    session.execute(insert(StatementLine).from_select(
        ["statement_id", "position", *_LINE_COLUMNS],
        select(drafts.c.id, position, *(every.c[name] for name in _LINE_COLUMNS))
        .join(drafts, and_(drafts.c.hotel_id == every.c.hotel_id,
                           drafts.c.consignor_id == every.c.consignor_id))))
