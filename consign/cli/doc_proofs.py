"""The proofs of what changed hands, under ``consign doc``: a placement's receipt, a return
note, a payment's advice. Each is archived the first time it is made and written from the
archive ever after, so the same command gives the same file every time.

``place``, ``return`` and ``statement pay`` write the same proofs with ``--pdf FILE``
(``write_proofs``)."""

import os
from pathlib import Path

import click

from consign.cli import pass_app, writing
from consign.cli import types as t
from consign.cli.doc import doc

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


def check_writable(path: str) -> None:
    """Refuse, before anything is recorded, a file in a folder that is missing or cannot
    be written (exit 3, nothing written)."""
    from consign.errors import EnvironmentFailure
    from consign.i18n import msg

    folder = Path(path).parent
    why = None
    if not folder.is_dir():
        why = "no such folder"
    elif not os.access(folder, os.W_OK):
        why = "the folder cannot be written"
    elif Path(path).is_dir():
        why = "it is a folder"
    if why:
        raise EnvironmentFailure(msg("Cannot write to {path}: {why}. Nothing was written.",
                                     path=path, why=why), field="pdf")


def write_proofs(path: str, proofs, again: str) -> list[Path]:
    """Write ``proofs`` (just recorded and archived) to FILE (``files_for``); a file that
    cannot be written is the environment's failure, said with how to make it again
    (``again``: a command with ``{reference}`` in it)."""
    from consign.errors import EnvironmentFailure
    from consign.i18n import msg

    written = []
    for proof, target in zip(proofs, files_for(path, proofs), strict=True):
        try:
            target.write_bytes(proof.data)
        except OSError as error:
            raise EnvironmentFailure(msg(
                "{reference} is recorded, but {path} cannot be written: {why}. Write it with "
                "'{again}'.", reference=proof.reference, path=str(target),
                why=error.strerror or str(error),
                again=again.format(reference=proof.reference)), field="pdf") from None
        written.append(target)
    return written


def _write(app, out: str, make) -> Path:
    """One proof, made and archived in one transaction, then written to ``out``."""
    check_writable(out)
    with app.transaction() as session:
        proof = make(session, app.context())
    with writing(out):
        Path(out).write_bytes(proof.data)
    return Path(out)


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
    click.echo(f"Wrote the receipt of placement {number} to {written}.")


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
    click.echo(f"Wrote return note {number} to {written}.")


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
    click.echo(f"Wrote the advice of payment {payment_id} to {written}.")
