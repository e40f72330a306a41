"""User commands: the people who act and their roles (for the administrator alone)."""

import sys

import click

from consign import fields
from consign.cli import pass_app
from consign.cli import types as t
from consign.cli.output import emit, format_option, say, text
from consign.i18n import msg

PERSON = t.Parsed("name", fields.actor)

ROLE_HELP = "admin, auditor, hotel:CODE (e.g. hotel:ATRIA) or consignor:CODE."


def _shown(record, tz) -> dict:
    from consign.periods import iso

    return {"name": record.name, "role": record.role, "active": record.active,
            "password_set": record.has_password, "created_at": iso(record.created_at, tz)}


@click.group()
def user():
    """People and their roles: add, list, change a role, set a password, deactivate."""


@user.command("add")
@click.argument("name", type=PERSON)
@click.option("--role", "role_text", required=True, metavar="ROLE", help="The role: " + ROLE_HELP)
@format_option
@pass_app
def user_add(app, name, role_text, fmt):
    """Register person NAME (the name they give with --as) with a role. Set their password
    with 'consign user passwd NAME'."""
    from consign.services import users

    ctx = app.context()
    with app.transaction() as session:
        record = users.add(session, ctx, name, role_text)
    emit(_shown(record, ctx.tz), fmt)


@user.command("list")
@format_option
@pass_app
def user_list(app, fmt):
    """List the people registered, with their roles."""
    from consign.services import users

    ctx = app.context()
    with app.transaction(readonly=True) as session:
        found = users.users(session, ctx)
    emit([_shown(record, ctx.tz) for record in found], fmt,
         columns=["name", "role", "active", "password_set", "created_at"])


@user.command("role")
@click.argument("name", type=PERSON)
@click.argument("role_text", metavar="ROLE")
@format_option
@pass_app
def user_role(app, name, role_text, fmt):
    """Give person NAME another ROLE: admin, auditor, hotel:CODE or consignor:CODE."""
    from consign.services import users

    ctx = app.context()
    with app.transaction() as session:
        record = users.set_role(session, ctx, name, role_text)
    emit(_shown(record, ctx.tz), fmt)


@user.command("passwd")
@click.argument("name", type=PERSON)
@format_option
@pass_app
def user_passwd(app, name, fmt):
    """Set the password of person NAME (at least 10 characters; for the web app): asked
    twice on a terminal, else read from the first line of standard input. Never given as
    an argument, so that it stays out of the shell's history."""
    from consign.services import users

    ctx = app.context()
    with app.transaction(readonly=True) as session:
        users.user(session, ctx, name)  # refused before anyone is asked for a password
    password = _read_password(name)
    with app.transaction() as session:
        record = users.set_password(session, ctx, name, password)
    if fmt == "table":
        say(msg("Password of {name} set.", name=record.name))
    else:
        emit(_shown(record, ctx.tz), fmt)


def _read_password(name: str) -> str:
    if sys.stdin.isatty():
        return click.prompt(text(msg("New password for {name}", name=name)), hide_input=True,
                            confirmation_prompt=text(msg("Repeat it")), err=True)
    return sys.stdin.readline().rstrip("\r\n")


@user.command("deactivate")
@click.argument("name", type=PERSON)
@format_option
@pass_app
def user_deactivate(app, name, fmt):
    """Deactivate person NAME: refused everything from now on (their history stays)."""
    from consign.services import users

    ctx = app.context()
    with app.transaction() as session:
        record = users.deactivate(session, ctx, name)
    emit(_shown(record, ctx.tz), fmt)


COMMANDS = [user]
