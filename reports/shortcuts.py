"""The renderer's short cuts through reportlab, each writing exactly what reportlab would.

A statement is a few dozen small tables and paragraphs and a long table of lines, and
reportlab works most of it out anew every time: the text of each number it writes, the
width of each string, the parse and line breaks of each paragraph, the style of each
cell for each style command, a text object for each string in a cell. What is a pure
function of its input is remembered here, and the plainest strings are written into the
page directly, with reportlab's own formatting, subsets and escaping. reportlab is pinned
(setup.cfg), and the statements' byte-for-byte tests (tests/reports, tests/test_archive.py)
and ``tests/reports/test_speedups.py`` fail should any of this stop writing reportlab's
bytes.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfgen import textobject
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, Table


def remember_numbers() -> None:
    """Make reportlab remember how it wrote each number into a page, a pure function of
    the number that it otherwise works out anew for every coordinate, size, leading and
    colour of every string drawn (some 2,000 times a statement, the most costly single
    thing in rendering one). Only where reportlab has no compiled accelerator, whose
    ``fp_str`` is fast already; only for plain ints and floats; the text is the one
    reportlab would write, so no byte of a document changes."""
    from reportlab.lib import rl_accel
    from reportlab.pdfbase import pdfdoc
    from reportlab.pdfgen import canvas, pathobject
    from reportlab.platypus import flowables, tables

    written = rl_accel.fp_str
    if getattr(written, "__name__", "") != "_py_fp_str":
        return
    known: dict[tuple, str] = {}

    def fp_str(*numbers) -> str:
        try:
            return known[numbers]
        except (KeyError, TypeError):  # TypeError: a list, which reportlab also takes
            text = written(*numbers)
        if all(type(number) in _PLAIN for number in numbers):
            if len(known) >= NUMBERS_KEPT:
                known.clear()
            known[numbers] = text
        return text

    for module in (canvas, flowables, pathobject, pdfdoc, tables, textobject):
        module.fp_str = fp_str


_PLAIN = (int, float)
NUMBERS_KEPT = 50_000  # number formats remembered before starting again


class QuickTextCanvas(Canvas):
    """A canvas that writes a plain string (what a table cell draws) straight into the page.

    ``drawString`` and ``drawRightString`` make a text object, set its origin, font and
    leading, split the string into the font's subsets, escape it and pack it all onto
    one line; for a string in the house's TrueType font, left to right, with no spacing
    or rendering mode of its own, this writes that very line itself, with reportlab's
    own number formatting, subsets and escaping, at a fraction of the cost. Anything
    else is drawn by reportlab (which is pinned; the byte-for-byte tests of the
    statements fail should its text objects change)."""

    def drawString(self, x, y, text, mode=None, charSpace=0, direction=None,
                   wordSpace=None, shaping=False):
        font = self._plain(text, mode, charSpace, direction, wordSpace, shaping)
        if font is None:
            super().drawString(x, y, text, mode, charSpace, direction, wordSpace, shaping)
        else:
            self._code.append(self._text_line(font, x, y, text))

    def drawRightString(self, x, y, text, mode=None, charSpace=0, direction=None,
                        wordSpace=None, shaping=False):
        font = self._plain(text, mode, charSpace, direction, wordSpace, shaping)
        if font is None:
            super().drawRightString(x, y, text, mode, charSpace, direction, wordSpace, shaping)
        else:
            width = stringWidth(text, self._fontname, self._fontsize)
            self._code.append(self._text_line(font, x - width, y, text))

    def _plain(self, text, mode, char_space, direction, word_space, shaping):
        """The font ``text`` is drawn in, if reportlab would draw it the plain way."""
        if (type(text) is not str or mode is not None or char_space or word_space
                or direction is not None or shaping or not self.bottomup
                or textobject.rtlSupport):
            return None
        font = getFont(self._fontname)
        if not getattr(font, "_dynamicFont", 0) or font.shapable:
            return None
        return font

    def _text_line(self, font, x: float, y: float, text: str) -> str:
        """What ``drawString(x, y, text)`` writes: ``BT 1 0 0 1 x y Tm /F1+0 8 Tf 10 TL
        (...) Tj T* ET``."""
        fp_str = textobject.fp_str
        runs: list[str] = []
        current, settings = -1, None
        for subset, codes in font.splitString(text, self._doc):
            if subset != current:
                if settings is None:
                    settings = f"{fp_str(self._fontsize)} Tf {fp_str(self._leading)} TL"
                runs.append(f"{font.getSubsetInternalName(subset, self._doc)} {settings}")
                current = subset
            runs.append(f"({self._escape(codes)}) Tj")
        return f"BT 1 0 0 1 {fp_str(x, y)} Tm {' '.join(runs)} T* ET"


class Para(Paragraph):
    """A paragraph that draws exactly as reportlab's, made cheaply when its text recurs.

    reportlab parses a paragraph's markup when it is made, and breaks it into lines each
    time it is wrapped (a table wraps its cells more than once). The same (text, style),
    though, recurs in every row and every statement: a product's name, a date, a label.
    A paragraph of one run of text in one style (what ``para`` makes of plain text) is
    therefore parsed once per process, and broken once per width: the parse and the
    lines are kept and shared, read only, by every paragraph of that text. Markup with
    more than one run is parsed as reportlab does, and broken again only for another
    width."""

    def __init__(self, text: str, style: ParagraphStyle) -> None:
        self._key = (text, style)
        parsed = _PARSED.get(self._key)
        if parsed is None:
            super().__init__(text, style)
            if len(self.frags) != 1 or self.bulletText is not None:
                self._key = None
            else:
                _keep(_PARSED, self._key, (self.text, self.style, self.frags))
            return
        self.caseSensitive, self.encoding, self.bulletText, self.debug = 1, "utf8", None, 0
        self.text, self.style, self.frags = parsed

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._key is None:
            return self._wrap_once(availWidth, availHeight)
        key = (self._key, availWidth)
        broken = _BROKEN.get(key)
        if broken is None:
            size = super().wrap(availWidth, availHeight)
            if self.__dict__.get("width") != availWidth or self.blPara.kind != 0:
                return size  # too narrow to set at all, or not one run of text
            broken = {name: self.__dict__[name] for name in _WRAPPED if name in self.__dict__}
            _keep(_BROKEN, key, broken)
        self.__dict__.update(broken)
        self._wrapWidths = list(broken["_wrapWidths"])
        return self.width, self.height

    def _wrap_once(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """reportlab's wrap, done again only for another width (breaking the lines again
        at the same width makes the very lines it made)."""
        if self.__dict__.get("_wrapped_at") == availWidth:
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        if self.__dict__.get("width") == availWidth:
            self._wrapped_at = availWidth
        return size


# what Paragraph.wrap sets on a paragraph of one run of text
_WRAPPED = ("width", "_wrapWidths", "blPara", "height", "_width_max", "_splitLongWordCount",
            "_hyphenations")
_PARSED: dict[tuple, tuple] = {}
_BROKEN: dict[tuple, dict] = {}
KEPT = 20_000  # paragraphs (and their line breaks) remembered before starting again


def _keep(store: dict, key, value) -> None:
    if len(store) >= KEPT:
        store.clear()
    store[key] = value


def style_cells(table: Table, cmd) -> bool:
    """Do a command that sets something of each cell in its range (font, colour,
    alignment, padding) on ``table``: it is worked out once and set on each cell, where
    reportlab interprets it again for every cell (most of the cost of styling a long
    table); the cells end as reportlab's own would. False, doing nothing, for any other
    command, which is reportlab's to do."""
    attributes = _cell_attributes(cmd)
    if attributes is None:
        return False
    (first_column, first_row), (last_column, last_row) = cmd[1], cmd[2]
    first_column, last_column, first_row, last_row = table.normCellRange(
        first_column, last_column, first_row, last_row)
    for row in table._cellStyles[first_row:last_row + 1]:
        for style in row[first_column:last_column + 1]:
            for name, value in attributes:
                setattr(style, name, value)
    return True


