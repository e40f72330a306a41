"""Settlement rules over plain values: what a month of ledger movements is worth to an IKM.

SPEC section 4. No database here: the service gathers each movement as an :class:`Entry`
(with what it needs to know about the movement it reverses), and this module decides which
entries become money lines, groups the lines by commission rate, and computes gross,
commission, net and the stock reconciliation.

Which period a movement counts in is decided by the service's queries: the month of its
``counts_at`` in the business time zone, its own moment except for a reversal that
*cancels* its movement (recorded while that movement's period was still open), which counts
where that movement does and cancels it there. A movement and the cancelling reversals of
its chain of voids reach this module as one entry whose ``cancelled_qty`` is the sum of
their quantities: ``-qty`` when it is out of force (no line, its stock nets to zero in its
column), 0 when a void of the void put it back. A reversal that does not cancel is a
correction in its own period: a line at the original's rate (negative when it takes a
sale back, positive when it puts one back), and a signed ``corrected`` stock count.

The values are named tuples: immutable, and cheap to make by the tens of thousands a month.
"""

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from consign.money import commission

LINE_KINDS = ("sale", "loss", "correction")
STOCK_COLUMNS = ("placed", "sold", "returned", "lost", "counted", "corrected")

# the stock column of a movement kind, and the sign that turns its signed qty into that column
_COLUMN = {
    "placed": ("placed", 1),
    "sold": ("sold", -1),
    "returned": ("returned", -1),
    "lost": ("lost", -1),
    "damaged": ("lost", -1),
    "counted": ("counted", 1),
    "reversal": ("corrected", 1),
}


class Detail(NamedTuple):
    """What an owner ticks a line off with against the hotel's papers (SPEC section 4): a
    sale's moment, receipt and payment method; a loss's note and reason; a correction's
    void reason and the line it corrects (its date, receipt and statement number)."""

    at: datetime | None = None
    receipt: str | None = None
    payment: str | None = None
    note: str | None = None
    reason: str | None = None
    corrects_day: date | None = None
    corrects_receipt: str | None = None
    corrects_number: str | None = None


class Original(NamedTuple):
    """What a correction needs of the movement its chain of voids began with (the sale or
    loss it takes back, or puts back in force), and of the line it corrects."""

    kind: str
    liable: str | None
    qty: int
    unit_price: int | None  # the price its statement line was settled at
    day: date  # the original's date: its rate applies (SPEC section 4, item 5)
    rate_bp: int | None = None  # the rate frozen on its issued statement line, if it had one
    line_day: date | None = None  # the line corrected: its date, receipt, statement number
    receipt: str | None = None
    number: str | None = None
    note: str | None = None  # the original's note (a loss's, a count's)


class Entry(NamedTuple):
    """One movement of a (hotel, product), as settlement sees it."""

    movement_id: int
    kind: str
    sku: str
    name: str
    qty: int  # signed, as in the ledger
    day: date  # the business date of the movement
    unit_price: int | None = None  # a loss carries its latest placement price
    liable: str | None = None
    cancelled_qty: int = 0  # the qty of the reversals that cancel it in its own period
    original: Original | None = None  # for a correcting reversal: what it reverses
    detail: Detail = Detail()

    @property
    def cancelled(self) -> bool:
        return self.cancelled_qty != 0


class Line(NamedTuple):
    kind: str  # sale | loss | correction
    day: date
    sku: str
    name: str
    qty: int  # units; negative for a correction
    unit_price: int
    rate_bp: int
    movement_id: int
    detail: Detail = Detail()

    @property
    def amount(self) -> int:
        return self.qty * self.unit_price


class Loss(NamedTuple):
    """A loss, damage or count shortage the IKM bears: on its statement without an amount."""

    kind: str
    day: date
    sku: str
    name: str
    qty: int  # units gone, positive
    movement_id: int
    note: str | None = None
    reason: str | None = None


class Sold(NamedTuple):
    """Sales of one SKU at one rate taken together: the many plain sales of a month (sales
    in force that no void touches, each line ``-qty`` units at its own price and the rate of
    its day, exactly as :func:`line_for` makes them), summed where they are kept."""

    sku: str
    name: str
    rate_bp: int
    units: int
    amount: int


class Placed(NamedTuple):
    """Placements of one SKU taken together: the plain placements of a month (placements
    that no void touches, which make no line and only add their units to the SKU's
    ``placed`` column, as :func:`stock_rows` adds an entry's), summed where they are
    kept."""

    sku: str
    name: str
    units: int


class Group(NamedTuple):
    rate_bp: int
    amount: int
    commission: int


class StockRow(NamedTuple):
    sku: str
    name: str
    opening: int
    placed: int = 0
    sold: int = 0
    returned: int = 0
    lost: int = 0
    counted: int = 0
    corrected: int = 0

    @property
    def closing(self) -> int:
        return (self.opening + self.placed - self.sold - self.returned - self.lost
                + self.counted + self.corrected)


