"""Stock counts (stock opname): what the shelf holds against what the ledger expects, and,
once confirmed, the differences recorded as ``counted`` movements under a count note."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from consign import fields, policy, records
from consign import ledger as rules
from consign.context import Context
from consign.errors import ConsignError, InvalidInput, InvalidRows, NeverPlaced, NotFound
from consign.i18n import msg
from consign.models import Hotel, Product, Stock
from consign.services import access, lookup
from consign.services.ledger import book, queries
from consign.services.ledger.notes import append_line, open_note
from consign.tabular import Upload, read_rows


@dataclass(frozen=True)
class CountLine:
    sku: str
    name: str
    consignor: str
    expected: int
    counted: int | None  # None: on hand by the ledger, but not in the count file

    @property
    def difference(self) -> int:
        return (self.counted or 0) - self.expected


@dataclass
class CountResult:
    hotel: str
    at: datetime
    lines: list[CountLine] = field(default_factory=list)
    not_counted: list[CountLine] = field(default_factory=list)
    note: records.Note | None = None

    @property
    def differences(self) -> list[CountLine]:
        return [line for line in self.lines if line.difference]


def count(
    session: Session,
    ctx: Context,
    hotel: str,
    upload: Upload,
    apply: bool = False,
    liable: str = "hotel",
    at: datetime | str | None = None,
) -> CountResult:
    """Compare a count file (columns ``sku,counted``) with the ledger as of ``at``. With
    ``apply``, record each difference: a shortage like a loss (``liable``), a surplus as
    stock found. SKUs on hand that the file does not list are reported, not changed.
    Compared only, it is a reading of the hotel's whole shelf; applied, a write."""
    role = access.require_at(session, ctx, "ledger.write" if apply else "ledger.count", hotel)
    liable = fields.choice(liable, "liable", rules.LIABLE)
    at = fields.when(at, ctx.now, ctx.tz)
    the_hotel = lookup.hotel(session, hotel)
    counted = _read(session, upload, the_hotel, scoped=policy.scope(role).hotel is not None)
    if apply:
        book.ensure_open(session, the_hotel.id, at, ctx.tz)
        _lock(session, the_hotel.id, [product.id for product in counted])
    expected = queries.on_hand_by_product(session, the_hotel.id, at)
    result = CountResult(the_hotel.code, at)
    for product, units in counted.items():
        result.lines.append(_count_line(product, expected.pop(product.id, 0), units))
    result.not_counted = _missing(session, expected)
    if apply:
        result.note = _apply(session, ctx, the_hotel, result, counted, liable)
    return result


def _count_line(product: Product, expected: int, counted: int | None) -> CountLine:
    return CountLine(product.sku, product.name, product.consignor.code, expected, counted)


def _missing(session: Session, expected: dict[int, int]) -> list[CountLine]:
    if not any(expected.values()):
        return []
    products = session.scalars(select(Product).where(Product.id.in_(list(expected))))
    lines = [_count_line(p, expected[p.id], None) for p in products if expected[p.id]]
    return sorted(lines, key=lambda line: line.sku)


def _read(session: Session, upload: Upload, hotel: Hotel, scoped: bool) -> dict[Product, int]:
    """The counted units by product. For a role held to the hotel (its staff), goods never
    placed there are as unknown as goods that do not exist: their SKU tells nothing of
    other hotels' shelves."""
    counted, seen, problems = {}, {}, []
    rows = read_rows(upload, ("sku", "counted"), problems=problems).rows
    skus = {}
    for row in rows:
        try:
            skus[row.line] = fields.sku(row["sku"])
        except InvalidInput as error:
            problems.append((f"{upload.name}:{row.line}", error))
    known = {p.sku: p for p in session.scalars(
        select(Product).where(Product.sku.in_(set(skus.values()))))}
    placed = set(session.scalars(select(Stock.product_id).where(Stock.hotel_id == hotel.id)))
    if scoped:
        known = {sku: product for sku, product in known.items() if product.id in placed}
    for row in rows:
        if row.line not in skus:
            continue
        sku = skus[row.line]
        try:
            units = _count_row(sku, row["counted"], seen, known, placed, hotel)
            counted[known[sku]] = units
        except ConsignError as error:
            problems.append((f"{upload.name}:{row.line}", error))
        seen.setdefault(sku, row.line)
    if problems:
        raise InvalidRows(problems)
    return counted


def _count_row(sku: str, units: str, seen: dict, known: dict, placed: set, hotel: Hotel) -> int:
    if sku in seen:
        raise InvalidInput(msg("{sku} is already counted on line {line}", sku=sku,
                               line=seen[sku]), field="sku")
    if sku not in known:
        raise NotFound(msg("unknown SKU {sku}", sku=sku), field="sku")
    number = fields.counted(units)
    if number and known[sku].id not in placed:
        raise NeverPlaced(msg("{sku} was never placed at {hotel}; count only goods placed "
                              "there", sku=sku, hotel=hotel.code), field="sku")
    return number


def _lock(session: Session, hotel_id: int, product_ids: list[int]) -> None:
    """On PostgreSQL, hold the counted rows still while the differences are worked out."""
    session.execute(
        select(Stock.product_id)
        .where(Stock.hotel_id == hotel_id, Stock.product_id.in_(sorted(product_ids)))
        .order_by(Stock.product_id)
        .with_for_update()
    ).all()


def _apply(session, ctx, hotel: Hotel, result: CountResult, counted, liable: str):
    note = open_note(session, ctx, "count", hotel, result.at, reason="stock count")
    products = {product.sku: product for product in counted}
    for line in sorted(result.differences, key=lambda line: products[line.sku].id):
        product = products[line.sku]
        values = {"kind": "counted", "qty": line.difference}
        if line.difference < 0:
            price = book.latest_price(session, hotel.id, product.id, result.at)
            values.update(liable=liable, unit_price=rules.settle_price(price, product.price))
        what = msg("record a count of {counted} × {sku} at {hotel}", counted=line.counted,
                   sku=line.sku, hotel=hotel.code)
        append_line(session, ctx, note, product, values, what)
    return records.note_of(note)
