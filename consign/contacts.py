"""The forms of registry fields: codes, phone numbers, NIB, bank accounts, e-mail, sectors."""

import re

from consign.errors import InvalidInput

SECTORS = ("kriya", "fashion", "kuliner", "lainnya")
CODE_PATTERN = r"[A-Z0-9][A-Z0-9-]*"
_CODE = re.compile(CODE_PATTERN)
_PHONE_NOISE = re.compile(r"[\s\-.()]")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def parse_code(text: str, what: str = "code") -> str:
    """Upper-case letters, digits and ``-`` (``ATRIA``, ``IKM-0001``); lower case is raised."""
    code = str(text).strip().upper()
    if not _CODE.fullmatch(code) or len(code) > 40:
        raise InvalidInput(
            f"{what} {text!r} may hold only letters, digits and '-' (e.g. ATRIA, IKM-0001)"
        )
    return code


def parse_sku(text: str) -> str:
    """A product's SKU, as codes are: upper case (``btk-001`` is ``BTK-001``), no spaces,
    and none of the ``=`` and ``@`` that ``SKU=QTY@PRICE`` uses."""
    sku = str(text).strip().upper()
    if not sku or any(c.isspace() or c in "=@," for c in sku) or len(sku) > 60:
        raise InvalidInput(f"SKU {text!r} must be one word without '=', '@' or ',' (e.g. BTK-001)")
    return sku


def parse_phone(text: str) -> str:
    """``0341-403388`` -> ``+62341403388``; ``0812 3456 7890`` -> ``+6281234567890``."""
    raw = str(text).strip()
    compact = _PHONE_NOISE.sub("", raw)
    if compact.startswith("+62"):
        digits = compact[3:]
    elif compact.startswith("0"):
        digits = compact[1:]
    else:
        raise InvalidInput(f"phone {raw!r} must start with 0 or +62")
    if not digits.isdigit() or not 8 <= len(digits) <= 15:
        raise InvalidInput(
            f"phone {raw!r} must have 8 to 15 digits after the 0 or +62 "
            f"(found {sum(c.isdigit() for c in digits)})"
        )
    return "+62" + digits


def parse_nib(text: str) -> str:
    raw = str(text).strip()
    if not (raw.isdigit() and raw.isascii() and len(raw) == 13):
        raise InvalidInput(f"NIB {raw!r} must be exactly 13 digits")
    return raw


def parse_account(text: str) -> str:
    raw = str(text).strip()
    if not (raw.isdigit() and raw.isascii()):
        raise InvalidInput(f"bank account {raw!r} must be digits only")
    return raw


def parse_email(text: str) -> str:
    raw = str(text).strip()
    if not _EMAIL.fullmatch(raw):
        raise InvalidInput(f"email {raw!r} is not an e-mail address")
    return raw


def parse_sector(text: str) -> str:
    sector = str(text).strip().lower()
    if sector not in SECTORS:
        raise InvalidInput(f"sector {text!r} must be one of {', '.join(SECTORS)}")
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
