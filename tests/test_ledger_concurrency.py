"""Several clerks at the same moment, each in their own process, on SQLite (one file) and on
PostgreSQL: the stock never goes below zero and a receipt is recorded once."""

from collections import Counter

import pytest
from sqlalchemy import select

from consign.models import Movement, Note
from consign.services import check
from tests.conftest import NOW
from tests.ledger_support import WIB, at_once, wib

# the ledger tests' fixtures


def kinds(db) -> Counter:
    with db.transaction(readonly=True) as session:
        return Counter(session.scalars(select(Movement.kind)))


def problems(db) -> list[str]:
    with db.transaction(readonly=True) as session:
        return check.run(session, WIB, check.LEDGER_CHECKS)


@pytest.mark.parametrize(("items", "sellers"), [(3, 8), (1, 6)])
def test_selling_the_last_items_at_once_sells_exactly_as_many_as_there_were(
    book, shop, db_url, db, items, sellers
):
    book.place("ATRIA", "IKM-0001", [("BTK-001", items, None)], at=wib("2020-10-01 09:00"))
    outcomes = at_once(db_url, "sell", ("ATRIA", "BTK-001"), NOW, sellers)
    sold = [o for o in outcomes if o[0] == "sold"]
    refused = [o for o in outcomes if o[0] != "sold"]
    assert len(sold) == items
    assert len({movement_id for _, movement_id in sold}) == items
    assert refused == [("InsufficientStock",
                        "Cannot sell 1 × BTK-001 at ATRIA: only 0 on hand.")] * (sellers - items)
    assert book.stock() == {}
    assert kinds(db) == Counter(placed=1, sold=items)
    assert problems(db) == []


def test_one_receipt_logged_at_once_by_several_clerks_is_recorded_once(book, shop, db_url, db):
    book.place("ATRIA", "IKM-0001", [("BTK-001", 1, None)], at=wib("2020-10-01 09:00"))
    outcomes = at_once(db_url, "sell", ("ATRIA", "BTK-001", 1, None, None, "INV-77"), NOW, 6)
    assert sorted(kind for kind, _ in outcomes) == ["already recorded"] * 5 + ["sold"]
    assert len({movement_id for _, movement_id in outcomes}) == 1
    assert kinds(db) == Counter(placed=1, sold=1)
    assert problems(db) == []


def test_first_placements_at_once_all_count_and_get_consecutive_numbers(book, shop, db_url, db):
    outcomes = at_once(db_url, "place", ("ATRIA", "IKM-0001", [("BTK-001", 2, None)]), NOW, 6)
    assert sorted(number for _, number in outcomes) == [f"PL-2020-0000{n}" for n in range(1, 7)]
    assert book.stock() == {("ATRIA", "BTK-001"): 12}
    with db.transaction(readonly=True) as session:
        assert len(session.scalars(select(Note)).all()) == 6
    assert problems(db) == []


def test_one_movement_voided_at_once_by_several_clerks_is_reversed_once(book, shop, db_url, db):
    book.place("ATRIA", "IKM-0001", [("BTK-001", 2, None)], at=wib("2020-10-01 09:00"))
    sale = book.sell("ATRIA", "BTK-001", 2).movement
    outcomes = at_once(db_url, "void", (sale.id, "rang up twice"), NOW, 6)
    voided = [o for o in outcomes if o[0] == "voided"]
    assert len(voided) == 1
    assert sorted(o[0] for o in outcomes if o[0] != "voided") == ["AlreadyReversed"] * 5
    assert book.stock() == {("ATRIA", "BTK-001"): 2}
    assert problems(db) == []
