"""Settlement rules over plain values: what a month of ledger movements is worth to an IKM.

SPEC section 4. No database here: the service gathers each movement as an :class:`Entry`
(with what it needs to know about the movement it reverses), and this module decides which
entries become money lines, groups the lines by commission rate, and computes gross,
commission, net and the stock reconciliation.

Which period a movement counts in is decided by the service's queries: the month of its
``at`` in the business time zone, except a reversal that *cancels* its movement (recorded
while that movement's period was still open), which counts in the reversed movement's
period and cancels it there. Such a pair reaches this module as one entry whose
``cancelled_qty`` is the reversal's quantity: it makes no line, and its stock nets to zero
in the column of the original. A reversal that does not cancel is a correction in its own
period: a negative line at the original line's rate, and a signed ``corrected`` stock count.

The values are named tuples: immutable, and cheap to make by the tens of thousands a month.
"""

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
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


class Original(NamedTuple):
    """What a correction needs of the movement it reverses (from an issued period)."""

    kind: str
    liable: str | None
    qty: int
    unit_price: int | None  # the price its statement line was settled at
    day: date
    rate_bp: int | None = None  # the rate frozen on its issued statement line, if it had one


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
    cancelled_qty: int = 0  # qty of the reversal that cancels it in its own period, if any
    original: Original | None = None  # for a correcting reversal: what it reverses

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

    @property
    def amount(self) -> int:
        return self.qty * self.unit_price


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
        return _line("correction", entry, -entry.qty, original.unit_price, rate)
    return None


def _settled(original: Original) -> bool:
    return original.kind == "sold" or is_hotel_loss(original.kind, original.liable, original.qty)


def _line(kind: str, entry: Entry, qty: int, unit_price: int | None, rate_bp: int) -> Line:
    if unit_price is None:
        raise ValueError(f"movement {entry.movement_id} ({entry.sku}) has no price to settle at")
    return Line(kind, entry.day, entry.sku, entry.name, qty, unit_price, rate_bp,
                entry.movement_id)


def lines_of(entries: Iterable[Entry], rate_for: Callable[[date], int]) -> list[Line]:
    """The money lines of a pair's entries, in ledger order (the entries' order)."""
    return [line for line in (line_for(entry, rate_for) for entry in entries) if line]


# ---- stock reconciliation ---------------------------------------------------------------

def stock_rows(openings: dict[str, tuple[str, int]], entries: Iterable[Entry]) -> list[StockRow]:
    """Per SKU: ``openings`` maps SKU to (name, opening stock); every entry adds its units to
    its column (a cancelled movement nets with its reversal there). Rows by SKU."""
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    for sku, (name, opening) in openings.items():
        tallies[sku].name, tallies[sku].opening = name, opening
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

def groups_of(lines: Iterable[Line]) -> tuple[Group, ...]:
    """Lines grouped by rate, each group's commission rounded once (``money.commission``)."""
    amounts: dict[int, int] = defaultdict(int)
    for line in lines:
        amounts[line.rate_bp] += line.amount
    return tuple(
        Group(rate, amount, commission(amount, rate)) for rate, amount in sorted(amounts.items())
    )


def opening_balance(previous_net: int | None) -> int:
    """A negative net of the pair's previous statement is carried forward; else nothing."""
    return previous_net if previous_net is not None and previous_net < 0 else 0


def figures(lines: Iterable[Line], stock: Iterable[StockRow], previous_net: int | None) -> Figures:
    lines = tuple(lines)
    groups = groups_of(lines)
    gross = sum(line.amount for line in lines)
    total_commission = sum(group.commission for group in groups)
    carried = opening_balance(previous_net)
    return Figures(lines, groups, tuple(stock), gross, total_commission, carried,
                   gross - total_commission + carried)


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


def same_code(printed: str, code: str) -> bool:
    """Whether a code as typed (spaces and case ignored) is ``code``."""
    return "".join(printed.split()).upper() == code.replace(" ", "")
