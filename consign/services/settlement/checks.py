"""The statements' invariants for ``consign check``: each ``(session, tz) -> list[Message]``
returns every problem it finds as a finished sentence (a ``Message``, said in Indonesian or
English when it is shown: ``consign.services.check.as_text``).

A year holds a million statement lines: they are read as plain rows, streamed in the
order of their statement's id beside the statements themselves (``_Parts``), so that a
check holds one statement's rows at a time (and two months' stock rows at the most)."""

import json
from collections import defaultdict
from collections.abc import Iterator
from datetime import tzinfo
from itertools import groupby
from operator import itemgetter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consign import money, records, settlement
from consign.i18n import Message, msg
from consign.models import (
    AuditEntry,
    ClosedPeriod,
    Document,
    Hotel,
    Payment,
    PaymentVoid,
    ShelfMonth,
    Statement,
    StatementLine,
    StatementLoss,
    StatementStock,
)
from consign.periods import parse_period
from consign.services import archive
from consign.services.audit_reports import fifo
from consign.services.settlement.statements import (
    FROZEN,
    FROZEN_LINE,
    FROZEN_LOSS,
    FROZEN_STOCK,
    digest_of,
)

CHUNK = 5_000  # rows fetched at a time
_LABEL = (Statement.number, Statement.hotel_code, Statement.consignor_code, Statement.period)
# A statement's columns that a check could fail to read (a moment or a day that consign did
# not write): read wherever a check reads a statement, unused, so that the check says it
# cannot read the database, as it did when it loaded whole statements.
_TYPED = (Statement.built_at, Statement.issued_on, Statement.due_on)


def stream(session: Session, query) -> Iterator:
    """The rows of ``query``, fetched ``CHUNK`` at a time (a server-side cursor on
    PostgreSQL), never all at once; as Core rows, without the ORM's work on each. The cursor
    is closed once the rows are read, or as soon as the reader drops them unread."""
    result = session.connection().execute(query.execution_options(yield_per=CHUNK))
    try:
        yield from result
    finally:
        result.close()


def _label(statement) -> str | Message:
    """How a person names the statement of a row holding its number, hotel and IKM codes
    and period: its number, or which draft it is (``Statement.label``, in words that are
    translated)."""
    if statement.number:
        return statement.number
    return msg("draft {hotel}/{consignor} {period}", hotel=statement.hotel_code,
               consignor=statement.consignor_code, period=statement.period)


class _Parts:
    """The rows of one part of the statements (lines, stock rows, losses), from a stream
    ordered by their statement's id, its first column: ``of(id)`` hands out a statement's
    rows when it is asked for the statements in the order of their ids."""

    def __init__(self, rows):
        self._groups = groupby(rows, key=itemgetter(0))
        self._head = next(self._groups, None)

    def of(self, statement_id: int) -> list:
        while self._head is not None and self._head[0] < statement_id:
            self._head = next(self._groups, None)
        if self._head is None or self._head[0] != statement_id:
            return []
        rows = list(self._head[1])
        self._head = next(self._groups, None)
        return rows


def statements_add_up(session: Session, tz: tzinfo) -> list[Message]:
    """Each statement: gross is the sum of its lines, commission the sum of its rate groups'
    rounded commissions, net = gross − commission + opening balance; and over all of them
    Σ gross = Σ commission + Σ (net − opening balance) (``settlement.balance_problem`` says
    whether they balance; the sums are those its sentence names)."""
    problems, sums = [], {"gross": 0, "commissions": 0, "nets": 0}

    def checked():
        lines = _Parts(stream(session, select(
            StatementLine.statement_id, StatementLine.rate_bp, StatementLine.qty,
            StatementLine.unit_price).where(StatementLine.statement_id.is_not(None))
            .order_by(StatementLine.statement_id)))
        for statement in stream(session, select(
                Statement.id, *_LABEL, Statement.gross, Statement.commission,
                Statement.opening_balance, Statement.net, *_TYPED).order_by(Statement.id)):
            problems.extend(_sums(statement, lines.of(statement.id)))
            sums["gross"] += statement.gross
            sums["commissions"] += statement.commission
            sums["nets"] += statement.net - statement.opening_balance
            yield statement

    if settlement.balance_problem(checked()) is None:
        return problems
    return problems + [msg("Statements do not balance: gross {gross} is not commission "
                           "{commissions} plus net less opening balance {nets}.", **sums)]


