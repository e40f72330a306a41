"""``consign movements``: the ledger as a clerk reads it, newest first, filtered; and the
voids a clerk makes of what it shows, by receipt and by note, all or nothing."""

import json

import pytest

from consign.errors import InsufficientStock, InvalidInput, NotFound
from consign.services import ledger
from tests.ledger_support import WIB, wib

# the ledger tests' fixtures


@pytest.fixture
def day(book, shop):
    """A few days at ATRIA and TUGU:

    1 placed 5 × BTK-001 at ATRIA (PL-2020-00001)  3 Oct 09:00
    2 placed 4 × BTK-002 at ATRIA (PL-2020-00001)  3 Oct 09:00
    3 placed 3 × KRM-001 at ATRIA (PL-2020-00002)  3 Oct 09:30
    4 placed 2 × BTK-001 at TUGU (PL-2020-00003)   3 Oct 10:00
    5 sold 1 × BTK-001 at ATRIA, R-0041, cash       5 Oct 14:30
    6 sold 2 × BTK-001 at ATRIA, R-0042, qris       5 Oct 15:00
    7 sold 1 × BTK-002 at ATRIA, R-0042, qris       5 Oct 15:00
    8 sold 1 × KRM-001 at ATRIA, R-0042, qris       5 Oct 15:00
    9 sold 1 × BTK-001 at TUGU, R-0042              6 Oct 11:00
    10 returned 1 × BTK-002 at ATRIA (RT-2020-00001) 7 Oct 10:00
    11 reversal of 5                                 7 Oct 12:00
    """
    book.place("ATRIA", "IKM-0001", [("BTK-001", 5, None), ("BTK-002", 4, None)],
               at=wib("2020-10-03 09:00"))
    book.place("ATRIA", "IKM-0002", [("KRM-001", 3, None)], at=wib("2020-10-03 09:30"))
    book.place("TUGU", "IKM-0001", [("BTK-001", 2, None)], at=wib("2020-10-03 10:00"))
    book.sell("ATRIA", "BTK-001", 1, receipt="R-0041", payment="cash", at=wib("2020-10-05 14:30"))
    for sku, qty in (("BTK-001", 2), ("BTK-002", 1), ("KRM-001", 1)):
        book.sell("ATRIA", sku, qty, receipt="R-0042", payment="qris",
                  at=wib("2020-10-05 15:00"))
    book.sell("TUGU", "BTK-001", 1, receipt="R-0042", at=wib("2020-10-06 11:00"))
    book.return_goods("ATRIA", [("BTK-002", 1)], at=wib("2020-10-07 10:00"))
    book.void(5, "tamu batal", at=wib("2020-10-07 12:00"))
    return book


def ids(book, **filters) -> list[int]:
    with book.db.transaction(readonly=True) as session:
        return [m.id for m in ledger.movements(session, book.ctx.tz, **filters)]


def test_the_ledger_is_listed_newest_first_with_who_and_what_reversed_it(day):
    with day.db.transaction(readonly=True) as session:
        found = ledger.movements(session, day.ctx.tz)
    assert [m.id for m in found] == [11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]
    sale = next(m for m in found if m.id == 5)
    assert (sale.kind, sale.sku, sale.qty, sale.unit_price, sale.receipt, sale.payment,
            sale.actor, sale.reversed_by, sale.reverses) == (
        "sold", "BTK-001", -1, 150_000, "R-0041", "cash", "tester", 11, None)
    reversal = found[0]
    assert (reversal.kind, reversal.reverses, reversal.reversed_by, reversal.note) == (
        "reversal", 5, None, None)
    assert next(m for m in found if m.id == 1).note == "PL-2020-00001"


@pytest.mark.parametrize(("filters", "expected"), [
    ({"hotel": "TUGU"}, [9, 4]),
    ({"consignor": "IKM-0002"}, [8, 3]),
    ({"sku": "BTK-002"}, [10, 7, 2]),
    ({"kind": "sold"}, [9, 8, 7, 6, 5]),
    ({"since": "2020-10-06"}, [11, 10, 9]),
    ({"until": "2020-10-05"}, [8, 7, 6, 5, 4, 3, 2, 1]),
    ({"since": "05/10/2020", "until": "5 Oktober 2020"}, [8, 7, 6, 5]),
    ({"receipt": "R-0042"}, [9, 8, 7, 6]),
    ({"note": "pl-2020-00001"}, [2, 1]),
    ({"note": "RT-2020-00001"}, [10]),
    ({"limit": 2}, [11, 10]),
    # together
    ({"hotel": "ATRIA", "receipt": "R-0042"}, [8, 7, 6]),
    ({"hotel": "ATRIA", "consignor": "IKM-0001", "kind": "sold", "since": "2020-10-05 14:45"},
     [7, 6]),
    ({"sku": "BTK-001", "hotel": "ATRIA", "until": "2020-10-05 14:30"}, [5, 1]),
    ({"hotel": "TUGU", "kind": "returned"}, []),
])
def test_each_filter_alone_and_together(day, filters, expected):
    assert ids(day, **filters) == expected


