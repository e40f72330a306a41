"""The rules of the stock ledger over plain values (SPEC section 3), beside
:mod:`consign.settlement`: no database here. The services ask these functions and keep
the SQL; each rule is written once.

- which kinds of movement and note there are, and how notes are numbered;
- whether a moment falls in a hotel's closed books;
- which price a sale (or a write-off, or a count shortage) takes when none is given;
- whether a sale under a receipt already recorded is the same sale or a conflict;
- whether a void cancels what it reverses or corrects it in a later period.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import NamedTuple

from consign.periods import Period, parse_period

MOVEMENT_KINDS = ("placed", "sold", "returned", "lost", "damaged", "counted", "reversal")
NOTE_KINDS = ("placement", "return", "loss", "count")
NOTE_PREFIX = {"placement": "PL", "return": "RT", "loss": "LS", "count": "SO"}
LOSS_KINDS = ("lost", "damaged")
LIABLE = ("hotel", "consignor")
PAYMENT_METHODS = ("cash", "card", "qris", "transfer")


def note_series(kind: str, at: datetime, tz: tzinfo) -> str:
    """The counter a note of this kind and business year is numbered from: ``PL-2020``."""
    return f"{NOTE_PREFIX[kind]}-{at.astimezone(tz).year}"


def note_number(series: str, value: int) -> str:
    """``PL-2020-00042``: the series and the note's place in it, five digits or more."""
    return f"{series}-{value:05d}"


# ---- the books ------------------------------------------------------------------------------

def is_closed(closed_through: str | Period | None, at: datetime, tz: tzinfo) -> bool:
    """Whether ``at`` falls in or before the hotel's latest closed period: a closed period
    accepts no new movement dated inside it."""
    if closed_through is None:
        return False
    return Period.of(at, tz) <= parse_period(closed_through)


def open_from(closed_through: str | Period | None, tz: tzinfo) -> datetime | None:
    """The first moment the books accept (the start of the month after the latest closed
    one), or None when nothing is closed."""
    if closed_through is None:
        return None
    return parse_period(closed_through).end(tz)


def in_force(reversals: int) -> bool:
    """Whether a movement is in force, given how many reversals its chain of voids holds:
    a void takes it out, a void of that void puts it back (SPEC section 3)."""
    return reversals % 2 == 0


def cancels(closed_through: str | Period | None, original_at: datetime, tz: tzinfo) -> bool:
    """A void recorded while the reversed movement's period is still open cancels it there
    (neither appears on that period's statement); recorded after that period closed, it
    is a correction in the period of its own date. ``original_at`` is the moment the
    reversed movement counts at (a cancelling void counts where what it cancels does)."""
    return not is_closed(closed_through, original_at, tz)


# ---- prices ---------------------------------------------------------------------------------

def sale_price(given: int | None, placement_price: int | None, list_price: int) -> int:
    """A sale's unit price: the one given, else the price of the latest placement of the
    product at the hotel, else its list price."""
    return given or placement_price or list_price


def settle_price(placement_price: int | None, list_price: int) -> int:
    """The unit price a hotel-liable loss or count shortage is settled at: the latest
    placement's, else the list price."""
    return placement_price or list_price


def placement_price(given: int | None, list_price: int) -> int:
    """A placement line's price at the hotel: the one given, else the list price."""
    return given or list_price


# ---- receipts -------------------------------------------------------------------------------

class Recorded(NamedTuple):
    """A sale already recorded under a receipt: its quantity (units) and unit price."""

    qty: int
    unit_price: int


def same_sale(recorded: Recorded, qty: int, unit_price: int) -> bool:
    """Whether a sale logged again under a receipt (and SKU) is the one already recorded:
    the same quantity and unit price."""
    return recorded.qty == qty and recorded.unit_price == unit_price


class Version(NamedTuple):
    """One sale recorded under a (hotel, receipt, SKU): its figures, whether it is still in
    force (not voided), and what names it (a movement id, a line of a file)."""

    recorded: Recorded
    in_force: bool
    where: object = None


class ReceiptVerdict(NamedTuple):
    outcome: str  # "recorded" | "voided" | "conflict" | "new"
    match: Version | None  # the version it is, or conflicts with
    version: int  # the version a new sale takes


def receipt_verdict(versions: list[Version], qty: int, unit_price: int) -> ReceiptVerdict:
    """What a sale logged under a receipt already used for its SKU is (SPEC section 3):

    - the figures of the sale in force are "already recorded";
    - the figures of any voided sale of the key are "already recorded (voided)", so that
      importing the uncorrected file again never brings a voided sale back, also once the
      corrected sale is logged;
    - any other figures conflict with the sale in force, if there is one, and are else a
      new sale: the corrected one, freed by the void."""
    live = [version for version in versions if version.in_force]
    if live and same_sale(live[-1].recorded, qty, unit_price):
        return ReceiptVerdict("recorded", live[-1], len(versions))
    for version in versions:
        if not version.in_force and same_sale(version.recorded, qty, unit_price):
            return ReceiptVerdict("voided", version, len(versions))
    if live:
        return ReceiptVerdict("conflict", live[-1], len(versions))
    return ReceiptVerdict("new", None, len(versions))
