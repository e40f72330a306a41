"""Logging sales one by one, and voiding any movement with a reversal."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, select, true
from sqlalchemy.orm import Session

from consign.context import Context
from consign.errors import (
    AlreadyReversed,
    InvalidInput,
    NotFound,
    NotReversible,
    OutOfOrder,
    ReceiptConflict,
)
from consign.models import ClosedPeriod, Consignor, Hotel, Movement, Product
from consign.models.base import Moment
from consign.money import rupiah
from consign.periods import Period
from consign.services import audit
from consign.services.ledger import book
from consign.services.registry import get_hotel, get_product

PAYMENTS = ("cash", "card", "qris", "transfer")
RECEIPT_KEY = ("hotel_id", "receipt", "product_id")


@dataclass(frozen=True)
class SaleResult:
    movement: Movement
    already_recorded: bool = False


def sell(
    session: Session, ctx: Context, hotel: str, sku: str, qty: int = 1,
    price: int | None = None, at: datetime | None = None, receipt: str | None = None,
    payment: str | None = None,
) -> SaleResult:
    """Log a sale. A receipt number makes it idempotent: the same sale again is reported as
    already recorded, also once its period is closed (it records nothing); the same receipt
    and SKU with another quantity or price is refused."""
    _check_sale(qty, price, payment)
    at = book.moment(ctx, at)
    book.hold_books(session, hotel)
    goods = _goods(session, hotel, sku, at)
    unit_price = price or goods.placement_price or goods.list_price
    receipt = (receipt or "").strip() or None
    values = {
        "kind": "sold", "hotel_id": goods.hotel_id, "product_id": goods.product_id,
        "qty": -qty, "unit_price": unit_price, "at": at, "receipt": receipt, "payment": payment,
    }
    if receipt is not None:
        existing = _by_receipt(session, goods, receipt)
        if existing is not None:
            return _repeat(existing, goods, qty, unit_price)
    book.refuse_closed(goods.hotel, goods.closed_through, at, ctx.tz)
    what = f"sell {qty} × {goods.sku} at {goods.hotel}"
    movement = book.record(session, ctx, values, what, RECEIPT_KEY if receipt else ())
    if movement is None:  # the same receipt was committed meanwhile by someone else
        return _repeat(_by_receipt(session, goods, receipt), goods, qty, unit_price)
    audit.record(session, ctx, "sale", "movement", str(movement.id), hotel=goods.hotel,
               sku=goods.sku, qty=qty, unit_price=unit_price, receipt=receipt)
    return SaleResult(movement)


def _check_sale(qty: int, price: int | None, payment: str | None) -> None:
    if qty < 1:
        raise InvalidInput(f"quantity {qty} must be at least 1")
    if price is not None and price <= 0:
        raise InvalidInput(f"price {price} must be more than Rp0")
    if payment is not None and payment not in PAYMENTS:
        raise InvalidInput(f"payment {payment!r} is not one of {', '.join(PAYMENTS)}")


_MOMENT = bindparam("moment", type_=Moment())
_GOODS = (
    select(
        Hotel.id.label("hotel_id"), Hotel.code.label("hotel"), Product.id.label("product_id"),
        Product.sku, Product.price.label("list_price"),
        select(func.max(ClosedPeriod.period)).where(ClosedPeriod.hotel_id == Hotel.id)
        .scalar_subquery().label("closed_through"),
        book.latest_price_of(Hotel.id, Product.id, _MOMENT).scalar_subquery()
        .label("placement_price"),
    )
    .join_from(Hotel, Product, true())
    .join(Consignor, Consignor.id == Product.consignor_id)
    .where(Hotel.code == bindparam("hotel"), Product.sku == bindparam("sku"),
           Hotel.active, Product.active, Consignor.active)
)


def _goods(session: Session, hotel: str, sku: str, at: datetime):
    """In one query: the hotel and product of a sale (both active), the hotel's latest
    closed period and the price of the product's latest placement there up to ``at``."""
    goods = session.connection().execute(
        _GOODS, {"hotel": hotel.upper(), "sku": sku.strip().upper(), "moment": at}
    ).first()
    if goods is None:  # unknown or deactivated: the registry says which, in its words
        get_hotel(session, hotel, for_use=True)
        get_product(session, sku, for_use=True)
    return goods


_BY_RECEIPT = select(Movement).where(
    Movement.hotel_id == bindparam("hotel_id"),
    Movement.receipt == bindparam("receipt"),
    Movement.product_id == bindparam("product_id"),
)


def _by_receipt(session: Session, goods, receipt: str) -> Movement | None:
    return session.scalar(_BY_RECEIPT, {"hotel_id": goods.hotel_id, "receipt": receipt,
                                        "product_id": goods.product_id})


def _repeat(existing: Movement, goods, qty: int, price: int) -> SaleResult:
    if -existing.qty == qty and existing.unit_price == price:
        return SaleResult(existing, already_recorded=True)
    raise ReceiptConflict(
        f"Receipt {existing.receipt} at {goods.hotel} already records {-existing.qty} × "
        f"{goods.sku} at {rupiah(existing.unit_price)} (movement {existing.id}); "
        f"this sale says {qty} × {goods.sku} at {rupiah(price)}."
    )


def void(
    session: Session, ctx: Context, movement_id: int, reason: str, at: datetime | None = None
) -> Movement:
    """Undo a movement with a reversal that names it. A reversal recorded while the original's
    period is still open for the hotel cancels it there (``cancels``)."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("a void needs a reason")
    at = book.moment(ctx, at)
    original = session.get(Movement, movement_id)
    if original is None:
        raise NotFound(f"No movement with id {movement_id}.")
    _check_reversible(session, ctx, original, at)
    book.ensure_open(session, original.hotel_id, at, ctx.tz)
    latest = book.closed_through(session, original.hotel_id)
    values = {
        "kind": "reversal", "hotel_id": original.hotel_id, "product_id": original.product_id,
        "qty": -original.qty, "unit_price": original.unit_price, "at": at,
        "reason": reason, "liable": original.liable, "reverses_id": original.id,
        "cancels": latest is None or str(Period.of(original.at, ctx.tz)) > latest,
    }
    what = f"void movement {original.id} ({describe(original)})"
    reversal = book.record(session, ctx, values, what, ("reverses_id",))
    if reversal is None:  # voided meanwhile by someone else: now it says so
        _check_reversible(session, ctx, original, at)
        raise AlreadyReversed(f"Movement {original.id} was already voided.")
    if reversal.cancels and original.qty > 0:
        book.refuse_short_cancel(session, ctx, original, what)
    audit.record(session, ctx, "void", "movement", str(reversal.id), reverses=original.id,
                 reason=reason, cancels=reversal.cancels)
    return reversal


def describe(movement: Movement) -> str:
    """``sold 2 × BTK-001 at ATRIA``."""
    return (
        f"{movement.kind} {abs(movement.qty)} × {movement.product.sku} at {movement.hotel.code}"
    )


def _check_reversible(session: Session, ctx: Context, original: Movement, at: datetime):
    if original.kind == "reversal":
        raise NotReversible(
            f"Movement {original.id} is itself a reversal (of movement {original.reverses_id}) "
            "and cannot be voided."
        )
    done = session.scalar(select(Movement.id).where(Movement.reverses_id == original.id))
    if done is not None:
        raise AlreadyReversed(f"Movement {original.id} was already voided by movement {done}.")
    if at < original.at:
        raise OutOfOrder(
            f"Cannot void movement {original.id} as of {book.shown(at, ctx.tz)}: it was "
            f"recorded for {book.shown(original.at, ctx.tz)}, and a reversal cannot come first."
        )
