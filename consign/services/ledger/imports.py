"""Importing a day's (or a month's) sales from the file a hotel's till exports.

All or nothing, and fast: the file is checked in memory against the hotel's stock, the
prices of its placements and the receipts it already has, loaded in bulk; then the rows
are inserted in bulk and each product's stock is moved once, guarded as for one sale."""

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from consign import fields
from consign import ledger as rules
from consign.context import Context
from consign.errors import (
    ConsignError,
    Inactive,
    InsufficientStock,
    InvalidInput,
    InvalidRows,
    NeverPlaced,
    NotFound,
    PeriodClosed,
    ReceiptConflict,
)
from consign.i18n import msg
from consign.models import Consignor, Hotel, Movement, Product, Stock
from consign.periods import shown
from consign.services import access, audit, lookup
from consign.services.ledger import book
from consign.services.ledger.bulk import insert_movements
from consign.services.ledger.sales import receipt_conflict
from consign.tabular import Row, Upload, read_rows

REQUIRED = ("sold_at", "sku", "qty")
OPTIONAL = ("unit_price", "receipt", "payment")
CHUNK = 10_000
SALE_COLUMNS = ("product_id", "qty", "unit_price", "at", "counts_at", "receipt", "payment",
                "receipt_version")

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class SalesImportResult:
    file: str
    added: int
    already_recorded: int
    voided: int = 0  # of those already recorded, the rows whose sale was voided


@dataclass(frozen=True)
class Item:
    """A product as the rows of an import need it."""

    id: int
    sku: str
    price: int
    consignor: str


@dataclass
class Sale:
    """One good row of the file."""

    line: int
    at: datetime
    product: Item
    qty: int
    unit_price: int
    receipt: str | None
    payment: str | None = None
    receipt_version: int = 0


def import_sales(
    session: Session, ctx: Context, hotel: str, upload: Upload,
    progress: Progress | None = None,
) -> SalesImportResult:
    """Record every sale of the file (columns ``sold_at,sku,qty,unit_price,receipt`` and
    optionally ``payment``), or, if any row is bad, none: every bad row is reported as
    ``FILE:LINE: message``. Rows whose receipt is already recorded with the same quantity
    and price are skipped and counted; every sale written gets its own audit entry.

    ``progress(done, total)`` is called now and then while the file is checked and written."""
    access.require_at(session, ctx, "ledger.write", hotel)
    the_hotel = lookup.hotel(session, hotel, for_use=True)
    malformed: list = []
    rows = read_rows(upload, REQUIRED, OPTIONAL, malformed).rows
    job = _Job(session, ctx, the_hotel, upload.name, progress or _quiet, len(rows))
    job.problems += [(int(where.rsplit(":", 1)[1]), error) for where, error in malformed]
    sales, repeats = job.check(rows)
    job.write(sales)
    return SalesImportResult(upload.name, len(sales), repeats, job.voided)


def _quiet(_done: int, _total: int) -> None:
    pass


