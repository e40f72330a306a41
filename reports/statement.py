"""The settlement statement of one (hotel, IKM, period): its view and its PDF.

The view is a frozen snapshot of what is printed; every figure in it was
computed (and rounded) by the settlement code.  The renderer only lays the
figures out and formats them.  Before drawing, it checks that the figures
add up (``statement_problems``) and refuses a view that does not, so a
statement that disagrees with itself is never printed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Spacer

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
from reports.blocks import masthead_block, meta_strip, party_boxes
from reports.fmt import (
    long_date,
    number,
    period_label,
    rate_label,
    rupiah,
    short_date,
    signed_number,
)
from reports.labels import Labels, labels_for
from reports.terbilang import amount_in_words

KINDS = ("sale", "loss", "correction")
STATUSES = ("draft", "issued", "paid")


@dataclass(frozen=True)
class StatementLineView:
    kind: str  # 'sale' | 'loss' | 'correction'
    date: datetime.date
    sku: str
    name: str
    qty: int  # negative for a correction
    unit_price: int  # whole rupiah
    amount: int  # qty * unit_price (negative for corrections)
    rate_bp: int  # commission rate in basis points, 1750 = 17.5%


@dataclass(frozen=True)
class CommissionGroupView:
    rate_bp: int
    amount: int  # sum of line amounts at that rate
    commission: int  # already rounded by the settlement code


@dataclass(frozen=True)
class StockRowView:
    sku: str
    name: str
    opening: int
    placed: int
    sold: int
    returned: int
    lost: int
    counted: int
    corrected: int
    closing: int


@dataclass(frozen=True)
class StatementView:
    number: str | None  # 'ST-000042'; None for a draft
    status: str  # draft | issued | paid
    period: str  # 'YYYY-MM'
    issued_on: datetime.date | None
    due_on: datetime.date | None
    agency_name: str
    programme_name: str
    hotel_code: str
    hotel_name: str
    hotel_address: str
    hotel_phone: str
    consignor_code: str
    consignor_name: str
    owner_name: str
    consignor_address: str
    bank: str
    account: str
    holder: str
    lines: tuple[StatementLineView, ...]
    groups: tuple[CommissionGroupView, ...]
    stock: tuple[StockRowView, ...]
    gross: int
    commission: int
    opening_balance: int
    net: int
    verification_code: str | None = None  # 'A1B2 C3D4 E5F6' once issued (SPEC section 4)

    @property
    def is_draft(self) -> bool:
        return self.number is None or self.status == "draft"


# --- consistency ------------------------------------------------------------

def statement_problems(view: StatementView) -> list[str]:
    """Every way the view disagrees with itself, as sentences; [] when sound."""
    return [
        *_header_problems(view),
        *_line_problems(view),
        *_total_problems(view),
        *_stock_problems(view),
    ]


def _header_problems(view: StatementView) -> list[str]:
    problems = []
    if view.status not in STATUSES:
        problems.append(f"Status {view.status!r} is not one of {', '.join(STATUSES)}.")
    if view.status != "draft" and view.number is None:
        problems.append(f"A statement with status {view.status!r} needs a number.")
    return problems


def _line_problems(view: StatementView) -> list[str]:
    problems = []
    for i, line in enumerate(view.lines, start=1):
        if line.kind not in KINDS:
            problems.append(
                f"Line {i} ({line.sku}) has kind {line.kind!r}, not one of {', '.join(KINDS)}."
            )
        if line.amount != line.qty * line.unit_price:
            problems.append(
                f"Line {i} ({line.sku}): {line.qty} x {line.unit_price} is not {line.amount}."
            )
    return problems


def _total_problems(view: StatementView) -> list[str]:
    checks = [
        ("the lines' amounts", sum(line.amount for line in view.lines), "gross", view.gross),
        ("the rate groups' amounts", sum(g.amount for g in view.groups), "gross", view.gross),
        ("the rate groups' commissions", sum(g.commission for g in view.groups),
         "commission", view.commission),
        ("gross - commission + opening balance",
         view.gross - view.commission + view.opening_balance, "net", view.net),
    ]
    return [
        f"The sum of {what} is {got}, but {name} is {want}."
        for what, got, name, want in checks
        if got != want
    ]


def _stock_problems(view: StatementView) -> list[str]:
    problems = []
    for row in view.stock:
        closing = (row.opening + row.placed - row.sold - row.returned - row.lost
                   + row.counted + row.corrected)
        if closing != row.closing:
            problems.append(f"Stock of {row.sku} should close at {closing}, not {row.closing}.")
    return problems


# --- rendering -----------------------------------------------------------------

def render_statement(view: StatementView, lang: str = "id") -> bytes:
    """The statement as PDF bytes, identical for identical views."""
    words = labels_for(lang)
    info = DocumentInfo(
        title=f"{statement_reference(view, words)} {period_label(view.period, lang)}",
        author=view.agency_name,
        subject=f"{words.statement_title.capitalize()}: {view.hotel_name} / {view.consignor_name}",
        created_on=view.issued_on,
    )
    return base.render(lambda: statement_story(view, lang), info, lang)


def statement_story(view: StatementView, lang: str = "id") -> list[Flowable]:
    """The statement's flowables, beginning with the marker that sets its page margins."""
    _refuse_unsound(view)
    words = labels_for(lang)
    return [
        SectionStart(running_head(view, lang)),
        *masthead(view, lang, words),
        _parties(view, words),
        *_lines_section(view, lang, words),
        *_commission_section(view, lang, words),
        *_stock_section(view, lang, words),
        _closing_block(view, lang, words),
    ]


