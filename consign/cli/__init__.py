"""The ``consign`` command line: thin over the services.

Each command parses its options (through the same field parsers the services use), calls
one service in one transaction (``App.transaction``), and prints what it returned once the
transaction has committed. The error hierarchy is translated here, once: a rule's refusal
exits 1, malformed input exits 2, a failed environment exits 3, each in one line on
stderr. Heavy modules (SQLAlchemy, reportlab, Alembic, Babel) are imported inside the
commands that need them, so ``consign --help`` stays fast.
"""

import contextlib
import errno
import os
import sys

import click

from consign.cli import click_words
from consign.errors import ConsignError
from consign.i18n import msg
from consign.i18n import why as i18n_why

click_words.speak()  # before any command's options are made: a Path names its kind then


class Refused(click.ClickException):
    """An error on its way out: one sentence on stderr, and its exit code."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code


def language() -> str:
    """The language of messages: ``CONSIGN_LANG``, ``id`` (Indonesian, also when it is unset
    or blank) or ``en`` (English). Any other value is a malformed setting: one line, in the
    default language, exit 2."""
    from consign import i18n

    given = os.environ.get(i18n.SETTING) or ""
    if given.strip().lower() in ("", *i18n.LANGUAGES):
        return i18n.default_language()
    from consign.errors import MalformedSetting

    error = MalformedSetting(i18n.msg(
        "CONSIGN_LANG {value!r} is not a language consign speaks: set it to id (Indonesian) "
        "or en (English), or unset it.", value=given[:20]), field="CONSIGN_LANG")
    raise Refused(error.text(i18n.DEFAULT_LANG), error.exit_code)


def usage(message) -> click.UsageError:
    """A command used the wrong way (options that do not go together), said in the language
    of ``CONSIGN_LANG``: ``raise usage(msg("--receipt needs --hotel"))``."""
    return click.UsageError(message.text(language()))


# a standard output that cannot be written: a full disk, a closed pipe, a device error
_OUTPUT_FAILURES = {errno.ENOSPC, errno.EIO, errno.EBADF, errno.EFBIG}


def _drop_output() -> None:
    """Point standard output at nothing, so that what could not be written is not tried
    again (with a traceback) when the interpreter exits."""
    with contextlib.suppress(OSError, ValueError):
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - for the rest of the process


def _output_failure(error: OSError) -> click.ClickException | click.exceptions.Exit | None:
    """What a failure to write standard output ends the command with: quietly, exit 3, when
    its reader has gone (``consign ... | head``: nothing to tell it); else one line, exit 3
    (a full disk). None for any other OSError."""
    if error.filename is not None:
        return None
    if error.errno == errno.EPIPE:
        _drop_output()
        return click.exceptions.Exit(3)
    if error.errno in _OUTPUT_FAILURES:
        _drop_output()
        return Refused(msg("Cannot write the output: {why}.", why=i18n_why(error))
                       .text(language()), 3)
    return None


class ConsignGroup(click.Group):
    """Translates the error hierarchy, once: a refusal exits 1, malformed input exits 2,
    a failed environment exits 3."""

    def make_context(self, info_name, args, parent=None, **extra):
        if sys.stdout is None:  # started with standard output closed (``>&-``)
            raise Refused(msg("Cannot write the output: standard output is closed. Nothing "
                              "was done.").text(language()), 3)
        try:  # --help and --version write while the arguments are read
            return super().make_context(info_name, args, parent, **extra)
        except OSError as error:
            failure = _output_failure(error)
            if failure is None:
                raise
            raise failure from None

    def invoke(self, ctx):
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # here, not at exit: an output that cannot be written says so
            return result
        except ConsignError as error:
            raise Refused(error.text(language()), error.exit_code) from None
        except click.exceptions.NoArgsIsHelpError:
            raise  # a group named alone: its help, as for consign alone (exit 2)
        except click.UsageError as error:
            where = error.ctx.command_path if error.ctx else ctx.command_path
            raise Refused(msg("{problem} (see '{command} --help')",
                              problem=error.format_message(), command=where)
                          .text(language()), 2) from None
        except OSError as error:
            failure = _output_failure(error)
            if failure is not None:
                raise failure from None
            if error.filename is None:
                raise
            raise Refused(msg("Cannot use {path}: {why}. Nothing was written.",
                              path=str(error.filename), why=i18n_why(error))
                          .text(language()), 3) from None


class App:
    """What every command needs: where the database is, who acts, and the time zone."""

    def __init__(self, url: str | None, actor: str | None):
        from consign import settings

        self.url_setting = settings.database_url(url)
        self.actor_setting = settings.actor(actor)
        self.tz_name = settings.timezone_name()
        self._database = None
        self._context = None

    may_create = False  # only ``db upgrade`` and ``demo`` may make a new SQLite file

    @property
    def url(self) -> str:
        from consign.db import normalise_url

        return normalise_url(self.url_setting)

    @property
    def database(self):
        if self._database is None:
            from consign.db import Database, environment_failure, missing_sqlite_file

            url = self.url
            missing = None if self.may_create else missing_sqlite_file(url)
            if missing:
                from consign.errors import EnvironmentFailure
                raise EnvironmentFailure(msg(
                    "No consign database at {path}: create it with 'consign db upgrade', or "
                    "point --db (or CONSIGN_DATABASE_URL) at yours.", path=missing), field="db")
            database = Database(url)
            if not self.may_create:
                from consign import schema

                try:
                    schema.ensure_current(database.engine)
                except Exception as error:
                    failure = environment_failure(error, url, connecting=True)
                    if failure is None:
                        raise
                    raise failure from None
            self._database = database
        return self._database

    def close(self) -> None:
        if self._database is not None:
            self._database.dispose()
            self._database = None

    @contextlib.contextmanager
    def transaction(self, readonly: bool = False):
        """One command's unit of work, bound to the role of who acts: every use case in it,
        also a read that takes no context, is held to that role."""
        role = self.context().role
        with self.database.transaction(readonly=readonly) as session:
            from consign.services import access

            access.bind(session, role)
            yield session

    def context(self):
        """Who acts, now, in which time zone, and with what role: decided once per
        command, the role in one small read of the users table."""
        if self._context is None:
            from dataclasses import replace

            from consign.context import Context

            made = Context.make(self.actor_setting, tz=self.tz_name)
            self._context = replace(made, role=self._role(made.actor))
        return self._context

    def _role(self, actor: str):
        """The role of ``actor``: a registered user's; full for a name without a user
        record, and where there is no users table to hold anyone to yet (a database that
        ``db upgrade`` or ``demo`` is about to make); a deactivated user is refused."""
        from consign.db import missing_sqlite_file
        from consign.errors import EnvironmentFailure
        from consign.policy import FULL
        from consign.services import users

        if missing_sqlite_file(self.url):
            return FULL  # the command says so itself, unless it makes the database
        try:
            with self.database.transaction(readonly=True) as session:
                return users.identify(session, actor)
        except EnvironmentFailure:
            if self.may_create:
                return FULL
            raise

    def today(self):
        """Today's date in the business time zone."""
        return self.context().today


pass_app = click.make_pass_decorator(App)


@contextlib.contextmanager
def writing(path):
    """Where a command writes files: a folder or file that cannot be written is the
    environment's failure (exit 3), said in one line."""
    try:
        yield
    except OSError as error:
        from consign.errors import EnvironmentFailure
        raise EnvironmentFailure(msg("Cannot write to {path}: {why}. Nothing was written.",
                                     path=str(error.filename or path),
                                     why=i18n_why(error)), field="out") from None


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
    import warnings

    from consign import runtime

    runtime.collect_less()
    language()  # a malformed CONSIGN_LANG is refused before anything runs
    # a library's warning (an unknown URL option, say) would be a second line on stderr
    warnings.filterwarnings("ignore", module="sqlalchemy")
    ctx.obj = App(url, actor)
    ctx.call_on_close(ctx.obj.close)


def _register() -> None:
    import consign.cli.statement_send  # noqa: F401 - adds 'statement send'
    from consign.cli import admin, audit, doc, ledger, registry, settlement, tokens, users, web

    for module in (registry, ledger, admin, settlement, audit, users, tokens, doc, web):
        for command in module.COMMANDS:
            main.add_command(command)


_register()