def _sums(statement, rows) -> list[Message]:
    by_rate = defaultdict(int)
    for _, rate, qty, unit_price in rows:
        by_rate[rate] += qty * unit_price
    gross = sum(by_rate.values())
    commission = sum(money.commission(amount, rate) for rate, amount in by_rate.items())
    label, problems = _label(statement), []
    if gross != statement.gross:
        problems.append(msg("Statement {label}: its lines add up to {summed}, not its gross "
                            "{gross}.", label=label, summed=gross, gross=statement.gross))
    if commission != statement.commission:
        problems.append(msg("Statement {label}: its rate groups give a commission of "
                            "{computed}, not {commission}.", label=label,
                            computed=commission, commission=statement.commission))
    net = statement.gross - statement.commission + statement.opening_balance
    if net != statement.net:
        problems.append(msg("Statement {label}: gross − commission + opening balance is "
                            "{computed}, not its net {net}.", label=label, computed=net,
                            net=statement.net))
    return problems


_STOCK = (StatementStock.sku, StatementStock.opening, StatementStock.placed,
          StatementStock.sold, StatementStock.returned, StatementStock.lost,
          StatementStock.counted, StatementStock.corrected, StatementStock.closing)


def stock_rows_close(session: Session, tz: tzinfo) -> list[Message]:
    """Every stock row: closing = opening + placed − sold − returned − lost + counted +
    corrected."""
    rows = stream(session, select(*_LABEL, *_STOCK, *_TYPED)
                   .join(Statement, Statement.id == StatementStock.statement_id)
                   .order_by(Statement.id, StatementStock.position))
    problems = []
    for row in rows:
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
            problems.append(msg("Statement {label}: stock of {sku} should close at "
                                "{computed}, not {closing}.", label=_label(row), sku=row.sku,
                                computed=closing, closing=row.closing))
    return problems


def statement_stock_not_negative(session: Session, tz: tzinfo) -> list[Message]:
    """No statement shows a shelf holding fewer than zero units, at its start or its end."""
    rows = session.execute(
        select(StatementStock.sku, StatementStock.opening, StatementStock.closing, *_LABEL,
               *_TYPED)
        .join(Statement, Statement.id == StatementStock.statement_id)
        .where((StatementStock.opening < 0) | (StatementStock.closing < 0))
        .order_by(Statement.id, StatementStock.position)
    )
    return [
        msg("Statement {label}: stock of {sku} is negative (opening {opening}, closing "
            "{closing}).", label=_label(row), sku=row.sku, opening=row.opening,
            closing=row.closing)
        for row in rows
    ]


def stock_carries_over(session: Session, tz: tzinfo) -> list[Message]:
    """A pair's statement of one month opens each product with what the pair's statement of
    the month before closed with. Read a month at a time, holding the month before; the
    problems come pair by pair (in the order of each pair's first statement with stock
    rows), month by month."""
    rows = stream(session, select(
        Statement.period, Statement.hotel_id, Statement.consignor_id, Statement.id,
        *_LABEL[:3], StatementStock.sku, StatementStock.opening, StatementStock.closing,
        *_TYPED)
        .join(Statement, Statement.id == StatementStock.statement_id)
        .order_by(Statement.period, Statement.id, StatementStock.position))
    found, first, before, last = [], {}, {}, None
    for period, month in groupby(rows, key=itemgetter(0)):
        pairs = {}
        for row in month:
            pairs.setdefault(row[1:3], (row, {}))[1][row.sku] = row
        earlier = before if last == str(parse_period(period).previous()) else {}
        for pair, (statement, stock) in pairs.items():
            first[pair] = min(first.get(pair, statement.id), statement.id)
            if pair in earlier:
                found += [((pair, period), problem)
                          for problem in _carried(earlier[pair], statement, stock)]
        before, last = pairs, period
    found.sort(key=lambda item: (first[item[0][0]], item[0][1]))
    return [problem for _, problem in found]


def _carried(before, statement, rows: dict) -> list[Message]:
    earlier, closed = before
    opening = {sku: row.opening for sku, row in rows.items()}
    closing = {sku: row.closing for sku, row in closed.items()}
    return [
        msg("Statement {label} opens {sku} at {opening}, but {earlier} closed it at "
            "{closing}.", label=_label(statement), sku=sku, opening=opening.get(sku, 0),
            earlier=_label(earlier), closing=closing.get(sku, 0))
        for sku in sorted(set(opening) | set(closing))
        if opening.get(sku, 0) != closing.get(sku, 0)
    ]


