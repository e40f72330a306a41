"""``stock``'s value and age: on hand × the latest placement's price (else the list price),
the days on display of the oldest unit first in first out, and whether it is due back
(the pure rules of :mod:`consign.aging`, then the query and the command)."""

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import event

from consign.aging import Age, Lot, Move, age, on_shelf
from consign.services import ledger
from tests.ledger_support import WIB, wib

OCT_1, OCT_3, OCT_5, OCT_10 = (date(2020, 10, day) for day in (1, 3, 5, 10))


def placed(move_id: int, qty: int, day: date) -> Move:
    return Move(move_id, "placed", qty, day)


def taken(move_id: int, kind: str, qty: int, day: date) -> Move:
    return Move(move_id, kind, -qty, day)


def void(move_id: int, root: int, day: date) -> Move:
    """A reversal in the chain of voids of ``root`` (its sign does not matter to aging)."""
    return Move(move_id, "reversal", 0, day, root)


def ninety(_day: date) -> int:
    return 90


# ---- the rules, by hand ------------------------------------------------------------------

def test_the_last_unit_left_is_the_one_that_came_last():
    lots = on_shelf([placed(1, 3, OCT_1), placed(2, 2, OCT_10), taken(3, "sold", 4, OCT_10)])
    assert lots == [Lot(OCT_10, 1)]
    # 31 October - 10 October = 21 days; 10 October + 90 days = 8 January 2021
    assert age(lots, date(2020, 10, 31), ninety) == Age(OCT_10, 21, date(2021, 1, 8), False)


def test_a_sale_of_the_very_last_unit_leaves_an_empty_shelf_with_no_age():
    lots = on_shelf([placed(1, 2, OCT_1), taken(2, "sold", 1, OCT_3),
                     taken(3, "sold", 1, OCT_5)])
    assert lots == []
    assert age(lots, OCT_10, ninety) is None


def test_a_return_takes_the_oldest_units_first():
    lots = on_shelf([placed(1, 2, OCT_1), placed(2, 4, OCT_3), taken(3, "returned", 3, OCT_5)])
    assert lots == [Lot(OCT_3, 3)]
    assert age(lots, OCT_10, ninety).days == 7


def test_losses_and_a_count_shortage_take_the_oldest_and_a_surplus_is_dated_at_the_count():
    lots = on_shelf([placed(1, 4, OCT_1), taken(2, "lost", 1, OCT_3),
                     taken(3, "counted", 1, OCT_5), Move(4, "counted", 2, OCT_10)])
    assert lots == [Lot(OCT_1, 2), Lot(OCT_10, 2)]
    assert on_shelf([placed(1, 4, OCT_1), Move(2, "counted", 2, OCT_3),
                     taken(3, "damaged", 5, OCT_5)]) == [Lot(OCT_3, 1)]


def test_a_voided_placement_does_not_count_and_a_void_of_that_void_puts_it_back():
    moves = [placed(1, 5, OCT_1), placed(2, 5, OCT_3), void(3, 1, OCT_5)]
    assert on_shelf(moves) == [Lot(OCT_3, 5)]
    assert on_shelf([*moves, void(4, 1, OCT_10)]) == [Lot(OCT_1, 5), Lot(OCT_3, 5)]


def test_a_voided_sale_never_took_its_units():
    assert on_shelf([placed(1, 3, OCT_1), placed(2, 1, OCT_3), taken(3, "sold", 2, OCT_5),
                     void(4, 3, OCT_10)]) == [Lot(OCT_1, 3), Lot(OCT_3, 1)]


def test_units_taken_from_a_placement_voided_later_are_paid_from_the_next_to_come():
    # 5 placed, 3 sold, 10 placed, the first placement voided: 12 - 5 = 7 on hand
    assert on_shelf([placed(1, 5, OCT_1), taken(2, "sold", 3, OCT_3), placed(3, 10, OCT_5),
                     void(4, 1, OCT_10)]) == [Lot(OCT_5, 7)]


def test_goods_are_due_back_from_the_day_after_their_due_date():
    lots = [Lot(OCT_1, 2)]
    due_on = date(2020, 12, 30)  # 1 October + 90 days
    assert age(lots, due_on, ninety) == Age(OCT_1, 90, due_on, False)
    assert age(lots, due_on + timedelta(days=1), ninety) == Age(OCT_1, 91, due_on, True, 2)


def test_the_units_past_their_term_are_those_of_the_lots_whose_own_term_is_over():
    """A shelf is due back from its oldest lot's term; what is to be taken back are the
    units of each lot whose own term is over, not the units that came since."""
    def term(day: date) -> int:
        return 30 if day >= OCT_5 else 90

    lots = [Lot(OCT_1, 2), Lot(OCT_5, 3), Lot(date(2020, 12, 30), 4)]
    assert age(lots, date(2020, 11, 4), term).past_term == 0  # 5 Oct + 30 days: not yet
    assert age(lots, date(2020, 11, 5), term).past_term == 3  # 5 October's lot
    assert age(lots, date(2020, 12, 31), term).past_term == 5  # and 1 October's
    assert age(lots, date(2020, 12, 31), term).due_on == date(2020, 12, 30)


