"""The agency's programme report (``consign audit report PERIOD [--to PERIOD] --pdf FILE``):
headline figures, charts drawn with reportlab's own graphics, and the audit tables in
short form, from plain view objects (nothing here reads a database).

Money is whole rupiah (int) throughout; periods are ``YYYY-MM`` strings.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from xml.sax.saxutils import escape

from babel.dates import format_date
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer

from reports import base
from reports.base import (
    CONTENT_WIDTH,
    DocumentInfo,
    Grid,
    RunningHead,
    SectionStart,
    bold,
    para,
    rich,
)
from reports.blocks import DRAFT_FILL, masthead_block, meta_strip
from reports.charts import (
    Series,
    bar,
    round_half_away,
    sector_colour,
    share_pie,
    stacked_bars,
    swatch,
)
from reports.fmt import long_date, number, period_label, rupiah, short_date
from reports.programme_labels import SECTORS, ProgrammeLabels, programme_labels_for


@dataclass(frozen=True)
class Headline:
    ikm_selling: int  # IKM with at least one sale in the range
    hotels_active: int  # hotels with at least one sale in the range
    gross: int
    commission: int
    net: int  # earned by the IKM in the range: gross less commission, balances carried aside
    paid_out: int  # paid to IKM in the range (payments in force, by payment date)
    overdue: int  # still owed on statements past their due date, as of the report's day
    overdue_statements: int


@dataclass(frozen=True)
class MonthSector:
    """Gross sales of one sector in one month (the bars of the sales chart)."""

    period: str
    sector: str  # kriya, fashion, kuliner, lainnya
    gross: int


@dataclass(frozen=True)
class Ranked:
    """A hotel or an IKM among the top sellers of the range."""

    code: str
    name: str
    gross: int
    units: int


@dataclass(frozen=True)
class TableView:
    """One audit table in short form. ``key`` names it (``placements``, ``aging``,
    ``sales``, ``payments``, ``shrinkage``) and ``columns`` its columns by key (the
    renderer has the words for both, in each language); a cell is a str, an int (a money
    column's in rupiah, by the column's key: see ``MONEY_COLUMNS``), a date or None."""

    key: str
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]
    more: int = 0  # rows left out of the short form


MONEY_COLUMNS = frozenset({"value", "gross", "commission", "net", "owed", "amount",
                           "paid", "rupiah"})


@dataclass(frozen=True)
class ProgrammeView:
    agency_name: str
    programme_name: str
    period_from: str
    period_to: str
    made_on: datetime.date  # the report's day: what is overdue is as of it
    headline: Headline
    by_month_sector: tuple[MonthSector, ...]
    top_hotels: tuple[Ranked, ...]
    top_ikm: tuple[Ranked, ...]
    sector_share: tuple[tuple[str, int], ...]  # (sector, gross) of the range
    tables: tuple[TableView, ...]


# --- rendering -----------------------------------------------------------------

def render_programme(view: ProgrammeView, lang: str = "id") -> bytes:
    """The programme report as PDF bytes, identical for identical views."""
    words = programme_labels_for(lang)
    span = period_range(view.period_from, view.period_to, lang)
    info = DocumentInfo(title=f"{words.document} {span}", author=view.agency_name,
                        subject=view.programme_name, created_on=view.made_on)
    return base.render(lambda: programme_story(view, lang), info, lang)


def programme_story(view: ProgrammeView, lang: str = "id") -> list[Flowable]:
    """The report's flowables, beginning with the marker that sets its page margins."""
    words = programme_labels_for(lang)
    months = months_between(view.period_from, view.period_to)
    span = period_range(view.period_from, view.period_to, lang)
    head = RunningHead(left=f"{words.document} · {view.agency_name}", right=span,
                       foot=f"{view.programme_name} · {words.as_of} "
                       f"{long_date(view.made_on, lang)}")
    return [
        SectionStart(head),
        masthead_block(view.agency_name, view.programme_name, words.title),
        Spacer(1, 1.2 * mm),
        meta_strip([(words.period, span), (words.months, number(len(months), lang)),
                    (words.as_of, long_date(view.made_on, lang))]),
        Spacer(1, 3 * mm),
        headline_cards(view, lang, words),
        Spacer(1, 2.5 * mm),
        *charts_section(view, months, lang, words),
        *tables_section(view, lang, words),
    ]


def months_between(first: str, last: str) -> list[str]:
    """Every period from ``first`` to ``last``, both included."""
    start, end = _month_number(first), _month_number(last)
    if end < start:
        raise ValueError(f"The report's range runs backwards: {first} is after {last}.")
    return [f"{n // 12:04d}-{n % 12 + 1:02d}" for n in range(start, end + 1)]


