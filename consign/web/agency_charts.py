"""The dashboard's charts as SVG: the same reportlab drawings that the programme report
prints (``reports.charts``: the stacked bars of sales per month by sector, the share pie,
the ranking bars), laid out for a phone's width and written by reportlab's own SVG
renderer.

Two touches make the file a good image for a browser: each ``style`` attribute becomes
the presentation attributes it stands for (``fill``, ``stroke``, ``font-size``…), so the
image owes nothing to inline styles, which the app's Content-Security-Policy forbids; and
the report's own font (embedded in a PDF, unknown to a browser) is named with the faces
that share its metrics (Bitstream Vera is DejaVu Sans's ancestor)."""

from __future__ import annotations

import re
from datetime import date

from babel.dates import format_date
from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Drawing, Group, String
from reportlab.pdfbase.pdfmetrics import stringWidth

from reports.base import FONT, FONT_BOLD, INK, MUTED, fit
from reports.charts import (
    LABEL_SIZE,
    Series,
    bar,
    canvas_for,
    sector_colour,
    share_pie,
    short_rupiah,
    stacked_bars,
)
from reports.programme import ProgrammeView, Ranked, sector_name, sector_order, share_label
from reports.programme_labels import programme_labels_for

NAMES = ("sales", "share", "hotels", "ikm")
WIDTH = 250  # drawn for a phone; the page scales the image to its box
SALES_HEIGHT = 190
PIE_SIZE = 130
ROW = 28  # one ranked hotel or IKM: its name over its bar
FACES = "DejaVu Sans, Bitstream Vera Sans, Verdana, sans-serif"


def sales_bars(view: ProgrammeView, months: list[str], lang: str) -> Drawing | None:
    """Gross sales per month, stacked by sector, over ``months``; None when nothing sold."""
    words = programme_labels_for(lang)
    order = sector_order(view)
    amounts: dict[tuple[str, str], int] = {}
    for row in view.by_month_sector:
        amounts[row.period, row.sector] = amounts.get((row.period, row.sector), 0) + row.gross
    if not any(amounts.values()):
        return None
    series = [Series(sector_name(s, words), sector_colour(s, order),
                     tuple(amounts.get((p, s), 0) for p in months)) for s in order]
    categories = [format_date(date(int(p[:4]), int(p[5:]), 1), format="MMM y", locale=lang)
                  for p in months]
    drawing, _totals = stacked_bars(categories, series, WIDTH, SALES_HEIGHT, lang)
    return drawing


def shares(view: ProgrammeView) -> list[tuple[str, int]]:
    """(sector, gross) of the range, in the report's order of sectors."""
    totals: dict[str, int] = {}
    for sector, gross in view.sector_share:
        totals[sector] = totals.get(sector, 0) + gross
    return [(s, totals[s]) for s in sector_order(view) if s in totals]


def share_chart(view: ProgrammeView, lang: str) -> Drawing | None:
    """The pie of the sectors' gross, each wedge's percentage in it (as the report has it);
    None when nothing sold."""
    found = shares(view)
    whole = sum(gross for _s, gross in found)
    if whole <= 0:
        return None
    order = sector_order(view)
    wedges = [(s, g) for s, g in found if g > 0]
    return share_pie([g for _s, g in wedges], [sector_colour(s, order) for s, _g in wedges],
                     [share_label(g, whole, lang) if 20 * g >= whole else "" for _s, g in wedges],
                     PIE_SIZE)


def ranking_chart(ranked: tuple[Ranked, ...], lang: str) -> Drawing | None:
    """The top sellers, each its rank and name over a bar as long as its share of the top
    seller's gross (the report's ``bar``), its gross at the end; None when none sold."""
    if not ranked:
        return None
    drawing = canvas_for(WIDTH, ROW * len(ranked) + 2)
    top = max(r.gross for r in ranked)
    for i, row in enumerate(ranked):
        y = drawing.height - ROW * (i + 1)
        amount = short_rupiah(row.gross, lang)
        room = WIDTH - stringWidth(amount, FONT_BOLD, LABEL_SIZE + 1) - 8
        drawing.add(String(0, y + 15, fit(f"{i + 1}. {row.name}", FONT, LABEL_SIZE + 1, room),
                           fontName=FONT, fontSize=LABEL_SIZE + 1, fillColor=INK))
        drawing.add(String(WIDTH, y + 15, amount, fontName=FONT_BOLD, fontSize=LABEL_SIZE + 1,
                           fillColor=MUTED, textAnchor="end"))
        track = bar(row.gross / top if top > 0 else 0.0, WIDTH, 9)
        group = Group(*track.contents)
        group.translate(0, y + 3)
        drawing.add(group)
    return drawing


def svg(drawing: Drawing) -> bytes:
    """The drawing as an SVG file, with presentation attributes for inline styles."""
    text = renderSVG.drawToString(drawing)
    text = re.sub(r'\sstyle="([^"]*)"', _attributes, text)
    return text.encode("utf-8")


_PROPERTY = re.compile(r"^[a-z-]+$")


def _attributes(found: re.Match) -> str:
    parts = []
    for declaration in found.group(1).split(";"):
        name, colon, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if not colon or not _PROPERTY.match(name) or '"' in value:
            continue
        if name == "font-family":
            if value == FONT_BOLD:
                parts.append(' font-weight="bold"')
            value = FACES
        parts.append(f' {name}="{value}"')
    return "".join(parts)


def nothing_sold(lang: str) -> Drawing:
    """The report's sentence for a range in which nothing sold, as an image."""
    drawing = canvas_for(WIDTH, 24)
    drawing.add(String(0, 8, programme_labels_for(lang).no_sales, fontName=FONT,
                       fontSize=LABEL_SIZE + 1, fillColor=MUTED))
    return drawing
