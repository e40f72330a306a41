"""Registry field forms: phone numbers, NIB, codes, SKUs, accounts, e-mail, sectors."""

import re

import pytest

from consign import fields
from consign.contacts import (
    account_display,
    is_mobile,
    parse_account,
    parse_code,
    parse_email,
    parse_nib,
    parse_phone,
    parse_sku,
    phone_display,
)
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
    [("812345678", "must start with 0 or +62"), ("0341-4033", "not a phone number that exists"),
     ("08123456789012345", "not a phone number that exists"),
     ("0812-ABCD-123", "not a phone number that exists"),
     ("+6512345678", "must start with 0 or +62"),
     ("0999 1234 5678", "not a phone number that exists")],
)
def test_numbers_that_do_not_exist_in_indonesia_are_refused(text, message):
    with pytest.raises(InvalidInput, match=re.escape(message)):
        parse_phone(text)


def test_phones_print_in_their_international_format_and_mobiles_are_known():
    assert phone_display("+62341403388") == "+62 341 403388"
    assert phone_display("+6281234567890") == "+62 812-3456-7890"
    assert is_mobile("+6281234567890") and not is_mobile("+62341403388")


def test_an_nib_is_exactly_thirteen_digits():
    assert parse_nib("1234567890123") == "1234567890123"
    for bad in ("123456789012", "12345678901234", "123456789012X", "１２３４５６７８９０１２３"):
        with pytest.raises(InvalidInput, match="must be exactly 13 digits"):
            parse_nib(bad)


def test_codes_are_one_to_twenty_upper_case_letters_digits_and_dashes():
    assert parse_code("ikm-0001") == "IKM-0001"
    assert parse_code("A" * 20) == "A" * 20
    for bad in ("-ATRIA", "AT RIA", "ATRIA!", "", "ÄTRIA", "A" * 21, "ı"):
        with pytest.raises(InvalidInput):
            parse_code(bad)


def test_skus_are_codes_of_at_most_sixteen_characters():
    assert parse_sku("btk-001") == "BTK-001"
    assert parse_sku("W" * 16) == "W" * 16
    for bad in ("W" * 17, "BTK 001", "BTK=001", "BTK@1", "BTK/1"):
        with pytest.raises(InvalidInput):
            parse_sku(bad)


def test_an_account_number_may_be_typed_with_separators_and_is_stored_as_digits():
    assert parse_account("0021-01-000555-30-1") == "002101000555301"
    assert parse_account("0021 0100.0123") == "002101000123"
    assert account_display("002101000123567") == "0021 0100 0123 567"
    for bad in ("1234", "1" * 21, "0021-01-ABC", "١٢٣٤٥٦"):
        with pytest.raises(InvalidInput, match="5 to 20 digits"):
            parse_account(bad)


@pytest.mark.parametrize("text", ["a@b", "no-at-sign", "two@@example.id", "a b@example.id",
                                  "x@" + "a" * 250 + ".id"])
def test_an_email_address_is_checked_for_its_form(text):
    with pytest.raises(InvalidInput):
        parse_email(text)


def test_a_good_email_address_is_kept():
    assert parse_email("sri.wahyuni@example.id") == "sri.wahyuni@example.id"


def test_a_sector_is_one_of_four():
    assert fields.sector("Kriya") == "kriya"
    with pytest.raises(InvalidInput, match="must be one of kriya, fashion, kuliner, lainnya"):
        fields.sector("food")
