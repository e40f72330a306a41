"""One IKM's month across all its hotels: a summary page, then every
hotel's statement in full, numbered as one document.

The view's totals are plain sums of figures the statements already carry;
they are properties of the view so that the renderer still computes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer

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
from reports.fmt import period_label, rupiah
from reports.labels import Labels, labels_for
from reports.statement import StatementView, statement_reference, statement_story


@dataclass(frozen=True)
class ConsolidatedView:
    consignor_code: str
    consignor_name: str
    owner_name: str
    address: str
    bank: str
    account: str
    holder: str
    period: str  # 'YYYY-MM'
    statements: tuple[StatementView, ...]
    year_to_date_gross: int  # gross over all hotels from 1 January of ``year`` to the period's end
    year: int

    @property
    def total_gross(self) -> int:
        return sum(s.gross for s in self.statements)

    @property
    def total_commission(self) -> int:
        return sum(s.commission for s in self.statements)

    @property
    def total_opening_balance(self) -> int:
        return sum(s.opening_balance for s in self.statements)

    @property
    def total_net(self) -> int:
        return sum(s.net for s in self.statements)

    @property
    def total_payable(self) -> int:
        """What the hotels pay this period: a negative net at one hotel is
        carried forward there, never set off against another hotel."""
        return sum(s.net for s in self.statements if s.net > 0)

    @property
    def has_draft(self) -> bool:
        return any(s.is_draft for s in self.statements)


def render_consolidated(view: ConsolidatedView, lang: str = "id") -> bytes:
    """The summary and every statement as one PDF, identical for identical views."""
    words = labels_for(lang)
    agency = view.statements[0].agency_name if view.statements else ""
    info = DocumentInfo(
        title=f"{words.consolidated_title.capitalize()} {view.consignor_code} "
        f"{period_label(view.period, lang)}",
        author=agency,
        subject=view.consignor_name,
        created_on=_latest_issue_date(view),
    )
    return base.render(lambda: consolidated_story(view, lang), info, lang)


def consolidated_story(view: ConsolidatedView, lang: str = "id") -> list[Flowable]:
    story = summary_story(view, lang)
    for statement in view.statements:
        story += [PageBreak(), *statement_story(statement, lang)]
    return story


def summary_story(view: ConsolidatedView, lang: str = "id") -> list[Flowable]:
    words = labels_for(lang)
    first = view.statements[0] if view.statements else None
    return [
        SectionStart(_running_head(view, lang, words)),
        masthead_block(first.agency_name if first else "", first.programme_name if first else "",
                       words.consolidated_title),
        Spacer(1, 4 * mm),
        meta_strip([(words.period, period_label(view.period, lang)),
                    (words.hotel_count, str(len(view.statements)))]),
        Spacer(1, 4 * mm),
        _consignor_box(view, words),
        *base.heading(words.summary_heading),
        _summary_table(view, lang, words),
        Spacer(1, 2 * mm),
        *_summary_notes(view, words),
        Spacer(1, 5 * mm),
        _year_to_date_box(view, lang, words),
    ]


def _running_head(view: ConsolidatedView, lang: str, words: Labels) -> RunningHead:
    return RunningHead(
        left=words.consolidated_title.capitalize(),
        right=f"{view.consignor_code} · {period_label(view.period, lang)}",
        foot=f"{view.consignor_name} ({view.consignor_code})",
        stamp=words.draft if view.has_draft else None,
    )


def _consignor_box(view: ConsolidatedView, words: Labels) -> Grid:
    account = account_text(view.bank, view.account, view.holder, words) or words.no_account
    left = [
        para(words.consignor, base.LABEL),
        rich(f"{bold(view.consignor_name)} ({escape(view.consignor_code)})", base.BODY),
        para(f"{words.owner}: {view.owner_name}", base.CELL),
        para(view.address, base.CELL),
    ]
    right = [
        para(words.pay_to, base.LABEL),
        rich(bold(account), base.CELL),
    ]
    return party_boxes(left, right)


def _summary_table(view: ConsolidatedView, lang: str, words: Labels) -> Grid:
    header = [words.col_no, words.col_hotel, words.col_statement, words.gross,
              words.commission, words.opening_balance_short, words.col_net]
    widths = [8 * mm, None, 24 * mm, 26 * mm, 24 * mm, 24 * mm, 26 * mm]
    widths[1] = CONTENT_WIDTH - sum(w for w in widths if w)
    rows: list[list] = [_summary_row(i, s, words) for i, s in enumerate(view.statements, start=1)]
    extra: list[tuple] = []
    if not rows:
        rows.append([para(words.no_statements, base.NOTE)] + [""] * 6)
        extra.append(("SPAN", (0, 1), (-1, 1)))
    rows.append(["", words.total, "", rupiah(view.total_gross), rupiah(view.total_commission),
                 rupiah(view.total_opening_balance), rupiah(view.total_net)])
    extra += base.total_row_style(len(rows)) + [("SPAN", (1, len(rows)), (2, len(rows)))]
    return base.data_table(header, rows, widths, right=(0, 3, 4, 5, 6), extra=extra)


def _summary_row(i: int, statement: StatementView, words: Labels) -> list:
    hotel = f"{bold(statement.hotel_name)}<br/>{escape(statement.hotel_code)}"
    return [
        str(i), rich(hotel, base.CELL), statement_reference(statement, words),
        rupiah(statement.gross), rupiah(statement.commission),
        rupiah(statement.opening_balance), rupiah(statement.net),
    ]


def _summary_notes(view: ConsolidatedView, words: Labels) -> list[Flowable]:
    rows = [[words.total_paid, rupiah(view.total_payable)]]
    table = Grid(rows, colWidths=[CONTENT_WIDTH - 45 * mm, 45 * mm], hAlign="LEFT")
    table.setStyle([
        ("FONT", (0, 0), (-1, -1), base.FONT_BOLD, 10, 13),
        ("ALIGN", (1, 0), (1, 0), "RIGHT"),
        ("BACKGROUND", (0, 0), (-1, -1), base.BAND),
        ("LINEABOVE", (0, 0), (-1, 0), 1, base.INK),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ])
    notes: list[Flowable] = [table, Spacer(1, 2 * mm)]
    if any(s.net < 0 for s in view.statements):
        notes.append(para(words.negative_not_offset, base.SMALL))
    if view.statements:
        notes.append(para(words.statements_follow, base.SMALL))
    return notes


def _year_to_date_box(view: ConsolidatedView, lang: str, words: Labels) -> Grid:
    label = words.year_to_date.format(year=view.year, period=period_label(view.period, lang))
    rows = [[para(label, base.BODY), rich(bold(rupiah(view.year_to_date_gross)), _AMOUNT)],
            [para(words.tax_note, base.SMALL), ""]]
    table = Grid(rows, colWidths=[CONTENT_WIDTH - 45 * mm, 45 * mm])
    table.setStyle([
        ("BOX", (0, 0), (-1, -1), 0.8, base.HEAD_FILL),
        ("SPAN", (0, 1), (-1, 1)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 7),
        ("RIGHTPADDING", (0, 0), (-1, -1), 7),
        ("TOPPADDING", (0, 0), (-1, 0), 6),
        ("BOTTOMPADDING", (0, 1), (-1, 1), 6),
    ])
    return table


def _latest_issue_date(view: ConsolidatedView) -> datetime.date | None:
    dates = [s.issued_on for s in view.statements if s.issued_on is not None]
    return max(dates) if dates else None


_AMOUNT = base.paragraph_style("amount", fontSize=10, leading=13, alignment=TA_RIGHT)
