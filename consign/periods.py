"""Business time: moments, dates and calendar-month periods in the business time zone.

Moments are stored time-zone aware (UTC). Periods are calendar months in the
business time zone (``Asia/Jakarta``, WIB, unless configured otherwise): a sale at
2020-11-01 03:00 WIB belongs to November though it is still October in UTC.
"Now" is always passed in; nothing here reads the clock.
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from consign.errors import InvalidInput

DEFAULT_ZONE = "Asia/Jakarta"
_PERIOD = re.compile(r"(\d{4})-(\d{2})")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WHEN = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}):(\d{2}))?")


def zone(name: str | None = None) -> tzinfo:
    return ZoneInfo(name or DEFAULT_ZONE)


@dataclass(frozen=True, order=True)
class Period:
    """A calendar month, e.g. ``Period(2020, 10)``, written ``2020-10``."""

    year: int
    month: int

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return self.next().first_day - timedelta(days=1)

    def next(self) -> "Period":
        return Period(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> "Period":
        return Period(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def start(self, tz: tzinfo) -> datetime:
        """The first moment of the month in the business time zone, as UTC."""
        return start_of(self.first_day, tz)

    def end(self, tz: tzinfo) -> datetime:
        """The first moment after the month (exclusive bound), as UTC."""
        return self.next().start(tz)

    @classmethod
    def of(cls, moment: datetime, tz: tzinfo) -> "Period":
        local = moment.astimezone(tz)
        return cls(local.year, local.month)

    @classmethod
    def of_date(cls, day: date) -> "Period":
        return cls(day.year, day.month)


def parse_period(text: str) -> Period:
    match = _PERIOD.fullmatch(str(text).strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise InvalidInput(f"period {text!r} is not a month written YYYY-MM (e.g. 2020-10)")
    return Period(int(match.group(1)), int(match.group(2)))


def parse_date(text: str, what: str = "date") -> date:
    raw = str(text).strip()
    try:
        if not _DATE.fullmatch(raw):
            raise ValueError
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(f"{what} {raw!r} is not a date written YYYY-MM-DD") from None


def start_of(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, time(0, 0), tz).astimezone(UTC)


def end_of(day: date, tz: tzinfo) -> datetime:
    """ "As of a date" means the end of that day: the first moment of the next day, exclusive."""
    return start_of(day + timedelta(days=1), tz)


def parse_when(text: str | None, now: datetime, tz: tzinfo) -> datetime:
    """``WHEN``: a date (the start of that day) or a date and time, in the business time zone.

    Defaults to ``now``; a moment in the future is refused.
    """
    if text is None or str(text).strip() == "":
        return now.astimezone(UTC)
    raw = str(text).strip()
    match = _WHEN.fullmatch(raw)
    try:
        if not match:
            raise ValueError
        day = date.fromisoformat(match.group(1))
        clock = time(int(match.group(2)), int(match.group(3))) if match.group(2) else time(0, 0)
    except ValueError:
        raise InvalidInput(
            f"time {raw!r} is not a date (2020-10-05) or a date and time (2020-10-05 14:30)"
        ) from None
    moment = datetime.combine(day, clock, tz).astimezone(UTC)
    if moment > now:
        raise InvalidInput(f"time {raw!r} is in the future")
    return moment


def local_date(moment: datetime, tz: tzinfo) -> date:
    return moment.astimezone(tz).date()


def iso(moment: datetime, tz: tzinfo) -> str:
    """ISO 8601 with its offset, in the business time zone (``2020-10-05T14:30:00+07:00``)."""
    return moment.astimezone(tz).isoformat()
