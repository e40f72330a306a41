"""Hand-computed ledger scenarios: what is on the shelf, when, and what each note is called."""

from datetime import date

from consign.errors import InsufficientStock
from consign.periods import Period
from consign.services import check, ledger
from tests.ledger_support import WIB, wib

# the ledger tests' fixtures

ATRIA = ("ATRIA", "BTK-001")


def a_month_at_atria(book):
    """10 × BTK-001 placed on 1 October, then sales, a return, a loss and a count."""
    book.place("ATRIA", "IKM-0001", [("BTK-001", 10, None), ("BTK-002", 4, 85_000)],
               at=wib("2020-10-01 09:00"))
    book.sell("ATRIA", "BTK-001", 3, at=wib("2020-10-05 14:30"))           # 7 left
    book.sell("ATRIA", "BTK-001", 2, at=wib("2020-10-12 10:00"))           # 5 left
    book.sell("ATRIA", "BTK-002", 1, at=wib("2020-10-12 11:00"))           # BTK-002: 3
    book.return_goods("ATRIA", [("BTK-001", 1)], at=wib("2020-10-20 16:00"))  # 4 left
    book.write_off("ATRIA", "damaged", "hotel", "stained by a guest", [("BTK-001", 1)],
                   at=wib("2020-10-25 08:00"))                            # 3 left


def test_stock_follows_placements_sales_returns_and_losses_at_every_moment(book, shop, tmp_path):
    a_month_at_atria(book)
    counted = tmp_path / "opname.csv"
    counted.write_text("sku,counted\nBTK-001,2\nBTK-002,3\n")
    result = book.count("ATRIA", counted, apply=True, at=wib("2020-10-31 18:00"))  # 2 left
    assert [(line.sku, line.expected, line.counted) for line in result.lines] == [
        ("BTK-001", 3, 2), ("BTK-002", 3, 3)]
    expected = {
        wib("2020-10-01 08:59"): None,
        wib("2020-10-01 09:00"): 10,
        ledger.end_of_day(date(2020, 10, 5), WIB): 7,
        wib("2020-10-12 10:00"): 5,
        ledger.end_of_day(date(2020, 10, 20), WIB): 4,
        wib("2020-10-25 08:00"): 3,
        ledger.end_of_day(date(2020, 10, 31), WIB): 2,
    }
    for moment, on_hand in expected.items():
        assert book.stock(as_of=moment).get(ATRIA) == on_hand, moment
    assert book.stock() == {("ATRIA", "BTK-001"): 2, ("ATRIA", "BTK-002"): 3}


def test_stock_lists_hotel_consignor_sku_name_and_units_and_filters_by_both(book, shop, db):
    a_month_at_atria(book)
    book.place("TUGU", "IKM-0002", [("KRM-001", 6, None)], at=wib("2020-10-02 09:00"))
    with db.transaction(readonly=True) as session:
        rows = ledger.stock(session)
        assert [(r.hotel, r.consignor, r.sku, r.name, r.on_hand) for r in rows] == [
            ("ATRIA", "IKM-0001", "BTK-001", "Batik tulis motif Kendedes", 3),
            ("ATRIA", "IKM-0001", "BTK-002", "Batik cap motif Teratai", 3),
            ("TUGU", "IKM-0002", "KRM-001", "Vas keramik Dinoyo", 6),
        ]
        assert [r.sku for r in ledger.stock(session, hotel="TUGU")] == ["KRM-001"]
        assert [r.sku for r in ledger.stock(session, consignor="IKM-0001")] == [
            "BTK-001", "BTK-002"]
        assert ledger.stock(session, hotel="TUGU", consignor="IKM-0001") == []
        assert check.run(session, WIB, check.LEDGER_CHECKS) == []


def test_notes_are_numbered_per_kind_and_year_without_gaps(book, shop, tmp_path):
    first = book.place("ATRIA", "IKM-0001", [("BTK-001", 5, None)], at=wib("2020-10-01 09:00"))
    second = book.place("TUGU", "IKM-0001", [("BTK-001", 5, None)], at=wib("2020-10-01 10:00"))
    earlier = book.place("ATRIA", "IKM-0001", [("BTK-002", 5, None)], at=wib("2019-12-31 23:00"))
    [returned] = book.return_goods("ATRIA", [("BTK-001", 1)], at=wib("2020-10-02 09:00"))
    [lost] = book.write_off("ATRIA", "lost", "hotel", "missing", [("BTK-001", 1)],
                          at=wib("2020-10-03 09:00"))
    counted = tmp_path / "count.csv"
    counted.write_text("sku,counted\nBTK-001,3\n")
    count = book.count("ATRIA", counted, apply=True, at=wib("2020-10-04 09:00")).note
    assert [first.number, second.number, earlier.number] == [
        "PL-2020-00001", "PL-2020-00002", "PL-2019-00001"]
    assert [returned.number, lost.number, count.number] == [
        "RT-2020-00001", "LS-2020-00001", "SO-2020-00001"]


