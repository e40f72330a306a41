"""The stock ledger: numbered notes (placements, returns, losses, counts), the append-only
movements, the guarded running stock, closed periods and number counters."""

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    event,
    false,
    text,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from consign.ledger import LIABLE, MOVEMENT_KINDS, NOTE_KINDS, PAYMENT_METHODS
from consign.models.base import Base, Money, one_of
from consign.models.registry import Consignor, Hotel, Product


class Counter(Base):
    """Gapless sequences (statement numbers, note numbers), advanced inside the transaction."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(default=0)


class Note(Base):
    """The paper that goes with a group of movements: ``PL-2020-00042`` for a placement."""

    __tablename__ = "notes"
    __table_args__ = (
        CheckConstraint(one_of("kind", NOTE_KINDS), name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    hotel_id: Mapped[int] = mapped_column(ForeignKey("hotels.id"))
    consignor_id: Mapped[int | None] = mapped_column(ForeignKey("consignors.id"))
    at: Mapped[datetime]
    recorded_at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str | None] = mapped_column(String(500))

    hotel: Mapped[Hotel] = relationship()
    consignor: Mapped[Consignor | None] = relationship()
    movements: Mapped[list["Movement"]] = relationship(
        back_populates="note", order_by="Movement.id"
    )


# the conditions of the partial indexes below (queries must say them in these words, with
# these constants, for SQLite to use the index: consign.services.ledger.shelf)
INFLOWS = "qty > 0 AND kind <> 'reversal'"
TAKES = "qty < 0 AND kind NOT IN ('sold', 'reversal')"
CHAINED = "root_id IS NOT NULL"  # the reversals, by hotel and moment (few)
# what is neither a plain sale nor a plain placement (consign.services.settlement.plain),
# leaving aside those a reversal reverses: returns, losses, counts, reversals, and sales
# without a price or with a note (few): a month's are read one by one by settlement
UNPLAIN = ("kind NOT IN ('sold', 'placed') OR (kind = 'sold' AND (unit_price IS NULL OR "
           "note_id IS NOT NULL))")


class Movement(Base):
    """One line of the append-only stock ledger. Never updated, never deleted."""

    __tablename__ = "movements"
    __table_args__ = (
        CheckConstraint(one_of("kind", MOVEMENT_KINDS), name="kind"),
        CheckConstraint("qty <> 0", name="qty_not_zero"),
        CheckConstraint("unit_price IS NULL OR unit_price > 0", name="unit_price_positive"),
        CheckConstraint(f"liable IS NULL OR {one_of('liable', LIABLE)}", name="liable"),
        CheckConstraint(f"payment IS NULL OR {one_of('payment', PAYMENT_METHODS)}",
                        name="payment"),
        # a receipt's sale, once per version: a voided sale frees its receipt for the next
        UniqueConstraint("hotel_id", "receipt", "product_id", "receipt_version",
                         name="uq_movements_receipt"),
        Index("ix_movements_hotel_at", "hotel_id", "at"),
        Index("ix_movements_hotel_counts_at", "hotel_id", "counts_at"),
        Index("ix_movements_hotel_product_at", "hotel_id", "product_id", "at"),
        # a shelf's movements of a kind over a range of moments, read from the index alone:
        # the latest placement of a product at a hotel (a sale's default price) in one
        # seek; a month's plain sales and placements summed per shelf
        # (consign.services.settlement.plain); a shelf's sales of a range of days, first in
        # first out over every shelf at once (consign.services.ledger.shelf). The movements
        # that added units, and those that took units without a sale, have each a small
        # index of their own, walked newest first
        Index("ix_movements_shelf_kind", "hotel_id", "product_id", "kind", "at", "qty",
              "unit_price", "note_id", "id"),
        Index("ix_movements_inflows", "hotel_id", "product_id", "at", "id", "kind", "qty",
              sqlite_where=text(INFLOWS), postgresql_where=text(INFLOWS)),
        Index("ix_movements_takes", "hotel_id", "product_id", "at", "id", "kind", "qty",
              sqlite_where=text(TAKES), postgresql_where=text(TAKES)),
        Index("ix_movements_chains", "hotel_id", "at", "product_id", "root_id",
              sqlite_where=text(CHAINED), postgresql_where=text(CHAINED)),
        Index("ix_movements_unplain", "hotel_id", "counts_at",
              sqlite_where=text(UNPLAIN), postgresql_where=text(UNPLAIN)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    hotel_id: Mapped[int] = mapped_column(ForeignKey("hotels.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    qty: Mapped[int]
    unit_price: Mapped[int | None] = mapped_column(Money)
    at: Mapped[datetime]
    recorded_at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(120))
    note_id: Mapped[int | None] = mapped_column(ForeignKey("notes.id"), index=True)
    receipt: Mapped[str | None] = mapped_column(String(60))
    payment: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(500))
    liable: Mapped[str | None] = mapped_column(String(20))
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("movements.id"), unique=True)
    cancels: Mapped[bool | None] = mapped_column(
        comment="for a reversal: the reversed movement's period was still open when recorded"
    )
    counts_at: Mapped[datetime] = mapped_column(
        comment="the moment it counts at in settlement: its own, or for a cancelling "
        "reversal that of what it cancels")
    receipt_version: Mapped[int] = mapped_column(
        default=0, comment="how many sales under this receipt and SKU were voided before it")
    root_id: Mapped[int | None] = mapped_column(
        ForeignKey("movements.id"), index=True,
        comment="for a reversal: the movement its chain of voids began with")

    hotel: Mapped[Hotel] = relationship()
    product: Mapped[Product] = relationship()
    note: Mapped[Note | None] = relationship(back_populates="movements")
    reverses: Mapped["Movement | None"] = relationship(remote_side=[id],
                                                       foreign_keys=[reverses_id])


class Stock(Base):
    """Running stock on hand per (hotel, product), kept in the same transaction as the
    movements and guarded so that it can never go below zero."""

    __tablename__ = "stock"
    __table_args__ = (CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),)

    hotel_id: Mapped[int] = mapped_column(ForeignKey("hotels.id"), primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), primary_key=True)
    on_hand: Mapped[int] = mapped_column(default=0)
    last_at: Mapped[datetime | None]


class ClosedPeriod(Base):
    """A month whose statements have been issued for a hotel: no movement may be dated in it.
    Append-only, like movements: a close is never changed or undone."""

    __tablename__ = "closed_periods"

    hotel_id: Mapped[int] = mapped_column(ForeignKey("hotels.id"), primary_key=True)
    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    closed_at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(120))
    # the month's days to sell were kept at its close (:class:`ShelfMonth`); a month closed
    # before they were kept has none, and the reports compute them from the ledger
    ages_kept: Mapped[bool] = mapped_column(default=False, server_default=false())


class ShelfMonth(Base):
    """Per shelf stocked at a hotel when one of its months closed: the units its movements
    dated up to the month's end had taken (``taken``, voided or not: the walk back through
    its inflows starts there), and, if a sale was dated in the month (``sold``), the units
    its sales took, first in first out, with the sum of their days on the shelf, as the
    ledger stood at the month's end (:func:`consign.services.audit_reports.fifo.keep`).
    Kept at the close, when nothing can be dated in the month or before it any more;
    append-only."""

    __tablename__ = "shelf_months"

    hotel_id: Mapped[int] = mapped_column(ForeignKey("hotels.id"), primary_key=True)
    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), primary_key=True)
    taken: Mapped[int] = mapped_column(BigInteger)
    sold: Mapped[bool]
    units: Mapped[int] = mapped_column(BigInteger)
    unit_days: Mapped[int] = mapped_column(BigInteger)


# ---- append-only tables -----------------------------------------------------------------

class AppendOnlyError(RuntimeError):
    """A code path tried to change or delete a movement or a closed period: a bug, never a
    user's mistake. The database refuses it too (triggers of migration 0002)."""


