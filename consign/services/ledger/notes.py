"""Movements that come with a numbered note: placements (``PL-``), returns (``RT-``) and
write-offs of lost or damaged goods (``LS-``)."""

from datetime import datetime

from sqlalchemy.orm import Session

from consign import fields, policy, records
from consign import ledger as rules
from consign.context import Context
from consign.errors import ConsignError, InvalidInput, InvalidRows, WrongConsignor
from consign.i18n import msg
from consign.models import Consignor, Hotel, Note, Product
from consign.policy import FULL, Role
from consign.services import access, lookup
from consign.services.ledger import book
from consign.tabular import Row, Upload, read_rows

WRITE = "ledger.write"


def place(
    session: Session, ctx: Context, hotel: str, consignor: str, lines: list[tuple],
    at: datetime | str | None = None,
) -> records.Note:
    """Goods received by a hotel from one IKM: one note, one ``placed`` movement per line
    (``(sku, qty, price or None)``) at its unit price (by default the product's list
    price)."""
    access.require_at(session, ctx, WRITE, hotel)
    at = fields.when(at, ctx.now, ctx.tz)
    the_hotel = lookup.hotel(session, hotel, for_use=True)
    owner = lookup.consignor(session, consignor, for_use=True)
    items = [_placement_line(session, owner, *line, role=ctx.role)
             for line in _some(lines, "placement")]
    book.ensure_open(session, the_hotel.id, at, ctx.tz)
    note = open_note(session, ctx, "placement", the_hotel, at, owner)
    for product, qty, price in sorted(items, key=lambda item: item[0].id):
        values = {"kind": "placed", "qty": qty, "unit_price": price}
        append_line(session, ctx, note, product, values,
                    msg("place {qty} × {sku}", qty=qty, sku=product.sku))
    return records.note_of(note)


def _placement_line(session: Session, owner: Consignor, sku, qty, price=None, *,
                    role: Role = FULL):
    product = lookup.product(session, sku, for_use=True)
    qty = line_quantity(product.sku, qty)
    price = _line_value(product.sku, lambda: fields.optional_price(price))
    if product.consignor_id != owner.id:
        if not policy.scope(role).everything:  # whose it is lies outside a hotel's scope
            raise WrongConsignor(msg("IKM {other} has no product {sku}.", sku=product.sku,
                                     other=owner.code), field="sku")
        raise WrongConsignor(msg("Product {sku} belongs to IKM {owner}, not {other}.",
                                 sku=product.sku, owner=product.consignor.code,
                                 other=owner.code), field="sku")
    return product, qty, rules.placement_price(price, product.price)


def place_file(session: Session, ctx: Context, hotel: str, upload: Upload,
               at: datetime | str | None = None) -> list[records.Note]:
    """Placements from a file (columns ``consignor,sku,qty,price``; price may be blank): one
    placement per IKM, in the order they first appear. All or nothing: every bad row is
    reported as ``FILE:LINE: message``."""
    access.require_at(session, ctx, WRITE, hotel)
    lookup.hotel(session, hotel, for_use=True)
    lines, problems = {}, []
    table = read_rows(upload, ("consignor", "sku", "qty"), ("price",), problems)
    for row in table.rows:
        try:
            consignor, line = _placement_row(session, row, ctx.role)
        except ConsignError as error:
            problems.append((f"{upload.name}:{row.line}", error))
            continue
        lines.setdefault(consignor, []).append(line)
    if problems:
        raise InvalidRows(problems)
    if not lines:
        raise InvalidInput(msg("{name}: no placements in the file", name=upload.name),
                           field="file")
    return [place(session, ctx, hotel, code, items, at) for code, items in lines.items()]


def _placement_row(session: Session, row: Row, role: Role) -> tuple[str, tuple]:
    owner = lookup.consignor(session, row["consignor"], for_use=True, field="consignor")
    product, qty, price = _placement_line(session, owner, row["sku"], row["qty"],
                                          row["price"] or None, role=role)
    return owner.code, (product.sku, qty, price)


