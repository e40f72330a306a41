"""The outbox as the use cases use it: queue a statement's e-mail where it is issued, choose
what a ``statement send`` delivers (queueing what is missing), and record each delivery.

Each function takes a Session and never commits: ``queue`` runs inside ``close``'s
transaction; ``prepare`` in one of its own; ``mark_sent`` and ``mark_failed`` each in the
short transaction the sending loop commits right after the server's answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import case, or_, select, update
from sqlalchemy.orm import Session

from consign import fields
from consign.contacts import is_mobile
from consign.context import Context
from consign.db import upsert
from consign.errors import NotFound
from consign.i18n import Message, msg
from consign.models import Consignor, OutboxMessage, Statement
from consign.services import access, audit, lookup
from consign.services.delivery import messages, smtp
from consign.services.delivery.smtp import SmtpSettings
from consign.settlement import code_of

SEND = "admin"  # SPEC section 6: statement send is for the administrator alone
# how long a run that took a message holds it before another may: longer than a server
# takes to answer (smtplib's timeout), short enough that a run that died is soon relieved
HOLD = timedelta(minutes=5)

# what happened to (or would happen to) each statement's e-mail, as listed
SENT, FAILED, SKIPPED, WOULD_SEND = "sent", "failed", "skipped", "would send"
PENDING = "pending"  # goes now: ``deliver`` makes it sent or failed
WHATSAPP, TO_PRINT, BY_EMAIL = "whatsapp", "to print", "by email"


@dataclass(frozen=True)
class Item:
    """One issued statement in a ``statement send`` listing."""

    number: str
    hotel: str
    consignor: str
    period: str
    email: str | None  # where its e-mail goes (or went), if the IKM has an address
    status: str
    reason: str | None = None  # why it failed, or why it was skipped (see ``recorded``)
    message_id: str | None = None
    sent_at: datetime | None = None
    phone: str | None = None  # the IKM's mobile number (+62…), if it has one
    whatsapp: str | None = None  # the click-to-chat link, with a mobile number
    # the reason as a sentence, said in the reader's language, where consign words it itself
    # (a server that cannot be reached, a message already sent); None for a server's reply
    why: Message | None = None


@dataclass(frozen=True)
class Outgoing:
    """One e-mail to hand to the server: what it says, and the outbox row it is."""

    outbox_id: int
    claims: int  # the row's claims when this run read it (see :func:`claim`)
    number: str
    recipient: str
    message_id: str
    notice: messages.Notice
    pdf: bytes
    file_name: str


@dataclass(frozen=True)
class Plan:
    period: str
    items: list[Item]
    outgoing: list[Outgoing] = field(default_factory=list)
    server: SmtpSettings | None = None  # where the e-mail goes (None: nothing is sent)
    dry_run: bool = False
    whatsapp_only: bool = False


def notice_of(statement: Statement) -> messages.Notice:
    return messages.Notice(
        number=statement.number, hotel_name=statement.hotel_name, period=statement.period,
        consignor_name=statement.consignor_name, owner_name=statement.owner_name,
        net=statement.net, due_on=statement.due_on, code=code_of(statement))


def _row(statement_id: int, recipient: str, now: datetime, number: str) -> dict:
    return {"statement_id": statement_id, "recipient": recipient, "status": "pending",
            "message_id": messages.message_id(number), "queued_at": now, "attempts": 0,
            "claims": 0}


def queue(session: Session, ctx: Context, statements: list[Statement]) -> None:
    """Queue the e-mail of each of the issued ``statements`` whose IKM has an e-mail
    address and that has none queued yet, in the session's transaction (that of the
    close that issues them)."""
    issued = [s for s in statements if s.status != "draft" and s.number]
    if not issued:
        return
    emails = dict(session.execute(
        select(Consignor.id, Consignor.email)
        .where(Consignor.id.in_(sorted({s.consignor_id for s in issued})),
               Consignor.email.is_not(None))).all())
    rows = [_row(s.id, emails[s.consignor_id], ctx.now, s.number)
            for s in issued if emails.get(s.consignor_id)]
    if rows:
        session.execute(upsert(session, OutboxMessage.__table__).on_conflict_do_nothing(
            index_elements=["statement_id"]), rows)


def _issued(session: Session, period: str, hotel: str | None, consignor: str | None
            ) -> list[Statement]:
    query = select(Statement).where(Statement.period == period, Statement.status != "draft")
    if hotel:
        query = query.where(Statement.hotel_id == lookup.hotel(session, hotel).id)
    if consignor:
        query = query.where(Statement.consignor_id == lookup.consignor(session, consignor).id)
    found = list(session.scalars(query.order_by(Statement.number)))  # in order of issue
    if not found:
        raise NotFound(_none_issued(period, hotel, consignor), field="period", command=msg(
            "Close it with 'consign close {period} --hotel {hotel}'.", period=period,
            hotel=hotel.upper() if hotel else "CODE"))
    return found


def _none_issued(period: str, hotel: str | None, consignor: str | None):
    if hotel and consignor:
        return msg("No issued statements for {period} at {hotel} for {consignor}: the period "
                   "is not closed yet.", period=period, hotel=hotel.upper(),
                   consignor=consignor.upper())
    if hotel:
        return msg("No issued statements for {period} at {hotel}: the period is not closed "
                   "yet.", period=period, hotel=hotel.upper())
    if consignor:
        return msg("No issued statements for {period} for {consignor}: the period is not "
                   "closed yet.", period=period, consignor=consignor.upper())
    return msg("No issued statements for {period}: the period is not closed yet.",
               period=period)


def prepare(session: Session, ctx: Context, period, hotel: str | None = None,
            consignor: str | None = None, *, smtp_url: str | None = None,
            mail_from: str | None = None, resend: bool = False, dry_run: bool = False,
            whatsapp_only: bool = False) -> Plan:
    """What ``statement send`` does for the issued statements of ``period`` (of one hotel
    or IKM): each one's e-mail (queued now if it is missing: a statement issued before the
    outbox existed, an IKM given an address later), its WhatsApp link, or "to print".
    What was sent already is skipped unless ``resend``. A ``dry_run`` or ``whatsapp_only``
    plan writes nothing and sends nothing, and needs no mail server; any other needs
    ``smtp_url`` and ``mail_from`` (``CONSIGN_SMTP_URL``, ``CONSIGN_MAIL_FROM``), checked
    before anything is written."""
    access.require(session, ctx, SEND)
    writes = not (dry_run or whatsapp_only)
    server = smtp.settings(smtp_url, mail_from) if writes else None
    period = str(fields.period(period))
    statements = _issued(session, period, hotel, consignor)
    owners = {c.id: c for c in session.scalars(
        select(Consignor).where(Consignor.id.in_(sorted({s.consignor_id for s in statements}))))}
    if writes:
        queue(session, ctx, statements)
    rows = {row.statement_id: row for row in session.scalars(
        select(OutboxMessage).where(OutboxMessage.statement_id.in_([s.id for s in statements]))
    )}
    items, outgoing = [], []
    for statement in statements:
        item, goes = _decide(statement, owners[statement.consignor_id],
                             rows.get(statement.id), resend, dry_run, whatsapp_only)
        items.append(item)
        if goes and writes:
            outgoing.append(_outgoing(session, ctx, statement, rows[statement.id],
                                      item.email))
    return Plan(period, items, outgoing, server, dry_run, whatsapp_only)


def _decide(statement: Statement, owner: Consignor, row: OutboxMessage | None, resend: bool,
            dry_run: bool, whatsapp_only: bool) -> tuple[Item, bool]:
    """The statement's line in the listing, and whether its e-mail goes now."""
    phone = owner.phone if is_mobile(owner.phone) else None
    notice = notice_of(statement)
    base = Item(statement.number, statement.hotel_code, statement.consignor_code,
                statement.period, owner.email, TO_PRINT,
                message_id=row.message_id if row else None,
                sent_at=row.sent_at if row else None, phone=phone,
                whatsapp=messages.whatsapp_link(phone, notice) if phone else None)
    if not owner.email:
        return _with(base, WHATSAPP if phone else TO_PRINT), False
    if whatsapp_only:
        return _with(base, WHATSAPP if phone else BY_EMAIL), False
    if row is not None and row.status == "sent" and not resend:
        return _with(base, SKIPPED, msg("already sent")), False
    return _with(base, WOULD_SEND if dry_run else PENDING), True


