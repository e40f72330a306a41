"""Engine and session set-up, in one place.

The database URL is decided at the edge (see :mod:`consign.settings`).

On SQLite: foreign keys on, WAL, a busy timeout, and write transactions that take the
write lock when they begin (``BEGIN IMMEDIATE``), so a read-then-write never interleaves
with another writer. Read-only work begins a deferred transaction instead. The writers of
one process queue for that lock among themselves (:class:`Database`), and a connection
just given back is the next one taken, its page cache still current.
"""

import contextlib
import os
import threading
from collections.abc import Iterator

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

BUSY_TIMEOUT_MS = 60_000


SCHEMES = ("sqlite", "postgresql", "postgresql+psycopg", "postgres")


def normalise_url(url: str) -> str:
    """A plain path means a SQLite file; ``postgresql://`` and ``postgres://`` mean
    psycopg 3, the driver we install. Any other scheme is a malformed setting."""
    if "://" not in url:
        return f"sqlite:///{url}"
    scheme = url.split("://", 1)[0].lower()
    if scheme not in SCHEMES:
        from consign.errors import MalformedSetting
        from consign.i18n import msg

        raise MalformedSetting(msg(
            "database URL scheme {scheme!r} is not one consign knows: use sqlite:///FILE or "
            "postgresql://USER@HOST/DBNAME", scheme=scheme), field="db")
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url[len(prefix) :]
    _well_formed(url)
    return url


def _well_formed(url: str) -> None:
    """Refuse, as a malformed setting, a URL that cannot be read (a port that is no
    number, a bracket left open) or a SQLite URL that names no file."""
    from sqlalchemy.engine import make_url

    from consign.errors import MalformedSetting
    from consign.i18n import msg

    try:
        parsed = make_url(url)
        parsed.port  # noqa: B018 - reading the port checks it is a number
    except Exception:
        raise MalformedSetting(msg("database URL {url!r} is not a URL consign can read",
                                   url=_hidden(url)), field="db") from None
    if parsed.get_backend_name() == "sqlite" and not parsed.database:
        raise MalformedSetting(msg("database URL {url!r} names no SQLite file (write "
                                   "sqlite:///FILE)", url=url), field="db")


def _hidden(url: str) -> str:
    """A URL as it may be shown: its password, if any, hidden."""
    head, at, rest = url.rpartition("@")
    if not at or ":" not in head.split("://", 1)[-1]:
        return url
    scheme, _, credentials = head.partition("://")
    return f"{scheme}://{credentials.split(':', 1)[0]}:***@{rest}"


def make_engine(url: str, **kwargs) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        # the most recently used connection first: after another connection's write,
        # SQLite drops a connection's whole page cache and reads the pages again
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000},
                               pool_use_lifo=True, **kwargs)
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


def bulk_read(session: Session, statement, parameters=None):
    """The result of a select on the session's connection, without the ORM's handling of
    each row (a bulk read of many thousands of plain rows costs a third less); what the
    session holds unflushed is flushed first, as ``session.execute`` would."""
    session.flush()
    return session.connection().execute(statement, parameters)


