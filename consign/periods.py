"""Business time: moments, dates and calendar-month periods in the business time zone,
and the one grammar of the dates and times people type.

Moments are stored time-zone aware (UTC). Periods are calendar months in the business
time zone (``Asia/Jakarta``, WIB, unless configured otherwise): a sale at 2020-11-01 03:00
WIB belongs to November though it is still October in UTC. "Now" is always passed in;
nothing here reads the clock.

Dates people type (SPEC section 2), exactly these forms and nothing else:

- ISO: ``2020-10-05``, ``2020-10-05 14:30``, ``2020-10-05T14:30:00+07:00`` (seconds,
  fractions and an offset where given);
- day first, with ``/`` or ``-``: ``05/10/2020``, ``5/10/2020``, ``05-10-2020``, each
  optionally followed by a time ``14:30`` or ``14.30`` (with seconds where given);
- a day, a month name in Indonesian or English, full or in three letters, and a year:
  ``5 Oktober 2020``, ``5 Okt 2020``, ``5 October 2020``.

A slash or dash form is always day first: ``10/13/2020`` is refused, never read as
13 October. The forms are matched explicitly: a general-purpose date guesser would read
``2020-10-05`` day first and accept a bare ``2020``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from consign.errors import InvalidInput, MalformedSetting
from consign.i18n import msg

DEFAULT_ZONE = "Asia/Jakarta"
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)

_PERIOD = re.compile(r"(\d{4})-(\d{2})", re.ASCII)
_CLOCK = r"(\d{1,2})(?P<sep>[:.])(\d{2})(?:(?P=sep)(\d{2}))?"
_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:(?:[ ]+|T)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?\s*(Z|[+-]\d{2}:?\d{2})?)?",
    re.IGNORECASE | re.ASCII,
)
_DAY_FIRST = re.compile(r"(\d{1,2})([/-])(\d{1,2})\2(\d{4})(?:\s+" + _CLOCK + r")?", re.ASCII)
_NAMED = re.compile(r"(\d{1,2})\s+([^\W\d_]+)\.?\s+(\d{4})", re.ASCII)

LANGUAGES = ("id", "en")  # the languages whose month names a date may be typed in


@functools.cache
def months() -> dict[str, int]:
    """Month names as a date may give them, lower case, to their number: in Indonesian and
    English, full or in three letters (``oktober``, ``okt``, ``october``, ``oct``), from
    Babel's locale data (imported the first time a named month is read)."""
    from babel.dates import get_month_names

    names: dict[str, int] = {}
    for lang in LANGUAGES:
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, locale=lang).items():
                names[name.lower()] = number
                names[name.lower()[:3]] = number
    return names


def month_name(month: int, lang: str = "id") -> str:
    """``Oktober``: the full name of a month, from Babel's locale data."""
    from babel.dates import get_month_names

    return get_month_names("wide", locale=lang)[month]


FORMS = msg("2020-10-05, 2020-10-05 14:30, 05/10/2020 14.30 or 5 Oktober 2020")


