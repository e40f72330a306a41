"""Alembic environment. ``consign db upgrade`` passes its own connection in
``config.attributes["connection"]``; the ``alembic`` command uses ``sqlalchemy.url``."""

from alembic import context
from consign.db import make_engine, normalise_url
from consign.models import Base

config = context.config
target_metadata = Base.metadata


def run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run(connection)
        return
    engine = make_engine(normalise_url(config.get_main_option("sqlalchemy.url")))
    with engine.connect() as connection:
        run(connection)


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run consign db upgrade")
run_online()