def upsert(session: Session, table):
    """``INSERT`` of this session's database, which knows ``ON CONFLICT DO NOTHING``."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


class Database:
    """An engine and its session factory; ``transaction()`` is one command's unit of work."""

    def __init__(self, url: str, *, across_processes: bool = False, **engine_kwargs):
        self.url = normalise_url(url)
        self.engine = make_engine(self.url, **engine_kwargs)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._readonly = sessionmaker(
            self.engine.execution_options(readonly=True), expire_on_commit=False
        )
        # On SQLite, this process's writing transactions (a server's threads) take the
        # write lock in turn, queued here: a writer that found it taken would wait in
        # SQLite's busy handler, which sleeps up to 100 ms at a time, so that twenty at
        # once would wait far longer than their work takes. With ``across_processes``
        # (the web server's), the processes on one file queue too, each writer in turn
        # holding an exclusive flock(2) on a file beside the database (``FILE-writers``),
        # which the kernel hands to the next waiter the moment it is let go. Programs
        # that do not queue (another command, the sqlite3 shell) still wait in SQLite's
        # handler; the lock is SQLite's, this is only a queue.
        self._writers = threading.RLock() if self.is_sqlite else None
        self._held = 0  # how many turns the thread holding the queue has taken
        self._local = threading.local()  # this thread's write transactions, innermost last
        self._queue_file = None
        if self.is_sqlite:
            # a turn is taken as the connection begins, just before its BEGIN IMMEDIATE, not
            # before: the work a transaction does before its first statement is no one
            # else's wait
            event.remove(self.engine, "begin", _sqlite_begin)
            event.listen(self.engine, "begin", self._begin)
            event.listen(self._sessions, "after_commit", self._committed)
            if across_processes:
                self._queue_file = _queue_file(self.url)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextlib.contextmanager
    def transaction(self, readonly: bool = False) -> Iterator[Session]:
        """Commit if the block ends normally, roll back everything if it raises. A database
        that cannot be reached, written or read as consign's is one ``EnvironmentFailure``
        (nothing was written)."""
        factory = self._readonly if readonly else self._sessions
        try:
            with self._turns(readonly), factory.begin() as session:
                yield session
        except Exception as error:
            failure = environment_failure(error, self.url) or unreadable(error, self.url)
            if failure is None:
                raise
            raise failure from None

    @contextlib.contextmanager
    def _turns(self, readonly: bool):
        """While a write transaction lasts on SQLite, the turns its connection takes in the
        writers' queue when it begins (:meth:`_begin`), given back as soon as it has
        committed (:meth:`_committed`), else when it ends (rolled back). Nothing to queue
        for when reading, or on PostgreSQL."""
        if readonly or self._writers is None:
            yield
            return
        frames = self._local.__dict__.setdefault("frames", [])
        frames.append([0])
        try:
            yield
        finally:
            for _ in range(frames.pop()[0]):
                self._let_go()

    def _begin(self, connection) -> None:
        """A writing connection of a transaction() begins: its thread's turn in the queue
        for SQLite's write lock, this process's queue then, for a server, that of the
        processes on the file. A thread may take its turn again while it holds it; a
        connection used outside a transaction() does not queue."""
        frames = getattr(self._local, "frames", None)
        if frames and not connection.get_execution_options().get("readonly", False):
            self._take(frames[-1])
        _sqlite_begin(connection)

    def _committed(self, session) -> None:
        """A writing session of a transaction() has committed, and SQLite's write lock is
        free: the next writer's turn, while this one's session is still being closed. (A
        savepoint released is no commit of the transaction: the lock is still held.)"""
        frames = getattr(self._local, "frames", None)
        if frames and not session.in_nested_transaction():
            for _ in range(frames[-1][0]):
                self._let_go()
            frames[-1][0] = 0

    def _take(self, frame: list) -> None:
        if not self._writers.acquire(timeout=BUSY_TIMEOUT_MS / 1000):
            raise _locked()
        self._held += 1
        frame[0] += 1
        if self._held == 1 and self._queue_file is not None:
            try:
                self._queue_file.take()
            except BaseException:
                frame[0] -= 1
                self._let_go()
                raise

    def _let_go(self) -> None:
        self._held -= 1
        if self._held == 0 and self._queue_file is not None:
            self._queue_file.let_go()
        self._writers.release()

    @property
    def where(self):
        return describe(self.url)

    def dispose(self) -> None:
        self.engine.dispose()
        if self._queue_file is not None:
            self._queue_file.close()


def _locked():
    import sqlite3

    from sqlalchemy import exc

    return exc.OperationalError("BEGIN IMMEDIATE", None,
                                sqlite3.OperationalError("database is locked"))


