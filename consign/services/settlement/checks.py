"""The statements' invariants for ``consign check``: each ``(session, tz) -> list[str]``
returns every problem it finds as a finished sentence."""

import json
from collections import defaultdict
from datetime import tzinfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consign import money, settlement
from consign.models import (
    AuditEntry,
    ClosedPeriod,
    Document,
    Hotel,
    Payment,
    PaymentVoid,
    Statement,
    StatementLine,
    StatementStock,
)
from consign.periods import parse_period
from consign.services import archive
from consign.services.settlement.statements import frozen_digest, with_parts


def statements_add_up(session: Session, tz: tzinfo) -> list[str]:
    """Each statement: gross is the sum of its lines, commission the sum of its rate groups'
    rounded commissions, net = gross − commission + opening balance; and over all of them
    Σ gross = Σ commission + Σ (net − opening balance)."""
    lines = defaultdict(list)
    for row in session.execute(
        select(
            StatementLine.statement_id,
            StatementLine.qty,
            StatementLine.unit_price,
            StatementLine.rate_bp,
        )
    ):
        lines[row.statement_id].append(row)
    statements = list(session.scalars(select(Statement).order_by(Statement.id)))
    problems = [p for s in statements for p in _sums(s, lines[s.id])]
    balance = settlement.balance_problem(statements)
    return problems + ([balance] if balance else [])


def _sums(statement: Statement, rows) -> list[str]:
    gross = sum(row.qty * row.unit_price for row in rows)
    by_rate = defaultdict(int)
    for row in rows:
        by_rate[row.rate_bp] += row.qty * row.unit_price
    commission = sum(money.commission(amount, rate) for rate, amount in by_rate.items())
    label, problems = statement.label, []
    if gross != statement.gross:
        problems.append(
            f"Statement {label}: its lines add up to {gross}, not its gross {statement.gross}."
        )
    if commission != statement.commission:
        problems.append(
            f"Statement {label}: its rate groups give a commission of "
            f"{commission}, not {statement.commission}."
        )
    net = statement.gross - statement.commission + statement.opening_balance
    if net != statement.net:
        problems.append(
            f"Statement {label}: gross − commission + opening balance is {net}, "
            f"not its net {statement.net}."
        )
    return problems


def stock_rows_close(session: Session, tz: tzinfo) -> list[str]:
    """Every stock row: closing = opening + placed − sold − returned − lost + counted +
    corrected."""
    rows = session.execute(
        select(StatementStock, Statement)
        .join(Statement, Statement.id == StatementStock.statement_id)
        .order_by(Statement.id, StatementStock.position)
    )
    problems = []
    for row, statement in rows:
        closing = (
            row.opening
            + row.placed
            - row.sold
            - row.returned
            - row.lost
            + row.counted
            + row.corrected
        )
        if closing != row.closing:
            problems.append(
                f"Statement {statement.label}: stock of {row.sku} should close at "
                f"{closing}, not {row.closing}."
            )
    return problems


def statement_stock_not_negative(session: Session, tz: tzinfo) -> list[str]:
    """No statement shows a shelf holding fewer than zero units, at its start or its end."""
    rows = session.execute(
        select(StatementStock.sku, StatementStock.opening, StatementStock.closing, Statement)
        .join(Statement, Statement.id == StatementStock.statement_id)
        .where((StatementStock.opening < 0) | (StatementStock.closing < 0))
        .order_by(Statement.id, StatementStock.position)
    )
    return [
        f"Statement {statement.label}: stock of {sku} is negative "
        f"(opening {opening}, closing {closing})."
        for sku, opening, closing, statement in rows
    ]


def stock_carries_over(session: Session, tz: tzinfo) -> list[str]:
    """A pair's statement of one month opens each product with what the pair's statement of
    the month before closed with."""
    chains = defaultdict(dict)
    for row, statement in session.execute(
        select(StatementStock, Statement).join(
            Statement, Statement.id == StatementStock.statement_id
        )
    ):
        key = (statement.hotel_id, statement.consignor_id)
        chains[key].setdefault(statement.period, (statement, {}))[1][row.sku] = row
    problems = []
    for months in chains.values():
        for period, (statement, rows) in sorted(months.items()):
            before = months.get(str(parse_period(period).previous()))
            if before is not None:
                problems += _carried(before, statement, rows)
    return problems


def _carried(before, statement: Statement, rows: dict) -> list[str]:
    earlier, closed = before
    opening = {sku: row.opening for sku, row in rows.items()}
    closing = {sku: row.closing for sku, row in closed.items()}
    return [
        f"Statement {statement.label} opens {sku} at {opening.get(sku, 0)}, "
        f"but {earlier.label} closed it at {closing.get(sku, 0)}."
        for sku in sorted(set(opening) | set(closing))
        if opening.get(sku, 0) != closing.get(sku, 0)
    ]


