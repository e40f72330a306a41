"""The proofs of what changed hands: the placement receipt (*tanda terima barang
konsinyasi*), the return note (*nota retur*) and the payment advice (*bukti pembayaran*).

Each is a frozen view of what is printed, built by the services from the ledger, the
registry and the payments, and rendered here on the shared base (``reports.base``): the
renderer only lays out and formats. Before drawing, a view is checked to add up
(``proof_problems``); one that does not is refused, never printed. Identical views give
identical bytes.

Every text a person typed (a name, an address, a reference) is bounded by the service
layer; should one reach a renderer longer than a page can hold, it is shortened with an
ellipsis rather than break the page (``clip``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
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
from reports.blocks import account_text, masthead_block, meta_strip, party_boxes
from reports.fmt import long_date, number, period_label, rate_label, rupiah, short_date
from reports.proof_labels import ProofLabels, proof_labels_for
from reports.terbilang import amount_in_words

# ---- views -----------------------------------------------------------------------------

@dataclass(frozen=True)
class PartyView:
    """A hotel or an IKM as a proof names it."""

    code: str
    name: str
    address: str = ""
    phone: str = ""  # in its international format, or ""
    owner: str = ""  # an IKM's owner


@dataclass(frozen=True)
class ProofLineView:
    sku: str
    name: str
    qty: int  # units, positive
    unit_price: int  # the hotel price, whole rupiah
    value: int  # qty * unit_price
    voided: bool = False  # voided in the ledger since it was recorded


@dataclass(frozen=True)
class TermsView:
    """The terms in force for the pair on the day of a placement."""

    on: datetime.date
    rate_bp: int | None  # None: no rate covers that day yet
    pair_rate: bool  # the pair's own rate (else the hotel's default)
    display_days: int
    payment_days: int
    due_back: datetime.date  # the last day of the display term


@dataclass(frozen=True)
class NoteView:
    """A placement receipt (``kind`` 'receipt', with ``terms``) or a return note
    (``kind`` 'return')."""

    kind: str
    number: str
    day: datetime.date  # the note's date in the business time zone
    time: str  # '14:30 WIB'
    agency_name: str
    programme_name: str
    hotel: PartyView
    consignor: PartyView
    lines: tuple[ProofLineView, ...]
    recorded_by: str
    recorded_on: datetime.date  # when it was recorded, in the business time zone
    recorded_time: str  # '14:32 WIB'
    terms: TermsView | None = None

    @property
    def units(self) -> int:
        return sum(line.qty for line in self.lines if not line.voided)

    @property
    def value(self) -> int:
        return sum(line.value for line in self.lines if not line.voided)


@dataclass(frozen=True)
class EarlierPaymentView:
    on: datetime.date
    ref: str
    amount: int


@dataclass(frozen=True)
class AdviceView:
    payment_id: int
    paid_on: datetime.date
    amount: int
    ref: str
    bank: str
    account: str  # in groups of four digits
    holder: str
    statement_number: str
    period: str  # 'YYYY-MM'
    due_on: datetime.date
    statement_net: int
    earlier: tuple[EarlierPaymentView, ...]  # the payments in force recorded before it
    owed_after: int
    agency_name: str
    programme_name: str
    hotel: PartyView
    consignor: PartyView
    recorded_by: str
    recorded_on: datetime.date
    recorded_time: str

    @property
    def paid_before(self) -> int:
        return sum(payment.amount for payment in self.earlier)


# ---- consistency -------------------------------------------------------------------------

def proof_problems(view: NoteView | AdviceView) -> list[str]:
    """Every way the view disagrees with itself, as sentences; [] when sound."""
    if isinstance(view, AdviceView):
        return _advice_problems(view)
    problems = []
    if view.kind not in ("receipt", "return"):
        problems.append(f"A note proof is a receipt or a return, not {view.kind!r}.")
    if view.kind == "receipt" and view.terms is None:
        problems.append(f"Receipt {view.number} needs the terms in force.")
    if not view.lines:
        problems.append(f"{view.number} has no lines.")
    for i, line in enumerate(view.lines, start=1):
        if line.qty <= 0:
            problems.append(f"Line {i} ({line.sku}) has {line.qty} units.")
        if line.value != line.qty * line.unit_price:
            problems.append(
                f"Line {i} ({line.sku}): {line.qty} x {line.unit_price} is not {line.value}.")
    return problems


def _advice_problems(view: AdviceView) -> list[str]:
    problems = []
    if view.amount <= 0:
        problems.append(f"Payment {view.payment_id} is of {view.amount}.")
    owed = view.statement_net - view.paid_before - view.amount
    if owed != view.owed_after:
        problems.append(f"Payment {view.payment_id}: {view.statement_net} - "
                        f"{view.paid_before} - {view.amount} is {owed}, not {view.owed_after}.")
    if view.owed_after < 0:
        problems.append(f"Payment {view.payment_id} pays more than its statement's net.")
    return problems


def _refuse_unsound(view: NoteView | AdviceView) -> None:
    problems = proof_problems(view)
    if problems:
        raise ValueError("The proof does not add up: " + " ".join(problems))


# ---- rendering ---------------------------------------------------------------------------

def render_note(view: NoteView, lang: str = "id") -> bytes:
    """A placement receipt or a return note as PDF bytes, identical for identical views."""
    _refuse_unsound(view)
    words = proof_labels_for(lang)
    document = words.receipt_document if view.kind == "receipt" else words.return_document
    info = DocumentInfo(title=f"{document} {view.number}", author=view.agency_name,
                        subject=f"{document}: {clip(view.hotel.name, 200)} / "
                                f"{clip(view.consignor.name, 200)}",
                        created_on=view.day)
    return base.render(lambda: _note_story(view, lang, words), info, lang)


def render_advice(view: AdviceView, lang: str = "id") -> bytes:
    """A payment advice as PDF bytes, identical for identical views."""
    _refuse_unsound(view)
    words = proof_labels_for(lang)
    info = DocumentInfo(
        title=f"{words.advice_document} {view.payment_id} ({view.statement_number})",
        author=view.agency_name,
        subject=f"{words.advice_document}: {clip(view.hotel.name, 200)} / "
                f"{clip(view.consignor.name, 200)}",
        created_on=view.paid_on)
    return base.render(lambda: _advice_story(view, lang, words), info, lang)


def clip(text: str, most: int) -> str:
    """``text``, or its first ``most`` characters and an ellipsis: what a page can hold."""
    return text if len(text) <= most else text[:most - 1].rstrip() + "…"


def _head(agency: str, hotel: PartyView, reference: str, foot: str) -> RunningHead:
    """The agency on the left of every page's head; the hotel and the proof's number on
    the right; the parties in the foot."""
    hotel_name = base.fit(clip(hotel.name, 120), base.FONT, 7.5, CONTENT_WIDTH * 0.4)
    return RunningHead(left=agency, right=f"{hotel_name} · {reference}", foot=foot)


def _foot(document: str, reference: str, view) -> str:
    return (f"{document} {reference} · {clip(view.hotel.name, 80)} ({view.hotel.code}) - "
            f"{clip(view.consignor.name, 80)} ({view.consignor.code})")


def _note_story(view: NoteView, lang: str, words: ProofLabels) -> list[Flowable]:
    receipt = view.kind == "receipt"
    title = words.receipt_title if receipt else words.return_title
    document = words.receipt_document if receipt else words.return_document
    when = f"{long_date(view.day, lang)} {view.time}"
    if receipt:
        strip = [(words.placement_number, view.number), (words.received_on, when),
                 (words.display_term, words.days.format(days=view.terms.display_days)),
                 (words.due_back, long_date(view.terms.due_back, lang))]
    else:
        strip = [(words.return_number, view.number), (words.returned_on, when),
                 (words.units, number(view.units, lang)),
                 (words.value_total, rupiah(view.value))]
    story = [
        SectionStart(_head(view.agency_name, view.hotel, view.number,
                           _foot(document, view.number, view))),
        masthead_block(view.agency_name, view.programme_name, title),
        Spacer(1, 1.2 * mm), meta_strip(strip), Spacer(1, 1.2 * mm),
        _parties(view.hotel, view.consignor, words),
        *base.heading(words.lines_heading if receipt else words.returned_heading),
        _lines_table(view, lang, words),
    ]
    if any(line.voided for line in view.lines):
        story += [Spacer(1, 1 * mm), para(words.voided_note, base.SMALL)]
    closing: list[Flowable] = [Spacer(1, 3 * mm)]
    if receipt:
        closing += _terms_block(view.terms, lang, words)
        left, right = ((words.handed_by_consignor, view.consignor),
                       (words.received_by_hotel, view.hotel))
    else:
        closing.append(para(words.returned_sentence.format(date=long_date(view.day, lang)),
                            base.BODY))
        left, right = ((words.handed_by_hotel, view.hotel),
                       (words.received_by_consignor, view.consignor))
    closing += _signatures(left, right, words)
    closing += [Spacer(1, 2 * mm), _recorded(view, lang, words)]
    return story + [KeepTogether(closing)]


def _recorded(view: NoteView | AdviceView, lang: str, words: ProofLabels) -> Flowable:
    """Who recorded it, and when."""
    when = f"{long_date(view.recorded_on, lang)} {view.recorded_time}"
    return para(words.recorded_by.format(actor=clip(view.recorded_by, 120), at=when),
                base.SMALL)


def _parties(hotel: PartyView, consignor: PartyView, words: ProofLabels) -> Grid:
    def detail(*parts: str) -> str:
        return clip(" · ".join(part for part in parts if part), 400)

    def phone(number_: str) -> str:  # a number is never broken across lines
        return f"{words.phone}: {number_.replace(' ', NBSP)}" if number_ else ""

    left = [para(words.hotel, base.LABEL),
            rich(f"{bold(clip(hotel.name, 200))} ({escape(hotel.code)})", base.BODY),
            para(detail(clip(hotel.address, 300), phone(hotel.phone)), base.CELL)]
    right = [para(words.consignor, base.LABEL),
             rich(f"{bold(clip(consignor.name, 200))} ({escape(consignor.code)})", base.BODY),
             para(detail(f"{words.owner}: {clip(consignor.owner, 200)}" if consignor.owner
                         else "", clip(consignor.address, 300), phone(consignor.phone)),
                  base.CELL)]
    return party_boxes(left, right)


def _lines_table(view: NoteView, lang: str, words: ProofLabels) -> Grid:
    header = [words.col_no, words.col_sku, words.col_name, words.col_qty, words.col_price,
              words.col_value]
    texts = [[str(n), line.sku, clip(line.name, 300), number(line.qty, lang),
              rupiah(line.unit_price), rupiah(line.value)]
             for n, line in enumerate(view.lines, start=1)]
    columns = [[row[i] for row in texts] for i in range(6)]
    columns[3].append(number(view.units, lang))
    columns[5].append(rupiah(view.value))
    widths, size = base.fitted_figures(_LINE_MINIMUMS, columns, header)
    room = [width - 2 * base.CELL_PADDING for width in widths]
    rows: list[list] = []
    for line, row in zip(view.lines, texts, strict=True):
        name: object = base.cell(row[2], room[2])
        if line.voided:
            name = rich(f"{escape(row[2])} <i>({escape(words.voided)})</i>", base.CELL)
        rows.append([row[0], base.cell(row[1], room[1]), name, *row[3:]])
    rows.append(["", words.total, "", number(view.units, lang), "", rupiah(view.value)])
    last = len(rows)
    extra = [*base.figure_style(3, size), *base.total_row_style(last, size),
             ("SPAN", (1, last), (2, last))]
    extra += [("TEXTCOLOR", (0, i), (-1, i), base.MUTED)
              for i, line in enumerate(view.lines, start=1) if line.voided]
    return base.data_table(header, rows, widths, right=(0, 3, 4, 5), extra=extra)


def _terms_block(terms: TermsView, lang: str, words: ProofLabels) -> list[Flowable]:
    if terms.rate_bp is None:
        commission = words.commission_none
    else:
        template = words.commission_pair if terms.pair_rate else words.commission_default
        commission = template.format(rate=rate_label(terms.rate_bp, lang))
    rows = [
        [para(words.commission, base.CELL), para(commission, base.CELL)],
        [para(words.display, base.CELL),
         para(f"{words.days.format(days=terms.display_days)} · {words.due_back}: "
              f"{long_date(terms.due_back, lang)}", base.CELL)],
        [para(words.payment_term, base.CELL),
         para(words.days.format(days=terms.payment_days), base.CELL)],
    ]
    table = Grid(rows, colWidths=[40 * mm, CONTENT_WIDTH - 40 * mm])
    table.setStyle(_BOX_STYLE)
    ownership = words.ownership.format(due=long_date(terms.due_back, lang),
                                       payment_days=terms.payment_days)
    return [para(words.terms_on.format(date=long_date(terms.on, lang)), base.HEADING), table,
            Spacer(1, 2 * mm), para(ownership, base.CELL)]


def _signatures(left: tuple[str, PartyView], right: tuple[str, PartyView],
                words: ProofLabels) -> list[Flowable]:
    """Two signature blocks: who hands over on the left, who receives on the right; under
    each line the signatory's name and title and the date, to be written in."""
    def title(role: str, party: PartyView) -> Flowable:
        return rich(f"{escape(role)}:<br/>{bold(clip(party.name, 200))}", base.CELL)

    def under(party: PartyView) -> Flowable:
        who = f"{clip(party.owner, 200)}, {words.owner}" if party.owner else words.name_and_title
        return para(f"{who} · {words.signed_on}:", base.SMALL)

    rows = [[title(*left), "", title(*right)], ["", "", ""],
            [under(left[1]), "", under(right[1])]]
    table = Grid(rows, colWidths=[_SIGNATURE_WIDTH, _SIGNATURE_GUTTER, _SIGNATURE_WIDTH],
                 rowHeights=[None, 16 * mm, None])
    table.setStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 1), (0, 1), 0.6, base.INK),
        ("LINEBELOW", (2, 1), (2, 1), 0.6, base.INK),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 2), (-1, 2), 2),
    ])
    return [Spacer(1, 4 * mm), para(words.signatures_heading, base.HEADING), table]


