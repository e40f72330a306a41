"""click parameter types over the product's own field parsers (``consign.fields``): a bad
value exits 2 naming the option, with the sentence the service would have given."""

import click

from consign import fields
from consign.errors import InvalidInput


class Parsed(click.ParamType):
    def __init__(self, name: str, parse):
        self.name = name
        self._parse = parse

    def convert(self, value, param, ctx):
        if not isinstance(value, str):
            return value
        field = field_name(param, self.name)
        try:
            return self._parse(value, field)
        except InvalidInput as error:
            from consign.cli import language

            self.fail(error.text(language()), param, ctx)


def field_name(param, default: str) -> str:
    """What a message calls a parameter: an option as typed without its dashes (``--on``
    is ``on``), an argument by its name."""
    if param is None:
        return default
    if isinstance(param, click.Option):
        return param.opts[0].lstrip("-")
    return param.name


def _choice(choices: tuple[str, ...]):
    return lambda value, field: fields.choice(value, field, choices)


MONEY = Parsed("amount", fields.amount)
PRICE = Parsed("price", fields.price)
RATE = Parsed("rate", fields.rate)
CODE = Parsed("code", fields.code)
SKU = Parsed("sku", fields.sku)
QTY = Parsed("qty", fields.quantity)
DAYS = Parsed("days", fields.days)
ID = Parsed("id", fields.identifier)
PHONE = Parsed("phone", fields.phone)
NIB = Parsed("nib", fields.nib)
ACCOUNT = Parsed("account", fields.account)
EMAIL = Parsed("email", fields.email)
DATE = Parsed("date", fields.day)
PERIOD = Parsed("period", fields.period)
NAME = Parsed("name", fields.name)
TEXT = Parsed("text", fields.note)
ADDRESS = Parsed("address", fields.address)
CATEGORY = Parsed("category", fields.category)
RECEIPT = Parsed("receipt", fields.receipt)
REFERENCE = Parsed("ref", fields.reference)
PHRI_NO = Parsed("phri_no", fields.phri_no)


def choice(choices: tuple[str, ...]) -> click.Choice:
    """A fixed list (shown in --help); the value is checked again by the service."""
    return click.Choice(choices, case_sensitive=False)