def _month_number(period: str) -> int:
    period_label(period)  # refuses a malformed period with a sentence
    return int(period[:4]) * 12 + int(period[5:]) - 1


def period_range(first: str, last: str, lang: str = "id") -> str:
    """'Oktober 2020', 'Oktober–Desember 2020' or 'November 2020–Februari 2021'."""
    months_between(first, last)
    if first == last:
        return period_label(first, lang)
    if first[:4] == last[:4]:
        month = format_date(datetime.date(int(first[:4]), int(first[5:]), 1), format="MMMM",
                            locale=lang)
        return f"{month}–{period_label(last, lang)}"
    return f"{period_label(first, lang)}–{period_label(last, lang)}"


def share_label(part: int, whole: int, lang: str = "id") -> str:
    """``part`` as a percentage of ``whole``, to one decimal, halves away from zero, in
    exact arithmetic: 375/1000 -> '37,5%' (id), '37.5%' (en); 2/5 -> '40%'; '-' of nothing."""
    if whole == 0:
        return "-"
    tenths = round_half_away(Fraction(part * 1000, whole))
    whole_part, tenth = divmod(abs(tenths), 10)
    text = number(whole_part, lang) + (_DECIMAL_MARK[lang] + str(tenth) if tenth else "")
    return ("-" if tenths < 0 else "") + text + "%"


_DECIMAL_MARK = {"id": ",", "en": "."}


# --- headline figures ------------------------------------------------------------

def headline_cards(view: ProgrammeView, lang: str, words: ProgrammeLabels) -> Grid:
    """Eight figure cards in two rows of four: the range at a glance."""
    h = view.headline
    cards = [
        (words.ikm_selling, number(h.ikm_selling, lang), "", False),
        (words.hotels_active, number(h.hotels_active, lang), "", False),
        (words.gross, rupiah(h.gross), "", False),
        (words.commission, rupiah(h.commission),
         words.of_gross.format(share=share_label(h.commission, h.gross, lang)) if h.gross
         else "", False),
        (words.net, rupiah(h.net), "", False),
        (words.paid_out, rupiah(h.paid_out),
         words.of_net.format(share=share_label(h.paid_out, h.net, lang)) if h.net > 0 else "",
         False),
        (words.overdue, rupiah(h.overdue),
         words.as_of_day.format(date=long_date(view.made_on, lang)), h.overdue > 0),
        (words.overdue_statements, number(h.overdue_statements, lang),
         words.as_of_day.format(date=long_date(view.made_on, lang)), h.overdue_statements > 0),
    ]
    rows = [[], [""] * 7, []]
    for i, card in enumerate(cards):
        row = rows[0] if i < 4 else rows[2]
        if row:
            row.append("")
        row.append(_card(*card))
    style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 6),
             ("RIGHTPADDING", (0, 0), (-1, -1), 6), ("TOPPADDING", (0, 0), (-1, -1), 5),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]
    for i, (*_, alert) in enumerate(cards):
        cell_at = (2 * (i % 4), 0 if i < 4 else 2)
        style += [("BACKGROUND", cell_at, cell_at, DRAFT_FILL if alert else base.BAND),
                  ("LINEABOVE", cell_at, cell_at, 1.6, base.STAMP if alert else base.HEAD_FILL)]
    widths = [_CARD_WIDTH, _CARD_GUTTER] * 3 + [_CARD_WIDTH]
    table = Grid(rows, colWidths=widths, rowHeights=[None, _CARD_GUTTER, None])
    table.setStyle(style)
    return table


def _card(label: str, value: str, note: str, alert: bool) -> list[Flowable]:
    room = _CARD_WIDTH - 12
    size = next((s for s in _CARD_SIZES if stringWidth(value, base.FONT_BOLD, s) <= room),
                _CARD_SIZES[-1])
    style = base.paragraph_style(f"card_{size}", fontName=base.FONT_BOLD, fontSize=size,
                                 leading=size * 1.2,
                                 textColor=base.STAMP if alert else base.INK)
    flowables = [para(label, base.LABEL), Spacer(1, 1.5), para(value, style)]
    if note:
        flowables.append(para(note, base.SMALL))
    return flowables


_CARD_GUTTER = 3 * mm
_CARD_WIDTH = (CONTENT_WIDTH - 3 * _CARD_GUTTER) / 4
_CARD_SIZES = (13, 12, 11, 10, 9, 8, 7)


# --- charts -----------------------------------------------------------------------