def test_the_display_term_is_the_one_in_force_on_the_day_the_oldest_unit_came():
    def term(day: date) -> int:
        return 30 if day >= OCT_3 else 90

    assert age([Lot(OCT_5, 1), Lot(OCT_10, 1)], OCT_10, term).due_on == date(2020, 11, 4)
    assert age([Lot(OCT_1, 1), Lot(OCT_5, 1)], OCT_10, term).due_on == date(2020, 12, 30)


# ---- through the ledger ---------------------------------------------------------------------

def shelf(db, **kwargs) -> dict:
    """``{(hotel, sku): (on_hand, value, oldest_days, due_on, due_back)}``."""
    with db.transaction(readonly=True) as session:
        return {(r.hotel, r.sku): (r.on_hand, r.value, r.oldest_days, r.due_on, r.due_back)
                for r in ledger.stock(session, tz=WIB, **kwargs)}


def test_value_is_at_the_latest_placement_price_in_force_as_of_the_date(db, book, shop):
    book.place("ATRIA", "IKM-0001", [("BTK-001", 3, 140_000)], at=wib("2020-10-01 09:00"))
    book.place("ATRIA", "IKM-0001", [("BTK-001", 2, 160_000)], at=wib("2020-10-10 09:00"))
    wrong = book.place("ATRIA", "IKM-0001", [("BTK-001", 1, 200_000)],
                       at=wib("2020-10-12 09:00"))
    book.void(wrong.movements[0].id, "wrong price", at=wib("2020-10-12 10:00"))
    assert shelf(db, as_of="2020-10-05")[("ATRIA", "BTK-001")][:2] == (3, 420_000)
    assert shelf(db, as_of="2020-10-31")[("ATRIA", "BTK-001")][:2] == (5, 800_000)
    assert shelf(db)[("ATRIA", "BTK-001")][:2] == (5, 800_000)


def test_value_is_at_the_list_price_when_no_placement_of_it_is_in_force(db, book, shop,
                                                                        tmp_path):
    note = book.place("ATRIA", "IKM-0001", [("BTK-002", 2, 80_000)], at=wib("2020-10-01 09:00"))
    sheet = tmp_path / "count.csv"
    sheet.write_text("sku,counted\nBTK-002,3\n")
    book.count("ATRIA", sheet, apply=True, at=wib("2020-10-02 18:00"))
    book.void(note.movements[0].id, "placed at the wrong hotel", at=wib("2020-10-03 09:00"))
    # one unit found by the count is left, dated at the count; BTK-002's list price is 90.000
    assert shelf(db, as_of="2020-10-31") == {
        ("ATRIA", "BTK-002"): (1, 90_000, 29, date(2020, 12, 31), False)}


def test_the_oldest_unit_is_read_first_in_first_out_from_the_ledger(db, book, shop):
    first = book.place("ATRIA", "IKM-0001", [("BTK-001", 5, None)], at=wib("2020-10-01 09:00"))
    book.place("ATRIA", "IKM-0001", [("BTK-001", 5, None)], at=wib("2020-10-03 09:00"))
    book.place("ATRIA", "IKM-0001", [("BTK-002", 4, None)], at=wib("2020-10-01 09:00"))
    book.return_goods("ATRIA", [("BTK-002", 3)], at=wib("2020-10-04 09:00"))
    book.place("ATRIA", "IKM-0001", [("BTK-002", 4, None)], at=wib("2020-10-05 09:00"))
    book.sell("ATRIA", "BTK-002", 1, at=wib("2020-10-06 09:00"))
    book.void(first.movements[0].id, "never arrived", at=wib("2020-10-04 09:00"))
    assert shelf(db, as_of="2020-10-03")[("ATRIA", "BTK-001")][2] == 2  # before the void
    on_31 = shelf(db, as_of="2020-10-31")
    assert on_31[("ATRIA", "BTK-001")][2] == 28  # the placement of 3 October
    assert on_31[("ATRIA", "BTK-002")][2] == 26  # 1 Oct's last unit sold, 5 Oct's remain


def test_days_on_display_are_counted_in_the_business_time_zone(db, book, shop):
    # 00:30 on 1 October in Malang is still 30 September in UTC
    book.place("ATRIA", "IKM-0001", [("BTK-001", 1, None)], at=wib("2020-10-01 00:30"))
    assert shelf(db, as_of="2020-10-31")[("ATRIA", "BTK-001")][2:] == (
        30, date(2020, 12, 30), False)
    assert shelf(db, as_of="2020-12-31 00:10")[("ATRIA", "BTK-001")][2:] == (
        91, date(2020, 12, 30), True)


