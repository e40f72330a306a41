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
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

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
from reports.blocks import account_text, masthead_block, meta_strip, party_boxes
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
    # what an owner ticks the line off with (None where not recorded, or on a statement
    # issued before lines kept them)
    time: str | None = None  # a sale's time of day in the business zone: '14:30 WIB'
    receipt: str | None = None
    payment: str | None = None  # cash | card | qris | transfer
    note: str | None = None  # a loss's note number: 'LS-2020-00003'
    reason: str | None = None  # a loss's reason, or the void's of a correction
    corrects_date: datetime.date | None = None  # a correction: the line it corrects
    corrects_receipt: str | None = None
    corrects_number: str | None = None


@dataclass(frozen=True)
class LossView:
    """A loss, damage or count shortage the IKM bears: listed without an amount."""

    kind: str  # lost | damaged | counted
    date: datetime.date
    sku: str
    name: str
    qty: int  # units gone
    note: str | None
    reason: str | None


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
    losses: tuple[LossView, ...] = ()

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
        *_losses_section(view, lang, words),
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
        left=view.agency_name,
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
    flowables = [top, Spacer(1, 1.2 * mm), strip]
    if view.is_draft:
        flowables += [Spacer(1, 1.2 * mm), para(words.draft_warning, _DRAFT_NOTE)]
    return flowables + [Spacer(1, 1.2 * mm)]


def _parties(view: StatementView, words: Labels) -> Grid:
    address = " · ".join(part for part in (
        view.hotel_address, f"{words.phone}: {view.hotel_phone}" if view.hotel_phone else "")
        if part)
    hotel = [
        para(words.hotel, base.LABEL),
        rich(f"{bold(view.hotel_name)} ({escape(view.hotel_code)})", base.BODY),
        para(address, base.CELL),
    ]
    account = account_text(view.bank, view.account, view.holder, words) or words.no_account
    owner = " · ".join(part for part in (f"{words.owner}: {view.owner_name}",
                                         view.consignor_address) if part)
    consignor = [
        para(words.consignor, base.LABEL),
        rich(f"{bold(view.consignor_name)} ({escape(view.consignor_code)})", base.BODY),
        para(owner, base.CELL),
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
    rows, extra = _line_rows(view, texts, widths, words, lang)
    rows.append(["", words.gross, "", "", "", "", "", rupiah(view.gross)])
    extra += base.figure_style(4, size)
    extra += _COMPACT_ROWS
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
               words: Labels, lang: str) -> tuple[list[list], list[tuple]]:
    """Rows grouped by kind, each group under a band naming it; numbered throughout. Under
    a line's name, in small type, what an owner ticks it off with."""
    rows: list[list] = []
    extra: list[tuple] = []
    kind_names = {
        "sale": words.kind_sale, "loss": words.kind_loss, "correction": words.kind_correction,
    }
    room = [width - 2 * base.CELL_PADDING for width in widths]
    banded = len({line.kind for line in view.lines}) > 1  # a band only between kinds
    previous = None
    for line, row in zip(_in_order(view), texts, strict=True):
        if banded and line.kind != previous:
            rows.append([kind_names[line.kind]] + [""] * 7)
            extra += base.band_row_style(len(rows))
            previous = line.kind
        name = base.cell(row[3], room[3])
        detail = line_detail(line, lang, words)
        if detail:
            name = [para(row[3], _NAME), para(detail, base.DETAIL)]
        rows.append([row[0], row[1], base.cell(row[2], room[2]), name, *row[4:]])
    if not rows:
        rows.append([para(words.no_lines, base.NOTE)] + [""] * 7)
        extra.append(("SPAN", (0, 1), (-1, 1)))
    return rows, extra


def line_detail(line: StatementLineView, lang: str, words: Labels) -> str:
    """``14:30 WIB · struk R-0042 · QRIS``; ``LS-2020-00003 · retak``; for a correction,
    ``koreksi baris 5 Okt 2020 · struk R-0042 · ST-000012 · alasan: salah input`` (with the
    note of a loss it corrects: ``koreksi baris 8 Okt 2020 · LS-2020-00002 · ST-000012 · …``)."""
    if line.kind == "correction":
        parts = []
        if line.corrects_date:
            parts.append(words.corrects.format(date=short_date(line.corrects_date, lang)))
        if line.corrects_receipt:
            parts.append(f"{words.receipt} {line.corrects_receipt}")
        if line.note:
            parts.append(line.note)
        if line.corrects_number:
            parts.append(line.corrects_number)
        if line.reason:
            parts.append(f"{words.void_reason}: {line.reason}")
        return " · ".join(parts)
    parts = [line.time, f"{words.receipt} {line.receipt}" if line.receipt else None,
             words.payments.get(line.payment, line.payment) if line.payment else None,
             line.note, line.reason]
    return " · ".join(part for part in parts if part)