def charts_section(view: ProgrammeView, months: list[str], lang: str,
                   words: ProgrammeLabels) -> list[Flowable]:
    """Sales per month by sector, the share by sector, the top hotels and IKM; one
    sentence instead when nothing was sold."""
    if not _has_sales(view):
        return [*base.heading(words.sales_heading), para(words.no_sales, base.NOTE)]
    return [
        *sales_chart(view, months, lang, words),
        *share_section(view, lang, words),
        *ranking(words.top_hotels_heading, words.col_hotel, view.top_hotels,
                 view.headline.gross, lang, words),
        *ranking(words.top_ikm_heading, words.col_ikm, view.top_ikm,
                 view.headline.gross, lang, words),
    ]


def _has_sales(view: ProgrammeView) -> bool:
    return (any(row.gross for row in view.by_month_sector)
            or any(gross for _, gross in view.sector_share)
            or bool(view.top_hotels or view.top_ikm))


def sector_order(view: ProgrammeView) -> list[str]:
    """The four sectors, then any other the data names, in order of appearance."""
    seen = [row.sector for row in view.by_month_sector] + [s for s, _ in view.sector_share]
    extra = [s for s in dict.fromkeys(seen) if s not in SECTORS]
    return [*SECTORS, *extra]


def sector_name(sector: str, words: ProgrammeLabels) -> str:
    return words.sectors.get(sector, sector[:1].upper() + sector[1:])


def sales_chart(view: ProgrammeView, months: list[str], lang: str,
                words: ProgrammeLabels) -> list[Flowable]:
    order = sector_order(view)
    amounts: dict[tuple[str, str], int] = {}
    for row in view.by_month_sector:
        amounts[row.period, row.sector] = amounts.get((row.period, row.sector), 0) + row.gross
    periods = months + sorted({row.period for row in view.by_month_sector} - set(months))
    series = [Series(sector_name(s, words), sector_colour(s, order),
                     tuple(amounts.get((p, s), 0) for p in periods)) for s in order]
    categories = [_month_short(p, lang) for p in periods]
    if not any(amounts.values()):
        return [*base.heading(words.sales_heading), para(words.no_sales, base.NOTE)]
    drawing, totals = stacked_bars(categories, series, CONTENT_WIDTH, _SALES_HEIGHT, lang)
    flowables = [CondPageBreak(_SALES_HEIGHT + 14 * mm), para(words.sales_heading, base.HEADING),
                 drawing]
    return flowables + [para(words.sales_note, base.SMALL)] if totals else flowables


def _month_short(period: str, lang: str) -> str:
    day = datetime.date(int(period[:4]), int(period[5:]), 1)
    return format_date(day, format="MMM y", locale=lang)


def share_section(view: ProgrammeView, lang: str, words: ProgrammeLabels) -> list[Flowable]:
    """A pie of the sectors' gross with each wedge's percentage, beside a table of the
    amounts and shares (exact arithmetic, rounded half away from zero)."""
    order = sector_order(view)
    totals: dict[str, int] = {}
    for sector, gross in view.sector_share:
        totals[sector] = totals.get(sector, 0) + gross
    shares = [(s, totals[s]) for s in order if s in totals]
    whole = sum(gross for _, gross in shares)
    flowables: list[Flowable] = [CondPageBreak(_PIE_SIZE + 14 * mm),
                                 para(words.share_heading, base.HEADING)]
    if whole <= 0:
        return flowables + [para(words.no_sales, base.NOTE)]
    wedges = [(s, g) for s, g in shares if g > 0]
    pie = share_pie([g for _, g in wedges], [sector_colour(s, order) for s, _ in wedges],
                    [share_label(g, whole, lang) if 20 * g >= whole else "" for _, g in wedges],
                    _PIE_SIZE)
    table = _share_table(shares, whole, order, lang, words)
    layout = Grid([[pie, table]], colWidths=[_PIE_SIZE + 6 * mm,
                                             CONTENT_WIDTH - _PIE_SIZE - 6 * mm])
    layout.setStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                     ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)])
    return flowables + [layout, para(words.share_note, base.SMALL)]


def _share_table(shares: list[tuple[str, int]], whole: int, order: list[str], lang: str,
                 words: ProgrammeLabels) -> Grid:
    width = CONTENT_WIDTH - _PIE_SIZE - 6 * mm
    figures = [rupiah(g) for _, g in shares] + [rupiah(whole)]
    money = max(stringWidth(f, base.FONT_BOLD, 8) for f in figures) + 2 * base.CELL_PADDING + 1
    widths = [7 * mm, 0.0, max(money, 26 * mm), 18 * mm]
    widths[1] = width - sum(widths)
    room = widths[1] - 2 * base.CELL_PADDING
    rows: list[list] = [[swatch(sector_colour(s, order)), base.cell(sector_name(s, words), room),
                         rupiah(g), share_label(g, whole, lang)] for s, g in shares]
    rows.append(["", words.total_label, rupiah(whole), share_label(whole, whole, lang)])
    extra = [("VALIGN", (0, 1), (-1, -1), "MIDDLE"), *base.total_row_style(len(rows))]
    return base.data_table(["", words.col_sector, words.col_gross, words.col_share], rows,
                           widths, right=(2, 3), extra=extra)


