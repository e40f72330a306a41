"""The agency's programme report: headline cards, charts and the audit tables in short form,
from a hand-built view of three months in Kota Malang (no database)."""

import datetime
import io
from fractions import Fraction

import pytest
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from reports import base
from reports.charts import nice_ticks, short_rupiah
from reports.fmt import rupiah
from reports.programme import (
    MONEY_COLUMNS,
    Headline,
    MonthSector,
    ProgrammeView,
    Ranked,
    TableView,
    period_range,
    render_programme,
    share_label,
)
from reports.programme_labels import ENGLISH, INDONESIAN, TABLE_KEYS
from tests.reports.views import all_text, page_texts

D = datetime.date
LONG_NAME = ("Kerajinan Anyaman Bambu Tradisional Malangan Desa Wisata Pujon Kidul "
             "Kecamatan Pujon Kabupaten Malang Jawa Timur Indonesia")[:120]
LONG_WORD = "W" * 120  # the widest glyph, one unbreakable word


def month_sector(period, **gross):
    return tuple(MonthSector(period, sector, amount) for sector, amount in gross.items())


SALES = (
    month_sector("2020-10", kriya=6_450_000, fashion=4_200_000, kuliner=1_875_000,
                 lainnya=350_000)
    + month_sector("2020-11", kriya=7_125_000, fashion=3_900_000, kuliner=2_340_000,
                   lainnya=0)
    + month_sector("2020-12", kriya=9_800_000, fashion=6_150_000, kuliner=3_015_000,
                   lainnya=545_000)
)
GROSS = sum(row.gross for row in SALES)  # 45_750_000
SHARE = tuple((sector, sum(r.gross for r in SALES if r.sector == sector))
              for sector in ("kriya", "fashion", "kuliner", "lainnya"))

HOTELS = (
    Ranked("TUGU", "Hotel Tugu Malang", 16_240_000, 58),
    Ranked("ATRIA", "Hotel Atria Malang", 12_875_000, 61),
    Ranked("IJEN", "Ijen Suites Resort & Convention", 9_460_000, 37),
    Ranked("SANTIKA", "Hotel Santika Premiere Malang", 7_175_000, 29),
)
IKM = (
    Ranked("BTK-CLK", "Batik Tulis Celaket", 11_350_000, 19),
    Ranked("KRJ-TLG", "Topeng Malangan Tlogomas", 8_925_000, 24),
    Ranked("FSN-KYT", "Tenun Ikat Kayutangan", 7_400_000, 16),
    Ranked("KLN-SBR", "Keripik Tempe Sanan Barokah", 3_015_000, 201),
    Ranked("KRJ-DAU", "Gerabah Dinoyo Sari", 2_860_000, 31),
)

TABLES = (
    TableView("placements", ("hotel", "consignor", "product", "on_hand", "value",
                             "first_placed", "days_on_display", "past_term"),
              (("ATRIA", "Batik Tulis Celaket", "Batik tulis Malangan motif Teratai", 6,
                2_700_000, D(2020, 8, 3), 150, True),
               ("TUGU", "Topeng Malangan Tlogomas", "Topeng Panji Asmarabangun", 4, 1_400_000,
                D(2020, 11, 2), 59, False)),
              more=37),
    TableView("aging", ("hotel", "consignor", "phone", "product", "on_hand", "days"),
              (("IJEN", "Gerabah Dinoyo Sari", "+62 812-3300-4411", "Vas gerabah ukir", 3,
                124),)),
    TableView("sales", ("hotel", "gross", "commission", "net", "units", "sell_through"),
              (("TUGU", 16_240_000, 2_842_000, 13_398_000, 58, Fraction(58, 91)),
               ("ATRIA", 12_875_000, 2_253_125, 10_621_875, 61, None))),
    TableView("payments", ("hotel", "statement", "due_on", "days_overdue", "owed"),
              (("SANTIKA", "ST-000031", D(2020, 12, 14), 22, 1_235_000),)),
    TableView("shrinkage", ("hotel", "liable", "units_lost", "rupiah"), ()),
)


