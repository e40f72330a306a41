"""Hotels, IKM (consignors), products, commission terms and the audit log."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consign.models.base import Base, Money

CODE_CHECK = "{col} <> '' AND {col} = upper({col})"


class Hotel(Base):
    __tablename__ = "hotels"
    __table_args__ = (CheckConstraint(CODE_CHECK.format(col="code"), name="code_form"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(400), default="")
    phone: Mapped[str | None] = mapped_column(String(20))
    phri_no: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(default=True)


class Consignor(Base):
    __tablename__ = "consignors"
    __table_args__ = (
        CheckConstraint(CODE_CHECK.format(col="code"), name="code_form"),
        CheckConstraint("sector IN ('kriya', 'fashion', 'kuliner', 'lainnya')", name="sector"),
        CheckConstraint("nib IS NULL OR length(nib) = 13", name="nib_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(200))
    sector: Mapped[str] = mapped_column(String(20))
    nib: Mapped[str | None] = mapped_column(String(13))
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(400), default="")
    bank: Mapped[str | None] = mapped_column(String(100))
    account: Mapped[str | None] = mapped_column(String(40))
    holder: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)


class Product(Base):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("price > 0", name="price_positive"),
        CheckConstraint(CODE_CHECK.format(col="sku"), name="sku_form"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(60), unique=True)
    consignor_id: Mapped[int] = mapped_column(ForeignKey("consignors.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(100), default="")
    price: Mapped[int] = mapped_column(Money)
    active: Mapped[bool] = mapped_column(default=True)

    consignor: Mapped[Consignor] = relationship(lazy="joined")


class Terms(Base):
    """A commission rate with its validity; ``consignor_id`` NULL is the hotel's default.

    ``valid_from`` NULL means from the beginning of time; ``valid_to`` NULL means open-ended.
    """

    __tablename__ = "terms"
    __table_args__ = (
        CheckConstraint("rate_bp >= 0 AND rate_bp <= 10000", name="rate_range"),
        CheckConstraint("display_days > 0", name="display_days_positive"),
        CheckConstraint("payment_days >= 0", name="payment_days_not_negative"),
        CheckConstraint(
            "valid_from IS NULL OR valid_to IS NULL OR valid_from <= valid_to", name="valid_order"
        ),
        Index("ix_terms_scope", "hotel_id", "consignor_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hotel_id: Mapped[int] = mapped_column(ForeignKey("hotels.id"))
    consignor_id: Mapped[int | None] = mapped_column(ForeignKey("consignors.id"))
    rate_bp: Mapped[int]
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]
    display_days: Mapped[int] = mapped_column(default=90)
    payment_days: Mapped[int] = mapped_column(default=14)

    hotel: Mapped[Hotel] = relationship(lazy="joined")
    consignor: Mapped[Consignor | None] = relationship(lazy="joined")


class AuditEntry(Base):
    """Who did what, when, to which record. Written by every change."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(100))
    detail: Mapped[str] = mapped_column(Text, default="")
