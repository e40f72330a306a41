"""The sheet a hotel's stock count (stock opname) is written on: its view and its PDF.

The shelf as the ledger has it, SKU by SKU, in the order of the file that ``consign
count`` reads (``consign doc count-template``): SKU, name, IKM, the units on record, and
an empty box for the units counted; under it, the signatures of who counted and who
checked, with the date. The same view renders to the same bytes (``reports.base``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from reports import base
from reports.base import CONTENT_WIDTH, DocumentInfo, Grid, RunningHead, SectionStart, para
from reports.blocks import masthead_block, meta_strip
from reports.fmt import long_date, number
from reports.price_labels import HEAD_RIGHT, shortened
from reports.shelf_labels import ShelfLabels, shelf_labels_for


@dataclass(frozen=True)
class CountSheetLine:
    sku: str
    name: str
    consignor_code: str
    consignor_name: str
    expected: int  # units on hand by the ledger


@dataclass(frozen=True)
class CountSheetView:
    agency_name: str
    programme_name: str
    hotel_code: str
    hotel_name: str
    hotel_address: str
    as_of: datetime.date  # the moment the figures are of, in the business time zone
    as_of_time: str  # '12:00 WIB'
    lines: tuple[CountSheetLine, ...]  # in the order of the count file

    @property
    def units(self) -> int:
        return sum(line.expected for line in self.lines)


def render_count_sheet(view: CountSheetView, lang: str = "id") -> bytes:
    """The count sheet as PDF bytes, identical for identical views."""
    words = shelf_labels_for(lang)
    info = DocumentInfo(title=f"{words.count_document} {view.hotel_code}",
                        author=view.agency_name,
                        subject=f"{words.count_document}: {view.hotel_name}",
                        created_on=view.as_of)
    return base.render(lambda: count_sheet_story(view, lang), info, lang)


def count_sheet_story(view: CountSheetView, lang: str = "id") -> list[Flowable]:
    words = shelf_labels_for(lang)
    as_of = f"{long_date(view.as_of, lang)} {view.as_of_time}"
    right = shortened(f"{words.count_document} · {view.hotel_name} ({view.hotel_code})",
                      base.FONT, 7.5, HEAD_RIGHT)
    head = RunningHead(left=view.agency_name, right=right,
                       foot=f"{view.hotel_code} · {words.as_of} {as_of}")
    strip = meta_strip([
        (words.hotel, f"{view.hotel_name} ({view.hotel_code})"),
        (words.as_of, as_of),
        (words.skus, number(len(view.lines), lang)),
        (words.units, number(view.units, lang)),
    ])
    return [
        SectionStart(head),
        masthead_block(view.agency_name, view.programme_name, words.count_title),
        Spacer(1, 1.2 * mm), strip, Spacer(1, 2 * mm),
        para(words.instructions, base.SMALL), Spacer(1, 2 * mm),
        _table(view, lang, words),
        _signatures(words),
    ]


_WIDTHS = [8 * mm, 29 * mm, None, 40 * mm, 17 * mm, 22 * mm]
_COUNTED = 5  # the column written in by hand


def _table(view: CountSheetView, lang: str, words: ShelfLabels) -> Flowable:
    header = [words.col_no, words.col_sku, words.col_name, words.col_ikm, words.col_expected,
              words.col_counted]
    widths = [CONTENT_WIDTH - sum(w for w in _WIDTHS if w) if w is None else w
              for w in _WIDTHS]
    room = [width - 2 * base.CELL_PADDING for width in widths]
    rows: list[list] = [
        [str(n), base.cell(line.sku, room[1]), base.cell(line.name, room[2]),
         base.cell(f"{line.consignor_name} ({line.consignor_code})", room[3]),
         number(line.expected, lang), ""]
        for n, line in enumerate(view.lines, start=1)
    ]
    extra: list[tuple] = [("TOPPADDING", (0, 1), (-1, -1), 4),
                          ("BOTTOMPADDING", (0, 1), (-1, -1), 4)]
    if rows:
        last = len(rows)
        extra += [("GRID", (_COUNTED, 1), (_COUNTED, last), 0.7, base.INK)]
        rows.append(["", words.total, "", "", number(view.units, lang), ""])
        extra += base.total_row_style(len(rows)) + [("SPAN", (1, len(rows)), (3, len(rows)))]
    else:
        rows.append([para(words.nothing_on_hand, base.NOTE)] + [""] * 5)
        extra.append(("SPAN", (0, 1), (-1, 1)))
    return base.data_table(header, rows, widths, right=(0, 4), extra=extra)


_SIGNATURE_GUTTER = 20 * mm
_SIGNATURE_WIDTH = (CONTENT_WIDTH - _SIGNATURE_GUTTER) / 2


def _signatures(words: ShelfLabels) -> Flowable:
    """Who counted and who checked: a line to sign on, the name and the date under it."""
    rows = [
        [words.counted_by, "", words.checked_by],
        ["", "", ""],
        [words.name_and_signature, "", words.name_and_signature],
        [f"{words.date}:", "", f"{words.date}:"],
    ]
    table = Grid(rows, colWidths=[_SIGNATURE_WIDTH, _SIGNATURE_GUTTER, _SIGNATURE_WIDTH],
                 rowHeights=[None, 14 * mm, None, 9 * mm])
    table.setStyle([
        *base.text_style((0, 0), (-1, 0), base.CELL),
        *base.text_style((0, 2), (-1, -1), base.SMALL),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 1), (0, 1), 0.6, base.INK),
        ("LINEBELOW", (2, 1), (2, 1), 0.6, base.INK),
        ("LINEBELOW", (0, 3), (0, 3), 0.4, base.RULE),
        ("LINEBELOW", (2, 3), (2, 3), 0.4, base.RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 2), (-1, -1), 2),
    ])
    return KeepTogether([Spacer(1, 8 * mm), table])
