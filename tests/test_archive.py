"""The archive: an issued statement's PDF is kept at its close and handed out from there,
byte for byte, whatever the renderer does later; other renderings are archived the first
time they are made; and a database of 0.1.0 upgrades with every statement verifiable."""

import io
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select, text

from consign import schema
from consign.context import Context
from consign.db import Database
from consign.errors import UpgradeStop
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
    with db.transaction() as session:  # check extends the audit chain: it writes
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
    with db.transaction() as session:  # check extends the audit chain: it writes
        problems = check.run(session, issued.ctx.tz)
    assert len(problems) == 1
    assert problems[0].startswith(
        "Archived document statement:ST-000002:id is not the file that was archived")


# ---- databases of earlier releases ------------------------------------------------------------
#
# 0.1.0 issued statements without archiving their PDFs; 0.2.0 archives them on upgrade by
# re-rendering each with the renderer that issued it. This release renders statements
# differently, so it refuses a 0.1.0 database (the upgrade stop) and upgrades a 0.2.0 one.

UPGRADE_STOP = ("This database holds 6 statements issued before consign archived their PDFs, "
                "and this release renders statements differently: upgrade it with consign "
                "0.2.0 first ('consign db upgrade' there), then with this release. "
                "Nothing was changed.")


def release(tmp_path, name: str) -> Path:
    path = tmp_path / name
    shutil.copy(FIXTURES / name, path)
    return path


def run(*args):
    from click.testing import CliRunner

    from consign.cli import main

    return CliRunner().invoke(main, list(map(str, args)))


def test_a_0_2_0_database_upgrades_with_every_issued_document_still_verifiable(tmp_path):
    path = release(tmp_path, "consign-0.2.0.sqlite")
    database = Database(f"sqlite:///{path}")
    try:
        with database.transaction(readonly=True) as session:
            kept = dict(session.execute(select(Document.key, Document.data)).all())
        schema.upgrade(database.engine)
        with database.transaction() as session:  # check extends the audit chain: it writes
            assert len(kept) == 9
            for key, data in kept.items():
                verdict = settlement.verify(session, data, key)
                assert verdict.unaltered, verdict.message
            assert check.run(session, zone()) == []
        ctx = Context.make("tester")
        with database.transaction() as session:
            again = statements.pdf(session, ctx, settlement.get_statement(session, "ST-000004"))
        assert again == kept["statement:ST-000004:id"]
    finally:
        database.dispose()


def test_a_0_1_0_database_is_refused_and_told_to_upgrade_through_0_2_0(tmp_path):
    path = release(tmp_path, "consign-0.1.0.sqlite")
    before = path.read_bytes()
    result = run("--db", path, "db", "upgrade")
    assert (result.exit_code, result.output) == (1, f"Error: {UPGRADE_STOP}\n")
    database = Database(f"sqlite:///{path}")
    try:
        assert schema.current(database.engine) == "0003"
    finally:
        database.dispose()
    assert path.read_bytes() == before


def test_db_upgrade_of_a_0_2_0_database_says_what_it_did(tmp_path):
    path = release(tmp_path, "consign-0.2.0.sqlite")
    result = run("--db", path, "db", "upgrade")
    assert result.exit_code == 0, result.output
    checked = run("--db", path, "check")
    assert checked.exit_code == 0
    assert checked.output.startswith("No problems found.\nAudit chain: ")


FIXTURE_TABLES = (
    "hotels", "consignors", "products", "terms", "audit_log", "counters", "notes",
    "movements", "stock", "closed_periods", "statements", "statement_lines", "statement_stock",
)


def copy_release_to_postgresql(fixture: Path, url: str, revision: str, tables=FIXTURE_TABLES):
    """The fixture's rows in a PostgreSQL database at the fixture's revision, copied with
    the triggers off (as a restore would), the sequences moved past the copied ids."""
    from sqlalchemy import MetaData, create_engine

    from tests.conftest import recreate_postgresql_schema

    recreate_postgresql_schema(url)
    target = Database(url)
    source = create_engine(f"sqlite:///{fixture}")
    schema.upgrade(target.engine, revision)
    reflected = MetaData()
    reflected.reflect(source)
    with source.connect() as reading, target.engine.begin() as writing:
        writing.execute(text("SET LOCAL session_replication_role = replica"))
        writing.execute(text("SET LOCAL TIME ZONE 'UTC'"))
        for name in tables:
            rows = [dict(row._mapping) for row in reading.execute(select(reflected.tables[name]))]
            if rows:
                writing.execute(reflected.tables[name].insert(), rows)
            if "id" in reflected.tables[name].c:
                writing.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"coalesce((SELECT max(id) FROM {name}), 1))"))
    source.dispose()
    return target


