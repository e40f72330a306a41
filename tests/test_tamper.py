"""Nothing that must never change can change unseen (SPEC section 4a): raw SQL against
the append-only tables is refused by the database itself, on SQLite and PostgreSQL; and
with the triggers out of the way, ``consign check`` finds each alteration."""

import json

import pytest
from sqlalchemy import text

from consign.services import check, settlement
from tests.boundary_support import fingerprint, shop


@pytest.fixture
def closed(db, ctx):
    """October closed at ATRIA (ST-000001 issued, its PDF archived), the chain extended,
    and a sale in November after it (an entry still in the queue)."""
    from consign.services import ledger

    shop(db, ctx)
    with db.transaction() as session:
        settlement.close_period(session, ctx, "2020-10", "ATRIA")
    with db.transaction() as session:
        ledger.sell(session, ctx, "ATRIA", "BTK-001", at="2020-11-03 10:00", receipt="R-2")
    return db


REFUSED = [
    "UPDATE movements SET qty = -2 WHERE id = 2",
    "DELETE FROM movements WHERE id = 2",
    "UPDATE notes SET number = 'PL-2020-00099'",
    "DELETE FROM notes",
    "UPDATE closed_periods SET period = '2020-09'",
    "DELETE FROM closed_periods",
    "UPDATE audit_log SET actor = 'someone else' WHERE id = 1",
    "DELETE FROM audit_log WHERE id = 1",
    "UPDATE audit_chain SET hash = 'x'",
    "DELETE FROM audit_chain",
    "DELETE FROM audit_queue",
    "UPDATE documents SET sha256 = 'x'",
    "DELETE FROM documents",
    "UPDATE statements SET net = 1 WHERE number = 'ST-000001'",
    "DELETE FROM statements WHERE number = 'ST-000001'",
    "UPDATE statement_lines SET name = 'Batik palsu'",
    "DELETE FROM statement_lines",
    "DELETE FROM statement_stock",
    "UPDATE shelf_months SET unit_days = 0",
    "DELETE FROM shelf_months",
    "UPDATE counters SET value = 0",
    "DELETE FROM counters",
]
TRUNCATED = ["movements", "notes", "closed_periods", "audit_log", "audit_chain", "audit_queue",
             "documents", "statements", "statement_lines", "statement_stock", "shelf_months",
             "counters"]


@pytest.mark.parametrize("sql", REFUSED)
def test_the_database_refuses_raw_sql_that_would_change_the_record(closed, sql):
    before = fingerprint(closed)
    with pytest.raises(Exception) as caught, closed.engine.begin() as connection:
        connection.execute(text(sql))
    assert any(word in str(caught.value) for word in (
        "append-only", "frozen", "only move forward", "leave only into the chain")), caught.value
    assert fingerprint(closed) == before


@pytest.mark.parametrize("table", TRUNCATED)
def test_postgresql_refuses_to_truncate_what_must_never_change(closed, table):
    if closed.is_sqlite:
        pytest.skip("SQLite has no TRUNCATE")
    before = fingerprint(closed)
    with pytest.raises(Exception, match="append-only|cannot be truncated"), \
            closed.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {table} CASCADE"))
    assert fingerprint(closed) == before


def test_a_counter_may_move_forward(closed):
    with closed.engine.begin() as connection:
        connection.execute(text("UPDATE counters SET value = value + 1 WHERE name = 'statement'"))


# ---- behind the triggers' back ------------------------------------------------------------

def behind_the_triggers(db, *statements: str) -> None:
    """Run ``statements`` as someone who disabled the triggers (and the foreign keys)
    would: on SQLite a plain connection that drops every trigger, on PostgreSQL a session
    in the replica role."""
    if db.is_sqlite:
        import sqlite3

        connection = sqlite3.connect(db.engine.url.database)
        with connection:
            for (name,) in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
                connection.execute(f"DROP TRIGGER {name}")
            for sql in statements:
                connection.execute(sql)
        connection.close()
        return
    with db.engine.begin() as connection:
        connection.execute(text("SET LOCAL session_replication_role = replica"))
        for sql in statements:
            connection.execute(text(sql))