@pytest.mark.parametrize(("filters", "error", "field"), [
    ({"hotel": "HYATT"}, NotFound, "hotel"),
    ({"sku": "NOPE-1"}, NotFound, "sku"),
    ({"kind": "stolen"}, InvalidInput, "kind"),
    ({"since": "10/13/2020"}, InvalidInput, "from"),
    ({"until": "2100-01-01"}, InvalidInput, "to"),
    ({"note": "XX-2020-00001"}, InvalidInput, "note"),
    ({"note": "PL-2020-00099"}, NotFound, "note"),
    ({"receipt": "R" * 61}, InvalidInput, "receipt"),
    ({"limit": 0}, InvalidInput, "limit"),
])
def test_a_bad_filter_is_refused_naming_it(day, filters, error, field):
    with pytest.raises(error) as refused:
        ids(day, **filters)
    assert refused.value.field == field


# ---- voiding by receipt and by note ------------------------------------------------------------

def test_a_void_by_receipt_reverses_every_line_of_it_still_in_force(day):
    voided = day.void_receipt("ATRIA", "R-0042", "struk dibatalkan", at=wib("2020-10-08 09:00"))
    assert (voided.hotel, voided.receipt, voided.note) == ("ATRIA", "R-0042", None)
    assert [(m.reverses, m.qty, m.sku) for m in voided.movements] == [
        (6, 2, "BTK-001"), (7, 1, "BTK-002"), (8, 1, "KRM-001")]
    assert ids(day, receipt="R-0042", hotel="TUGU") == [9]  # another hotel's receipt R-0042
    with pytest.raises(NotFound, match="Receipt R-0042 at ATRIA has no sale in force"):
        day.void_receipt("ATRIA", "R-0042", "again")


def test_a_void_by_receipt_and_sku_reverses_that_line_only(day):
    voided = day.void_receipt("ATRIA", "R-0042", "salah barang", sku="BTK-002",
                              at=wib("2020-10-08 09:00"))
    assert [m.reverses for m in voided.movements] == [7]
    with pytest.raises(NotFound, match="has no sale for BTK-002 in force"):
        day.void_receipt("ATRIA", "R-0042", "again", sku="BTK-002")


def test_a_void_by_note_reverses_its_lines_still_in_force(day):
    voided = day.void_note("RT-2020-00001", "retur batal", at=wib("2020-10-08 09:00"))
    assert (voided.note, [m.reverses for m in voided.movements]) == ("RT-2020-00001", [10])
    assert day.stock()[("ATRIA", "BTK-002")] == 3


def test_a_void_by_note_that_one_line_refuses_writes_nothing(day, snapshot):
    """PL-2020-00001 placed 5 × BTK-001 and 4 × BTK-002; BTK-001 sold 2 of them since (one
    sale was voided): voiding the placement would take the shelf below zero."""
    before = snapshot()
    with pytest.raises(InsufficientStock):
        day.void_note("PL-2020-00001", "salah hotel", at=wib("2020-10-08 09:00"))
    assert snapshot() == before


def test_a_void_by_receipt_that_one_line_refuses_writes_nothing(day, snapshot):
    """R-0042's KRM-001 line is voided at 14:00 on 5 October, before it was sold: the whole
    receipt is refused, its other lines too."""
    before = snapshot()
    with pytest.raises(Exception, match="a reversal cannot come first"):
        day.void_receipt("ATRIA", "R-0042", "salah", at=wib("2020-10-05 14:00"))
    assert snapshot() == before


def test_a_line_voided_and_put_back_is_voided_again_by_its_receipt(day):
    day.void_receipt("ATRIA", "R-0042", "salah", sku="BTK-001", at=wib("2020-10-08 09:00"))
    day.void(12, "pembatalan keliru", at=wib("2020-10-08 09:30"))  # back in force
    again = day.void_receipt("ATRIA", "R-0042", "struk batal", at=wib("2020-10-08 10:00"))
    assert [(m.reverses, m.qty) for m in again.movements] == [(13, 2), (7, 1), (8, 1)]
    assert day.stock()[("ATRIA", "BTK-001")] == 5


