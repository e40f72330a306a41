"""The read side of the ledger: stock on hand now or as of a moment."""

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consign import fields
from consign.models import Consignor, Hotel, Movement, Product, Stock
from consign.periods import end_of
from consign.services import lookup


@dataclass(frozen=True)
class StockRow:
    hotel: str
    consignor: str
    sku: str
    name: str
    on_hand: int


def stock(
    session: Session, hotel: str | None = None, consignor: str | None = None,
    as_of: datetime | str | None = None, tz: tzinfo | None = None,
) -> list[StockRow]:
    """What is on which shelf: one row per (hotel, product) with units on hand, now or just
    after every movement dated at or before ``as_of`` (a moment, or a date typed: the end
    of that day in ``tz``). Pairs with nothing on hand are left out."""
    if isinstance(as_of, str):
        as_of = fields.moment(as_of, tz, "as_of", end_of_day=True)
    elif as_of is not None:
        as_of = fields.moment(as_of, tz or as_of.tzinfo, "as_of")
    if as_of is None:
        pairs = select(Stock.hotel_id, Stock.product_id, Stock.on_hand.label("on_hand"))
    else:
        pairs = (
            select(Movement.hotel_id, Movement.product_id, func.sum(Movement.qty).label("on_hand"))
            .where(Movement.at <= as_of)
            .group_by(Movement.hotel_id, Movement.product_id)
        )
    pairs = pairs.subquery()
    query = (
        select(Hotel.code, Consignor.code, Product.sku, Product.name, pairs.c.on_hand)
        .join(Hotel, Hotel.id == pairs.c.hotel_id)
        .join(Product, Product.id == pairs.c.product_id)
        .join(Consignor, Consignor.id == Product.consignor_id)
        .where(pairs.c.on_hand != 0)
        .order_by(Hotel.code, Consignor.code, Product.sku)
    )
    if hotel:
        query = query.where(Hotel.id == lookup.hotel(session, hotel).id)
    if consignor:
        query = query.where(Consignor.id == lookup.consignor(session, consignor).id)
    return [StockRow(*row) for row in session.execute(query)]


def end_of_day(day, tz: tzinfo) -> datetime:
    """The last moment of a day in the business time zone: what "as of a date" means."""
    return end_of(day, tz) - timedelta(microseconds=1)


def on_hand_by_product(session: Session, hotel_id: int, at: datetime) -> dict[int, int]:
    """Units on hand per product at the hotel just after ``at``."""
    rows = session.execute(
        select(Movement.product_id, func.sum(Movement.qty))
        .where(Movement.hotel_id == hotel_id, Movement.at <= at)
        .group_by(Movement.product_id)
    )
    return {product_id: units for product_id, units in rows}
