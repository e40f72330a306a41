"""How long goods have been on a hotel's shelf, first in, first out (SPEC sections 1 and 5:
the display term, ``stock``'s ``oldest_days``), over plain values: no database here.

Units leave a shelf in the order they came. A placement adds units dated on its day, and
so does a count's surplus (dated at the count); a sale, a return, a write-off or a count's
shortage takes the oldest units first. A movement voided (its chain of voids holds an odd
number of reversals) counts as if it never happened, and a reversal moves no units of its
own here: a voided placement's units were never on the shelf, a voided sale's never left.
Goods are due back on the day they came plus the display term in force that day; they are
flagged from the day after that.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from consign import ledger as rules


@dataclass(frozen=True)
class Move:
    """One movement of a (hotel, product) pair, as aging reads it."""

    id: int
    kind: str
    qty: int  # units added (positive) or taken (negative)
    day: date  # the business day it counts for
    root: int | None = None  # a reversal: the movement its chain of voids began with


@dataclass(frozen=True)
class Lot:
    """Units on the shelf that came on the same occasion."""

    day: date
    units: int


@dataclass(frozen=True)
class Age:
    """The age of a shelf, read from its oldest unit."""

    since: date  # the day the oldest unit came
    days: int  # days on display of the oldest unit
    due_on: date  # the last day of its display term
    due_back: bool  # past that day: due back to its IKM
    past_term: int = 0  # the units whose own display term is over (each lot by its day)


def in_force(moves: Iterable[Move]) -> list[Move]:
    """The movements that are not reversals and that no void has taken out, in order."""
    moves = list(moves)
    voids = Counter(move.root for move in moves if move.kind == "reversal")
    return [move for move in moves
            if move.kind != "reversal" and rules.in_force(voids[move.id])]


def on_shelf(moves: Iterable[Move]) -> list[Lot]:
    """The units left after ``moves`` (given in the order they happened), oldest first.

    A take that finds the shelf empty (possible only where a void later removed the units
    it took) is owed, and paid from the next units to come: what is left always adds up to
    the units on hand."""
    lots: deque[list] = deque()
    owed = 0
    for move in in_force(moves):
        if move.qty > 0:
            paid = min(owed, move.qty)
            owed -= paid
            if move.qty > paid:
                lots.append([move.day, move.qty - paid])
            continue
        wanted = -move.qty
        while wanted and lots:
            taken = min(wanted, lots[0][1])
            lots[0][1] -= taken
            wanted -= taken
            if not lots[0][1]:
                lots.popleft()
        owed += wanted
    return [Lot(day, units) for day, units in lots]


def age(lots: list[Lot], today: date, display_days: Callable[[date], int]) -> Age | None:
    """The age of the shelf on ``today`` from its oldest lot (None for an empty shelf);
    ``display_days(day)`` is the display term in force on the day a lot came."""
    if not lots:
        return None
    since = lots[0].day
    due_on = since + timedelta(days=display_days(since))
    past = sum(lot.units for lot in lots
               if today > lot.day + timedelta(days=display_days(lot.day)))
    return Age(since, (today - since).days, due_on, today > due_on, past)
