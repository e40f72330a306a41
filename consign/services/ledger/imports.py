"""Importing a day's (or a month's) sales from the file a hotel's till exports.

All or nothing, and fast: the file is checked in memory against the hotel's stock, the
prices of its placements and the receipts it already has, loaded in bulk; then the rows
are inserted in bulk and each product's stock is moved once, guarded as for one sale."""

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from consign.context import Context
from consign.errors import (
    ConsignError,
    Inactive,
    InsufficientStock,
    InvalidInput,
    InvalidRows,
    NotFound,
    PeriodClosed,
    ReceiptConflict,
)
from consign.models import Hotel, Movement, Product, Stock
from consign.money import parse_price, rupiah
from consign.periods import parse_period
from consign.services import audit
from consign.services.ledger import book
from consign.services.ledger.bulk import insert_movements
from consign.services.registry import get_hotel
from consign.tabular import Row, read_rows

REQUIRED = ("sold_at", "sku", "qty")
OPTIONAL = ("unit_price", "receipt")
CHUNK = 10_000
SALE_COLUMNS = ("product_id", "qty", "unit_price", "at", "receipt")
_WHEN = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_UNITS = re.compile(r"\d+")

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class SalesImportResult:
    file: str
    added: int
    already_recorded: int


@dataclass(frozen=True)
class Item:
    """A product as the rows of an import need it."""

    id: int
    sku: str
    price: int


@dataclass
class Sale:
    """One good row of the file."""

    line: int
    at: datetime
    product: Item
    qty: int
    unit_price: int
    receipt: str | None


def import_sales(
    session: Session, ctx: Context, hotel: str, path, progress: Progress | None = None
) -> SalesImportResult:
    """Record every sale of the file (columns ``sold_at,sku,qty,unit_price,receipt``), or,
    if any row is bad, none: every bad row is reported as ``FILE:LINE: message``. Rows whose
    receipt is already recorded with the same quantity and price are skipped and counted.

    ``progress(done, total)`` is called now and then while the file is checked and written."""
    the_hotel = get_hotel(session, hotel, for_use=True)
    rows = read_rows(path, REQUIRED, OPTIONAL)
    job = _Job(session, ctx, the_hotel, str(path), progress or _quiet, len(rows))
    sales, repeats = job.check(rows)
    job.write(sales)
    if sales:
        audit.record(session, ctx, "sales.import", "hotel", the_hotel.code, file=str(path),
                     added=len(sales), already_recorded=repeats)
    return SalesImportResult(str(path), len(sales), repeats)


def _quiet(_done: int, _total: int) -> None:
    pass


