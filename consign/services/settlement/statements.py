"""Reading statements, recording their payment, their PDFs and checking a PDF file."""

import hashlib
import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from consign import money
from consign.context import Context
from consign.errors import AlreadyPaid, InvalidInput, NotFound, NothingToPay, OutOfOrder
from consign.models import Statement
from consign.periods import Period, local_date, parse_period
from consign.services import audit
from consign.services.registry import get_consignor, get_hotel

STATUSES = ("draft", "issued", "paid")
_NUMBER = re.compile(rb"ST-\d{6}")


def with_parts():
    return (selectinload(Statement.lines), selectinload(Statement.stock))


def _ordered(query):
    return query.order_by(Statement.period, Statement.hotel_code, Statement.consignor_code)


def list_statements(
    session: Session,
    period: Period | None = None,
    hotel: str | None = None,
    consignor: str | None = None,
    status: str | None = None,
) -> list[Statement]:
    query = select(Statement)
    if period is not None:
        query = query.where(Statement.period == str(period))
    if hotel:
        query = query.where(Statement.hotel_id == get_hotel(session, hotel).id)
    if consignor:
        query = query.where(Statement.consignor_id == get_consignor(session, consignor).id)
    if status:
        if status not in STATUSES:
            raise InvalidInput(f"status {status!r} is not one of {', '.join(STATUSES)}")
        query = query.where(Statement.status == status)
    return list(session.scalars(_ordered(query)))


def get_statement(session: Session, number: str) -> Statement:
    """An issued (or paid) statement by its number, with its lines and stock rows."""
    statement = session.scalar(
        select(Statement).where(Statement.number == number.strip().upper()).options(*with_parts())
    )
    if statement is None:
        raise NotFound(
            f"No issued statement {number}: statements get their number when their "
            "period is closed ('consign close PERIOD --hotel CODE')."
        )
    return statement


def of_period(session: Session, period: Period) -> list[Statement]:
    query = select(Statement).where(Statement.period == str(period)).options(*with_parts())
    return list(session.scalars(_ordered(query)))


def of_consignor(session: Session, consignor_id: int, period: str) -> list[Statement]:
    query = (
        select(Statement)
        .where(Statement.consignor_id == consignor_id, Statement.period == period)
        .options(*with_parts())
    )
    return list(session.scalars(_ordered(query)))


def year_to_date_gross(session: Session, consignor_id: int, period: Period) -> int:
    """The IKM's gross over all hotels from January of the period's year through it."""
    return int(
        session.scalar(
            select(func.coalesce(func.sum(Statement.gross), 0)).where(
                Statement.consignor_id == consignor_id,
                Statement.period >= f"{period.year:04d}-01",
                Statement.period <= str(period),
            )
        )
    )  # PostgreSQL sums BIGINT as NUMERIC


def consignors_of_period(session: Session, period: Period) -> list[str]:
    """The codes of the IKM with a statement in the period."""
    return list(
        session.scalars(
            select(Statement.consignor_code)
            .where(Statement.period == str(period))
            .distinct()
            .order_by(Statement.consignor_code)
        )
    )


# ---- payment -----------------------------------------------------------------------------


def pay(session: Session, ctx: Context, number: str, on: date, ref: str) -> Statement:
    """Record that the statement was paid, once: the date and the transfer reference."""
    statement = get_statement(session, number)
    ref = (ref or "").strip()
    if not ref:
        raise InvalidInput("a payment needs a reference (--ref), e.g. the transfer number")
    if statement.status == "paid":
        raise AlreadyPaid(
            f"Statement {statement.number} was already paid on {statement.paid_on.isoformat()} "
            f"(ref {statement.pay_ref})."
        )
    if statement.net <= 0:
        raise NothingToPay(_nothing_to_pay(statement))
    if on < statement.issued_on:
        raise OutOfOrder(
            f"Cannot record a payment of {statement.number} on {on.isoformat()}: it was "
            f"issued on {statement.issued_on.isoformat()}."
        )
    if on > local_date(ctx.now, ctx.tz):
        raise InvalidInput(f"payment date {on.isoformat()} is in the future")
    statement.status, statement.paid_on, statement.pay_ref = "paid", on, ref
    session.flush()
    audit.record(session, ctx, "statement.pay", "statement", statement.number, paid_on=on, ref=ref)
    return statement


def _nothing_to_pay(statement: Statement) -> str:
    carried = " and is carried into the next statement" if statement.net < 0 else ""
    return (
        f"Statement {statement.number} has nothing to pay: its net is "
        f"{money.rupiah(statement.net)}{carried}."
    )


# ---- PDFs --------------------------------------------------------------------------------


def pdf(statement: Statement, lang: str = "id") -> bytes:
    from reports.statement import render_statement
    from reports.views import build_statement_view

    return render_statement(build_statement_view(statement), lang)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Verdict:
    number: str | None  # the statement the file is, or claims to be
    unaltered: bool
    message: str


def verify(session: Session, data: bytes, name: str = "the file") -> Verdict:
    """Which statement a PDF file is, and whether it is exactly as issued: its SHA-256 is the
    stored one (the Indonesian original), or it is byte for byte the English rendering."""
    digest = sha256(data)
    statement = session.scalar(select(Statement).where(Statement.pdf_sha256 == digest))
    if statement is not None:
        return Verdict(
            statement.number,
            True,
            f"{name} is statement {statement.number} ({_about(statement)}), "
            f"unaltered: SHA-256 {digest}.",
        )
    claimed = _claimed(session, data)
    if claimed is None:
        return Verdict(
            None,
            False,
            f"{name} is not a statement issued here: no statement has SHA-256 "
            f"{digest}, and it names none.",
        )
    reproduced = _reproduced(session, claimed, data)
    if reproduced:
        return Verdict(claimed.number, True, f"{name} is {reproduced}, unaltered.")
    return Verdict(
        claimed.number,
        False,
        f"{name} claims to be statement {claimed.number} ({_about(claimed)}) but "
        f"has been altered: its SHA-256 {digest} is not the issued "
        f"{claimed.pdf_sha256}.",
    )


def _reproduced(session: Session, statement: Statement, data: bytes) -> str | None:
    """What else consign renders from an issued statement that ``data`` is, byte for byte:
    its English rendering, or its IKM's consolidated statement of the period."""
    if not statement.pdf_sha256:
        return None
    if data == pdf(statement, "en"):
        return f"statement {statement.number} ({_about(statement)}) in English"
    for lang in ("id", "en"):
        if data == consolidated_pdf(session, statement.consignor_code, statement.period, lang):
            return (
                f"the consolidated statement of {statement.consignor_code} for {statement.period}"
            )
    return None


def consolidated_pdf(session: Session, consignor: str, period, lang: str = "id") -> bytes:
    """One IKM's statements of a period across its hotels, as one PDF."""
    from reports.consolidated import render_consolidated
    from reports.views import build_consolidated_view

    view = build_consolidated_view(
        session, get_consignor(session, consignor), parse_period(str(period))
    )
    return render_consolidated(view, lang)


def _claimed(session: Session, data: bytes) -> Statement | None:
    for match in dict.fromkeys(_NUMBER.findall(data)):
        statement = session.scalar(
            select(Statement).where(Statement.number == match.decode()).options(*with_parts())
        )
        if statement is not None:
            return statement
    return None


def _about(statement: Statement) -> str:
    return f"{statement.hotel_code} / {statement.consignor_code}, {statement.period}"
