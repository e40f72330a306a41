"""``audit payments [--as-of DATE]``: issued statements not paid in full by their due date
(the issue date plus the payment term of the pair), with the days overdue and what is
still owed at the end of ``as-of`` (the payments dated by then; a voided payment, entered
by mistake, never counts); a summary of what each hotel owes, and each hotel's average days
to pay over the last 12 months: from the issue date to the payment that completed the net, for the
statements completed in those months (those with nothing to pay left out)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from consign import settlement as rules
from consign.context import Context
from consign.db import bulk_read
from consign.models import Hotel, Payment, PaymentVoid, Statement
from consign.services.audit_reports.placements import moment_of
from consign.services.audit_reports.scoping import Seen, seen
from consign.services.audit_reports.tables import average

YEAR = 365  # "the last 12 months": the 365 days up to and including the report's day


@dataclass(frozen=True)
class Overdue:
    number: str
    hotel: str
    consignor: str
    consignor_name: str
    period: str
    issued_on: date
    due_on: date
    days_overdue: int
    net: int
    paid: int
    owed: int


@dataclass(frozen=True)
class HotelOwes:
    hotel: str
    name: str
    overdue_statements: int
    overdue: int  # owed on statements past their due date
    owed: int  # owed on every issued statement, due or not
    paid_statements: int  # completed in the last 12 months
    avg_days_to_pay: Decimal | None


@dataclass(frozen=True)
class Payments:
    as_of: date
    rows: tuple[Overdue, ...]  # most overdue first
    by_hotel: tuple[HotelOwes, ...]


def payments(session: Session, ctx: Context, as_of=None, hotel: str | None = None,
             consignor: str | None = None) -> Payments:
    view = seen(session, ctx, hotel, consignor)
    day, _until = moment_of(ctx, as_of)
    standing = owings(session, view, day)
    rows = sorted((_overdue(s, o, day) for s, o in standing if o.overdue),
                  key=lambda r: (-r.days_overdue, r.hotel, r.number))
    return Payments(day, tuple(rows), tuple(_by_hotel(session, standing, day)))


def owings(session: Session, view: Seen, day: date, brief: bool = False):
    """(statement, ``settlement.Owing`` as of ``day``) of every statement issued by then
    in view, with its payments dated by then. A statement here is the row of what the
    reports read of it (number, parties, period, dates, status and net; ``brief``: only
    what its owing is made of, for a sum of what is owed), not an ORM object: a year of
    the programme is some thirty thousand."""
    chosen = (Statement.status != "draft", Statement.issued_on <= day)
    if view.hotel:
        chosen += (Statement.hotel_code == view.hotel,)
    if view.consignor:
        chosen += (Statement.consignor_code == view.consignor,)
    columns = (Statement.id, Statement.status, Statement.net, Statement.due_on)
    if not brief:
        columns += (Statement.number, Statement.issued_on, Statement.period,
                    Statement.hotel_code, Statement.consignor_code, Statement.consignor_name)
    query = select(*columns).where(*chosen)
    statements = bulk_read(session, query if brief else query.order_by(Statement.number)).all()
    made: dict[int, list[rules.PaymentMade]] = defaultdict(list)
    if statements:
        rows = bulk_read(session,
            select(Payment.statement_id, Payment.paid_on, Payment.amount, Payment.ref,
                   PaymentVoid.voided_at)
            .join(Statement, Statement.id == Payment.statement_id)
            .outerjoin(PaymentVoid, PaymentVoid.payment_id == Payment.id)
            .where(*chosen, Payment.paid_on <= day)
            .order_by(Payment.id))
        for statement_id, on, amount, ref, voided_at in rows:
            made[statement_id].append(rules.PaymentMade(on, amount, ref, voided_at is not None))
    found = []
    for statement in statements:  # its first columns: what its owing is made of
        sid, status, net, due_on = statement[:4]
        found.append((statement, rules.owing(status, net, due_on, made.get(sid, ()), day)))
    return found


def _overdue(statement, owing: rules.Owing, day: date) -> Overdue:
    _id, _status, net, due_on, number, issued_on, period, hotel, consignor, name = statement
    return Overdue(number, hotel, consignor, name, period, issued_on, due_on,
                   (day - due_on).days, net, owing.paid, owing.owed)


def _by_hotel(session: Session, standing, day: date) -> list[HotelOwes]:
    names = dict(session.execute(select(Hotel.code, Hotel.name)).all())
    groups = defaultdict(list)
    for statement, owing in standing:
        groups[statement.hotel_code].append((statement, owing))
    since = day - timedelta(days=YEAR - 1)
    found = []
    for code, members in sorted(groups.items()):
        paid = [(owing.paid_on - statement.issued_on).days for statement, owing in members
                if owing.paid_on is not None and since <= owing.paid_on <= day]
        found.append(HotelOwes(
            code, names.get(code, code), sum(1 for _s, o in members if o.overdue),
            sum(o.owed for _s, o in members if o.overdue), sum(o.owed for _s, o in members),
            len(paid), average(sum(paid), len(paid))))
    return found
