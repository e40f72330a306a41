"""Settlement commands: settle, close, and the statements (list, show, pdf, pay, payments,
payment void, verify)."""

import sys
from pathlib import Path

import click

from consign.cli import pass_app, usage, writing
from consign.cli import types as t
from consign.cli.output import emit, format_option, say
from consign.i18n import msg

MONEY = ("gross", "commission", "opening_balance", "net", "unit_price", "amount", "paid",
         "owed")
SUMMARY = ["number", "hotel", "consignor", "period", "status", "gross", "commission",
           "opening_balance", "net", "owed", "overdue"]
PAYMENT_COLUMNS = ["id", "number", "consignor", "on", "amount", "ref", "bank", "account",
                   "voided", "void_reason"]
STATUSES = ("draft", "issued", "overdue", "paid")
LANGUAGES = ("id", "en")


def _number(value, field):
    from consign.services.settlement.statements import statement_number

    return statement_number(value, field)


NUMBER = t.Parsed("number", _number)


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
    """Issue HOTEL's statements of PERIOD: numbered, frozen, their PDFs archived; the month
    is locked."""
    from consign.services import settlement

    with app.transaction() as session:
        statements = settlement.close_period(session, app.context(), period, hotel)
    _emit_list(statements, fmt)
    if fmt == "table":
        say(msg("{period} is closed for {hotel}: {count} statement(s) issued.", period=period,
                hotel=hotel, count=len(statements)))


# ---- statements ---------------------------------------------------------------------------

@click.group()
def statement():
    """Settlement statements: list, show, PDF, payments, verify a PDF file or a code."""


@statement.command("list")
@click.option("--period", type=t.PERIOD, help="Only this month (YYYY-MM).")
@click.option("--hotel", type=t.CODE, help="Only this hotel.")
@click.option("--consignor", type=t.CODE, help="Only this IKM.")
@click.option("--status", type=t.choice(STATUSES),
              help="Only these: overdue means something is owed after the due date.")
@format_option
@pass_app
def statement_list(app, period, hotel, consignor, status, fmt):
    """List statements with their totals, what is still owed and whether it is overdue."""
    from consign.services import settlement

    with app.transaction(readonly=True) as session:
        statements = settlement.list_statements(session, app.context(), period, hotel,
                                                consignor, status)
    _emit_list(statements, fmt)


@statement.command("show")
@click.argument("number", type=NUMBER)
@format_option
@pass_app
def statement_show(app, number, fmt):
    """Show statement NUMBER (e.g. ST-000042) with its lines and stock reconciliation."""
    from consign import serialize
    from consign.services import settlement

    ctx = app.context()
    with app.transaction(readonly=True) as session:
        record = settlement.statement(session, ctx, number)
    emit(serialize.statement_detail(record, ctx.tz), fmt, money=MONEY)


@statement.command("pay")
@click.argument("number", type=NUMBER)
@click.option("--on", "paid_on", type=t.DATE, required=True,
              help="Payment date: 2020-11-10, 10/11/2020 or 10 November 2020.")
@click.option("--ref", required=True, type=t.REFERENCE,
              help="Payment reference, e.g. the transfer number.")
@click.option("--amount", type=t.MONEY,
              help="What was paid (150000, 150.000 or Rp150.000); default: what is still owed.")
@click.option("--pdf", "pdf", type=click.Path(dir_okay=False), metavar="FILE.pdf",
              help="Also write the payment advice (bukti pembayaran) to FILE.pdf, archived as "
                   "the proof: what was paid, for which statement, and what is still owed.")
@click.option("--lang", type=t.choice(LANGUAGES), default="id", show_default=True,
              help="Language of the --pdf advice.")
@format_option
@pass_app
def statement_pay(app, number, paid_on, ref, amount, pdf, lang, fmt):
    """Record a payment of statement NUMBER, in full or in part, to the IKM's bank account
    as registered now."""
    from consign.cli import doc_proofs
    from consign.cli.files import recorded
    from consign.services import settlement

    ctx = app.context()
    written = []
    with recorded(app) as (session, files):
        if pdf is not None:
            files.check(pdf, "pdf")
        paid = settlement.pay(session, ctx, number, paid_on, ref, amount)
        if pdf is not None:
            written = doc_proofs.write_proofs(
                files, pdf, [_advice(session, ctx, paid.payment.id, lang)])
    _emit_paid(paid, ctx, fmt)
    if fmt == "table":
        for target in written:
            say(msg("Payment advice written to {target}.", target=str(target)))


def _advice(session, ctx, payment_id: int, lang: str):
    """The advice of the payment just recorded, made and archived in its transaction."""
    from consign.services import proofs

    return proofs.advice(session, ctx, payment_id, lang)


