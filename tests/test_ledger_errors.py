"""Every refusal a user can meet in the ledger services: its kind, its sentence, and that
nothing was written."""

from datetime import UTC, datetime

import pytest

from consign import errors
from consign.models import ClosedPeriod
from consign.services import check, lookup, registry
from tests.ledger_support import WIB, wib

# the ledger tests' fixtures

OCT1 = wib("2020-10-01 09:00")


def close(db, ctx, hotel: str, period: str) -> None:
    """What settlement's ``close`` does to the ledger: lock the period for the hotel."""
    with db.transaction() as session:
        hotel_id = lookup.hotel(session, hotel).id
        session.add(ClosedPeriod(hotel_id=hotel_id, period=period, closed_at=ctx.now,
                                 actor="tester"))


@pytest.fixture
def stocked(book, shop):
    """ATRIA has 3 × BTK-001 (since 1 October) and 1 × KRM-001."""
    book.place("ATRIA", "IKM-0001", [("BTK-001", 3, None)], at=OCT1)
    book.place("ATRIA", "IKM-0002", [("KRM-001", 1, None)], at=OCT1)
    return book


REFUSALS = [
    ("sell more than on hand",
     lambda b: b.sell("ATRIA", "BTK-001", 5),
     errors.InsufficientStock, "Cannot sell 5 × BTK-001 at ATRIA: only 3 on hand."),
    ("sell what was never placed there",
     lambda b: b.sell("TUGU", "BTK-001"),
     errors.NeverPlaced, "BTK-001 was never placed at TUGU."),
    ("sell before the goods arrived",
     lambda b: b.sell("ATRIA", "BTK-001", at=wib("2020-09-30 09:00")),
     errors.InsufficientStock,
     "Cannot sell 1 × BTK-001 at ATRIA: only 0 on hand at 2020-09-30 09:00."),
    ("sell at an unknown hotel",
     lambda b: b.sell("HYATT", "BTK-001"), errors.NotFound, "No hotel with code HYATT."),
    ("sell an unknown SKU",
     lambda b: b.sell("ATRIA", "XYZ-9"), errors.NotFound, "No product with SKU XYZ-9."),
    ("sell no units",
     lambda b: b.sell("ATRIA", "BTK-001", 0), errors.InvalidInput,
     "qty 0 is not between 1 and 100.000"),
    ("sell at no price",
     lambda b: b.sell("ATRIA", "BTK-001", price=0), errors.InvalidInput,
     "price Rp0 is not between Rp1 and Rp1.000.000.000"),
    ("sell with an unknown payment",
     lambda b: b.sell("ATRIA", "BTK-001", payment="cheque"), errors.InvalidInput,
     "payment 'cheque' must be one of cash, card, qris, transfer"),
    ("sell in the future",
     lambda b: b.sell("ATRIA", "BTK-001", at=datetime(2021, 1, 1, tzinfo=UTC)),
     errors.InvalidInput, "at '2021-01-01 07:00' is in the future"),
    ("place at an unknown hotel",
     lambda b: b.place("HYATT", "IKM-0001", [("BTK-001", 1, None)]),
     errors.NotFound, "No hotel with code HYATT."),
    ("place for an unknown IKM",
     lambda b: b.place("ATRIA", "IKM-0099", [("BTK-001", 1, None)]),
     errors.NotFound, "No IKM with code IKM-0099."),
    ("place another IKM's product",
     lambda b: b.place("ATRIA", "IKM-0001", [("KRM-001", 1, None)]),
     errors.WrongConsignor, "Product KRM-001 belongs to IKM IKM-0002, not IKM-0001."),
    ("place no units",
     lambda b: b.place("ATRIA", "IKM-0001", [("BTK-001", 0, None)]),
     errors.InvalidInput, "BTK-001: qty 0 is not between 1 and 100.000"),
    ("place at no price",
     lambda b: b.place("ATRIA", "IKM-0001", [("BTK-001", 1, 0)]),
     errors.InvalidInput, "BTK-001: price Rp0 is not between Rp1 and Rp1.000.000.000"),
    ("place nothing",
     lambda b: b.place("ATRIA", "IKM-0001", []),
     errors.InvalidInput, "a placement needs at least one line SKU=QTY"),
    ("return more than on hand",
     lambda b: b.return_goods("ATRIA", [("BTK-001", 4)]),
     errors.InsufficientStock, "Cannot return 4 × BTK-001 from ATRIA: only 3 on hand."),
    ("return nothing",
     lambda b: b.return_goods("ATRIA", []),
     errors.InvalidInput, "a return needs at least one line SKU=QTY"),
    ("return a second line that is not there",
     lambda b: b.return_goods("ATRIA", [("BTK-001", 1), ("KRM-001", 2)]),
     errors.InsufficientStock, "Cannot return 2 × KRM-001 from ATRIA: only 1 on hand."),
    ("write off more than on hand",
     lambda b: b.write_off("ATRIA", "lost", "hotel", "gone", [("BTK-001", 4)]),
     errors.InsufficientStock, "Cannot write off 4 × BTK-001 at ATRIA: only 3 on hand."),
    ("write off as an unknown kind",
     lambda b: b.write_off("ATRIA", "stolen", "hotel", "gone", [("BTK-001", 1)]),
     errors.InvalidInput, "kind 'stolen' must be one of lost, damaged"),
    ("write off with an unknown liable party",
     lambda b: b.write_off("ATRIA", "lost", "guest", "gone", [("BTK-001", 1)]),
     errors.InvalidInput, "liable 'guest' must be one of hotel, consignor"),
    ("write off without a reason",
     lambda b: b.write_off("ATRIA", "lost", "hotel", "  ", [("BTK-001", 1)]),
     errors.InvalidInput, "reason is blank"),
    ("void an unknown movement",
     lambda b: b.void(999, "typo"), errors.NotFound, "No movement with id 999."),
    ("void without a reason",
     lambda b: b.void(1, ""), errors.InvalidInput, "reason is blank"),
    ("void dated before the movement",
     lambda b: b.void(1, "typo", at=wib("2020-09-30 09:00")), errors.OutOfOrder,
     "Cannot void movement 1 as of 2020-09-30 09:00: it was recorded for 2020-10-01 09:00, "
     "and a reversal cannot come first."),
]


