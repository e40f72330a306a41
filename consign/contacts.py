"""The forms of registry fields: codes, SKUs, phone numbers, NIB, bank accounts, e-mail,
sectors. Each parser takes what a person typed (already trimmed and free of control
characters: see :mod:`consign.fields`) and returns the value stored, or refuses it."""

import re

from consign.errors import InvalidInput
from consign.i18n import msg

SECTORS = ("kriya", "fashion", "kuliner", "lainnya")
CODE_MAX, SKU_MAX = 20, 16
ACCOUNT_DIGITS = (5, 20)
EMAIL_MAX = 254
_CODE = re.compile(r"[A-Z0-9][A-Z0-9-]*", re.ASCII)
_PHONE_NOISE = re.compile(r"[\s\-.()]")
_ACCOUNT_NOISE = re.compile(r"[\s.\-]")


def parse_code(text: str, field: str = "code", most: int = CODE_MAX) -> str:
    """Upper-case letters, digits and ``-``, 1 to 20 characters (``ATRIA``, ``IKM-0001``);
    lower case is raised (``atria`` is ``ATRIA``)."""
    code = str(text).strip().upper()
    if not (str(text).isascii() and _CODE.fullmatch(code)):
        raise InvalidInput(
            msg("{field} {text!r} may hold only letters, digits and '-' (e.g. ATRIA, "
                "IKM-0001)", field=field, text=str(text)[:40]),
            field=field,
        )
    if len(code) > most:
        raise InvalidInput(
            msg("{field} {text!r} is longer than {most} characters", field=field,
                text=code[:40], most=most),
            field=field,
        )
    return code


def parse_sku(text: str, field: str = "sku") -> str:
    """A product's SKU, as codes are but at most 16 characters, so that a Code128 barcode
    of it scans on a label and it is safe in a URL: ``btk-001`` is ``BTK-001``."""
    return parse_code(text, field, SKU_MAX)


def parse_phone(text: str, field: str = "phone") -> str:
    """``0341-403388`` -> ``+62341403388``; ``0812 3456 7890`` -> ``+6281234567890``: a
    number that exists in Indonesia by libphonenumber's metadata, stored as ``+62…``."""
    import phonenumbers

    raw = str(text).strip()
    compact = _PHONE_NOISE.sub("", raw)
    if not (compact.startswith("+62") or compact.startswith("0")):
        raise InvalidInput(msg("{field} {text!r} must start with 0 or +62", field=field,
                               text=raw[:40]), field=field)
    digits = compact[1:] if compact.startswith("+") else compact
    try:
        number = phonenumbers.parse(compact, "ID") if digits.isascii() and digits.isdigit() \
            else None
    except phonenumbers.NumberParseException:
        number = None
    if number is None or number.country_code != 62 or not phonenumbers.is_valid_number(number):
        raise InvalidInput(
            msg("{field} {text!r} is not a phone number that exists in Indonesia (e.g. "
                "0341-403388 or 0812-3456-7890)", field=field, text=raw[:40]),
            field=field,
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_mobile(stored: str | None) -> bool:
    """Whether a stored number is a mobile one (what WhatsApp needs)."""
    if not stored:
        return False
    import phonenumbers

    kind = phonenumbers.number_type(phonenumbers.parse(stored, "ID"))
    return kind in (phonenumbers.PhoneNumberType.MOBILE,
                    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def parse_nib(text: str, field: str = "nib") -> str:
    """The business identity number: exactly 13 digits."""
    raw = str(text).strip()
    if not (raw.isascii() and raw.isdigit() and len(raw) == 13):
        raise InvalidInput(msg("{field} {text!r} must be exactly 13 digits", field=field,
                               text=raw[:40]), field=field)
    return raw


def parse_account(text: str, field: str = "account") -> str:
    """A bank account number, typed with spaces, dots or dashes if need be
    (``0021-01-000555-30-1``), stored as its 5 to 20 digits."""
    raw = str(text).strip()
    digits = _ACCOUNT_NOISE.sub("", raw)
    low, high = ACCOUNT_DIGITS
    if not (digits.isascii() and digits.isdigit() and low <= len(digits) <= high):
        raise InvalidInput(
            msg("{field} {text!r} must be a bank account number of {low} to {high} digits",
                field=field, text=raw[:40], low=low, high=high),
            field=field,
        )
    return digits


def parse_email(text: str, field: str = "email") -> str:
    """An e-mail address, checked for its form only (no look-up on the network)."""
    from email_validator import EmailNotValidError, validate_email

    raw = str(text).strip()
    if len(raw) > EMAIL_MAX or raw.count("@") != 1:
        raise InvalidInput(msg("{field} {text!r} is not an e-mail address", field=field,
                               text=raw[:60]), field=field)
    try:
        return validate_email(raw, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise InvalidInput(
            msg("{field} {text!r} is not an e-mail address: {why}", field=field,
                text=raw[:60], why=str(error)),
            field=field,
        ) from None


def parse_sector(text: str, field: str = "sector") -> str:
    sector = str(text).strip().lower()
    if sector not in SECTORS:
        raise InvalidInput(
            msg("{field} {text!r} must be one of {choices}", field=field, text=str(text)[:40],
                choices=", ".join(SECTORS)),
            field=field,
        )
    return sector


def phone_display(stored: str | None) -> str:
    """A stored ``+62…`` number in its international format (``+62 341 403388``)."""
    if not stored:
        return ""
    import phonenumbers

    try:
        number = phonenumbers.parse(stored, "ID")
    except phonenumbers.NumberParseException:
        return stored
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def account_display(digits: str | None) -> str:
    """A bank account number in groups of four digits: ``0021 0100 0123 567``."""
    digits = digits or ""
    return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))