def _with(item: Item, status: str, reason: Message | None = None) -> Item:
    from dataclasses import replace

    return replace(item, status=status, reason=recorded(reason) if reason is not None else None,
                   why=reason)


def recorded(reason: Message | str) -> str:
    """A reason as the outbox keeps it (its ``error``) and a listing's ``reason`` gives it
    to scripts: a server's reply as it came; a sentence of consign's in English, so that the
    record reads the same whatever the language of the run that wrote it (``Item.why`` and
    ``Report.why`` are the sentence itself); one line of at most 500 characters."""
    return smtp.one_line(reason.text("en") if isinstance(reason, Message) else reason)


def _outgoing(session: Session, ctx: Context, statement: Statement, row: OutboxMessage,
              recipient: str) -> Outgoing:
    """The e-mail of ``statement`` as it goes now: to the IKM's address as registered now
    (the row follows it, should it have changed since it was queued), its archived PDF."""
    from consign.services.settlement.statements import pdf

    if row.recipient != recipient:
        row.recipient = recipient
    return Outgoing(row.id, row.claims, statement.number, recipient, row.message_id,
                    notice_of(statement), pdf(session, ctx, statement, "id"),
                    f"{statement.number}.pdf")


# ---- recording each delivery ---------------------------------------------------------------

def claim(session: Session, ctx: Context, outgoing: Outgoing) -> bool:
    """Take ``outgoing`` to hand it to the server now: only if no other ``send`` run took it
    since this run read it (a compare-and-set on its claims), nor holds it (taken less than
    ``HOLD`` ago and its answer not recorded yet); committed before it is sent. A run that
    dies holding a message leaves it to the next run once ``HOLD`` has passed."""
    return session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == outgoing.outbox_id,
               OutboxMessage.claims == outgoing.claims,
               or_(OutboxMessage.claimed_at.is_(None),
                   OutboxMessage.claimed_at < ctx.now - HOLD))
        .values(claims=OutboxMessage.claims + 1, claimed_at=ctx.now)).rowcount == 1


