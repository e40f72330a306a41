"""Settlement commands: settle, close, and the statements (list, show, pdf, pay, verify)."""

import re
import sys
from pathlib import Path

import click

from consign.cli import pass_app
from consign.cli import types as t
from consign.cli.output import emit, format_option
from consign.errors import InvalidInput, NotFound

MONEY = ("gross", "commission", "opening_balance", "net", "unit_price", "amount")
SUMMARY = ["number", "hotel", "consignor", "period", "status", "gross", "commission",
           "opening_balance", "net"]
_NUMBER = re.compile(r"ST-\d{6}")


def _parse_number(text: str) -> str:
    number = text.strip().upper()
    if not _NUMBER.fullmatch(number):
        raise InvalidInput(f"statement number {text!r} is not of the form ST-000042")
    return number


NUMBER = t.Parsed("number", _parse_number)


def _emit_list(statements, fmt: str) -> None:
    from consign import serialize

    rows = [serialize.statement(s) for s in statements]
    emit(rows, fmt, money=MONEY, columns=SUMMARY if fmt == "table" else None)


# ---- settle and close ---------------------------------------------------------------------

@click.command()
@click.argument("period", type=t.PERIOD)
@click.option("--hotel", type=t.CODE, help="Only this hotel's statements.")
@format_option
@pass_app
def settle(app, period, hotel, fmt):
    """Build (or rebuild) the draft statements of PERIOD (YYYY-MM) from the ledger."""
    from consign.services import settlement

    with app.transaction() as session:
        statements = settlement.settle(session, app.context(), period, hotel)
        _emit_list(statements, fmt)


@click.command()
@click.argument("period", type=t.PERIOD)
@click.option("--hotel", type=t.CODE, required=True, help="The hotel whose month to close.")
@format_option
@pass_app
def close(app, period, hotel, fmt):
    """Issue HOTEL's statements of PERIOD: numbered, frozen, PDF hashed; the month is locked."""
    from consign.services import settlement

    with app.transaction() as session:
        statements = settlement.close_period(session, app.context(), period, hotel)
        _emit_list(statements, fmt)
    if fmt == "table":
        click.echo(f"{period} is closed for {hotel}: {len(statements)} statement(s) issued.")


# ---- statements ---------------------------------------------------------------------------

@click.group()
def statement():
    """Settlement statements: list, show, PDF, record payment, verify a PDF file."""


@statement.command("list")
@click.option("--period", type=t.PERIOD, help="Only this month (YYYY-MM).")
@click.option("--hotel", type=t.CODE, help="Only this hotel.")
@click.option("--consignor", type=t.CODE, help="Only this IKM.")
@click.option("--status", type=click.Choice(["draft", "issued", "paid"]), help="Only these.")
@format_option
@pass_app
def statement_list(app, period, hotel, consignor, status, fmt):
    """List statements with their totals."""
    from consign.services import settlement

    with app.transaction(readonly=True) as session:
        statements = settlement.list_statements(session, period, hotel, consignor, status)
        _emit_list(statements, fmt)


@statement.command("show")
@click.argument("number", type=NUMBER)
@format_option
@pass_app
def statement_show(app, number, fmt):
    """Show statement NUMBER (e.g. ST-000042) with its lines and stock reconciliation."""
    from consign import serialize
    from consign.services import settlement

    with app.transaction(readonly=True) as session:
        emit(serialize.statement_detail(settlement.get_statement(session, number)), fmt,
             money=MONEY)


@statement.command("pay")
@click.argument("number", type=NUMBER)
@click.option("--on", "paid_on", type=t.DATE, required=True, help="Payment date, YYYY-MM-DD.")
@click.option("--ref", required=True, help="Payment reference, e.g. the transfer number.")
@format_option
@pass_app
def statement_pay(app, number, paid_on, ref, fmt):
    """Record that statement NUMBER was paid (once)."""
    from consign import serialize
    from consign.services import settlement

    with app.transaction() as session:
        paid = settlement.pay(session, app.context(), number, paid_on, ref)
        emit(serialize.statement(paid), fmt, money=MONEY)


@statement.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False), required=False)
@click.option("--code", nargs=2, metavar="NUMBER CODE",
              help="Check a paper copy: the statement number and the verification code "
                   "printed on it (spaces and case do not matter).")
@format_option
@pass_app
def statement_verify(app, file, code, fmt):
    """Say which issued document FILE.pdf is, byte for byte, or whether the code printed on
    a paper copy is that statement's (exit 1 if not)."""
    from consign.services import settlement

    if (file is None) == (code is None):
        raise click.UsageError("give either FILE or --code NUMBER CODE")
    with app.transaction(readonly=True) as session:
        if code:
            verdict = settlement.verify_code(session, _parse_number(code[0]), code[1])
        else:
            verdict = settlement.verify(session, Path(file).read_bytes(), file)
    if fmt == "table":
        click.echo(verdict.message)
    else:
        emit({"file": file, "number": verdict.number, "unaltered": verdict.unaltered,
              "message": verdict.message}, fmt)
    if not verdict.unaltered:
        sys.exit(1)


@statement.command("pdf")
@click.argument("number", type=NUMBER, required=False)
@click.option("--period", type=t.PERIOD, help="Every statement of this month (YYYY-MM).")
@click.option("--out", default=".", show_default=True, type=click.Path(file_okay=False),
              help="Folder for the PDF files (created if missing).")
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True,
              help="Language of the statement.")
@click.option("--consolidated", is_flag=True,
              help="One file per IKM for the period: summary, each hotel's statement, "
                   "gross so far this year.")
@pass_app
def statement_pdf(app, number, period, out, lang, consolidated):
    """Write the PDF of statement NUMBER, or of every statement of --period, into --out."""
    if (number is None) == (period is None):
        raise click.UsageError("give either a statement NUMBER or --period, not both")
    if consolidated and period is None:
        raise click.UsageError("--consolidated needs --period")
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    if consolidated:
        documents = _consolidated(app, period, lang)
    else:
        documents = _statements(app, number, period, lang)
    written = _write(folder, documents)
    click.echo(f"Wrote {written} PDF file(s) to {folder}.")


def _statements(app, number, period, lang):
    """(file name, PDF) of each statement: issued ones from the archive (archived the
    first time in another language), drafts rendered now."""
    from consign.services import settlement
    from consign.services.settlement import statements as queries

    ctx = app.context()
    with app.transaction() as session:
        chosen = ([settlement.get_statement(session, number)] if number
                  else queries.of_period(session, period))
        if number is None and not chosen:
            raise NotFound(f"No statements for {period}: run 'consign settle {period}'.")
        names = [_file_name(s) for s in chosen]
        data = queries.documents(session, ctx, chosen, lang)
    return list(zip(names, data, strict=True))


def _file_name(statement) -> str:
    if statement.number:
        return f"{statement.number}.pdf"
    return f"draft_{statement.hotel_code}_{statement.consignor_code}_{statement.period}.pdf"


def _consolidated(app, period, lang):
    from consign.services.settlement import statements as queries

    ctx = app.context()
    with app.transaction() as session:
        codes = queries.consignors_of_period(session, period)
        if not codes:
            raise NotFound(f"No issued statements for {period}: close the period first.")
        return [
            (f"{code}_{period}.pdf", queries.consolidated_pdf(session, ctx, code, period, lang))
            for code in codes
        ]


def _write(folder: Path, documents: list[tuple[str, bytes]]) -> int:
    for name, data in documents:
        (folder / name).write_bytes(data)
    return len(documents)


COMMANDS = [settle, close, statement]
