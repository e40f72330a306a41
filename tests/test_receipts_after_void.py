"""A voided sale frees its receipt for the corrected sale; the voided figures are recognised
as "already recorded (voided)" and never come back, by ``sell``, by ``sales import``, and
when several clerks log the receipt at the same moment (SPEC section 3)."""

from collections import Counter

import pytest
from sqlalchemy import select

from consign.errors import InvalidRows, ReceiptConflict
from consign.models import Movement
from consign.services import check
from tests.conftest import NOW
from tests.ledger_support import WIB, at_once, wib

# the ledger tests' fixtures

SOLD_AT = "2020-10-05 14:30"


@pytest.fixture
def voided(book, shop):
    """R-0042 at ATRIA sold 2 × BTK-001 (movement 2), voided the next morning (3): the
    clerk had rung up two where the guest bought one."""
    book.place("ATRIA", "IKM-0001", [("BTK-001", 5, None)], at=wib("2020-10-01 09:00"))
    sale = book.sell("ATRIA", "BTK-001", 2, receipt="R-0042", at=wib(SOLD_AT)).movement
    book.void(sale.id, "salah input: tamu membeli satu", at=wib("2020-10-06 09:00"))
    return book


def kinds(db) -> Counter:
    with db.transaction(readonly=True) as session:
        return Counter(session.scalars(select(Movement.kind)))


def test_the_corrected_sale_is_recorded_under_the_voided_receipt(voided, db):
    corrected = voided.sell("ATRIA", "BTK-001", 1, receipt="R-0042", at=wib(SOLD_AT))
    assert not corrected.already_recorded
    assert (corrected.movement.id, corrected.movement.qty, corrected.movement.receipt) == (
        4, -1, "R-0042")
    assert voided.stock() == {("ATRIA", "BTK-001"): 4}
    with db.transaction(readonly=True) as session:
        versions = session.execute(select(Movement.id, Movement.receipt_version)
                                   .where(Movement.receipt == "R-0042")).all()
    assert versions == [(2, 0), (4, 1)]


def test_a_corrected_price_is_a_corrected_sale_too(voided):
    corrected = voided.sell("ATRIA", "BTK-001", 2, price=140_000, receipt="R-0042",
                            at=wib(SOLD_AT))
    assert (corrected.already_recorded, corrected.movement.unit_price) == (False, 140_000)


def test_the_voided_figures_are_already_recorded_voided_and_change_nothing(voided, snapshot):
    before = snapshot()
    again = voided.sell("ATRIA", "BTK-001", 2, receipt="R-0042", at=wib(SOLD_AT))
    assert (again.already_recorded, again.voided, again.movement.id) == (True, True, 2)
    assert snapshot() == before
    assert voided.stock() == {("ATRIA", "BTK-001"): 5}


def test_once_corrected_the_voided_figures_still_never_come_back(voided, snapshot):
    voided.sell("ATRIA", "BTK-001", 1, receipt="R-0042", at=wib(SOLD_AT))
    before = snapshot()
    again = voided.sell("ATRIA", "BTK-001", 2, receipt="R-0042", at=wib(SOLD_AT))
    assert (again.already_recorded, again.voided, again.movement.id) == (True, True, 2)
    same = voided.sell("ATRIA", "BTK-001", 1, receipt="R-0042", at=wib(SOLD_AT))
    assert (same.already_recorded, same.voided, same.movement.id) == (True, False, 4)
    assert snapshot() == before


def test_a_receipt_whose_sale_is_in_force_still_conflicts(voided, snapshot):
    voided.sell("ATRIA", "BTK-001", 1, receipt="R-0042", at=wib(SOLD_AT))
    before = snapshot()
    with pytest.raises(ReceiptConflict) as conflict:
        voided.sell("ATRIA", "BTK-001", 3, receipt="R-0042", at=wib(SOLD_AT))
    assert conflict.value.message == (
        "Receipt R-0042 at ATRIA already records 1 × BTK-001 at Rp150.000 (movement 4, sold "
        "2020-10-05 14:30); this sale says 3 × BTK-001 at Rp150.000.")
    assert snapshot() == before


