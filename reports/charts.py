"""Charts for the consign documents, drawn with reportlab's own graphics (no raster, no
matplotlib): every chart is a ``Drawing``, a flowable that lays out like a paragraph.

The figures are whole rupiah; the labels printed on a chart are worked out from them with
integer arithmetic (axis ticks are exact round amounts, a bar's total is rounded half away
from zero to one decimal of its unit). Only the geometry (where a bar ends) is in floats.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from reports.base import FONT, FONT_BOLD, HEAD_FILL, INK, MUTED, RULE
from reports.fmt import check_lang, number

# one colour a sector, the same on every chart and swatch
SECTOR_COLOURS = {
    "kriya": colors.HexColor("#243A5E"),
    "fashion": colors.HexColor("#D9822B"),
    "kuliner": colors.HexColor("#3A8F5C"),
    "lainnya": colors.HexColor("#8C96A3"),
}
# for a sector the programme adds later, in order of appearance
EXTRA_COLOURS = (colors.HexColor("#7B4F9D"), colors.HexColor("#B8A13A"),
                 colors.HexColor("#2F8F9D"), colors.HexColor("#A0522D"))

# the short units of an amount on a chart: thousand, million, billion, trillion
_UNITS = {
    "id": ((10**12, " T"), (10**9, " M"), (10**6, " jt"), (10**3, " rb")),
    "en": ((10**12, "tn"), (10**9, "bn"), (10**6, "m"), (10**3, "k")),
}
_DECIMAL_MARK = {"id": ",", "en": "."}

LABEL_SIZE = 7
LEGEND_SIZE = 7.5
GRID = colors.HexColor("#E3E7ED")


def canvas_for(width: float, height: float) -> Drawing:
    """A drawing that starts in the house font: reportlab's graphics otherwise set
    Helvetica first, a font the file would name but not embed."""
    drawing = Drawing(width, height)
    drawing.initialFontName = FONT
    drawing.initialFontSize = LABEL_SIZE
    return drawing


def sector_colour(sector: str, order: Sequence[str]) -> colors.Color:
    """The sector's own colour; a sector outside the four gets one by its place in ``order``."""
    if sector in SECTOR_COLOURS:
        return SECTOR_COLOURS[sector]
    extras = [s for s in order if s not in SECTOR_COLOURS]
    place = extras.index(sector) if sector in extras else 0
    return EXTRA_COLOURS[place % len(EXTRA_COLOURS)]


# --- amounts on a chart ------------------------------------------------------------

def round_half_away(value: Fraction) -> int:
    """The nearest whole number, halves away from zero."""
    whole, rest = divmod(abs(value.numerator), value.denominator)
    whole += 2 * rest >= value.denominator
    return whole if value >= 0 else -whole


def _unit(amount: int, lang: str) -> tuple[int, str]:
    return next(((size, word) for size, word in _UNITS[lang] if abs(amount) >= size), (1, ""))


def short_rupiah(amount: int, lang: str = "id", exact: bool = False) -> str:
    """``Rp2,5 jt`` (id) or ``Rp2.5m`` (en): the amount in its largest unit; rounded half
    away from zero to one decimal, or ``exact`` (an axis tick, a round amount) as it is."""
    check_lang(lang)
    size, word = _unit(amount, lang)
    if exact:
        text = format(Decimal(abs(amount)).scaleb(-(len(str(size)) - 1)).normalize(), "f")
    else:
        tenths = round_half_away(Fraction(abs(amount) * 10, size))
        bigger = [(s, w) for s, w in _UNITS[lang] if s == size * 1000]
        if tenths >= 10_000 and bigger:  # 999.960 rounds to 1.000 rb: say 1 jt
            size, word = bigger[0]
            tenths = round_half_away(Fraction(abs(amount) * 10, size))
        whole, tenth = divmod(tenths, 10)
        text = f"{whole}.{tenth}" if tenth else str(whole)
    whole, _, fraction = text.partition(".")
    text = number(int(whole), lang) + (_DECIMAL_MARK[lang] + fraction if fraction else "")
    return ("-" if amount < 0 else "") + "Rp" + text + word


