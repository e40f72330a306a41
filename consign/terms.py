"""The rules of commission terms over plain values (SPEC section 1).

A hotel has a default rate; a (hotel, IKM) pair may have its own. Each rate holds from
``valid_from`` to ``valid_to`` (inclusive; None: from the beginning of time, open-ended).
The rate of a line is the pair's if one covers its date, else the hotel's default on that
date. Periods of one scope never overlap: a new open-ended rate that starts after the
scope's current open-ended one ends that one on the day before; any other overlap is
refused.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Protocol

DISPLAY_DAYS = 90  # days on display after which unsold goods are due back
PAYMENT_DAYS = 14  # days after issue after which a statement is overdue
BEGINNING, END = date.min, date.max


class Span(Protocol):
    consignor_id: int | None
    valid_from: date | None
    valid_to: date | None


def covers(terms: Span, day: date) -> bool:
    return (terms.valid_from or BEGINNING) <= day <= (terms.valid_to or END)


def covering(candidates, consignor_id: int, day: date):
    """Of a hotel's terms, the one in force for this IKM on ``day`` (or None)."""
    pair = [t for t in candidates if t.consignor_id == consignor_id and covers(t, day)]
    default = [t for t in candidates if t.consignor_id is None and covers(t, day)]
    return (pair or default or [None])[0]


def changes(candidates, first: date, last: date) -> list[date]:
    """The days from ``first`` through ``last`` on which what :func:`covering` finds among
    ``candidates`` can differ from the day before: ``first`` itself, each day a candidate
    starts, and each day after one ends."""
    found = {first}
    for terms in candidates:
        if terms.valid_from is not None and first < terms.valid_from <= last:
            found.add(terms.valid_from)
        if terms.valid_to is not None and first <= terms.valid_to < last:
            found.add(terms.valid_to + timedelta(days=1))
    return sorted(found)


def placing(scope, valid_from: date | None, valid_to: date | None):
    """Where a new rate goes among the terms of its scope: ``(ended, collision)``, the
    open-ended rate it ends (on the day before it starts) if any, and the one it would
    overlap if any (then it is refused)."""
    new_start, new_end = valid_from or BEGINNING, valid_to or END
    ended = None
    for existing in scope:
        start, end = existing.valid_from or BEGINNING, existing.valid_to or END
        if valid_to is None and existing.valid_to is None and start < new_start:
            ended = existing
        elif start <= new_end and new_start <= end:
            return None, existing
    return ended, None


def ends_on(valid_from: date) -> date:
    """The last day of the rate a new open-ended one starting ``valid_from`` ends."""
    return valid_from - timedelta(days=1)
