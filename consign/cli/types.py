"""click parameter types over the product's own parsers: a bad value exits 2 naming it."""

import click

from consign import contacts, money, periods
from consign.errors import InvalidInput


class Parsed(click.ParamType):
    def __init__(self, name: str, parse):
        self.name = name
        self._parse = parse

    def convert(self, value, param, ctx):
        if not isinstance(value, str):
            return value
        try:
            return self._parse(value)
        except InvalidInput as error:
            self.fail(error.message, param, ctx)


MONEY = Parsed("amount", money.parse_money)
PRICE = Parsed("price", money.parse_price)
RATE = Parsed("rate", money.parse_rate)
CODE = Parsed("code", contacts.parse_code)
PHONE = Parsed("phone", contacts.parse_phone)
NIB = Parsed("nib", contacts.parse_nib)
ACCOUNT = Parsed("account", contacts.parse_account)
EMAIL = Parsed("email", contacts.parse_email)
DATE = Parsed("date", periods.parse_date)
PERIOD = Parsed("period", periods.parse_period)
SECTOR = click.Choice(contacts.SECTORS)