def _refuse_unsound(view: StatementView) -> None:
    problems = statement_problems(view)
    if problems:
        who = view.number or f"draft {view.hotel_code}/{view.consignor_code} {view.period}"
        raise ValueError(f"Statement {who} does not add up: " + " ".join(problems))


def statement_reference(view: StatementView, words: Labels) -> str:
    """The number, or the word for draft."""
    return words.draft if view.is_draft else str(view.number)


def running_head(view: StatementView, lang: str) -> RunningHead:
    words = labels_for(lang)
    return RunningHead(
        left=view.programme_name,
        right=f"{statement_reference(view, words)} · {period_label(view.period, lang)}",
        foot=_foot(view, words),
        stamp=words.draft if view.is_draft else None,
    )


def _foot(view: StatementView, words: Labels) -> str:
    parties = (f"{view.hotel_name} ({view.hotel_code}) - "
               f"{view.consignor_name} ({view.consignor_code})")
    if view.is_draft or not view.verification_code:
        return parties
    return f"{words.verification} {view.verification_code} · {parties}"


def masthead(view: StatementView, lang: str, words: Labels) -> list[Flowable]:
    """Agency and title, then the strip of number, period and dates."""
    top = masthead_block(view.agency_name, view.programme_name, words.statement_title)
    strip = meta_strip([
        (words.number, statement_reference(view, words)),
        (words.period, period_label(view.period, lang)),
        (words.issued_on, long_date(view.issued_on, lang) if view.issued_on else "-"),
        (words.due_on, long_date(view.due_on, lang) if view.due_on else "-"),
    ], alert=view.is_draft)
    flowables = [top, Spacer(1, 3 * mm), strip]
    if view.is_draft:
        flowables += [Spacer(1, 2 * mm), para(words.draft_warning, _DRAFT_NOTE)]
    return flowables + [Spacer(1, 3 * mm)]


def _parties(view: StatementView, words: Labels) -> Grid:
    hotel = [
        para(words.hotel, base.LABEL),
        rich(f"{bold(view.hotel_name)} ({escape(view.hotel_code)})", base.BODY),
        para(view.hotel_address, base.CELL),
        para(f"{words.phone}: {view.hotel_phone}", base.CELL),
    ]
    account = f"{view.bank} {view.account} {words.holder_prefix} {view.holder}"
    consignor = [
        para(words.consignor, base.LABEL),
        rich(f"{bold(view.consignor_name)} ({escape(view.consignor_code)})", base.BODY),
        para(f"{words.owner}: {view.owner_name}", base.CELL),
        para(view.consignor_address, base.CELL),
        rich(f"{escape(words.pay_to)}: {bold(account)}", base.CELL),
    ]
    return party_boxes(hotel, consignor)


def _lines_section(view: StatementView, lang: str, words: Labels) -> list[Flowable]:
    header = [words.col_no, words.col_date, words.col_sku, words.col_name, words.col_qty,
              words.col_unit_price, words.col_rate, words.col_amount]
    texts = [_line_texts(n, line, lang) for n, line in enumerate(_in_order(view), start=1)]
    columns = [[row[i] for row in texts] for i in range(8)]
    columns[7].append(rupiah(view.gross))
    widths, size = base.fitted_figures(_LINE_MINIMUMS, columns, header)
    rows, extra = _line_rows(view, texts, widths, words)
    rows.append(["", words.gross, "", "", "", "", "", rupiah(view.gross)])
    extra += base.figure_style(4, size)
    extra += base.total_row_style(len(rows), size) + [("SPAN", (1, len(rows)), (6, len(rows)))]
    table = base.data_table(header, rows, widths, right=(0, 4, 5, 6, 7), extra=extra)
    return [*base.heading(words.lines_heading), table]


def _in_order(view: StatementView) -> list[StatementLineView]:
    """The lines grouped by kind (sales, losses, corrections), in ledger order within."""
    return [line for kind in KINDS for line in view.lines if line.kind == kind]


