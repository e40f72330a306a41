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
              help="How many requests each worker answers at once (on SQLite with several "
                   "workers, 2 keep the writers' queue short).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="How many processes answer, each with its own threads, on the one port: "
                   "as many as the machine has cores, so that all of them work.")
@click.option("--check", is_flag=True,
              help="Only check that the web app starts on this database (its schema, its "
                   "session key) and that the port can be taken, say where it would "
                   "listen, and exit.")
@pass_app
def serve(app, host, port, threads, workers, check):
    """Serve the web app (hotel staff, IKM owners, the agency) on the database of --db, at
    http://HOST:PORT/; for the administrator. Session cookies are signed with
    $CONSIGN_SECRET_KEY, else with a key made once and kept in the database, so that every
    'consign serve' on one database accepts the others' sessions. With --workers N, N
    processes answer on the port, on any database (on SQLite their writers take turns)."""
    from consign.services import access
    from consign.web import create_app, serving

    access.administer(app.context())
    app.close()  # the server's connections are the app's own
    address = f"http://{host}:{port}/"
    if check:
        serving.listen(host, port).close()  # the port can be taken, and is let go
        web = create_app(app.url)
        web.extensions["consign.database"].dispose()
        say(msg("Ready to serve the web app on {address} ({where}).", address=address,
                where=web.extensions["consign.database"].where))
        return
    listener = serving.listen(host, port)
    try:
        web = create_app(app.url)
    except BaseException:
        listener.close()
        raise
    where = web.extensions["consign.database"].where
    if workers > 1:
        # each worker makes its own app: no connection to the database may be open here
        # when they are forked (SQLite's locks on the file are a process's, and a worker
        # whose parent ended would hold none)
        web.extensions["consign.database"].dispose()
        say(msg("consign web app on {address} ({where}), {workers} workers",
                address=address, where=where, workers=workers))
    else:
        say(msg("consign web app on {address} ({where})", address=address, where=where))
    serving.serve(lambda: web if workers == 1 else create_app(app.url), listener, threads,
                  workers)


COMMANDS = [serve]
