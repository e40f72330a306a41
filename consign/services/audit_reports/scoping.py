"""What part of the programme a report may show: the acting role's scope (SPEC section 6),
narrowed further by the hotel and IKM asked for."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from consign import fields, policy
from consign.context import Context
from consign.errors import NotFound
from consign.i18n import msg
from consign.models import Consignor, Hotel, Product, Stock
from consign.services import lookup

REPORT = "audit.report"


Seen = policy.Scope  # the hotel and IKM a report is restricted to (None: all of them)


def seen(session: Session, ctx: Context, hotel: str | None = None,
         consignor: str | None = None, action: str = REPORT) -> Seen:
    """Check that the role may run the report, and what it sees: a code that names no
    hotel or IKM, or one outside the role's scope, is answered "not found" (for a scoped
    role, as if it did not exist)."""
    policy.require(ctx.role, action)
    hotel = fields.code(hotel, "hotel") if hotel else None
    consignor = fields.code(consignor, "consignor") if consignor else None
    scope = policy.scope(ctx.role)
    if hotel and scope.hotel is not None and not policy.within(ctx.role, hotel=hotel):
        raise NotFound(msg("No hotel with code {code}.", code=hotel), field="hotel")
    if consignor and scope.consignor is not None and not policy.within(
            ctx.role, consignor=consignor):
        raise NotFound(msg("No IKM with code {code}.", code=consignor), field="consignor")
    if hotel:
        lookup.hotel(session, hotel)
    if consignor:
        lookup.consignor(session, consignor)
    return Seen(hotel or scope.hotel, consignor or scope.consignor)



def shelves_seen(view: Seen) -> list:
    """SQL: conditions on :class:`Stock` that keep the shelves (hotel, product) in view."""
    found = []
    if view.hotel:
        found.append(Stock.hotel_id == select(Hotel.id).where(
            Hotel.code == view.hotel).scalar_subquery())
    if view.consignor:
        found.append(Stock.product_id.in_(select(Product.id).where(
            Product.consignor_id == select(Consignor.id).where(
                Consignor.code == view.consignor).scalar_subquery())))
    return found