def _line_texts(counter: int, line: StatementLineView, lang: str) -> list[str]:
    return [
        str(counter), short_date(line.date, lang), line.sku, line.name, number(line.qty, lang),
        rupiah(line.unit_price), rate_label(line.rate_bp, lang), rupiah(line.amount),
    ]


def _line_rows(view: StatementView, texts: list[list[str]], widths: list[float],
               words: Labels) -> tuple[list[list], list[tuple]]:
    """Rows grouped by kind, each group under a band naming it; numbered throughout."""
    rows: list[list] = []
    extra: list[tuple] = []
    kind_names = {
        "sale": words.kind_sale, "loss": words.kind_loss, "correction": words.kind_correction,
    }
    room = [width - 2 * base.CELL_PADDING for width in widths]
    previous = None
    for line, row in zip(_in_order(view), texts, strict=True):
        if line.kind != previous:
            rows.append([kind_names[line.kind]] + [""] * 7)
            extra += base.band_row_style(len(rows))
            previous = line.kind
        rows.append([row[0], row[1], base.cell(row[2], room[2]), base.cell(row[3], room[3]),
                     *row[4:]])
    if not rows:
        rows.append([para(words.no_lines, base.NOTE)] + [""] * 7)
        extra.append(("SPAN", (0, 1), (-1, 1)))
    return rows, extra


def _commission_section(view: StatementView, lang: str, words: Labels) -> list[Flowable]:
    header = [words.col_rate_long, words.col_base, words.col_commission]
    rows: list[list] = [
        [rate_label(g.rate_bp, lang), rupiah(g.amount), rupiah(g.commission)] for g in view.groups
    ]
    rows.append([words.total, rupiah(view.gross), rupiah(view.commission)])
    widths = base.fitted_widths([40 * mm] * 3, [[row[i] for row in rows] for i in range(3)],
                                header, total=0)
    table = base.data_table(header, rows, widths, right=(1, 2),
                            extra=base.total_row_style(len(rows)))
    return [*base.heading(words.commission_heading), table]


def _closing_block(view: StatementView, lang: str, words: Labels) -> Flowable:
    """The totals, the net in words, the verification code and the signatures, kept on one
    page: the signatures are never printed on a page of their own."""
    return KeepTogether([*_totals(view, lang, words), *_verification(view, words),
                         *_signatures(view, words)])


def _totals(view: StatementView, lang: str, words: Labels) -> list[Flowable]:
    payable = view.net > 0
    rows = [
        [words.gross, rupiah(view.gross)],
        [words.commission, rupiah(-view.commission)],
        [words.opening_balance, rupiah(view.opening_balance)],
        [words.net_payable if payable else words.net_balance, rupiah(view.net)],
    ]
    amount = max(45 * mm, max(stringWidth(row[1], base.FONT_BOLD, 10) for row in rows) + 8)
    table = Grid(rows, colWidths=[CONTENT_WIDTH - amount, amount], hAlign="LEFT")
    table.setStyle(_TOTALS_STYLE)
    return [para(words.totals_heading, base.HEADING), table, Spacer(1, 2.5 * mm),
            _words_box(view, lang, words)]


def _verification(view: StatementView, words: Labels) -> list[Flowable]:
    """The code by which a paper copy is checked (``statement verify --code``)."""
    if view.is_draft or not view.verification_code:
        return []
    compact = view.verification_code.replace(" ", "")
    text = (f"{escape(words.verification)}: <b>{escape(view.verification_code)}</b> · "
            + escape(words.verification_hint.format(number=view.number, code=compact)))
    return [Spacer(1, 1.5 * mm), rich(text, base.SMALL)]


def _words_box(view: StatementView, lang: str, words: Labels) -> Grid:
    if view.net > 0:
        spelled = amount_in_words(view.net, lang)
        lines = [
            rich(f"{escape(words.in_words)}: <b><i>{escape(_capitalize(spelled))}</i></b>",
                 base.BODY),
            para(_payment_sentence(view, lang, words), base.CELL),
        ]
    else:
        lines = [rich(f"<b>{escape(words.nothing_payable)}</b>", base.BODY)]
        if view.net < 0:
            lines.append(para(words.carried_forward.format(amount=rupiah(view.net)), base.CELL))
    box = Grid([[lines]], colWidths=[CONTENT_WIDTH])
    box.setStyle([
        ("BOX", (0, 0), (-1, -1), 0.8, base.HEAD_FILL),
        ("LEFTPADDING", (0, 0), (-1, -1), 7),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ])
    return box


def _payment_sentence(view: StatementView, lang: str, words: Labels) -> str:
    account = f"{view.bank} {view.account} {words.holder_prefix} {view.holder}"
    if view.due_on is None:
        return words.payment_to.format(account=account)
    return words.payment_due.format(account=account, due=long_date(view.due_on, lang))