class _Job:
    """One import: what it knows of the hotel, and the problems it has found."""

    def __init__(self, session, ctx: Context, hotel: Hotel, path: str, progress, rows: int):
        self.session, self.ctx, self.hotel, self.path = session, ctx, hotel, path
        self.progress, self.total, self.done = progress, 2 * rows, 0
        self.problems: list[tuple[int, ConsignError]] = []
        self.voided = 0  # rows recognised as the figures of a voided sale
        self.times: dict[str, datetime] = {}
        self.items: dict[str, Item | ConsignError] = {}
        book.hold_books(session, hotel.id)
        self.closed_until = rules.open_from(book.closed_through(session, hotel.id), ctx.tz)

    def tick(self, rows: int) -> None:
        self.done += rows
        self.progress(self.done, self.total)

    def refuse(self, line: int, error: ConsignError) -> None:
        """Note why a row is refused: malformed (``InvalidInput``) or refused by a rule."""
        self.problems.append((line, error))

    # ---- checking ------------------------------------------------------------------

    def check(self, rows: list[Row]) -> tuple[list[Sale], int]:
        self.products = _products(self.session, {row["sku"].strip().upper() for row in rows})
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
            product = self.product(cell("sku", ""))
            qty = fields.quantity(cell("qty", ""))
            given = fields.optional_price(cell("unit_price", ""), "unit_price")
            price = rules.sale_price(given, self.placement_price(product.id, at), product.price)
            receipt = fields.receipt(cell("receipt", ""))
            payment = fields.optional_choice(cell("payment", ""), "payment",
                                             rules.PAYMENT_METHODS)
        except ConsignError as error:
            self.refuse(row.line, error)
            return None
        return Sale(row.line, at, product, qty, price, receipt, payment)

    def when(self, text: str) -> datetime:
        """A row's moment: required, in the date grammar, not in the future; each distinct
        text is read once."""
        at = self.times.get(text)
        if at is None:
            if not text:
                raise InvalidInput(msg("sold_at is blank"), field="sold_at")
            at = self.times[text] = fields.when(text, self.ctx.now, self.ctx.tz, "sold_at")
        return at

    def in_open_period(self, sale: Sale, text: str) -> bool:
        """True if a new sale may be dated where it is. Rows already recorded are told apart
        before this, so that a file spanning a closed month-end can be imported again."""
        if self.closed_until is None or sale.at >= self.closed_until:
            return True
        self.refuse(sale.line, PeriodClosed(msg(
            "sold_at {text!r} falls in a period already closed for {hotel}", text=text,
            hotel=self.hotel.code), field="sold_at"))
        return False

    def product(self, text: str) -> "Item":
        item = self.items.get(text)
        if item is None:
            item = self.items[text] = self.item(text)
        if isinstance(item, ConsignError):
            raise item
        return item

    def item(self, text: str) -> "Item | ConsignError":
        """What a row needs of a product, or why it cannot be sold here, looked at once."""
        try:
            sku = fields.sku(text)
        except InvalidInput as error:
            return error
        product = self.products.get(sku)
        if product is None:
            return NotFound(msg("unknown SKU {sku}", sku=sku), field="sku")
        if not product.active or not product.consignor.active:
            return Inactive(msg("product {sku} is deactivated and accepts no new sales",
                                sku=sku), field="sku")
        if product.id not in self.stock:
            return NeverPlaced(book.never_placed(sku, self.hotel.code), field="sku")
        return Item(product.id, product.sku, product.price, product.consignor.code)

    def placement_price(self, product_id: int, at: datetime) -> int | None:
        times, prices = self.prices.get(product_id, ((), ()))
        index = bisect_right(times, at)
        return prices[index - 1] if index else None

    def repeated(self, sale: Sale) -> bool:
        """True if the row is already recorded under its receipt (in the ledger, also as a
        voided sale, or earlier in the file) and so adds nothing; a row that conflicts with
        a sale of its receipt in force is refused (``ledger.receipt_verdict``)."""
        if sale.receipt is None:
            return False
        key = (sale.receipt, sale.product.id)
        versions = self.receipts.setdefault(key, [])
        verdict = rules.receipt_verdict(versions, sale.qty, sale.unit_price)
        if verdict.outcome == "new":
            sale.receipt_version = verdict.version
            versions.append(rules.Version(rules.Recorded(sale.qty, sale.unit_price), True,
                                          msg("line {line} of this file", line=sale.line)))
            return False
        if verdict.outcome == "conflict":
            self.refuse(sale.line, ReceiptConflict(receipt_conflict(
                sale.receipt, self.hotel.code, sale.product.sku, verdict.match.recorded,
                sale.qty, sale.unit_price, verdict.match.where), field="receipt"))
        self.voided += verdict.outcome == "voided"
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
        """The ledger's movements of the product after ``first``: by their own moments, and
        as settled, by the moments they count at (a cancelling void with what it
        cancels). Both are empty when the file starts after the last one."""
        if last_at is None or first >= last_at:
            return [[]]
        pair = (Movement.hotel_id == self.hotel.id, Movement.product_id == product_id)
        return [
            self.session.execute(select(Movement.at, Movement.qty)
                                 .where(*pair, Movement.at > first)
                                 .order_by(Movement.at)).all(),
            self.session.execute(select(Movement.counts_at, Movement.qty)
                                 .where(*pair, Movement.counts_at > first)
                                 .order_by(Movement.counts_at)).all(),
        ]

    def take(self, rows: list[Sale], timelines: list["_Timeline"]) -> None:
        taken = 0
        for sale in rows:
            left = min(timeline.least_from(sale.at) for timeline in timelines) - taken
            if sale.qty <= left:
                taken += sale.qty
                continue
            values = {"qty": sale.qty, "sku": sale.product.sku, "left": max(left, 0),
                      "at": shown(sale.at, self.ctx.tz)}
            sentence = (msg("cannot sell {qty} × {sku}: only {left} on hand at {at} counting "
                            "the earlier rows of this file", **values) if taken else
                        msg("cannot sell {qty} × {sku}: only {left} on hand at {at}", **values))
            self.refuse(sale.line, InsufficientStock(sentence, field="qty"))

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

    def changed_meanwhile(self, product_id: int):
        sku = next(p.sku for p in self.products.values() if p.id == product_id)
        return msg("Cannot import {file}: the stock of {sku} at {hotel} changed while the "
                   "file was being checked. Import it again.", file=self.path, sku=sku,
                   hotel=self.hotel.code)

    def insert(self, sales: list[Sale]) -> None:
        """The sales, then one audit entry for each (with the id the database gave it)."""
        constants = {"kind": "sold", "hotel_id": self.hotel.id, "recorded_at": self.ctx.now,
                     "actor": self.ctx.actor}
        rows = [(s.product.id, -s.qty, s.unit_price, s.at, s.at, s.receipt, s.payment,
                 s.receipt_version) for s in sales]
        try:
            ids = insert_movements(self.session, constants, SALE_COLUMNS, rows, CHUNK, self.tick)
        except IntegrityError:
            raise ReceiptConflict(msg(
                "Cannot import {file}: some of its receipts were recorded by someone else "
                "while it was being imported. Import it again.", file=self.path)) from None
        hotel, ctx = self.hotel.code, self.ctx
        audit.record_many(self.session, [
            audit.movement_entry(ctx, movement_id, sale.at, audit.movement_detail(
                "sold", hotel, sale.product.consignor, sale.product.sku, -sale.qty,
                sale.unit_price, sale.receipt, sale.payment))
            for movement_id, sale in zip(ids, sales, strict=True)
        ])


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
    skus = sorted(sku for sku in skus if len(sku) <= 60)
    for start in range(0, len(skus), CHUNK):
        chunk = skus[start : start + CHUNK]
        found.update((p.sku, p) for p in session.scalars(
            select(Product).join(Consignor).where(Product.sku.in_(chunk))))
    return found