def return_goods(
    session: Session, ctx: Context, hotel: str, lines: list[tuple],
    at: datetime | str | None = None,
) -> list[records.Note]:
    """Unsold goods handed back to their IKM: a return note per IKM (in the order of their
    codes), one ``returned`` movement per line (``(sku, qty)``)."""
    access.require_at(session, ctx, WRITE, hotel)
    at = fields.when(at, ctx.now, ctx.tz)
    the_hotel = lookup.hotel(session, hotel)
    items = [_line(session, *line) for line in _some(lines, "return")]
    book.ensure_open(session, the_hotel.id, at, ctx.tz)
    notes = []
    for owner, owned in _by_owner(items):
        note = open_note(session, ctx, "return", the_hotel, at, owner)
        for product, qty in owned:
            what = msg("return {qty} × {sku} from {hotel}", qty=qty, sku=product.sku,
                       hotel=the_hotel.code)
            append_line(session, ctx, note, product, {"kind": "returned", "qty": -qty}, what)
        notes.append(records.note_of(note))
    return notes


def write_off(
    session: Session, ctx: Context, hotel: str, kind: str, liable: str, reason: str,
    lines: list[tuple], at: datetime | str | None = None,
) -> list[records.Note]:
    """Shrinkage: goods ``lost`` or ``damaged``, with who is liable and why; a loss note per
    IKM. Each movement carries the unit price of the product's latest placement at the
    hotel, the price a hotel-liable loss is settled at."""
    access.require_at(session, ctx, WRITE, hotel)
    kind = fields.choice(kind, "kind", rules.LOSS_KINDS)
    liable = fields.choice(liable, "liable", rules.LIABLE)
    reason = fields.note(reason)
    at = fields.when(at, ctx.now, ctx.tz)
    the_hotel = lookup.hotel(session, hotel)
    items = [_line(session, *line) for line in _some(lines, "write-off")]
    book.ensure_open(session, the_hotel.id, at, ctx.tz)
    notes = []
    for owner, owned in _by_owner(items):
        note = open_note(session, ctx, "loss", the_hotel, at, owner, reason)
        for product, qty in owned:
            price = rules.settle_price(
                book.latest_price(session, the_hotel.id, product.id, at), product.price)
            values = {"kind": kind, "qty": -qty, "liable": liable, "reason": reason,
                      "unit_price": price}
            what = msg("write off {qty} × {sku} at {hotel}", qty=qty, sku=product.sku,
                       hotel=the_hotel.code)
            append_line(session, ctx, note, product, values, what)
        notes.append(records.note_of(note))
    return notes


def _by_owner(items: list[tuple]) -> list[tuple[Consignor, list[tuple]]]:
    """The lines grouped by the IKM whose goods they are (by its code), each group in the
    order of the products' ids: one note per IKM, as with placements."""
    groups: dict[int, list[tuple]] = {}
    for item in sorted(items, key=lambda item: item[0].id):
        groups.setdefault(item[0].consignor_id, []).append(item)
    owned = [(lines[0][0].consignor, lines) for lines in groups.values()]
    return sorted(owned, key=lambda group: group[0].code)


# ---- shared by every note ---------------------------------------------------------------

def line_quantity(sku: str, qty) -> int:
    """A line's quantity, its refusal naming the SKU."""
    return _line_value(sku, lambda: fields.quantity(qty))


def _line_value(sku: str, parse):
    try:
        return parse()
    except InvalidInput as error:
        raise InvalidInput(msg("{sku}: {problem}", sku=sku, problem=error.sentence),
                           field=error.field) from None


def _some(lines: list, what: str) -> list:
    if not lines:
        raise InvalidInput(msg("a {what} needs at least one line SKU=QTY", what=what),
                           field="lines")
    return list(lines)


def _line(session: Session, sku, qty) -> tuple[Product, int]:
    product = lookup.product(session, sku)
    return product, line_quantity(product.sku, qty)


def open_note(
    session: Session, ctx: Context, kind: str, hotel: Hotel, at: datetime,
    consignor: Consignor | None = None, reason: str | None = None,
) -> Note:
    note = Note(
        number=book.next_number(session, kind, at, ctx.tz), kind=kind, hotel=hotel,
        consignor=consignor, at=at, recorded_at=ctx.now, actor=ctx.actor, reason=reason,
    )
    session.add(note)
    session.flush()
    note.written = []  # the records of the lines appended in this request
    return note


def append_line(session: Session, ctx: Context, note: Note, product: Product, values: dict,
                what) -> None:
    values.update(hotel_id=note.hotel_id, product_id=product.id, at=note.at, note_id=note.id)
    names = {"hotel": note.hotel.code, "consignor": product.consignor.code, "sku": product.sku,
             "note": note.number}
    note.written.append(book.record(session, ctx, values, what, names))