# ---- at the command line ----------------------------------------------------------------------

def test_movements_at_the_command_line(day, cli):
    result = cli("movements", "--hotel", "ATRIA", "--receipt", "R-0042", "--format", "json")
    rows = json.loads(result.output)
    assert set(rows[0]) >= {"id", "at", "kind", "hotel", "consignor", "sku", "qty",
                            "unit_price", "receipt", "payment", "note", "recorded_by",
                            "recorded_at", "reverses", "reversed_by"}
    assert [(r["id"], r["at"], r["sku"], r["qty"], r["payment"]) for r in rows] == [
        (8, "2020-10-05T15:00:00+07:00", "KRM-001", -1, "qris"),
        (7, "2020-10-05T15:00:00+07:00", "BTK-002", -1, "qris"),
        (6, "2020-10-05T15:00:00+07:00", "BTK-001", -2, "qris")]
    table = cli("movements", "--hotel", "ATRIA", "--from", "2020-10-07").output.splitlines()
    assert table[0].split() == ["id", "at", "kind", "sku", "qty", "unit_price", "receipt",
                                "note", "recorded_by", "reversed_by", "in_force"]
    assert table[2].split() == ["11", "2020-10-07", "12:00", "reversal", "BTK-001", "1",
                                "Rp150.000", "-", "-", "tester", "-", "yes"]
    assert table[3].split() == ["10", "2020-10-07", "10:00", "returned", "BTK-002", "-1", "-",
                                "-", "RT-2020-00001", "tester", "-", "yes"]
    sold = cli("movements", "--sku", "BTK-001", "--kind", "sold", "--hotel", "ATRIA",
               "--format", "csv").output.splitlines()
    assert sold[0].startswith("id,kind,hotel,consignor,sku,qty,unit_price,at")
    assert [line.split(",")[0] for line in sold[1:]] == ["6", "5"]


def test_void_by_receipt_and_by_note_at_the_command_line(day, cli):
    by_receipt = json.loads(cli("void", "--hotel", "ATRIA", "--receipt", "R-0042", "--sku",
                                "KRM-001", "--reason", "salah", "--at", "2020-10-08",
                                "--format", "json").output)
    assert (by_receipt["note"], by_receipt["receipt"], by_receipt["hotel"]) == (
        None, "R-0042", "ATRIA")
    assert [(m["id"], m["reverses"]) for m in by_receipt["movements"]] == [(12, 8)]
    by_note = cli("void", "--note", "RT-2020-00001", "--reason", "retur batal", "--at",
                  "2020-10-08")
    assert by_note.output == ("Voided movement 10 (1 × BTK-002 at ATRIA): reversal 13 cancels "
                              "it in its own period.\n")
    undo = json.loads(cli("void", "13", "--reason", "keliru", "--at", "2020-10-08 10:00",
                          "--format", "json").output)
    assert (undo["id"], undo["reverses"], undo["qty"]) == (14, 13, -1)


@pytest.mark.parametrize(("args", "message"), [
    (("void", "--reason", "x"), "give a MOVEMENT_ID, --hotel with --receipt, or --note"),
    (("void", "5", "--note", "PL-2020-00001", "--reason", "x"),
     "give a MOVEMENT_ID, --hotel with --receipt, or --note"),
    (("void", "--receipt", "R-0042", "--reason", "x"), "--receipt needs --hotel"),
    (("void", "5", "--sku", "BTK-001", "--reason", "x"), "--hotel and --sku go with --receipt"),
])
def test_a_void_asked_for_in_two_ways_or_none_is_a_usage_error(day, cli, snapshot, args,
                                                                message):
    before = snapshot()
    result = cli(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert snapshot() == before


def test_a_sale_whose_void_was_voided_reads_in_force_again(day, book):
    sale = book.sell("ATRIA", "BTK-001", 1, at=wib("2020-10-05 15:00")).movement
    void = book.void(sale.id, "salah input", at=wib("2020-10-05 16:00"))
    with book.db.transaction(readonly=True) as session:
        before = {m.id: (m.reversed_by, m.in_force) for m in ledger.movements(session, WIB)}
    assert (before[sale.id], before[void.id]) == ((void.id, False), (None, True))
    undo = book.void(void.id, "ternyata terjual", at=wib("2020-10-05 17:00"))
    with book.db.transaction(readonly=True) as session:
        after = {m.id: (m.reversed_by, m.in_force) for m in ledger.movements(session, WIB)}
    assert (after[sale.id], after[void.id], after[undo.id]) == (
        (void.id, True), (undo.id, False), (None, True))