def _advice_story(view: AdviceView, lang: str, words: ProofLabels) -> list[Flowable]:
    reference = str(view.payment_id)
    strip = [(words.payment_number, reference), (words.paid_on, long_date(view.paid_on, lang)),
             (words.statement, view.statement_number),
             (words.period, period_label(view.period, lang))]
    story = [
        SectionStart(_head(view.agency_name, view.hotel, f"{view.statement_number} / "
                                                          f"{reference}",
                           _foot(words.advice_document, reference, view))),
        masthead_block(view.agency_name, view.programme_name, words.advice_title),
        Spacer(1, 1.2 * mm), meta_strip(strip), Spacer(1, 1.2 * mm),
        _parties(view.hotel, view.consignor, words),
        *base.heading(words.figures_heading),
        _advice_figures(view, lang, words),
        Spacer(1, 2 * mm),
        _advice_details(view, lang, words),
    ]
    if view.earlier:
        story += [Spacer(1, 2 * mm), *base.heading(words.earlier_heading),
                  _earlier_table(view, lang, words)]
    closing = _signatures_one(words.paid_by_hotel, view.hotel, words)
    closing += [Spacer(1, 2 * mm), _recorded(view, lang, words)]
    return story + [KeepTogether(closing)]


def _advice_figures(view: AdviceView, lang: str, words: ProofLabels) -> Grid:
    rows = [
        [para(words.statement_net.format(number=view.statement_number), _FIGURE_LABEL),
         rupiah(view.statement_net)],
        [para(words.paid_before, _FIGURE_LABEL), rupiah(-view.paid_before)],
        [para(words.this_payment, _FIGURE_LABEL), rupiah(-view.amount)],
        [para(words.owed_after, _NET_LABEL), rupiah(view.owed_after)],
    ]
    table = Grid(rows, colWidths=[CONTENT_WIDTH * 0.6 - 40 * mm, 40 * mm], hAlign="LEFT")
    table.setStyle(_FIGURES_STYLE)
    return table