APPEND_ONLY = {
    Movement: lambda movement: (
        f"movement {movement.id} cannot be changed or deleted: movements are append-only; "
        "record a reversal instead"
    ),
    ClosedPeriod: lambda closed: (
        f"the close of {closed.period} for hotel {closed.hotel_id} cannot be changed or "
        "undone: closed_periods are append-only"
    ),
    ShelfMonth: lambda kept: (
        f"the shelf figures of {kept.period} at hotel {kept.hotel_id} cannot be changed: "
        "shelf_months are append-only"
    ),
}


def _refuse_change(_mapper, _connection, target) -> None:
    raise AppendOnlyError(APPEND_ONLY[type(target)](target))


def guard_append_only(model, describe) -> None:
    """Refuse, in the ORM, any update or delete of ``model``'s rows (``describe(row)`` says
    which); the database's triggers refuse them too."""
    APPEND_ONLY[model] = describe
    event.listen(model, "before_update", _refuse_change)
    event.listen(model, "before_delete", _refuse_change)


for _model, _describe in list(APPEND_ONLY.items()):
    guard_append_only(_model, _describe)


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_change(state) -> None:
    """``session.execute(update(Movement))`` bypasses the mapper events above."""
    if not (state.is_update or state.is_delete):
        return
    for mapper in state.all_mappers:
        if mapper.class_ in APPEND_ONLY:
            raise AppendOnlyError(
                f"{mapper.local_table.name} are append-only: no UPDATE or DELETE through the ORM"
            )
