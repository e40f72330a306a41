"""The bounds of every input (SPEC section 2): one parser per kind of field, used by the
services (which validate everything they are given, whoever calls them) and by the
command line's parameter types (which turn text into values through the same parsers).

Each parser takes what was typed (text) or a value already parsed (idempotent: a value
that passed once passes again) and returns the value stored, or raises ``InvalidInput``
naming the field and the value. Text is trimmed; required text that is blank is refused;
control characters (NUL, escape sequences, bidirectional overrides, zero-width
characters) are refused; and so is a character the documents' typeface cannot print, so
that every value within the bounds prints on every document.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, tzinfo

from consign import contacts, money, periods
from consign.errors import InvalidInput
from consign.i18n import msg
from reports.fonts import PRINTABLE_RANGES, unprintable

QTY = (1, 100_000)  # a line's quantity: placed, sold, returned, lost
COUNTED = (0, 100_000)  # a stock count's counted units
PRICE = (1, 1_000_000_000)  # a list, placement or sale price, in rupiah
DAYS = (1, 3_650)  # a display or payment term
ID_MAX = 2**31 - 1  # the largest id an INTEGER column holds, on either database
AMOUNT_MAX = 2**63 - 1  # the largest amount a BIGINT column holds
NAME = 120  # hotel, business, owner, product, bank and account holder names; a person
CATEGORY = 60
ADDRESS = 300
NOTE = 500  # a reason, a note
RECEIPT = 60  # a receipt number, a payment reference
PHRI_NO = 40
CELL = 10_000  # the longest cell a file may have
REGISTRY_ROWS = 20_000  # rows of one registry file: the programme has 7,000 products

VERIFICATION_TYPED = 40  # a verification code as typed: 12 digits, with spaces or dashes
_DIGITS = re.compile(r"[0-9]+", re.ASCII)
_VERIFICATION = re.compile(r"[0-9A-F]{12}", re.ASCII)
_CODE_GAPS = re.compile(r"[\s\-]+")
_CONTROL = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
# text made only of printable characters that are no control: the common case, one regex
_PLAIN = re.compile("[" + "".join(
    re.escape(chr(first)) + "-" + re.escape(chr(last)) for first, last in PRINTABLE_RANGES
) + "]*")
_PLAIN_EXCEPT = {chr(code) for first, last in PRINTABLE_RANGES for code in range(first, last + 1)
                 if unicodedata.category(chr(code)) in _CONTROL}


# ---- text -------------------------------------------------------------------------------------

def text(value, field: str, most: int, required: bool = True) -> str | None:
    """Trimmed text of at most ``most`` characters, printable on every document; None for
    an optional field left blank."""
    if value is None:
        if required:
            raise InvalidInput(msg("{field} is required", field=field), field=field)
        return None
    raw = str(value).strip()
    if not raw:
        if required:
            raise InvalidInput(msg("{field} is blank", field=field), field=field)
        return None
    if len(raw) <= most and _PLAIN.fullmatch(raw) and not _PLAIN_EXCEPT.intersection(raw):
        return raw
    control = next((char for char in raw if unicodedata.category(char) in _CONTROL), None)
    if control is not None:
        raise InvalidInput(
            msg("{field} holds a control character (U+{code:04X}); type plain text",
                field=field, code=ord(control)),
            field=field,
        )
    if len(raw) > most:
        raise InvalidInput(
            msg("{field} is {length} characters long; at most {most} are allowed "
                "({start}…)", field=field, length=len(raw), most=most, start=raw[:20]),
            field=field,
        )
    odd = unprintable(raw)
    if odd is not None:
        raise InvalidInput(
            msg("{field} holds {char!r} (U+{code:04X}), a character the documents cannot "
                "print", field=field, char=odd, code=ord(odd)),
            field=field,
        )
    return raw


def name(value, field: str = "name") -> str:
    return text(value, field, NAME)


def optional_name(value, field: str) -> str | None:
    return text(value, field, NAME, required=False)


def category(value, field: str = "category") -> str:
    return text(value, field, CATEGORY, required=False) or ""


def address(value, field: str = "address") -> str:
    return text(value, field, ADDRESS, required=False) or ""


def note(value, field: str = "reason") -> str:
    """A reason or a note: required, 1 to 500 characters."""
    return text(value, field, NOTE)


def receipt(value, field: str = "receipt") -> str | None:
    return text(value, field, RECEIPT, required=False)


def reference(value, field: str = "ref") -> str:
    return text(value, field, RECEIPT)


def phri_no(value, field: str = "phri_no") -> str | None:
    return text(value, field, PHRI_NO, required=False)


def actor(value, field: str = "as") -> str:
    """Who acts (``--as``, ``CONSIGN_USER``, the login): a person's name."""
    return text(value, field, NAME)


def _typed(value, field: str, most: int = CELL) -> str:
    """The text of a value a grammar reads (a code, a date): trimmed, no control chars."""
    return text(value, field, most)


# ---- codes and contacts --------------------------------------------------------------------

def code(value, field: str = "code") -> str:
    """A code (:func:`consign.contacts.parse_code`): one too long is told its real bound, 20."""
    return contacts.parse_code(_typed(value, field), field)