@pytest.mark.parametrize(("call", "kind", "message"), [case[1:] for case in REFUSALS],
                         ids=[case[0] for case in REFUSALS])
def test_a_refused_ledger_request_says_why_and_writes_nothing(stocked, snapshot, call, kind,
                                                              message):
    before = snapshot()
    with pytest.raises(kind) as raised:
        call(stocked)
    assert raised.value.message == message
    assert snapshot() == before


def test_voiding_a_placement_whose_goods_are_sold_is_refused(stocked, snapshot):
    stocked.sell("ATRIA", "BTK-001", 2)
    before = snapshot()
    with pytest.raises(errors.InsufficientStock) as raised:
        stocked.void(1, "wrong quantity")
    assert raised.value.message == (
        "Cannot void movement 1 (placed 3 × BTK-001 at ATRIA): only 1 on hand.")
    assert snapshot() == before


def test_a_movement_is_voided_once_and_a_void_made_by_mistake_is_voided_in_turn(
        stocked, snapshot):
    sale = stocked.sell("ATRIA", "BTK-001").movement
    reversal = stocked.void(sale.id, "rang up twice")
    before = snapshot()
    with pytest.raises(errors.AlreadyReversed) as twice:
        stocked.void(sale.id, "again")
    assert twice.value.message == (
        f"Movement {sale.id} was already voided by movement {reversal.id}.")
    assert snapshot() == before
    undone = stocked.void(reversal.id, "voided the wrong sale")
    assert (undone.kind, undone.qty, undone.reverses) == ("reversal", sale.qty, reversal.id)
    assert stocked.stock() == {("ATRIA", "BTK-001"): 2, ("ATRIA", "KRM-001"): 1}


@pytest.mark.parametrize(
    ("entity", "key", "message"),
    [
        ("hotel", "ATRIA", "Hotel ATRIA is deactivated and accepts no new placements or sales."),
        ("consignor", "IKM-0001",
         "IKM IKM-0001 is deactivated and accepts no new placements or sales."),
        ("product", "BTK-001",
         "Product BTK-001 is deactivated and accepts no new placements or sales."),
    ],
)
def test_a_deactivated_hotel_ikm_or_product_takes_no_placement_or_sale(
    stocked, db, ctx, snapshot, entity, key, message
):
    with db.transaction() as session:
        registry.deactivate(session, ctx, entity, key)
    before = snapshot()
    with pytest.raises(errors.Inactive) as placing:
        stocked.place("ATRIA", "IKM-0001", [("BTK-001", 1, None)])
    with pytest.raises(errors.Inactive) as selling:
        stocked.sell("ATRIA", "BTK-001")
    assert message in (placing.value.message, selling.value.message)
    assert snapshot() == before


def test_goods_of_a_deactivated_ikm_can_still_go_back_or_be_written_off(stocked, db, ctx):
    with db.transaction() as session:
        registry.deactivate(session, ctx, "consignor", "IKM-0001")
    stocked.return_goods("ATRIA", [("BTK-001", 2)])
    stocked.write_off("ATRIA", "lost", "hotel", "missing", [("BTK-001", 1)])
    assert stocked.stock() == {("ATRIA", "KRM-001"): 1}


