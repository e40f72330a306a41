"""The database and the demo."""

import click

from consign.cli import pass_app, writing
from consign.cli.output import emit, say, text
from consign.i18n import msg


@click.group()
def db():
    """Create, migrate and back up the database."""


@db.command("upgrade")
@pass_app
def db_upgrade(app):
    """Create the schema, or migrate it to the latest version (Alembic)."""
    from consign import schema
    from consign.db import environment_failure
    from consign.services import access

    app.may_create = True
    access.administer(app.context())
    engine = app.database.engine
    try:
        schema.refuse_foreign(engine)
        before = schema.current(engine)
        schema.upgrade(engine)
        after = schema.current(engine)
    except Exception as error:
        failure = environment_failure(error, app.url)
        if failure is None:
            raise
        raise failure from None
    where = app.database.where
    if before == after:
        say(msg("Database {where} is up to date (revision {after}).", where=where,
                after=after))
    elif before is None:
        say(msg("Database {where} upgraded from empty to revision {after}.", where=where,
                after=after))
    else:
        say(msg("Database {where} upgraded from {before} to revision {after}.", where=where,
                before=before, after=after))


@db.command("backup")
@click.argument("file", type=click.Path(dir_okay=False))
@pass_app
def db_backup(app, file):
    """Write a consistent copy of the database to FILE, even while others are writing.
    An existing FILE is never overwritten."""
    from consign.db import backup
    from consign.services import access

    access.administer(app.context())
    app.database.dispose()  # opened first: it must be consign's, at this release's schema
    click.echo(backup(app.url, file))  # a sentence in the language of CONSIGN_LANG


DEMO_ID = 0x434E4445  # SQLite's application_id of a database the demo made ("CNDE")


@click.command()
@click.option(
    "--out", default="demo", show_default=True, type=click.Path(file_okay=False),
    help="Folder for the demo database, its files and statement PDFs. A database there "
         "that the demo did not make is never overwritten.",
)
@pass_app
def demo(app, out):
    """Run the whole cycle on realistic Malang sample data, in OUT/consign.db.

    Registers hotels, IKM and products; places goods; logs three months of sales (one by
    one and from a till file), voids (of a sale, of a receipt logged again at its right
    price, of a till file's line that a second import does not bring back), a loss,
    damage, a stock count, a return and a rate change; closes each month a few days after
    it ends; pays one statement in full and one in part (the rest of that month is
    overdue); changes an IKM's phone after its statements were issued; settles the current
    month as drafts; puts two IKM in the public catalogue; writes the statement PDFs and
    one of each paper document (a placement's receipt, a return note, a payment advice,
    price labels, a count sheet and its count file); adds a web user of each kind; and
    prints a summary, with how to open the web app on the demo's data.
    """
    from pathlib import Path

    from consign import demo as sample
    from consign import schema
    from consign.db import Database, environment_failure
    from consign.services import access

    app.may_create = True  # the database named by --db is not used: it may not exist
    access.administer(app.context())
    folder = Path(out)
    with writing(folder):
        _clear(folder)
    url = f"sqlite:///{folder / 'consign.db'}"
    database = Database(url)
    ctx = app.context()
    try:
        try:  # the folder may be there and yet refuse a database file
            with database.engine.begin() as connection:
                connection.exec_driver_sql(f"PRAGMA application_id = {DEMO_ID}")
        except Exception as error:
            failure = environment_failure(error, url, connecting=True)
            if failure is None:
                raise
            raise failure from None
        schema.upgrade(database.engine)
        with writing(folder):
            run = sample.Cycle(database, ctx, folder).run()
    finally:
        database.dispose()
    _report(run, folder)


def _clear(folder) -> None:
    """Make ``folder`` ready for a new demo: remove the database a previous demo made
    there (it says so in its own header, SQLite's application id); refuse any other."""
    import sqlite3

    from consign.errors import ConsignError

    folder.mkdir(parents=True, exist_ok=True)
    database = folder / "consign.db"
    if database.exists():
        try:
            with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
                made_by = connection.execute("PRAGMA application_id").fetchone()[0]
        except sqlite3.Error:
            made_by = None
        if made_by != DEMO_ID:
            raise ConsignError(msg(
                "{path} is a database that the demo did not make; it is never overwritten. "
                "Give --out a new folder.", path=str(database)), field="out")
    for leftover in folder.glob("consign.db*"):
        leftover.unlink()


def _report(run, folder) -> None:
    from consign.cli.settlement import MONEY, SUMMARY

    say(msg("Demo months: {months} closed; the current month as drafts.",
            months=", ".join(run.months)))
    click.echo()
    emit(run.statements, "table", money=MONEY, columns=SUMMARY)
    click.echo()
    say(msg("{count} statement PDFs in {folder}", count=len(run.pdfs),
            folder=str(folder / "statements")))
    for extra in run.extra_pdfs:
        say(msg("Consolidated statement: {path}", path=str(extra)))
    if run.documents:
        say(msg("Paper documents in {folder}: {names}", folder=str(folder / "documents"),
                names=", ".join(path.name for path in run.documents)))
    if run.problems:
        say(msg("consign check: {count} problems", count=len(run.problems)))
    else:
        say(msg("consign check: no problems"))
    for problem in run.problems:
        click.echo(f"  {problem}")
    url = f"sqlite:///{folder / 'consign.db'}"
    click.echo()
    say(msg("Demo database: {path}", path=str(folder / "consign.db")))
    say(msg("Try: {command}", command=f".venv/bin/consign --db {url} statement list"))
    if run.web_users:
        from consign.demo import WEB_PASSWORD
        from consign.policy import parse_role, said

        who = ", ".join(f"{name} ({text(said(parse_role(role)))})"
                        for name, role in run.web_users)
        click.echo()
        say(msg("The web app on the demo data: {command}", command=(
            f".venv/bin/consign --db {url} serve")))
        say(msg("then open {address} and log in as {who}, password {password}.",
                address="http://127.0.0.1:8000", who=who, password=WEB_PASSWORD))
        say(msg("Without a login: the catalogue at {catalogue} and the check of a "
                "statement at {verify}.", catalogue="http://127.0.0.1:8000/katalog",
                verify="http://127.0.0.1:8000/verify"))


COMMANDS = [db, demo]
