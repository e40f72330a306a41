"""Create or migrate the schema with Alembic, configured in code."""

import contextlib
from pathlib import Path

from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).resolve().parent.parent / "alembic"


def _config(connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    with _references_unchecked(engine) as connection, connection.begin():
        command.upgrade(_config(connection), revision)
        _refuse_broken_references(connection)


def downgrade(engine: Engine, revision: str = "base") -> None:
    from alembic import command

    with _references_unchecked(engine) as connection, connection.begin():
        command.downgrade(_config(connection), revision)
        _refuse_broken_references(connection)


@contextlib.contextmanager
def _references_unchecked(engine: Engine):
    """A connection on which SQLite does not check foreign keys while a migration rebuilds
    a table that others point at (SQLite's documented way to change a table's definition:
    the setting cannot change inside a transaction, so it is made before one begins).
    They are checked as a whole before the migration commits (``_refuse_broken_references``)
    and the setting is restored after it. PostgreSQL alters tables in place."""
    with engine.connect() as connection:
        if connection.dialect.name != "sqlite":
            yield connection
            return
        raw = connection.connection.driver_connection
        raw.execute("PRAGMA foreign_keys = OFF")
        try:
            yield connection
        finally:
            raw.execute("PRAGMA foreign_keys = ON")


def _refuse_broken_references(connection) -> None:
    if connection.dialect.name != "sqlite":
        return
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").first()
    if broken is not None:
        from consign.errors import UpgradeStop
        from consign.i18n import msg

        raise UpgradeStop(msg("The migration would leave a row of {table} pointing at a "
                              "missing row of {parent}; nothing was changed.",
                              table=broken[0], parent=broken[2]))


def current(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def differences(engine: Engine) -> list:
    """What ``alembic check`` would report: the models against the migrated database."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from consign.models import Base

    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


HEAD = "0015"  # the latest revision; a test holds it to Alembic's own head


def ensure_current(engine: Engine) -> None:
    """Refuse, in one line, a database that is not consign's at this release's schema: one
    without consign's tables, one made by an older release (run ``db upgrade``), one made
    by a newer release. One cheap query; Alembic is loaded only when something is wrong."""
    from sqlalchemy import inspect, text

    from consign.db import describe
    from consign.errors import EnvironmentFailure
    from consign.i18n import msg

    with engine.connect() as connection:
        try:
            revision = connection.scalar(text("SELECT version_num FROM alembic_version"))
        except Exception:
            connection.rollback()
            if inspect(connection).has_table("alembic_version"):
                raise
            revision = None
    if revision == HEAD:
        return
    where = describe(str(engine.url))
    if revision is None:
        raise EnvironmentFailure(msg(
            "{where} is not a consign database: create one with 'consign db upgrade', or "
            "point --db (or CONSIGN_DATABASE_URL) at yours.", where=where), field="db")
    if revision in _revisions():
        raise EnvironmentFailure(msg(
            "{where} is at schema revision {revision}, older than this release's {head}: run "
            "'consign db upgrade' first.", where=where, revision=revision, head=HEAD),
            field="db")
    raise EnvironmentFailure(msg(
        "{where} is at schema revision {revision}, which this release does not know: it was "
        "made by a newer consign.", where=where, revision=revision), field="db")


def _revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {script.revision for script in ScriptDirectory(str(MIGRATIONS)).walk_revisions()}


def refuse_foreign(engine: Engine) -> None:
    """Refuse to put consign's tables into a database that holds tables of its own but is
    not consign's (no Alembic revision): it is someone else's database."""
    from sqlalchemy import inspect

    from consign.db import describe
    from consign.errors import EnvironmentFailure
    from consign.i18n import msg

    with engine.connect() as connection:
        names = set(inspect(connection).get_table_names())
    if names and "alembic_version" not in names:
        raise EnvironmentFailure(msg(
            "{where} is not a consign database: it holds other tables ({tables}); create "
            "consign's in a database of its own.", where=describe(str(engine.url)),
            tables=", ".join(sorted(names)[:5])), field="db")
