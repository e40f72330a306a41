"""Logging sales one by one, and voiding any movement with a reversal."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, select, true
from sqlalchemy.orm import Session

from consign import fields, records
from consign import ledger as rules
from consign.context import Context
from consign.errors import AlreadyReversed, NotFound, NotReversible, OutOfOrder, ReceiptConflict
from consign.i18n import msg
from consign.models import ClosedPeriod, Consignor, Hotel, Movement, Product
from consign.models.base import Moment
from consign.money import rupiah
from consign.periods import shown
from consign.services import lookup
from consign.services.ledger import book

RECEIPT_KEY = ("hotel_id", "receipt", "product_id")


@dataclass(frozen=True)
class SaleResult:
    movement: records.Movement
    already_recorded: bool = False


def sell(
    session: Session, ctx: Context, hotel: str, sku: str, qty=1, price=None,
    at: datetime | str | None = None, receipt: str | None = None, payment: str | None = None,
) -> SaleResult:
    """Log a sale. A receipt number makes it idempotent: the same sale again is reported as
    already recorded, also once its period is closed (it records nothing); the same receipt
    and SKU with another quantity or price is refused."""
    hotel, sku = fields.code(hotel, "hotel"), fields.sku(sku)
    qty, price = fields.quantity(qty), fields.optional_price(price)
    at = fields.when(at, ctx.now, ctx.tz)
    receipt = fields.receipt(receipt)
    payment = fields.optional_choice(payment, "payment", rules.PAYMENT_METHODS)
    book.hold_books(session, hotel)
    goods = _goods(session, hotel, sku, at)
    unit_price = rules.sale_price(price, goods.placement_price, goods.list_price)
    if receipt is not None:
        existing = _by_receipt(session, goods, receipt)
        if existing is not None:
            return _repeat(session, ctx, existing, goods, qty, unit_price)
    book.refuse_closed(goods.hotel, goods.closed_through, at, ctx.tz)
    values = {
        "kind": "sold", "hotel_id": goods.hotel_id, "product_id": goods.product_id,
        "qty": -qty, "unit_price": unit_price, "at": at, "receipt": receipt, "payment": payment,
    }
    what = msg("sell {qty} × {sku} at {hotel}", qty=qty, sku=goods.sku, hotel=goods.hotel)
    movement = book.record(session, ctx, values, what, _names(goods),
                           RECEIPT_KEY if receipt else ())
    if movement is None:  # the same receipt was committed meanwhile by someone else
        return _repeat(session, ctx, _by_receipt(session, goods, receipt), goods, qty, unit_price)
    return SaleResult(movement)


def _names(goods) -> dict:
    return {"hotel": goods.hotel, "consignor": goods.consignor, "sku": goods.sku}


_MOMENT = bindparam("moment", type_=Moment())
_GOODS = (
    select(
        Hotel.id.label("hotel_id"), Hotel.code.label("hotel"), Product.id.label("product_id"),
        Product.sku, Product.price.label("list_price"), Consignor.code.label("consignor"),
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
        _GOODS, {"hotel": hotel, "sku": sku, "moment": at}).first()
    if goods is None:  # unknown or deactivated: the registry says which, in its words
        lookup.hotel(session, hotel, for_use=True)
        lookup.product(session, sku, for_use=True)
    return goods


_BY_RECEIPT = select(Movement).where(
    Movement.hotel_id == bindparam("hotel_id"),
    Movement.receipt == bindparam("receipt"),
    Movement.product_id == bindparam("product_id"),
)


def _by_receipt(session: Session, goods, receipt: str) -> Movement | None:
    return session.scalar(_BY_RECEIPT, {"hotel_id": goods.hotel_id, "receipt": receipt,
                                        "product_id": goods.product_id})


def _repeat(session, ctx, existing: Movement, goods, qty: int, price: int) -> SaleResult:
    if rules.same_sale(rules.Recorded(-existing.qty, existing.unit_price), qty, price):
        return SaleResult(records.movement_of(existing), already_recorded=True)
    raise ReceiptConflict(receipt_conflict(
        existing.receipt, goods.hotel, goods.sku, rules.Recorded(-existing.qty,
                                                                existing.unit_price),
        qty, price, msg("movement {id}, sold {at}", id=existing.id,
                        at=shown(existing.at, ctx.tz))), field="receipt")


def receipt_conflict(receipt: str, hotel: str, sku: str, recorded: "rules.Recorded", qty: int,
                     price: int, where):
    """The one sentence for a receipt that already records another sale of the SKU."""
    return msg(
        "Receipt {receipt} at {hotel} already records {old_qty} × {sku} at {old_price} "
        "({where}); this sale says {qty} × {sku} at {price}.", receipt=receipt, hotel=hotel,
        sku=sku, old_qty=recorded.qty, old_price=rupiah(recorded.unit_price), where=where,
        qty=qty, price=rupiah(price))


def void(session: Session, ctx: Context, movement_id, reason: str,
         at: datetime | str | None = None) -> records.Movement:
    """Undo a movement with a reversal that names it. A reversal recorded while the original's
    period is still open for the hotel cancels it there (``cancels``)."""
    movement_id = fields.identifier(movement_id, "movement")
    reason = fields.note(reason)
    at = fields.when(at, ctx.now, ctx.tz)
    original = session.get(Movement, movement_id)
    if original is None:
        raise NotFound(msg("No movement with id {id}.", id=movement_id), field="movement")
    _check_reversible(session, ctx, original, at)
    book.ensure_open(session, original.hotel_id, at, ctx.tz)
    latest = book.closed_through(session, original.hotel_id)
    values = {
        "kind": "reversal", "hotel_id": original.hotel_id, "product_id": original.product_id,
        "qty": -original.qty, "unit_price": original.unit_price, "at": at,
        "reason": reason, "liable": original.liable, "reverses_id": original.id,
        "cancels": rules.cancels(latest, original.at, ctx.tz),
    }
    what = msg("void movement {id} ({movement})", id=original.id, movement=describe(original))
    names = {"hotel": original.hotel.code, "consignor": original.product.consignor.code,
             "sku": original.product.sku}
    reversal = book.record(session, ctx, values, what, names, ("reverses_id",))
    if reversal is None:  # voided meanwhile by someone else: now it says so
        _check_reversible(session, ctx, original, at)
        raise AlreadyReversed(msg("Movement {id} was already voided.", id=original.id))
    if reversal.cancels and original.qty > 0:
        book.refuse_short_cancel(session, ctx, original, what)
    return reversal


def describe(movement: Movement):
    """``sold 2 × BTK-001 at ATRIA``."""
    return msg("{kind} {qty} × {sku} at {hotel}", kind=movement.kind, qty=abs(movement.qty),
               sku=movement.product.sku, hotel=movement.hotel.code)


def _check_reversible(session: Session, ctx: Context, original: Movement, at: datetime):
    if original.kind == "reversal":
        raise NotReversible(msg(
            "Movement {id} is itself a reversal (of movement {of}) and cannot be voided.",
            id=original.id, of=original.reverses_id))
    done = session.scalar(select(Movement.id).where(Movement.reverses_id == original.id))
    if done is not None:
        raise AlreadyReversed(msg("Movement {id} was already voided by movement {by}.",
                                  id=original.id, by=done))
    if at < original.at:
        raise OutOfOrder(msg(
            "Cannot void movement {id} as of {at}: it was recorded for {when}, and a reversal "
            "cannot come first.", id=original.id, at=shown(at, ctx.tz),
            when=shown(original.at, ctx.tz)), field="at")
