"""``settle``: build a month's drafts; ``close``: issue a hotel's month and lock it."""

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from consign import fields, policy, records
from consign.context import Context
from consign.errors import OutOfOrder, PeriodClosed
from consign.i18n import msg
from consign.models import ClosedPeriod, Counter, Hotel, Movement, Statement, StatementStock, Terms
from consign.periods import Period, local_date, parse_period
from consign.services import access, archive, audit, documents, lookup
from consign.services.settlement import build
from consign.services.settlement.statements import DIGEST_EDITION, frozen_digest, with_parts
from consign.terms import PAYMENT_DAYS, covering

COUNTER = "statement"


def settle(session: Session, ctx: Context, period, hotel: str | None = None
           ) -> list[records.Statement]:
    """Build (or rebuild) the drafts of ``period``, for one hotel or all; a hotel whose
    period is already closed keeps its issued statements. Returns the period's statements.
    A hotel's staff settle their own hotel (the one they name, or without one)."""
    role = access.require(session, ctx, "settlement.settle")
    period = fields.period(period)
    chosen = ([lookup.hotel(session, hotel, role=role)] if hotel else list(session.scalars(
        select(Hotel).where(access.hotels(role, Hotel.id)).order_by(Hotel.code))))
    one = hotel or (chosen and policy.scope(role).hotel)
    for the_hotel in chosen:
        _lock(session, the_hotel)
        if not build.is_closed(session, the_hotel.id, period):
            build.rebuild(session, ctx, the_hotel, period)
    audit.record(session, ctx, "statement.settle", f"period:{period}",
                 hotel=chosen[0].code if one else None)
    return [records.statement_of(s) for s in
            _statements(session, [h.id for h in chosen], period, parts=False)]


def close_period(session: Session, ctx: Context, period, hotel: str) -> list[records.Statement]:
    """Issue the hotel's statements of ``period``, rebuilt from the ledger as it stands, with
    their numbers, dates and PDFs (archived, their SHA-256 stored), and lock the period for
    the hotel. One transaction; on PostgreSQL the hotel's row is locked first (see
    ``_lock``). The audit log's queue is taken into its hash chain as well."""
    access.require_at(session, ctx, "settlement.close", hotel)
    period = fields.period(period)
    the_hotel = _lock(session, lookup.hotel(session, hotel))
    _check_closable(session, ctx, the_hotel, period)
    build.rebuild(session, ctx, the_hotel, period)
    statements = _statements(session, [the_hotel.id], period)
    _issue(session, ctx, the_hotel, period, statements)
    session.add(ClosedPeriod(hotel_id=the_hotel.id, period=str(period), closed_at=ctx.now,
                             actor=ctx.actor))
    session.flush()
    for statement in statements:
        audit.record(session, ctx, "statement.issue", f"statement:{statement.number}",
                     hotel=the_hotel.code, consignor=statement.consignor_code,
                     period=str(period), gross=statement.gross, net=statement.net,
                     pdf_sha256=statement.pdf_sha256, digest=frozen_digest(statement),
                     digest_edition=DIGEST_EDITION)
    audit.record(session, ctx, "period.close", f"hotel:{the_hotel.code}", period=str(period),
                 statements=[s.number for s in statements])
    audit.extend_chain(session)
    return [records.statement_of(s) for s in statements]  # nothing paid yet


def _lock(session: Session, hotel: Hotel) -> Hotel:
    """On PostgreSQL, hold the hotel's row until commit: a settle or close of the same hotel
    waits for this one and then sees what it did (SQLite's BEGIN IMMEDIATE does as much)."""
    return session.scalar(select(Hotel).where(Hotel.id == hotel.id).with_for_update())


def _statements(session: Session, hotel_ids: list[int], period: Period,
                parts: bool = True) -> list[Statement]:
    """The period's statements of the hotels as now stored, with their lines and stock rows
    loaded (``parts``) or left to load when first read."""
    query = (
        select(Statement)
        .where(Statement.hotel_id.in_(hotel_ids), Statement.period == str(period))
        .order_by(Statement.hotel_code, Statement.consignor_code)
        .execution_options(populate_existing=True)
    )
    if parts:
        query = query.options(*with_parts())
    return list(session.scalars(query))


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

def _issue(session, ctx: Context, hotel: Hotel, period: Period, statements: list[Statement]):
    """Numbers in order, issue and due dates, and each statement's PDF rendered, archived
    and its SHA-256 stored."""
    if not statements:
        return
    from reports.pool import render_statements

    first = take_numbers(session, len(statements))
    issued_on = local_date(ctx.now, ctx.tz)
    terms = list(session.scalars(select(Terms).where(Terms.hotel_id == hotel.id)))
    with session.no_autoflush:
        for offset, statement in enumerate(statements):
            found = covering(terms, statement.consignor_id, period.last_day)
            days = found.payment_days if found else PAYMENT_DAYS
            statement.number = f"ST-{first + offset:06d}"
            statement.status = "issued"
            statement.issued_on, statement.due_on = issued_on, issued_on + timedelta(days=days)
        pdfs = render_statements([documents.build_statement_view(s, ctx.tz)
                                  for s in statements])
        for statement, data in zip(statements, pdfs, strict=True):
            statement.pdf_sha256 = archive.sha256(data)
    session.flush()
    for statement, data in zip(statements, pdfs, strict=True):
        archive.keep(session, ctx, archive.statement_key(statement.number, "id"), "statement",
                     "id", data, statement_id=statement.id, period=statement.period)


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