def _losses_section(view: StatementView, lang: str, words: Labels) -> list[Flowable]:
    """The units the IKM bore (its own losses, damage and count shortages): no amount."""
    if not view.losses:
        return []
    header = [words.col_no, words.col_date, words.col_sku, words.col_name, words.col_qty,
              words.col_note, words.col_reason]
    texts = [[str(n), short_date(loss.date, lang), loss.sku,
              f"{loss.name} ({words.loss_kinds.get(loss.kind, loss.kind)})",
              number(loss.qty, lang), loss.note or "-", loss.reason or "-"]
             for n, loss in enumerate(view.losses, start=1)]
    widths, size = base.fitted_figures(_LOSS_MINIMUMS, [[row[i] for row in texts]
                                                        for i in range(7)], header)
    room = [width - 2 * base.CELL_PADDING for width in widths]
    rows = [[row[0], row[1], base.cell(row[2], room[2]), base.cell(row[3], room[3]), row[4],
             base.cell(row[5], room[5]), base.cell(row[6], room[6])] for row in texts]
    table = base.data_table(header, rows, widths, right=(0, 4))
    return [*base.heading(words.losses_heading), table, Spacer(1, 1 * mm),
            para(words.losses_note, base.SMALL)]


def _closing_block(view: StatementView, lang: str, words: Labels) -> Flowable:
    """The totals beside the net in words (with the verification code), then the
    signatures, kept on one page: the signatures are never printed on a page of their
    own."""
    figures = _totals(view, lang, words)
    words_box = _words_box(view, lang, words, _WORDS_WIDTH)
    side = Grid([[figures, "", words_box]],
                colWidths=[_TOTALS_WIDTH, _CLOSING_GUTTER, _WORDS_WIDTH])
    side.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                   ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                   ("BOTTOMPADDING", (0, 0), (-1, -1), 0)])
    return KeepTogether([Spacer(1, 2 * mm), side, *_signatures(view, words)])


def _totals(view: StatementView, lang: str, words: Labels) -> Grid:
    """Gross, the hotel's commission per rate (each group rounded once), the opening balance
    and the net."""
    payable = view.net > 0
    label = [para(words.commission, _TOTAL_LABEL)]
    if len(view.groups) > 1:  # each rate's commission, rounded once, under their sum
        label += [para(words.commission_at.format(
            rate=rate_label(group.rate_bp, lang), base=rupiah(group.amount),
            amount=rupiah(group.commission)), base.DETAIL) for group in view.groups]
    elif view.groups:
        group = view.groups[0]
        label = [para(words.commission_of.format(rate=rate_label(group.rate_bp, lang),
                                                 base=rupiah(group.amount)), _TOTAL_LABEL)]
    rows = [
        [para(words.gross, _TOTAL_LABEL), rupiah(view.gross)],
        [label, rupiah(-view.commission)],
        [para(words.opening_balance_short, _TOTAL_LABEL), rupiah(view.opening_balance)],
        [para(words.net_payable if payable else words.net_balance, _NET_LABEL),
         rupiah(view.net)],
    ]
    amount = max(30 * mm, max(stringWidth(row[1], base.FONT_BOLD, 10) for row in rows) + 8)
    table = Grid(rows, colWidths=[_TOTALS_WIDTH - amount, amount], hAlign="LEFT")
    table.setStyle(_TOTALS_STYLE)
    return table


def _words_box(view: StatementView, lang: str, words: Labels, width: float) -> Grid:
    """The net in words and where it is paid (or that nothing is). The verification code of
    a paper copy is in every page's foot."""
    if view.net > 0:
        spelled = amount_in_words(view.net, lang)
        lines = [
            rich(f"{escape(words.in_words)}: <b><i>{escape(_capitalize(spelled))}</i></b>",
                 base.CELL),
            Spacer(1, 1 * mm),
            para(_payment_sentence(view, lang, words), base.SMALL),
        ]
    else:
        lines = [rich(f"<b>{escape(words.nothing_payable)}</b>", base.CELL)]
        if view.net < 0:
            lines.append(para(words.carried_forward.format(amount=rupiah(view.net)),
                              base.SMALL))
    box = Grid([[lines]], colWidths=[width])
    box.setStyle([
        ("BOX", (0, 0), (-1, -1), 0.8, base.HEAD_FILL),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ])
    return box


def _payment_sentence(view: StatementView, lang: str, words: Labels) -> str:
    account = account_text(view.bank, view.account, view.holder, words)
    due = long_date(view.due_on, lang) if view.due_on else None
    if account is None:
        return (words.payment_due_no_account.format(due=due) if due
                else words.payment_no_account)
    if due is None:
        return words.payment_to.format(account=account)
    return words.payment_due.format(account=account, due=due)


