"""The statement PDF, read back as text: the figures that matter are on it."""

import re

import pytest

from reports.fmt import rupiah
from reports.statement import render_statement, statement_problems
from tests.reports.views import (
    all_text,
    draft_view,
    many_lines,
    page_texts,
    replace,
    sample_line,
    sample_view,
)


@pytest.fixture(scope="module")
def sample_pdf():
    return render_statement(sample_view())


def test_the_sample_view_adds_up():
    assert statement_problems(sample_view()) == []


def test_the_statement_shows_its_number_period_and_dates(sample_pdf):
    text = all_text(sample_pdf)
    for expected in ["ST-000042", "Oktober 2020", "3 November 2020", "17 November 2020",
                     "LAPORAN PENYELESAIAN KONSINYASI"]:
        assert expected in text


def test_the_statement_names_the_agency_hotel_and_ikm_with_its_bank_account(sample_pdf):
    text = all_text(sample_pdf)
    for expected in ["Dinas Koperasi, Perindustrian dan Perdagangan Kota Malang",
                     "Program Etalase IKM di Hotel Mitra PHRI", "Hotel Atria Malang (ATRIA)",
                     "Jl. Letjen S. Parman No. 87-89", "+62341417000",
                     "Batik Tulis Sekar Arum (IKM-0001)", "Siti Aminah",
                     "Jl. Candi Panggung No. 12", "BRI 012301000123456 a.n. Siti Aminah"]:
        assert expected in text


def test_every_line_amount_is_printed_in_rupiah(sample_pdf):
    text = all_text(sample_pdf)
    view = sample_view()
    for line in view.lines:
        assert rupiah(line.amount) in text
        assert rupiah(line.unit_price) in text
    assert "-Rp450.000" in text


def test_sales_losses_and_corrections_are_shown_as_such(sample_pdf):
    text = all_text(sample_pdf)
    assert "Penjualan" in text
    assert "Kehilangan/kerusakan (tanggungan hotel)" in text
    assert "Koreksi" in text


def test_the_commission_is_shown_per_rate(sample_pdf):
    text = all_text(sample_pdf)
    view = sample_view()
    assert [g.rate_bp for g in view.groups] == [1750, 2000]
    assert (f"17,5% dari {rupiah(view.groups[0].amount)}: {rupiah(view.groups[0].commission)}"
            in text)
    assert f"20% dari {rupiah(view.groups[1].amount)}: {rupiah(view.groups[1].commission)}" in text


def test_the_totals_show_gross_commission_opening_balance_and_net(sample_pdf):
    text = all_text(sample_pdf)
    view = sample_view()
    assert view.net == 818_625
    assert f"Penjualan kotor {rupiah(view.gross)}" in text
    assert "Komisi hotel 17,5% dari " in text
    assert f": {rupiah(view.groups[1].commission)} -{rupiah(view.commission)}" in text
    assert "Saldo awal -Rp50.000" in text
    assert "Jumlah bersih untuk IKM Rp818.625" in text


def test_the_net_payable_is_also_written_in_words(sample_pdf):
    text = all_text(sample_pdf)
    assert "Terbilang: Delapan ratus delapan belas ribu enam ratus dua puluh lima rupiah" in text
    assert "paling lambat 17 November 2020" in text


def test_the_stock_reconciliation_lists_every_product(sample_pdf):
    text = all_text(sample_pdf)
    assert "Rekonsiliasi stok" in text
    assert "BTK-001 Batik tulis Malangan 5 2 2 0 0 -1 +1 5" in text
    assert "KRJ-015 Dompet anyaman 4 0 0 0 1 0 0 3" in text


def test_there_are_signature_blocks_for_hotel_and_ikm(sample_pdf):
    text = all_text(sample_pdf)
    assert "Untuk hotel" in text
    assert "Untuk IKM" in text
    assert "Nama dan jabatan" in text
    assert text.count("Tanggal:") == 2


def test_every_page_says_halaman_x_dari_y(sample_pdf):
    pages = page_texts(sample_pdf)
    for number, text in enumerate(pages, start=1):
        assert f"Halaman {number} dari {len(pages)}" in text


def test_the_same_view_renders_to_the_same_bytes():
    assert render_statement(sample_view()) == render_statement(sample_view())


def test_the_bytes_do_not_depend_on_source_date_epoch(monkeypatch, sample_pdf):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert render_statement(sample_view()) == sample_pdf


def test_a_different_view_renders_to_different_bytes(sample_pdf):
    assert render_statement(sample_view(number="ST-000043")) != sample_pdf


def test_the_pdf_metadata_carries_the_number_and_the_issue_date(sample_pdf):
    import io

    import pypdf

    meta = pypdf.PdfReader(io.BytesIO(sample_pdf)).metadata
    assert meta.title == "ST-000042 Oktober 2020"
    assert meta["/CreationDate"].startswith("D:20201103")


@pytest.fixture(scope="module")
def long_pdf():
    return render_statement(sample_view(lines=many_lines(150)))