def test_every_voided_version_is_recognised_and_a_third_figure_is_free_again(voided):
    second = voided.sell("ATRIA", "BTK-001", 1, receipt="R-0042", at=wib(SOLD_AT)).movement
    voided.void(second.id, "ternyata tamu membeli tiga", at=wib("2020-10-06 10:00"))
    third = voided.sell("ATRIA", "BTK-001", 1, price=140_000, receipt="R-0042",
                        at=wib(SOLD_AT))
    assert not third.already_recorded
    for qty, movement_id in ((2, 2), (1, second.id)):
        again = voided.sell("ATRIA", "BTK-001", qty, receipt="R-0042", at=wib(SOLD_AT))
        assert (again.voided, again.movement.id) == (True, movement_id)
    assert voided.stock() == {("ATRIA", "BTK-001"): 4}


def test_a_sale_put_back_by_voiding_its_void_holds_its_receipt_again(voided):
    voided.void(3, "pembatalan itu keliru", at=wib("2020-10-06 11:00"))
    again = voided.sell("ATRIA", "BTK-001", 2, receipt="R-0042", at=wib(SOLD_AT))
    assert (again.already_recorded, again.voided, again.movement.id) == (True, False, 2)
    with pytest.raises(ReceiptConflict):
        voided.sell("ATRIA", "BTK-001", 1, receipt="R-0042", at=wib(SOLD_AT))
    assert voided.stock() == {("ATRIA", "BTK-001"): 3}


# ---- the same through sales import -------------------------------------------------------------

def till(tmp_path, *rows: str, name: str = "till.csv"):
    path = tmp_path / name
    path.write_text("sold_at,sku,qty,unit_price,receipt,payment\n" + "".join(
        f"{row}\n" for row in rows))
    return path


def test_the_uncorrected_till_file_imported_again_never_brings_the_voided_sale_back(
        voided, tmp_path, snapshot):
    uncorrected = till(tmp_path, f"{SOLD_AT},BTK-001,2,,R-0042,cash")
    before = snapshot()
    result = voided.import_sales("ATRIA", uncorrected)
    assert (result.added, result.already_recorded, result.voided) == (0, 1, 1)
    assert snapshot() == before


def test_the_import_says_how_many_rows_were_the_figures_of_a_voided_sale(voided, tmp_path,
                                                                          cli):
    path = till(tmp_path, f"{SOLD_AT},BTK-001,2,,R-0042,cash")
    result = cli("sales", "import", path, "--hotel", "ATRIA")
    assert result.exit_code == 0, result.output
    assert result.output.endswith("0 added, 1 already recorded (1 of them voided).\n")


def test_the_corrected_till_file_records_the_corrected_sale_and_then_nothing_more(
        voided, tmp_path, db):
    corrected = till(tmp_path, f"{SOLD_AT},BTK-001,1,,R-0042,cash",
                     f"{SOLD_AT},BTK-002,1,,R-0042,cash")
    voided.place("ATRIA", "IKM-0001", [("BTK-002", 1, None)], at=wib("2020-10-01 09:00"))
    first = voided.import_sales("ATRIA", corrected)
    assert (first.added, first.already_recorded) == (2, 0)
    uncorrected = till(tmp_path, f"{SOLD_AT},BTK-001,2,,R-0042,cash", name="old.csv")
    for path in (corrected, uncorrected):
        again = voided.import_sales("ATRIA", path)
        assert (again.added, again.already_recorded) == (0, 1 if path == uncorrected else 2)
    assert voided.stock() == {("ATRIA", "BTK-001"): 4}
    with db.transaction(readonly=True) as session:
        payment = session.scalar(select(Movement.payment).where(Movement.id == 5))
    assert payment == "cash"