def _stock_section(view: StatementView, lang: str, words: Labels) -> list[Flowable]:
    texts = [_stock_texts(row, lang) for row in view.stock]
    widths, size = base.fitted_figures(
        _STOCK_MINIMUMS, [[row[i] for row in texts] for i in range(10)], words.stock_columns)
    room = [width - 2 * base.CELL_PADDING for width in widths]
    rows: list[list] = [[base.cell(row[0], room[0], _STOCK_CELL),
                         base.cell(row[1], room[1], _STOCK_CELL), *row[2:]] for row in texts]
    extra: list[tuple] = [
        ("BACKGROUND", (9, 1), (9, -1), base.BAND),
        ("FONT", (0, 1), (-1, -1), base.FONT, _STOCK_SIZE, _STOCK_SIZE * 1.2),
        ("FONT", (9, 1), (9, -1), base.FONT_BOLD, _STOCK_SIZE, _STOCK_SIZE * 1.2),
        *base.figure_style(2, min(size, _STOCK_SIZE)),
        *_COMPACT_ROWS,
    ]
    if not rows:
        rows = [[para(words.no_stock, base.NOTE)] + [""] * 9]
        extra = [("SPAN", (0, 1), (-1, 1))]
    table = base.data_table(words.stock_columns, rows, widths, right=range(2, 10), extra=extra)
    title = (f"{escape(words.stock_heading)} <font name='{base.FONT}' size='7' "
             f"color='{base.MUTED.hexval().replace('0x', '#')}'>&nbsp; "
             f"{escape(words.stock_note)}</font>")
    return [CondPageBreak(35 * mm), rich(title, base.HEADING), table]


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
    hotel = rich(f"{escape(words.for_hotel)}: {bold(view.hotel_name)}", base.CELL)
    consignor = rich(f"{escape(words.for_consignor)}: {bold(view.consignor_name)}", base.CELL)
    rows = [
        [hotel, "", consignor],
        ["", "", ""],
        [base.cell(f"{words.name_and_title} · {words.signed_on}:", room, base.SMALL), "",
         rich(f"{escape(view.owner_name)}, {escape(words.owner)} · {escape(words.signed_on)}:",
              base.SMALL)],
    ]
    heights = [None, 6.5 * mm, None]
    widths = [_SIGNATURE_WIDTH, _SIGNATURE_GUTTER, _SIGNATURE_WIDTH]
    table = Grid(rows, colWidths=widths, rowHeights=heights)
    table.setStyle(_SIGNATURE_TEXT + [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 1), (0, 1), 0.6, base.INK),
        ("LINEBELOW", (2, 1), (2, 1), 0.6, base.INK),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 2), (-1, 2), 2),
    ])
    return [Spacer(1, 2 * mm), table]


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


# The least width of each column (None: the name, which takes the rest and wraps); figures
# widen their column to fit (``base.fitted_widths``).
_LINE_MINIMUMS = [7 * mm, 18 * mm, base.Fixed(19 * mm), None, 9 * mm, 23 * mm, 12 * mm,
                  22 * mm]
_STOCK_MINIMUMS = [base.Fixed(19 * mm), None] + [12 * mm] * 8
# the note and the reason wrap in their columns; the name takes the rest
_LOSS_MINIMUMS = [8 * mm, 19 * mm, base.Fixed(21 * mm), None, 11 * mm, base.Fixed(25 * mm),
                  base.Fixed(55 * mm)]

# Body rows of the lines and stock tables: a dozen of each, with the totals and the
# signatures, fit one page.
_COMPACT_ROWS = [("TOPPADDING", (0, 1), (-1, -1), 1), ("BOTTOMPADDING", (0, 1), (-1, -1), 1.5)]
_NAME = base.paragraph_style("line_name", fontSize=8, leading=9.5)  # above its detail
_STOCK_SIZE = 7.5
_STOCK_CELL = base.paragraph_style("stock_cell", fontSize=_STOCK_SIZE, leading=_STOCK_SIZE * 1.2)

_SIGNATURE_GUTTER = 20 * mm
_SIGNATURE_WIDTH = (CONTENT_WIDTH - _SIGNATURE_GUTTER) / 2
_SIGNATURE_RIGHT_PADDING = 6  # the table's default; its left padding is 0
# Fonts of the two signature columns only: the gutter keeps the table's own, whose
# leading sizes the rows.
_SIGNATURE_TEXT = [
    command
    for column in (0, 2)
    for first, last, style in [(0, 1, base.CELL), (2, 2, base.SMALL)]
    for command in base.text_style((column, first), (column, last), style)
]
_CLOSING_GUTTER = 5 * mm
_TOTALS_WIDTH = CONTENT_WIDTH * 0.55
_WORDS_WIDTH = CONTENT_WIDTH - _TOTALS_WIDTH - _CLOSING_GUTTER
_TOTAL_LABEL = base.paragraph_style("total_label", fontSize=8.5, leading=10.5)
_NET_LABEL = base.paragraph_style("net_label", fontName=base.FONT_BOLD, fontSize=9,
                                  leading=11)

_DRAFT_NOTE = base.paragraph_style("draft_note", fontName=base.FONT_BOLD, fontSize=8.5,
                                  leading=11, textColor=base.STAMP)
_TOTALS_STYLE = base.totals_style(8.5, 10.5)