def test_goods_are_due_back_after_the_display_term_of_their_pair_on_the_day_they_came(
    db, book, shop, make_terms
):
    make_terms(consignor="IKM-0001", rate_bp=1500, valid_from=date(2020, 10, 15),
               display_days=30)
    book.place("ATRIA", "IKM-0001", [("BTK-001", 1, None)], at=wib("2020-10-01 09:00"))
    book.place("ATRIA", "IKM-0001", [("BTK-002", 1, None)], at=wib("2020-10-20 09:00"))
    book.place("ATRIA", "IKM-0002", [("KRM-001", 1, None)], at=wib("2020-10-20 09:00"))
    on_nov_19 = shelf(db, as_of="2020-11-19")
    assert on_nov_19[("ATRIA", "BTK-001")][3:] == (date(2020, 12, 30), False)  # default 90
    assert on_nov_19[("ATRIA", "BTK-002")][3:] == (date(2020, 11, 19), False)  # the pair's 30
    assert on_nov_19[("ATRIA", "KRM-001")][3:] == (date(2021, 1, 18), False)  # default 90
    assert shelf(db, as_of="2020-11-20")[("ATRIA", "BTK-002")][3:] == (
        date(2020, 11, 19), True)


def test_without_a_date_the_age_is_of_the_day_now_given(db, book, shop):
    book.place("ATRIA", "IKM-0001", [("BTK-001", 2, None)], at=wib("2020-10-01 09:00"))
    assert shelf(db, now=wib("2020-12-31 08:00"))[("ATRIA", "BTK-001")] == (
        2, 300_000, 91, date(2020, 12, 30), True)
    assert shelf(db)[("ATRIA", "BTK-001")] == (2, 300_000, None, None, None)


def test_stock_reads_every_shelf_in_a_fixed_number_of_queries(db, book, shop):
    def statements(**kwargs) -> int:
        seen = []

        def count(_connection, _cursor, statement, *_args):
            if not statement.lstrip().upper().startswith("BEGIN"):  # SQLite's own BEGIN
                seen.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            shelf(db, now=wib("2020-12-15 12:00"), **kwargs)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(seen)

    book.place("ATRIA", "IKM-0001", [("BTK-001", 2, None)], at=wib("2020-10-01 09:00"))
    one_shelf = statements()
    for hotel in ("ATRIA", "TUGU"):
        book.place(hotel, "IKM-0001", [("BTK-001", 2, None), ("BTK-002", 3, None)],
                   at=wib("2020-10-02 09:00"))
        book.place(hotel, "IKM-0002", [("KRM-001", 1, None)], at=wib("2020-10-03 09:00"))
        book.sell(hotel, "BTK-002", 1, at=wib("2020-10-04 09:00"))
    assert len(shelf(db)) == 6
    assert statements() == one_shelf <= 3
    assert statements(as_of="2020-10-31") == one_shelf


# ---- the command ------------------------------------------------------------------------------

@pytest.fixture
def placed_at_atria(cli, shop):
    for args in (("--at", "2020-10-01 09:00", "BTK-001=3@140000", "BTK-002=2"),
                 ("--at", "2020-10-10 09:00", "BTK-001=2@160000")):
        result = cli("place", "--hotel", "ATRIA", "--consignor", "IKM-0001", *args)
        assert result.exit_code == 0, result.output
    assert cli("sell", "--hotel", "ATRIA", "BTK-001", "--qty", "3", "--at",
               "2020-10-12 10:00").exit_code == 0
    return cli


def test_stock_as_json_has_value_oldest_days_and_due_back(placed_at_atria):
    rows = json.loads(placed_at_atria("stock", "--as-of", "2020-12-30", "--format",
                                      "json").output)
    assert rows == [
        {"hotel": "ATRIA", "consignor": "IKM-0001", "sku": "BTK-001",
         "name": "Batik tulis motif Kendedes", "on_hand": 2, "value": 320_000,
         "oldest_days": 81, "due_on": "2021-01-08", "due_back": False},
        {"hotel": "ATRIA", "consignor": "IKM-0001", "sku": "BTK-002",
         "name": "Batik cap motif Teratai", "on_hand": 2, "value": 180_000,
         "oldest_days": 90, "due_on": "2020-12-30", "due_back": False},
    ]
    later = json.loads(placed_at_atria("stock", "--as-of", "2020-12-31", "--format",
                                       "json").output)
    assert [(row["sku"], row["oldest_days"], row["due_back"]) for row in later] == [
        ("BTK-001", 82, False), ("BTK-002", 91, True)]


def test_the_stock_table_shows_the_value_in_rupiah(placed_at_atria):
    assert placed_at_atria("stock", "--as-of", "2020-12-31").output.splitlines() == [
        "hotel  consignor  sku      name                        on_hand      value  "
        "oldest_days  due_on      due_back",
        "-----  ---------  -------  --------------------------  -------  ---------  "
        "-----------  ----------  --------",
        "ATRIA  IKM-0001   BTK-001  Batik tulis motif Kendedes        2  Rp320.000  "
        "         82  2021-01-08  no",
        "ATRIA  IKM-0001   BTK-002  Batik cap motif Teratai           2  Rp180.000  "
        "         91  2020-12-30  yes",
    ]
    assert placed_at_atria("stock", "--as-of", "2020-12-31", "--format",
                           "csv").output.splitlines()[1] == (
        "ATRIA,IKM-0001,BTK-001,Batik tulis motif Kendedes,2,320000,82,2021-01-08,false")