def _advice_details(view: AdviceView, lang: str, words: ProofLabels) -> Grid:
    account = account_text(view.bank, view.account, view.holder, words) or "-"
    if view.owed_after == 0:
        after = words.settled.format(number=view.statement_number)
    else:
        after = words.still_owed.format(number=view.statement_number,
                                        owed=rupiah(view.owed_after),
                                        due=long_date(view.due_on, lang))
    spelled = amount_in_words(view.amount, lang)
    rows = [
        [para(words.this_payment, base.CELL), rich(bold(rupiah(view.amount)), base.CELL)],
        [para(words.in_words, base.CELL),
         rich(f"<i>{escape(spelled[:1].upper() + spelled[1:])}</i>", base.CELL)],
        [para(words.reference, base.CELL), para(clip(view.ref, 120), base.CELL)],
        [para(words.paid_to, base.CELL), para(clip(account, 400), base.CELL)],
        [para(words.due_on, base.CELL), para(long_date(view.due_on, lang), base.CELL)],
        ["", rich(bold(after), base.CELL)],
    ]
    table = Grid(rows, colWidths=[40 * mm, CONTENT_WIDTH - 40 * mm])
    table.setStyle(_BOX_STYLE)
    return table


def _earlier_table(view: AdviceView, lang: str, words: ProofLabels) -> Grid:
    header = [words.col_no, words.col_date, words.col_reference, words.col_amount]
    texts = [[str(n), short_date(p.on, lang), clip(p.ref, 120), rupiah(p.amount)]
             for n, p in enumerate(view.earlier, start=1)]
    columns = [[row[i] for row in texts] for i in range(4)]
    columns[3].append(rupiah(view.paid_before))
    widths, _size = base.fitted_figures([8 * mm, 22 * mm, None, 28 * mm], columns, header)
    room = widths[2] - 2 * base.CELL_PADDING
    rows: list[list] = [[row[0], row[1], base.cell(row[2], room), row[3]] for row in texts]
    rows.append(["", words.total, "", rupiah(view.paid_before)])
    last = len(rows)
    extra = [*base.total_row_style(last), ("SPAN", (1, last), (2, last))]
    return base.data_table(header, rows, widths, right=(0, 3), extra=extra)