# ---- the period lock --------------------------------------------------------------------

CLOSED = "Cannot record a movement dated {} at ATRIA: its books are closed through 2020-10. " \
         "Date the correction in an open period."


@pytest.mark.parametrize(
    "call",
    [
        lambda b, at: b.sell("ATRIA", "BTK-001", at=at),
        lambda b, at: b.place("ATRIA", "IKM-0001", [("BTK-001", 1, None)], at=at),
        lambda b, at: b.return_goods("ATRIA", [("BTK-001", 1)], at=at),
        lambda b, at: b.write_off("ATRIA", "lost", "hotel", "gone", [("BTK-001", 1)], at=at),
        lambda b, at: b.void(1, "typo", at=at),
    ],
    ids=["sell", "place", "return", "write off", "void"],
)
def test_nothing_can_be_dated_in_a_closed_period(stocked, db, ctx, snapshot, call):
    close(db, ctx, "ATRIA", "2020-10")
    before = snapshot()
    with pytest.raises(errors.PeriodClosed) as raised:
        call(stocked, wib("2020-10-31 23:30"))
    assert raised.value.message == CLOSED.format("2020-10-31 23:30")
    assert snapshot() == before


def test_a_period_closed_for_one_hotel_stays_open_for_another(stocked, db, ctx):
    close(db, ctx, "ATRIA", "2020-10")
    stocked.place("TUGU", "IKM-0001", [("BTK-001", 1, None)], at=wib("2020-10-15 09:00"))
    assert stocked.sell("ATRIA", "BTK-001", at=wib("2020-11-01 03:00")).movement.qty == -1


def test_an_earlier_period_is_locked_by_a_later_close(stocked, db, ctx):
    close(db, ctx, "ATRIA", "2020-10")
    with pytest.raises(errors.PeriodClosed, match="closed through 2020-10"):
        stocked.place("ATRIA", "IKM-0001", [("BTK-001", 1, None)], at=wib("2020-09-15 09:00"))


def test_the_period_lock_hook_checks_the_business_month(db, ctx, stocked):
    from consign.services.ledger import ensure_open

    close(db, ctx, "ATRIA", "2020-10")
    with db.transaction() as session:
        hotel_id = lookup.hotel(session, "ATRIA").id
        ensure_open(session, hotel_id, wib("2020-11-01 00:00"), ctx.tz)
        with pytest.raises(errors.PeriodClosed):
            ensure_open(session, hotel_id, wib("2020-10-31 23:59"), ctx.tz)


def test_a_void_in_an_open_period_cancels_an_original_of_an_open_period(stocked):
    sale = stocked.sell("ATRIA", "BTK-001", at=wib("2020-10-05 14:30")).movement
    reversal = stocked.void(sale.id, "rang up twice")
    assert (reversal.kind, reversal.qty, reversal.reverses, reversal.cancels) == (
        "reversal", 1, sale.id, True)
    assert reversal.unit_price == sale.unit_price
    assert reversal.reason == "rang up twice"
    assert stocked.stock()[("ATRIA", "BTK-001")] == 3


def test_a_void_after_the_originals_period_closed_is_a_correction_of_its_own_date(
    stocked, db, ctx
):
    sale = stocked.sell("ATRIA", "BTK-001", at=wib("2020-10-05 14:30")).movement
    close(db, ctx, "ATRIA", "2020-10")
    reversal = stocked.void(sale.id, "customer returned it", at=wib("2020-11-02 10:00"))
    assert reversal.cancels is False
    assert reversal.at == wib("2020-11-02 10:00")


@pytest.fixture
def sold_out_in_october(book, shop):
    """3 × BTK-001 placed on 2 October (movement 1) and sold on 5 October; 3 more placed
    on 2 November (movement 3). October is still open."""
    book.place("ATRIA", "IKM-0001", [("BTK-001", 3, None)], at=wib("2020-10-02 00:00"))
    book.sell("ATRIA", "BTK-001", 3, at=wib("2020-10-05 00:00"))
    book.place("ATRIA", "IKM-0001", [("BTK-001", 3, None)], at=wib("2020-11-02 00:00"))
    return book


def test_a_void_that_would_leave_its_open_period_short_where_it_cancels_is_refused(
    sold_out_in_october, db, snapshot
):
    before = snapshot()
    with pytest.raises(errors.InsufficientStock) as raised:
        sold_out_in_october.void(1, "never arrived", at=wib("2020-11-03 09:00"))
    assert raised.value.message == (
        "Cannot void movement 1 (placed 3 × BTK-001 at ATRIA): only 0 on hand at "
        "2020-10-05 00:00. Its period 2020-10 is still open, so the void cancels it there, "
        "from 2020-10-02 00:00 on.")
    assert snapshot() == before