def issued_documents_archived(session: Session, tz: tzinfo) -> list[Message]:
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
    problems = [msg("Statement {number}: its issued PDF is not in the archive.", number=number)
                for number in missing]
    rows = session.execute(
        select(Document.key, Document.sha256, Document.data).order_by(Document.id)
        .execution_options(yield_per=200)
    )
    for key, digest, data in rows:
        if not isinstance(data, bytes | memoryview):
            problems.append(msg("Archived document {key} is damaged: it holds no file.",
                                key=key))
        elif (found := archive.sha256(bytes(data))) != digest:
            problems.append(msg("Archived document {key} is not the file that was archived: "
                                "its SHA-256 is {found}, not {digest}.", key=key, found=found,
                                digest=digest))
    return problems


def issued_as_recorded(session: Session, tz: tzinfo) -> list[Message]:
    """Every statement the audit log says was issued is there, issued, exactly as it was
    issued (the digest of its frozen row, lines and stock rows), in a closed period; every
    issued statement has the entry of its issue; every close in the log is in force."""
    logged, closes = _logged(session)
    closed = set(session.execute(select(ClosedPeriod.hotel_id, ClosedPeriod.period)).all())
    issued, found = set(), {}
    for statement, parts in _issued(session):
        issued.add(statement.number)
        problems = _as_recorded(statement, parts, logged.get(statement.number), closed)
        if problems:
            found[statement.number] = problems
    problems = [msg("Statement {number} was issued (audit entry {entry}) but is not in the "
                    "database as issued.", number=number, entry=entry_id)
                for number, (entry_id, _) in sorted(logged.items()) if number not in issued]
    problems += [problem for _, said in sorted(found.items()) for problem in said]
    return problems + _closes_in_force(session, closes, closed)


def _as_recorded(statement, parts, entry, closed: set) -> list[Message]:
    number, problems = statement.number, []
    if entry is None:
        problems.append(msg("Statement {number} has no audit entry of its issue.",
                            number=number))
    elif "digest" in entry[1] and entry[1]["digest"] != _digest(
            statement, *parts, _edition(entry[1])):
        problems.append(msg("Statement {number} is not as it was issued: its figures, names, "
                            "bank account, dates, lines, stock rows or losses were changed.",
                            number=number))
    if (statement.hotel_id, statement.period) not in closed:
        problems.append(msg("Statement {number} is issued, but {period} is not closed for "
                            "{hotel}.", number=number, period=statement.period,
                            hotel=statement.hotel_code))
    return problems


_FROZEN_COLUMNS = {
    StatementLine: FROZEN_LINE + records.LINE_DETAIL,
    StatementStock: FROZEN_STOCK,
    StatementLoss: FROZEN_LOSS,
}


def _issued(session: Session):
    """(statement, (lines, stock rows, losses)) of every issued statement in the order of
    its id: the statement's row with what ``frozen_digest`` reads of it first, each part's
    rows as tuples of their statement's id and what ``frozen_digest`` reads of them."""
    parts = [
        _Parts(stream(session, select(
            part.statement_id, *(getattr(part, name) for name in names))
            .where(part.statement_id.is_not(None))
            .order_by(part.statement_id, part.position, part.id)))
        for part, names in _FROZEN_COLUMNS.items()]
    statements = stream(session, select(
        *(getattr(Statement, name) for name in FROZEN), Statement.id, Statement.hotel_id,
        *_TYPED)
        .where(Statement.status != "draft").order_by(Statement.id))
    for statement in statements:
        yield statement, [part.of(statement.id) for part in parts]


def _digest(statement, lines, stock, losses, edition: int) -> str:
    """``frozen_digest`` of the statement as ``_issued`` reads it (each part's rows led by
    their statement's id)."""
    width = len(FROZEN_LINE) + (len(records.LINE_DETAIL) if edition >= 2 else 0)
    return digest_of(tuple(statement[:len(FROZEN)]), [line[1:1 + width] for line in lines],
                     [row[1:] for row in stock], [loss[1:] for loss in losses], edition)


def _edition(detail: dict) -> int:
    """The edition of the digest an issue's entry holds (1 before lines had details)."""
    edition = detail.get("digest_edition", 1)
    return edition if isinstance(edition, int) else 1


def _logged(session: Session) -> tuple[dict[str, tuple[int, dict]], list]:
    """The entries of issues, per statement number (its id and what of its detail the check
    reads: the digest and its edition), and those of closes, in the order of their ids;
    read in one pass over the audit log."""
    issues, closes = {}, []
    for entry_id, action, record, detail in session.execute(
            select(AuditEntry.id, AuditEntry.action, AuditEntry.record, AuditEntry.detail)
            .where(AuditEntry.action.in_(("statement.issue", "period.close")))
            .order_by(AuditEntry.id)):
        if action == "period.close":
            closes.append((entry_id, record, detail))
            continue
        try:
            issues[record.split(":", 1)[1]] = (entry_id, _held(json.loads(detail or "{}")))
        except (ValueError, IndexError):
            continue  # a damaged entry: the chain check reports it
    return issues, closes


