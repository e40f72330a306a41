"""Sheets of cut-out price labels for a hotel's shelf: their view and their PDF.

Three labels across and eight down fill the body of an A4 page of the shared base (the
agency and the hotel in its head, "Halaman X dari Y" in its foot), with dashed cut lines
between them. Each label holds the programme's mark, the product's name (two lines at
most, shortened with an ellipsis), its IKM, the hotel price, a Code128 barcode of the SKU
(what a scanner types, so that ``consign sell --hotel CODE SKU`` works from it) and a QR
code (the product's public page, else the SKU), both drawn by reportlab's own barcode
modules.

Where everything on a label goes is worked out once, as plain boxes (``label_layout``);
the drawing follows those boxes, and the tests hold them to the label's cell. The same
view renders to the same bytes (``reports.base``).
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.graphics.barcode.code128 import Code128
from reportlab.graphics.barcode.qr import QrCode
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.platypus import Flowable, PageBreak

from reports import base
from reports.base import (
    CONTENT_WIDTH,
    FONT,
    FONT_BOLD,
    INK,
    MARGIN_TOP,
    MARGIN_X,
    MUTED,
    PAGE_HEIGHT,
    DocumentInfo,
    RunningHead,
    SectionStart,
)
from reports.fmt import number, rupiah
from reports.shelf_labels import ShelfLabels, shelf_labels_for


@dataclass(frozen=True)
class PriceLabel:
    sku: str
    name: str
    consignor_name: str
    price: int  # whole rupiah: the hotel price
    qr_value: str  # the product's public page (``{CONSIGN_PUBLIC_URL}/p/{SKU}``), else the SKU


@dataclass(frozen=True)
class PriceLabelsView:
    agency_name: str
    hotel_code: str
    hotel_name: str
    labels: tuple[PriceLabel, ...]  # in the order they are printed, row by row


# ---- the sheet ----------------------------------------------------------------------------

COLUMNS, ROWS = 3, 8
PER_PAGE = COLUMNS * ROWS
CELL_WIDTH = CONTENT_WIDTH / COLUMNS  # 58 mm
CELL_HEIGHT = 32 * mm
SHEET_HEIGHT = ROWS * CELL_HEIGHT  # 256 mm, inside the base's 258 mm body
SHEET_LEFT = MARGIN_X
SHEET_TOP = PAGE_HEIGHT - MARGIN_TOP
CUT_LINE = colors.HexColor("#7D8794")
CUT_WIDTH = 0.5
CUT_DASH = (3, 2)
HEAD_RIGHT = CONTENT_WIDTH * 0.49  # the running head's right, leaving the agency's name whole


@dataclass(frozen=True)
class Box:
    """A rectangle in points, (x0, y0) its lower left corner."""

    x0: float
    y0: float
    x1: float
    y1: float

    def moved(self, dx: float, dy: float) -> Box:
        return Box(self.x0 + dx, self.y0 + dy, self.x1 + dx, self.y1 + dy)

    def inside(self, other: Box, margin: float = 0) -> bool:
        return (self.x0 >= other.x0 + margin and self.y0 >= other.y0 + margin
                and self.x1 <= other.x1 - margin and self.y1 <= other.y1 - margin)

    def overlaps(self, other: Box) -> bool:
        return (self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1
                and other.y0 < self.y1)


def pages(count: int) -> int:
    """The pages that ``count`` labels fill."""
    return -(-count // PER_PAGE)


def cell_box(index: int) -> tuple[int, Box]:
    """The page (from 1) and the cell, in that page's coordinates, of label ``index`` (from
    0): labels fill a page row by row, left to right."""
    page, place = divmod(index, PER_PAGE)
    row, column = divmod(place, COLUMNS)
    x0 = SHEET_LEFT + column * CELL_WIDTH
    y1 = SHEET_TOP - row * CELL_HEIGHT
    return page + 1, Box(x0, y1 - CELL_HEIGHT, x0 + CELL_WIDTH, y1)


# ---- one label ----------------------------------------------------------------------------

PADDING = 2 * mm  # between a cut line and the label's text and bars
QR_SIZE = 18 * mm  # the QR code with its quiet zone of four modules
QR_INSET = 1 * mm  # the QR code's quiet zone reaches this close to the cut lines
QR_BORDER = 4
QR_LEVEL = "M"
BAR_MAX = 0.33 * mm  # the widest bar module; a long SKU gets narrower ones
BAR_HEIGHT = 7.5 * mm
QUIET_MODULES = 10  # Code128's quiet zone on each side, in modules
CUT_ROOM = 1 * mm  # a quiet zone may reach this close to a cut line
NAME_LINES = 2
PRICE_SIZES = (12, 11, 10, 9, 8)  # the price is never cut: the largest size it fits at
_READ = 400  # characters of a name or IKM that can matter: more never fit two lines


@dataclass(frozen=True)
class TextLine:
    text: str
    font: str
    size: float
    x: float
    y: float  # the baseline
    color: object = INK

    @property
    def box(self) -> Box:
        ascent, descent = getAscentDescent(self.font, self.size)
        return Box(self.x, self.y + descent, self.x + stringWidth(self.text, self.font,
                                                                   self.size),
                   self.y + ascent)


@dataclass(frozen=True)
class LabelLayout:
    """Where each part of a label goes, in points from its cell's lower left corner."""

    lines: tuple[TextLine, ...]  # the mark, the name's lines, the IKM, the price, the SKU
    qr: Box  # with its quiet zone
    bars: Box  # the barcode's bars
    quiet: Box  # the bars with their quiet zones
    bar_width: float  # the barcode's module

    def boxes(self) -> list[Box]:
        return [line.box for line in self.lines] + [self.qr, self.bars, self.quiet]


