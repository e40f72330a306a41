"""The paper of a hotel's shelf: price labels for the goods on it, and the sheet and the
file of a stock count (``consign doc labels``, ``count-sheet``, ``count-template``).

Both are built from the ledger's own reading of the shelf (:func:`ledger.stock`: units on
hand now, and the hotel price, the latest placement's in force, else the list price), in
its order (by IKM, then SKU), and held to the policy as that reading is: a hotel's staff
see their own hotel; an IKM, its own goods at each hotel where they were placed. A count
sheet is a reading of a hotel's whole shelf, as a count compared is (``ledger.count``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from consign import fields
from consign.context import Context
from consign.errors import ConsignError, InsufficientStock, NeverPlaced, NotFound
from consign.i18n import msg
from consign.models import Consignor, Product, Stock
from consign.services import access, ledger, lookup
from consign.services.documents import AGENCY_NAME, PROGRAMME_NAME
from consign.services.ledger.queries import READ
from reports.count_sheet import CountSheetLine, CountSheetView
from reports.price_labels import PriceLabel, PriceLabelsView

COPIES = (1, 100)  # labels of each product with ``copies``
MOST_LABELS = 1_200  # labels one command prints: 50 sheets of 24
COUNT_COLUMNS = ("sku", "counted")  # what ``consign count`` reads


def copies(value, field: str = "copies") -> int:
    """How many labels of each product: 1 to 100."""
    return fields.integer(value, field, *COPIES)


def build_price_labels_view(
    session: Session, ctx: Context, hotel: str, consignor: str | None = None,
    skus: Iterable[str] = (), copies_each: int | None = None,
    public_url: str | None = None,
) -> PriceLabelsView:
    """The labels of the goods on ``hotel``'s shelf (of one IKM, of some SKUs): one per unit
    on hand, or ``copies_each`` of each product. A label's QR code holds the product's
    public page under ``public_url`` (``{public_url}/p/{SKU}``, the setting already checked
    at the edge), else the SKU. A SKU asked for that is not on the shelf, or more labels
    than ``MOST_LABELS``, is refused."""
    role = access.require(session, ctx, READ)
    count = copies(copies_each) if copies_each is not None else None
    the_hotel = lookup.hotel(session, hotel, role=role, for_use=True)
    owner = lookup.consignor(session, consignor, role=role).code if consignor else None
    wanted = [fields.sku(sku) for sku in skus]
    rows = ledger.stock(session, hotel=the_hotel.code, consignor=owner, ctx=ctx)
    if wanted:
        _refuse_missing(session, role, the_hotel, owner, wanted, {row.sku for row in rows})
        for sku in wanted:  # a label is for scanning into a sale: only what may be sold
            lookup.product(session, sku, role=role, for_use=True)
        rows = [row for row in rows if row.sku in wanted]
    rows = [row for row in rows if row.sku in _on_sale(session, {row.sku for row in rows})]
    if not rows:
        raise InsufficientStock(
            msg("Nothing of {consignor} is on hand at {hotel}: no labels to print.",
                consignor=owner, hotel=the_hotel.code) if owner else
            msg("Nothing is on hand at {hotel}: no labels to print.", hotel=the_hotel.code))
    total = sum(count or row.on_hand for row in rows)
    if total > MOST_LABELS:
        raise ConsignError(msg(
            "Cannot print {total} labels at once: at most {most} a command. Choose fewer with "
            "--consignor, --sku or --copies.", total=total, most=MOST_LABELS))
    names = _consignor_names(session, {row.consignor for row in rows})
    labels = [label for row in rows
              for label in [_label(row, *names[row.consignor], public_url)]
              * (count or row.on_hand)]
    return PriceLabelsView(AGENCY_NAME, the_hotel.code, the_hotel.name, tuple(labels))


def _label(row: ledger.StockRow, consignor_name: str, public: bool,
           public_url: str | None) -> PriceLabel:
    """A product's label; its QR code opens the product's public page only for an IKM
    that agreed to appear in the public catalogue (SPEC section 6), else holds the SKU."""
    price = row.value // row.on_hand  # the stock's value is on hand × the hotel price
    return PriceLabel(row.sku, row.name, consignor_name, price,
                      f"{public_url}/p/{row.sku}" if public_url and public else row.sku)


def _refuse_missing(session: Session, role, hotel, owner: str | None, wanted: list[str],
                    on_shelf: set[str]) -> None:
    """Say why the first SKU asked for that is not on the shelf: unknown (or out of the
    role's scope), another IKM's, never placed at the hotel, or sold out there."""
    for sku in wanted:
        if sku in on_shelf:
            continue
        product = lookup.product(session, sku, role=role)
        if owner and product.consignor.code != owner:
            raise NotFound(msg("{sku} is not a product of {consignor}.", sku=sku,
                               consignor=owner), field="sku")
        placed = session.scalar(select(Stock.product_id).where(
            Stock.hotel_id == hotel.id, Stock.product_id == product.id))
        if placed is None:
            raise NeverPlaced(msg("{sku} was never placed at {hotel}", sku=sku,
                                  hotel=hotel.code), field="sku")
        raise InsufficientStock(msg("No {sku} is on hand at {hotel}: no label to print.",
                                    sku=sku, hotel=hotel.code), field="sku")


def _on_sale(session: Session, skus: set[str]) -> set[str]:
    """Those of ``skus`` that may be sold: the product and its IKM active."""
    return set(session.scalars(
        select(Product.sku).join(Consignor, Consignor.id == Product.consignor_id)
        .where(Product.sku.in_(sorted(skus)), Product.active, Consignor.active)))


def _consignor_names(session: Session, codes: set[str]) -> dict[str, tuple[str, bool]]:
    """Per IKM code: its name, and whether it appears in the public catalogue."""
    rows = session.execute(select(Consignor.code, Consignor.name, Consignor.public)
                           .where(Consignor.code.in_(sorted(codes))))
    return {code: (name, bool(public)) for code, name, public in rows}


def build_count_sheet_view(session: Session, ctx: Context, hotel: str) -> CountSheetView:
    """What ``hotel``'s shelf holds by the ledger now, SKU by SKU (by IKM, then SKU): the
    sheet a stock count is written on, and the rows of its file."""
    access.require_at(session, ctx, "ledger.count", hotel)
    the_hotel = lookup.hotel(session, hotel)
    rows = ledger.stock(session, hotel=the_hotel.code, ctx=ctx)
    names = _consignor_names(session, {row.consignor for row in rows})
    local = ctx.now.astimezone(ctx.tz)
    return CountSheetView(
        agency_name=AGENCY_NAME, programme_name=PROGRAMME_NAME, hotel_code=the_hotel.code,
        hotel_name=the_hotel.name, hotel_address=the_hotel.address, as_of=local.date(),
        as_of_time=f"{local:%H:%M} {local.tzname()}",
        lines=tuple(CountSheetLine(row.sku, row.name, row.consignor, names[row.consignor][0],
                                   row.on_hand) for row in rows))


def count_template(view: CountSheetView) -> str:
    """The file that ``consign count`` reads (columns ``sku,counted``), a row for each line
    of the sheet in its order, ``counted`` left blank to be filled in."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COUNT_COLUMNS)
    writer.writerows((line.sku, "") for line in view.lines)
    return out.getvalue()