def _emit_paid(paid, ctx, fmt: str) -> None:
    from consign import serialize

    if fmt != "table":
        emit(serialize.paid(paid, ctx.tz), fmt, money=MONEY)
        return
    from consign.money import rupiah

    payment, statement = paid.payment, paid.statement
    values = {"id": payment.id, "number": payment.number, "amount": rupiah(payment.amount),
              "on": payment.on.isoformat(), "ref": payment.ref, "bank": payment.bank,
              "account": payment.account, "holder": payment.holder}
    if payment.voided:
        say(msg("Voided payment {id} of {number}: {amount} on {on} (ref {ref}) to {bank} "
                "{account} ({holder}).", **values))
    else:
        say(msg("Payment {id} of {number}: {amount} on {on} (ref {ref}) to {bank} {account} "
                "({holder}).", **values))
    owed = {"number": statement.number, "owed": rupiah(statement.owed),
            "due": statement.due_on.isoformat()}
    if statement.status == "paid":
        say(msg("{number} is paid in full ({paid}).", number=statement.number,
                paid=rupiah(statement.paid)))
    elif statement.overdue:
        say(msg("{number} still owes {owed} (due {due}, overdue).", **owed))
    else:
        say(msg("{number} still owes {owed} (due {due}).", **owed))


@statement.command("payments")
@click.argument("number", type=NUMBER, required=False)
@click.option("--hotel", type=t.CODE, help="Only this hotel's statements.")
@click.option("--consignor", type=t.CODE, help="Only this IKM's statements.")
@format_option
@pass_app
def statement_payments(app, number, hotel, consignor, fmt):
    """List the payments recorded (of statement NUMBER, a hotel or an IKM), voided ones
    too."""
    from consign import serialize
    from consign.services import settlement

    ctx = app.context()
    with app.transaction(readonly=True) as session:
        found = settlement.list_payments(session, number, hotel, consignor)
    emit([serialize.payment(p, ctx.tz) for p in found], fmt, money=MONEY,
         columns=PAYMENT_COLUMNS if fmt == "table" else None)


@statement.group("payment")
def statement_payment():
    """One payment: void it."""


@statement_payment.command("void")
@click.argument("payment_id", type=t.ID)
@click.option("--reason", required=True, type=t.TEXT, help="Why the payment is void.")
@format_option
@pass_app
def payment_void(app, payment_id, reason, fmt):
    """Void payment PAYMENT_ID, entered by mistake: it is kept, marked void, and its
    statement owes the amount again."""
    from consign.services import settlement

    ctx = app.context()
    with app.transaction() as session:
        paid = settlement.void_payment(session, ctx, payment_id, reason)
    _emit_paid(paid, ctx, fmt)


@statement.command("verify")
@click.argument("file", type=click.Path(dir_okay=False), required=False)
@click.option("--code", nargs=2, metavar="NUMBER CODE",
              help="Check a paper copy: the statement number and the verification code "
                   "printed on it (spaces, dashes and case do not matter).")
@format_option
@pass_app
def statement_verify(app, file, code, fmt):
    """Say which issued document FILE.pdf is, byte for byte (a statement, a consolidated
    statement, a placement's receipt, a return note or a payment advice), or whether the
    code printed on a paper copy is that statement's (exit 1 if not)."""
    from consign.cli import language
    from consign.services import settlement
    from consign.tabular import Upload

    if (file is None) == (code is None):
        raise usage(msg("give either FILE or --code NUMBER CODE"))
    upload = Upload.read(file) if file else None
    with app.transaction(readonly=True) as session:
        if code:
            verdict = settlement.verify_code(session, code[0], code[1])
        else:
            verdict = settlement.verify(session, upload.data, file)
    message = verdict.sentence.text(language())
    if fmt == "table":
        click.echo(message)
    else:
        emit({"file": file, "kind": verdict.kind, "number": verdict.number,
              "unaltered": verdict.unaltered, "message": message}, fmt)
    if not verdict.unaltered:
        sys.exit(1)


@statement.command("pdf")
@click.argument("number", type=NUMBER, required=False)
@click.option("--period", type=t.PERIOD, help="Every statement of this month (YYYY-MM).")
@click.option("--out", default=".", show_default=True, type=click.Path(file_okay=False),
              help="Folder for the PDF files (created if missing).")
@click.option("--lang", type=t.choice(LANGUAGES), default="id", show_default=True,
              help="Language of the statement.")
@click.option("--consolidated", is_flag=True,
              help="One file per IKM for the period: summary, each hotel's statement, "
                   "gross so far this year.")
@pass_app
def statement_pdf(app, number, period, out, lang, consolidated):
    """Write the PDF of statement NUMBER, or of every statement of --period, into --out.
    Issued statements are written exactly as archived when they were issued."""
    from consign.services import settlement

    if (number is None) == (period is None):
        raise usage(msg("give either a statement NUMBER or --period, not both"))
    if consolidated and period is None:
        raise usage(msg("--consolidated needs --period"))
    folder = Path(out)
    with writing(folder):
        folder.mkdir(parents=True, exist_ok=True)
    from consign.cli.files import recorded

    ctx = app.context()
    with recorded(app) as (session, files):  # a rendering archived here is written here
        if consolidated:
            documents = settlement.consolidated_pdfs(session, ctx, period, lang)
        else:
            documents = settlement.statement_pdfs(session, ctx, number, period, lang)
        for name, data in documents:
            files.write(folder / name, data)
    say(msg("Wrote {count} PDF file(s) to {folder}.", count=len(documents), folder=str(folder)))


COMMANDS = [settle, close, statement]
