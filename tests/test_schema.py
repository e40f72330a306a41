"""Migrations produce exactly the models' schema, down and up again, on both databases."""

import sqlite3
import threading

import pytest
from sqlalchemy import inspect

from consign import schema
from consign.db import Database, backup
from consign.services import registry


def test_upgrading_an_empty_database_gives_the_models_schema_and_alembic_check_is_clean(db):
    assert schema.current(db.engine) == schema.head()
    assert schema.differences(db.engine) == []


def test_the_revision_the_release_expects_is_alembics_head():
    assert schema.head() == schema.HEAD


def test_downgrading_to_base_and_upgrading_again_round_trips(db):
    schema.downgrade(db.engine, "base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    schema.upgrade(db.engine)
    assert schema.current(db.engine) == schema.head()
    assert schema.differences(db.engine) == []


def test_db_upgrade_on_a_new_file_creates_it_and_says_so(tmp_path):
    from click.testing import CliRunner

    from consign.cli import main

    url = f"sqlite:///{tmp_path / 'new.db'}"
    first = CliRunner().invoke(main, ["--db", url, "db", "upgrade"])
    assert first.exit_code == 0, first.output
    assert f"upgraded from empty to revision {schema.head()}" in first.output
    second = CliRunner().invoke(main, ["--db", url, "db", "upgrade"])
    assert "is up to date" in second.output


def test_sqlite_connections_enforce_foreign_keys_and_use_wal(db):
    if not db.is_sqlite:
        pytest.skip("SQLite pragmas")
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_a_backup_taken_while_another_connection_writes_holds_the_committed_rows(
    db, ctx, tmp_path
):
    if not db.is_sqlite:
        pytest.skip("the online backup API is SQLite's; PostgreSQL uses pg_dump")
    stop = threading.Event()
    written = []

    def writer():
        other = Database(str(db.engine.url))
        n = 0
        while not stop.is_set() and n < 400:
            n += 1
            with other.transaction() as session:
                registry.add_hotel(session, ctx, f"H-{n:04d}", f"Hotel {n}")
            written.append(n)
        other.dispose()

    thread = threading.Thread(target=writer)
    thread.start()
    while len(written) < 20:
        threading.Event().wait(0.01)
    target = tmp_path / "copy.db"
    committed_before = len(written)
    message = backup(str(db.engine.url), str(target))
    stop.set()
    thread.join()
    assert message.startswith("Backed up ")
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        codes = [row[0] for row in copy.execute("SELECT code FROM hotels ORDER BY code")]
    assert len(codes) >= committed_before
    assert codes == [f"H-{n:04d}" for n in range(1, len(codes) + 1)]


def test_a_backup_refuses_to_overwrite_a_file(db, tmp_path):
    if not db.is_sqlite:
        pytest.skip("SQLite file backup")
    target = tmp_path / "exists.db"
    target.write_text("")
    from consign.errors import ConsignError

    with pytest.raises(ConsignError, match="already exists"):
        backup(str(db.engine.url), str(target))
    assert target.read_text() == ""


def test_a_postgresql_backup_is_a_pg_dump_archive_or_says_to_use_pg_dump(db, tmp_path):
    if db.is_sqlite:
        pytest.skip("PostgreSQL")
    import shutil

    from consign.errors import ConsignError

    target = tmp_path / "dump.pgc"
    if shutil.which("pg_dump") is None:
        with pytest.raises(ConsignError, match="back it up with pg_dump"):
            backup(str(db.engine.url), str(target))
        return
    backup(db.engine.url.render_as_string(hide_password=False), str(target))
    assert target.read_bytes()[:5] == b"PGDMP"


def run_cli(*args):
    from click.testing import CliRunner

    from consign.cli import main

    return CliRunner().invoke(main, [*map(str, args)], catch_exceptions=False)


def test_a_command_on_a_database_file_that_does_not_exist_says_to_create_it(tmp_path):
    missing = tmp_path / "consign.db"
    result = run_cli("--db", f"sqlite:///{missing}", "hotel", "list")
    assert result.exit_code == 3
    assert result.stderr == (f"Error: No consign database at {missing}: create it with "
                             "'consign db upgrade', or point --db (or CONSIGN_DATABASE_URL) at "
                             "yours.\n")
    assert not missing.exists()


def test_a_database_without_the_tables_says_to_upgrade_it(tmp_path):
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    result = run_cli("--db", empty, "hotel", "list")
    assert result.exit_code == 3
    assert result.stderr == (f"Error: the SQLite file {empty} is not a consign database: "
                             "create one with 'consign db upgrade', or point --db (or "
                             "CONSIGN_DATABASE_URL) at yours.\n")


def test_a_database_at_an_older_revision_says_to_upgrade_it(tmp_path):
    older = tmp_path / "older.db"
    database = Database(f"sqlite:///{older}")
    schema.upgrade(database.engine, "0004")
    database.dispose()
    result = run_cli("--db", older, "hotel", "list")
    assert result.exit_code == 3
    assert result.stderr == (f"Error: the SQLite file {older} is at schema revision 0004, "
                             f"older than this release's {schema.HEAD}: run 'consign db "
                             "upgrade' first.\n")
    assert run_cli("--db", older, "db", "upgrade").exit_code == 0
    assert run_cli("--db", older, "hotel", "list").exit_code == 0


def test_a_downgrade_that_would_drop_the_audit_log_is_refused_and_changes_nothing(db, ctx):
    from consign.errors import UpgradeStop

    with db.transaction() as session:
        registry.add_hotel(session, ctx, "ATRIA", "Hotel Atria Malang")
    with pytest.raises(UpgradeStop, match="would drop the 1 entries of the audit log"):
        schema.downgrade(db.engine, "base")
    assert schema.current(db.engine) == schema.head()
    with db.transaction(readonly=True) as session:
        assert [h.code for h in registry.hotels(session, ctx.today)] == ["ATRIA"]


def test_a_plain_path_as_db_means_that_sqlite_file(tmp_path):
    path = tmp_path / "plain.db"
    assert run_cli("--db", path, "db", "upgrade").exit_code == 0
    assert run_cli("--db", path, "hotel", "add", "ATRIA", "--name", "Atria").exit_code == 0
    assert "ATRIA" in run_cli("--db", f"sqlite:///{path}", "hotel", "list").output
