"""Whole rupiah and commission rates. No floats: amounts are ``int``, rates are basis points.

Rounding happens in exactly one place, :func:`commission`.
"""

import re

from consign.errors import InvalidInput
from consign.i18n import msg

_MONEY = re.compile(r"(?:Rp\s?)?(\d{1,3}(?:\.\d{3})+|\d+)", re.ASCII | re.IGNORECASE)
_RATE = re.compile(r"(\d{1,3})(?:[.,](\d{1,2}))?\s?%?", re.ASCII)
BASIS = 10_000  # basis points in 100 %
MOST_DIGITS = 40  # far more than any column holds: refused before they are read


def parse_money(value, field: str = "amount") -> int:
    """``150000``, ``150.000``, ``Rp150.000``, ``Rp 150.000`` (or an ``int``) -> 150000.

    Negatives, fractions (``150000,50``) and anything else are refused, naming the value.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            raise InvalidInput(msg("{field} {value} is negative: amounts are whole rupiah "
                                   "of 0 or more", field=field, value=value), field=field)
        return value
    raw = str(value).strip()
    match = _MONEY.fullmatch(raw)
    if not match or len(match.group(1).replace(".", "")) > MOST_DIGITS:
        raise InvalidInput(
            msg("{field} {value!r} is not a whole rupiah amount (write 150000, 150.000 or "
                "Rp150.000)", field=field, value=raw[:40]),
            field=field,
        )
    return int(match.group(1).replace(".", ""))


def parse_rate(value, field: str = "commission") -> int:
    """``20%``, ``17.5%``, ``17,5 %`` -> basis points (2000, 1750). 0 to 100 %, two decimals.
    An ``int`` is taken as basis points already."""
    if isinstance(value, int) and not isinstance(value, bool):
        bp = value
        raw = rate_text(value) if value >= 0 else str(value)
    else:
        raw = str(value).strip()
        match = _RATE.fullmatch(raw)
        if not match:
            raise InvalidInput(
                msg("{field} {value!r} is not a percentage with at most two decimals (e.g. "
                    "20% or 17.5%)", field=field, value=raw[:40]),
                field=field,
            )
        whole, fraction = match.group(1), (match.group(2) or "").ljust(2, "0")
        bp = int(whole) * 100 + int(fraction)
    if not 0 <= bp <= BASIS:
        raise InvalidInput(msg("{field} {value!r} is not between 0% and 100%", field=field,
                               value=raw), field=field)
    return bp


def rate_text(bp: int) -> str:
    """2000 -> ``20%``, 1750 -> ``17.5%``, 1725 -> ``17.25%`` (the form JSON and tables use)."""
    whole, fraction = divmod(bp, 100)
    if not fraction:
        return f"{whole}%"
    return f"{whole}.{fraction:02d}".rstrip("0") + "%"


def commission(amount: int, bp: int) -> int:
    """``amount`` × rate, rounded to whole rupiah with halves away from zero.

    Integer arithmetic only, so a correction (a negative amount) mirrors its original.
    """
    quotient, remainder = divmod(abs(amount) * bp, BASIS)
    if 2 * remainder >= BASIS:
        quotient += 1
    return quotient if amount >= 0 else -quotient


def rupiah(amount: int) -> str:
    """Indonesian display form: ``Rp1.250.000``; ``-Rp5.000`` for a negative amount."""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{abs(amount):,}".replace(",", ".")