def issued_documents_archived(session: Session, tz: tzinfo) -> list[str]:
    """Every issued statement has its PDF archived, and every archived document is still
    the bytes whose SHA-256 was stored with it (an issued statement's also the SHA-256
    stored on the statement at its close)."""
    missing = session.execute(
        select(Statement.number)
        .outerjoin(Document, (Document.statement_id == Statement.id)
                   & (Document.sha256 == Statement.pdf_sha256))
        .where(Statement.status != "draft", Document.id.is_(None))
        .order_by(Statement.number)
    ).scalars()
    problems = [f"Statement {number}: its issued PDF is not in the archive." for number in missing]
    rows = session.execute(
        select(Document.key, Document.sha256, Document.data).order_by(Document.id)
        .execution_options(yield_per=200)
    )
    for key, digest, data in rows:
        if not isinstance(data, bytes | memoryview):
            problems.append(f"Archived document {key} is damaged: it holds no file.")
        elif archive.sha256(bytes(data)) != digest:
            problems.append(f"Archived document {key} is not the file that was archived: its "
                            f"SHA-256 is {archive.sha256(bytes(data))}, not {digest}.")
    return problems


def issued_as_recorded(session: Session, tz: tzinfo) -> list[str]:
    """Every statement the audit log says was issued is there, issued, exactly as it was
    issued (the digest of its frozen row, lines and stock rows), in a closed period; every
    issued statement has the entry of its issue; every close in the log is in force."""
    logged = _issues(session)
    issued = {s.number: s for s in session.scalars(
        select(Statement).where(Statement.status != "draft").options(*with_parts()))}
    problems = [f"Statement {number} was issued (audit entry {entry_id}) but is not in the "
                "database as issued." for number, (entry_id, _) in sorted(logged.items())
                if number not in issued]
    closed = set(session.execute(select(ClosedPeriod.hotel_id, ClosedPeriod.period)).all())
    for number, statement in sorted(issued.items()):
        entry = logged.get(number)
        if entry is None:
            problems.append(f"Statement {number} has no audit entry of its issue.")
        elif "digest" in entry[1] and entry[1]["digest"] != frozen_digest(
                statement, _edition(entry[1])):
            problems.append(f"Statement {number} is not as it was issued: its figures, names, "
                            "bank account, dates, lines, stock rows or losses were changed.")
        if (statement.hotel_id, statement.period) not in closed:
            problems.append(f"Statement {number} is issued, but {statement.period} is not "
                            f"closed for {statement.hotel_code}.")
    return problems + _closes_in_force(session, closed)


def _edition(detail: dict) -> int:
    """The edition of the digest an issue's entry holds (1 before lines had details)."""
    edition = detail.get("digest_edition", 1)
    return edition if isinstance(edition, int) else 1


def _issues(session: Session) -> dict[str, tuple[int, dict]]:
    found = {}
    for entry_id, record, detail in session.execute(
            select(AuditEntry.id, AuditEntry.record, AuditEntry.detail)
            .where(AuditEntry.action == "statement.issue")):
        try:
            found[record.split(":", 1)[1]] = (entry_id, json.loads(detail or "{}"))
        except (ValueError, IndexError):
            continue  # a damaged entry: the chain check reports it
    return found


def _closes_in_force(session: Session, closed: set) -> list[str]:
    hotels = dict(session.execute(select(Hotel.code, Hotel.id)).all())
    problems = []
    for entry_id, record, detail in session.execute(
            select(AuditEntry.id, AuditEntry.record, AuditEntry.detail)
            .where(AuditEntry.action == "period.close").order_by(AuditEntry.id)):
        try:
            period, code = json.loads(detail)["period"], record.split(":", 1)[1]
        except (ValueError, KeyError, IndexError, TypeError):
            continue
        if (hotels.get(code), period) not in closed:
            problems.append(f"The close of {period} for {code} (audit entry {entry_id}) is "
                            "no longer recorded: the period was reopened behind consign's back.")
    return problems


def payments_within_net(session: Session, tz: tzinfo) -> list[str]:
    """Payments are made on issued statements with something to pay, and the payments in
    force never add up to more than the net."""
    live = (select(Payment.statement_id, func.sum(Payment.amount).label("paid"))
            .where(Payment.id.not_in(select(PaymentVoid.payment_id)))
            .group_by(Payment.statement_id).subquery())
    rows = session.execute(
        select(Statement.number, Statement.status, Statement.net, live.c.paid)
        .join(live, live.c.statement_id == Statement.id).order_by(Statement.number))
    problems = []
    for number, status, net, paid in rows:
        if status != "issued" or net <= 0:
            problems.append(f"Statement {number or '(draft)'} has payments in force "
                            f"({money.rupiah(paid)}) but nothing to pay ({status}, net "
                            f"{money.rupiah(net)}).")
        elif paid > net:
            problems.append(f"Statement {number} has payments in force of "
                            f"{money.rupiah(paid)}, more than its net {money.rupiah(net)}.")
    return problems


CHECKS = [
    statements_add_up,
    stock_rows_close,
    statement_stock_not_negative,
    stock_carries_over,
    issued_documents_archived,
    issued_as_recorded,
    payments_within_net,
]