def problems(db, ctx) -> list[str]:
    with db.transaction() as session:
        return check.run(session, ctx.tz)


def test_check_finds_nothing_in_an_untouched_database(closed, ctx):
    assert problems(closed, ctx) == []


def test_check_finds_an_audit_entry_altered(closed, ctx):
    behind_the_triggers(closed, "UPDATE audit_log SET actor = 'nobody' WHERE id = 3")
    assert problems(closed, ctx) == [
        "Audit entry 3 (link 3 of the chain) was altered, or the chain was changed before it."]


def test_check_finds_an_audit_entry_removed(closed, ctx):
    behind_the_triggers(closed, "DELETE FROM audit_chain WHERE entry_id = 4",
                        "DELETE FROM audit_log WHERE id = 4")
    found = problems(closed, ctx)
    assert "The audit chain lacks link(s) 4 to 4: entries were removed from it." in found
    assert "Audit entry 5 (link 5 of the chain) was altered, or the chain was changed " \
           "before it." in found


def test_check_finds_an_entry_slipped_in_out_of_order(closed, ctx):
    behind_the_triggers(
        closed,
        "INSERT INTO audit_log (id, at, recorded_at, actor, action, record, detail) "
        "SELECT 1000, at, recorded_at, actor, 'hotel.add', 'hotel:FAKE', '{}' FROM audit_log "
        "WHERE id = 2",
    )
    assert problems(closed, ctx) == [
        "Audit entry 1000 is in neither the chain nor its queue: it was written behind the "
        "database's back."]


def test_check_finds_a_movement_without_its_entry_and_one_changed_behind_its_entry(closed, ctx):
    behind_the_triggers(
        closed,
        "UPDATE movements SET qty = -2 WHERE id = 2",
        "INSERT INTO movements (id, kind, hotel_id, product_id, qty, unit_price, at, "
        "counts_at, receipt_version, recorded_at, actor) SELECT 99, kind, hotel_id, "
        "product_id, qty, unit_price, at, counts_at, 1, recorded_at, actor FROM movements "
        "WHERE id = 1",
        "UPDATE stock SET on_hand = on_hand + 10",
    )
    found = problems(closed, ctx)
    assert "Movement 99 has no audit entry." in found
    assert "Movement 2 is not what its audit entry recorded (sold -2, not sold -1)." in found


def test_check_finds_gaps_in_numbers_and_a_counter_behind(closed, ctx):
    behind_the_triggers(
        closed,
        "UPDATE notes SET number = 'PL-2020-00003' WHERE number = 'PL-2020-00001'",
        "UPDATE counters SET value = 0 WHERE name = 'statement'",
    )
    found = problems(closed, ctx)
    assert "The note numbers PL-2020 have a gap: PL-2020-00001, PL-2020-00002 missing." in found
    assert "The counter of PL-2020 is at 1, behind PL-2020-00003, the highest number in use." \
        in found
    assert "The statement counter is at 0, behind ST-000001, the highest number in use." in found


def test_check_finds_a_statement_number_gap(closed, ctx):
    behind_the_triggers(closed, "UPDATE statements SET number = 'ST-000002' "
                                "WHERE number = 'ST-000001'")
    found = problems(closed, ctx)
    assert "The statement numbers have a gap: ST-000001 missing." in found


def test_check_finds_a_statement_lines_table_emptied_behind_its_back(closed, ctx):
    behind_the_triggers(closed, "DELETE FROM statement_lines")
    found = problems(closed, ctx)
    assert "Statement ST-000001: its lines add up to 0, not its gross 150000." in found


