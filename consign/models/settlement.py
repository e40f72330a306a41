"""Statements: frozen snapshots of what an IKM is owed by a hotel for a month."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, event, inspect, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consign.errors import AlreadyIssued
from consign.i18n import msg
from consign.models.base import Base, Money

PAYMENT_FIELDS = frozenset({"status", "paid_on", "pay_ref"})


class Statement(Base):
    __tablename__ = "statements"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'issued', 'paid')", name="status"),
        CheckConstraint(
            "status = 'draft' OR (number IS NOT NULL AND issued_on IS NOT NULL "
            "AND due_on IS NOT NULL AND pdf_sha256 IS NOT NULL)",
            name="issued_complete",
        ),
        CheckConstraint(
            "status <> 'paid' OR (paid_on IS NOT NULL AND pay_ref IS NOT NULL)",
            name="paid_recorded",
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
    paid_on: Mapped[date | None]
    pay_ref: Mapped[str | None] = mapped_column(String(100))
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


# ---- an issued statement never changes (the ORM's guard; migration 0003 adds the database's)

def _stored_status(statement: Statement) -> str | None:
    """The status as the database has it, whatever the object now says."""
    history = inspect(statement).attrs.status.history
    return history.deleted[0] if history.deleted else statement.status


def _changed_columns(statement: Statement) -> set[str]:
    state = inspect(statement)
    return {
        column.key for column in state.mapper.column_attrs
        if state.attrs[column.key].history.has_changes()
    }


def _refuse(statement_label: str, status: str) -> AlreadyIssued:
    return AlreadyIssued(msg(
        "Statement {label} is {status}: an issued statement never changes (a mistake is "
        "corrected in an open period).", label=statement_label, status=status))


@event.listens_for(Statement, "before_update")
def _guard_statement_update(_mapper, _connection, statement: Statement) -> None:
    stored = _stored_status(statement)
    if stored == "draft":
        if statement.status == "paid":
            raise AlreadyIssued(msg("Statement {label} is a draft and cannot be paid.",
                                    label=statement.label))
        return
    paying = stored == "issued" and statement.status == "paid"
    if not (paying and _changed_columns(statement) <= PAYMENT_FIELDS):
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


for _part in (StatementLine, StatementStock):
    for _event in ("before_insert", "before_update", "before_delete"):
        event.listen(_part, _event, _guard_part)
