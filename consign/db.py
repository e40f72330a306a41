"""Engine and session set-up, in one place.

The database URL comes from ``--db``, else ``CONSIGN_DATABASE_URL``, else the SQLite
file ``consign.db`` in the current folder (decided by the caller, see :func:`resolve_url`).

On SQLite: foreign keys on, WAL, a busy timeout, and write transactions that take the
write lock when they begin (``BEGIN IMMEDIATE``), so a read-then-write never interleaves
with another writer. Read-only work begins a deferred transaction instead.
"""

import contextlib
import os
from collections.abc import Iterator

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_URL = "sqlite:///consign.db"
BUSY_TIMEOUT_MS = 60_000


def resolve_url(option: str | None, environ=os.environ) -> str:
    return option or environ.get("CONSIGN_DATABASE_URL") or DEFAULT_URL


def normalise_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` mean psycopg 3, the driver we install."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str, **kwargs) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}, **kwargs
        )
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, **kwargs)


def _sqlite_connect(dbapi_connection, _record) -> None:
    # let SQLAlchemy's "begin" event emit BEGIN itself, so that it can be IMMEDIATE
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _sqlite_begin(connection) -> None:
    readonly = connection.get_execution_options().get("readonly", False)
    connection.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")


class Database:
    """An engine and its session factory; ``transaction()`` is one command's unit of work."""

    def __init__(self, url: str, **engine_kwargs):
        self.url = normalise_url(url)
        self.engine = make_engine(self.url, **engine_kwargs)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._readonly = sessionmaker(
            self.engine.execution_options(readonly=True), expire_on_commit=False
        )

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextlib.contextmanager
    def transaction(self, readonly: bool = False) -> Iterator[Session]:
        """Commit if the block ends normally, roll back everything if it raises."""
        factory = self._readonly if readonly else self._sessions
        with factory.begin() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