def nice_ticks(low: int, high: int, count: int = 5) -> list[int]:
    """Round axis ticks from at most ``low`` (0 or less) to at least ``high``, in at most
    ``count`` steps of 1, 2, 2.5 or 5 times a power of ten (whole rupiah)."""
    low, high = min(low, 0), max(high, 1)
    power = 1
    while True:
        steps = (power, 2 * power, 5 * power // 2, 5 * power) if power > 1 else (1, 2, 5)
        for step in steps:
            first, last = low // step * step, -(-high // step) * step
            if (last - first) // step <= count:
                return list(range(first, last + step, step))
        power *= 10


# --- the sales chart --------------------------------------------------------------

@dataclass(frozen=True)
class Series:
    """One sector's bars: its name in the legend, its colour, its amount each month."""

    label: str
    colour: colors.Color
    values: tuple[int, ...]


def stacked_bars(categories: Sequence[str], series: Sequence[Series], width: float,
                 height: float, lang: str = "id") -> tuple[Drawing, bool]:
    """Bars stacked by series, one bar a category, with a legend above the plot (never
    over a bar), a y axis in short rupiah and, when there is room, each bar's total over
    it; and whether the totals are there."""
    drawing = canvas_for(width, height)
    legend_height = _legend(drawing, series, width, height)
    stacks = [sum(s.values[i] for s in series) for i in range(len(categories))]
    lows = [sum(min(s.values[i], 0) for s in series) for i in range(len(categories))]
    ticks = nice_ticks(min(lows, default=0), max(stacks, default=0))
    tick_labels = {tick: short_rupiah(tick, lang, exact=True) for tick in ticks}
    axis_room = max(stringWidth(t, FONT, LABEL_SIZE) for t in tick_labels.values()) + 6
    slant = _needs_slant(categories, width - axis_room)
    bottom = 30 if slant else 14
    chart = VerticalBarChart()
    chart.x, chart.y = axis_room, bottom
    chart.width = width - axis_room - 4
    chart.height = height - legend_height - bottom - 14  # room for a total over the top
    chart.data = [[float(v) for v in s.values] for s in series]
    chart.categoryAxis.categoryNames = list(categories)
    chart.categoryAxis.style = "stacked"
    _style_bars(chart, series)
    _style_axes(chart, ticks, tick_labels, slant)
    drawing.add(chart)
    return drawing, not slant and _totals(drawing, chart, stacks, ticks, lang)


def _legend(drawing: Drawing, series: Sequence[Series], width: float, height: float) -> float:
    """Swatches and names along the top, right to left order kept, wrapping to a new line
    when a line is full; returns the height they take."""
    x, y, line = 0.0, height - LEGEND_SIZE - 1, LEGEND_SIZE + 5
    for item in series:
        room = 9 + 3 + stringWidth(item.label, FONT, LEGEND_SIZE) + 12
        if x and x + room > width:
            x, y = 0.0, y - line
        drawing.add(Rect(x, y - 0.5, 8, 8, fillColor=item.colour, strokeColor=None))
        drawing.add(String(x + 11, y, item.label, fontName=FONT, fontSize=LEGEND_SIZE,
                           fillColor=INK))
        x += room
    return height - y + 6


def _needs_slant(categories: Sequence[str], width: float) -> bool:
    slot = width / max(len(categories), 1)
    return any(stringWidth(c, FONT, LABEL_SIZE) > slot - 4 for c in categories)


def _style_bars(chart: VerticalBarChart, series: Sequence[Series]) -> None:
    chart.barSpacing = 0
    chart.groupSpacing = 8 if len(chart.categoryAxis.categoryNames) > 6 else 14
    chart.bars.strokeColor = colors.white
    chart.bars.strokeWidth = 0.4
    for i, item in enumerate(series):
        chart.bars[i].fillColor = item.colour


def _style_axes(chart: VerticalBarChart, ticks: list[int], tick_labels: dict[int, str],
                slant: bool) -> None:
    values = chart.valueAxis
    values.valueMin, values.valueMax = float(ticks[0]), float(ticks[-1])
    values.valueSteps = [float(t) for t in ticks]
    values.labelTextFormat = lambda value: tick_labels.get(round(value), "")
    values.labels.fontName, values.labels.fontSize = FONT, LABEL_SIZE
    values.labels.fillColor = MUTED
    values.strokeColor = RULE
    values.visibleGrid = 1
    values.gridStrokeColor = GRID
    values.gridStrokeWidth = 0.5
    values.tickLeft = 2
    categories = chart.categoryAxis
    categories.labels.fontName, categories.labels.fontSize = FONT, LABEL_SIZE
    categories.labels.fillColor = INK
    categories.strokeColor = RULE
    categories.tickDown = 0
    categories.labels.dy = -2
    if slant:
        categories.labels.angle = 35
        categories.labels.boxAnchor = "ne"
        categories.labels.dx = 3


def _totals(drawing: Drawing, chart: VerticalBarChart, stacks: list[int], ticks: list[int],
            lang: str) -> bool:
    """Each bar's total over it, when the slot is wide enough for the words."""
    slot = chart.width / max(len(stacks), 1)
    labels = [short_rupiah(total, lang) for total in stacks]
    if any(stringWidth(label, FONT_BOLD, LABEL_SIZE - 0.5) > slot - 2 for label in labels):
        return False
    span = ticks[-1] - ticks[0]
    for i, (total, label) in enumerate(zip(stacks, labels, strict=True)):
        if total <= 0:
            continue
        top = chart.y + chart.height * (total - ticks[0]) / span
        drawing.add(String(chart.x + slot * (i + 0.5), top + 2.5, label, fontName=FONT_BOLD,
                           fontSize=LABEL_SIZE - 0.5, fillColor=INK, textAnchor="middle"))
    return True


# --- the share pie, the bars of a ranking, swatches ------------------------------

def share_pie(values: Sequence[int], colours: Sequence[colors.Color],
              labels: Sequence[str], size: float) -> Drawing:
    """A pie of the positive ``values``, each wedge's label (a percentage) inside it;
    ``labels`` may leave a thin wedge's blank."""
    drawing = canvas_for(size, size)
    pie = Pie()
    pie.x = pie.y = 4
    pie.width = pie.height = size - 8
    pie.data = [float(v) for v in values]
    pie.labels = list(labels)
    pie.startAngle = 90
    pie.direction = "clockwise"
    pie.simpleLabels = 1
    pie.slices.strokeColor = colors.white
    pie.slices.strokeWidth = 1
    pie.slices.labelRadius = 0.66
    pie.slices.fontName = FONT_BOLD
    pie.slices.fontSize = 7
    pie.slices.fontColor = colors.white
    for i, colour in enumerate(colours):
        pie.slices[i].fillColor = colour
    drawing.add(pie)
    return drawing


def bar(fraction: float, width: float, height: float = 8,
        colour: colors.Color = HEAD_FILL) -> Drawing:
    """A horizontal bar ``fraction`` (0 to 1) of ``width`` long, on a faint track."""
    drawing = canvas_for(width, height)
    drawing.add(Rect(0, 0, width, height, fillColor=GRID, strokeColor=None))
    length = width * min(max(fraction, 0.0), 1.0)
    if length > 0:
        drawing.add(Rect(0, 0, max(length, 0.8), height, fillColor=colour, strokeColor=None))
    return drawing


def swatch(colour: colors.Color, size: float = 8) -> Drawing:
    drawing = canvas_for(size, size)
    drawing.add(Rect(0, 0, size, size, fillColor=colour, strokeColor=None))
    return drawing