def label_layout(label: PriceLabel, words: ShelfLabels) -> LabelLayout:
    """The layout of one label: text on the left under the mark, the QR code in the upper
    right corner, the barcode across the foot with the SKU under it."""
    bar_width, modules = _bar_module(label.sku)
    width = modules * bar_width
    x0 = (CELL_WIDTH - width) / 2
    bars = Box(x0, PADDING + 2.8 * mm, x0 + width, PADDING + 2.8 * mm + BAR_HEIGHT)
    quiet = Box(x0 - QUIET_MODULES * bar_width, bars.y0, bars.x1 + QUIET_MODULES * bar_width,
                bars.y1)
    sku = shortened(label.sku, FONT_BOLD, 6.5, CELL_WIDTH - 2 * PADDING)
    under = TextLine(sku, FONT_BOLD, 6.5, (CELL_WIDTH - stringWidth(sku, FONT_BOLD, 6.5)) / 2,
                     PADDING + 0.4 * mm)
    qr = Box(CELL_WIDTH - QR_INSET - QR_SIZE, CELL_HEIGHT - QR_INSET - QR_SIZE,
             CELL_WIDTH - QR_INSET, CELL_HEIGHT - QR_INSET)
    return LabelLayout((*_text_lines(label, words), under), qr, bars, quiet, bar_width)


def _text_lines(label: PriceLabel, words: ShelfLabels) -> list[TextLine]:
    """The mark, the name (two lines at most), the IKM and the price, left of the QR code."""
    text_width = CELL_WIDTH - PADDING - QR_SIZE - QR_INSET - 1 * mm
    top = CELL_HEIGHT - PADDING
    lines = [TextLine(shortened(words.brand, FONT_BOLD, 5.5, text_width), FONT_BOLD, 5.5,
                      PADDING, top - 1.6 * mm, MUTED)]
    name = wrapped(label.name, FONT_BOLD, 7.5, text_width, NAME_LINES)
    lines += [TextLine(line, FONT_BOLD, 7.5, PADDING, top - (4.7 + 3.05 * n) * mm)
              for n, line in enumerate(name)]
    lines.append(TextLine(shortened(label.consignor_name, FONT, 6, text_width), FONT, 6,
                          PADDING, top - 10.8 * mm, MUTED))
    price = rupiah(label.price)
    size = next((size for size in PRICE_SIZES if stringWidth(price, FONT_BOLD, size)
                 <= text_width), PRICE_SIZES[-1])
    lines.append(TextLine(price, FONT_BOLD, size, PADDING, top - 15.4 * mm))
    return lines


def _bar_module(sku: str) -> tuple[float, int]:
    """The barcode's module width and its number of modules: as wide as ``BAR_MAX``
    allows, the bars inside the padding and the quiet zones inside ``CUT_ROOM``."""
    modules = round(Code128(sku, barWidth=1, quiet=0, humanReadable=0).width)
    width = min(BAR_MAX, (CELL_WIDTH - 2 * PADDING) / modules,
                (CELL_WIDTH - 2 * CUT_ROOM) / (modules + 2 * QUIET_MODULES))
    return width, modules


def wrapped(text: str, font: str, size: float, width: float, most: int) -> list[str]:
    """``text`` broken into at most ``most`` lines no wider than ``width``: between words
    where it can, inside a word too long for a line; what does not fit ends the last line
    with an ellipsis. Only the first few hundred characters are read."""
    rest = " ".join(text[:_READ].split())
    lines: list[str] = []
    while rest and len(lines) < most:
        if stringWidth(rest, font, size) <= width or len(lines) == most - 1:
            lines.append(shortened(rest, font, size, width))
            break
        cut = _fitting(rest, font, size, width)
        space = rest.rfind(" ", 0, cut + 1)
        if space > 0:
            cut = space
        lines.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return lines


