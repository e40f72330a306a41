"""The renderer's short cuts write what reportlab itself would, byte for byte: remembered
number formats, string widths, subsets and line breaks, plain strings written straight
into the page, table styles set once per command, and the pool fed as views are made."""

import gc
import io
import itertools
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.rl_accel import _py_fp_str
from reportlab.pdfgen import textobject
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

from reports import base, pool
from reports.base import CELL, FONT, FONT_BOLD, SMALL, Grid, para
from reports.shortcuts import Para, QuickTextCanvas
from reports.statement import render_statement
from tests.reports.views import draft_view, many_lines, sample_view


def test_a_number_is_written_as_reportlab_writes_it_the_first_time_and_every_time():
    numbers = [0, 1, -1, 0.5, 1e-8, -1e-8, 2.5, 12.75, 1 / 3, -2 / 3, 493.2283, 1e6,
               123456.789, 0.000123, 7, True, 8.0, -0.0]
    written = textobject.fp_str
    assert written is not _py_fp_str  # the remembering one is in place
    for _ in range(2):
        for number in numbers:
            assert written(number) == _py_fp_str(number)
        for pair in itertools.product(numbers[:8], repeat=2):
            assert written(*pair) == _py_fp_str(*pair)
        assert written([1.5, 2, 1 / 7]) == _py_fp_str([1.5, 2, 1 / 7])
        assert written((1.5, 2)) == _py_fp_str((1.5, 2))


STRINGS = ["1", "Rp1.500.000", "", "  spasi  ", "(kurung) \\ miring", "Café ½ – “kutip”",
           "Rp1.500.000", "ŁŒœ€™ fi", "1"]


def _drawn(canvas_class) -> list[str]:
    canvas = canvas_class(io.BytesIO(), pagesize=A4, invariant=1, initialFontName=FONT)
    for size, leading, font in ((8, 10, FONT), (7.5, 9, FONT_BOLD)):
        canvas.setFont(font, size, leading)
        for n, text in enumerate(STRINGS):
            canvas.drawString(10 + n, 700 - n * 1.5, text)
            canvas.drawRightString(500.25, 600 - n / 3, text)
    canvas.drawString(10, 10, "".join(map(chr, range(0x100, 0x180))))  # a second subset
    canvas.drawString(10, 20, "spaced", charSpace=1)  # reportlab's own way
    return canvas._code


def test_a_plain_string_is_written_into_the_page_as_reportlab_writes_it():
    assert _drawn(QuickTextCanvas) == _drawn(Canvas)


COMMANDS = [
    ("FONTNAME", (0, 0), (-1, -1), FONT),
    ("FONT", (0, 0), (-1, -1), FONT, 8, 10),
    ("FONT", (0, 0), (-1, 0), FONT_BOLD, 7.5),
    ("FONT", (1, 1), (1, 1), FONT_BOLD),
    ("TEXTCOLOR", (0, 0), (-1, -1), colors.HexColor("#1B1F24")),
    ("TEXTCOLOR", (0, 0), (-1, 0), "white"),
    ("ALIGN", (2, 0), (2, -1), "RIGHT"),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (-2, -3), (-1, -1), 1.5),
    ("TOPPADDING", (0, 1), (-1, -1), 1),
    ("BOTTOMPADDING", (0, 1), (-1, -1), 1.5),
    ("FONTSIZE", (1, 1), (-1, -1), 7),
    ("LEADING", (1, 1), (-1, -1), 8.75),
    ("TOPPADDING", (0, "splitlast"), (-1, "splitlast"), 4),
    ("BACKGROUND", (0, 0), (-1, 0), colors.black),
    ("LINEBELOW", (0, 1), (-1, -1), 0.4, colors.grey),
    ("SPAN", (0, 3), (-1, 3)),
]
STYLE = ("fontname", "fontsize", "leading", "color", "alignment", "valign", "leftPadding",
         "rightPadding", "topPadding", "bottomPadding")


