"""Every test that touches the database runs on SQLite, and on PostgreSQL when
CONSIGN_TEST_DATABASE_URL is set. Each test starts from a clean, fully migrated schema."""

import itertools
import os
import shutil
import socket
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from consign import schema
from consign.context import Context
from consign.db import Database, normalise_url

PG_URL = os.environ.get("CONSIGN_TEST_DATABASE_URL")
BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(
            not PG_URL, reason="CONSIGN_TEST_DATABASE_URL is not set: PostgreSQL not tested"
        ),
    ),
]
NOW = datetime(2020, 12, 15, 5, 0, tzinfo=UTC)  # 12:00 WIB on 15 December 2020


def free_port() -> int:
    """A port of the loopback address that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "template.db"
    database = Database(f"sqlite:///{path}")
    schema.upgrade(database.engine)
    database.dispose()
    return path


def built_from_template(template, path, build):
    """A SQLite file at ``path``: a copy of the migrated ``template`` that ``build`` fills
    (given the file's Database); what ``build`` returns."""
    shutil.copy(template, path)
    database = Database(f"sqlite:///{path}")
    try:
        return build(database)
    finally:
        database.dispose()


def recreate_postgresql_schema(url: str, migrate: bool = False) -> None:
    """An empty public schema (migrated to the latest revision, with ``migrate``)."""
    database = Database(url)
    with database.engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    if migrate:
        schema.upgrade(database.engine)
    database.dispose()


@pytest.fixture(scope="session")
def pg_migrated():
    url = _own_database(normalise_url(PG_URL))
    recreate_postgresql_schema(url, migrate=True)
    return url


def _own_database(url: str) -> str:
    """The PostgreSQL database of this test process: the one named, or, when the suite
    runs in several processes (pytest-xdist), one per process beside it (``test_gw0``,
    ``test_gw1``, ...), made the first time, so that no two processes share a schema."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    named = make_url(url)
    own = f"{named.database}_{worker}"
    engine = create_engine(named, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            if connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                 {"name": own}) is None:
                connection.execute(text(f'CREATE DATABASE "{own}"'))
    finally:
        engine.dispose()
    return named.set(database=own).render_as_string(hide_password=False)


def truncate_all(database: Database) -> None:
    """Empty every table for the next test. The append-only tables refuse TRUNCATE by
    their triggers, which a session in the replica role (as a superuser) does not fire."""
    from consign.models import Base

    names = ", ".join(table.name for table in Base.metadata.sorted_tables)
    with database.engine.begin() as connection:
        connection.execute(text("SET LOCAL session_replication_role = replica"))
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """The URL of a clean, migrated database of each backend."""
    if request.param == "sqlite":
        path = tmp_path / "consign.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("pg_migrated")
    database = Database(url)
    truncate_all(database)
    database.dispose()
    return url


@pytest.fixture
def fresh(db_url, request, tmp_path):
    """A function giving a clean, migrated database for each Hypothesis example."""
    counter = itertools.count()
    opened = []

    def make() -> Database:
        for database in opened:
            database.dispose()
        if db_url.startswith("sqlite"):
            path = tmp_path / f"example-{next(counter)}.db"
            shutil.copy(request.getfixturevalue("sqlite_template"), path)
            database = Database(f"sqlite:///{path}")
        else:
            database = Database(db_url)
            truncate_all(database)
        opened.append(database)
        return database

    yield make
    for database in opened:
        database.dispose()


@pytest.fixture
def db(db_url):
    database = Database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def ctx():
    return Context.make("tester", now=NOW)


@pytest.fixture(autouse=True)
def english_sentences(monkeypatch):
    """The suite reads consign's sentences in English, the templates themselves: what the
    command line prints and a sentence shown with no language (``str(error)``), in this
    process and in those it starts (``CONSIGN_LANG``). A test of the Indonesian unsets it,
    sets ``CONSIGN_LANG=id`` or passes ``lang="id"``; documents (PDFs) take their own
    ``--lang``, Indonesian by default."""
    monkeypatch.setenv("CONSIGN_LANG", "en")


pytest_plugins = ["tests.factories", "tests.ledger_support", "tests.settlement_support"]


@pytest.fixture
def cli(db_url):
    """Run ``consign --db URL --as tester ARGS...`` in-process; returns click's Result."""
    from click.testing import CliRunner

    from consign.cli import main

    runner = CliRunner()

    def run(*args, env=None):
        return runner.invoke(
            main, ["--db", db_url, "--as", "tester", *map(str, args)], env=env,
            catch_exceptions=False,
        )

    return run


@pytest.fixture
def snapshot(db):
    """Row counts of every table, to show that a refused command wrote nothing."""
    from sqlalchemy import func, select

    from consign.models import Base

    def take() -> dict[str, int]:
        with db.engine.connect() as connection:
            return {
                table.name: connection.scalar(select(func.count()).select_from(table))
                for table in Base.metadata.sorted_tables
            }

    return take


def _databases() -> str:
    if PG_URL:
        return f"databases: SQLite and PostgreSQL ({PG_URL})"
    return "databases: SQLite only; PostgreSQL tests skipped (CONSIGN_TEST_DATABASE_URL is not set)"


def pytest_report_header(config):
    return _databases()


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(_databases())
