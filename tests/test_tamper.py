"""Nothing that must never change can change unseen (SPEC section 4a): raw SQL against
the append-only tables is refused by the database itself, on SQLite and PostgreSQL; and
with the triggers out of the way, ``consign check`` finds each alteration."""

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
    "UPDATE counters SET value = 0",
    "DELETE FROM counters",
]
TRUNCATED = ["movements", "notes", "closed_periods", "audit_log", "audit_chain", "audit_queue",
             "documents", "statements", "statement_lines", "statement_stock", "counters"]


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
    """Run ``statements`` as someone who disabled the triggers would."""
    with db.engine.begin() as connection:
        if db.is_sqlite:
            names = connection.execute(text(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars().all()
            for name in names:
                connection.execute(text(f"DROP TRIGGER {name}"))
        else:
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
        "recorded_at, actor) SELECT 99, kind, hotel_id, product_id, qty, unit_price, at, "
        "recorded_at, actor FROM movements WHERE id = 1",
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