def _fitting(text: str, font: str, size: float, width: float, tail: str = "") -> int:
    """How many of the first characters of ``text`` (at least one) fit in ``width``, with
    ``tail`` after them."""
    low, high = 1, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if stringWidth(text[:middle].rstrip() + tail, font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return low


def shortened(text: str, font: str, size: float, width: float) -> str:
    """``text`` on one line no wider than ``width``, ending with an ellipsis if it was cut."""
    text = " ".join(text[:_READ].split())
    if stringWidth(text, font, size) <= width:
        return text
    return text[:_fitting(text, font, size, width, "…")].rstrip() + "…"


# ---- drawing ------------------------------------------------------------------------------

class LabelPage(Flowable):
    """One page of labels: the cells row by row from the top of the body, and the cut
    lines around the rows it uses. Each distinct label is drawn once in the document, as a
    form that every unit of it then shows (``forms``: the names given so far)."""

    def __init__(self, labels: list[PriceLabel], words: ShelfLabels,
                 forms: dict[PriceLabel, str]) -> None:
        super().__init__()
        self.labels = labels
        self.words = words
        self.forms = forms

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return (CONTENT_WIDTH, SHEET_HEIGHT)

    def draw(self) -> None:
        canv = self.canv
        for place, label in enumerate(self.labels):
            row, column = divmod(place, COLUMNS)
            canv.saveState()
            canv.translate(column * CELL_WIDTH, SHEET_HEIGHT - (row + 1) * CELL_HEIGHT)
            canv.doForm(self._form(label))
            canv.restoreState()
        _draw_cut_lines(canv, -(-len(self.labels) // COLUMNS))

    def _form(self, label: PriceLabel) -> str:
        name = self.forms.get(label)
        if name is None:
            name = self.forms[label] = f"label{len(self.forms) + 1}"
            self.canv.beginForm(name, 0, 0, CELL_WIDTH, CELL_HEIGHT)
            _draw_label(self.canv, label, label_layout(label, self.words))
            self.canv.endForm()
        return name


def _draw_label(canv, label: PriceLabel, layout: LabelLayout) -> None:
    for line in layout.lines:
        canv.setFillColor(line.color)
        canv.setFont(line.font, line.size)
        canv.drawString(line.x, line.y, line.text)
    canv.setFillColor(colors.black)
    Code128(label.sku, barWidth=layout.bar_width, barHeight=BAR_HEIGHT, quiet=0,
            humanReadable=0).drawOn(canv, layout.bars.x0, layout.bars.y0)
    QrCode(label.qr_value, width=QR_SIZE, height=QR_SIZE, qrBorder=QR_BORDER,
           qrLevel=QR_LEVEL).drawOn(canv, layout.qr.x0, layout.qr.y0)


def _draw_cut_lines(canv, rows: int) -> None:
    """Dashed lines around every cell of the first ``rows`` rows."""
    canv.saveState()
    canv.setStrokeColor(CUT_LINE)
    canv.setLineWidth(CUT_WIDTH)
    canv.setDash(*CUT_DASH)
    bottom = SHEET_HEIGHT - rows * CELL_HEIGHT
    for column in range(COLUMNS + 1):
        canv.line(column * CELL_WIDTH, bottom, column * CELL_WIDTH, SHEET_HEIGHT)
    for row in range(rows + 1):
        y = SHEET_HEIGHT - row * CELL_HEIGHT
        canv.line(0, y, CONTENT_WIDTH, y)
    canv.restoreState()


def render_price_labels(view: PriceLabelsView, lang: str = "id") -> bytes:
    """The sheets of labels as PDF bytes, identical for identical views."""
    if not view.labels:
        raise ValueError(f"No labels to print for {view.hotel_code}.")
    words = shelf_labels_for(lang)
    info = DocumentInfo(title=f"{words.labels_title} {view.hotel_code}",
                        author=view.agency_name,
                        subject=f"{words.labels_title}: {view.hotel_name}")
    return base.render(lambda: price_labels_story(view, lang), info, lang)


def price_labels_story(view: PriceLabelsView, lang: str = "id") -> list[Flowable]:
    words = shelf_labels_for(lang)
    right = shortened(f"{words.labels_title} · {view.hotel_name} ({view.hotel_code})", FONT,
                      7.5, HEAD_RIGHT)
    head = RunningHead(left=view.agency_name, right=right,
                       foot=words.labels_foot.format(count=number(len(view.labels), lang)))
    story: list[Flowable] = [SectionStart(head)]
    forms: dict[PriceLabel, str] = {}
    for first in range(0, len(view.labels), PER_PAGE):
        if first:
            story.append(PageBreak())
        story.append(LabelPage(list(view.labels[first:first + PER_PAGE]), words, forms))
    return story
