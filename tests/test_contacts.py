"""Registry field forms: phone numbers, NIB, codes, accounts."""

import re

import pytest

from consign.contacts import parse_account, parse_code, parse_nib, parse_phone
from consign.errors import InvalidInput


@pytest.mark.parametrize(
    ("text", "stored"),
    [("0341-403388", "+62341403388"), ("0812 3456 7890", "+6281234567890"),
     ("+62 812-3456-7890", "+6281234567890"), ("(0341) 551.234", "+62341551234"),
     ("+62 341 403388", "+62341403388")],
)
def test_phone_numbers_are_stored_in_international_form(text, stored):
    assert parse_phone(text) == stored


@pytest.mark.parametrize(
    ("text", "message"),
    [("812345678", "must start with 0 or +62"), ("0341-4033", "must have 8 to 15 digits"),
     ("08123456789012345", "must have 8 to 15 digits"), ("0812-ABCD-123", "8 to 15 digits"),
     ("+6512345678", "must start with 0 or +62")],
)
def test_malformed_phone_numbers_are_refused(text, message):
    with pytest.raises(InvalidInput, match=re.escape(message)):
        parse_phone(text)


def test_an_nib_is_exactly_thirteen_digits():
    assert parse_nib("1234567890123") == "1234567890123"
    for bad in ("123456789012", "12345678901234", "123456789012X", "１２３４５６７８９０１２３"):
        with pytest.raises(InvalidInput, match="must be exactly 13 digits"):
            parse_nib(bad)


def test_codes_are_upper_case_letters_digits_and_dashes():
    assert parse_code("ikm-0001") == "IKM-0001"
    for bad in ("-ATRIA", "AT RIA", "ATRIA!", "", "ÄTRIA"):
        with pytest.raises(InvalidInput):
            parse_code(bad)


def test_an_account_number_is_digits_only():
    assert parse_account("002101000123567") == "002101000123567"
    with pytest.raises(InvalidInput, match="digits only"):
        parse_account("0021 0100")
