"""The business day of a stored moment, computed by the database.

A moment's business day is its date in the business time zone
(:func:`consign.periods.local_date` is its Python twin), here as a whole number of days
since 1 January 1970 (:func:`day_of` turns it back into a date), so that the days between
two moments are a subtraction. Where the database must tell the days of many movements
apart (settling a month of sales, ageing a year of shelves), it computes them itself: the
moment's whole seconds since 1970 in UTC, plus the zone's offset at that moment (a
``CASE`` over the offsets the zone has in the span asked for, read from Python's own zone
data, so both databases and Python agree on every offset), divided into whole days.

On SQLite a moment is stored as UTC text; its fractions of a second are dropped before it
is read (SQLite's date functions round them to milliseconds, which would push 23:59:59.9999
into the next day), and the arithmetic is on integers throughout.
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from sqlalchemy import Date, Integer, case, cast, func, literal, literal_column, type_coerce
from sqlalchemy.sql.elements import ColumnElement

from consign.periods import FIRST_DAY, LAST_DAY

EPOCH = date(1970, 1, 1)
_DAY = 86_400
_WEEK = timedelta(days=7)


def number(day: date) -> int:
    """A date as the database's day number (days since 1970-01-01)."""
    return (day - EPOCH).days


@functools.cache
def day_of(number_: int) -> date:
    """The date of a day number."""
    return EPOCH + timedelta(days=number_)


def day_number(at, dialect: str, tz: tzinfo, start: datetime | None = None,
               end: datetime | None = None) -> ColumnElement[int]:
    """SQL: the business day number of the moment ``at`` (a column or expression) on
    ``dialect`` ("sqlite" or "postgresql"). ``start`` and ``end`` bound the moments it will
    be asked about (by default the dates consign accepts), so that a zone with summer time
    gets only the changes in between; a moment a day outside them still gets its own
    offset."""
    start = start or _midnight(FIRST_DAY)
    end = end or _midnight(LAST_DAY) + timedelta(days=1)
    spans = offsets(tz, start - timedelta(days=1), end + timedelta(days=1))
    if len(spans) == 1:
        shift = literal(spans[0][1], Integer)
    else:  # newest first: most moments asked about are recent
        shift = case(*((at >= spans[n][0], literal(spans[n][1], Integer))
                       for n in range(len(spans) - 1, 0, -1)),
                     else_=literal(spans[0][1], Integer))
    if dialect == "sqlite":
        # every moment consign accepts is after 1970 in every zone: the seconds are positive
        # and SQLite's integer division is the floor
        seconds = type_coerce(func.unixepoch(func.substr(at, 1, 19)), Integer) + shift
        return type_coerce(seconds // _DAY, Integer)
    local = func.timezone("UTC", at) + shift * literal_column("INTERVAL '1 second'")
    return type_coerce(cast(local, Date) - literal(EPOCH, Date), Integer)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), UTC)


def offsets(tz: tzinfo, start: datetime, end: datetime) -> list[tuple[datetime, int]]:
    """``(from, seconds)``: the zone's UTC offset in whole seconds from each moment on, over
    ``[start, end)`` (both aware); the first starts at ``start``."""
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    found = [(start, _offset(tz, start))]
    found += [(since, offset) for since, offset in _changes(tz) if start < since < end]
    return found


@functools.cache
def _changes(tz: tzinfo) -> tuple[tuple[datetime, int], ...]:
    """Every change of ``tz``'s offset over the dates consign accepts, to the second: read a
    week at a time (no zone changes its offset and back within a week)."""
    moment, end = _midnight(FIRST_DAY) - 2 * _WEEK, _midnight(LAST_DAY) + 2 * _WEEK
    found: list[tuple[datetime, int]] = []
    current = _offset(tz, moment)
    while moment < end:
        following = moment + _WEEK
        if _offset(tz, following) != current:
            since = _first_change(tz, moment, following, current)
            current = _offset(tz, since)
            found.append((since, current))
        moment = following
    return tuple(found)


def _offset(tz: tzinfo, moment: datetime) -> int:
    return int(moment.astimezone(tz).utcoffset().total_seconds())


def _first_change(tz: tzinfo, low: datetime, high: datetime, before: int) -> datetime:
    """The first whole second in ``(low, high]`` whose offset is not ``before``."""
    while high - low > timedelta(seconds=1):
        middle = (low + (high - low) / 2).replace(microsecond=0)
        if middle <= low:
            middle = low + timedelta(seconds=1)
        if _offset(tz, middle) != before:
            high = middle
        else:
            low = middle
    return high
