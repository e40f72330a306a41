"""Statements: frozen snapshots of what an IKM is owed by a hotel for a month."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consign.models.base import Base, Money


class Statement(Base):
    __tablename__ = "statements"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'issued', 'paid')", name="status"),
        CheckConstraint("status = 'draft' OR number IS NOT NULL", name="issued_numbered"),
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
    bank: Mapped[str] = mapped_column(String(100))
    account: Mapped[str] = mapped_column(String(40))
    holder: Mapped[str] = mapped_column(String(200))

    lines: Mapped[list["StatementLine"]] = relationship(
        order_by="StatementLine.position", cascade="all, delete-orphan"
    )
    stock: Mapped[list["StatementStock"]] = relationship(
        order_by="StatementStock.position", cascade="all, delete-orphan"
    )


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