def zone(name: str | None = None) -> tzinfo:
    """The business time zone (``Asia/Jakarta`` unless ``name`` says another)."""
    try:
        return ZoneInfo(name or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        raise MalformedSetting(
            msg("time zone {name!r} (CONSIGN_TIMEZONE) is not a known time zone; use an "
                "IANA name such as Asia/Jakarta", name=name),
            field="CONSIGN_TIMEZONE",
        ) from None


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

    def next(self) -> Period:
        return Period(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Period:
        return Period(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def start(self, tz: tzinfo) -> datetime:
        """The first moment of the month in the business time zone, as UTC."""
        return start_of(self.first_day, tz)

    def end(self, tz: tzinfo) -> datetime:
        """The first moment after the month (exclusive bound), as UTC."""
        return self.next().start(tz)

    @classmethod
    def of(cls, moment: datetime, tz: tzinfo) -> Period:
        local = moment.astimezone(tz)
        return cls(local.year, local.month)

    @classmethod
    def of_date(cls, day: date) -> Period:
        return cls(day.year, day.month)


# ---- reading what people type ---------------------------------------------------------------

@dataclass(frozen=True)
class Written:
    """A date as typed, and the time and offset it gave, if any."""

    day: date
    clock: time | None = None
    offset: tzinfo | None = None


def read(text: str) -> Written | None:
    """The date (and time) ``text`` writes in one of the forms above, else None. A form
    that matches with a day or month that does not exist (``31/11/2020``) is None too."""
    raw = " ".join(str(text).split())
    try:
        for pattern, build in ((_ISO, _iso), (_DAY_FIRST, _day_first), (_NAMED, _named)):
            match = pattern.fullmatch(raw)
            if match:
                return build(match)
    except ValueError:
        return None
    return None


def _iso(match: re.Match) -> Written:
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    clock = None if hour is None else time(
        int(hour), int(minute), int(second or 0), int((fraction or "0").ljust(6, "0")))
    return Written(date(int(year), int(month), int(day)), clock, _offset(offset))


def _day_first(match: re.Match) -> Written:
    day, _sep, month, year, hour, _clock_sep, minute, second = match.groups()
    clock = None if hour is None else time(int(hour), int(minute), int(second or 0))
    return Written(date(int(year), int(month), int(day)), clock)


def _named(match: re.Match) -> Written:
    day, name, year = match.groups()
    month = months().get(name.lower())
    if month is None:
        raise ValueError(name)
    return Written(date(int(year), month, int(day)))


def _offset(text: str | None) -> tzinfo | None:
    if text is None:
        return None
    if text.upper() == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 23 or minutes > 59:
        raise ValueError(text)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _refuse(field: str, text: str, form=FORMS) -> InvalidInput:
    return InvalidInput(
        msg("{field} {text!r} is not a date; write it as {forms}", field=field,
            text=str(text), forms=form),
        field=field,
    )


def in_range(day: date, field: str, text: object) -> date:
    """Refuse a date outside 1 January 2000 to 31 December 2099 (SPEC section 2)."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InvalidInput(
            msg("{field} {text!r} is outside the dates consign accepts (1 January 2000 to "
                "31 December 2099)", field=field, text=str(text)),
            field=field,
        )
    return day


def parse_date(text: str | date, field: str = "date") -> date:
    """A date typed in one of the forms above, without a time, within the bounds."""
    if isinstance(text, datetime):
        raise _refuse(field, text.isoformat())
    if isinstance(text, date):
        return in_range(text, field, text.isoformat())
    written = read(text)
    if written is None:
        raise _refuse(field, text)
    if written.clock is not None:
        raise InvalidInput(
            msg("{field} {text!r} is a date and a time; give the date alone (e.g. "
                "2020-10-05)", field=field, text=str(text)),
            field=field,
        )
    return in_range(written.day, field, text)


def parse_moment(
    text: str | datetime, tz: tzinfo, field: str = "time", end_of_day: bool = False
) -> datetime:
    """A moment typed in one of the forms above (UTC). A date alone is the start of that
    day in the business time zone, or with ``end_of_day`` the last moment of it (what "as
    of a date" means); a time without an offset is in the business time zone."""
    if isinstance(text, datetime):
        if text.tzinfo is None:
            raise InvalidInput(msg("{field} {text} has no time zone", field=field,
                                   text=text.isoformat()), field=field)
        in_range(text.astimezone(tz).date(), field, text.isoformat())
        return text.astimezone(UTC)
    if isinstance(text, date):
        text = text.isoformat()
    written = read(text)
    if written is None:
        raise _refuse(field, text)
    in_range(written.day, field, text)
    if written.clock is None:
        return (end_of(written.day, tz) - timedelta(microseconds=1) if end_of_day
                else start_of(written.day, tz))
    moment = datetime.combine(written.day, written.clock, written.offset or tz)
    in_range(moment.astimezone(tz).date(), field, text)
    return moment.astimezone(UTC)


def parse_when(text: str | datetime | None, now: datetime, tz: tzinfo,
               field: str = "at") -> datetime:
    """``WHEN`` of a recording command: a moment as :func:`parse_moment` reads it (a date
    is the start of that day); it defaults to ``now``, and a moment in the future is
    refused."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return now.astimezone(UTC)
    moment = parse_moment(text, tz, field)
    if moment > now:
        raise InvalidInput(
            msg("{field} {text!r} is in the future", field=field, text=_typed(text, tz)),
            field=field,
        )
    return moment


def _typed(text: str | datetime, tz: tzinfo) -> str:
    if isinstance(text, datetime):
        return text.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    return str(text).strip()


def parse_period(text: str | Period, field: str = "period") -> Period:
    """A month written ``YYYY-MM``, from ``2000-01`` to ``2099-12``."""
    if isinstance(text, Period):
        text = str(text)
    match = _PERIOD.fullmatch(str(text).strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise InvalidInput(
            msg("{field} {text!r} is not a month written YYYY-MM (e.g. 2020-10)",
                field=field, text=str(text)),
            field=field,
        )
    period = Period(int(match.group(1)), int(match.group(2)))
    if not Period.of_date(FIRST_DAY) <= period <= Period.of_date(LAST_DAY):
        raise InvalidInput(
            msg("{field} {text!r} is outside the periods consign accepts (2000-01 to "
                "2099-12)", field=field, text=str(text)),
            field=field,
        )
    return period


def start_of(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, time(0, 0), tz).astimezone(UTC)


def end_of(day: date, tz: tzinfo) -> datetime:
    """ "As of a date" means the end of that day: the first moment of the next day, exclusive."""
    return start_of(day + timedelta(days=1), tz)


def local_date(moment: datetime, tz: tzinfo) -> date:
    return moment.astimezone(tz).date()


def iso(moment: datetime, tz: tzinfo) -> str:
    """ISO 8601 with its offset, in the business time zone (``2020-10-05T14:30:00+07:00``)."""
    return moment.astimezone(tz).isoformat()


def shown(moment: datetime, tz: tzinfo) -> str:
    """A moment as people read it in the business time zone: ``2020-10-05 14:30``."""
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def spoken(moment: datetime, tz: tzinfo, lang: str = "id") -> str:
    """A moment as a clerk says it, in the business time zone: ``5 Oktober 2020 14:30``."""
    local = moment.astimezone(tz)
    return f"{local.day} {month_name(local.month, lang)} {local.year} {local:%H:%M}"