@pytest.fixture
def postgresql_url(db):
    if db.is_sqlite:
        pytest.skip("the SQLite files themselves are upgraded above")
    url = db.engine.url.render_as_string(hide_password=False)
    yield url
    from tests.conftest import recreate_postgresql_schema

    recreate_postgresql_schema(url, migrate=True)


def test_earlier_releases_upgrade_or_stop_on_postgresql_too(postgresql_url, tmp_path):
    target = copy_release_to_postgresql(FIXTURES / "consign-0.1.0.sqlite", postgresql_url,
                                        "0003")
    try:
        with pytest.raises(UpgradeStop, match="upgrade it with consign 0.2.0 first"):
            schema.upgrade(target.engine)
        assert schema.current(target.engine) == "0003"
    finally:
        target.dispose()
    target = copy_release_to_postgresql(FIXTURES / "consign-0.2.0.sqlite", postgresql_url,
                                        "0004", FIXTURE_TABLES + ("documents",))
    try:
        schema.upgrade(target.engine)
        with target.transaction() as session:  # check extends the audit chain: it writes
            documents = session.execute(select(Document.key, Document.data)).all()
            assert len(documents) == 9
            assert all(settlement.verify(session, data).unaltered for _, data in documents)
            assert check.run(session, zone()) == []
    finally:
        target.dispose()


# ---- the code on a paper copy ----------------------------------------------------------------

def test_the_verification_code_is_the_first_twelve_hex_digits_of_the_statement_text():
    from consign import fields
    from consign.settlement import verification_code

    # sha256("ST-000042|ATRIA|IKM-0001|2020-10|1250000|250000|0|1000000") = f5cd0ca8927b…
    code = verification_code("ST-000042", "ATRIA", "IKM-0001", "2020-10", 1_250_000, 250_000,
                             0, 1_000_000)
    assert code == "F5CD 0CA8 927B"
    assert fields.verification_code(" f5cd0ca8 927b ") == code  # as typed from the paper
    assert fields.verification_code("f5cd-0ca8-927b") == code
    assert fields.verification_code("F5CD 0CA8 927C") != code


def test_every_page_of_an_issued_statement_carries_its_code(issued):
    from consign.settlement import code_of

    code = code_of(issued.statement("ST-000001"))
    pages = PdfReader(io.BytesIO(pdf_of(issued, "ST-000001"))).pages
    assert all(f"Kode verifikasi {code}" in page.extract_text() for page in pages)


def test_verify_code_confirms_a_paper_copy_and_names_its_parties(issued, cli):
    from consign.settlement import code_of

    code = code_of(issued.statement("ST-000001"))
    result = cli("statement", "verify", "--code", "st-000001", code.lower().replace(" ", ""))
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Statement ST-000001 is genuine: Hotel Atria Malang (ATRIA) to Batik Tulis Celaket "
        f"(IKM-0001), 2020-10, net Rp704.250; verification code {code}.\n")
    wrong = cli("statement", "verify", "--code", "ST-000001", "0000 0000 0000")
    assert wrong.exit_code == 1
    assert "is not that of statement ST-000001" in wrong.output
    unknown = cli("statement", "verify", "--code", "ST-000099", code)
    assert (unknown.exit_code, unknown.output) == (1, "No statement ST-000099 has been issued.\n")
    both = cli("statement", "verify", "x.pdf", "--code", "ST-000001", code)
    assert both.exit_code == 2
    dashed = cli("statement", "verify", "--code", "ST-000001", code.replace(" ", "-"))
    assert dashed.exit_code == 0, dashed.output


@pytest.mark.parametrize("typed", ["ABCD", "1A2B 3C4D 5E6", "1A2B 3C4D 5E6F 7", "GHIJ KLMN OPQR",
                                   "1A2B_3C4D_5E6F"])
def test_a_code_that_cannot_be_one_is_said_as_malformed_and_names_no_statement(
        issued, cli, typed):
    """A typing mistake (a letter past F, a digit missing or too many) is told as such, for
    a statement that exists and one that does not alike."""
    for number in ("ST-000001", "ST-000099"):
        result = cli("statement", "verify", "--code", number, typed)
        assert result.exit_code == 2, result.output
        assert result.output == (
            f"Error: code {typed!r} is not a verification code: it is 12 digits and letters A "
            "to F in three groups, as printed on the statement (1A2B 3C4D 5E6F).\n")


def test_a_resaved_copy_is_named_but_never_taken_for_the_issued_file(issued, cli, tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(pdf_of(issued, "ST-000002")))
    writer.add_metadata({"/Producer": "some viewer"})
    copy = tmp_path / "resaved.pdf"
    with copy.open("wb") as out:
        writer.write(out)
    result = cli("statement", "verify", copy)
    assert result.exit_code == 1
    assert result.output.startswith(
        f"{copy} names statement ST-000002 (ATRIA / IKM-0002, 2020-10) but is not the issued "
        "file")
