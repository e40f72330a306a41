"""Paper documents other than statements (SPEC section 5): ``consign doc …``.

The commands live beside the work they print for: proofs of what changed hands
(``consign.cli.doc_proofs``) and the shelf's paper (``consign.cli.doc_shelf``); each
module adds its commands to this group."""

import click


@click.group()
def doc():
    """Paper documents: receipts, return notes, payment advices, price labels, count
    sheets."""


COMMANDS = [doc]
from consign.cli import doc_proofs  # noqa: E402,F401,I001
from consign.cli import doc_shelf  # noqa: E402,F401
