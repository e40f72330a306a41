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

    app.may_create = True
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
    "--out", default="demo", show_default=True, type=click.Path(file_okay=False),
    help="Folder for the demo database, its files and statement PDFs (made anew).",
)
@pass_app
def demo(app, out):
    """Run the whole cycle on realistic Malang sample data, in OUT/consign.db.

    Registers hotels, IKM and products; places goods; logs three months of sales (one by
    one and from a till file), a void, a loss, damage, a stock count, a return and a rate
    change; closes each month; writes the statement PDFs; and prints a summary.
    """
    from pathlib import Path

    from consign import demo as sample
    from consign import schema
    from consign.db import Database

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    for leftover in folder.glob("consign.db*"):
        leftover.unlink()
    database = Database(f"sqlite:///{folder / 'consign.db'}")
    ctx = app.context()
    try:
        schema.upgrade(database.engine)
        with database.transaction() as session:
            sample.seed_registry(session, ctx)
        run = sample.Cycle(database, ctx, folder).run()
    finally:
        database.dispose()
    _report(run, folder)


def _report(run, folder) -> None:
    from consign.cli.output import emit

    click.echo(f"Demo months: {', '.join(run.months)} closed; the current month as drafts.\n")
    from consign.cli.settlement import MONEY, SUMMARY

    emit(run.statements, "table", money=MONEY, columns=SUMMARY)
    click.echo(f"\n{len(run.pdfs)} statement PDFs in {folder / 'statements'}")
    for extra in run.extra_pdfs:
        click.echo(f"Consolidated statement: {extra}")
    click.echo("consign check: " + ("no problems" if not run.problems else
                                    f"{len(run.problems)} problems"))
    for problem in run.problems:
        click.echo(f"  {problem}")
    click.echo(f"\nDemo database: {folder / 'consign.db'}\n"
               f"Try: .venv/bin/consign --db sqlite:///{folder / 'consign.db'} statement list")


COMMANDS = [db, audit, demo]
