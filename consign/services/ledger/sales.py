"""Logging sales one by one, and voiding movements with reversals: by id, by receipt, or
by note."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, select, true
from sqlalchemy.orm import Session, aliased

from consign import fields, policy, records
from consign import ledger as rules
from consign.context import Context
from consign.errors import AlreadyReversed, InvalidInput, NotFound, OutOfOrder, ReceiptConflict
from consign.i18n import msg
from consign.models import ClosedPeriod, Consignor, Hotel, Movement, Product
from consign.models.base import Moment
from consign.money import rupiah
from consign.periods import shown
from consign.services import access, lookup
from consign.services.ledger import book

RECEIPT_KEY = ("hotel_id", "receipt", "product_id", "receipt_version")
WRITE = "ledger.write"


@dataclass(frozen=True)
class SaleResult:
    movement: records.Movement
    already_recorded: bool = False
    voided: bool = False  # the sale recorded under the receipt, already, was voided


def sell(
    session: Session, ctx: Context, hotel: str, sku: str, qty=1, price=None,
    at: datetime | str | None = None, receipt: str | None = None, payment: str | None = None,
) -> SaleResult:
    """Log a sale. A receipt number makes it idempotent: the same sale again is reported as
    already recorded, also once its period is closed (it records nothing); the same receipt
    and SKU with another quantity or price is refused."""
    access.require_at(session, ctx, WRITE, hotel)
    hotel, sku = fields.code(hotel, "hotel"), fields.sku(sku)
    qty, price = fields.quantity(qty), fields.optional_price(price)
    at = fields.when(at, ctx.now, ctx.tz)
    receipt = fields.receipt(receipt)
    payment = fields.optional_choice(payment, "payment", rules.PAYMENT_METHODS)
    book.hold_books(session, hotel)
    goods = _goods(session, hotel, sku, at)
    unit_price = rules.sale_price(price, goods.placement_price, goods.list_price)
    values = {
        "kind": "sold", "hotel_id": goods.hotel_id, "product_id": goods.product_id,
        "qty": -qty, "unit_price": unit_price, "at": at, "receipt": receipt, "payment": payment,
    }
    for _attempt in range(2):  # a second time if someone logged the receipt meanwhile
        if receipt is not None:
            verdict = rules.receipt_verdict(_versions(session, goods, receipt), qty, unit_price)
            if verdict.outcome != "new":
                return _repeat(session, ctx, verdict, goods, receipt, qty, unit_price)
            values["receipt_version"] = verdict.version
        book.refuse_closed(goods.hotel, goods.closed_through, at, ctx.tz)
        what = msg("sell {qty} × {sku} at {hotel}", qty=qty, sku=goods.sku, hotel=goods.hotel)
        movement = book.record(session, ctx, values, what, _names(goods),
                               RECEIPT_KEY if receipt else ())
        if movement is not None:
            return SaleResult(movement)
    raise ReceiptConflict(msg("Receipt {receipt} at {hotel} is being logged by someone else "
                              "at this moment; log it again.", receipt=receipt,
                              hotel=goods.hotel), field="receipt")


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


_VERSIONS = (
    select(Movement.id, Movement.qty, Movement.unit_price, Movement.at,
           book.in_force_condition().label("in_force"))
    .where(Movement.hotel_id == bindparam("hotel_id"), Movement.receipt == bindparam("receipt"),
           Movement.product_id == bindparam("product_id"), Movement.kind == "sold")
    .order_by(Movement.receipt_version)
)


def _versions(session: Session, goods, receipt: str) -> list:
    """The sales recorded under the receipt for the SKU at the hotel, oldest first."""
    rows = session.connection().execute(_VERSIONS, {
        "hotel_id": goods.hotel_id, "receipt": receipt, "product_id": goods.product_id})
    return [rules.Version(rules.Recorded(-row.qty, row.unit_price), bool(row.in_force), row)
            for row in rows]


def _repeat(session, ctx, verdict, goods, receipt: str, qty: int, price: int) -> SaleResult:
    sale = verdict.match.where
    if verdict.outcome == "conflict":
        raise ReceiptConflict(receipt_conflict(
            receipt, goods.hotel, goods.sku, verdict.match.recorded, qty, price,
            msg("movement {id}, sold {at}", id=sale.id, at=shown(sale.at, ctx.tz))),
            field="receipt")
    recorded = records.movement_of(session.get(Movement, sale.id))
    return SaleResult(recorded, already_recorded=True, voided=verdict.outcome == "voided")


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
    """Undo a movement with a reversal that names it. A reversal recorded while the reversed
    movement's period is still open for the hotel cancels it there (``cancels``, counted
    where it counts); after that, it is a correction in its own period. A void made by
    mistake is itself voided: that puts the original back in force."""
    role = access.require(session, ctx, WRITE)
    movement_id = fields.identifier(movement_id, "movement")
    reason = fields.note(reason)
    at = fields.when(at, ctx.now, ctx.tz)
    original = session.get(Movement, movement_id)
    if original is None or not policy.within(role, original.hotel.code, None):
        raise NotFound(msg("No movement with id {id}.", id=movement_id), field="movement")
    return reverse(session, ctx, original, reason, at)


@dataclass(frozen=True)
class Voided:
    """What a void by receipt or by note reversed: the note (if by note) and the reversals."""

    note: str | None
    hotel: str
    receipt: str | None
    movements: tuple[records.Movement, ...]


def void_receipt(session: Session, ctx: Context, hotel: str, receipt: str, reason: str,
                 sku: str | None = None, at: datetime | str | None = None) -> Voided:
    """Void the sales of a receipt at a hotel still in force (only that SKU's, with
    ``sku``): all of them or, if one is refused, none."""
    access.require_at(session, ctx, WRITE, hotel)
    the_hotel = lookup.hotel(session, hotel)
    receipt = fields.receipt(receipt)
    if receipt is None:
        raise InvalidInput(msg("receipt is blank"), field="receipt")
    product = lookup.product(session, sku) if sku is not None else None
    reason, at = fields.note(reason), fields.when(at, ctx.now, ctx.tz)
    sales = select(Movement.id).where(
        Movement.hotel_id == the_hotel.id, Movement.receipt == receipt,
        Movement.kind == "sold", *([Movement.product_id == product.id] if product else []))
    tips = _in_force(session, sales)
    if not tips:
        what = msg(" for {sku}", sku=product.sku) if product else ""
        raise NotFound(msg("Receipt {receipt} at {hotel} has no sale{what} in force to void.",
                           receipt=receipt, hotel=the_hotel.code, what=what),
                       field="receipt")
    reversals = [reverse(session, ctx, tip, reason, at) for tip in tips]
    return Voided(None, the_hotel.code, receipt, tuple(reversals))


def void_note(session: Session, ctx: Context, number: str, reason: str,
              at: datetime | str | None = None) -> Voided:
    """Void the lines of a placement, return, loss or count note still in force: all of
    them or, if one is refused, none."""
    role = access.require(session, ctx, WRITE)
    note = lookup.note(session, number, role=role)
    reason, at = fields.note(reason), fields.when(at, ctx.now, ctx.tz)
    tips = _in_force(session, select(Movement.id).where(Movement.note_id == note.id))
    if not tips:
        raise NotFound(msg("Note {number} has no line in force to void.", number=note.number),
                       field="note")
    reversals = [reverse(session, ctx, tip, reason, at) for tip in tips]
    return Voided(note.number, note.hotel.code, None, tuple(reversals))


def _in_force(session: Session, originals) -> list[Movement]:
    """Of the movements ``originals`` selects, those in force, each as the latest movement
    of its chain of voids (what a void of it now reverses: itself, or the void of its void),
    in the order the movements were recorded."""
    originals = originals.subquery()
    chain = aliased(Movement)
    tips = (
        select(func.max(chain.id))
        .where((chain.id.in_(select(originals.c.id))) | chain.root_id.in_(select(originals.c.id)))
        .group_by(func.coalesce(chain.root_id, chain.id))
        .having(func.count(chain.id) % 2 == 1)  # itself and an even number of voids
    )
    return list(session.scalars(select(Movement).where(Movement.id.in_(tips))
                                .order_by(func.coalesce(Movement.root_id, Movement.id))))


def reverse(session: Session, ctx: Context, original: Movement, reason: str,
            at: datetime) -> records.Movement:
    """The reversal of ``original`` (validated values), recorded under the stock and
    period rules."""
    _check_reversible(session, ctx, original, at)
    book.ensure_open(session, original.hotel_id, at, ctx.tz)
    if original.kind == "reversal":
        _refuse_a_second_sale_of_its_receipt(session, ctx, original)
    latest = book.closed_through(session, original.hotel_id)
    cancels = rules.cancels(latest, original.counts_at, ctx.tz)
    values = {
        "kind": "reversal", "hotel_id": original.hotel_id, "product_id": original.product_id,
        "qty": -original.qty, "unit_price": original.unit_price, "at": at,
        "reason": reason, "liable": original.liable, "reverses_id": original.id,
        "root_id": original.root_id if original.kind == "reversal" else original.id,
        "cancels": cancels, "counts_at": original.counts_at if cancels else at,
    }
    what = msg("void movement {id} ({movement})", id=original.id, movement=describe(original))
    names = {"hotel": original.hotel.code, "consignor": original.product.consignor.code,
             "sku": original.product.sku,
             "note": original.note.number if original.note_id else None}
    reversal = book.record(session, ctx, values, what, names, ("reverses_id",))
    if reversal is None:  # voided meanwhile by someone else: now it says so
        _check_reversible(session, ctx, original, at)
        raise AlreadyReversed(msg("Movement {id} was already voided.", id=original.id))
    if reversal.cancels and original.qty > 0:
        book.refuse_short_cancel(session, ctx, original, what)
    return reversal


def _refuse_a_second_sale_of_its_receipt(session: Session, ctx: Context, void: Movement):
    """Voiding ``void`` puts the sale its chain began with back in force: refused while a
    sale of the same receipt and SKU is in force (the corrected sale), as logging that sale
    again would be. The hotel's row is held exclusively (on PostgreSQL) so that no clerk
    logs the receipt meanwhile: they hold it shared while they log a sale."""
    root = session.get(Movement, void.root_id)
    voids = session.scalar(select(func.count(Movement.id)).where(Movement.root_id == root.id))
    if root.kind != "sold" or root.receipt is None or not rules.in_force(voids + 1):
        return
    session.execute(select(Hotel.id).where(Hotel.id == root.hotel_id).with_for_update())
    live = session.execute(
        select(Movement.id, Movement.qty, Movement.unit_price, Movement.at)
        .where(Movement.hotel_id == root.hotel_id, Movement.receipt == root.receipt,
               Movement.product_id == root.product_id, Movement.kind == "sold",
               Movement.id != root.id, book.in_force_condition())
    ).first()
    if live is not None:
        raise ReceiptConflict(msg(
            "Cannot void movement {id}: it would put sale {sale} back in force, but receipt "
            "{receipt} at {hotel} already records {qty} × {sku} at {price} (movement {other}, "
            "sold {at}); void that sale first.", id=void.id, sale=root.id,
            receipt=root.receipt, hotel=root.hotel.code, qty=-live.qty, sku=root.product.sku,
            price=rupiah(live.unit_price), other=live.id, at=shown(live.at, ctx.tz)),
            field="movement")


# what each kind of movement did, as a sentence says it (``sold 2 × BTK-001 at ATRIA``)
KIND_SAID = {"placed": msg("placed"), "sold": msg("sold"), "returned": msg("returned"),
             "lost": msg("lost"), "damaged": msg("damaged"),
             "counted": msg("counted in a stock count"), "reversal": msg("reversed")}


def describe(movement: Movement):
    """``sold 2 × BTK-001 at ATRIA``."""
    return msg("{kind} {qty} × {sku} at {hotel}", kind=KIND_SAID.get(movement.kind,
                                                                     movement.kind),
               qty=abs(movement.qty), sku=movement.product.sku, hotel=movement.hotel.code)


def _check_reversible(session: Session, ctx: Context, original: Movement, at: datetime):
    done = session.scalar(select(Movement.id).where(Movement.reverses_id == original.id))
    if done is not None:
        raise AlreadyReversed(msg("Movement {id} was already voided by movement {by}.",
                                  id=original.id, by=done))
    if at < original.at:
        raise OutOfOrder(msg(
            "Cannot void movement {id} as of {at}: it was recorded for {when}, and a reversal "
            "cannot come first.", id=original.id, at=shown(at, ctx.tz),
            when=shown(original.at, ctx.tz)), field="at")
