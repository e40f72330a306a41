"""Printing records as a table, CSV or one JSON document (``--format``), and the sentences
a command says (``say``): each a ``consign.i18n.msg`` template, said in the language of
``CONSIGN_LANG``. CSV (for spreadsheets, :func:`consign.tabular.write_csv`) and JSON (for
scripts) are never translated, keys or values; the table's words for people (``yes``,
``(none)``) are."""

import functools
import json
import sys

import click

from consign.contacts import phone_display
from consign.i18n import Message, msg
from consign.money import rupiah
from consign.tabular import write_csv

FORMATS = ("table", "csv", "json")


def format_option(command):
    """Adds ``--format table|csv|json`` and passes it as ``fmt``."""

    @click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="Output format: a table for people, CSV for spreadsheets, JSON for scripts.",
    )
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        return command(*args, **kwargs)

    return wrapper


def say(message: Message, err: bool = False) -> None:
    """Print one sentence (a ``msg(...)``) in the language of ``CONSIGN_LANG``."""
    click.echo(text(message), err=err)


def text(message: Message) -> str:
    """A sentence in the language of ``CONSIGN_LANG``, as the command line speaks."""
    from consign.cli import language

    return message.text(language())


def emit(data, fmt: str, money: tuple[str, ...] = (), columns: list[str] | None = None) -> None:
    """Print a record (dict) or a list of records. JSON keeps money as integers;
    the table shows it as ``Rp1.250.000`` (and a phone number in its international
    format); CSV keeps plain integers for spreadsheets."""
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        _csv(data if isinstance(data, list) else [data], columns)
    elif isinstance(data, dict):
        _record(data, money)
    else:
        _table(data, money, columns)


def _columns(rows: list[dict], columns) -> list[str]:
    return columns or (list(rows[0]) if rows else [])


def _csv(rows: list[dict], columns) -> None:
    write_csv(sys.stdout, _columns(rows, columns), rows)


def _cell(name: str, value, money) -> str:
    if value is None or value == "":
        return "-"
    if name in money and isinstance(value, int):
        return rupiah(value)
    if name == "phone" and isinstance(value, str):  # stored +62…, read +62 812-3456-7890
        return phone_display(value)
    if isinstance(value, bool):
        return text(msg("yes") if value else msg("no"))
    if isinstance(value, dict):  # a pointer such as what a correction corrects
        return " ".join(str(part) for part in value.values() if part is not None) or "-"
    return str(value)


def _table(rows: list[dict], money, columns) -> None:
    names = _columns(rows, columns)
    if not rows:
        say(msg("(none)"))
        return
    cells = [[_cell(name, row.get(name), money) for name in names] for row in rows]
    widths = [max(len(name), *(len(r[i]) for r in cells)) for i, name in enumerate(names)]
    right = [name in money or all(_is_number(r.get(name)) for r in rows) for name in names]
    click.echo(_line(names, widths, right))
    click.echo("  ".join("-" * width for width in widths))
    for row in cells:
        click.echo(_line(row, widths, right))


def _line(values, widths, right) -> str:
    parts = [
        value.rjust(width) if is_right else value.ljust(width)
        for value, width, is_right in zip(values, widths, right, strict=True)
    ]
    return "  ".join(parts).rstrip()


def _record(record: dict, money) -> None:
    plain = {k: v for k, v in record.items() if not isinstance(v, list)}
    width = max((len(key) for key in plain), default=0)
    for key, value in plain.items():
        click.echo(f"{key.ljust(width)}  {_cell(key, value, money)}")
    for key, value in record.items():
        if isinstance(value, list):
            click.echo(f"\n{key}:")
            _table(value, money, None)


def _is_number(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