def test_an_import_that_conflicts_with_the_corrected_sale_is_refused_whole(
        voided, tmp_path, snapshot):
    voided.sell("ATRIA", "BTK-001", 1, receipt="R-0042", at=wib(SOLD_AT))
    path = till(tmp_path, f"{SOLD_AT},BTK-001,3,,R-0042,", f"{SOLD_AT},BTK-001,1,,R-0043,")
    before = snapshot()
    with pytest.raises(InvalidRows) as refused:
        voided.import_sales("ATRIA", path)
    assert refused.value.exit_code == 1
    assert refused.value.where == [f"{path}:2"]
    assert "already records 1 × BTK-001" in refused.value.errors[0].message
    assert snapshot() == before


def test_a_file_that_corrects_a_voided_receipt_twice_in_its_own_rows_conflicts_with_itself(
        voided, tmp_path):
    path = till(tmp_path, f"{SOLD_AT},BTK-001,1,,R-0042,", f"{SOLD_AT},BTK-001,3,,R-0042,")
    with pytest.raises(InvalidRows) as refused:
        voided.import_sales("ATRIA", path)
    assert refused.value.where == [f"{path}:3"]
    assert "line 2 of this file" in refused.value.errors[0].message


# ---- several clerks at once, on each database ----------------------------------------------------

def test_clerks_logging_the_corrected_sale_at_once_record_it_once(voided, db_url, db):
    outcomes = at_once(db_url, "sell", ("ATRIA", "BTK-001", 1, None, wib(SOLD_AT), "R-0042"),
                       NOW, 6)
    assert sorted(kind for kind, _ in outcomes) == ["already recorded"] * 5 + ["sold"]
    assert len({movement_id for _, movement_id in outcomes}) == 1
    assert kinds(db) == Counter(placed=1, sold=2, reversal=1)
    with db.transaction(readonly=True) as session:
        assert check.run(session, WIB, check.LEDGER_CHECKS) == []


def test_clerks_importing_the_uncorrected_figures_at_once_never_bring_them_back(
        voided, db_url, db):
    outcomes = at_once(db_url, "sell", ("ATRIA", "BTK-001", 2, None, wib(SOLD_AT), "R-0042"),
                       NOW, 6)
    assert outcomes == [("already recorded (voided)", 2)] * 6
    assert kinds(db) == Counter(placed=1, sold=1, reversal=1)
    assert voided.stock() == {("ATRIA", "BTK-001"): 5}


def test_undoing_the_void_is_refused_while_the_corrected_sale_is_in_force(voided, snapshot):
    voided.sell("ATRIA", "BTK-001", 1, receipt="R-0042", at=wib(SOLD_AT))  # movement 4
    before = snapshot()
    with pytest.raises(ReceiptConflict, match=(
            r"Cannot void movement 3: it would put sale 2 back in force, but receipt R-0042 "
            r"at ATRIA already records 1 × BTK-001 at Rp150.000 \(movement 4, sold 2020-10-05 "
            r"14:30\); void that sale first\.")):
        voided.void(3, "salah batal", at=wib("2020-10-07 09:00"))
    assert snapshot() == before


def test_with_the_corrected_sale_voided_the_first_comes_back_in_force(voided):
    corrected = voided.sell("ATRIA", "BTK-001", 1, receipt="R-0042", at=wib(SOLD_AT)).movement
    voided.void(corrected.id, "ternyata dua", at=wib("2020-10-07 09:00"))
    voided.void(3, "salah batal", at=wib("2020-10-07 09:05"))
    assert voided.stock() == {("ATRIA", "BTK-001"): 3}
    again = voided.sell("ATRIA", "BTK-001", 2, receipt="R-0042", at=wib(SOLD_AT))
    assert (again.already_recorded, again.voided, again.movement.id) == (True, False, 2)