def _held(detail):
    if isinstance(detail, dict):
        return {key: detail[key] for key in ("digest", "digest_edition") if key in detail}
    return detail


def _read_closes(closes) -> Iterator[tuple[int, str, str, dict]]:
    """(entry id, hotel's code, period, detail) of each close's entry ``(id, record,
    detail)`` that reads as one; a damaged entry is left out (the chain check reports it)."""
    for entry_id, record, detail in closes:
        try:
            said = json.loads(detail)
            yield entry_id, record.split(":", 1)[1], said["period"], said
        except (ValueError, KeyError, IndexError, TypeError):
            continue


def _closes_in_force(session: Session, closes: list, closed: set) -> list[Message]:
    hotels = dict(session.execute(select(Hotel.code, Hotel.id)).all())
    problems = []
    for entry_id, code, period, _said in _read_closes(closes):
        if (hotels.get(code), period) not in closed:
            problems.append(msg("The close of {period} for {hotel} (audit entry {entry}) is "
                                "no longer recorded: the period was reopened behind consign's "
                                "back.", period=period, hotel=code, entry=entry_id))
    return problems


def kept_days_to_sell_as_closed(session: Session, tz: tzinfo) -> list[Message]:
    """The days to sell each close kept (``shelf_months``, what ``audit sales`` reads of a
    closed month) are those the close recorded (the digest in its audit entry, itself in
    the hash chain), and none are kept for a month not closed with them. A close made
    before its entry held the digest is not held to one."""
    hotels = dict(session.execute(select(Hotel.id, Hotel.code)).all())
    recorded = {(code, period): (entry_id, said.get("days_to_sell"))
                for entry_id, code, period, said in _read_closes(session.execute(
                    select(AuditEntry.id, AuditEntry.record, AuditEntry.detail)
                    .where(AuditEntry.action == "period.close").order_by(AuditEntry.id)))}
    closed = {(hotels[hotel_id], period) for hotel_id, period in session.execute(
        select(ClosedPeriod.hotel_id, ClosedPeriod.period).where(ClosedPeriod.ages_kept))}
    problems, found = [], set()

    def changed(code: str, period: str, rows) -> None:
        entry_id, digest = recorded.get((code, period), (None, None))
        if digest is not None and digest != fifo.kept_digest(rows):
            problems.append(msg(
                "The days to sell kept at the close of {period} for {hotel} are not those the "
                "close recorded (audit entry {entry}): they were changed after it.",
                period=period, hotel=code, entry=entry_id))

    rows = stream(session, select(
        ShelfMonth.hotel_id, ShelfMonth.period, ShelfMonth.product_id, ShelfMonth.taken,
        ShelfMonth.sold, ShelfMonth.units, ShelfMonth.unit_days)
        .order_by(ShelfMonth.hotel_id, ShelfMonth.period, ShelfMonth.product_id))
    for (hotel_id, period), kept in groupby(rows, key=itemgetter(0, 1)):
        code = hotels[hotel_id]
        found.add((code, period))
        if (code, period) not in closed:
            problems.append(msg("Days to sell are kept for {period} at {hotel}, which was not "
                                "closed with them.", period=period, hotel=code))
            continue
        changed(code, period, (row[2:] for row in kept))
    for code, period in sorted(closed - found):  # a close that kept nothing, or lost it all
        changed(code, period, ())
    return problems


# a statement's status as a sentence names it (as stored: "draft" or "issued")
_STATUS = {"draft": msg("draft"), "issued": msg("issued")}


def payments_within_net(session: Session, tz: tzinfo) -> list[Message]:
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
            problems.append(msg("Statement {number} has payments in force ({paid}) but "
                                "nothing to pay ({status}, net {net}).",
                                number=number or msg("(draft)"), paid=money.rupiah(paid),
                                status=_STATUS.get(status, status), net=money.rupiah(net)))
        elif paid > net:
            problems.append(msg("Statement {number} has payments in force of {paid}, more "
                                "than its net {net}.", number=number, paid=money.rupiah(paid),
                                net=money.rupiah(net)))
    return problems


CHECKS = [
    statements_add_up,
    stock_rows_close,
    statement_stock_not_negative,
    stock_carries_over,
    issued_documents_archived,
    issued_as_recorded,
    kept_days_to_sell_as_closed,
    payments_within_net,
]