def _stock_section(view: StatementView, lang: str, words: Labels) -> list[Flowable]:
    texts = [_stock_texts(row, lang) for row in view.stock]
    widths, size = base.fitted_figures(
        _STOCK_MINIMUMS, [[row[i] for row in texts] for i in range(10)], words.stock_columns)
    room = [width - 2 * base.CELL_PADDING for width in widths]
    rows: list[list] = [[base.cell(row[0], room[0]), base.cell(row[1], room[1]), *row[2:]]
                        for row in texts]
    extra: list[tuple] = [
        ("BACKGROUND", (9, 1), (9, -1), base.BAND),
        ("FONT", (9, 1), (9, -1), base.FONT_BOLD, 8, 10),
        *base.figure_style(2, size),
    ]
    if not rows:
        rows = [[para(words.no_stock, base.NOTE)] + [""] * 9]
        extra = [("SPAN", (0, 1), (-1, 1))]
    table = base.data_table(words.stock_columns, rows, widths, right=range(2, 10), extra=extra)
    return [*base.heading(words.stock_heading), table, Spacer(1, 1.5 * mm),
            para(words.stock_note, base.SMALL)]


def _stock_texts(row: StockRowView, lang: str) -> list[str]:
    return [
        row.sku, row.name, number(row.opening, lang), number(row.placed, lang),
        number(row.sold, lang), number(row.returned, lang), number(row.lost, lang),
        signed_number(row.counted, lang), signed_number(row.corrected, lang),
        number(row.closing, lang),
    ]


def _signatures(view: StatementView, words: Labels) -> list[Flowable]:
    """Signature blocks for the hotel (signatory left blank) and the IKM's owner."""
    room = _SIGNATURE_WIDTH - _SIGNATURE_RIGHT_PADDING
    rows = [
        [words.for_hotel, "", words.for_consignor],
        [base.cell(view.hotel_name, room), "", base.cell(view.consignor_name, room)],
        ["", "", ""],
        [words.name_and_title, "",
         rich(f"{bold(view.owner_name)}, {escape(words.owner)}", base.CELL)],
        [f"{words.signed_on}:", "", f"{words.signed_on}:"],
    ]
    heights = [None, None, 12 * mm, None, None]
    widths = [_SIGNATURE_WIDTH, _SIGNATURE_GUTTER, _SIGNATURE_WIDTH]
    table = Grid(rows, colWidths=widths, rowHeights=heights)
    table.setStyle(_SIGNATURE_TEXT + [
        ("LINEBELOW", (0, 2), (0, 2), 0.6, base.INK),
        ("LINEBELOW", (2, 2), (2, 2), 0.6, base.INK),
        ("LINEBELOW", (0, 4), (0, 4), 0.4, base.RULE),
        ("LINEBELOW", (2, 4), (2, 4), 0.4, base.RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 4), (-1, 4), 4),
    ])
    return [Spacer(1, 1 * mm), para(words.signatures_heading, base.HEADING), table]


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


# The least width of each column (None: the name, which takes the rest and wraps); figures
# widen their column to fit (``base.fitted_widths``).
_LINE_MINIMUMS = [8 * mm, 19 * mm, base.Fixed(21 * mm), None, 11 * mm, 23 * mm, 14 * mm,
                  27 * mm]
_STOCK_MINIMUMS = [base.Fixed(19 * mm), None] + [12 * mm] * 8

_SIGNATURE_GUTTER = 20 * mm
_SIGNATURE_WIDTH = (CONTENT_WIDTH - _SIGNATURE_GUTTER) / 2
_SIGNATURE_RIGHT_PADDING = 6  # the table's default; its left padding is 0
# Fonts of the two signature columns only: the gutter keeps the table's own, whose
# leading sizes the rows.
_SIGNATURE_TEXT = [
    command
    for column in (0, 2)
    for first, last, style in [(0, 0, base.LABEL), (1, 1, base.CELL), (3, 4, base.SMALL)]
    for command in base.text_style((column, first), (column, last), style)
]

_DRAFT_NOTE = base.paragraph_style("draft_note", fontName=base.FONT_BOLD, fontSize=8.5,
                                  leading=11, textColor=base.STAMP)
_TOTALS_STYLE = [
    ("FONT", (0, 0), (-1, -1), base.FONT, 9, 12),
    ("ALIGN", (1, 0), (1, -1), "RIGHT"),
    ("LINEBELOW", (0, 0), (-1, -2), 0.4, base.RULE),
    ("FONT", (0, -1), (-1, -1), base.FONT_BOLD, 10, 13),
    ("BACKGROUND", (0, -1), (-1, -1), base.BAND),
    ("LINEABOVE", (0, -1), (-1, -1), 1, base.INK),
    ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ("TOPPADDING", (0, 0), (-1, -1), 2.5),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
]
