"""The rules added last to the pure rule modules, each case worked out by hand from SPEC
sections 3-5 (no database): whether a movement is in force after its voids, what a sale
logged again under a receipt is, month names and spoken moments, the losses the IKM bears,
a correction line's pointer to the line it corrects, and what the payments of a statement
make of it. Written to kill the mutants ``make mutate`` left of these functions."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from consign.ledger import ReceiptVerdict, Recorded, Version, in_force, receipt_verdict
from consign.periods import month_name, spoken
from consign.settlement import (
    Detail,
    Entry,
    Figures,
    Group,
    Line,
    Loss,
    Original,
    Owing,
    PaymentMade,
    figures,
    is_consignor_loss,
    line_for,
    losses_of,
    owing,
    payment_problem,
)

WIB = ZoneInfo("Asia/Jakarta")
OCT_5, OCT_20 = date(2020, 10, 5), date(2020, 10, 20)
NOV_3, NOV_10 = date(2020, 11, 3), date(2020, 11, 10)


def rate(day: date) -> int:
    """20% in October, 17.5% from November."""
    return 2000 if day < date(2020, 11, 1) else 1750


# ---- a movement in force after its chain of voids (SPEC section 3) -----------------------

@pytest.mark.parametrize(("reversals", "expected"), [
    (0, True),  # never voided
    (1, False),  # voided
    (2, True),  # the void voided: back in force
    (3, False),  # and voided again
    (4, True),
])
def test_a_movement_is_in_force_after_an_even_number_of_reversals(reversals, expected):
    assert in_force(reversals) is expected


# ---- a sale logged again under a receipt (SPEC section 3) --------------------------------

SOLD_2 = Version(Recorded(2, 150_000), True, "movement 7")
VOIDED_2 = Version(Recorded(2, 150_000), False, "movement 7")
CORRECTED_1 = Version(Recorded(1, 150_000), True, "movement 9")
VOIDED_1_AT_140 = Version(Recorded(1, 140_000), False, "movement 9")


def test_the_figures_of_the_sale_in_force_are_already_recorded():
    assert receipt_verdict([SOLD_2], 2, 150_000) == ReceiptVerdict("recorded", SOLD_2, 1)


@pytest.mark.parametrize(("qty", "unit_price"), [(3, 150_000), (2, 140_000), (1, 150_000)])
def test_other_figures_conflict_with_the_sale_in_force(qty, unit_price):
    assert receipt_verdict([SOLD_2], qty, unit_price) == ReceiptVerdict("conflict", SOLD_2, 1)


def test_after_a_void_and_its_correction_each_version_is_recognised():
    versions = [VOIDED_2, CORRECTED_1]
    # the corrected sale, in force: already recorded
    assert receipt_verdict(versions, 1, 150_000) == ReceiptVerdict("recorded", CORRECTED_1, 2)
    # the uncorrected till file again: the voided sale, never brought back
    assert receipt_verdict(versions, 2, 150_000) == ReceiptVerdict("voided", VOIDED_2, 2)
    # anything else conflicts with the corrected sale in force
    assert receipt_verdict(versions, 3, 150_000) == ReceiptVerdict("conflict", CORRECTED_1, 2)
    assert receipt_verdict(versions, 2, 140_000) == ReceiptVerdict("conflict", CORRECTED_1, 2)


def test_with_every_version_voided_any_voided_one_matches_and_other_figures_are_new():
    versions = [VOIDED_2, VOIDED_1_AT_140]
    assert receipt_verdict(versions, 2, 150_000) == ReceiptVerdict("voided", VOIDED_2, 2)
    assert receipt_verdict(versions, 1, 140_000) == ReceiptVerdict("voided", VOIDED_1_AT_140, 2)
    # the same quantity at another price, the same price for another quantity: new, version 2
    assert receipt_verdict(versions, 1, 150_000) == ReceiptVerdict("new", None, 2)
    assert receipt_verdict(versions, 2, 140_000) == ReceiptVerdict("new", None, 2)
    assert receipt_verdict([VOIDED_2], 3, 150_000) == ReceiptVerdict("new", None, 1)


# ---- month names and spoken moments -------------------------------------------------------

@pytest.mark.parametrize(("month", "lang", "expected"), [
    (10, "id", "Oktober"), (8, "id", "Agustus"), (1, "id", "Januari"),
    (10, "en", "October"), (8, "en", "August"),
])
def test_the_full_name_of_a_month(month, lang, expected):
    assert month_name(month, lang) == expected


def test_a_month_is_named_in_indonesian_unless_told_otherwise():
    assert month_name(10) == "Oktober"
    assert month_name(5) == "Mei"


def test_a_moment_is_spoken_in_the_business_time_zone():
    moment = datetime(2020, 10, 5, 7, 30, tzinfo=UTC)  # 14:30 WIB
    assert spoken(moment, WIB) == "5 Oktober 2020 14:30"
    assert spoken(moment, WIB, "id") == "5 Oktober 2020 14:30"
    assert spoken(moment, WIB, "en") == "5 October 2020 14:30"
    # the zone it is given, whatever the machine's own
    assert spoken(moment, UTC) == "5 Oktober 2020 07:30"


def test_a_moment_late_in_october_utc_is_spoken_in_november_wib():
    moment = datetime(2020, 10, 31, 20, 5, tzinfo=UTC)  # 1 November 03:05 WIB
    assert spoken(moment, WIB) == "1 November 2020 03:05"
    assert spoken(moment, WIB, "en") == "1 November 2020 03:05"
    assert spoken(moment, UTC, "en") == "31 October 2020 20:05"


# ---- which loss the IKM bears (SPEC section 4) --------------------------------------------

@pytest.mark.parametrize(("kind", "liable", "qty", "expected"), [
    ("lost", "consignor", -1, True),
    ("damaged", "consignor", -2, True),
    ("lost", "hotel", -1, False),
    ("damaged", "hotel", -2, False),
    ("counted", "consignor", -2, True),  # a shortage the count put on the IKM
    ("counted", "hotel", -2, False),
    ("counted", None, -2, False),  # a shortage is the hotel's unless the count says consignor
    ("counted", "consignor", 3, False),  # a surplus is no loss
    ("counted", "hotel", 3, False),
    ("sold", "consignor", -1, False),
    ("returned", "consignor", -1, False),
    ("reversal", "consignor", 1, False),
    ("placed", None, 5, False),
])
def test_what_the_ikm_bears(kind, liable, qty, expected):
    assert is_consignor_loss(kind, liable, qty) is expected


# ---- money lines keep what the owner ticks them off with (SPEC section 4) -----------------

def test_a_sale_line_carries_the_moment_receipt_and_payment_of_the_sale():
    detail = Detail(at=datetime(2020, 10, 5, 7, 30, tzinfo=UTC), receipt="R-0017",
                    payment="qris")
    sale = Entry(7, "sold", "BTK-001", "Batik tulis", -2, OCT_5, unit_price=150_000,
                 detail=detail)
    assert line_for(sale, rate) == Line("sale", OCT_5, "BTK-001", "Batik tulis", 2, 150_000,
                                        2000, 7, detail)


def test_a_correction_of_a_sale_points_at_the_line_it_corrects():
    # sold 5 October (issued on ST-000001 at 20%), voided 3 November
    void = Entry(9, "reversal", "BTK-001", "Batik tulis", 1, NOV_3,
                 detail=Detail(reason="wrong item rung up"),
                 original=Original("sold", None, -1, 150_000, OCT_5, rate_bp=2000,
                                   line_day=OCT_5, receipt="R-0017", number="ST-000001"))
    assert line_for(void, rate) == Line(
        "correction", NOV_3, "BTK-001", "Batik tulis", -1, 150_000, 2000, 9,
        Detail(reason="wrong item rung up", corrects_day=OCT_5, corrects_receipt="R-0017",
               corrects_number="ST-000001"))


def test_a_correction_of_a_hotel_loss_carries_the_loss_note():
    void = Entry(11, "reversal", "BTK-002", "Tas anyaman", 1, NOV_3,
                 detail=Detail(reason="found in the store room"),
                 original=Original("lost", "hotel", -1, 90_000, OCT_20, rate_bp=2000,
                                   line_day=OCT_20, number="ST-000001",
                                   note="LS-2020-00003"))
    assert line_for(void, rate) == Line(
        "correction", NOV_3, "BTK-002", "Tas anyaman", -1, 90_000, 2000, 11,
        Detail(note="LS-2020-00003", reason="found in the store room", corrects_day=OCT_20,
               corrects_number="ST-000001"))


def test_a_void_of_a_void_corrects_the_correction_line_at_the_original_rate():
    # sold 5 October (ST-000001), voided 3 November (its correction on ST-000002), the void
    # voided 2 December: the line corrected is the correction of 3 November, the rate is
    # that of the sale (20%), and the line puts the unit back (positive)
    void_of_void = Entry(14, "reversal", "BTK-001", "Batik tulis", -1, date(2020, 12, 2),
                         detail=Detail(reason="the void was a mistake"),
                         original=Original("sold", None, -1, 150_000, OCT_5, rate_bp=None,
                                           line_day=NOV_3, receipt="R-0017",
                                           number="ST-000002"))
    assert line_for(void_of_void, rate) == Line(
        "correction", date(2020, 12, 2), "BTK-001", "Batik tulis", 1, 150_000, 2000, 14,
        Detail(reason="the void was a mistake", corrects_day=NOV_3, corrects_receipt="R-0017",
               corrects_number="ST-000002"))


# ---- the losses listed without an amount (SPEC section 4) ---------------------------------

def test_the_losses_the_ikm_bore_and_the_corrections_of_earlier_ones():
    entries = [
        # lost and voided in the same open month: cancelled, not listed
        Entry(1, "lost", "BTK-001", "Batik tulis", -1, OCT_5, liable="consignor",
              cancelled_qty=1, detail=Detail(note="LS-2020-00001", reason="missing")),
        Entry(2, "damaged", "BTK-002", "Tas anyaman", -2, OCT_5, liable="consignor",
              detail=Detail(note="LS-2020-00004", reason="torn")),
        # the hotel's: a money line, not listed here
        Entry(3, "lost", "BTK-001", "Batik tulis", -1, OCT_5, unit_price=150_000,
              liable="hotel", detail=Detail(note="LS-2020-00005", reason="stolen")),
        Entry(4, "counted", "BTK-003", "Kain tenun", -1, OCT_20, liable="consignor",
              detail=Detail(note="SO-2020-00001", reason="count of 20 October")),
        Entry(5, "counted", "BTK-003", "Kain tenun", 2, OCT_20, liable="consignor"),
        Entry(6, "sold", "BTK-001", "Batik tulis", -1, OCT_20, unit_price=150_000),
        # a void of a consignor loss of September: its units come back (negative)
        Entry(7, "reversal", "BTK-004", "Kipas", 2, OCT_20,
              detail=Detail(reason="found in the store room"),
              original=Original("lost", "consignor", -2, None, date(2020, 9, 30),
                                note="LS-2020-00002")),
        # a void of a sale and of a hotel loss of September: money lines, not listed here
        Entry(8, "reversal", "BTK-001", "Batik tulis", 1, OCT_20,
              detail=Detail(reason="wrong item"),
              original=Original("sold", None, -1, 150_000, date(2020, 9, 28))),
        Entry(9, "reversal", "BTK-001", "Batik tulis", 1, OCT_20,
              detail=Detail(reason="found"),
              original=Original("lost", "hotel", -1, 150_000, date(2020, 9, 28),
                                note="LS-2020-00006")),
        # a void of a void of a consignor loss of September: its units are taken again
        Entry(10, "reversal", "BTK-005", "Tikar", -3, OCT_20,
              detail=Detail(reason="the void was a mistake"),
              original=Original("damaged", "consignor", -3, None, date(2020, 9, 29),
                                note="LS-2020-00007")),
    ]
    assert losses_of(entries) == [
        Loss("damaged", OCT_5, "BTK-002", "Tas anyaman", 2, 2, "LS-2020-00004", "torn"),
        Loss("counted", OCT_20, "BTK-003", "Kain tenun", 1, 4, "SO-2020-00001",
             "count of 20 October"),
        Loss("correction", OCT_20, "BTK-004", "Kipas", -2, 7, "LS-2020-00002",
             "found in the store room"),
        Loss("correction", OCT_20, "BTK-005", "Tikar", 3, 10, "LS-2020-00007",
             "the void was a mistake"),
    ]


def test_a_cancelled_correction_of_a_consignor_loss_is_not_listed():
    voided = Entry(7, "reversal", "BTK-004", "Kipas", 2, OCT_20, cancelled_qty=-2,
                   original=Original("lost", "consignor", -2, None, date(2020, 9, 30)))
    assert losses_of([voided]) == []


def test_the_figures_keep_the_losses_beside_the_lines():
    sale = Line("sale", OCT_5, "BTK-001", "Batik tulis", 2, 150_000, 2000, 6)
    loss = Loss("damaged", OCT_5, "BTK-002", "Tas anyaman", 2, 2, "LS-2020-00004", "torn")
    # 300.000 at 20%: commission 60.000; a net of -50.000 carried: 300.000 - 60.000 - 50.000
    assert figures([sale], [], -50_000, [loss]) == Figures(
        (sale,), (Group(2000, 300_000, 60_000),), (), 300_000, 60_000, -50_000, 190_000,
        (loss,))


# ---- what the payments make of a statement (SPEC section 5) -------------------------------

DUE = date(2020, 11, 14)


def paid(on: date, amount: int, ref: str, voided: bool = False) -> PaymentMade:
    return PaymentMade(on, amount, ref, voided)


def test_a_draft_owes_nothing_yet():
    assert owing("draft", 500_000, None, [], date(2020, 12, 1)) == Owing(
        "draft", 0, 0, False, None, None)
    assert owing("draft", 500_000, DUE, [], date(2020, 12, 1)) == Owing(
        "draft", 0, 0, False, None, None)


@pytest.mark.parametrize(("today", "overdue"), [
    (date(2020, 11, 1), False),
    (DUE, False),  # on its due date: not yet overdue
    (date(2020, 11, 15), True),  # the day after
])
def test_an_unpaid_statement_is_overdue_from_the_day_after_its_due_date(today, overdue):
    assert owing("issued", 500_000, DUE, [], today) == Owing(
        "issued", 0, 500_000, overdue, None, None)


def test_without_a_due_date_nothing_is_overdue():
    assert owing("issued", 500_000, None, [], date(2021, 6, 1)) == Owing(
        "issued", 0, 500_000, False, None, None)


def test_payments_in_part_add_up_and_the_rest_is_owed():
    payments = [paid(NOV_3, 200_000, "TRF-1"), paid(NOV_10, 100_000, "TRF-2")]
    assert owing("issued", 500_000, DUE, payments, date(2020, 11, 12)) == Owing(
        "issued", 300_000, 200_000, False, None, None)
    assert owing("issued", 500_000, DUE, payments, date(2020, 11, 20)) == Owing(
        "issued", 300_000, 200_000, True, None, None)


def test_one_rupiah_owed_after_the_due_date_is_overdue():
    payments = [paid(NOV_3, 499_999, "TRF-1")]
    assert owing("issued", 500_000, DUE, payments, date(2020, 11, 20)) == Owing(
        "issued", 499_999, 1, True, None, None)


def test_a_voided_payment_counts_for_nothing_and_those_after_it_still_count():
    payments = [paid(NOV_3, 200_000, "TRF-1", voided=True), paid(NOV_10, 100_000, "TRF-2")]
    assert owing("issued", 500_000, DUE, payments, date(2020, 11, 20)) == Owing(
        "issued", 100_000, 400_000, True, None, None)


def test_paid_when_the_payments_reach_the_net_exactly():
    payments = [paid(NOV_3, 200_000, "TRF-1"), paid(date(2020, 11, 25), 300_000, "TRF-2")]
    assert owing("issued", 500_000, DUE, payments, date(2020, 12, 1)) == Owing(
        "paid", 500_000, 0, False, date(2020, 11, 25), "TRF-2")


def test_paid_in_one_payment_of_the_whole_net():
    assert owing("issued", 500_000, DUE, [paid(NOV_10, 500_000, "QRIS-88")],
                 date(2020, 11, 11)) == Owing("paid", 500_000, 0, False, NOV_10, "QRIS-88")


def test_a_net_of_one_rupiah_is_paid_by_one_rupiah():
    assert owing("issued", 1, DUE, [paid(NOV_10, 1, "CASH-1")], date(2020, 12, 1)) == Owing(
        "paid", 1, 0, False, NOV_10, "CASH-1")


def test_paid_on_is_the_payment_that_completed_it_not_a_later_one():
    payments = [paid(NOV_3, 500_000, "TRF-1"), paid(NOV_10, 100_000, "TRF-2")]
    assert owing("issued", 500_000, DUE, payments, date(2020, 12, 1)) == Owing(
        "paid", 600_000, 0, False, NOV_3, "TRF-1")


def test_a_voided_payment_never_completes_it():
    payments = [paid(NOV_3, 500_000, "TRF-1", voided=True), paid(NOV_10, 500_000, "TRF-2")]
    assert owing("issued", 500_000, DUE, payments, date(2020, 12, 1)) == Owing(
        "paid", 500_000, 0, False, NOV_10, "TRF-2")


@pytest.mark.parametrize("net", [0, -50_000])
def test_a_nil_or_negative_net_owes_nothing_and_is_never_overdue(net):
    assert owing("issued", net, DUE, [], date(2020, 12, 1)) == Owing(
        "issued", 0, 0, False, None, None)
    assert owing("issued", net, None, [], date(2020, 12, 1)) == Owing(
        "issued", 0, 0, False, None, None)


@pytest.mark.parametrize("net", [0, -50_000])
def test_a_nil_or_negative_net_is_never_paid(net):
    # payment_problem refuses such a payment; the rule holds whatever is stored
    assert owing("issued", net, DUE, [paid(NOV_10, 100_000, "TRF-1")],
                 date(2020, 12, 1)) == Owing("issued", 100_000, 0, False, None, None)


# ---- why a payment is refused (SPEC section 5) --------------------------------------------

@pytest.mark.parametrize(("net", "owed", "amount", "expected"), [
    (0, 0, 100_000, "nothing to pay"),
    (-50_000, 0, 1, "nothing to pay"),
    (500_000, 0, 100_000, "paid in full"),
    (500_000, 0, 1, "paid in full"),
    (500_000, 300_000, 300_001, "above what is owed"),
    (500_000, 1, 2, "above what is owed"),
    (500_000, 300_000, 300_000, None),  # what is still owed, exactly
    (500_000, 300_000, 100_000, None),
    (500_000, 1, 1, None),
    (1, 1, 1, None),  # a net of Rp1 can be paid
])
def test_why_a_payment_cannot_be_recorded(net, owed, amount, expected):
    assert payment_problem(net, owed, amount) == expected