@dataclass(frozen=True)
class Figures:
    lines: tuple[Line, ...]
    groups: tuple[Group, ...]
    stock: tuple[StockRow, ...]
    gross: int
    commission: int
    opening_balance: int
    net: int
    losses: tuple[Loss, ...] = ()
    sold: tuple[Sold, ...] = ()  # the plain sales, beside ``lines`` (which they are not in)


@dataclass
class _Tally:
    opening: int = 0
    name: str = ""
    columns: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STOCK_COLUMNS, 0))


# ---- which movement becomes which line --------------------------------------------------

def is_hotel_loss(kind: str, liable: str | None, qty: int) -> bool:
    """Settled like a sale: a loss or damage the hotel is liable for, or a count shortage
    (liable ``hotel`` unless the count said ``consignor``)."""
    if kind in ("lost", "damaged"):
        return liable == "hotel"
    return kind == "counted" and qty < 0 and liable != "consignor"


def is_consignor_loss(kind: str, liable: str | None, qty: int) -> bool:
    """Borne by the IKM, listed without an amount: a loss or damage it is liable for, or a
    count shortage the count put on it."""
    if kind in ("lost", "damaged"):
        return liable == "consignor"
    return kind == "counted" and qty < 0 and liable == "consignor"


def line_for(entry: Entry, rate_for: Callable[[date], int]) -> Line | None:
    """The money line an entry makes in its period, or None (stock only).

    ``rate_for(day)`` is the commission rate in basis points in force on ``day``; it raises
    when there is none, so a line without a rate is never made.
    """
    if entry.cancelled:
        return None
    if entry.kind == "sold":
        return _line("sale", entry, -entry.qty, entry.unit_price, rate_for(entry.day))
    if is_hotel_loss(entry.kind, entry.liable, entry.qty):
        return _line("loss", entry, -entry.qty, entry.unit_price, rate_for(entry.day))
    original = entry.original
    if entry.kind == "reversal" and original and _settled(original):
        rate = original.rate_bp if original.rate_bp is not None else rate_for(original.day)
        pointer = entry.detail._replace(
            note=original.note, corrects_day=original.line_day or original.day,
            corrects_receipt=original.receipt, corrects_number=original.number)
        return _line("correction", entry._replace(detail=pointer), -entry.qty,
                     original.unit_price, rate)
    return None


def _settled(original: Original) -> bool:
    return original.kind == "sold" or is_hotel_loss(original.kind, original.liable, original.qty)


def _line(kind: str, entry: Entry, qty: int, unit_price: int | None, rate_bp: int) -> Line:
    if unit_price is None:
        raise ValueError(f"movement {entry.movement_id} ({entry.sku}) has no price to settle at")
    return Line(kind, entry.day, entry.sku, entry.name, qty, unit_price, rate_bp,
                entry.movement_id, entry.detail)


def lines_of(entries: Iterable[Entry], rate_for: Callable[[date], int]) -> list[Line]:
    """The money lines of a pair's entries, in ledger order (the entries' order)."""
    return [line for line in (line_for(entry, rate_for) for entry in entries) if line]


def losses_of(entries: Iterable[Entry]) -> list[Loss]:
    """What the IKM bore in the period (not cancelled), in ledger order, and the corrections
    of what it bore in an earlier period (a void of such a loss gives its units back:
    negative; a void of that void takes them again), with the loss's note and the void's
    reason."""
    losses = []
    for entry in entries:
        if entry.cancelled:
            continue
        if is_consignor_loss(entry.kind, entry.liable, entry.qty):
            losses.append(Loss(entry.kind, entry.day, entry.sku, entry.name, -entry.qty,
                               entry.movement_id, entry.detail.note, entry.detail.reason))
        elif (entry.kind == "reversal" and entry.original is not None and is_consignor_loss(
                entry.original.kind, entry.original.liable, entry.original.qty)):
            losses.append(Loss("correction", entry.day, entry.sku, entry.name, -entry.qty,
                               entry.movement_id, entry.original.note, entry.detail.reason))
    return losses


# ---- stock reconciliation ---------------------------------------------------------------

def stock_rows(openings: dict[str, tuple[str, int]], entries: Iterable[Entry],
               sold: Iterable[Sold] = (), placed: Iterable[Placed] = ()) -> list[StockRow]:
    """Per SKU: ``openings`` maps SKU to (name, opening stock); every entry adds its units to
    its column (a cancelled movement nets with its reversal there), and so do the plain
    sales and the plain placements taken together. Rows by SKU."""
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    for sku, (name, opening) in openings.items():
        tallies[sku].name, tallies[sku].opening = name, opening
    for together in sold:
        tally = tallies[together.sku]
        tally.name = tally.name or together.name
        tally.columns["sold"] += together.units
    for together in placed:
        tally = tallies[together.sku]
        tally.name = tally.name or together.name
        tally.columns["placed"] += together.units
    for entry in entries:
        column, sign = _COLUMN[entry.kind]
        tally = tallies[entry.sku]
        tally.name = tally.name or entry.name
        tally.columns[column] += sign * (entry.qty + entry.cancelled_qty)
    return [
        StockRow(sku, tally.name, tally.opening, **tally.columns)
        for sku, tally in sorted(tallies.items())
    ]


