"""A sale with a receipt number is recorded once per (hotel, receipt, SKU)."""

import pytest

from consign.errors import ReceiptConflict
from tests import ledger_support
from tests.ledger_support import wib

# the ledger tests' fixtures
book = ledger_support.book
shop = ledger_support.shop


@pytest.fixture
def stocked(book, shop):
    book.place("ATRIA", "IKM-0001", [("BTK-001", 5, None), ("BTK-002", 5, None)],
               at=wib("2020-10-01 09:00"))
    book.place("TUGU", "IKM-0001", [("BTK-001", 5, None)], at=wib("2020-10-01 09:00"))
    return book


def test_the_same_sale_logged_again_is_already_recorded_and_changes_nothing(stocked, snapshot):
    first = stocked.sell("ATRIA", "BTK-001", 2, receipt="INV-7", at=wib("2020-10-05 14:30"))
    before = snapshot()
    again = stocked.sell("ATRIA", "BTK-001", 2, receipt="INV-7", at=wib("2020-10-05 14:31"))
    assert again.already_recorded
    assert again.movement.id == first.movement.id
    assert snapshot() == before
    assert stocked.stock()[("ATRIA", "BTK-001")] == 3


def test_a_receipt_with_another_quantity_or_price_is_a_conflict(stocked, snapshot):
    stocked.sell("ATRIA", "BTK-001", 2, receipt="INV-7")
    before = snapshot()
    with pytest.raises(ReceiptConflict) as quantity:
        stocked.sell("ATRIA", "BTK-001", 3, receipt="INV-7")
    with pytest.raises(ReceiptConflict) as price:
        stocked.sell("ATRIA", "BTK-001", 2, price=140_000, receipt="INV-7")
    assert quantity.value.message == (
        "Receipt INV-7 at ATRIA already records 2 × BTK-001 at Rp150.000 (movement 4); "
        "this sale says 3 × BTK-001 at Rp150.000.")
    assert price.value.message.endswith("this sale says 2 × BTK-001 at Rp140.000.")
    assert snapshot() == before


def test_one_receipt_may_hold_several_skus_and_other_hotels_have_their_own_receipts(stocked):
    stocked.sell("ATRIA", "BTK-001", 1, receipt="INV-7")
    assert not stocked.sell("ATRIA", "BTK-002", 1, receipt="INV-7").already_recorded
    assert not stocked.sell("TUGU", "BTK-001", 1, receipt="INV-7").already_recorded
    assert stocked.count_movements() == 6


def test_a_sale_without_a_receipt_is_never_taken_for_a_repeat(stocked):
    stocked.sell("ATRIA", "BTK-001", 1)
    assert not stocked.sell("ATRIA", "BTK-001", 1).already_recorded
    assert stocked.stock()[("ATRIA", "BTK-001")] == 3


def test_a_repeated_receipt_of_the_last_item_is_already_recorded_not_out_of_stock(stocked):
    stocked.sell("ATRIA", "BTK-001", 5, receipt="INV-9")
    assert stocked.sell("ATRIA", "BTK-001", 5, receipt="INV-9").already_recorded
