"""``consign serve``: the web app, served by waitress on the configured database."""

import click

from consign.cli import pass_app
from consign.cli.output import say
from consign.i18n import msg


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, metavar="ADDRESS",
              help="The address to listen on (0.0.0.0 for every interface).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="The port to listen on.")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64),
              help="How many requests are answered at once.")
@click.option("--check", is_flag=True,
              help="Only check that the web app starts on this database (its schema, its "
                   "session key), say where it would listen, and exit.")
@pass_app
def serve(app, host, port, threads, check):
    """Serve the web app (hotel staff, IKM owners, the agency) on the database of --db, at
    http://HOST:PORT/; for the administrator. Session cookies are signed with
    $CONSIGN_SECRET_KEY, else with a key made once and kept in the database, so that every
    'consign serve' on one database accepts the others' sessions."""
    from consign.services import access
    from consign.web import create_app

    access.administer(app.context())
    web = create_app(app.url)
    where = web.extensions["consign.database"].where
    if check:
        say(msg("Ready to serve the web app on {address} ({where}).",
                address=f"http://{host}:{port}/", where=where))
        web.extensions["consign.database"].dispose()
        return
    import waitress

    say(msg("consign web app on {address} ({where})", address=f"http://{host}:{port}/",
            where=where))
    waitress.serve(web, host=host, port=port, threads=threads, ident="consign")


COMMANDS = [serve]