def _cell_attributes(cmd) -> list[tuple[str, object]] | None:
    """What reportlab's ``_setCellStyle`` sets on each cell for ``cmd``; None for a command
    that is not one of those (or that reportlab keeps for a split's first or last row)."""
    op, values = cmd[0], cmd[3:]
    if not values or isinstance(cmd[1][1], str) or isinstance(cmd[2][1], str):
        return None
    if op == "FONT":
        if len(values) == 1:
            return [("fontname", values[0])]
        leading = values[2] if len(values) > 2 else values[1] * 1.2
        return [("fontname", values[0]), ("fontsize", values[1]), ("leading", leading)]
    if op == "TEXTCOLOR":
        return [("color", colors.toColor(values[0], colors.Color(0, 0, 0)))]
    name = _CELL_ATTRIBUTES.get(op)
    return None if name is None else [(name, values[0])]


_CELL_ATTRIBUTES = {
    "FONTNAME": "fontname", "FACE": "fontname", "SIZE": "fontsize", "FONTSIZE": "fontsize",
    "LEADING": "leading", "ALIGN": "alignment", "ALIGNMENT": "alignment", "VALIGN": "valign",
    "LEFTPADDING": "leftPadding", "RIGHTPADDING": "rightPadding", "TOPPADDING": "topPadding",
    "BOTTOMPADDING": "bottomPadding", "HREF": "href", "DESTINATION": "destination",
    "DIRECTION": "direction", "SHAPING": "shaping",
}
