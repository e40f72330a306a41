"""The database, the audit log, the checks and the demo."""

import click

from consign.cli import pass_app
from consign.cli import types as t
from consign.cli.output import emit, format_option


@click.group()
def db():
    """Create, migrate and back up the database."""


@db.command("upgrade")
@pass_app
def db_upgrade(app):
    """Create the schema, or migrate it to the latest version (Alembic)."""
    from consign import schema

    before = schema.current(app.database.engine)
    schema.upgrade(app.database.engine)
    after = schema.current(app.database.engine)
    if before == after:
        click.echo(f"Database {app.database.engine.url!r} is up to date (revision {after}).")
    else:
        click.echo(
            f"Database {app.database.engine.url!r} upgraded from "
            f"{before or 'empty'} to revision {after}."
        )


@db.command("backup")
@click.argument("file", type=click.Path(dir_okay=False))
@pass_app
def db_backup(app, file):
    """Write a consistent copy of the database to FILE, even while others are writing."""
    from consign.db import backup

    click.echo(backup(app.url, file))


@click.group()
def audit():
    """What the agency audits: who did what, and when."""


@audit.command("log")
@click.option("--since", type=t.DATE, help="Only entries from this date (YYYY-MM-DD) on.")
@format_option
@pass_app
def audit_log(app, since, fmt):
    """Every change, with who made it and when."""
    from consign import serialize
    from consign.periods import start_of
    from consign.services import audit as service

    ctx = app.context()
    with app.transaction(readonly=True) as session:
        entries = service.entries(session, start_of(since, ctx.tz) if since else None)
        rows = [serialize.audit_entry(entry, ctx.tz) for entry in entries]
    emit(rows, fmt)


@click.command()
@click.option(
    "--out",
    default="demo",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder for the demo database and its statement PDFs (made anew).",
)
@pass_app
def demo(app, out):
    """Build a demo: realistic Malang hotels, IKM and products in OUT/consign.db."""
    from pathlib import Path

    from consign import demo as sample
    from consign import schema
    from consign.db import Database

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    for leftover in folder.glob("consign.db*"):
        leftover.unlink()
    database = Database(f"sqlite:///{folder / 'consign.db'}")
    try:
        schema.upgrade(database.engine)
        with database.transaction() as session:
            sample.seed_registry(session, app.context())
        _show_registry(database)
    finally:
        database.dispose()
    click.echo(
        f"\nDemo database: {folder / 'consign.db'}  "
        f"(try: consign --db sqlite:///{folder / 'consign.db'} hotel list)"
    )


def _show_registry(database) -> None:
    from consign import serialize
    from consign.cli.output import emit
    from consign.services import registry

    with database.transaction(readonly=True) as session:
        click.echo("Hotels:")
        emit(
            [{"code": h.code, "name": h.name, "phone": h.phone} for h in registry.hotels(session)],
            "table",
        )
        click.echo("\nIKM:")
        emit(
            [
                {k: c[k] for k in ("code", "name", "owner", "sector")}
                for c in map(serialize.consignor, registry.consignors(session))
            ],
            "table",
        )
        click.echo("\nProducts:")
        emit([serialize.product(p) for p in registry.products(session)], "table", money=("price",))


COMMANDS = [db, audit, demo]
