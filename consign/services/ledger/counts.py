"""Stock counts (stock opname): what the shelf holds against what the ledger expects, and,
once confirmed, the differences recorded as ``counted`` movements under a count note."""

import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from consign.context import Context
from consign.errors import ConsignError, InvalidInput, InvalidRows, NotFound
from consign.models import Hotel, Note, Product, Stock
from consign.services import audit
from consign.services.ledger import book, queries
from consign.services.ledger.notes import LIABLE, append_line, open_note
from consign.services.registry import get_hotel
from consign.tabular import read_rows

_UNITS = re.compile(r"\d+")


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
    note: Note | None = None

    @property
    def differences(self) -> list[CountLine]:
        return [line for line in self.lines if line.difference]


def count(
    session: Session,
    ctx: Context,
    hotel: str,
    path,
    apply: bool = False,
    liable: str = "hotel",
    at: datetime | None = None,
) -> CountResult:
    """Compare a count file (columns ``sku,counted``) with the ledger as of ``at``. With
    ``apply``, record each difference: a shortage like a loss (``liable``), a surplus as
    stock found. SKUs on hand that the file does not list are reported, not changed."""
    if liable not in LIABLE:
        raise InvalidInput(f"liable {liable!r} is not one of {', '.join(LIABLE)}")
    at = book.moment(ctx, at)
    the_hotel = get_hotel(session, hotel)
    counted = _read(session, path, the_hotel)
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


def _read(session: Session, path, hotel: Hotel) -> dict[Product, int]:
    rows = read_rows(path, ("sku", "counted"))
    skus = {row["sku"].upper() for row in rows}
    known = {p.sku: p for p in session.scalars(select(Product).where(Product.sku.in_(skus)))}
    placed = set(session.scalars(select(Stock.product_id).where(Stock.hotel_id == hotel.id)))
    counted, seen, problems = {}, {}, []
    for row in rows:
        sku, units = row["sku"].upper(), row["counted"]
        problem = _count_problem(sku, units, seen, known) or _never_placed(
            known[sku], units, placed, hotel
        )
        if problem is None:
            counted[known[sku]] = int(units)
        else:
            problems.append((f"{path}:{row.line}", problem))
        seen.setdefault(sku, row.line)
    if problems:
        raise InvalidRows(problems)
    return counted


def _count_problem(sku: str, units: str, seen: dict, known: dict) -> ConsignError | None:
    if sku in seen:
        return InvalidInput(f"{sku} is already counted on line {seen[sku]}")
    if sku not in known:
        return NotFound(f"unknown SKU {sku!r}")
    if not _UNITS.fullmatch(units):
        return InvalidInput(f"counted {units!r} is not a whole number of units")
    return None


def _never_placed(product: Product, units: str, placed: set, hotel: Hotel) -> ConsignError | None:
    """Goods on a shelf that never received them are not this hotel's to count."""
    if int(units) and product.id not in placed:
        return NotFound(
            f"{product.sku} was never placed at {hotel.code}; count only goods placed there"
        )
    return None


def _lock(session: Session, hotel_id: int, product_ids: list[int]) -> None:
    """On PostgreSQL, hold the counted rows still while the differences are worked out."""
    session.execute(
        select(Stock.product_id)
        .where(Stock.hotel_id == hotel_id, Stock.product_id.in_(sorted(product_ids)))
        .order_by(Stock.product_id)
        .with_for_update()
    ).all()


def _apply(session, ctx, hotel: Hotel, result: CountResult, counted, liable: str) -> Note:
    note = open_note(session, ctx, "count", hotel, result.at, reason="stock count")
    products = {product.sku: product for product in counted}
    for line in sorted(result.differences, key=lambda line: products[line.sku].id):
        product = products[line.sku]
        values = {"kind": "counted", "qty": line.difference}
        if line.difference < 0:
            price = book.latest_price(session, hotel.id, product.id, result.at)
            values.update(liable=liable, unit_price=price or product.price)
        what = f"record a count of {line.counted} × {line.sku} at {hotel.code}"
        append_line(session, ctx, note, product, values, what)
    audit.record(
        session,
        ctx,
        "count.record",
        "note",
        note.number,
        hotel=hotel.code,
        liable=liable,
        differences={d.sku: d.difference for d in result.differences},
    )
    return note
