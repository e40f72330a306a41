"""Movements are never updated or deleted: the ORM refuses it, and so does the database."""

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from consign.models import Movement
from consign.models.ledger import AppendOnlyError
from tests import ledger_support
from tests.ledger_support import wib

# the ledger tests' fixtures
book = ledger_support.book
shop = ledger_support.shop


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
