"""The statements' invariants for ``consign check``: each ``(session, tz) -> list[str]``
returns every problem it finds as a finished sentence."""

from collections import defaultdict
from datetime import tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from consign import money, settlement
from consign.models import Document, Statement, StatementLine, StatementStock
from consign.periods import parse_period
from consign.services import archive


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
    problems += [
        f"Archived document {key} is not the file that was archived: its SHA-256 is "
        f"{archive.sha256(data)}, not {digest}."
        for key, digest, data in rows if archive.sha256(data) != digest
    ]
    return problems


CHECKS = [
    statements_add_up,
    stock_rows_close,
    statement_stock_not_negative,
    stock_carries_over,
    issued_documents_archived,
]