def ranking(title: str, who: str, ranked: tuple[Ranked, ...], whole: int, lang: str,
            words: ProgrammeLabels) -> list[Flowable]:
    """The top sellers as horizontal bars beside their names (which wrap), with the gross,
    its share of the range's gross and the units sold."""
    flowables: list[Flowable] = [para(title, base.HEADING)]
    if not ranked:
        return flowables + [para(words.no_ranking, base.NOTE)]
    figures = [rupiah(r.gross) for r in ranked]
    money = max(stringWidth(f, base.FONT, 8) for f in figures) + 2 * base.CELL_PADDING + 1
    widths = [7 * mm, 0.0, _BAR_WIDTH + 2 * base.CELL_PADDING, max(money, 25 * mm), 15 * mm,
              17 * mm]
    widths[1] = CONTENT_WIDTH - sum(widths)
    top = max((r.gross for r in ranked), default=0)
    rows = [[number(i, lang), _ranked_name(r),
             bar(r.gross / top if top > 0 else 0.0, _BAR_WIDTH), rupiah(r.gross),
             share_label(r.gross, whole, lang) if whole > 0 else "-", number(r.units, lang)]
            for i, r in enumerate(ranked, start=1)]
    header = [words.col_no, who, "", words.col_gross, words.col_share, words.col_units]
    extra = [("TOPPADDING", (2, 1), (2, -1), 4.5)]  # the bar beside the name's first line
    table = base.data_table(header, rows, widths, right=(0, 3, 4, 5), extra=extra)
    return [KeepTogether(flowables + [table])]


def _ranked_name(ranked: Ranked) -> Paragraph:
    code = f"<font size='6.5' color='{_MUTED_HEX}'>{escape(ranked.code)}</font>"
    return rich(f"{bold(ranked.name)}<br/>{code}", _NAME)


_SALES_HEIGHT = 66 * mm
_PIE_SIZE = 44 * mm
_BAR_WIDTH = 40 * mm
_MUTED_HEX = base.MUTED.hexval().replace("0x", "#")
_NAME = base.paragraph_style("ranked_name", fontSize=8, leading=9.5)


# --- the audit tables ----------------------------------------------------------------

def tables_section(view: ProgrammeView, lang: str, words: ProgrammeLabels) -> list[Flowable]:
    flowables: list[Flowable] = [*base.heading(words.tables_heading)]
    if not view.tables:
        return flowables + [para(words.no_tables, base.NOTE)]
    for table in view.tables:
        flowables += audit_table(table, lang, words)
    return flowables


def audit_table(table: TableView, lang: str, words: ProgrammeLabels) -> list[Flowable]:
    """One table in short form: money in rupiah, dates short, None as '-'; the text
    columns share what the figures leave, and wrap; a note of the rows left out."""
    header = [words.columns.get(key, key) for key in table.columns]
    texts = [[cell_text(value, key, lang, words) for value, key in zip(row, table.columns,
                                                                        strict=True)]
             for row in table.rows]
    figures = [_is_figure(table, i) for i in range(len(table.columns))]
    widths, size = column_widths(header, texts, figures)
    room = [w - 2 * base.CELL_PADDING for w in widths]
    cell_style = _cell_style(size)
    rows: list[list] = [[text if figures[i] else base.cell(text, room[i], cell_style)
                         for i, text in enumerate(row)] for row in texts]
    extra = [*base.text_style((0, 1), (-1, -1), cell_style), *_COMPACT]
    if not rows:
        rows = [[para(words.no_rows, base.NOTE)] + [""] * (len(widths) - 1)]
        extra = [("SPAN", (0, 1), (-1, 1))]
    right = [i for i, figure in enumerate(figures) if figure == "number"]
    title = words.tables.get(table.key, table.key)
    flowables = [CondPageBreak(30 * mm), para(title, _TABLE_HEADING),
                 base.data_table(header, rows, widths, right=right, extra=extra)]
    if table.more > 0:
        flowables.append(para(words.more_rows.format(n=number(table.more, lang)), base.NOTE))
    return flowables


