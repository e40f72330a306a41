"""Finding hotels, IKM and products by their codes, as every use case needs them. A code
given is checked for its form first (``fields``), so a malformed one says so."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from consign import fields
from consign.errors import Inactive, NotFound
from consign.i18n import Message, msg
from consign.models import Consignor, Hotel, Product


def _find(session: Session, column, code: str, field: str, missing: Message,
          retired: Message, for_use: bool):
    found = session.scalar(select(column.class_).where(column == code))
    if found is None:
        raise NotFound(missing, field=field)
    if for_use and not found.active:
        raise Inactive(retired, field=field)
    return found


def hotel(session: Session, code: str, *, for_use: bool = False, field: str = "hotel") -> Hotel:
    code = fields.code(code, field)
    return _find(
        session, Hotel.code, code, field, msg("No hotel with code {code}.", code=code),
        msg("Hotel {code} is deactivated and accepts no new placements or sales.", code=code),
        for_use)


def consignor(session: Session, code: str, *, for_use: bool = False,
              field: str = "consignor") -> Consignor:
    code = fields.code(code, field)
    return _find(
        session, Consignor.code, code, field, msg("No IKM with code {code}.", code=code),
        msg("IKM {code} is deactivated and accepts no new placements or sales.", code=code),
        for_use)


def product(session: Session, sku: str, *, for_use: bool = False, field: str = "sku") -> Product:
    sku = fields.sku(sku, field)
    found = _find(
        session, Product.sku, sku, field, msg("No product with SKU {sku}.", sku=sku),
        msg("Product {sku} is deactivated and accepts no new placements or sales.", sku=sku),
        for_use)
    if for_use and not found.consignor.active:
        raise Inactive(msg("Product {sku} belongs to IKM {code}, which is deactivated.",
                           sku=found.sku, code=found.consignor.code), field=field)
    return found