def sample_programme(**changes) -> ProgrammeView:
    values = dict(
        agency_name="Dinas Koperasi, Perindustrian dan Perdagangan Kota Malang",
        programme_name="Program Etalase Produk IKM di Hotel Kota Malang 2020",
        period_from="2020-10", period_to="2020-12", made_on=D(2021, 1, 5),
        headline=Headline(ikm_selling=23, hotels_active=4, gross=GROSS,
                          commission=8_006_250, net=37_743_750, paid_out=31_208_500,
                          overdue=1_235_000, overdue_statements=1),
        by_month_sector=SALES, top_hotels=HOTELS, top_ikm=IKM, sector_share=SHARE,
        tables=TABLES,
    )
    return ProgrammeView(**(values | changes))


@pytest.fixture(scope="module")
def programme_pdf():
    return render_programme(sample_programme())


def test_the_report_prints_the_headline_figures_in_rupiah(programme_pdf):
    first = page_texts(programme_pdf)[0]
    for expected in ["LAPORAN PROGRAM KONSINYASI PRODUK IKM", "IKM berjualan 23",
                     "Hotel aktif 4", f"Penjualan kotor {rupiah(GROSS)}", "Rp45.750.000",
                     "Komisi hotel Rp8.006.250", "17,5% dari penjualan kotor",
                     "Bersih untuk IKM Rp37.743.750", "Dibayarkan ke IKM Rp31.208.500",
                     "Tunggakan lewat jatuh tempo Rp1.235.000",
                     "Laporan lewat jatuh tempo 1", "per 5 Januari 2021"]:
        assert expected in first, expected


def test_the_report_names_the_range_of_periods(programme_pdf):
    first = page_texts(programme_pdf)[0]
    assert "Periode Oktober–Desember 2020" in first
    assert "Laporan Program Konsinyasi Produk IKM · Dinas" in first  # the running head
    assert "Program Etalase Produk IKM di Hotel Kota Malang 2020" in first


@pytest.mark.parametrize(("first", "last", "lang", "expected"), [
    ("2020-10", "2020-10", "id", "Oktober 2020"),
    ("2020-10", "2020-12", "id", "Oktober–Desember 2020"),
    ("2020-11", "2021-02", "id", "November 2020–Februari 2021"),
    ("2020-10", "2020-12", "en", "October–December 2020"),
])
def test_a_range_of_periods_reads_as_months(first, last, lang, expected):
    assert period_range(first, last, lang) == expected


def test_a_range_that_runs_backwards_is_refused():
    with pytest.raises(ValueError, match="2020-12 is after 2020-10"):
        period_range("2020-12", "2020-10")


def test_the_charts_name_the_hotels_the_ikm_and_the_sectors(programme_pdf):
    text = all_text(programme_pdf)
    for ranked in HOTELS + IKM:
        assert f"{ranked.name} {ranked.code} {rupiah(ranked.gross)}" in text, ranked.code
    for words in ["Kriya", "Fesyen", "Kuliner", "Lainnya", "Okt 2020", "Des 2020",
                  "Penjualan kotor per bulan menurut sektor", "Rp15 jt"]:
        assert words in text, words
    # the sectors' shares: kriya 23.375.000 of 45.750.000 is 51,09...% -> 51,1%
    assert "Kriya Rp23.375.000 51,1%" in text
    assert "Lainnya Rp895.000 2%" in text  # 1,956...% rounds to 2,0%
    assert f"Jumlah {rupiah(GROSS)} 100%" in text


