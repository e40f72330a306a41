"""Movements that come with a numbered note: placements (``PL-``), returns (``RT-``) and
write-offs of lost or damaged goods (``LS-``)."""

import re
from datetime import datetime

from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from consign.context import Context
from consign.errors import Inactive, InvalidInput, InvalidRows, NotFound, WrongConsignor
from consign.models import Consignor, Hotel, Note, Product
from consign.money import parse_price
from consign.services import audit
from consign.services.ledger import book
from consign.services.registry import get_consignor, get_hotel, get_product
from consign.tabular import Row, read_rows

LOSS_KINDS = ("lost", "damaged")
_UNITS = re.compile(r"\d+")
LIABLE = ("hotel", "consignor")


def place(
    session: Session, ctx: Context, hotel: str, consignor: str,
    lines: list[tuple[str, int, int | None]], at: datetime | None = None,
) -> Note:
    """Goods received by a hotel from one IKM: one note, one ``placed`` movement per line at
    its unit price (by default the product's list price)."""
    at = book.moment(ctx, at)
    the_hotel = get_hotel(session, hotel, for_use=True)
    owner = get_consignor(session, consignor, for_use=True)
    items = [_placement_line(session, owner, *line) for line in _some(lines, "placement")]
    book.ensure_open(session, the_hotel.id, at, ctx.tz)
    note = open_note(session, ctx, "placement", the_hotel, at, owner)
    for product, qty, price in sorted(items, key=lambda item: item[0].id):
        values = {"kind": "placed", "qty": qty, "unit_price": price}
        append_line(session, ctx, note, product, values, f"place {qty} × {product.sku}")
    return _done(session, ctx, note, items)


def _placement_line(session: Session, owner: Consignor, sku: str, qty: int, price: int | None):
    product = get_product(session, sku, for_use=True)
    if product.consignor_id != owner.id:
        raise WrongConsignor(
            f"Product {product.sku} belongs to IKM {product.consignor.code}, not {owner.code}."
        )
    check_qty(product.sku, qty)
    if price is not None and price <= 0:
        raise InvalidInput(f"price of {product.sku} must be more than Rp0")
    return product, qty, price or product.price


def place_file(
    session: Session, ctx: Context, hotel: str, path, at: datetime | None = None
) -> list[Note]:
    """Placements from a file (columns ``consignor,sku,qty,price``; price may be blank): one
    placement per IKM, in the order they first appear. All or nothing: every bad row is
    reported as ``FILE:LINE: message``."""
    get_hotel(session, hotel, for_use=True)
    rows = read_rows(path, ("consignor", "sku", "qty"), ("price",))
    lines, problems = {}, []
    for row in rows:
        try:
            consignor, line = _placement_row(session, row)
        except (InvalidInput, NotFound, Inactive, WrongConsignor) as error:
            problems.append((f"{path}:{row.line}", error))
            continue
        lines.setdefault(consignor, []).append(line)
    if problems:
        raise InvalidRows(problems)
    if not lines:
        raise InvalidInput(f"{path}: no placements in the file")
    return [place(session, ctx, hotel, code, items, at) for code, items in lines.items()]


def _placement_row(session: Session, row: Row) -> tuple[str, tuple[str, int, int | None]]:
    owner = get_consignor(session, row["consignor"], for_use=True)
    if not _UNITS.fullmatch(row["qty"]):
        raise InvalidInput(f"qty {row['qty']!r} is not a whole number of at least 1")
    price = parse_price(row["price"]) if row["price"] else None
    product, qty, price = _placement_line(session, owner, row["sku"], int(row["qty"]), price)
    return owner.code, (product.sku, qty, price)


def return_goods(
    session: Session, ctx: Context, hotel: str, lines: list[tuple[str, int]],
    at: datetime | None = None,
) -> Note:
    """Unsold goods handed back to their IKM: a return note, one ``returned`` movement per line."""
    at = book.moment(ctx, at)
    the_hotel = get_hotel(session, hotel)
    items = [_line(session, sku, qty) for sku, qty in _some(lines, "return")]
    book.ensure_open(session, the_hotel.id, at, ctx.tz)
    note = open_note(session, ctx, "return", the_hotel, at, _one_owner(items))
    for product, qty in sorted(items, key=lambda item: item[0].id):
        what = f"return {qty} × {product.sku} from {the_hotel.code}"
        append_line(session, ctx, note, product, {"kind": "returned", "qty": -qty}, what)
    return _done(session, ctx, note, items)


def write_off(
    session: Session, ctx: Context, hotel: str, kind: str, liable: str, reason: str,
    lines: list[tuple[str, int]], at: datetime | None = None,
) -> Note:
    """Shrinkage: goods ``lost`` or ``damaged``, with who is liable and why. Each movement
    carries the unit price of the product's latest placement at the hotel, the price a
    hotel-liable loss is settled at."""
    reason = _check_write_off(kind, liable, reason)
    at = book.moment(ctx, at)
    the_hotel = get_hotel(session, hotel)
    items = [_line(session, sku, qty) for sku, qty in _some(lines, "write-off")]
    book.ensure_open(session, the_hotel.id, at, ctx.tz)
    note = open_note(session, ctx, "loss", the_hotel, at, _one_owner(items), reason)
    for product, qty in sorted(items, key=lambda item: item[0].id):
        price = book.latest_price(session, the_hotel.id, product.id, at) or product.price
        values = {"kind": kind, "qty": -qty, "liable": liable, "reason": reason,
                  "unit_price": price}
        what = f"write off {qty} × {product.sku} at {the_hotel.code}"
        append_line(session, ctx, note, product, values, what)
    return _done(session, ctx, note, items)


def _check_write_off(kind: str, liable: str, reason: str) -> str:
    if kind not in LOSS_KINDS:
        raise InvalidInput(f"kind {kind!r} is not one of {', '.join(LOSS_KINDS)}")
    if liable not in LIABLE:
        raise InvalidInput(f"liable {liable!r} is not one of {', '.join(LIABLE)}")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("a write-off needs a reason")
    return reason


# ---- shared by every note ---------------------------------------------------------------

def check_qty(sku: str, qty: int) -> None:
    if not isinstance(qty, int) or qty < 1:
        raise InvalidInput(f"quantity of {sku} must be a whole number of at least 1, not {qty}")


def _some(lines: list, what: str) -> list:
    if not lines:
        raise InvalidInput(f"a {what} needs at least one line SKU=QTY")
    return lines


def _line(session: Session, sku: str, qty: int) -> tuple[Product, int]:
    product = get_product(session, sku)
    check_qty(product.sku, qty)
    return product, qty


def _one_owner(items) -> Consignor | None:
    owners = {item[0].consignor_id for item in items}
    return items[0][0].consignor if len(owners) == 1 else None


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
    set_committed_value(note, "movements", [])
    return note


def append_line(
    session: Session, ctx: Context, note: Note, product: Product, values: dict, what: str
) -> None:
    values.update(hotel_id=note.hotel_id, product_id=product.id, at=note.at, note_id=note.id)
    movement = book.record(session, ctx, values, what)
    set_committed_value(note, "movements", [*note.movements, movement])


def _done(session: Session, ctx: Context, note: Note, items) -> Note:
    audit.record(
        session, ctx, f"{note.kind}.record", "note", note.number, hotel=note.hotel.code,
        consignor=note.consignor.code if note.consignor else None,
        lines=[f"{item[0].sku}={item[1]}" for item in items], reason=note.reason,
    )
    return note
