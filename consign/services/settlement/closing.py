"""``settle``: build a month's drafts; ``close``: issue a hotel's month and lock it."""

from __future__ import annotations

from collections import defaultdict, namedtuple
from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from consign import fields, policy, records
from consign.context import Context
from consign.errors import OutOfOrder, PeriodClosed
from consign.i18n import msg
from consign.models import (
    ClosedPeriod,
    Counter,
    Hotel,
    Movement,
    Statement,
    StatementLine,
    StatementLoss,
    StatementStock,
    Terms,
)
from consign.periods import Period, local_date, parse_period
from consign.records import LINE_DETAIL
from consign.services import access, archive, audit, lookup
from consign.services.audit_reports import fifo
from consign.services.settlement import build
from consign.services.settlement.statements import (
    DIGEST_EDITION,
    FROZEN_LINE,
    FROZEN_LOSS,
    FROZEN_STOCK,
    frozen_digest,
)
from consign.terms import PAYMENT_DAYS, covering

COUNTER = "statement"


def closed_through(session: Session, ctx: Context, hotel: str) -> str | None:
    """The latest month closed at the hotel (``YYYY-MM``: its books are locked through it),
    or None while none is; of a hotel in the role's view only."""
    role = access.require(session, ctx, "settlement.read")
    found = build.closed_before(session, lookup.hotel(session, hotel, role=role).id)
    return str(found) if found is not None else None


def settle(session: Session, ctx: Context, period, hotel: str | None = None
           ) -> list[records.Statement]:
    """Build (or rebuild) the drafts of ``period``, for one hotel or all; a hotel whose
    period is already closed keeps its issued statements. Returns the period's statements.
    A hotel's staff settle their own hotel (the one they name, or without one)."""
    role = access.require(session, ctx, "settlement.settle")
    period = fields.period(period)
    if ctx.now < period.start(ctx.tz):  # nothing can have happened in it: no drafts to show
        raise OutOfOrder(msg("Cannot settle {period}: the month has not begun yet (it begins "
                             "on {start}).", period=str(period),
                             start=period.first_day.isoformat()), field="period")
    chosen = ([lookup.hotel(session, hotel, role=role)] if hotel else list(session.scalars(
        select(Hotel).where(access.hotels(role, Hotel.id)).order_by(Hotel.code))))
    one = hotel or (chosen and policy.scope(role).hotel)
    for the_hotel in chosen:
        _lock(session, the_hotel)
    build.rebuild(session, ctx, [the_hotel for the_hotel in chosen
                                 if not build.is_closed(session, the_hotel.id, period)], period)
    audit.record(session, ctx, "statement.settle", f"period:{period}",
                 hotel=chosen[0].code if one else None)
    return [records.statement_of(s) for s in
            _statements(session, [h.id for h in chosen], period)]


def close_period(session: Session, ctx: Context, period, hotel: str) -> list[records.Statement]:
    """Issue the hotel's statements of ``period``, rebuilt from the ledger as it stands, with
    their numbers, dates and PDFs (archived, their SHA-256 stored), and lock the period for
    the hotel. One transaction; on PostgreSQL the hotel's row is locked first (see
    ``_lock``). The audit log's queue is taken into its hash chain as well."""
    from consign.services import delivery  # with the renderer: only a close needs them
    access.require_at(session, ctx, "settlement.close", hotel)
    period = fields.period(period)
    the_hotel = _lock(session, lookup.hotel(session, hotel))
    _check_closable(session, ctx, the_hotel, period)
    _start_renderer(session, the_hotel, period)
    build.rebuild(session, ctx, [the_hotel], period)
    statements = _statements(session, [the_hotel.id], period)
    # the month's days to sell are kept while the workers draw the PDFs
    kept: list[str] = []
    _issue(session, ctx, the_hotel, period, statements,
           meanwhile=lambda: kept.append(fifo.keep(session, ctx.tz, the_hotel.id, period)))
    delivery.queue(session, ctx, statements)  # their e-mail, sent after this commits
    session.add(ClosedPeriod(hotel_id=the_hotel.id, period=str(period), closed_at=ctx.now,
                             actor=ctx.actor, ages_kept=True))
    session.flush()
    audit.record(session, ctx, "period.close", f"hotel:{the_hotel.code}", period=str(period),
                 statements=[s.number for s in statements], days_to_sell=kept[0])
    audit.extend_chain(session)
    return [records.statement_of(s) for s in statements]  # nothing paid yet