def _signatures_one(role: str, party: PartyView, words: ProofLabels) -> list[Flowable]:
    rows = [[rich(f"{escape(role)}:<br/>{bold(clip(party.name, 200))}", base.CELL)], [""],
            [para(f"{words.name_and_title} · {words.signed_on}:", base.SMALL)]]
    table = Grid(rows, colWidths=[_SIGNATURE_WIDTH], rowHeights=[None, 16 * mm, None],
                 hAlign="RIGHT")
    table.setStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 1), (0, 1), 0.6, base.INK),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 2), (-1, 2), 2),
    ])
    return [Spacer(1, 6 * mm), table]


NBSP = "\u00a0"
# the least width of each column (None: the name, which takes the rest and wraps)
_LINE_MINIMUMS = [8 * mm, 20 * mm, None, 11 * mm, 25 * mm, 27 * mm]
_SIGNATURE_GUTTER = 20 * mm
_SIGNATURE_WIDTH = (CONTENT_WIDTH - _SIGNATURE_GUTTER) / 2
_FIGURE_LABEL = base.paragraph_style("proof_figure", fontSize=9, leading=11.5)
_NET_LABEL = base.paragraph_style("proof_net", fontName=base.FONT_BOLD, fontSize=9.5,
                                  leading=12)
_BOX_STYLE = [
    ("BOX", (0, 0), (-1, -1), 0.6, base.RULE),
    ("LINEBELOW", (0, 0), (-1, -2), 0.3, base.RULE),
    ("BACKGROUND", (0, 0), (0, -1), base.BAND),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 5),
    ("RIGHTPADDING", (0, 0), (-1, -1), 5),
    ("TOPPADDING", (0, 0), (-1, -1), 2.5),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
]
_FIGURES_STYLE = base.totals_style(9, 11.5)