class _QueueFile:
    """The file the writing processes of one SQLite database queue on, an exclusive
    flock(2) each in turn, waited for in the kernel (no polling, no sleep). A turn is as
    long as a write transaction, which SQLite's busy timeout bounds; a process that ends
    lets go of its lock with it."""

    def __init__(self, path: str):
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)

    def take(self) -> None:
        import fcntl

        fcntl.flock(self.fd, fcntl.LOCK_EX)

    def let_go(self) -> None:
        import fcntl

        fcntl.flock(self.fd, fcntl.LOCK_UN)

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def backup(url: str, target: str) -> str:
    """A consistent copy of the database in ``target``, while others may be writing; an
    existing file is never overwritten, on either database.

    SQLite: the online backup API, page by page under SQLite's own locking.
    PostgreSQL: ``pg_dump`` in its custom format, when it is installed.
    Returns a sentence saying what was written, in the language of ``CONSIGN_LANG``.
    """
    from sqlalchemy.engine import make_url

    parsed = make_url(normalise_url(url))
    _claim(target)
    try:
        if parsed.get_backend_name() == "sqlite":
            return _sqlite_backup(sqlite_file(parsed), target)
        return _pg_dump(parsed, target)
    except BaseException:
        os.remove(target)
        raise


def _claim(target: str) -> None:
    """Create ``target`` empty, or refuse: it exists (a rule), its folder is missing or not
    writable (the environment)."""
    from consign.errors import ConsignError, EnvironmentFailure
    from consign.i18n import msg, why

    try:
        with open(target, "xb"):
            pass
    except FileExistsError:
        raise ConsignError(msg("{target} already exists; a backup never overwrites a file: "
                               "choose a new one.", target=target), field="file") from None
    except OSError as error:
        raise EnvironmentFailure(msg("Cannot write the backup to {target}: {why}.",
                                     target=target, why=why(error)),
                                 field="file") from None


def _sqlite_backup(source: str | None, target: str) -> str:
    import sqlite3

    from consign.errors import EnvironmentFailure
    from consign.i18n import msg

    if not source or source == ":memory:" or not os.path.exists(source):
        raise EnvironmentFailure(msg("No SQLite database file at {source} to back up.",
                                     source=str(source)), field="db")
    try:
        with (
            contextlib.closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True,
                                               timeout=BUSY_TIMEOUT_MS / 1000)) as src,
            contextlib.closing(sqlite3.connect(target)) as dst,
        ):
            src.backup(dst)
    except sqlite3.Error as error:
        raise EnvironmentFailure(msg("Cannot back up {source} to {target}: {why}.",
                                     source=source, target=target, why=str(error)),
                                 field="db") from None
    return msg("Backed up {source} to {target}.", source=source, target=target).text()