def test_the_audit_tables_print_their_rows_in_short_form(programme_pdf):
    text = all_text(programme_pdf)
    for expected in [
        "Barang terpajang di hotel",
        "ATRIA Batik Tulis Celaket Batik tulis Malangan motif Teratai 6 Rp2.700.000 "
        "3 Agu 2020 150 ya",
        "dan 37 baris lainnya",
        "IJEN Gerabah Dinoyo Sari +62 812-3300-4411 Vas gerabah ukir 3 124",
        "TUGU Rp16.240.000 Rp2.842.000 Rp13.398.000 58 0,64",
        "ATRIA Rp12.875.000 Rp2.253.125 Rp10.621.875 61 -",
        "SANTIKA ST-000031 14 Des 2020 22 Rp1.235.000",
        "Susut dan selisih stok", "Tidak ada baris.",
    ]:
        assert expected in text, expected


def test_the_same_view_renders_to_the_same_bytes(programme_pdf):
    assert render_programme(sample_programme()) == programme_pdf


def test_pages_are_numbered(programme_pdf):
    pages = page_texts(programme_pdf)
    for number, text in enumerate(pages, start=1):
        assert f"Halaman {number} dari {len(pages)}" in text


def test_the_english_report_has_english_labels():
    text = all_text(render_programme(sample_programme(), lang="en"))
    for expected in ["IKM PRODUCT CONSIGNMENT PROGRAMME REPORT", "Period October–December 2020",
                     "IKM selling 23", "Active hotels 4", "Gross sales Rp45.750.000",
                     "17.5% of gross sales", "Paid out to IKM Rp31.208.500",
                     "Overdue statements 1", "Top hotels by gross sales", "Crafts",
                     "Culinary", "Oct 2020", "Goods on display at hotels", "and 37 more rows",
                     "3 Aug 2020", "Page 1 of", "Rp15m"]:
        assert expected in text, expected
    for indonesian in ["Halaman", "Penjualan kotor", "baris lainnya", "Kriya"]:
        assert indonesian not in text


def test_every_table_and_column_has_words_in_both_languages():
    assert set(INDONESIAN.tables) == set(ENGLISH.tables) == set(TABLE_KEYS)
    assert set(INDONESIAN.columns) == set(ENGLISH.columns)
    assert set(INDONESIAN.sectors) == set(ENGLISH.sectors)
    used = {key for table in TABLES for key in table.columns}
    assert used | MONEY_COLUMNS <= set(INDONESIAN.columns)


def text_runs(pdf: bytes):
    """(page, text, left x, right x) of every piece of text the pages draw."""
    faces = {"BitstreamVeraSans-Roman": base.FONT, "BitstreamVeraSans-Bold": base.FONT_BOLD,
             "BitstreamVeraSans-Oblique": base.FONT_ITALIC}
    runs = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, start=1):
        def visit(text, cm, tm, font, size, number=number):
            if not text.strip() or font is None:
                return
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            scale = tm[0] * cm[0] + tm[1] * cm[2]
            face = faces[font["/BaseFont"].split("+")[1]]
            # pypdf starts a wrapped line's text with the space it was broken at: not drawn
            width = stringWidth(text.strip(), face, size) * scale
            runs.append((number, text, x, x + width))
        page.extract_text(visitor_text=visit)
    return runs


@pytest.mark.parametrize("name", [LONG_NAME, LONG_WORD])
def test_a_name_of_120_characters_wraps_inside_the_margins(name):
    hotels = (Ranked("WWWWWWWWWWWWWWWWWWWW", name, 10**12, 100_000),) + HOTELS
    ikm = IKM + (Ranked("KRJ-PJN", name, 2_000_000, 7),)
    tables = (TableView("placements", ("hotel", "consignor", "product", "on_hand", "value"),
                        ((name, name, name, 100_000, 10**12),)),
              TableView("payments", ("hotel", "consignor", "statement", "issued_on", "due_on",
                                     "days_overdue", "net", "paid", "owed"),
                        ((name, name, "ST-000031", D(2020, 11, 30), D(2020, 12, 14), 22,
                          10**12, 10**11, 9 * 10**11),)))
    view = sample_programme(top_hotels=hotels, top_ikm=ikm, tables=tables,
                            agency_name=name, programme_name=name)
    pdf = render_programme(view)
    assert all_text(pdf).replace(" ", "").count(name.replace(" ", "")) >= 4
    runs = text_runs(pdf)
    assert runs
    left, right = base.MARGIN_X - 0.5, base.PAGE_WIDTH - base.MARGIN_X + 0.5
    outside = [(page, text[:20], round(x0), round(x1)) for page, text, x0, x1 in runs
               if x0 < left or x1 > right]
    assert outside == []


