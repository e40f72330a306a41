"""The archive: an issued statement's PDF is kept at its close and handed out from there,
byte for byte, whatever the renderer does later; other renderings are archived the first
time they are made; and a database of 0.1.0 upgrades with every statement verifiable."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from consign import schema
from consign.db import Database
from consign.models import Document, Statement
from consign.periods import zone
from consign.services import check, settlement
from consign.services.settlement import statements
from reports import labels
from tests.settlement_support import NOV, OCT, close, last_october_sale, october, wib

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def issued(office, atria):
    october(office)
    last_october_sale(office)
    close(office, OCT, "2020-11-02 10:00")
    return office


def pdf_of(office, number: str, lang: str = "id") -> bytes:
    with office.db.transaction() as session:
        return settlement.pdf(session, office.ctx, settlement.get_statement(session, number),
                              lang)


def archived(db) -> dict[str, str]:
    with db.transaction(readonly=True) as session:
        return dict(session.execute(select(Document.key, Document.sha256)).all())


def test_close_archives_each_statements_pdf_with_the_hash_it_stores(issued, db):
    with db.transaction(readonly=True) as session:
        issued_hashes = dict(session.execute(
            select(Statement.number, Statement.pdf_sha256).where(Statement.number.is_not(None))
        ).all())
    assert archived(db) == {
        f"statement:{number}:id": digest for number, digest in issued_hashes.items()
    }


def test_an_issued_pdf_is_the_archived_bytes_after_the_renderer_changes(
    issued, db, monkeypatch
):
    before = pdf_of(issued, "ST-000001")
    changed = labels.Labels(**{**vars(labels.labels_for("id")),
                               "statement_title": "judul yang lain sama sekali"})
    monkeypatch.setitem(labels._BY_LANG, "id", changed)
    assert pdf_of(issued, "ST-000001") == before  # served from the archive
    issued.now = wib("2020-12-02 10:00")
    issued.sell("ATRIA", "BTK-001", 1, at=wib("2020-11-05 10:00"))
    close(issued, NOV, "2020-12-02 10:00")
    later = pdf_of(issued, "ST-000004")
    assert b"judul yang lain" in later  # a statement issued now is rendered anew
    assert b"judul yang lain" not in before
    with db.transaction(readonly=True) as session:
        assert check.run(session, issued.ctx.tz) == []


def test_an_english_rendering_is_archived_the_first_time_and_served_from_there(
    issued, db, monkeypatch
):
    english = pdf_of(issued, "ST-000002", "en")
    assert "statement:ST-000002:en" in archived(db)
    changed = labels.Labels(**{**vars(labels.labels_for("en")), "gross": "Other words"})
    monkeypatch.setitem(labels._BY_LANG, "en", changed)
    assert pdf_of(issued, "ST-000002", "en") == english
    with db.transaction(readonly=True) as session:
        verdict = settlement.verify(session, english, "ST-000002-en.pdf")
    assert verdict.unaltered
    assert "is statement ST-000002 (ATRIA / IKM-0002, 2020-10) in English" in verdict.message


def test_a_consolidated_statement_holds_issued_statements_only_and_is_archived_once(
    issued, db, make_hotel
):
    make_hotel("TUGU", name="Hotel Tugu Malang")
    issued.place("TUGU", "IKM-0001", [("BTK-001", 2, None)], at=wib("2020-10-02 09:00"))
    issued.sell("TUGU", "BTK-001", 1, at=wib("2020-10-03 09:00"))
    issued.settle(OCT, "TUGU")  # a draft at TUGU: not in the consolidated statement
    with db.transaction() as session:
        first = statements.consolidated_pdf(session, issued.ctx, "IKM-0001", OCT)
    assert b"ST-000001" in first
    close(issued, OCT, "2020-11-03 10:00", hotel="TUGU")
    with db.transaction() as session:
        again = statements.consolidated_pdf(session, issued.ctx, "IKM-0001", OCT)
        keys = sorted(session.scalars(select(Document.key).where(Document.kind == "consolidated")))
    assert again != first and b"ST-000004" in again
    assert keys == ["consolidated:IKM-0001:2020-10:id:ST-000001",
                    "consolidated:IKM-0001:2020-10:id:ST-000001,ST-000004"]
    with db.transaction(readonly=True) as session:
        assert settlement.verify(session, first).unaltered
        assert settlement.verify(session, again).unaltered


def test_the_archive_refuses_change_in_the_database_itself(issued, db):
    for sql in ("UPDATE documents SET data = :empty", "DELETE FROM documents"):
        with pytest.raises(Exception, match="append-only"), db.engine.begin() as connection:
            connection.execute(text(sql), {"empty": b""})
    if not db.is_sqlite:
        with pytest.raises(Exception, match="append-only"), db.engine.begin() as connection:
            connection.execute(text("TRUNCATE documents CASCADE"))
    with db.transaction(readonly=True) as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 3


def test_check_finds_an_archived_file_altered_behind_the_triggers(issued, db):
    if not db.is_sqlite:
        pytest.skip("one database is enough to show what check reads")
    with db.engine.begin() as connection:
        connection.execute(text("DROP TRIGGER documents_no_update"))
        connection.execute(text(
            "UPDATE documents SET data = CAST('%PDF-1.4 forged' AS BLOB) "
            "WHERE key = 'statement:ST-000002:id'"))
    with db.transaction(readonly=True) as session:
        problems = check.run(session, issued.ctx.tz)
    assert len(problems) == 1
    assert problems[0].startswith(
        "Archived document statement:ST-000002:id is not the file that was archived")


# ---- a database of an earlier release --------------------------------------------------------

@pytest.fixture
def release_0_1(tmp_path):
    path = tmp_path / "consign.db"
    shutil.copy(FIXTURES / "consign-0.1.0.sqlite", path)
    database = Database(f"sqlite:///{path}")
    yield database
    database.dispose()


def test_a_database_of_0_1_0_upgrades_with_every_issued_statement_archived_and_verifiable(
    release_0_1
):
    assert schema.current(release_0_1.engine) == "0003"
    schema.upgrade(release_0_1.engine)
    with release_0_1.transaction(readonly=True) as session:
        issued = list(session.scalars(
            select(Statement).where(Statement.status != "draft").order_by(Statement.number)))
        assert [s.number for s in issued] == [f"ST-{n:06d}" for n in range(1, 7)]
        for statement in issued:
            data = statements.archive.find(session, f"statement:{statement.number}:id")
            verdict = settlement.verify(session, data, "file")
            assert (verdict.number, verdict.unaltered) == (statement.number, True)
            assert statements.sha256(data) == statement.pdf_sha256
        assert check.run(session, zone()) == []


FIXTURE_TABLES = (
    "hotels", "consignors", "products", "terms", "audit_log", "counters", "notes",
    "movements", "stock", "closed_periods", "statements", "statement_lines", "statement_stock",
)


def copy_release_to_postgresql(fixture: Path, url: str) -> Database:
    """The fixture's rows in a PostgreSQL database at the fixture's revision, copied with
    the triggers off (as a restore would), the sequences moved past the copied ids."""
    from sqlalchemy import MetaData, create_engine

    from tests.conftest import recreate_postgresql_schema

    recreate_postgresql_schema(url)
    target = Database(url)
    source = create_engine(f"sqlite:///{fixture}")
    schema.upgrade(target.engine, "0003")
    tables = MetaData()
    tables.reflect(source)
    with source.connect() as reading, target.engine.begin() as writing:
        writing.execute(text("SET LOCAL session_replication_role = replica"))
        writing.execute(text("SET LOCAL TIME ZONE 'UTC'"))
        for name in FIXTURE_TABLES:
            rows = [dict(row._mapping) for row in reading.execute(select(tables.tables[name]))]
            if rows:
                writing.execute(tables.tables[name].insert(), rows)
            if "id" in tables.tables[name].c:
                writing.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"coalesce((SELECT max(id) FROM {name}), 1))"))
    source.dispose()
    return target


def test_a_database_of_0_1_0_upgrades_on_postgresql_too(db):
    if db.is_sqlite:
        pytest.skip("the SQLite file itself is upgraded above")
    url = db.engine.url.render_as_string(hide_password=False)
    target = copy_release_to_postgresql(FIXTURES / "consign-0.1.0.sqlite", url)
    try:
        schema.upgrade(target.engine)
        with target.transaction(readonly=True) as session:
            numbers = list(session.scalars(select(Statement.number).where(
                Statement.status != "draft").order_by(Statement.number)))
            assert len(numbers) == 6
            for number in numbers:
                data = statements.archive.find(session, f"statement:{number}:id")
                assert settlement.verify(session, data).number == number
            assert check.run(session, zone()) == []
    finally:
        target.dispose()
        from tests.conftest import recreate_postgresql_schema

        recreate_postgresql_schema(db.engine.url.render_as_string(hide_password=False),
                                   migrate=True)


def test_db_upgrade_of_a_0_1_0_database_says_what_it_did(tmp_path):
    from click.testing import CliRunner

    from consign.cli import main

    path = tmp_path / "old.sqlite"
    shutil.copy(FIXTURES / "consign-0.1.0.sqlite", path)
    result = CliRunner().invoke(main, ["--db", str(path), "db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert f"upgraded from 0003 to revision {schema.head()}" in result.output
    checked = CliRunner().invoke(main, ["--db", str(path), "check"])
    assert (checked.exit_code, checked.output) == (0, "No problems found.\n")
