"""When the environment fails, a command says so in one line, writes nothing, and exits 3
(2 for a malformed setting): no traceback for anything an administrator can cause
(SPEC section 2)."""

import shutil
import sqlite3

import pytest
from click.testing import CliRunner

from consign import schema
from consign.cli import main
from consign.db import Database
from tests.boundary_support import fingerprint, shop


def run(*args, env=None):
    return CliRunner().invoke(main, [*map(str, args)], env=env or {}, catch_exceptions=False)


def one_line(result, code: int, said: str) -> None:
    assert result.exit_code == code, result.output
    assert said in result.output, result.output
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1, result.output


@pytest.fixture
def sqlite_file(tmp_path, ctx):
    path = tmp_path / "consign.db"
    database = Database(f"sqlite:///{path}")
    schema.upgrade(database.engine)
    shop(database, ctx)
    database.dispose()
    return path


def test_an_unknown_time_zone_is_a_malformed_setting(sqlite_file):
    one_line(run("--db", sqlite_file, "hotel", "list", env={"CONSIGN_TIMEZONE": "Asia/Malang"}),
             2, "'Asia/Malang' (CONSIGN_TIMEZONE) is not a known time zone")


def test_an_unknown_database_url_scheme_is_a_malformed_setting():
    one_line(run("--db", "mysql://root@localhost/consign", "hotel", "list"), 2,
             "database URL scheme 'mysql' is not one consign knows")


def test_a_database_server_that_cannot_be_reached_is_the_environment():
    one_line(run("--db", "postgresql://nobody@127.0.0.1:1/consign", "hotel", "list"), 3,
             "Cannot use the PostgreSQL database consign at 127.0.0.1:1")


def test_a_sqlite_file_that_is_not_there_is_the_environment(tmp_path):
    one_line(run("--db", tmp_path / "missing.db", "hotel", "list"), 3,
             f"No consign database at {tmp_path / 'missing.db'}")


def test_a_file_that_is_not_a_database_is_the_environment(tmp_path):
    (tmp_path / "notes.db").write_text("Daftar belanja: kopi, gula, teh\n" * 200)
    one_line(run("--db", tmp_path / "notes.db", "hotel", "list"), 3, "notes.db")


def test_a_sqlite_database_that_is_not_consigns_is_the_environment(tmp_path):
    with sqlite3.connect(tmp_path / "other.db") as connection:
        connection.execute("CREATE TABLE things (id INTEGER PRIMARY KEY)")
    one_line(run("--db", tmp_path / "other.db", "hotel", "list"), 3,
             "is not a consign database")


def test_a_database_of_an_older_schema_says_to_upgrade_it(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'old.db'}")
    schema.upgrade(database.engine, "0004")
    database.dispose()
    one_line(run("--db", tmp_path / "old.db", "hotel", "list"), 3,
             f"older than this release's {schema.HEAD}: run 'consign db upgrade' first")


def test_a_read_only_sqlite_database_refuses_a_write_and_keeps_everything(sqlite_file):
    database = Database(f"sqlite:///{sqlite_file}")
    before = fingerprint(database)
    database.dispose()
    url = f"sqlite:///file:{sqlite_file}?mode=ro&uri=true"
    one_line(run("--db", url, "--as", "tester", "hotel", "add", "TUGU", "--name", "Tugu"), 3,
             "readonly database")
    assert run("--db", url, "hotel", "list").exit_code == 0
    database = Database(f"sqlite:///{sqlite_file}")
    assert fingerprint(database) == before
    database.dispose()


def test_a_read_only_postgresql_session_refuses_a_write(db, ctx):
    if db.is_sqlite:
        pytest.skip("PostgreSQL's read-only transactions")
    shop(db, ctx)
    before = fingerprint(db)
    url = db.engine.url.render_as_string(hide_password=False)
    read_only = url + "?options=-c%20default_transaction_read_only%3Don"
    one_line(run("--db", read_only, "--as", "tester", "hotel", "add", "TUGU", "--name", "T"),
             3, "read-only transaction")
    assert fingerprint(db) == before