def test_a_view_with_no_sales_and_no_tables_still_renders_a_page():
    empty = sample_programme(
        headline=Headline(0, 0, 0, 0, 0, 0, 0, 0), by_month_sector=(), top_hotels=(),
        top_ikm=(), sector_share=(), tables=(), period_from="2020-10", period_to="2020-10")
    pages = page_texts(render_programme(empty))
    assert len(pages) == 1
    for expected in ["Periode Oktober 2020", "Penjualan kotor Rp0",
                     "Belum ada penjualan pada periode ini.",
                     "Tidak ada tabel audit untuk periode ini.", "Halaman 1 dari 1"]:
        assert expected in pages[0], expected


def test_months_without_sales_in_a_range_still_chart():
    view = sample_programme(by_month_sector=month_sector("2020-11", kriya=500_000),
                            sector_share=(("kriya", 500_000),), period_to="2021-01")
    text = all_text(render_programme(view))
    for expected in ["Okt 2020", "Nov 2020", "Des 2020", "Jan 2021", "Kriya Rp500.000 100%"]:
        assert expected in text


def test_every_font_in_the_report_is_embedded(programme_pdf):
    for page in PdfReader(io.BytesIO(programme_pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert "/FontFile2" in font["/FontDescriptor"].get_object(), font["/BaseFont"]


@pytest.mark.parametrize(("part", "whole", "lang", "expected"), [
    (375, 1000, "id", "37,5%"), (375, 1000, "en", "37.5%"), (2, 5, "id", "40%"),
    (1, 8, "id", "12,5%"), (1, 16, "id", "6,3%"),  # 6,25 rounds half away from zero
    (-1, 16, "id", "-6,3%"), (1, 3, "id", "33,3%"), (0, 5, "id", "0%"), (5, 0, "id", "-"),
    (8_006_250, 45_750_000, "id", "17,5%"),
])
def test_shares_are_exact_and_round_half_away_from_zero(part, whole, lang, expected):
    assert share_label(part, whole, lang) == expected


@pytest.mark.parametrize(("amount", "lang", "exact", "expected"), [
    (2_500_000, "id", True, "Rp2,5 jt"), (2_500_000, "en", True, "Rp2.5m"),
    (1_250_000, "id", True, "Rp1,25 jt"), (1_250_000, "id", False, "Rp1,3 jt"),
    (999_960, "id", False, "Rp1 jt"), (750_000, "id", True, "Rp750 rb"), (0, "id", True, "Rp0"),
    (3 * 10**9, "id", True, "Rp3 M"), (-2_500_000, "id", False, "-Rp2,5 jt"),
])
def test_chart_amounts_read_short(amount, lang, exact, expected):
    assert short_rupiah(amount, lang, exact) == expected


def test_axis_ticks_are_round_and_cover_the_bars():
    assert nice_ticks(0, 19_510_000) == [0, 5_000_000, 10_000_000, 15_000_000, 20_000_000]
    assert nice_ticks(0, 1_100_000) == [0, 250_000, 500_000, 750_000, 1_000_000, 1_250_000]
    assert nice_ticks(-300_000, 2_600_000)[0] <= -300_000
    assert nice_ticks(0, 7) == [0, 2, 4, 6, 8]