def mark_sent(session: Session, ctx: Context, outgoing: Outgoing) -> None:
    """The server accepted ``outgoing`` at ``ctx.now``: it is sent, and the audit log
    says to whom, when, and under which Message-ID."""
    access.require(session, ctx, SEND)
    session.execute(
        update(OutboxMessage).where(OutboxMessage.id == outgoing.outbox_id)
        .values(status="sent", sent_at=ctx.now, tried_at=ctx.now, error=None, claimed_at=None,
                recipient=outgoing.recipient, attempts=OutboxMessage.attempts + 1))
    audit.record(session, ctx, "statement.send", f"statement:{outgoing.number}",
                 to=outgoing.recipient, message_id=outgoing.message_id)


def mark_failed(session: Session, ctx: Context, outgoing: list[Outgoing],
                reason: Message | str) -> None:
    """The server refused these messages (its reply), or could not be reached (a sentence):
    each is failed, with the reason as ``recorded`` keeps it, and the next ``send`` tries it
    again. A message sent before (and tried again with ``--resend``) stays sent."""
    access.require(session, ctx, SEND)
    if not outgoing:
        return
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_([o.outbox_id for o in outgoing]))
        .values(status=case((OutboxMessage.sent_at.is_(None), "failed"),
                            else_=OutboxMessage.status),
                tried_at=ctx.now, error=recorded(reason), claimed_at=None,
                attempts=OutboxMessage.attempts + 1))
