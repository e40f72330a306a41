"""The proofs of what changed hands, under ``consign doc``: a placement's receipt, a return
note, a payment's advice. Each is archived the first time it is made and written from the
archive ever after, so the same command gives the same file every time.

``place``, ``return`` and ``statement pay`` write the same proofs with ``--pdf FILE``
(``write_proofs``)."""

from pathlib import Path

import click

from consign.cli import pass_app
from consign.cli import types as t
from consign.cli.doc import doc
from consign.cli.files import recorded
from consign.cli.output import say
from consign.i18n import msg

LANGUAGES = ("id", "en")

LANG_OPTION = click.option("--lang", type=t.choice(LANGUAGES), default="id",
                           show_default=True, help="Language of the document.")
OUT_HELP = "The PDF file to write (default: {default} in the current folder)."


def _note_number(prefix: str):
    def parse(value, field):
        from consign.services.proofs import note_number

        return note_number(value, prefix, field)

    return t.Parsed("number", parse)


def files_for(path: str, proofs) -> list[Path]:
    """Where each proof of one command goes: FILE itself for one; for several (the goods of
    several IKM make one note each) FILE's name with each IKM's code added, e.g.
    ``retur-IKM-0001.pdf`` and ``retur-IKM-0002.pdf`` for ``--pdf retur.pdf``."""
    target = Path(path)
    if len(proofs) == 1:
        return [target]
    suffix = target.suffix or ".pdf"
    return [target.with_name(f"{target.stem}-{proof.consignor}{suffix}") for proof in proofs]


def write_proofs(files, path: str, proofs) -> list[Path]:
    """Write ``proofs`` (just recorded and archived, in the same transaction) to FILE
    (``files_for``), through the command's ``files``."""
    return [files.write(target, proof.data, "pdf")
            for proof, target in zip(proofs, files_for(path, proofs), strict=True)]


def _write(app, out: str, make) -> Path:
    """One proof, made and archived in the transaction that writes it to ``out``."""
    with recorded(app) as (session, files):
        files.check(out)
        proof = make(session, app.context())
        return files.write(out, proof.data)


@doc.command("receipt")
@click.argument("number", type=_note_number("PL"))
@click.option("--out", type=click.Path(dir_okay=False), help=OUT_HELP.format(
    default="NUMBER.pdf"))
@LANG_OPTION
@pass_app
def receipt(app, number, out, lang):
    """Write the receipt of placement NUMBER (PL-2020-00042): the goods, their hotel
    prices and value, the display term and the day they are due back, the commission in
    force, and signature blocks for the IKM and the hotel's staff. Archived the first time
    it is made; the same file ever after."""
    from consign.services import proofs

    out = out or f"{number}.pdf"
    written = _write(app, out, lambda session, ctx: proofs.receipt(session, ctx, number, lang))
    say(msg("Wrote the receipt of placement {number} to {path}.", number=number,
            path=str(written)))


@doc.command("return-note")
@click.argument("number", type=_note_number("RT"))
@click.option("--out", type=click.Path(dir_okay=False), help=OUT_HELP.format(
    default="NUMBER.pdf"))
@LANG_OPTION
@pass_app
def return_note(app, number, out, lang):
    """Write return note NUMBER (RT-2020-00001): the goods handed back to their IKM, when,
    with signature blocks for the hotel's staff and the IKM. Archived the first time it is
    made; the same file ever after."""
    from consign.services import proofs

    out = out or f"{number}.pdf"
    written = _write(app, out,
                     lambda session, ctx: proofs.return_note(session, ctx, number, lang))
    say(msg("Wrote return note {number} to {path}.", number=number, path=str(written)))


@doc.command("advice")
@click.argument("payment_id", type=t.ID)
@click.option("--out", type=click.Path(dir_okay=False), help=OUT_HELP.format(
    default="payment-PAYMENT_ID.pdf"))
@LANG_OPTION
@pass_app
def advice(app, payment_id, out, lang):
    """Write the advice of payment PAYMENT_ID (see 'consign statement payments'): what was
    paid, for which statement, when, under which reference, into which account, and what
    the statement still owes after it. Archived the first time it is made; the same file
    ever after. A voided payment has none."""
    from consign.services import proofs

    out = out or f"payment-{payment_id}.pdf"
    written = _write(app, out,
                     lambda session, ctx: proofs.advice(session, ctx, payment_id, lang))
    say(msg("Wrote the advice of payment {id} to {path}.", id=payment_id, path=str(written)))
