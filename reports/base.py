"""The one base every consign PDF is built on.

A4 portrait, fixed margins, one embedded TrueType family (``reports.fonts``),
a running head and foot on every page with "Halaman X dari Y", and
byte-for-byte reproducible output.

A document is a *story*: a function returning platypus flowables.  It is
laid out once.  The foot of a page, which says "X of Y", waits on the canvas
(``PagedCanvas``) until the document is saved and the total is known; it is
then drawn exactly where, and exactly as, it would have been drawn in place.

Reproducibility: reportlab's invariant mode fixes its clock; the creation date
written into the file is the document's own date (or 2000-01-01), the file ID
is seeded from a constant rather than from a clock that ``SOURCE_DATE_EPOCH``
can move, and page streams are stored uncompressed, so the bytes do not depend
on which zlib the machine links.

Speed: what reportlab works out again and again for each statement (number formats,
string widths, paragraph parses and line breaks, table cell styles, the text of a plain
string in a cell) is remembered or short-cut in ``reports.shortcuts``, without changing
a byte of what is written.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Table,
)

from reports import fonts
from reports.fmt import check_lang
from reports.shortcuts import Para, QuickTextCanvas, remember_numbers, style_cells

fonts.register()
remember_numbers()

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 17 * mm
FOOT_Y = 10 * mm  # the foot's baseline, under the body's frame
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X

FONT = fonts.FAMILY
FONT_BOLD = f"{fonts.FAMILY}-Bold"
FONT_ITALIC = f"{fonts.FAMILY}-Oblique"

INK = colors.HexColor("#1B1F24")
MUTED = colors.HexColor("#5B6573")
RULE = colors.HexColor("#C9CFD8")
HEAD_FILL = colors.HexColor("#243A5E")
BAND = colors.HexColor("#EDF1F6")
STAMP = colors.HexColor("#B42318")

PAGE_OF = {"id": "Halaman {page} dari {total}", "en": "Page {page} of {total}"}

_FALLBACK_DATE = datetime.date(2000, 1, 1)


@dataclass(frozen=True)
class RunningHead:
    """What the margins of a page say: the head's left and right, the foot's
    left (the foot's right is the page number), and an optional stamp across
    the page (``'KONSEP'`` on a draft)."""

    left: str
    right: str
    foot: str = ""
    stamp: str | None = None


@dataclass(frozen=True)
class DocumentInfo:
    """Metadata written into the PDF's info dictionary."""

    title: str
    author: str
    subject: str
    created_on: datetime.date | None = None


class SectionStart(Flowable):
    """A zero-size marker: the page it lands on, and the pages after it,
    carry ``head`` in their margins until the next marker."""

    def __init__(self, head: RunningHead) -> None:
        super().__init__()
        self.head = head

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return (0, 0)

    def draw(self) -> None:
        """Nothing to draw: the document reads the head when the marker is placed."""


def render(story: Callable[[], list[Flowable]], info: DocumentInfo, lang: str = "id") -> bytes:
    """Lay ``story()`` out on A4 and return the PDF bytes."""
    check_lang(lang)
    out = io.BytesIO()
    doc = _Document(out, info=info, lang=lang)
    doc.build(story(), canvasmaker=_canvas_maker(info.created_on or _FALLBACK_DATE))
    return out.getvalue()


class _Document(BaseDocTemplate):
    def __init__(self, out: io.BytesIO, *, info: DocumentInfo, lang: str):
        super().__init__(
            out, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
            title=info.title, author=info.author, subject=info.subject,
            creator="consign", producer="consign", invariant=1, pageCompression=0,
        )
        self.lang = lang
        self.head = RunningHead("", "")
        body_height = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
        frame = Frame(MARGIN_X, MARGIN_BOTTOM, CONTENT_WIDTH, body_height, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPageEnd=self._decorate)])

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, SectionStart):
            self.head = flowable.head

    def _decorate(self, canv: PagedCanvas, doc: BaseDocTemplate) -> None:
        canv.saveState()
        _draw_head(canv, self.head)
        canv.draw_when_saved(_foot(self.head.foot, PAGE_OF[self.lang], doc.page))
        if self.head.stamp:
            _draw_stamp(canv, self.head.stamp)
        canv.restoreState()


def _draw_head(canv: Canvas, head: RunningHead) -> None:
    y = PAGE_HEIGHT - MARGIN_TOP + 9 * mm
    canv.setFont(FONT, 7.5)
    canv.setFillColor(MUTED)
    canv.drawRightString(PAGE_WIDTH - MARGIN_X, y, head.right)
    room = CONTENT_WIDTH - stringWidth(head.right, FONT, 7.5) - 8 * mm
    canv.drawString(MARGIN_X, y, fit(head.left, FONT, 7.5, room))
    canv.setStrokeColor(RULE)
    canv.setLineWidth(0.5)
    canv.line(MARGIN_X, y - 2.5 * mm, PAGE_WIDTH - MARGIN_X, y - 2.5 * mm)


