"""Issued statements delivered to their IKM owners (``consign statement send``): by e-mail
through the outbox, by a WhatsApp link that a clerk taps, or on paper.

The outbox holds each e-mail from the transaction that issues its statement (``close``
queues it, :func:`outbox.queue`) until the mail server accepts it, so that a crash never
sends a message for something that was not recorded, nor loses one that was. Sending
takes three kinds of transaction, on purpose:

1. :func:`outbox.prepare`, one transaction: the permission, what goes (queueing what is
   missing), each message read with its archived PDF; it commits before anything is sent.
2. Each message taken (:func:`outbox.claim`, a short transaction of its own, so that two
   runs at once never both send it) and handed to the server, outside any transaction.
3. Right after the server's answer, one short transaction per message that records it
   (:func:`outbox.mark_sent`, :func:`outbox.mark_failed`) and commits at once. A run that
   dies between the server's acceptance and that commit leaves the message pending: the
   next ``send`` hands it over again under the same Message-ID, so the reader's mail
   program sees the same message twice, never two different ones. A message recorded as
   sent is never sent again, unless asked (``--resend``).

:func:`deliver` is the loop of steps 2 and 3; the edge that calls it gives it the unit of
work to open each transaction with (the command line's ``App.transaction``).
"""

from __future__ import annotations

import ssl
from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.orm import Session

from consign.context import Context
from consign.i18n import Message, msg
from consign.services.delivery import messages, smtp
from consign.services.delivery.outbox import (
    BY_EMAIL,
    FAILED,
    SEND,
    SENT,
    SKIPPED,
    TO_PRINT,
    WHATSAPP,
    WOULD_SEND,
    Item,
    Outgoing,
    Plan,
    claim,
    mark_failed,
    mark_sent,
    prepare,
    queue,
    recorded,
)
from consign.services.delivery.smtp import SmtpSettings, settings

__all__ = [
    "BY_EMAIL",
    "FAILED",
    "SEND",
    "SENT",
    "SKIPPED",
    "TO_PRINT",
    "WHATSAPP",
    "WOULD_SEND",
    "Item",
    "Outgoing",
    "Plan",
    "Report",
    "SmtpSettings",
    "deliver",
    "messages",
    "prepare",
    "queue",
    "settings",
]

Transaction = Callable[[], AbstractContextManager[Session]]


@dataclass(frozen=True)
class Report:
    """What a ``send`` did: each statement's line, and, if the server could not be reached
    (or the connection was lost), why: ``unreachable`` as the outbox records it (in English,
    for scripts: ``outbox.recorded``), ``why`` the same reason as a sentence, said in the
    reader's language."""

    plan: Plan
    items: list[Item]
    unreachable: str | None = None
    why: Message | None = None

    @property
    def counts(self) -> Counter:
        return Counter(item.status for item in self.items)

    @property
    def failed(self) -> int:
        return self.counts[FAILED]


def deliver(plan: Plan, transaction: Transaction, ctx: Context,
            clock: Callable[[], datetime], tls: ssl.SSLContext | None = None) -> Report:
    """Hand each of the plan's e-mails to the server, one at a time, and record each
    answer in a transaction of its own as soon as it comes (see the module's docstring).
    One refused message is recorded as failed, with the server's reason, and the others
    still go; a server that cannot be reached fails the messages not sent yet, and the
    next ``send`` tries them again."""
    if not plan.outgoing:
        return Report(plan, plan.items)
    outcome: dict[str, tuple[str, Message | str | None, datetime | None]] = {}

    def record(done: list[Outgoing], reason: Message | str | None) -> None:
        at = replace(ctx, now=clock())
        with transaction() as session:
            if reason is None:
                mark_sent(session, at, done[0])
            else:
                mark_failed(session, at, done, reason)
        for one in done:
            outcome[one.number] = (SENT if reason is None else FAILED, reason,
                                   at.now if reason is None else None)

    def take(outgoing: Outgoing) -> bool:
        with transaction() as session:
            taken = claim(session, replace(ctx, now=clock()), outgoing)
        if not taken:
            outcome[outgoing.number] = (SKIPPED, msg("taken by another 'statement send' run"),
                                        None)
        return taken

    why = _send_all(plan, record, take, clock, tls)
    return Report(plan, [_outcome(item, outcome) for item in plan.items],
                  recorded(why) if why is not None else None, why)


def _send_all(plan: Plan, record, take, clock, tls) -> Message | None:
    """Send the plan's messages; the reason the server was or became unreachable, if so."""
    try:
        connection = smtp.connect(plan.server, tls)
    except smtp.Unreachable as failure:
        record(plan.outgoing, failure.reason)
        return failure.reason
    with connection:
        for n, outgoing in enumerate(plan.outgoing):
            if not take(outgoing):
                continue
            message = messages.email(
                outgoing.notice, sender=plan.server.sender, recipient=outgoing.recipient,
                message_id=outgoing.message_id, when=clock(), pdf=outgoing.pdf,
                file_name=outgoing.file_name)
            try:
                connection.send(message, outgoing.recipient)
            except smtp.Refused as refusal:
                record([outgoing], refusal.reason)
                continue
            except smtp.Unreachable as failure:
                record(plan.outgoing[n:], failure.reason)
                return failure.reason
            record([outgoing], None)
    return None


def _outcome(item: Item, outcome: dict) -> Item:
    if item.number not in outcome:
        return item
    status, reason, sent_at = outcome[item.number]
    return replace(item, status=status, reason=recorded(reason) if reason is not None else None,
                   sent_at=sent_at or item.sent_at,
                   why=reason if isinstance(reason, Message) else None)