def cell_text(value: object, column: str, lang: str, words: ProgrammeLabels) -> str:
    """A cell as printed: a money column's int in rupiah, another int as a number, a date
    short, a flag as yes or no, None as '-'."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return words.yes if value else words.no
    if isinstance(value, int):
        return rupiah(value) if column in MONEY_COLUMNS else number(value, lang)
    if isinstance(value, datetime.datetime):
        return short_date(value.date(), lang)
    if isinstance(value, datetime.date):
        return short_date(value, lang)
    if isinstance(value, Decimal | Fraction):
        return _decimal_text(Decimal(value.numerator) / Decimal(value.denominator)
                             if isinstance(value, Fraction) else value, lang)
    return str(value)


def _decimal_text(value: Decimal, lang: str) -> str:
    """A ratio to two decimals, halves away from zero: Decimal('0.375') -> '0,38' (id)."""
    text = format(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), "f")
    return text.replace(".", _DECIMAL_MARK[lang])


def _is_figure(table: TableView, column: int) -> str | None:
    """'number' for a column of figures (right-justified), 'date' for one of dates (neither
    wraps), None for text."""
    values = [row[column] for row in table.rows if row[column] is not None]
    if values and all(isinstance(v, int | Decimal | Fraction) and not isinstance(v, bool)
                      for v in values):
        return "number"
    if values and all(isinstance(v, datetime.date) for v in values):
        return "date"
    if not values and table.columns[column] in MONEY_COLUMNS:
        return "number"
    return None


def column_widths(header: list[str], texts: list[list[str]],
                  figures: list[str | None]) -> tuple[list[float], float]:
    """Widths that fill the page and the type size that makes the figures fit unwrapped:
    a figure column is as wide as its widest figure; the text columns share what is left,
    the narrow ones at their own width, the others equally (they wrap)."""
    text_columns = [i for i, figure in enumerate(figures) if not figure]
    for size in _SIZES:
        natural = [_natural(i, header, texts, size) for i in range(len(header))]
        fixed = sum(w for w, figure in zip(natural, figures, strict=True) if figure)
        least = sum(min(natural[i], _least(header[i])) for i in text_columns)
        if fixed + least <= CONTENT_WIDTH:
            break
    if not text_columns:
        scale = CONTENT_WIDTH / fixed if fixed > CONTENT_WIDTH else 1.0
        return [w * scale for w in natural], size
    shares = _share_out(CONTENT_WIDTH - fixed, [natural[i] for i in text_columns],
                        [_least(header[i]) for i in text_columns])
    widths = list(natural)
    for i, width in zip(text_columns, shares, strict=True):
        widths[i] = width
    return widths, size


def _natural(column: int, header: list[str], texts: list[list[str]], size: float) -> float:
    widest = max((stringWidth(row[column], base.FONT, size) for row in texts), default=0)
    return max(widest + 2 * base.CELL_PADDING + 1, _head_word(header[column]))


def _head_word(head: str) -> float:
    word = max((stringWidth(w, base.HEAD_CELL.fontName, base.HEAD_CELL.fontSize)
                for w in head.split()), default=0)
    return word + 2 * base.CELL_PADDING + 1


def _least(head: str) -> float:
    """The narrowest a text column becomes: room for its header's longest word."""
    return max(_head_word(head), _LEAST_TEXT)


def _share_out(room: float, natural: list[float], least: list[float]) -> list[float]:
    """``room`` shared out: a column that needs less than an equal share keeps its own
    width; the rest split what is left equally, never below their least; any room over goes
    to every column alike, and a shortfall (the figures left too little) is taken from
    every column alike."""
    order = sorted(range(len(natural)), key=lambda i: natural[i])
    widths = [0.0] * len(natural)
    left = room
    for n, i in enumerate(order):
        share = left / (len(order) - n)
        widths[i] = min(natural[i], max(share, least[i]))
        left -= widths[i]
    if left > 0:
        return [w + left / len(widths) for w in widths]
    scale = room / sum(widths)
    return [w * scale for w in widths]


def _cell_style(size: float) -> ParagraphStyle:
    return base.paragraph_style(f"short_cell_{size}", fontSize=size, leading=size * 1.25)


_SIZES = (7, 6.5, 6, 5.5, 5)
_LEAST_TEXT = 14 * mm
_TABLE_HEADING = base.paragraph_style("table_heading", fontName=base.FONT_BOLD, fontSize=8.5,
                                      leading=11, spaceBefore=5, spaceAfter=2,
                                      textColor=base.HEAD_FILL)
_COMPACT = [("TOPPADDING", (0, 1), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 1), (-1, -1), 2)]