class _Job:
    """One import: what it knows of the hotel, and the problems it has found."""

    def __init__(self, session, ctx: Context, hotel: Hotel, path: str, progress, rows: int):
        self.session, self.ctx, self.hotel, self.path = session, ctx, hotel, path
        self.progress, self.total, self.done = progress, 2 * rows, 0
        self.problems: list[tuple[int, ConsignError]] = []
        self.times: dict[str, datetime] = {}
        self.items: dict[str, Item | ConsignError] = {}
        book.hold_books(session, hotel.id)
        self.closed_until = _closed_until(session, hotel.id, ctx.tz)

    def tick(self, rows: int) -> None:
        self.done += rows
        self.progress(self.done, self.total)

    def refuse(self, line: int, error: ConsignError) -> None:
        """Note why a row is refused: malformed (``InvalidInput``) or refused by a rule."""
        self.problems.append((line, error))

    # ---- checking ------------------------------------------------------------------

    def check(self, rows: list[Row]) -> tuple[list[Sale], int]:
        self.products = _products(self.session, {row["sku"].upper() for row in rows})
        self.stock = _stock(self.session, self.hotel.id)
        self.prices = _placement_prices(self.session, self.hotel.id)
        self.receipts = _receipts(self.session, self.hotel.id, _receipt_set(rows))
        sales, repeats = [], 0
        for start in range(0, len(rows), CHUNK):
            for row in rows[start : start + CHUNK]:
                sale = self.parse(row)
                if sale is None:
                    continue
                if self.repeated(sale):
                    repeats += 1
                elif self.in_open_period(sale, row["sold_at"]):
                    sales.append(sale)
            self.tick(len(rows[start : start + CHUNK]))
        self.check_stock(sales)
        if self.problems:
            raise InvalidRows([(f"{self.path}:{line}", error) for line, error in
                               sorted(self.problems, key=lambda problem: problem[0])])
        return sales, repeats

    def parse(self, row: Row) -> Sale | None:
        cell = row.values.get
        try:
            at = self.when(cell("sold_at", ""))
            product = self.product(cell("sku", "").upper())
            qty = _units(cell("qty", ""))
            price = self.price(cell("unit_price", ""), product.id, at) or product.price
            receipt = _receipt(cell("receipt", ""))
        except ConsignError as error:
            self.refuse(row.line, error)
            return None
        return Sale(row.line, at, product, qty, price, receipt)

    def when(self, text: str) -> datetime:
        at = self.times.get(text)
        if at is None:
            at = self.times[text] = _moment(text, self.ctx.tz)
        if at > self.ctx.now:
            raise InvalidInput(f"sold_at {text!r} is in the future")
        return at

    def in_open_period(self, sale: Sale, text: str) -> bool:
        """True if a new sale may be dated where it is. Rows already recorded are told apart
        before this, so that a file spanning a closed month-end can be imported again."""
        if self.closed_until is None or sale.at >= self.closed_until:
            return True
        self.refuse(sale.line, PeriodClosed(
            f"sold_at {text!r} falls in a period already closed for {self.hotel.code}"
        ))
        return False

    def product(self, sku: str) -> "Item":
        item = self.items.get(sku)
        if item is None:
            item = self.items[sku] = self.item(sku)
        if isinstance(item, ConsignError):
            raise type(item)(item.message)
        return item

    def item(self, sku: str) -> "Item | ConsignError":
        """What a row needs of a product, or why it cannot be sold here, looked at once."""
        product = self.products.get(sku)
        if product is None:
            return NotFound(f"unknown SKU {sku!r}")
        if not product.active or not product.consignor.active:
            return Inactive(f"product {sku} is deactivated and accepts no new sales")
        if product.id not in self.stock:
            return InsufficientStock(
                f"{sku} is not stocked at {self.hotel.code}: never placed there"
            )
        return Item(product.id, product.sku, product.price)

    def price(self, text: str, product_id: int, at: datetime) -> int | None:
        if text:
            return parse_price(text, "unit_price")
        times, prices = self.prices.get(product_id, ((), ()))
        index = bisect_right(times, at)
        return prices[index - 1] if index else None

    def repeated(self, sale: Sale) -> bool:
        """True if the sale's receipt is already recorded (or earlier in the file) as the
        same sale; a different sale under the same receipt and SKU is refused."""
        if sale.receipt is None:
            return False
        key = (sale.receipt, sale.product.id)
        known = self.receipts.get(key)
        if known is None:
            self.receipts[key] = (sale.qty, sale.unit_price, sale.line)
            return False
        qty, price, line = known
        if (qty, price) != (sale.qty, sale.unit_price):
            where = f"line {line} of this file" if line else "the ledger"
            self.refuse(sale.line, ReceiptConflict(
                f"receipt {sale.receipt} for {sale.product.sku} is already in {where} as "
                f"{qty} × {rupiah(price)}; this row says {sale.qty} × {rupiah(sale.unit_price)}"
            ))
        return True

    def check_stock(self, sales: list[Sale]) -> None:
        """Refuse the rows that would take any product's stock below zero at any moment,
        counting the earlier rows of the file (in time) and the later movements of the
        ledger, as they stand and as settled."""
        by_product = defaultdict(list)
        for sale in sales:
            by_product[sale.product.id].append(sale)
        for product_id, rows in by_product.items():
            rows.sort(key=lambda sale: (sale.at, sale.line))
            on_hand, last_at = self.stock[product_id]
            timelines = [_Timeline(on_hand, later) for later in
                         self.later_movements(product_id, rows[0].at, last_at)]
            self.take(rows, timelines)
        refused = {line for line, _ in self.problems}
        sales[:] = [sale for sale in sales if sale.line not in refused]

    def later_movements(self, product_id: int, first: datetime, last_at) -> list[list]:
        """The ledger's movements of the product dated after ``first``: as they stand, and
        as settled (without the movements cancelled in their period and their reversals,
        see ``book.SETTLED``). Both are empty when the file starts after the last one."""
        if last_at is None or first >= last_at:
            return [[]]
        query = (
            select(Movement.at, Movement.qty)
            .where(Movement.hotel_id == self.hotel.id, Movement.product_id == product_id,
                   Movement.at > first)
            .order_by(Movement.at)
        )
        return [self.session.execute(query).all(),
                self.session.execute(query.where(*book.SETTLED)).all()]

    def take(self, rows: list[Sale], timelines: list["_Timeline"]) -> None:
        taken = 0
        for sale in rows:
            left = min(timeline.least_from(sale.at) for timeline in timelines) - taken
            if sale.qty <= left:
                taken += sale.qty
                continue
            earlier = " counting the earlier rows of this file" if taken else ""
            self.refuse(sale.line, InsufficientStock(
                f"cannot sell {sale.qty} × {sale.product.sku}: only {max(left, 0)} on hand at "
                f"{book.shown(sale.at, self.ctx.tz)}{earlier}"
            ))

    # ---- writing -------------------------------------------------------------------

    def write(self, sales: list[Sale]) -> None:
        totals = defaultdict(lambda: [0, None, None])
        for sale in sales:
            total = totals[sale.product.id]
            total[0] += sale.qty
            total[1] = sale.at if total[1] is None else min(total[1], sale.at)
            total[2] = sale.at if total[2] is None else max(total[2], sale.at)
        moved = {pid: self.move(pid, *totals[pid]) for pid in sorted(totals)}
        self.insert(sales)
        for product_id, changed in moved.items():
            if changed:
                self.verify(product_id, totals[product_id][1])

    def move(self, product_id: int, qty: int, first: datetime, last: datetime) -> bool:
        """Move the product's stock by the whole file at once; True if someone else moved
        it since it was read (PostgreSQL), so that the result must be verified."""
        after = book.move_stock(self.session, self.hotel.id, product_id, -qty, last)
        if after is None:
            raise InsufficientStock(self.changed_meanwhile(product_id))
        return after[0] != self.stock[product_id][0] - qty

    def verify(self, product_id: int, first: datetime) -> None:
        if book.available_from(self.session, self.hotel.id, product_id, first) < 0:
            raise InsufficientStock(self.changed_meanwhile(product_id))

    def changed_meanwhile(self, product_id: int) -> str:
        sku = next(p.sku for p in self.products.values() if p.id == product_id)
        return (f"Cannot import {self.path}: the stock of {sku} at {self.hotel.code} changed "
                "while the file was being checked. Import it again.")

    def insert(self, sales: list[Sale]) -> None:
        constants = {"kind": "sold", "hotel_id": self.hotel.id, "recorded_at": self.ctx.now,
                     "actor": self.ctx.actor}
        rows = [(s.product.id, -s.qty, s.unit_price, s.at, s.receipt) for s in sales]
        try:
            insert_movements(self.session, constants, SALE_COLUMNS, rows, CHUNK, self.tick)
        except IntegrityError:
            raise ReceiptConflict(
                f"Cannot import {self.path}: some of its receipts were recorded by someone "
                "else while it was being imported. Import it again."
            ) from None