def test_a_150_line_statement_spans_pages_with_the_header_on_each(long_pdf):
    pages = page_texts(long_pdf)
    assert len(pages) >= 4
    pages_with_lines = [p for p in pages if re.search(r"SKU-\d{3}", p)]
    assert len(pages_with_lines) >= 3
    for text in pages_with_lines:
        assert "No Tanggal SKU Nama barang Jml Harga satuan Tarif Jumlah" in text


def test_a_150_line_statement_prints_every_line_once(long_pdf):
    text = all_text(long_pdf)
    for i in range(150):
        assert len(re.findall(rf"\bSKU-{i:03d}\b", text)) == 1


def test_a_150_line_statement_numbers_every_page(long_pdf):
    pages = page_texts(long_pdf)
    for number, text in enumerate(pages, start=1):
        assert f"Halaman {number} dari {len(pages)}" in text
        assert "ST-000042" in text


def test_the_english_statement_has_english_labels():
    text = all_text(render_statement(sample_view(), lang="en"))
    for expected in ["CONSIGNMENT SETTLEMENT STATEMENT", "Statement number", "October 2020",
                     "3 November 2020", "Sales lines", "Losses and damage (hotel liable)",
                     "Gross sales", "Net payable to the IKM Rp818.625",
                     "In words: Eight hundred eighteen thousand six hundred twenty-five rupiah",
                     "Stock reconciliation", "17.5%", "For the hotel", "Page 1 of"]:
        assert expected in text
    for indonesian in ["Halaman", "Terbilang", "Penjualan kotor", "Oktober"]:
        assert indonesian not in text


def test_a_draft_says_konsep_and_has_no_number():
    text = all_text(render_statement(draft_view()))
    assert "Nomor laporan KONSEP" in text
    assert "KONSEP: laporan ini belum diterbitkan" in text
    assert "Tanggal terbit -" in text
    assert "ST-" not in text


def test_an_english_draft_says_draft():
    text = all_text(render_statement(draft_view(), lang="en"))
    assert "Statement number DRAFT" in text
    assert "DRAFT: this statement has not been issued" in text


def test_a_paid_statement_prints_exactly_like_the_issued_one(sample_pdf):
    # The issued PDF's SHA-256 is stored at close; paying must not change it.
    assert render_statement(sample_view(status="paid")) == sample_pdf


def test_a_negative_net_is_carried_forward_and_nothing_is_payable():
    view = sample_view(lines=(), opening_balance=-75_000)
    assert view.net == -75_000
    text = all_text(render_statement(view))
    assert "Saldo bersih -Rp75.000" in text
    assert "Tidak ada pembayaran untuk periode ini." in text
    assert "Saldo negatif -Rp75.000 dibawa ke laporan periode berikutnya" in text
    assert "Terbilang" not in text
    assert "Tidak ada penjualan pada periode ini." in text


def test_a_zero_net_pays_nothing_and_carries_nothing():
    view = sample_view(lines=(), opening_balance=0)
    text = all_text(render_statement(view, lang="en"))
    assert "Nothing is payable for this period." in text
    assert "carried forward to the next" not in text


def test_names_with_markup_characters_are_printed_as_written():
    line = sample_line(name="Tas <Pandan> & Kulit")
    view = sample_view(lines=(line,), hotel_name="Hotel Tugu & Co <Malang>")
    text = all_text(render_statement(view))
    assert "Tas <Pandan> & Kulit" in text
    assert "Hotel Tugu & Co <Malang>" in text


def test_a_very_long_hotel_name_is_shortened_in_the_page_foot_not_overprinted():
    view = sample_view(hotel_name="Hotel " + "Sangat Panjang Sekali " * 8)
    pages = page_texts(render_statement(view))
    assert all("…" in text for text in pages)
    assert all(f"Halaman {i} dari {len(pages)}" in t for i, t in enumerate(pages, start=1))


def test_a_view_that_does_not_add_up_is_refused_with_every_problem():
    view = replace(sample_view(), gross=1, net=7)
    with pytest.raises(ValueError) as refused:
        render_statement(view)
    message = str(refused.value)
    assert message.startswith("Statement ST-000042 does not add up:")
    assert "the lines' amounts is 1060000, but gross is 1" in message
    assert "net is 7" in message


def test_statement_problems_lists_every_inconsistency():
    view = replace(
        sample_view(),
        status="sent",
        lines=(sample_line(kind="gift", amount=1),),
        stock=(replace(sample_view().stock[0], closing=99),),
    )
    problems = statement_problems(view)
    assert "Status 'sent' is not one of draft, issued, paid." in problems
    assert "Line 1 (BTK-001) has kind 'gift', not one of sale, loss, correction." in problems
    assert "Line 1 (BTK-001): 2 x 450000 is not 1." in problems
    assert "Stock of BTK-001 should close at 5, not 99." in problems


def test_an_issued_statement_without_a_number_is_refused():
    assert statement_problems(sample_view(number=None)) == [
        "A statement with status 'issued' needs a number."
    ]


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="'de'"):
        render_statement(sample_view(), lang="de")
