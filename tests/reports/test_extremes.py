"""Every value the input bounds allow prints on every document: the longest names wrap,
the widest figures fit their columns, nothing runs off the page, every font is embedded,
and every character the bounds let into a name has a glyph."""

import io

import pytest
from pypdf import PdfReader
from reportlab.platypus import Table

from reports import base, fonts
from reports.consolidated import consolidated_story, render_consolidated
from reports.statement import StockRowView, render_statement, statement_story
from tests.reports.views import sample_consolidated, sample_line, sample_view

WIDE = "W"  # the widest glyph of the typeface
LONG_NAME = WIDE * 120  # a name at its bound, one unbreakable word
LONG_WORDS = ("Kerajinan Anyaman Bambu Tradisional Malangan " * 3)[:120].strip()
ADDRESS = ("Jl. Raya Tlogomas Gang Tujuh Belas Nomor Seratus Dua Puluh Tiga, " * 5)[:300]
SKU = WIDE * 16
CODE = WIDE * 20
MAX_QTY, MAX_PRICE = 100_000, 1_000_000_000
ACCENTS = "Ñandú Çakır Łukasz Œuvre Šárka Ğüneş İstanbul Žofie € – “Sekar”"


def extreme_lines(n: int = 40):
    return tuple(
        sample_line(sku=SKU, name=LONG_NAME if i % 2 else LONG_WORDS, qty=MAX_QTY,
                    unit_price=MAX_PRICE, rate_bp=(1725, 10_000, 0)[i % 3])
        for i in range(n)
    )


def extreme_view(**changes):
    stock = tuple(
        StockRowView(SKU, LONG_NAME, 10**9, MAX_QTY, MAX_QTY, MAX_QTY, MAX_QTY, -MAX_QTY,
                     -MAX_QTY, 10**9 - 4 * MAX_QTY)
        for _ in range(30)
    )
    values = dict(
        lines=extreme_lines(), stock=stock, hotel_code=CODE, hotel_name=LONG_NAME,
        hotel_address=ADDRESS, hotel_phone="+62 812-3456-7890", consignor_code=CODE,
        consignor_name=LONG_WORDS, owner_name=LONG_NAME, consignor_address=ADDRESS,
        bank=LONG_WORDS, account="0021 0100 0123 5671 2345", holder=LONG_NAME,
        verification_code="A1B2 C3D4 E5F6", opening_balance=-(10**15),
    )
    return sample_view(**(values | changes))


def tables_in(flowables):
    for flowable in flowables:
        if isinstance(flowable, Table):
            yield flowable
            for row in flowable._cellvalues:
                for cell in row:
                    if isinstance(cell, list):
                        yield from tables_in(cell)
        yield from tables_in(getattr(flowable, "_content", []))


def text(pdf: bytes) -> str:
    return "".join("".join(page.extract_text().split()) for page in PdfReader(
        io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_statement_at_every_bound_prints_every_value_and_stays_on_the_page(lang):
    view = extreme_view()
    pdf = render_statement(view, lang)
    content = text(pdf)
    for value in (LONG_NAME, LONG_WORDS, ADDRESS, SKU, CODE, "Rp100.000.000.000.000"):
        assert "".join(value.split()) in content, value[:30]
    for table in tables_in(statement_story(view, lang)):
        assert sum(table._colWidths) <= base.CONTENT_WIDTH + 0.01


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_consolidated_statement_at_every_bound_prints(lang):
    statements = tuple(extreme_view(number=f"ST-{n:06d}", lines=extreme_lines(3))
                       for n in range(1, 4))
    view = sample_consolidated(statements=statements, consignor_code=CODE,
                               consignor_name=LONG_NAME, owner_name=LONG_WORDS,
                               address=ADDRESS, bank=LONG_NAME, holder=LONG_NAME,
                               year_to_date_gross=10**16)
    pdf = render_consolidated(view, lang)
    assert "".join(LONG_NAME.split()) in text(pdf)
    for table in tables_in(consolidated_story(view, lang)):
        assert sum(table._colWidths) <= base.CONTENT_WIDTH + 0.01


def test_every_font_in_a_document_is_embedded():
    for pdf in (render_statement(extreme_view(consignor_name=ACCENTS)),
                render_consolidated(sample_consolidated())):
        reader = PdfReader(io.BytesIO(pdf))
        seen = set()
        for page in reader.pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                descriptor = font["/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor, font["/BaseFont"]
                seen.add(font["/BaseFont"].split("+")[1])
        assert seen <= {"BitstreamVeraSans-Roman", "BitstreamVeraSans-Bold",
                        "BitstreamVeraSans-Oblique", "BitstreamVeraSans-BoldOblique"}


def test_a_name_with_accented_letters_prints_as_written():
    assert fonts.unprintable(ACCENTS) is None
    assert "".join(ACCENTS.split()) in text(render_statement(extreme_view(
        consignor_name=ACCENTS)))


def test_the_printable_characters_are_exactly_those_every_face_has_a_glyph_for():
    from reportlab.pdfbase.ttfonts import TTFont

    maps = [set(TTFont(name, str(path)).face.charToGlyph)
            for name, path in fonts.font_files().items()]
    common = {chr(code) for code in set.intersection(*maps)} - {"\uffff"}
    assert common == fonts.PRINTABLE
    assert fonts.unprintable("Batik Tulis Ñandú") is None
    assert fonts.unprintable("Batik \U0001F338") == "\U0001F338"