def _stock(session: Session, hotel_id: int) -> dict[int, tuple[int, datetime | None]]:
    rows = session.execute(
        select(Stock.product_id, Stock.on_hand, Stock.last_at).where(Stock.hotel_id == hotel_id)
    )
    return {product_id: (on_hand, last_at) for product_id, on_hand, last_at in rows}


def _placement_prices(session: Session, hotel_id: int) -> dict[int, tuple[list, list]]:
    """Per product, the times and unit prices of its placements at the hotel in force."""
    rows = session.execute(
        select(Movement.product_id, Movement.at, Movement.unit_price)
        .where(Movement.hotel_id == hotel_id, Movement.kind == "placed",
               book.in_force_condition())
        .order_by(Movement.product_id, Movement.at, Movement.id)
    )
    prices = defaultdict(lambda: ([], []))
    for product_id, at, price in rows:
        prices[product_id][0].append(at)
        prices[product_id][1].append(price)
    return prices


def _receipt_set(rows: list[Row]) -> list[str]:
    return sorted({row["receipt"] for row in rows if row["receipt"] and len(row["receipt"]) <= 60})


def _receipts(session: Session, hotel_id: int, receipts: list[str]) -> dict:
    """The sales of the hotel already recorded under these receipts, by (receipt, product):
    every version, voided or in force, oldest first."""
    known: dict = {}
    in_force = book.in_force_condition().label("in_force")
    for start in range(0, len(receipts), CHUNK):
        rows = session.execute(
            select(Movement.receipt, Movement.product_id, Movement.qty, Movement.unit_price,
                   in_force)
            .where(Movement.hotel_id == hotel_id, Movement.kind == "sold",
                   Movement.receipt.in_(receipts[start : start + CHUNK]))
            .order_by(Movement.receipt_version)
        )
        for receipt, product_id, qty, price, live in rows:
            known.setdefault((receipt, product_id), []).append(
                rules.Version(rules.Recorded(-qty, price), bool(live), msg("the ledger")))
    return known