def test_a_placement_is_one_note_with_a_placed_movement_per_line_at_its_price(book, shop):
    note = book.place("ATRIA", "IKM-0001", [("BTK-001", 5, None), ("BTK-002", 2, 80_000)],
                      at=wib("2020-10-01 09:00"))
    assert note.kind == "placement"
    assert [(m.kind, m.sku, m.qty, m.unit_price, m.note_id, m.actor)
            for m in note.movements] == [
        ("placed", "BTK-001", 5, 150_000, note.id, "tester"),
        ("placed", "BTK-002", 2, 80_000, note.id, "tester")]
    assert all(m.at == wib("2020-10-01 09:00") for m in note.movements)
    assert all(m.recorded_at == book.ctx.now for m in note.movements)


def test_a_sale_is_priced_at_the_latest_placement_at_that_hotel_else_the_list_price(book, shop):
    book.place("ATRIA", "IKM-0001", [("BTK-001", 2, 140_000)], at=wib("2020-10-01 09:00"))
    book.place("ATRIA", "IKM-0001", [("BTK-001", 2, 145_000)], at=wib("2020-10-10 09:00"))
    repriced = book.place("ATRIA", "IKM-0001", [("BTK-001", 2, 999_000)],
                          at=wib("2020-10-11 09:00"))
    book.void(repriced.movements[0].id, "wrong price")
    book.place("TUGU", "IKM-0002", [("KRM-001", 2, None)], at=wib("2020-10-01 09:00"))
    assert book.sell("ATRIA", "BTK-001", at=wib("2020-10-05 09:00")).movement.unit_price == 140_000
    assert book.sell("ATRIA", "BTK-001", at=wib("2020-10-12 09:00")).movement.unit_price == 145_000
    assert book.sell("ATRIA", "BTK-001", price=120_000).movement.unit_price == 120_000
    assert book.sell("TUGU", "KRM-001").movement.unit_price == 75_000


def test_a_sale_records_who_when_receipt_and_payment(book, shop):
    book.place("ATRIA", "IKM-0001", [("BTK-001", 2, None)], at=wib("2020-10-01 09:00"))
    sale = book.sell("ATRIA", "BTK-001", 2, at=wib("2020-10-05 14:30"), receipt="INV-0042",
                     payment="qris")
    movement = sale.movement
    assert not sale.already_recorded
    assert (movement.kind, movement.qty, movement.unit_price, movement.receipt,
            movement.payment, movement.actor) == ("sold", -2, 150_000, "INV-0042", "qris",
                                                  "tester")
    assert movement.at == wib("2020-10-05 14:30")
    assert movement.recorded_at == book.ctx.now


def test_a_sale_without_a_time_is_dated_now(book, shop):
    book.place("ATRIA", "IKM-0001", [("BTK-001", 2, None)])
    assert book.sell("ATRIA", "BTK-001").movement.at == book.ctx.now


def test_the_wib_day_boundary_puts_late_evening_in_october_and_early_morning_in_november(
    book, shop
):
    book.place("ATRIA", "IKM-0001", [("BTK-001", 5, None)], at=wib("2020-10-01 09:00"))
    late = book.sell("ATRIA", "BTK-001", at=wib("2020-10-31 23:30")).movement
    early = book.sell("ATRIA", "BTK-001", at=wib("2020-11-01 03:00")).movement
    assert early.at.date() == date(2020, 10, 31)  # still October in UTC
    assert Period.of(late.at, WIB) == Period(2020, 10)
    assert Period.of(early.at, WIB) == Period(2020, 11)
    assert book.stock(as_of=ledger.end_of_day(date(2020, 10, 31), WIB))[ATRIA] == 4
    assert book.stock(as_of=ledger.end_of_day(date(2020, 11, 1), WIB))[ATRIA] == 3


def test_a_backdated_sale_that_would_leave_a_later_moment_negative_is_refused(book, shop):
    book.place("ATRIA", "IKM-0001", [("BTK-001", 2, None)], at=wib("2020-10-01 09:00"))
    book.sell("ATRIA", "BTK-001", 2, at=wib("2020-10-03 09:00"))
    book.place("ATRIA", "IKM-0001", [("BTK-001", 3, None)], at=wib("2020-10-10 09:00"))
    before = book.count_movements()
    try:
        book.sell("ATRIA", "BTK-001", 1, at=wib("2020-10-02 12:00"))
    except InsufficientStock as error:
        assert error.message == ("Cannot sell 1 × BTK-001 at ATRIA: "
                                 "only 0 on hand at 2020-10-02 12:00.")
    else:
        raise AssertionError("a backdated sale took units that were already sold")
    assert book.count_movements() == before
    # on 2020-10-10 and later there are 3, so a sale dated then goes through
    book.sell("ATRIA", "BTK-001", 3, at=wib("2020-10-11 09:00"))
    assert book.stock() == {}


def test_a_backdated_sale_within_what_was_on_hand_then_is_recorded(book, shop, db):
    book.place("ATRIA", "IKM-0001", [("BTK-001", 5, None)], at=wib("2020-10-01 09:00"))
    book.sell("ATRIA", "BTK-001", 2, at=wib("2020-10-10 09:00"))
    book.sell("ATRIA", "BTK-001", 3, at=wib("2020-10-05 09:00"))
    assert book.stock(as_of=wib("2020-10-05 09:00"))[ATRIA] == 2
    assert book.stock() == {}
    with db.transaction(readonly=True) as session:
        assert check.run(session, WIB, check.LEDGER_CHECKS) == []