def closable(session: Session, ctx: Context, period, hotel: str) -> None:
    """Refuse, as ``close`` would, to close the hotel's ``period`` now (already closed, not
    over, an earlier month to close first); nothing else: a page asks before it offers the
    close, and the close itself checks again."""
    access.require_at(session, ctx, "settlement.close", hotel)
    _check_closable(session, ctx, lookup.hotel(session, hotel), fields.period(period))


def _lock(session: Session, hotel: Hotel) -> Hotel:
    """On PostgreSQL, hold the hotel's row until commit: a settle or close of the same hotel
    waits for this one and then sees what it did (SQLite's BEGIN IMMEDIATE does as much)."""
    return session.scalar(select(Hotel).where(Hotel.id == hotel.id).with_for_update())


def _statements(session: Session, hotel_ids: list[int], period: Period) -> list[Statement]:
    """The period's statements of the hotels as now stored (their lines and stock rows
    left to load when first read)."""
    return list(session.scalars(
        select(Statement)
        .where(Statement.hotel_id.in_(hotel_ids), Statement.period == str(period))
        .order_by(Statement.hotel_code, Statement.consignor_code)
        .execution_options(populate_existing=True)
    ))


# ---- the rules of closing ----------------------------------------------------------------

def _check_closable(session: Session, ctx: Context, hotel: Hotel, period: Period) -> None:
    latest = build.closed_before(session, hotel.id)
    if latest is not None and period <= latest:
        raise PeriodClosed(msg(
            "{period} is already closed for {hotel}: its books are closed through {latest}.",
            period=str(period), hotel=hotel.code, latest=str(latest)))
    if ctx.now < period.end(ctx.tz):
        raise OutOfOrder(msg(
            "Cannot close {period} for {hotel} before the month is over (it ends on {end}).",
            period=str(period), hotel=hotel.code, end=period.last_day.isoformat()))
    earlier = _first_open_before(session, ctx, hotel, period, latest)
    if earlier is not None:
        raise OutOfOrder(msg(
            "Cannot close {period} for {hotel}: {earlier} has statements to issue and is not "
            "closed yet. Periods close in order: close {earlier} first.", period=str(period),
            hotel=hotel.code, earlier=str(earlier)))


def _first_open_before(session, ctx, hotel: Hotel, period: Period, latest: Period | None):
    """The earliest month between the latest closed one and ``period`` that has (or would
    have) statements: drafts, a movement, or stock carried in from the closed month."""
    after = str(latest) if latest else ""
    drafted = session.scalar(
        select(Statement.period)
        .where(Statement.hotel_id == hotel.id, Statement.period > after,
               Statement.period < str(period))
        .order_by(Statement.period).limit(1)
    )
    moved = session.scalar(
        select(Movement.counts_at)
        .where(Movement.hotel_id == hotel.id, Movement.counts_at < period.start(ctx.tz))
        .where(*([Movement.counts_at >= latest.end(ctx.tz)] if latest else []))
        .order_by(Movement.counts_at).limit(1)
    )
    found = [parse_period(drafted)] if drafted else []
    if moved is not None:
        found.append(Period.of(moved, ctx.tz))
    if latest is not None and latest.next() < period and _carries_stock(session, hotel, latest):
        found.append(latest.next())
    return min(found, default=None)


def _carries_stock(session: Session, hotel: Hotel, period: Period) -> bool:
    return session.scalar(
        select(StatementStock.id)
        .join(Statement, Statement.id == StatementStock.statement_id)
        .where(Statement.hotel_id == hotel.id, Statement.period == str(period),
               StatementStock.closing != 0)
        .limit(1)
    ) is not None


# ---- issuing -----------------------------------------------------------------------------

def _issue(session, ctx: Context, hotel: Hotel, period: Period, statements: list[Statement],
           meanwhile):
    """Numbers in order, issue and due dates, and each statement's PDF rendered, archived,
    its SHA-256 stored and its issue written to the audit log. The PDFs are rendered in
    the background (``reports.pool``) while ``meanwhile()`` runs and then each one that is
    ready is archived."""
    if not statements:
        meanwhile()
        return
    from consign.services import documents
    from reports.pool import iter_render

    first = take_numbers(session, len(statements))
    issued_on = local_date(ctx.now, ctx.tz)
    terms = list(session.scalars(select(Terms).where(Terms.hotel_id == hotel.id)))
    issued = _with_parts(session, statements)
    with session.no_autoflush:
        for offset, statement in enumerate(statements):
            found = covering(terms, statement.consignor_id, period.last_day)
            days = found.payment_days if found else PAYMENT_DAYS
            statement.number = f"ST-{first + offset:06d}"
            statement.status = "issued"
            statement.issued_on, statement.due_on = issued_on, issued_on + timedelta(days=days)
        views = (documents.build_statement_view(one, ctx.tz) for one in issued)
        pdfs = iter_render(views, count=len(issued), meanwhile=meanwhile)
        for one, data in zip(issued, pdfs, strict=True):
            _archive(session, ctx, hotel, period, one, data)
    session.flush()