def verification_code(value, field: str = "code") -> str:
    """The verification code of a statement as typed from its paper copy: 12 hexadecimal
    digits, spaces, dashes and case ignored; returned as printed (``1A2B 3C4D 5E6F``). A
    phone's keyboard may give full-width letters or another kind of dash or space: they
    are read as what they stand for."""
    if isinstance(value, str):
        value = "".join(" " if unicodedata.category(char) in ("Pd", "Zs") else char
                        for char in unicodedata.normalize("NFKC", value))
    typed = _CODE_GAPS.sub("", _typed(value, field, VERIFICATION_TYPED)).upper()
    if not _VERIFICATION.fullmatch(typed):
        raise InvalidInput(msg(
            "{field} {value!r} is not a verification code: it is 12 digits and letters A to "
            "F in three groups, as printed on the statement (1A2B 3C4D 5E6F).", field=field,
            value=str(value).strip()), field=field)
    return " ".join(typed[n:n + 4] for n in (0, 4, 8))


def sku(value, field: str = "sku") -> str:
    """An SKU (:func:`consign.contacts.parse_sku`): one too long is told its real bound, 16."""
    return contacts.parse_sku(_typed(value, field), field)


def sector(value, field: str = "sector") -> str:
    return contacts.parse_sector(_typed(value, field, 60), field)


def phone(value, field: str = "phone") -> str | None:
    raw = text(value, field, 60, required=False)
    return None if raw is None else contacts.parse_phone(raw, field)


def email(value, field: str = "email") -> str | None:
    raw = text(value, field, contacts.EMAIL_MAX, required=False)
    return None if raw is None else contacts.parse_email(raw, field)


def nib(value, field: str = "nib") -> str | None:
    raw = text(value, field, 60, required=False)
    return None if raw is None else contacts.parse_nib(raw, field)


def account(value, field: str = "account") -> str | None:
    raw = text(value, field, 60, required=False)
    return None if raw is None else contacts.parse_account(raw, field)


def choice(value, field: str, choices: tuple[str, ...]) -> str:
    """One of ``choices`` (case does not matter)."""
    raw = _typed(value, field, 60).lower()
    if raw not in choices:
        raise InvalidInput(
            msg("{field} {value!r} must be one of {choices}", field=field, value=str(value),
                choices=", ".join(choices)),
            field=field,
        )
    return raw


def optional_choice(value, field: str, choices: tuple[str, ...]) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return choice(value, field, choices)


# ---- numbers and money ---------------------------------------------------------------------

def integer(value, field: str, low: int, high: int) -> int:
    """A whole number from ``low`` to ``high``, given as an ``int`` or as its digits."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise _not_whole(value, field, low, high)
    if isinstance(value, str):
        raw = value.strip()
        if not _DIGITS.fullmatch(raw) or len(raw) > 19:
            raise _not_whole(raw, field, low, high)
        value = int(raw)
    if not low <= value <= high:
        raise InvalidInput(
            msg("{field} {value} is not between {low} and {high}", field=field,
                value=value, low=_grouped(low), high=_grouped(high)),
            field=field,
        )
    return value


def _not_whole(value, field: str, low: int, high: int) -> InvalidInput:
    shown = str(value)[:40]
    return InvalidInput(
        msg("{field} {value!r} is not a whole number from {low} to {high}", field=field,
            value=shown, low=_grouped(low), high=_grouped(high)),
        field=field,
    )


def _grouped(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def quantity(value, field: str = "qty") -> int:
    return integer(value, field, *QTY)


def counted(value, field: str = "counted") -> int:
    return integer(value, field, *COUNTED)


def days(value, field: str) -> int:
    return integer(value, field, *DAYS)


def identifier(value, field: str = "id") -> int:
    """A movement id or another number that names a record: positive, fits the column."""
    return integer(value, field, 1, ID_MAX)


def price(value, field: str = "price") -> int:
    """A list, placement or sale price: Rp1 to Rp1.000.000.000."""
    amount = money.parse_money(value if not isinstance(value, str) else _typed(value, field),
                               field)
    low, high = PRICE
    if not low <= amount <= high:
        raise InvalidInput(
            msg("{field} {value} is not between Rp1 and Rp1.000.000.000", field=field,
                value=money.rupiah(amount)),
            field=field,
        )
    return amount


def optional_price(value, field: str = "price") -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return price(value, field)


def amount(value, field: str = "amount") -> int:
    """An amount of money that is more than nothing and fits the column (a payment)."""
    parsed = money.parse_money(value if not isinstance(value, str) else _typed(value, field),
                               field)
    if parsed < 1:
        raise InvalidInput(msg("{field} {value} must be more than Rp0", field=field,
                               value=money.rupiah(parsed)), field=field)
    if parsed > AMOUNT_MAX:
        raise InvalidInput(msg("{field} {value} is more than the largest amount consign "
                               "keeps ({most})", field=field, value=money.rupiah(parsed),
                               most=money.rupiah(AMOUNT_MAX)), field=field)
    return parsed


def rate(value, field: str = "commission") -> int:
    return money.parse_rate(value if not isinstance(value, str) else _typed(value, field),
                            field)


# ---- time -------------------------------------------------------------------------------------

def day(value, field: str = "date") -> date:
    return periods.parse_date(value if not isinstance(value, str) else _typed(value, field),
                              field)


def optional_day(value, field: str) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return day(value, field)


def moment(value, tz: tzinfo, field: str = "time", end_of_day: bool = False) -> datetime:
    return periods.parse_moment(
        value if not isinstance(value, str) else _typed(value, field), tz, field, end_of_day)


def when(value, now: datetime, tz: tzinfo, field: str = "at") -> datetime:
    """``--at WHEN``: a moment, by default now, never in the future."""
    if isinstance(value, str):
        value = text(value, field, CELL, required=False)
    return periods.parse_when(value, now, tz, field)


def period(value, field: str = "period") -> periods.Period:
    return periods.parse_period(
        value if not isinstance(value, str) else _typed(value, field), field)
