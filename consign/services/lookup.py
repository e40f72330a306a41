"""Finding hotels, IKM and products by their codes, as every use case needs them. A code
given is checked for its form first (``fields``), so a malformed one says so. Given the
acting ``role``, a record outside its scope is answered as if it did not exist, in the same
words (SPEC section 6)."""

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from consign import fields, policy
from consign.errors import Inactive, InvalidInput, NotFound
from consign.i18n import Message, msg
from consign.models import Consignor, Hotel, Note, Product
from consign.policy import Role
from consign.services import access

_NOTE_NUMBER = re.compile(r"(PL|RT|LS|SO)-\d{4}-\d{5,}", re.ASCII)


def _find(session: Session, column, code: str, field: str, missing: Message,
          retired: Message, for_use: bool, role: Role | None = None, seen=None):
    found = session.scalar(select(column.class_).where(column == code))
    if found is None or (role is not None and not seen(session, role, found.id)):
        raise NotFound(missing, field=field)
    if for_use and not found.active:
        raise Inactive(retired, field=field)
    return found


def hotel(session: Session, code: str, *, for_use: bool = False, field: str = "hotel",
          role: Role | None = None) -> Hotel:
    code = fields.code(code, field)
    return _find(
        session, Hotel.code, code, field, msg("No hotel with code {code}.", code=code),
        msg("Hotel {code} is deactivated and accepts no new placements or sales.", code=code),
        for_use, role, access.sees_hotel)


def consignor(session: Session, code: str, *, for_use: bool = False,
              field: str = "consignor", role: Role | None = None) -> Consignor:
    code = fields.code(code, field)
    return _find(
        session, Consignor.code, code, field, msg("No IKM with code {code}.", code=code),
        msg("IKM {code} is deactivated and accepts no new placements or sales.", code=code),
        for_use, role, access.sees_consignor)


def product(session: Session, sku: str, *, for_use: bool = False, field: str = "sku",
            role: Role | None = None) -> Product:
    sku = fields.sku(sku, field)
    found = _find(
        session, Product.sku, sku, field, msg("No product with SKU {sku}.", sku=sku),
        msg("Product {sku} is deactivated and accepts no new placements or sales.", sku=sku),
        for_use, role, access.sees_product)
    if for_use and not found.consignor.active:
        raise Inactive(msg("Product {sku} belongs to IKM {code}, which is deactivated.",
                           sku=found.sku, code=found.consignor.code), field=field)
    return found


def note(session: Session, number: str, field: str = "note", role: Role | None = None) -> Note:
    """A placement, return, loss or count note by its number (``PL-2020-00042``; case does
    not matter); given ``role``, only one of a record in its scope (a count note is of
    the whole hotel: its consignor is none)."""
    number = fields.text(number, field, 30).upper()
    if not _NOTE_NUMBER.fullmatch(number):
        raise InvalidInput(msg("note number {number!r} is not of the form PL-2020-00042 "
                               "(PL, RT, LS or SO)", number=number), field=field)
    found = session.scalar(select(Note).where(Note.number == number))
    if found is None or (role is not None and not _sees_note(session, role, found)):
        raise NotFound(msg("No note {number}.", number=number), field=field)
    return found


def _sees_note(session: Session, role: Role, note: Note) -> bool:
    """A note of one IKM is in the scope of its hotel and of that IKM; a count note (of no
    one IKM) in that of its hotel and of the IKM with goods on it."""
    if note.consignor is not None or policy.within(role, note.hotel.code, None):
        return policy.within(role, note.hotel.code,
                             note.consignor.code if note.consignor else None)
    from consign.models import Movement

    return access.sees(session, role, (Movement.note_id == note.id)
                       & access.products(role, Movement.product_id))
