"""How figures and dates read on paper, in Indonesian ('id') or English ('en').

Every Babel call names its pattern explicitly, so the output depends on the
locale data (month names, separators) and not on Babel's default formats,
which change between versions.  Money is whole rupiah as ``int``; rates are
basis points (1750 = 17.5%).  Nothing here rounds.

A statement prints hundreds of figures, so whole numbers are grouped in Python
with the locale's own group and minus symbols (pattern ``#,##0`` groups by
three), and dates and rates, of which a month has few, are remembered.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from functools import cache, lru_cache

from babel.dates import format_date
from babel.numbers import format_decimal, get_group_symbol, get_minus_sign_symbol

LANGUAGES = ("id", "en")

_RATE = "#,##0.##"


def check_lang(lang: str) -> str:
    """Return ``lang`` if the reports speak it, else refuse with a sentence."""
    if lang not in LANGUAGES:
        raise ValueError(
            f"Unsupported report language {lang!r}: use one of {', '.join(LANGUAGES)}."
        )
    return lang


def number(n: int, lang: str = "id") -> str:
    """A whole number with thousands separators: 1234567 -> '1.234.567' (id)."""
    group, minus = _symbols(check_lang(lang))
    digits = f"{abs(n):,}".replace(",", group)
    return minus + digits if n < 0 else digits


@cache
def _symbols(lang: str) -> tuple[str, str]:
    """The locale's thousands separator and minus sign, as ``format_decimal`` uses them."""
    return get_group_symbol(lang), get_minus_sign_symbol(lang)


def signed_number(n: int, lang: str = "id") -> str:
    """A count difference with its sign shown: '+2', '-1', '0'."""
    if n > 0:
        return "+" + number(n, lang)
    return number(n, lang)


def rupiah(amount: int) -> str:
    """Whole rupiah the Indonesian way in both languages: 'Rp1.250.000', '-Rp1.250.000'."""
    if not isinstance(amount, int):
        raise TypeError(f"rupiah() takes whole rupiah as int, not {type(amount).__name__}.")
    digits = number(abs(amount), "id")
    return f"-Rp{digits}" if amount < 0 else f"Rp{digits}"


@lru_cache(maxsize=4096)
def long_date(d: datetime.date, lang: str = "id") -> str:
    """'5 Oktober 2020' (id) or '5 October 2020' (en)."""
    return format_date(d, format="d MMMM y", locale=check_lang(lang))


@lru_cache(maxsize=4096)
def short_date(d: datetime.date, lang: str = "id") -> str:
    """'5 Okt 2020' (id) or '5 Oct 2020' (en), for table columns."""
    return format_date(d, format="d MMM y", locale=check_lang(lang))


@lru_cache(maxsize=4096)
def period_label(period: str, lang: str = "id") -> str:
    """'2020-10' -> 'Oktober 2020' (id) or 'October 2020' (en)."""
    year, month = _parse_period(period)
    return format_date(datetime.date(year, month, 1), format="MMMM y", locale=check_lang(lang))


@lru_cache(maxsize=4096)
def rate_label(rate_bp: int, lang: str = "id") -> str:
    """Basis points as a percentage: 1750 -> '17,5%' (id) / '17.5%' (en); 2000 -> '20%'."""
    percent = Decimal(rate_bp) / 100
    return format_decimal(percent, format=_RATE, locale=check_lang(lang)) + "%"


def _parse_period(period: str) -> tuple[int, int]:
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}", period):
        raise ValueError(f"Period {period!r} is not of the form YYYY-MM.")
    year, month = int(period[:4]), int(period[5:])
    if not 1 <= month <= 12:
        raise ValueError(f"Period {period!r} has no month {month}.")
    return year, month