def test_a_grid_styles_its_cells_as_reportlabs_table_does():
    data = [[f"{row}:{column}" for column in range(4)] for row in range(6)]
    grid, table = Grid(data), Table(data)
    grid.setStyle(COMMANDS)
    table.setStyle(COMMANDS)
    for ours, theirs in zip(itertools.chain(*grid._cellStyles),
                            itertools.chain(*table._cellStyles), strict=True):
        assert [getattr(ours, name) for name in STYLE] == \
               [getattr(theirs, name) for name in STYLE]
    for kept in ("_bkgrndcmds", "_linecmds", "_spanCmds", "_srflcmds", "_sircmds"):
        assert getattr(grid, kept) == getattr(table, kept)


def _document(make) -> bytes:
    out = io.BytesIO()
    texts = ["Batik tulis Malangan", "Tas anyaman pandan &amp; kulit " * 4, "x", "Batik tulis"]
    story = [make(text, style) for _ in range(3) for text in texts for style in (CELL, SMALL)]
    SimpleDocTemplate(out, pagesize=A4, invariant=1).build(
        [Table([[paragraph] for paragraph in story], colWidths=[120])] + [
         make(text, CELL) for text in texts])
    return out.getvalue()


def test_a_paragraph_made_again_is_laid_out_and_drawn_as_a_fresh_one():
    assert _document(Para) == _document(Paragraph)
    assert _document(Para) == _document(Paragraph)  # now from what was remembered


def test_a_statement_renders_to_the_same_bytes_in_a_fresh_worker_and_here():
    views = [sample_view(), draft_view(), sample_view(lines=many_lines(40)), sample_view()] * 6
    here = [render_statement(view) for view in views]
    made = (view for view in views)  # handed to the workers as they are taken
    assert list(pool.iter_render(made, workers=2, count=len(views))) == here
    assert pool.render_statements(views, workers=2) == here


def test_a_paragraph_of_plain_text_is_parsed_once_per_process():
    first, again = para("Selendang batik"), para("Selendang batik")
    assert again.frags is first.frags
    assert again.wrap(100, 100) == Paragraph("Selendang batik", base.BODY).wrap(100, 100)


def test_markup_is_broken_into_lines_again_for_another_width():
    markup = "<b>Usaha Batik Tulis</b> (IKM-0001) · " + "kain panjang " * 6
    ours, theirs = Para(markup, CELL), Paragraph(markup, CELL)
    for width in (80, 80, 300, 120):
        assert ours.wrap(width, 500) == theirs.wrap(width, 500)
        assert len(ours.blPara.lines) == len(theirs.blPara.lines)


def test_the_rendering_workers_collect_garbage_as_often_as_the_process_that_starts_them():
    before = gc.get_threshold()
    gc.set_threshold(12_345, before[1], before[2])
    try:
        with ProcessPoolExecutor(1, mp_context=get_context("forkserver"),
                                 initializer=gc.set_threshold, initargs=(700, 10, 10)) as other:
            assert other.submit(gc.get_threshold).result() == (700, 10, 10)  # the way to see
        assert pool._pool(3).submit(gc.get_threshold).result() == (12_345, *before[1:])
    finally:
        gc.set_threshold(*before)
        pool._POOLS.pop(3).shutdown()


def test_the_callers_work_meanwhile_runs_once_every_view_is_handed_out_before_any_pdf():
    """In a close, the month's days to sell are kept while the workers draw: ``meanwhile``
    runs once, after the last view is made and before the first PDF comes back; where this
    process draws alone, before it draws."""
    for workers, count in ((2, 24), (1, 3)):
        events: list[str] = []

        def made(n=count, events=events):
            for _ in range(n):
                events.append("view")
                yield sample_view()

        pdfs = pool.iter_render(made(), workers=workers, count=count,
                                meanwhile=lambda events=events: events.append("meanwhile"))
        first = next(pdfs)
        events.append("pdf")
        expected = (["view"] * count + ["meanwhile", "pdf"] if workers > 1
                    else ["meanwhile", "view", "pdf"])  # this process draws as it goes
        assert events == expected, workers
        assert first == render_statement(sample_view())
        assert len(list(pdfs)) == count - 1
        assert events.count("meanwhile") == 1