def test_an_output_folder_that_cannot_be_written_is_the_environment(sqlite_file, tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    result = run("--db", sqlite_file, "--as", "tester", "statement", "pdf", "--period",
                 "2020-10", "--out", tmp_path / "a-file" / "pdfs")
    one_line(result, 3, "Cannot write to")


def test_a_backup_into_a_missing_folder_is_the_environment(sqlite_file, tmp_path):
    one_line(run("--db", sqlite_file, "db", "backup", tmp_path / "nowhere" / "copy.db"), 3,
             "Cannot write the backup to")


def test_a_backup_never_overwrites_a_file(sqlite_file, tmp_path):
    target = tmp_path / "copy.db"
    target.write_text("yesterday's backup")
    one_line(run("--db", sqlite_file, "db", "backup", target), 1, "never overwrites")
    assert target.read_text() == "yesterday's backup"


def test_a_postgresql_backup_never_overwrites_a_file_either(db, tmp_path):
    if db.is_sqlite:
        pytest.skip("PostgreSQL's backup")
    target = tmp_path / "copy.dump"
    target.write_text("yesterday's backup")
    url = db.engine.url.render_as_string(hide_password=False)
    one_line(run("--db", url, "db", "backup", target), 1, "never overwrites")
    assert target.read_text() == "yesterday's backup"


def test_the_demo_never_overwrites_a_database_it_did_not_make(sqlite_file, tmp_path):
    folder = tmp_path / "real"
    folder.mkdir()
    shutil.copy(sqlite_file, folder / "consign.db")
    before = (folder / "consign.db").read_bytes()
    one_line(run("demo", "--out", folder), 1, "is a database that the demo did not make")
    assert (folder / "consign.db").read_bytes() == before


def test_an_import_file_that_is_not_there_is_malformed_input(sqlite_file, tmp_path):
    one_line(run("--db", sqlite_file, "--as", "t", "hotel", "import", tmp_path / "none.csv"), 2,
             "no such file")


def test_an_actor_that_is_no_name_is_refused(sqlite_file):
    one_line(run("--db", sqlite_file, "--as", " ", "hotel", "add", "TUGU", "--name", "T"), 2,
             "as is blank")


def test_a_value_consign_never_wrote_is_one_line_not_a_traceback(sqlite_file):
    connection = sqlite3.connect(sqlite_file)
    with connection:
        connection.execute("DROP TRIGGER movements_no_update")
        connection.execute("UPDATE movements SET at = 'garbage' WHERE id = 2")
    connection.close()
    one_line(run("--db", sqlite_file, "--as", "t", "void", "2", "--reason", "x"), 3,
             "holds a value consign did not write and cannot read")
    checked = run("--db", sqlite_file, "--as", "t", "check")
    assert checked.exit_code == 1 and "could not read the database" in checked.output


def test_a_database_of_someone_else_is_not_given_consigns_tables(tmp_path):
    with sqlite3.connect(tmp_path / "other.db") as connection:
        connection.execute("CREATE TABLE ledger (id INTEGER PRIMARY KEY)")
    one_line(run("--db", tmp_path / "other.db", "db", "upgrade"), 3,
             "it holds other tables (ledger)")


@pytest.mark.parametrize(("url", "said"), [
    ("postgresql://postgres@127.0.0.1:notaport/x", "is not a URL consign can read"),
    ("postgresql://postgres@[::1/x", "is not a URL consign can read"),
    ("sqlite://", "names no SQLite file"),
    ("", "db is blank"),
])
def test_a_malformed_database_url_is_a_malformed_setting(url, said):
    one_line(run("--db", url, "hotel", "list"), 2, said)


def test_a_connection_option_the_server_rejects_is_the_environment():
    one_line(run("--db", "postgresql://postgres@127.0.0.1:5432/x?connect_timeout=abc",
                 "hotel", "list"), 3, "bad value for connect_timeout")