# ---- the figures -------------------------------------------------------------------------

def groups_of(lines: Iterable[Line], sold: Iterable[Sold] = ()) -> tuple[Group, ...]:
    """Lines (and plain sales taken together) grouped by rate, each group's commission
    rounded once (``money.commission``)."""
    amounts: dict[int, int] = defaultdict(int)
    for line in lines:
        amounts[line.rate_bp] += line.amount
    for together in sold:
        amounts[together.rate_bp] += together.amount
    return tuple(
        Group(rate, amount, commission(amount, rate)) for rate, amount in sorted(amounts.items())
    )


def opening_balance(previous_net: int | None) -> int:
    """A negative net of the pair's previous statement is carried forward; else nothing."""
    return previous_net if previous_net is not None and previous_net < 0 else 0


def figures(lines: Iterable[Line], stock: Iterable[StockRow], previous_net: int | None,
            losses: Iterable[Loss] = (), sold: Iterable[Sold] = ()) -> Figures:
    """A statement's figures from its lines, the plain sales taken together, its stock rows,
    the previous net and what the IKM bore."""
    lines, sold = tuple(lines), tuple(sold)
    groups = groups_of(lines, sold)
    gross = sum(line.amount for line in lines) + sum(together.amount for together in sold)
    total_commission = sum(group.commission for group in groups)
    carried = opening_balance(previous_net)
    return Figures(lines, groups, tuple(stock), gross, total_commission, carried,
                   gross - total_commission + carried, tuple(losses), sold)


# ---- invariants (pure; ``consign check`` runs them over stored statements) ---------------

def balance_problem(statements: Iterable) -> str | None:
    """Σ gross = Σ commission + Σ (net − opening balance), over any set of statements."""
    gross = commissions = nets = 0
    for statement in statements:
        gross += statement.gross
        commissions += statement.commission
        nets += statement.net - statement.opening_balance
    if gross != commissions + nets:
        return (f"Statements do not balance: gross {gross} is not commission {commissions} "
                f"plus net less opening balance {nets}.")
    return None


# ---- the code on a printed copy -----------------------------------------------------------

def verification_code(number: str, hotel: str, consignor: str, period: str, gross: int,
                      commission: int, opening_balance: int, net: int) -> str:
    """The first 12 hex digits, upper case, in groups of four, of the SHA-256 of
    ``NUMBER|HOTEL|IKM|PERIOD|GROSS|COMMISSION|OPENING|NET`` (SPEC section 4): printed on
    every issued statement so that a paper copy can be checked."""
    text = f"{number}|{hotel}|{consignor}|{period}|{gross}|{commission}|{opening_balance}|{net}"
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12].upper()
    return " ".join(digest[i : i + 4] for i in range(0, 12, 4))


def code_of(statement) -> str | None:
    """The verification code of an issued statement (a row or record with its number,
    codes, period and amounts as stored); None for a draft."""
    if statement.status == "draft" or not statement.number:
        return None
    return verification_code(
        statement.number, statement.hotel_code, statement.consignor_code, statement.period,
        statement.gross, statement.commission, statement.opening_balance, statement.net,
    )


# ---- what is paid, what is owed ----------------------------------------------------------

class PaymentMade(NamedTuple):
    """A payment of a statement as the rules need it, in the order it was recorded."""

    on: date
    amount: int
    ref: str
    voided: bool = False


class Owing(NamedTuple):
    status: str  # draft | issued | paid
    paid: int  # what the payments in force add up to
    owed: int  # the net less what was paid, never below 0
    overdue: bool
    paid_on: date | None  # the payment that completed it: its date and reference
    pay_ref: str | None


def owing(status: str, net: int, due_on: date | None, payments: Iterable[PaymentMade],
          today: date) -> Owing:
    """What the payments make of an issued statement (SPEC section 5): ``paid`` once the
    payments in force reach its net, ``overdue`` while something is owed on a day after its
    due date. A nil or negative net owes nothing: it is never overdue, and never paid. A
    draft owes nothing yet."""
    if status == "draft":
        return Owing("draft", 0, 0, False, None, None)
    paid, completed = 0, None
    for payment in payments:
        if payment.voided:
            continue
        paid += payment.amount
        if completed is None and net > 0 and paid >= net:
            completed = payment
    owed = max(net - paid, 0)
    if completed is not None:
        return Owing("paid", paid, owed, False, completed.on, completed.ref)
    return Owing("issued", paid, owed, owed > 0 and due_on is not None and today > due_on,
                 None, None)


def payment_problem(net: int, owed: int, amount: int) -> str | None:
    """Why a payment of ``amount`` cannot be recorded, or None: nothing is paid on a nil or
    negative net, nor once it is paid in full, nor more than is owed."""
    if net <= 0:
        return "nothing to pay"
    if owed == 0:
        return "paid in full"
    if amount > owed:
        return "above what is owed"
    return None
