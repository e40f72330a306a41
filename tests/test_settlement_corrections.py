"""Voids of every kind of movement, before and after its period closed, and what
``consign check`` says when a statement does not add up."""

from sqlalchemy import text

from consign.services import check
from tests.settlement_support import (
    NOV,
    OCT,
    by_consignor,
    lines,
    october,
    stock,
    totals,
    wib,
)


def movement_id(office, kind: str, sku: str) -> int:
    with office.db.engine.connect() as connection:
        return connection.execute(text(
            "SELECT m.id FROM movements m JOIN products p ON p.id = m.product_id "
            "WHERE m.kind = :kind AND p.sku = :sku ORDER BY m.id LIMIT 1"),
            {"kind": kind, "sku": sku}).scalar_one()


def test_a_hotel_liable_loss_voided_after_close_is_corrected_at_its_price_and_rate(issued):
    issued.void(movement_id(issued, "lost", "BTK-002"), "ketemu", at=wib("2020-11-04 09:00"))
    batik = by_consignor(issued.settle(NOV))["IKM-0001"]
    assert lines(batik) == [("correction", "2020-11-04", "BTK-002", -1, 85_000, -85_000, 1750)]
    # 17.5% of -85.000 = -14.875
    assert totals(batik) == (None, "IKM-0001", "draft", -85_000, -14_875, 0, -70_125)
    assert stock(batik) == [
        ("BTK-001", 6, 0, 0, 0, 0, 0, 0, 6),
        ("BTK-002", 15, 0, 0, 0, 0, 0, 1, 16),
    ]


def test_a_consignor_liable_loss_voided_after_close_corrects_stock_only(issued):
    issued.void(movement_id(issued, "damaged", "BTK-001"), "salah", at=wib("2020-11-04 09:00"))
    batik = by_consignor(issued.settle(NOV))["IKM-0001"]
    assert lines(batik) == []
    assert stock(batik)[0] == ("BTK-001", 6, 0, 0, 0, 0, 0, 1, 7)


def test_a_placement_voided_in_its_open_period_nets_out_of_placed(office, atria):
    office.now = wib("2020-11-01 08:00")
    note = office.place("ATRIA", "IKM-0003", [("TAS-001", 2, None)], at=wib("2020-10-05 09:00"))
    office.place("ATRIA", "IKM-0003", [("TAS-001", 3, None)], at=wib("2020-10-06 09:00"))
    office.void(note.movements[0].id, "salah hotel", at=wib("2020-10-07 09:00"))
    tas = by_consignor(office.settle(OCT))["IKM-0003"]
    assert stock(tas) == [("TAS-001", 0, 3, 0, 0, 0, 0, 0, 3)]


def test_a_void_recorded_in_november_of_an_open_october_cancels_it_in_october(office, atria):
    ids = october(office)
    office.now = wib("2020-11-05 08:00")
    office.void(ids["keripik"], "dikembalikan", at=wib("2020-11-03 10:00"))
    october_statements = by_consignor(office.settle(OCT))
    november_statements = by_consignor(office.settle(NOV))
    assert lines(october_statements["IKM-0002"]) == []
    assert stock(october_statements["IKM-0002"]) == [("KRP-001", 0, 10, 0, 0, 0, 0, 0, 10)]
    assert lines(november_statements["IKM-0002"]) == []
    assert stock(november_statements["IKM-0002"]) == [("KRP-001", 10, 0, 0, 0, 0, 0, 0, 10)]


# ---- consign check -------------------------------------------------------------------------

def problems(office):
    with office.db.transaction() as session:  # check extends the audit chain: it writes
        return check.run(session, office.ctx.tz)


def test_check_finds_a_draft_whose_totals_were_tampered_with(office, atria):
    october(office)
    office.settle(OCT)
    with office.db.engine.begin() as connection:
        connection.execute(text(
            "UPDATE statements SET gross = gross + 1 WHERE consignor_code = 'IKM-0002'"))
        connection.execute(text(
            "UPDATE statement_stock SET closing = 99 WHERE sku = 'TAS-001'"))
    assert problems(office) == [
        "Statement draft ATRIA/IKM-0002 2020-10: its lines add up to 20220, not its gross "
        "20221.",
        "Statement draft ATRIA/IKM-0002 2020-10: gross − commission + opening balance is "
        "16682, not its net 16681.",
        "Statements do not balance: gross 735221 is not commission 138039 plus net less "
        "opening balance 597181.",
        "Statement draft ATRIA/IKM-0003 2020-10: stock of TAS-001 should close at 5, not 99.",
    ]


def test_check_holds_issued_statements_to_their_archive_not_to_todays_renderer(
    issued, monkeypatch
):
    assert problems(issued) == []
    monkeypatch.setattr("consign.services.documents.AGENCY_NAME", "Dinas Lain")
    assert problems(issued) == []
