"""The shared page base: numbering, shortening, reproducibility."""

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import PageBreak, Paragraph

from reports.base import (
    CELL,
    FONT,
    DocumentInfo,
    RunningHead,
    SectionStart,
    cell,
    fit,
    para,
    render,
)
from tests.reports.views import page_texts

INFO = DocumentInfo(title="t", author="a", subject="s")


def three_pages():
    head = RunningHead(left="Kiri", right="Kanan", foot="Kaki")
    return [SectionStart(head), para("satu"), PageBreak(), para("dua"), PageBreak(),
            SectionStart(RunningHead(left="Baru", right="Lain", stamp="KONSEP")), para("tiga")]


def test_every_page_knows_the_total_in_indonesian_and_english():
    for lang, words in [("id", "Halaman {} dari 3"), ("en", "Page {} of 3")]:
        pages = page_texts(render(three_pages, INFO, lang))
        assert len(pages) == 3
        for number, text in enumerate(pages, start=1):
            assert words.format(number) in text


def test_a_section_marker_changes_the_margins_from_its_page_on():
    pages = page_texts(render(three_pages, INFO))
    assert "Kiri" in pages[0] and "Kiri" in pages[1]
    assert "Baru" in pages[2] and "Kiri" not in pages[2]
    assert "Kaki" in pages[0]


def test_the_story_is_laid_out_once_and_every_page_still_knows_the_total():
    calls = []

    def counted():
        calls.append(1)
        return three_pages()

    pages = page_texts(render(counted, INFO))
    assert len(calls) == 1
    assert [f"Halaman {n} dari 3" in text for n, text in enumerate(pages, start=1)] == [True] * 3


def test_rendering_twice_gives_identical_bytes():
    assert render(three_pages, INFO) == render(three_pages, INFO)


def test_text_that_fits_is_left_alone():
    assert fit("Hotel Atria", FONT, 8, 200) == "Hotel Atria"


def test_text_that_does_not_fit_is_shortened_with_an_ellipsis():
    long = "Hotel " + "sangat panjang " * 30
    short = fit(long, FONT, 8, 100)
    assert short.endswith("…")
    assert stringWidth(short, FONT, 8) <= 100
    assert long.startswith(short[:-1])


def test_a_cell_that_fits_on_one_line_is_a_plain_string():
    width = stringWidth("Batik tulis Malangan", CELL.fontName, CELL.fontSize)
    assert cell("Batik tulis Malangan", width) == "Batik tulis Malangan"


def test_a_cell_too_wide_for_its_column_is_a_paragraph_that_wraps():
    text = "Tas anyaman pandan & kulit"
    made = cell(text, stringWidth(text, CELL.fontName, CELL.fontSize) - 1)
    assert isinstance(made, Paragraph)
    assert made.wrap(60, 1000)[1] > CELL.leading


def test_a_cell_with_runs_of_spaces_stays_a_paragraph_which_prints_them_as_one():
    for text in ["Tas  anyaman", " Tas", "Tas\nanyaman"]:
        assert isinstance(cell(text, 500), Paragraph)


def test_the_reports_package_loads_neither_sqlalchemy_nor_click():
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys, reports, reports.statement, reports.consolidated; "
            "print(sorted(m for m in ('sqlalchemy', 'click', 'consign') if m in sys.modules))")
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "[]"
