"""Token commands: the hotels' keys to the point-of-sale API (for the administrator alone)."""

import click

from consign.cli import pass_app
from consign.cli import types as t
from consign.cli.output import emit, format_option, say
from consign.i18n import msg

COLUMNS = ["id", "hotel", "label", "created_at", "created_by", "last_used_at", "revoked",
           "revoked_at"]


def _shown(record, tz) -> dict:
    from consign.periods import iso

    def moment(value):
        return None if value is None else iso(value, tz)

    return {"id": record.id, "hotel": record.hotel, "label": record.label,
            "created_at": moment(record.created_at), "created_by": record.created_by,
            "last_used_at": moment(record.last_used_at), "revoked": record.revoked,
            "revoked_at": moment(record.revoked_at)}


@click.group()
def token():
    """Point-of-sale API tokens of the hotels: create, list, revoke."""


@token.command("create")
@click.option("--hotel", "hotel_code", type=t.CODE, required=True, metavar="CODE",
              help="The hotel whose till the token is for.")
@click.option("--label", default="", metavar="TEXT",
              help="Which till or system it is for (shown by 'token list').")
@format_option
@pass_app
def token_create(app, hotel_code, label, fmt):
    """Make a new API token for hotel CODE. The token is printed once, alone on the last
    line (so that a script can take it); consign keeps only its SHA-256 and cannot show
    it again."""
    from consign.services import tokens

    ctx = app.context()
    with app.transaction() as session:
        record, plain = tokens.create(session, ctx, hotel_code, label)
    if fmt != "table":
        emit({**_shown(record, ctx.tz), "token": plain}, fmt, columns=[*COLUMNS, "token"])
        return
    say(msg("API token {id} for {hotel} made.", id=record.id, hotel=record.hotel))
    say(msg("The token is shown only this once, on the next line: put it in the till's "
            "settings now. consign keeps only its SHA-256 and cannot show it again."))
    click.echo(plain)


@token.command("list")
@click.option("--hotel", "hotel_code", type=t.CODE, metavar="CODE",
              help="Only the tokens of this hotel.")
@format_option
@pass_app
def token_list(app, hotel_code, fmt):
    """List the API tokens: their hotel, label, when and by whom each was made, when it
    was last used (to the minute) and whether it is revoked."""
    from consign.services import tokens

    ctx = app.context()
    with app.transaction(readonly=True) as session:
        found = tokens.list(session, ctx, hotel_code)
    emit([_shown(record, ctx.tz) for record in found], fmt, columns=COLUMNS)


@token.command("revoke")
@click.argument("token_id", metavar="ID", type=t.ID)
@format_option
@pass_app
def token_revoke(app, token_id, fmt):
    """Revoke API token ID: every request with it is refused from now on."""
    from consign.services import tokens

    ctx = app.context()
    with app.transaction() as session:
        record = tokens.revoke(session, ctx, token_id)
    if fmt == "table":
        say(msg("API token {id} of {hotel} revoked.", id=record.id, hotel=record.hotel))
    else:
        emit(_shown(record, ctx.tz), fmt, columns=COLUMNS)


COMMANDS = [token]