def _pg_dump(parsed, target: str) -> str:
    import shutil
    import subprocess

    from consign.errors import EnvironmentFailure
    from consign.i18n import msg

    if shutil.which("pg_dump") is None:
        raise EnvironmentFailure(msg(
            "This is a PostgreSQL database: back it up with pg_dump (pg_dump --format=custom "
            "--file FILE DBNAME); pg_dump is not installed here."), field="db")
    plain = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    result = subprocess.run(
        ["pg_dump", "--format=custom", "--file", target, "--dbname", plain],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        why = (result.stderr.strip().splitlines() or [msg("it failed")])[-1]
        raise EnvironmentFailure(msg("pg_dump failed: {why}", why=why), field="db")
    return msg("Backed up PostgreSQL database {database} to {target} (pg_dump custom "
               "format).", database=parsed.database, target=target).text()


def sqlite_file(parsed) -> str | None:
    """The path of the file a SQLite URL names (also in its ``file:…?uri=true`` form), or
    None for another database or an in-memory one."""
    path = parsed.database
    if parsed.get_backend_name() != "sqlite" or not path or path == ":memory:":
        return None
    if parsed.query.get("uri") and path.startswith("file:"):
        path = path[len("file:"):]
    return path


def _queue_file(url: str) -> "_QueueFile | None":
    """The queue of the writing processes of the SQLite file ``url`` names (None for an
    in-memory database, or where flock(2) is not to be had)."""
    from sqlalchemy.engine import make_url

    path = sqlite_file(make_url(url))
    if path is None or os.name != "posix":
        return None
    try:
        return _QueueFile(f"{path}-writers")
    except OSError as error:
        from consign.errors import EnvironmentFailure
        from consign.i18n import msg

        raise EnvironmentFailure(msg(
            "Cannot open {path}, the file beside the database where the server's "
            "processes wait their turn to write: {reason}.", path=f"{path}-writers",
            reason=error.strerror or error), field="db") from None


def missing_sqlite_file(url: str) -> str | None:
    """The path of the SQLite file a URL names, if that file does not exist yet."""
    from sqlalchemy.engine import make_url

    path = sqlite_file(make_url(normalise_url(url)))
    return None if path is None or os.path.exists(path) else path


def is_missing_schema(error: Exception) -> bool:
    """Whether a database error means the consign tables are not there (no ``db upgrade``)."""
    text = str(getattr(error, "orig", error))
    return ("no such table" in text or "no such column" in text
            or ("relation" in text and "does not exist" in text)
            or ("column" in text and "does not exist" in text))


# ---- when the environment fails --------------------------------------------------------------

_SQLITE_ENVIRONMENT = (
    "unable to open database file", "readonly database", "database is locked",
    "disk i/o error", "database or disk is full", "file is not a database", "no such table",
    "database disk image is malformed", "no such column",
)
# PostgreSQL SQLSTATE classes and codes that mean the environment, not the request
_PG_CLASSES = ("08", "28", "53", "57", "58", "3D")
_PG_CODES = ("25006", "42501", "42P01", "42703", "25P02")


def describe(url: str):
    """Where a database URL points, as an administrator reads it (no password): a
    ``consign.i18n.Message``, to be said within a sentence."""
    from sqlalchemy.engine import make_url

    from consign.i18n import msg

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return msg("the SQLite file {path}", path=parsed.database)
    return msg("the PostgreSQL database {name} at {host}:{port}", name=parsed.database,
               host=parsed.host or "localhost", port=parsed.port or 5432)


def environment_failure(error: Exception, url: str, connecting: bool = False):
    """The one-line ``EnvironmentFailure`` a database error means, or None if it is none
    of the environment's doing (a bug, shown as such). While ``connecting``, every error
    of the driver is the environment's (a server that refuses, an option it rejects)."""
    from sqlalchemy import exc

    from consign.errors import EnvironmentFailure
    from consign.i18n import msg

    if not isinstance(error, exc.DBAPIError | exc.OperationalError):
        return None
    original = getattr(error, "orig", error)
    text = str(original).strip().splitlines()[0] if str(original).strip() else type(
        original).__name__
    sqlstate = getattr(original, "sqlstate", None) or ""
    lowered = text.lower()
    environment = (
        connecting
        or any(part in lowered for part in _SQLITE_ENVIRONMENT)
        or sqlstate[:2] in _PG_CLASSES or sqlstate in _PG_CODES
        or (isinstance(error, exc.OperationalError) and not sqlstate)
        or isinstance(error, exc.InterfaceError)
    )
    if not environment:
        return None
    if is_missing_schema(error):
        return EnvironmentFailure(msg(
            "{where} is not a consign database (or not upgraded): run 'consign db upgrade' "
            "on it first ({why}).", where=describe(url), why=text), field="db")
    return EnvironmentFailure(msg("Cannot use {where}: {why}. Nothing was written.",
                                  where=describe(url), why=text), field="db")


def unreadable(error: Exception, url: str):
    """An ``EnvironmentFailure`` for a value the database holds that consign cannot read
    (one it never wrote: a moment that is no moment, a number that is no number), raised
    while the driver or SQLAlchemy turned a stored value into Python; else None."""
    import traceback

    from consign.errors import EnvironmentFailure
    from consign.i18n import msg

    if not isinstance(error, ValueError | TypeError | OverflowError | UnicodeDecodeError):
        return None
    frames = traceback.extract_tb(error.__traceback__)
    if not frames or not any(part in frames[-1].filename for part in (
            f"{os.sep}sqlalchemy{os.sep}", f"{os.sep}psycopg{os.sep}", "_strptime")):
        return None
    return EnvironmentFailure(msg(
        "{where} holds a value consign did not write and cannot read ({why}); run "
        "'consign check' and restore it from a backup.", where=describe(url),
        why=str(error).splitlines()[0] if str(error) else type(error).__name__), field="db")
