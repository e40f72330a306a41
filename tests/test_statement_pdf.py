"""Statement PDFs: what an IKM owner reads in them, that they re-render to the same bytes,
and that ``verify`` tells an issued file from an altered copy."""

import io

import pytest
from pypdf import PdfReader

from consign.services import lookup, settlement
from consign.services.documents import build_consolidated_view, build_statement_view
from reports.consolidated import render_consolidated
from reports.pool import render_statements
from tests import settlement_support
from tests.settlement_support import OCT, close, last_october_sale, october


@pytest.fixture
def issued(office, atria):
    october(office)
    last_october_sale(office)
    close(office, OCT, "2020-11-02 10:00")
    return office


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def pdf_of(office, number: str, lang: str = "id") -> bytes:
    with office.db.transaction() as session:
        return settlement.pdf(session, office.ctx, settlement.get_statement(session, number),
                              lang)


def test_the_pdf_shows_number_lines_totals_and_the_net_in_words(issued):
    content = " ".join(text_of(pdf_of(issued, "ST-000001")).split())
    for expected in [
        "ST-000001", "Oktober 2020", "2 November 2020", "16 November 2020",
        "Hotel Atria Malang", "Batik Tulis Celaket", "Sri Wahyuni", "0021 0100 0123 567",
        "Rp300.000", "Rp75.000", "Rp255.000", "Rp85.000", "Rp150.000",  # each line
        "Rp865.000", "Rp160.750", "Rp704.250",  # gross, commission, net
        "Rp85.750", "Rp75.000",  # the two rate groups' commission
        "17,5%", "20%",
        "tujuh ratus empat ribu dua ratus lima puluh rupiah",
        "Halaman 1 dari",
    ]:
        assert expected.lower() in content.lower(), expected


def test_the_english_pdf_speaks_english(issued):
    content = " ".join(text_of(pdf_of(issued, "ST-000001", "en")).split())
    assert "October 2020" in content
    assert "seven hundred four thousand two hundred fifty rupiah" in content.lower()
    assert "Page 1 of" in content


def test_a_statement_renders_to_the_same_bytes_every_time_and_matches_its_hash(issued):
    first, second = pdf_of(issued, "ST-000002"), pdf_of(issued, "ST-000002")
    assert first == second
    assert settlement.statements.sha256(first) == issued.statement("ST-000002").pdf_sha256


def test_rendering_in_several_processes_gives_the_same_bytes(issued):
    with issued.db.transaction(readonly=True) as session:
        views = [build_statement_view(s) for s in settlement.statements.of_period(session, OCT)]
    alone = render_statements(views, workers=1)
    assert render_statements(views * 10, workers=2) == alone * 10


def test_verify_says_which_statement_an_unaltered_file_is(issued, db):
    data = pdf_of(issued, "ST-000001")
    with db.transaction(readonly=True) as session:
        verdict = settlement.verify(session, data, "ST-000001.pdf")
    assert (verdict.number, verdict.unaltered) == ("ST-000001", True)
    assert verdict.message.startswith(
        "ST-000001.pdf is statement ST-000001 (ATRIA / IKM-0001, 2020-10), unaltered")


def test_verify_accepts_the_english_rendering(issued, db):
    with db.transaction(readonly=True) as session:
        verdict = settlement.verify(session, pdf_of(issued, "ST-000003", "en"))
    assert (verdict.number, verdict.unaltered) == ("ST-000003", True)


def test_verify_rejects_a_copy_with_one_byte_changed(issued, db):
    data = bytearray(pdf_of(issued, "ST-000001"))
    at = data.index(b"865.000")
    data[at] = ord("9")  # Rp865.000 -> Rp965.000
    with db.transaction(readonly=True) as session:
        verdict = settlement.verify(session, bytes(data), "copy.pdf")
    assert (verdict.number, verdict.unaltered) == ("ST-000001", False)
    assert "copy.pdf names statement ST-000001 (ATRIA / IKM-0001, 2020-10) but is not the " \
           "issued file" in verdict.message


def test_verify_knows_a_file_that_is_no_statement(issued, db):
    with db.transaction(readonly=True) as session:
        verdict = settlement.verify(session, b"%PDF-1.4 nothing", "other.pdf")
    assert (verdict.number, verdict.unaltered) == (None, False)
    assert "other.pdf is not a document issued here" in verdict.message


def test_a_draft_pdf_is_stamped_as_a_draft(office, atria):
    october(office)
    draft = office.settle(OCT)[0]
    content = text_of(render_statements([build_statement_view(draft)])[0])
    assert "KONSEP" in content
    assert "ST-0" not in content


def test_the_consolidated_pdf_sums_an_ikm_over_hotels_with_its_year_to_date_gross(
    issued, make_hotel, db
):
    make_hotel("TUGU", name="Hotel Tugu Malang")
    issued.place("TUGU", "IKM-0001", [("BTK-001", 2, None)], at=settlement_support.wib(
        "2020-10-02 09:00"))
    issued.sell("TUGU", "BTK-001", 1, at=settlement_support.wib("2020-10-03 09:00"))
    close(issued, OCT, "2020-11-03 10:00", hotel="TUGU")
    with db.transaction(readonly=True) as session:
        consignor = lookup.consignor(session, "IKM-0001")
        view = build_consolidated_view(session, consignor, OCT)
    assert [s.number for s in view.statements] == ["ST-000001", "ST-000004"]
    assert view.year_to_date_gross == 865_000 + 150_000
    content = text_of(render_consolidated(view, "id"))
    for expected in ["ST-000001", "ST-000004", "Hotel Tugu Malang", "Rp1.015.000",
                     "Rp704.250", "Rp120.000"]:  # TUGU: 150.000 − 20% = 120.000
        assert expected in content, expected


def test_a_paid_statement_still_renders_to_the_pdf_issued(issued, db):
    from datetime import date

    from consign.services import check

    issued.now = settlement_support.wib("2020-11-20 10:00")
    issued.pay("ST-000001", date(2020, 11, 10), "BRI-TRF-0042")
    data = pdf_of(issued, "ST-000001")
    assert settlement.statements.sha256(data) == issued.statement("ST-000001").pdf_sha256
    with db.transaction() as session:  # check extends the audit chain: it writes
        assert check.run(session, issued.ctx.tz) == []
