"""The policy (:mod:`consign.policy`) as the use cases apply it: who acts in a transaction,
and the scope of a role as conditions that every read query adds to its own.

A use case is given the acting principal in its ``ctx``; a read that takes no context
finds the role the edge bound to its session (``bind``: the command line does, for every
transaction). A session bound to nothing, with no context given, acts with full rights,
as the owner of the database file would (a script, a test).

A hotel role sees its own hotel and the IKM and products with goods placed there (a
``stock`` row of the pair exists from the first placement on); a consignor role sees its
own IKM, its products, and the hotels where its goods were placed.
"""

from __future__ import annotations

from sqlalchemy import literal, select, true
from sqlalchemy.orm import Session

from consign import fields, policy
from consign.context import Context
from consign.models import Consignor, Hotel, Product, Stock
from consign.policy import FULL, Role

ROLE = "consign.role"


def bind(session: Session, role: Role) -> None:
    """Say who acts for the rest of the session's transaction."""
    session.info[ROLE] = role


def role_of(session: Session, ctx: Context | None = None) -> Role:
    """The acting role: the context's, else the one bound to the session, else full."""
    if ctx is not None:
        return ctx.role
    return session.info.get(ROLE, FULL)


def require(session: Session, ctx: Context | None, action: str) -> Role:
    """Refuse an action the acting role may not perform at all; the role, for its scope."""
    role = role_of(session, ctx)
    policy.require(role, action)
    return role


def administer(ctx: Context) -> None:
    """Refuse the administrator's own commands (``db``, ``demo``: they take no session) to
    anyone else."""
    policy.require(ctx.role, "admin")


def require_at(session: Session, ctx: Context | None, action: str, hotel: str) -> Role:
    """Refuse an action at a hotel: one the role may not perform at all (``Forbidden``),
    or at a hotel outside its scope, answered as if that hotel did not exist."""
    role = require(session, ctx, action)
    policy.require(role, action, hotel=fields.code(hotel, "hotel"))
    return role


# ---- the scope as conditions on a query ------------------------------------------------------

def _hotel_id(code: str):
    return select(Hotel.id).where(Hotel.code == code).scalar_subquery()


def _consignor_id(code: str):
    return select(Consignor.id).where(Consignor.code == code).scalar_subquery()


def _placed_at(code: str):
    """The products with goods ever placed at the hotel ``code``."""
    return select(Stock.product_id).where(Stock.hotel_id == _hotel_id(code))


def _hotels_of(code: str):
    """The hotels where goods of the IKM ``code`` were ever placed."""
    return (select(Stock.hotel_id).join(Product, Product.id == Stock.product_id)
            .where(Product.consignor_id == _consignor_id(code)))


def hotels(role: Role, column):
    """A condition on a hotel id ``column``: the hotels the role sees."""
    seen = policy.scope(role)
    if seen.hotel is not None:
        return column == _hotel_id(seen.hotel)
    if seen.consignor is not None:
        return column.in_(_hotels_of(seen.consignor))
    return true()


def consignors(role: Role, column):
    """A condition on an IKM id ``column``: the IKM the role sees."""
    seen = policy.scope(role)
    if seen.hotel is not None:
        return column.in_(select(Product.consignor_id)
                          .where(Product.id.in_(_placed_at(seen.hotel))))
    if seen.consignor is not None:
        return column == _consignor_id(seen.consignor)
    return true()


def products(role: Role, column):
    """A condition on a product id ``column``: the products the role sees."""
    seen = policy.scope(role)
    if seen.hotel is not None:
        return column.in_(_placed_at(seen.hotel))
    if seen.consignor is not None:
        return column.in_(select(Product.id)
                          .where(Product.consignor_id == _consignor_id(seen.consignor)))
    return true()


def pairs(role: Role, hotel_id, product_id):
    """A condition on a record of a hotel and a product (a movement, a stock row): a hotel
    role sees its hotel's, a consignor role its own products' at every hotel."""
    seen = policy.scope(role)
    if seen.hotel is not None:
        return hotel_id == _hotel_id(seen.hotel)
    if seen.consignor is not None:
        return products(role, product_id)
    return true()


def records(role: Role, hotel_id, consignor_id):
    """A condition on a record of a hotel and an IKM (a movement, a statement, a pair's
    terms): a hotel role sees its hotel's, a consignor role its own IKM's."""
    seen = policy.scope(role)
    if seen.hotel is not None:
        return hotel_id == _hotel_id(seen.hotel)
    if seen.consignor is not None:
        return consignor_id == _consignor_id(seen.consignor)
    return true()


def sees(session: Session, role: Role, condition) -> bool:
    """Whether a row of the ``condition`` (one of the above, on a given id) is in scope."""
    if policy.scope(role).everything:
        return True
    return session.scalar(select(literal(1)).where(condition).limit(1)) is not None


def sees_hotel(session: Session, role: Role, hotel_id: int) -> bool:
    return sees(session, role, hotels(role, literal(hotel_id)))


def sees_consignor(session: Session, role: Role, consignor_id: int) -> bool:
    return sees(session, role, consignors(role, literal(consignor_id)))


def sees_product(session: Session, role: Role, product_id: int) -> bool:
    return sees(session, role, products(role, literal(product_id)))