def test_check_finds_an_issued_statement_erased_with_its_parts(closed, ctx):
    behind_the_triggers(closed, "DELETE FROM statement_lines", "DELETE FROM statement_stock",
                        "DELETE FROM documents", "DELETE FROM statements")
    found = problems(closed, ctx)
    assert any(p.startswith("Statement ST-000001 was issued (audit entry ") and
               p.endswith("but is not in the database as issued.") for p in found), found
    assert "The statement counter is at 1, ahead of the highest number in use: ST-000001 " \
           "were given out and are gone." in found


def test_check_finds_a_period_reopened_behind_its_back(closed, ctx):
    behind_the_triggers(closed, "DELETE FROM closed_periods")
    found = problems(closed, ctx)
    assert "Statement ST-000001 is issued, but 2020-10 is not closed for ATRIA." in found
    assert any(p.startswith("The close of 2020-10 for ATRIA (audit entry ") for p in found)


@pytest.mark.parametrize("sql", [
    "UPDATE statements SET bank = 'EVIL', account = '6666666', holder = 'Mallory'",
    "UPDATE statements SET consignor_name = 'Someone Else'",
    "UPDATE statements SET due_on = issued_on",
    "UPDATE statement_stock SET closing = closing + 1, opening = opening + 1",
])
def test_check_finds_an_issued_statement_changed_where_its_figures_still_add_up(
        closed, ctx, sql):
    behind_the_triggers(closed, sql)
    assert "Statement ST-000001 is not as it was issued: its figures, names, bank account, " \
           "dates, lines, stock rows or losses were changed." in problems(closed, ctx)


def test_check_finds_an_issued_statement_turned_back_into_a_draft(closed, ctx):
    behind_the_triggers(closed, "UPDATE statements SET status = 'draft', number = NULL")
    found = problems(closed, ctx)
    assert any("Statement ST-000001 was issued" in p for p in found), found


def test_check_finds_the_last_note_removed(closed, ctx):
    behind_the_triggers(closed, "DELETE FROM notes")
    found = problems(closed, ctx)
    assert "The counter of PL-2020 is at 1, ahead of the highest number in use: " \
           "PL-2020-00001 were given out and are gone." in found
    assert "1 row(s) of movements refer to a notes row that is not there (note_id)." in found


def test_check_finds_a_counter_moved_ahead(closed, ctx):
    with closed.engine.begin() as connection:  # allowed by the database: counters move on
        connection.execute(text("UPDATE counters SET value = value + 5 WHERE name = "
                                "'statement'"))
    assert "The statement counter is at 6, ahead of the highest number in use: ST-000002, " \
           "ST-000003, ST-000004, ST-000005, ST-000006 were given out and are gone." in \
        problems(closed, ctx)


@pytest.mark.parametrize("table", ["hotels", "consignors", "products", "terms"])
def test_the_registry_is_never_deleted_even_without_foreign_keys(closed, table):
    with pytest.raises(Exception, match="never deleted"), closed.engine.begin() as connection:
        if closed.is_sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
        connection.execute(text(f"DELETE FROM {table}"))


def test_check_reads_past_values_it_cannot_read(closed, ctx):
    if not closed.is_sqlite:
        pytest.skip("PostgreSQL refuses a text where a moment belongs")
    behind_the_triggers(closed, "UPDATE movements SET at = 'garbage' WHERE id = 2",
                        "UPDATE audit_log SET detail = '{not json' WHERE id = 1")
    found = problems(closed, ctx)
    assert any("could not read the database" in p for p in found), found


def test_a_chain_cut_back_behind_a_head_written_down_is_found(closed, ctx, cli):
    first = cli("check", "--format", "json")
    head = json.loads(first.output)["audit_chain"]["head"]
    assert cli("check", "--anchor", head).exit_code == 0
    behind_the_triggers(closed, "DELETE FROM audit_chain WHERE hash = "
                                f"'{head}'")
    cut = cli("check", "--anchor", head)
    assert cut.exit_code == 1
    assert f"The audit chain does not hold {head}" in cut.output