def _archive(session, ctx: Context, hotel: Hotel, period: Period, issued: _Issued,
             data: bytes) -> None:
    """One statement's PDF archived and its SHA-256 stored, and its issue audited."""
    statement = issued.statement
    statement.pdf_sha256 = archive.sha256(data)
    archive.keep(session, ctx, archive.statement_key(statement.number, "id"), "statement",
                 "id", data, statement_id=statement.id, period=statement.period, new=True,
                 digest=statement.pdf_sha256)
    audit.record(session, ctx, "statement.issue", f"statement:{statement.number}",
                 hotel=hotel.code, consignor=statement.consignor_code, period=str(period),
                 gross=statement.gross, net=statement.net, pdf_sha256=statement.pdf_sha256,
                 digest=frozen_digest(issued), digest_edition=DIGEST_EDITION)


def _start_renderer(session: Session, hotel: Hotel, period: Period) -> None:
    """Start the renderer's workers now, while the ledger is read, if the close is likely
    to need them: as many drafts as that, or as many statements the month before."""
    from reports import pool

    counts = dict(session.execute(
        select(Statement.period, func.count())
        .where(Statement.hotel_id == hotel.id,
               Statement.period.in_([str(period), str(period.previous())]))
        .group_by(Statement.period)
    ).all())
    pool.start(counts.get(str(period)) or counts.get(str(period.previous()), 0))


class _Issued:
    """A statement being issued, with its lines, stock rows and losses read as plain tuples
    (of the attributes of their ORM objects that are printed or frozen, named alike, and
    much cheaper to load and read): what its view and its frozen digest are made of. Any
    other attribute is the statement's own."""

    def __init__(self, statement: Statement, lines, stock, losses) -> None:
        self.statement, self.lines, self.stock, self.losses = statement, lines, stock, losses

    def __getattr__(self, name: str):
        return getattr(self.statement, name)


def _with_parts(session: Session, statements: list[Statement]) -> list[_Issued]:
    ids = [statement.id for statement in statements]
    parts = [_rows(session, model, shape, ids) for model, shape in _PARTS]
    return [_Issued(statement, *(part[statement.id] for part in parts))
            for statement in statements]


def _rows(session: Session, model, shape: type, ids: list[int]) -> dict[int, list]:
    """The rows of ``model`` of each statement, in their order, as ``shape`` tuples."""
    rows = session.execute(
        select(model.statement_id, *(getattr(model, name) for name in shape._fields))
        .where(model.statement_id.in_(ids))
        .order_by(model.statement_id, model.position)
    )
    found: dict[int, list] = defaultdict(list)
    for statement_id, *values in rows:
        found[statement_id].append(shape._make(values))
    return found


_PARTS = (
    (StatementLine, namedtuple("Line", FROZEN_LINE + LINE_DETAIL)),
    (StatementStock, namedtuple("Stock", FROZEN_STOCK)),
    (StatementLoss, namedtuple("Loss", FROZEN_LOSS)),
)


def take_numbers(session: Session, count: int) -> int:
    """Reserve ``count`` consecutive statement numbers; returns the first. The counter row is
    updated in this transaction, so on PostgreSQL a concurrent close waits for it to commit
    or roll back: numbers are unique and without gaps."""
    table = Counter.__table__
    exists = session.scalar(select(table.c.name).where(table.c.name == COUNTER))
    if exists is None:
        _create_counter(session)
    last = session.scalar(
        update(table).where(table.c.name == COUNTER).values(value=table.c.value + count)
        .returning(table.c.value)
    )
    return last - count + 1


def _create_counter(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    session.execute(
        insert(Counter.__table__).values(name=COUNTER, value=0)
        .on_conflict_do_nothing(index_elements=["name"])
    )
