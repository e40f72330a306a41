"""How long sold goods were on the shelf, first in first out, over plain values: each
sale takes the oldest units on the shelf (:mod:`consign.aging`), and the days between the
day those units came and the day of the sale are its units' days to sell."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from datetime import date

from consign import aging


def days_to_sell(moves: Iterable[aging.Move], first: date, last: date) -> tuple[int, int]:
    """``(units, unit_days)`` of the sales of one shelf dated ``first`` through ``last``:
    the units they took from the shelf and the sum over those units of their days on it.
    ``moves`` in the order they happened, voided ones included (they count as if they
    never happened). Units a sale took from an empty shelf (possible only where a void
    later removed the units it took) have no age and are left out (and are paid from the
    next units to come, as :func:`consign.aging.on_shelf` does)."""
    lots: deque[list] = deque()
    units = unit_days = owed = 0
    for move in aging.in_force(moves):
        if move.qty > 0:
            paid = min(owed, move.qty)
            owed -= paid
            if move.qty > paid:
                lots.append([move.day, move.qty - paid])
            continue
        wanted, counted = -move.qty, move.kind == "sold" and first <= move.day <= last
        while wanted and lots:
            taken = min(wanted, lots[0][1])
            if counted:
                units += taken
                unit_days += taken * (move.day - lots[0][0]).days
            lots[0][1] -= taken
            wanted -= taken
            if not lots[0][1]:
                lots.popleft()
        owed += wanted
    return units, unit_days
