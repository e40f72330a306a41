"""Hotels, IKM (consignors), products, commission terms and the audit log."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consign.contacts import SECTORS
from consign.models.base import Base, Money, one_of
from consign.terms import DISPLAY_DAYS, PAYMENT_DAYS

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
        CheckConstraint(one_of("sector", SECTORS), name="sector"),
        CheckConstraint("nib IS NULL OR length(nib) = 13", name="nib_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(200))
    sector: Mapped[str] = mapped_column(String(20))
    nib: Mapped[str | None] = mapped_column(String(13))
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(400), default="")
    bank: Mapped[str | None] = mapped_column(String(200))
    account: Mapped[str | None] = mapped_column(String(40))
    holder: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    public: Mapped[bool] = mapped_column(
        default=False, comment="consents to appear in the public catalogue")
    description: Mapped[str] = mapped_column(
        String(500), default="", comment="a short description for the public catalogue")
    public_contact: Mapped[bool] = mapped_column(
        default=False, comment="consents to its phone and e-mail on its public pages")


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
    display_days: Mapped[int] = mapped_column(default=DISPLAY_DAYS)
    payment_days: Mapped[int] = mapped_column(default=PAYMENT_DAYS)

    hotel: Mapped[Hotel] = relationship(lazy="joined")
    consignor: Mapped[Consignor | None] = relationship(lazy="joined")


class AuditEntry(Base):
    """One entry of the audit log: one per movement and per change (SPEC section 4a), with
    the business moment of what it records (``at``), when it was recorded, who recorded
    it, and the record it concerns (``movement:1234``, ``hotel:ATRIA``,
    ``statement:ST-000042``). Append-only; chained by ``AuditLink`` in batches."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    recorded_at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(60))
    record: Mapped[str] = mapped_column(String(200), index=True)
    detail: Mapped[str] = mapped_column(Text, default="")


class AuditQueue(Base):
    """Entries not yet in the chain (the database adds each new entry here itself)."""

    __tablename__ = "audit_queue"

    entry_id: Mapped[int] = mapped_column(ForeignKey("audit_log.id"), primary_key=True)


class AuditLink(Base):
    """The hash chain over the audit log: link ``seq`` covers its entry and the link
    before it, so that ``consign check`` finds an entry altered, removed or put in out of
    order. Append-only."""

    __tablename__ = "audit_chain"

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    entry_id: Mapped[int] = mapped_column(ForeignKey("audit_log.id"), unique=True)
    hash: Mapped[str] = mapped_column(String(64))
