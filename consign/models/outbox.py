"""The outbox: the messages that announce an issued statement to its IKM by e-mail.

A message is queued in the same transaction as what it announces (``close`` queues one per
issued statement whose IKM has an e-mail address), and delivered after that transaction
has committed (``statement send``): a statement that was never recorded is never
announced, and one that was is never forgotten. Each message keeps the Message-ID it was
given when it was queued, so that a second delivery after an interrupted run is the same
message to the reader's mail program. Unlike the append-only records, a row here changes:
its status follows its delivery (``pending``, then ``sent`` or ``failed``, and a failed
one is tried again); every accepted delivery is also written to the audit log.
"""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from consign.models.base import Base, one_of

OUTBOX_STATUSES = ("pending", "sent", "failed")


class OutboxMessage(Base):
    """One statement's e-mail: to whom (the IKM's address when it was last queued or
    tried), its Message-ID, and how its delivery went: how many times it was tried, when
    last, when the server accepted it, and the server's reason when it did not; and
    ``claims``, how many ``send`` runs took it to hand over, and ``claimed_at``, since when
    the latest holds it until its answer is recorded (a run takes a message only if no
    other run took it since this one read it, nor holds it now: two at once never both
    send it)."""

    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint(one_of("status", OUTBOX_STATUSES), name="status"),
        CheckConstraint("status <> 'sent' OR sent_at IS NOT NULL", name="sent_has_time"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"), unique=True)
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    recipient: Mapped[str] = mapped_column(String(254))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    queued_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(default=0)
    claims: Mapped[int] = mapped_column(default=0)
    claimed_at: Mapped[datetime | None]
    tried_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(String(500))
