"""The consolidated PDF: a summary page, then every hotel's statement."""

import pytest

from reports.consolidated import render_consolidated
from reports.fmt import rupiah
from reports.statement import render_statement
from tests.reports.views import (
    all_text,
    draft_view,
    page_texts,
    sample_consolidated,
)


@pytest.fixture(scope="module")
def consolidated_pdf():
    return render_consolidated(sample_consolidated())


def test_the_view_totals_are_sums_of_the_statements():
    view = sample_consolidated()
    assert [s.net for s in view.statements] == [818_625, 1_051_875, -75_000]
    assert view.total_gross == 1_060_000 + 1_275_000 + 0
    assert view.total_commission == 191_375 + 223_125 + 0
    assert view.total_opening_balance == -50_000 + 0 - 75_000
    assert view.total_net == 818_625 + 1_051_875 - 75_000
    assert view.total_payable == 818_625 + 1_051_875


def test_the_summary_page_has_one_row_per_hotel(consolidated_pdf):
    summary = page_texts(consolidated_pdf)[0]
    view = sample_consolidated()
    assert "REKAPITULASI PENYELESAIAN KONSINYASI" in summary
    for i, statement in enumerate(view.statements, start=1):
        row = (f"{i} {statement.hotel_name} {statement.hotel_code} {statement.number} "
               f"{rupiah(statement.gross)} {rupiah(statement.commission)} "
               f"{rupiah(statement.opening_balance)} {rupiah(statement.net)}")
        assert row in summary


def test_the_summary_totals_the_hotels_and_says_what_is_paid(consolidated_pdf):
    summary = page_texts(consolidated_pdf)[0]
    view = sample_consolidated()
    totals = (f"Jumlah {rupiah(view.total_gross)} {rupiah(view.total_commission)} "
              f"{rupiah(view.total_opening_balance)} {rupiah(view.total_net)}")
    assert totals in summary
    assert f"Jumlah yang dibayarkan periode ini {rupiah(view.total_payable)}" in summary
    assert "tidak dipotongkan dari pembayaran hotel lain" in summary


def test_the_summary_gives_the_year_to_date_gross_for_the_final_income_tax(consolidated_pdf):
    summary = page_texts(consolidated_pdf)[0]
    assert "Penjualan kotor tahun 2020 sampai dengan Oktober 2020, seluruh hotel" in summary
    assert "Rp23.450.000" in summary
    assert "PPh final 0,5%" in summary
    assert "PP 55/2022" in summary


def test_every_statement_follows_in_full(consolidated_pdf):
    text = all_text(consolidated_pdf)
    view = sample_consolidated()
    assert text.count("LAPORAN PENYELESAIAN KONSINYASI") == len(view.statements)
    assert text.count("Rekonsiliasi stok") == len(view.statements)
    assert "Terbilang: Delapan ratus delapan belas ribu enam ratus dua puluh lima rupiah" in text


def test_pages_are_numbered_across_the_whole_document(consolidated_pdf):
    pages = page_texts(consolidated_pdf)
    statement_pages = sum(
        len(page_texts(render_statement(s))) for s in sample_consolidated().statements
    )
    assert len(pages) == 1 + statement_pages
    for number, text in enumerate(pages, start=1):
        assert f"Halaman {number} dari {len(pages)}" in text


def test_each_statement_page_carries_its_own_number_in_the_margin(consolidated_pdf):
    pages = page_texts(consolidated_pdf)
    first_pages = {s.number: None for s in sample_consolidated().statements}
    for index, text in enumerate(pages):
        if "LAPORAN PENYELESAIAN KONSINYASI" in text:
            number = next(n for n in first_pages if f"{n} · Oktober 2020" in text)
            first_pages[number] = index
    assert sorted(first_pages.values()) == list(first_pages.values())
    assert None not in first_pages.values()


def test_the_same_consolidated_view_renders_to_the_same_bytes(consolidated_pdf):
    assert render_consolidated(sample_consolidated()) == consolidated_pdf


def test_the_english_consolidated_has_english_labels():
    text = all_text(render_consolidated(sample_consolidated(), lang="en"))
    for expected in ["CONSOLIDATED CONSIGNMENT SETTLEMENT", "Summary by hotel",
                     "Gross sales in 2020 up to October 2020, all hotels",
                     "0.5% final income tax", "CONSIGNMENT SETTLEMENT STATEMENT", "Page 1 of"]:
        assert expected in text
    assert "Halaman" not in text


def test_a_consolidated_with_no_statements_still_renders_its_summary():
    pages = page_texts(render_consolidated(sample_consolidated(statements=())))
    assert len(pages) == 1
    assert "Tidak ada laporan untuk periode ini." in pages[0]
    assert "Halaman 1 dari 1" in pages[0]


def test_a_consolidated_with_a_draft_marks_the_draft():
    view = sample_consolidated(statements=(draft_view(),))
    text = all_text(render_consolidated(view))
    assert "Nomor laporan KONSEP" in text
    assert "1 Hotel Atria Malang ATRIA KONSEP" in text
