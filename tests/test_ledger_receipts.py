"""A sale with a receipt number is recorded once per (hotel, receipt, SKU)."""

import pytest

from consign.errors import InvalidRows, PeriodClosed, ReceiptConflict
from consign.models import ClosedPeriod
from tests.ledger_support import wib

# the ledger tests' fixtures


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
        "Receipt INV-7 at ATRIA already records 2 × BTK-001 at Rp150.000 (movement 4, sold "
        "2020-12-15 12:00); this sale says 3 × BTK-001 at Rp150.000.")
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


def close_october(db, ctx) -> None:
    """What settlement's ``close`` does to the ledger: lock October for ATRIA."""
    with db.transaction() as session:
        session.add(ClosedPeriod(hotel_id=1, period="2020-10", closed_at=ctx.now, actor="t"))


def test_a_sale_logged_again_after_its_period_closed_is_already_recorded(
    stocked, db, ctx, snapshot
):
    first = stocked.sell("ATRIA", "BTK-001", 2, receipt="INV-7", at=wib("2020-10-05 14:30"))
    close_october(db, ctx)
    before = snapshot()
    again = stocked.sell("ATRIA", "BTK-001", 2, receipt="INV-7", at=wib("2020-10-05 14:30"))
    assert (again.already_recorded, again.movement.id) == (True, first.movement.id)
    with pytest.raises(ReceiptConflict, match="already records 2 × BTK-001"):
        stocked.sell("ATRIA", "BTK-001", 1, receipt="INV-7", at=wib("2020-10-05 14:30"))
    with pytest.raises(PeriodClosed, match="its books are closed through 2020-10"):
        stocked.sell("ATRIA", "BTK-001", 2, receipt="INV-8", at=wib("2020-10-05 14:30"))
    assert snapshot() == before


def test_a_till_file_spanning_a_closed_month_end_can_be_imported_again(
    stocked, db, ctx, tmp_path, snapshot
):
    header = "sold_at,sku,qty,unit_price,receipt\n"
    month_end = ("2020-10-30 10:00,BTK-001,1,,INV-1\n2020-10-31 23:30,BTK-001,1,,INV-2\n"
                 "2020-11-01,BTK-001,1,,INV-3\n")
    first = tmp_path / "till.csv"
    first.write_text(header + month_end)
    assert stocked.import_sales("ATRIA", first).added == 3
    close_october(db, ctx)
    again = tmp_path / "till-again.csv"
    again.write_text(header + month_end + "2020-11-02 09:00,BTK-001,1,,INV-4\n")
    result = stocked.import_sales("ATRIA", again)
    assert (result.added, result.already_recorded) == (1, 3)
    late = tmp_path / "late.csv"
    late.write_text(header + month_end + "2020-10-31 12:00,BTK-001,1,,INV-5\n")
    before = snapshot()
    with pytest.raises(InvalidRows) as raised:
        stocked.import_sales("ATRIA", late)
    assert raised.value.problems == [
        f"{late}:5: sold_at '2020-10-31 12:00' falls in a period already closed for ATRIA"]
    assert raised.value.exit_code == 1
    assert snapshot() == before
