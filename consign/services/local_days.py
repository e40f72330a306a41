"""The business day of a stored moment, computed by the database.

A moment's business day is its date in the business time zone
(:func:`consign.periods.local_date`). Where the database must tell the days of many
movements apart (settling a month of sales, ageing a year of shelves), it computes them
itself: the moment's seconds since 1970 in UTC, plus the zone's offset at that moment (a
``CASE`` over the offsets the zone has in the span asked for, read from Python's own zone
data), divided into whole days. On SQLite moments are stored as UTC text whose fractions
of a second are dropped first (SQLite's date functions round them to milliseconds, which
would push 23:59:59.9999 into the next day).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo

from sqlalchemy import Date, Integer, case, cast, func, literal, literal_column, type_coerce
from sqlalchemy.sql.elements import ColumnElement

EPOCH = date(1970, 1, 1)
_HOUR = timedelta(hours=1)


def number(day: date) -> int:
    """A date as the database's day number (days since 1970-01-01)."""
    return (day - EPOCH).days


def day_of(number_: int) -> date:
    return EPOCH + timedelta(days=number_)


def offsets(tz: tzinfo, start: datetime, end: datetime) -> list[tuple[datetime, int]]:
    """``(from, seconds)``: the zone's UTC offset in whole seconds from each moment on, over
    ``[start, end)`` (both aware); the first starts at ``start``."""
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    found = [(start, _offset(tz, start))]
    moment = start
    while moment < end:
        following = min(moment + _HOUR, end)
        if _offset(tz, following) != found[-1][1] and following < end:
            changed = _first_change(tz, moment, following, found[-1][1])
            found.append((changed, _offset(tz, changed)))
        moment = following
    return found


def _offset(tz: tzinfo, moment: datetime) -> int:
    return int(moment.astimezone(tz).utcoffset().total_seconds())


def _first_change(tz: tzinfo, low: datetime, high: datetime, before: int) -> datetime:
    """The first second in ``(low, high]`` whose offset is not ``before``."""
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        middle = middle.replace(microsecond=0)
        if middle <= low:
            middle = low + timedelta(seconds=1)
        if _offset(tz, middle) != before:
            high = middle
        else:
            low = middle
    return high


def day_number(column, dialect: str, tz: tzinfo, start: datetime, end: datetime
               ) -> ColumnElement[int]:
    """The business day number of the moments of ``column`` that lie in ``[start, end)``."""
    spans = offsets(tz, start, end)
    if len(spans) == 1:
        shift = literal(spans[0][1], Integer)
    else:
        shift = case(*((column < spans[n + 1][0], literal(spans[n][1], Integer))
                       for n in range(len(spans) - 1)), else_=literal(spans[-1][1], Integer))
    if dialect == "sqlite":
        seconds = func.unixepoch(func.substr(column, 1, 19)) + shift
        return type_coerce((seconds - (seconds % 86400 + 86400) % 86400) // 86400, Integer)
    local = func.timezone("UTC", column) + shift * literal_column("INTERVAL '1 second'")
    return type_coerce(cast(local, Date) - literal(EPOCH, Date), Integer)