def _foot(left: str, page_of: str, page: int) -> Callable[[Canvas, int], None]:
    """What draws the foot of page ``page`` once the number of pages is known."""
    return lambda canv, total: _draw_foot(canv, left, page_of.format(page=page, total=total))


def _draw_foot(canv: Canvas, left: str, page_of: str) -> None:
    y = FOOT_Y
    canv.setStrokeColor(RULE)
    canv.setLineWidth(0.5)
    canv.line(MARGIN_X, y + 4 * mm, PAGE_WIDTH - MARGIN_X, y + 4 * mm)
    canv.setFont(FONT_BOLD, 7.5)
    canv.setFillColor(MUTED)
    canv.drawRightString(PAGE_WIDTH - MARGIN_X, y, page_of)
    room = CONTENT_WIDTH - stringWidth(page_of, FONT_BOLD, 7.5) - 8 * mm
    canv.setFont(FONT, 7.5)
    canv.drawString(MARGIN_X, y, fit(left, FONT, 7.5, room))


def fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` shortened with an ellipsis until it is at most ``width`` wide."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _draw_stamp(canv: Canvas, stamp: str) -> None:
    """A large translucent word across the page, drawn over the content so
    that no table can hide it; translucent so the content stays legible."""
    canv.setFillColor(STAMP, alpha=0.13)
    canv.setFont(FONT_BOLD, 110)
    canv.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canv.rotate(40)
    canv.drawCentredString(0, -38, stamp)


class PagedCanvas(QuickTextCanvas):
    """A canvas on which a page can leave a drawing to be done once the number of
    pages is known (the foot's "X of Y"), in one pass over the story.

    ``draw_when_saved(draw)`` marks the place in the page's content; at ``save``
    ``draw(canvas, total_pages)`` runs with the graphics state the canvas had at the
    mark, and what it draws replaces the mark.  The pages are added to the document
    as they end, as on any canvas, so the file is the one drawing in place would make.
    It reaches into reportlab's page content (``_code``, ``Pages.pages``): reportlab is
    pinned, and the numbering tests fail should that change.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._waiting: list[tuple[dict, Callable[[Canvas, int], None]]] = []

    def draw_when_saved(self, draw: Callable[[Canvas, int], None]) -> None:
        self._code.append(_MARK.format(len(self._waiting)))
        state = {name: getattr(self, name) for name in self.STATE_ATTRIBUTES}
        state["_extgstate"] = self._extgstate.pushCopy()
        self._waiting.append((state, draw))

    def save(self) -> None:
        if self._code:
            self.showPage()
        total = self.getPageNumber() - 1
        drawn = [self._drawn_at(state, draw, total) for state, draw in self._waiting]
        for page in self._doc.Pages.pages:
            page.stream = _MARKED.sub(lambda mark: drawn[int(mark[1])], page.stream)
        super().save()

    def _drawn_at(self, state: dict, draw: Callable[[Canvas, int], None], total: int) -> str:
        """The content ``draw`` makes from ``state``; the canvas is left as it was."""
        page_code, self._code = self._code, []
        self.push_state_stack()
        self.__dict__.update(state)
        draw(self, total)
        code, self._code = self._code, page_code
        self.pop_state_stack()
        return "\n".join(code)


# A whole line of page content (text is always inside "(...) Tj"), so no text can forge one.
_MARK = "%consign-later {}"
_MARKED = re.compile(r"^%consign-later (\d+)$", re.MULTILINE)


def _canvas_maker(created_on: datetime.date) -> type[Canvas]:
    stamp = created_on.strftime("D:%Y%m%d000000+00'00'")

    class ReproducibleCanvas(PagedCanvas):
        def __init__(self, *args, **kwargs):
            kwargs["invariant"] = 1
            kwargs["initialFontName"] = FONT  # no standard font named in the file at all
            super().__init__(*args, **kwargs)
            self.setDateFormatter(lambda *_clock: stamp)
            # reportlab seeds the file ID with its clock; use a constant.
            self._doc.signature = hashlib.md5(b"consign " + stamp.encode(), usedforsecurity=False)
            self._escaped: dict = {}

        def _escape(self, s):
            """reportlab's escaping of a string drawn (a pure function of it), remembered
            for the document: a statement draws the same runs of text many times."""
            escaped = self._escaped.get(s)
            if escaped is None:
                escaped = self._escaped[s] = super()._escape(s)
            return escaped

    return ReproducibleCanvas


# --- paragraph styles -------------------------------------------------------

def totals_style(size: float, leading: float) -> list:
    """The style of a two-column table of figures that ends in its total (a statement's
    totals, an advice's payment): labels left, amounts right, ruled between rows, the last
    row bold on a band; its rows set in ``size`` points on ``leading``."""
    return [
        ("FONT", (0, 0), (-1, -1), FONT, size, leading),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (1, 0), (1, -1), "RIGHT"),
        ("LINEBELOW", (0, 0), (-1, -2), 0.4, RULE),
        ("FONT", (0, -1), (-1, -1), FONT_BOLD, 10, 13),
        ("BACKGROUND", (0, -1), (-1, -1), BAND),
        ("LINEABOVE", (0, -1), (-1, -1), 1, INK),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]


def paragraph_style(name: str, **overrides) -> ParagraphStyle:
    """A style in the house font, 9 pt on 12 unless overridden."""
    base = {"fontName": FONT, "fontSize": 9, "leading": 12, "textColor": INK}
    return ParagraphStyle(name, **(base | overrides))


BODY = paragraph_style("body")
SMALL = paragraph_style("small", fontSize=7.5, leading=9.5, textColor=MUTED)
NOTE = paragraph_style("note", fontSize=8, leading=10.5, textColor=MUTED, fontName=FONT_ITALIC)
TITLE = paragraph_style("title", fontName=FONT_BOLD, fontSize=11.5, leading=14,
                        alignment=TA_RIGHT)
AGENCY = paragraph_style("agency", fontName=FONT_BOLD, fontSize=10, leading=13)
HEADING = paragraph_style("heading", fontName=FONT_BOLD, fontSize=10, leading=13,
                          spaceBefore=4, spaceAfter=2)
LABEL = paragraph_style("label", fontSize=7, leading=9, textColor=MUTED)
CELL = paragraph_style("cell", fontSize=8, leading=10)
DETAIL = paragraph_style("detail", fontSize=7, leading=7.5, textColor=MUTED)
HEAD_CELL = paragraph_style("head_cell", fontName=FONT_BOLD, fontSize=7.5, leading=9,
                            textColor=colors.white)
HEAD_CELL_RIGHT = paragraph_style("head_cell_right", fontName=FONT_BOLD, fontSize=7.5, leading=9,
                                  textColor=colors.white, alignment=TA_RIGHT)


def para(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    """A paragraph of plain text (escaped: '&' and '<' in a name are safe)."""
    return Para(escape(text), style)


def rich(markup: str, style: ParagraphStyle = BODY) -> Paragraph:
    """A paragraph of reportlab mini-markup; callers escape what they insert."""
    return Para(markup, style)


def cell(text: str, width: float, style: ParagraphStyle = CELL) -> str | Paragraph:
    """``text`` for a table cell ``width`` wide (inside its padding): a plain string
    when a paragraph would set it on one line as written, else the paragraph, which
    wraps.  Both print alike where the table gives the cell ``style``'s font, size,
    leading and colour; the string costs a fraction of the paragraph."""
    one_line = stringWidth(text, style.fontName, style.fontSize) <= width
    if one_line and text == " ".join(text.split()):
        return text
    return para(text, style)


def heading(text: str, room: float = 35 * mm) -> list[Flowable]:
    """A section heading that starts a new page when less than ``room`` is
    left, so a heading never sits alone at the foot of a page.  (Unlike
    keepWithNext, this lets a long table start under its heading and split.)"""
    return [CondPageBreak(room), para(text, HEADING)]


def bold(text: str) -> str:
    return f"<b>{escape(text)}</b>"


# --- tables ---------------------------------------------------------------

class Grid(Table):
    """A table whose plain-string cells are set in the house font unless a style says
    otherwise: reportlab's own default is Helvetica, a font the file would name but not
    embed."""

    def __init__(self, data, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.setStyle([("FONTNAME", (0, 0), (-1, -1), FONT)])

    def _addCommand(self, cmd) -> None:
        """reportlab's, but a command that styles each cell of its range is set at once
        (``shortcuts.style_cells``)."""
        if not style_cells(self, cmd):
            super()._addCommand(cmd)


def data_table(
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    widths: Sequence[float],
    right: Iterable[int] = (),
    extra: Iterable[tuple] = (),
) -> Table:
    """A ruled table whose header row repeats on every page it spans.

    ``right`` names the columns (numbers) that are right-justified; ``extra``
    adds TableStyle commands (group rows, totals).  Body cells are set in ``CELL``'s
    font: plain strings, or ``cell(...)`` where text may need to wrap."""
    right = tuple(right)
    head = [cell(h, w - 2 * CELL_PADDING, HEAD_CELL_RIGHT if i in right else HEAD_CELL)
            for i, (h, w) in enumerate(zip(header, widths, strict=True))]
    table = Grid([head, *rows], colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    table.setStyle(_DATA_STYLE + [("ALIGN", (c, 0), (c, -1), "RIGHT") for c in right] + list(extra))
    return table


CELL_PADDING = 3
FLEXIBLE_MIN = 22 * mm  # the narrowest a wrapping text column (a product name) becomes


class Fixed(float):
    """A column width that is kept as given: its text wraps (a SKU, a code)."""


def fitted_widths(
    minimums: Sequence[float | None], columns: Sequence[Iterable[str]],
    header: Sequence[str] = (), total: float = CONTENT_WIDTH, size: float | None = None,
) -> list[float]:
    """Column widths for a table. A column with a minimum is as wide as its widest text
    set in bold ``CELL`` type (or at ``size``; bold, so totals fit too) and as its header's
    longest word, and never less than its minimum; a ``Fixed`` column keeps its width (its
    text wraps); the one ``None`` column (the name) takes what is left, at least
    ``FLEXIBLE_MIN``. No header word is broken."""
    size = size or CELL.fontSize
    widths: list[float | None] = []
    heads = list(header) or [""] * len(minimums)
    for minimum, texts, head in zip(minimums, columns, heads, strict=True):
        if minimum is None or isinstance(minimum, Fixed):
            widths.append(minimum)
            continue
        widest = max((stringWidth(text, FONT_BOLD, size) for text in texts), default=0)
        word = max((stringWidth(w, HEAD_CELL.fontName, HEAD_CELL.fontSize)
                    for w in head.split()), default=0)
        widths.append(max(minimum, max(widest, word) + 2 * CELL_PADDING + 0.5))
    rest = total - sum(width for width in widths if width is not None)
    return [max(rest, FLEXIBLE_MIN) if width is None else float(width) for width in widths]


FIGURE_SIZES = (8, 7, 6, 5)  # CELL's size first; smaller only where figures would not fit


def fitted_figures(
    minimums: Sequence[float | None], columns: Sequence[Sequence[str]],
    header: Sequence[str] = (), total: float = CONTENT_WIDTH,
) -> tuple[list[float], float]:
    """Widths that fit the page, and the type size of the figures that makes them fit:
    figures never wrap, and the largest the bounds allow still fit, set smaller."""
    for size in FIGURE_SIZES:
        widths = fitted_widths(minimums, columns, header, total, size)
        if sum(widths) <= total + 0.01:
            return widths, size
    return widths, size


def figure_style(first_column: int, size: float) -> list[tuple]:
    """Commands that set a table's figures (its body from ``first_column`` on) at ``size``
    when that is smaller than the body's own."""
    if size >= CELL.fontSize:
        return []
    return [("FONTSIZE", (first_column, 1), (-1, -1), size),
            ("LEADING", (first_column, 1), (-1, -1), size * 1.25)]


def text_style(start: tuple[int, int], stop: tuple[int, int], style: ParagraphStyle) -> list:
    """TableStyle commands that set plain-string cells in ``style``'s font and colour."""
    return [
        ("FONT", start, stop, style.fontName, style.fontSize, style.leading),
        ("TEXTCOLOR", start, stop, style.textColor),
    ]


_DATA_STYLE = [
    *text_style((0, 0), (-1, -1), CELL),
    *text_style((0, 0), (-1, 0), HEAD_CELL),
    ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
    ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
    ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ("TOPPADDING", (0, 0), (-1, -1), 2.5),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
]


def total_row_style(row: int, size: float = 8) -> list[tuple]:
    """Commands that make ``row`` read as a total: bold, ruled above, shaded."""
    return [
        ("FONT", (0, row), (-1, row), FONT_BOLD, size, size * 1.25),
        ("BACKGROUND", (0, row), (-1, row), BAND),
        ("LINEABOVE", (0, row), (-1, row), 0.9, INK),
    ]


def band_row_style(row: int) -> list[tuple]:
    """Commands for a row that spans the table and names the group below it."""
    return [
        ("SPAN", (0, row), (-1, row)),
        ("ALIGN", (0, row), (-1, row), "LEFT"),
        ("FONT", (0, row), (-1, row), FONT_BOLD, 8, 10),
        ("TEXTCOLOR", (0, row), (-1, row), HEAD_FILL),
        ("TOPPADDING", (0, row), (-1, row), 5),
    ]
