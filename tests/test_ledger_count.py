"""Stock counts (stock opname): expected against counted, and the differences recorded."""

import pytest

from consign.errors import InsufficientStock, InvalidInput, InvalidRows, PeriodClosed
from consign.models import ClosedPeriod
from tests.ledger_support import wib

# the ledger tests' fixtures


@pytest.fixture
def stocked(book, shop):
    book.place("ATRIA", "IKM-0001", [("BTK-001", 5, 140_000), ("BTK-002", 2, None)],
               at=wib("2020-10-01 09:00"))
    book.place("ATRIA", "IKM-0002", [("KRM-001", 3, None)], at=wib("2020-10-01 09:00"))
    return book


def sheet(tmp_path, text: str):
    path = tmp_path / "opname.csv"
    path.write_text("sku,counted\n" + text)
    return path


def test_a_count_shows_expected_against_counted_and_writes_nothing(stocked, tmp_path, snapshot):
    before = snapshot()
    result = stocked.count("ATRIA", sheet(tmp_path, "BTK-001,4\nBTK-002,3\n"))
    assert [(line.sku, line.expected, line.counted, line.difference) for line in result.lines] == [
        ("BTK-001", 5, 4, -1), ("BTK-002", 2, 3, 1)]
    assert [(line.sku, line.expected) for line in result.not_counted] == [("KRM-001", 3)]
    assert result.note is None
    assert snapshot() == before


def test_an_applied_count_records_a_shortage_like_a_loss_and_a_surplus_as_found(
    stocked, tmp_path
):
    result = stocked.count("ATRIA", sheet(tmp_path, "BTK-001,4\nBTK-002,3\nKRM-001,3\n"),
                           apply=True, at=wib("2020-10-31 18:00"))
    counted = [(m.product_id, m.qty, m.liable, m.unit_price, m.note_id)
               for m in stocked.movements() if m.kind == "counted"]
    assert counted == [(1, -1, "hotel", 140_000, result.note.id), (2, 1, None, None,
                                                                    result.note.id)]
    assert [m.id for m in result.note.movements] == [4, 5]
    assert stocked.stock() == {("ATRIA", "BTK-001"): 4, ("ATRIA", "BTK-002"): 3,
                               ("ATRIA", "KRM-001"): 3}


def test_a_count_may_put_the_shortage_on_the_consignor(stocked, tmp_path):
    stocked.count("ATRIA", sheet(tmp_path, "BTK-001,0\n"), apply=True, liable="consignor")
    assert [m.liable for m in stocked.movements() if m.kind == "counted"] == ["consignor"]


def test_a_count_that_matches_the_ledger_records_the_count_and_no_movement(stocked, tmp_path):
    result = stocked.count("ATRIA", sheet(tmp_path, "BTK-001,5\n"), apply=True)
    assert result.note.number == "SO-2020-00001"
    assert result.note.movements == ()


def test_a_count_of_goods_never_placed_at_that_hotel_is_refused_as_a_bad_row(
    stocked, tmp_path, snapshot
):
    before = snapshot()
    path = sheet(tmp_path, "KRM-001,1\nBTK-001,0\n")
    with pytest.raises(InvalidRows) as refused:
        stocked.count("TUGU", path, apply=True)
    assert refused.value.message == (
        f"{path}:2: KRM-001 was never placed at TUGU; count only goods placed there")
    assert refused.value.exit_code == 1
    assert snapshot() == before


def test_a_backdated_count_cannot_remove_what_later_sales_took(stocked, tmp_path, snapshot):
    stocked.sell("ATRIA", "KRM-001", 3, at=wib("2020-10-10 09:00"))
    before = snapshot()
    with pytest.raises(InsufficientStock) as raised:
        stocked.count("ATRIA", sheet(tmp_path, "KRM-001,2\n"), apply=True,
                      at=wib("2020-10-05 09:00"))
    assert raised.value.message == (
        "Cannot record a count of 2 × KRM-001 at ATRIA: only 0 on hand at 2020-10-05 09:00.")
    assert snapshot() == before


def test_every_bad_row_of_a_count_file_is_reported(stocked, tmp_path, snapshot):
    path = sheet(tmp_path, "BTK-001,4\nNOPE,1\nBTK-002,dua\nBTK-001,3\nKRM-001,-1\n")
    before = snapshot()
    with pytest.raises(InvalidRows) as raised:
        stocked.count("ATRIA", path, apply=True)
    assert raised.value.problems == [
        f"{path}:3: unknown SKU NOPE",
        f"{path}:4: counted 'dua' is not a whole number from 0 to 100.000",
        f"{path}:5: BTK-001 is already counted on line 2",
        f"{path}:6: counted '-1' is not a whole number from 0 to 100.000",
    ]
    assert snapshot() == before


def test_a_count_with_an_unknown_liable_party_is_refused(stocked, tmp_path):
    with pytest.raises(InvalidInput, match="liable 'guest' must be one of hotel, consignor"):
        stocked.count("ATRIA", sheet(tmp_path, "BTK-001,4\n"), apply=True, liable="guest")


def test_a_count_cannot_be_applied_in_a_closed_period(stocked, tmp_path, db, ctx, snapshot):
    with db.transaction() as session:
        session.add(ClosedPeriod(hotel_id=1, period="2020-10", closed_at=ctx.now, actor="t"))
    before = snapshot()
    with pytest.raises(PeriodClosed):
        stocked.count("ATRIA", sheet(tmp_path, "BTK-001,4\n"), apply=True,
                      at=wib("2020-10-31 18:00"))
    assert snapshot() == before


def test_to_a_hotels_staff_goods_never_placed_there_are_as_unknown_as_goods_that_do_not_exist(
    stocked, db, ctx, tmp_path, snapshot
):
    """KRM-001 is on ATRIA's shelf only: TUGU's staff counting it learn nothing of it, not
    even with a count of 0, which the agency may give; the agency is told why."""
    from consign.context import Context
    from consign.policy import Role
    from tests.ledger_support import Book

    clerk = Book(db, Context.make("tugu-clerk", now=ctx.now, role=Role("hotel", "TUGU")))
    before = snapshot()
    for text in ("KRM-001,1\n", "KRM-001,0\n", "NOPE-1,0\n"):
        path = sheet(tmp_path, text)
        with pytest.raises(InvalidRows) as refused:
            clerk.count("TUGU", path, apply=True)
        sku = text.split(",")[0]
        assert refused.value.message == f"{path}:2: unknown SKU {sku}"
    assert snapshot() == before
    with pytest.raises(InvalidRows) as told:
        stocked.count("TUGU", sheet(tmp_path, "KRM-001,1\n"))
    assert "KRM-001 was never placed at TUGU" in told.value.message
