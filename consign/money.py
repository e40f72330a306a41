"""Whole rupiah and commission rates. No floats: amounts are ``int``, rates are basis points.

Rounding happens in exactly one place, :func:`commission`.
"""

import re

from consign.errors import InvalidInput

_MONEY = re.compile(r"(?:Rp\s?)?(\d{1,3}(?:\.\d{3})+|\d+)")
_RATE = re.compile(r"(\d{1,3})(?:[.,](\d{1,2}))?\s?%?")
BASIS = 10_000  # basis points in 100 %


def parse_money(text: str, what: str = "amount") -> int:
    """``150000``, ``150.000``, ``Rp150.000``, ``Rp 150.000`` -> 150000.

    Negatives, fractions (``150000,50``) and anything else are refused, naming the value.
    """
    raw = str(text).strip()
    match = _MONEY.fullmatch(raw)
    if not match:
        raise InvalidInput(
            f"{what} {raw!r} is not a whole rupiah amount (write 150000, 150.000 or Rp150.000)"
        )
    return int(match.group(1).replace(".", ""))


def parse_price(text: str, what: str = "price") -> int:
    amount = parse_money(text, what)
    if amount <= 0:
        raise InvalidInput(f"{what} {text!r} must be more than Rp0")
    return amount


def parse_rate(text: str) -> int:
    """``20%``, ``17.5%``, ``17,5 %`` -> basis points (2000, 1750). 0 to 100 %, two decimals."""
    raw = str(text).strip()
    match = _RATE.fullmatch(raw)
    if not match:
        raise InvalidInput(
            f"commission {raw!r} is not a percentage with at most two decimals (e.g. 20% or 17.5%)"
        )
    whole, fraction = match.group(1), (match.group(2) or "").ljust(2, "0")
    bp = int(whole) * 100 + int(fraction)
    if bp > BASIS:
        raise InvalidInput(f"commission {raw!r} is more than 100%")
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