class _Timeline:
    """The stock of one product at the hotel from the ledger alone, and the least it reaches
    from any moment on, given the ledger's movements dated after the file's first row."""

    def __init__(self, on_hand: int, later: list):
        self.moments = [at for at, _ in later]
        # after[k]: units the ledger's movements k, k+1, … add; least[k]: the least stock
        # at the moments of movements k and later
        size = len(later)
        self.after = [0] * (size + 1)
        for k in range(size - 1, -1, -1):
            self.after[k] = self.after[k + 1] + later[k][1]
        self.least = [on_hand] * (size + 1)
        for k in range(size - 1, -1, -1):
            self.least[k] = min(on_hand - self.after[k + 1], self.least[k + 1])
        self.on_hand = on_hand

    def least_from(self, at: datetime) -> int:
        k = bisect_right(self.moments, at)
        return min(self.on_hand - self.after[k], self.least[k])


# ---- loading what the checks need, in bulk ----------------------------------------------

def _products(session: Session, skus: set[str]) -> dict[str, Product]:
    found = {}
    skus = sorted(skus)
    for start in range(0, len(skus), CHUNK):
        chunk = skus[start : start + CHUNK]
        found.update((p.sku, p) for p in session.scalars(
            select(Product).where(Product.sku.in_(chunk))))
    return found


