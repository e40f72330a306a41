"""Engine and session set-up, in one place.

The database URL is decided at the edge (see :mod:`consign.settings`).

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

BUSY_TIMEOUT_MS = 60_000


def normalise_url(url: str) -> str:
    """A plain path means a SQLite file; ``postgresql://`` and ``postgres://`` mean
    psycopg 3, the driver we install."""
    if "://" not in url:
        return f"sqlite:///{url}"
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str, **kwargs) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}, **kwargs)
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


def upsert(session: Session, table):
    """``INSERT`` of this session's database, which knows ``ON CONFLICT DO NOTHING``."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


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


def backup(url: str, target: str) -> str:
    """A consistent copy of the database in ``target``, while others may be writing.

    SQLite: the online backup API, page by page under SQLite's own locking.
    PostgreSQL: ``pg_dump`` in its custom format, when it is installed.
    Returns a sentence saying what was written.
    """
    from sqlalchemy.engine import make_url

    from consign.errors import ConsignError

    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_backup(parsed.database, target)
    if parsed.get_backend_name() == "postgresql":
        return _pg_dump(parsed, target)
    raise ConsignError(f"Backup of {parsed.get_backend_name()} databases is not supported.")


def _sqlite_backup(source: str | None, target: str) -> str:
    import sqlite3

    from consign.errors import ConsignError

    if not source or source == ":memory:" or not os.path.exists(source):
        raise ConsignError(f"No SQLite database file at {source!r} to back up.")
    if os.path.exists(target):
        raise ConsignError(f"{target} already exists; choose a new file for the backup.")
    with (
        contextlib.closing(sqlite3.connect(source, timeout=BUSY_TIMEOUT_MS / 1000)) as src,
        contextlib.closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)
    return f"Backed up {source} to {target}."


def _pg_dump(parsed, target: str) -> str:
    import shutil
    import subprocess

    from consign.errors import ConsignError

    if shutil.which("pg_dump") is None:
        raise ConsignError(
            "This is a PostgreSQL database: back it up with pg_dump "
            "(pg_dump --format=custom --file FILE DBNAME); pg_dump is not installed here."
        )
    plain = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    result = subprocess.run(
        ["pg_dump", "--format=custom", "--file", target, "--dbname", plain],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise ConsignError(f"pg_dump failed: {result.stderr.strip().splitlines()[-1]}")
    return f"Backed up PostgreSQL database {parsed.database} to {target} (pg_dump custom format)."


def missing_sqlite_file(url: str) -> str | None:
    """The path of the SQLite file a URL names, if that file does not exist yet."""
    from sqlalchemy.engine import make_url

    parsed = make_url(normalise_url(url))
    path = parsed.database
    if parsed.get_backend_name() != "sqlite" or not path or path == ":memory:":
        return None
    return None if os.path.exists(path) else path


def is_missing_schema(error: Exception) -> bool:
    """Whether a database error means the consign tables are not there (no ``db upgrade``)."""
    text = str(getattr(error, "orig", error))
    return "no such table" in text or ("relation" in text and "does not exist" in text)
