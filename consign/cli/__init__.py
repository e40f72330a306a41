"""The ``consign`` command line: thin over the services.

Each command is one transaction (``App.transaction``); the error hierarchy is
translated here, once: a rule's refusal exits 1, malformed input exits 2.
Heavy modules (SQLAlchemy, reportlab, Alembic, Babel) are imported inside the
commands that need them, so ``consign --help`` stays fast.
"""

import click

from consign.errors import ConsignError


class Refused(click.ClickException):
    """An error on its way out: one sentence on stderr, and its exit code."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code


class ConsignGroup(click.Group):
    """Translates the error hierarchy, once: a refusal exits 1, malformed input exits 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ConsignError as error:
            raise Refused(error.message, error.exit_code) from None
        except click.UsageError as error:
            where = error.ctx.command_path if error.ctx else ctx.command_path
            raise Refused(f"{error.format_message()} (see '{where} --help')", 2) from None
        except Exception as error:
            if type(error).__module__.startswith("sqlalchemy"):
                from consign.db import is_missing_schema

                if is_missing_schema(error):
                    raise Refused(NO_SCHEMA, 1) from None
            raise


NO_SCHEMA = (
    "This database has no consign tables yet (or older ones): run 'consign db upgrade' first."
)


class App:
    """What every command needs: where the database is, who acts, and the time zone."""

    def __init__(self, url: str | None, actor: str | None):
        from consign import settings

        self.url = settings.database_url(url)
        self.actor = settings.actor(actor)
        self.tz_name = settings.timezone_name()
        self._database = None

    may_create = False  # only ``db upgrade`` and ``demo`` may make a new SQLite file

    @property
    def database(self):
        if self._database is None:
            from consign.db import Database, missing_sqlite_file

            missing = None if self.may_create else missing_sqlite_file(self.url)
            if missing:
                raise ConsignError(
                    f"No consign database at {missing}: create it with 'consign db upgrade', "
                    "or point --db (or CONSIGN_DATABASE_URL) at yours."
                )
            self._database = Database(self.url)
        return self._database

    def close(self) -> None:
        if self._database is not None:
            self._database.dispose()
            self._database = None

    def transaction(self, readonly: bool = False):
        return self.database.transaction(readonly=readonly)

    def context(self):
        from consign.context import Context

        return Context.make(self.actor, tz=self.tz_name)

    def today(self):
        """Today's date in the business time zone."""
        ctx = self.context()
        return ctx.now.astimezone(ctx.tz).date()


pass_app = click.make_pass_decorator(App)


@click.group(cls=ConsignGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "url",
    metavar="URL",
    help="Database URL. Default: $CONSIGN_DATABASE_URL, else sqlite:///consign.db here.",
)
@click.option(
    "--as",
    "actor",
    metavar="NAME",
    help="Who is acting, recorded on every change. Default: $CONSIGN_USER, else your login.",
)
@click.version_option(package_name="consign")
@click.pass_context
def main(ctx: click.Context, url: str | None, actor: str | None) -> None:
    """consign: consignment stock and settlement for IKM goods in PHRI partner hotels.

    Hotels receive goods placed by IKM, log what sells, and each month every IKM gets a
    settlement statement of what it is owed after the hotel's commission.
    """
    ctx.obj = App(url, actor)
    ctx.call_on_close(ctx.obj.close)


def _register() -> None:
    from consign.cli import admin, ledger, registry, settlement

    for module in (registry, ledger, admin, settlement):
        for command in module.COMMANDS:
            main.add_command(command)


_register()