def _stock(session: Session, hotel_id: int) -> dict[int, tuple[int, datetime | None]]:
    rows = session.execute(
        select(Stock.product_id, Stock.on_hand, Stock.last_at).where(Stock.hotel_id == hotel_id)
    )
    return {product_id: (on_hand, last_at) for product_id, on_hand, last_at in rows}


def _placement_prices(session: Session, hotel_id: int) -> dict[int, tuple[list, list]]:
    """Per product, the times and unit prices of its placements at the hotel (not voided)."""
    voided = select(Movement.reverses_id).where(
        Movement.hotel_id == hotel_id, Movement.reverses_id.is_not(None)
    )
    rows = session.execute(
        select(Movement.product_id, Movement.at, Movement.unit_price)
        .where(Movement.hotel_id == hotel_id, Movement.kind == "placed",
               Movement.id.not_in(voided))
        .order_by(Movement.product_id, Movement.at, Movement.id)
    )
    prices = defaultdict(lambda: ([], []))
    for product_id, at, price in rows:
        prices[product_id][0].append(at)
        prices[product_id][1].append(price)
    return prices


def _receipt_set(rows: list[Row]) -> list[str]:
    return sorted({row["receipt"] for row in rows if row["receipt"]})


def _receipts(session: Session, hotel_id: int, receipts: list[str]) -> dict:
    """The sales of the hotel already recorded under these receipts, by (receipt, product)."""
    known = {}
    for start in range(0, len(receipts), CHUNK):
        rows = session.execute(
            select(Movement.receipt, Movement.product_id, Movement.qty, Movement.unit_price)
            .where(Movement.hotel_id == hotel_id,
                   Movement.receipt.in_(receipts[start : start + CHUNK]))
        )
        known.update(((r, p), (-qty, price, None)) for r, p, qty, price in rows)
    return known


def _closed_until(session: Session, hotel_id: int, tz: tzinfo) -> datetime | None:
    latest = book.closed_through(session, hotel_id)
    return None if latest is None else parse_period(latest).end(tz)


def _moment(text: str, tz: tzinfo) -> datetime:
    match = _WHEN.fullmatch(text)
    try:
        if not match:
            raise ValueError
        if match[4] is None or len(match[4]) == 2:  # the common forms: the fast parser
            return datetime.fromisoformat(text).replace(tzinfo=tz).astimezone(UTC)
        parts = [int(part) for part in match.groups(default="0")]
        return datetime(*parts, tzinfo=tz).astimezone(UTC)
    except ValueError:
        raise InvalidInput(
            f"sold_at {text!r} is not a date (2020-10-05) or a date and time (2020-10-05 14:30)"
        ) from None


def _units(text: str) -> int:
    if not _UNITS.fullmatch(text) or int(text) < 1:
        raise InvalidInput(f"qty {text!r} is not a whole number of at least 1")
    return int(text)


def _receipt(text: str) -> str | None:
    if len(text) > 60:
        raise InvalidInput(f"receipt {text[:20]!r}… is longer than 60 characters")
    return text or None
