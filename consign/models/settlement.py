"""Statements: frozen snapshots of what an IKM is owed by a hotel for a month."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, event, inspect, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consign.errors import AlreadyIssued
from consign.i18n import msg
from consign.models.base import Base, Money, one_of
from consign.models.ledger import guard_append_only

STATUSES = ("draft", "issued")  # as stored: "paid" is what the payments make of "issued"


class Statement(Base):
    __tablename__ = "statements"
    __table_args__ = (
        CheckConstraint(one_of("status", STATUSES), name="status"),
        CheckConstraint(
            "status = 'draft' OR (number IS NOT NULL AND issued_on IS NOT NULL "
            "AND due_on IS NOT NULL AND pdf_sha256 IS NOT NULL)",
            name="issued_complete",
        ),
        CheckConstraint("opening_balance <= 0", name="opening_not_positive"),
        UniqueConstraint("hotel_id", "consignor_id", "period", name="uq_statements_pair_period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(12), unique=True)
    hotel_id: Mapped[int] = mapped_column(ForeignKey("hotels.id"))
    consignor_id: Mapped[int] = mapped_column(ForeignKey("consignors.id"), index=True)
    period: Mapped[str] = mapped_column(String(7), index=True)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    built_at: Mapped[datetime]
    issued_on: Mapped[date | None]
    due_on: Mapped[date | None]
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    gross: Mapped[int] = mapped_column(Money)
    commission: Mapped[int] = mapped_column(Money)
    opening_balance: Mapped[int] = mapped_column(Money)
    net: Mapped[int] = mapped_column(Money)
    # the snapshot: what the parties were called and where the money goes, as at issue
    hotel_code: Mapped[str] = mapped_column(String(40))
    hotel_name: Mapped[str] = mapped_column(String(200))
    hotel_address: Mapped[str] = mapped_column(String(400))
    hotel_phone: Mapped[str] = mapped_column(String(20))
    consignor_code: Mapped[str] = mapped_column(String(40))
    consignor_name: Mapped[str] = mapped_column(String(200))
    owner_name: Mapped[str] = mapped_column(String(200))
    consignor_address: Mapped[str] = mapped_column(String(400))
    bank: Mapped[str] = mapped_column(String(200))
    account: Mapped[str] = mapped_column(String(40))
    holder: Mapped[str] = mapped_column(String(200))

    lines: Mapped[list["StatementLine"]] = relationship(
        order_by="StatementLine.position", cascade="all, delete-orphan",
        back_populates="statement",
    )
    stock: Mapped[list["StatementStock"]] = relationship(
        order_by="StatementStock.position", cascade="all, delete-orphan",
        back_populates="statement",
    )
    losses: Mapped[list["StatementLoss"]] = relationship(
        order_by="StatementLoss.position", cascade="all, delete-orphan",
        back_populates="statement",
    )

    @property
    def label(self) -> str:
        """How a person names it: its number, or which draft it is."""
        return self.number or f"draft {self.hotel_code}/{self.consignor_code} {self.period}"


class StatementLine(Base):
    __tablename__ = "statement_lines"
    __table_args__ = (
        CheckConstraint("kind IN ('sale', 'loss', 'correction')", name="kind"),
        CheckConstraint("amount = qty * unit_price", name="amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"), index=True)
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    day: Mapped[date]
    sku: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(200))
    qty: Mapped[int]
    unit_price: Mapped[int] = mapped_column(Money)
    amount: Mapped[int] = mapped_column(Money)
    rate_bp: Mapped[int]
    movement_id: Mapped[int] = mapped_column(ForeignKey("movements.id"))
    # what an owner ticks a line off with (snapshots; None on statements issued before)
    at: Mapped[datetime | None]  # a sale's moment
    receipt: Mapped[str | None] = mapped_column(String(60))
    payment: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(String(30))  # a loss's note number
    reason: Mapped[str | None] = mapped_column(String(500))  # a loss's, or a void's
    corrects_day: Mapped[date | None]  # a correction: the line it corrects
    corrects_receipt: Mapped[str | None] = mapped_column(String(60))
    corrects_number: Mapped[str | None] = mapped_column(String(12))

    statement: Mapped[Statement] = relationship(back_populates="lines")


class StatementStock(Base):
    __tablename__ = "statement_stock"

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"), index=True)
    position: Mapped[int]
    sku: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(200))
    opening: Mapped[int]
    placed: Mapped[int]
    sold: Mapped[int]
    returned: Mapped[int]
    lost: Mapped[int]
    counted: Mapped[int]
    corrected: Mapped[int]
    closing: Mapped[int]

    statement: Mapped[Statement] = relationship(back_populates="stock")


class StatementLoss(Base):
    """A loss, damage or count shortage the IKM bears: listed on its statement (units, note,
    reason) without an amount, so the owner sees every unit that left the shelf."""

    __tablename__ = "statement_losses"

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"), index=True)
    position: Mapped[int]
    day: Mapped[date]
    kind: Mapped[str] = mapped_column(String(20))
    sku: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(200))
    qty: Mapped[int]
    note: Mapped[str | None] = mapped_column(String(30))
    reason: Mapped[str | None] = mapped_column(String(500))
    movement_id: Mapped[int] = mapped_column(ForeignKey("movements.id"))

    statement: Mapped[Statement] = relationship(back_populates="losses")


class Payment(Base):
    """A payment of a statement, in part or in full: its date, amount, reference, and the
    bank account it went to as registered at that moment. Append-only; a payment entered
    by mistake is voided by a ``PaymentVoid``, which keeps both."""

    __tablename__ = "payments"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"), index=True)
    paid_on: Mapped[date]
    amount: Mapped[int] = mapped_column(Money)
    ref: Mapped[str] = mapped_column(String(60))
    bank: Mapped[str] = mapped_column(String(200))
    account: Mapped[str] = mapped_column(String(40))
    holder: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(120))


class PaymentVoid(Base):
    __tablename__ = "payment_voids"

    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), primary_key=True)
    reason: Mapped[str] = mapped_column(String(500))
    voided_at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(120))


# ---- an issued statement never changes (the ORM's guard; migration 0003 adds the database's)

def _stored_status(statement: Statement) -> str | None:
    """The status as the database has it, whatever the object now says."""
    history = inspect(statement).attrs.status.history
    return history.deleted[0] if history.deleted else statement.status


def _refuse(statement_label: str, status: str) -> AlreadyIssued:
    return AlreadyIssued(msg(
        "Statement {label} is {status}: an issued statement never changes (a mistake is "
        "corrected in an open period).", label=statement_label, status=status))


@event.listens_for(Statement, "before_update")
def _guard_statement_update(_mapper, _connection, statement: Statement) -> None:
    stored = _stored_status(statement)
    if stored != "draft":
        raise _refuse(statement.label, stored)


@event.listens_for(Statement, "before_delete")
def _guard_statement_delete(_mapper, _connection, statement: Statement) -> None:
    stored = _stored_status(statement)
    if stored != "draft":
        raise _refuse(statement.label, stored)


def _guard_part(_mapper, connection, part) -> None:
    table = Statement.__table__
    ids = {part.statement_id, *inspect(part).attrs.statement_id.history.deleted}
    for row in connection.execute(
        select(table.c.number, table.c.status).where(table.c.id.in_(ids))
    ):
        if row.status != "draft":
            raise _refuse(row.number, row.status)


for _part in (StatementLine, StatementStock, StatementLoss):
    for _event in ("before_insert", "before_update", "before_delete"):
        event.listen(_part, _event, _guard_part)


guard_append_only(Payment, lambda payment: (
    f"payment {payment.id} cannot be changed or deleted: void it instead"))
guard_append_only(PaymentVoid, lambda void: (
    f"the void of payment {void.payment_id} cannot be changed or deleted"))