def test_a_void_of_a_placement_cancelled_where_enough_was_on_hand_is_recorded(book, shop, db):
    book.place("ATRIA", "IKM-0001", [("BTK-001", 3, None)], at=wib("2020-10-02 00:00"))
    book.place("ATRIA", "IKM-0001", [("BTK-001", 3, None)], at=wib("2020-10-03 00:00"))
    book.sell("ATRIA", "BTK-001", 3, at=wib("2020-10-05 00:00"))
    reversal = book.void(1, "sent twice", at=wib("2020-11-03 09:00"))
    assert (reversal.cancels, book.stock()) == (True, {})
    with db.transaction(readonly=True) as session:
        assert check.run(session, WIB, check.LEDGER_CHECKS) == []


def test_the_same_void_once_its_period_is_closed_is_a_correction_and_is_recorded(
    sold_out_in_october, db, ctx
):
    close(db, ctx, "ATRIA", "2020-10")
    reversal = sold_out_in_october.void(1, "never arrived", at=wib("2020-11-03 09:00"))
    assert (reversal.cancels, sold_out_in_october.stock()) == (False, {})


def test_a_backdated_sale_is_refused_where_a_cancelled_placement_no_longer_counts(
    book, shop, tmp_path, snapshot
):
    book.place("ATRIA", "IKM-0001", [("BTK-001", 3, None)], at=wib("2020-10-02 00:00"))
    book.place("ATRIA", "IKM-0001", [("BTK-001", 3, None)], at=wib("2020-11-02 00:00"))
    assert book.void(1, "never arrived", at=wib("2020-11-03 09:00")).cancels
    before = snapshot()
    with pytest.raises(errors.InsufficientStock) as raised:
        book.sell("ATRIA", "BTK-001", 3, at=wib("2020-10-05 00:00"))
    assert raised.value.message == (
        "Cannot sell 3 × BTK-001 at ATRIA: only 0 on hand at 2020-10-05 00:00.")
    path = tmp_path / "till.csv"
    path.write_text("sold_at,sku,qty,unit_price,receipt\n2020-10-05,BTK-001,3,,\n")
    with pytest.raises(errors.InvalidRows) as imported:
        book.import_sales("ATRIA", path)
    assert imported.value.problems == [
        f"{path}:2: cannot sell 3 × BTK-001: only 0 on hand at 2020-10-05 00:00"]
    assert snapshot() == before


def test_a_hotel_s_staff_selling_another_hotel_s_goods_are_told_no_such_product(
        db, stocked):
    """KRM-001 is on ATRIA's shelf only. TUGU's staff (at the counter or through their
    till's token) are answered as for an SKU that does not exist, so that a hotel does not
    learn what another hotel displays; the agency is told what happened. Nothing is
    written either way."""
    from dataclasses import replace

    from consign import policy
    from consign.services import ledger

    tugu = replace(stocked.ctx, role=policy.Role("hotel", "TUGU"))
    for ctx, kind, sentence in (
            (tugu, errors.NotFound, "No product with SKU KRM-001."),
            (stocked.ctx, errors.NeverPlaced, "KRM-001 was never placed at TUGU.")):
        with pytest.raises(kind) as refused, db.transaction() as session:
            ledger.sell(session, ctx, "TUGU", "KRM-001", 1)
        assert (refused.value.text("en"), refused.value.field) == (sentence, "sku")
    with db.transaction(readonly=True) as session:
        assert ledger.movements(session, WIB, hotel="TUGU") == []


def test_a_movement_named_in_a_refusal_says_its_kind_in_the_language_of_the_sentence(
        book, shop, db, ctx):
    """The kind of the movement a void names is a word of the sentence, Indonesian in an
    Indonesian one (``dititipkan``, not ``placed``)."""
    from consign.errors import InsufficientStock
    from consign.services import ledger

    placed = book.place("ATRIA", "IKM-0001", [("BTK-001", 3, None)], at=wib("2020-10-01 09:00"))
    book.sell("ATRIA", "BTK-001", 2, at=wib("2020-10-05 14:30"))
    with pytest.raises(InsufficientStock) as refused, db.transaction() as session:
        ledger.void(session, ctx, placed.movements[0].id, "salah input")
    assert refused.value.text("id") == (
        "Tidak dapat membatalkan mutasi 1 (dititipkan 3 × BTK-001 di ATRIA): stok yang ada "
        "hanya 1.")
