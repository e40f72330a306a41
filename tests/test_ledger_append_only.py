"""Movements and closed periods are never updated or deleted: the ORM refuses it, and so
does the database."""

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from consign.errors import PeriodClosed
from consign.models import ClosedPeriod, Movement
from consign.models.ledger import AppendOnlyError
from tests.conftest import truncate_all
from tests.ledger_support import wib

# the ledger tests' fixtures


@pytest.fixture
def placed(book, shop):
    book.place("ATRIA", "IKM-0001", [("BTK-001", 3, None)], at=wib("2020-10-01 09:00"))
    return book


def quantities(db) -> list[int]:
    with db.engine.connect() as connection:
        return list(connection.scalars(text("SELECT qty FROM movements ORDER BY id")))


def test_changing_a_movement_through_the_orm_is_refused(placed, db):
    with pytest.raises(AppendOnlyError, match="append-only"), db.transaction() as session:
        session.scalars(select(Movement)).first().qty = 30
    assert quantities(db) == [3]


def test_deleting_a_movement_through_the_orm_is_refused(placed, db):
    with pytest.raises(AppendOnlyError, match="append-only"), db.transaction() as session:
        session.delete(session.scalars(select(Movement)).first())
    assert quantities(db) == [3]


@pytest.mark.parametrize("statement", [update(Movement).values(qty=30), delete(Movement)],
                         ids=["update", "delete"])
def test_bulk_orm_statements_on_movements_are_refused(placed, db, statement):
    with pytest.raises(AppendOnlyError, match="append-only"), db.transaction() as session:
        session.execute(statement)
    assert quantities(db) == [3]


@pytest.mark.parametrize("sql", ["UPDATE movements SET qty = 30", "DELETE FROM movements"],
                         ids=["update", "delete"])
def test_the_database_refuses_to_update_or_delete_a_movement(placed, db, sql):
    with pytest.raises(DBAPIError, match="movements are append-only"), db.engine.begin() as conn:
        conn.execute(text(sql))
    assert quantities(db) == [3]


@pytest.fixture
def closed(placed, db, ctx):
    """ATRIA's October is closed: no movement may be dated in it."""
    with db.transaction() as session:
        session.add(ClosedPeriod(hotel_id=1, period="2020-10", closed_at=ctx.now, actor="t"))
    return placed


def closes(db) -> list[tuple[int, str]]:
    with db.engine.connect() as connection:
        return list(connection.execute(text("SELECT hotel_id, period FROM closed_periods")))


def test_reopening_or_changing_a_closed_period_through_the_orm_is_refused(closed, db):
    with pytest.raises(AppendOnlyError, match="the close of 2020-10 for hotel 1 cannot be "
                                              "changed or undone"), db.transaction() as session:
        session.delete(session.scalars(select(ClosedPeriod)).one())
    with pytest.raises(AppendOnlyError, match="closed_periods are append-only"), \
            db.transaction() as session:
        session.scalars(select(ClosedPeriod)).one().period = "2020-09"
    assert closes(db) == [(1, "2020-10")]


@pytest.mark.parametrize("statement", [update(ClosedPeriod).values(period="2020-09"),
                                       delete(ClosedPeriod)], ids=["update", "delete"])
def test_bulk_orm_statements_on_closed_periods_are_refused(closed, db, statement):
    with pytest.raises(AppendOnlyError, match="closed_periods are append-only: no UPDATE"), \
            db.transaction() as session:
        session.execute(statement)
    assert closes(db) == [(1, "2020-10")]


@pytest.mark.parametrize("sql", ["UPDATE closed_periods SET period = '2020-09'",
                                 "DELETE FROM closed_periods"], ids=["update", "delete"])
def test_the_database_refuses_to_reopen_a_closed_period(closed, db, sql):
    with pytest.raises(DBAPIError, match="closed_periods are append-only"), \
            db.engine.begin() as connection:
        connection.execute(text(sql))
    assert closes(db) == [(1, "2020-10")]
    with pytest.raises(PeriodClosed):
        closed.sell("ATRIA", "BTK-001", at=wib("2020-10-20 09:00"))


def test_the_test_fixtures_still_empty_every_table_on_postgresql(closed, db):
    if db.is_sqlite:
        pytest.skip("SQLite tests start from a copy of a migrated file, not a TRUNCATE")
    truncate_all(db)
    assert closes(db) == []
    assert quantities(db) == []
