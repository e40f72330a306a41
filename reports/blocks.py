"""Page blocks shared by the statement and the consolidated summary:
the masthead, the shaded strip of key facts, and two framed boxes."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from reports.base import (
    AGENCY,
    BAND,
    CONTENT_WIDTH,
    FONT_BOLD,
    HEAD_FILL,
    LABEL,
    MUTED,
    RULE,
    TITLE,
    Grid,
    para,
    paragraph_style,
)

META_VALUE = paragraph_style("meta_value", fontName=FONT_BOLD, fontSize=9.5, leading=12)
PROGRAMME = paragraph_style("programme", fontSize=7.5, leading=9.5, textColor=MUTED,
                            alignment=TA_RIGHT)
DRAFT_FILL = colors.HexColor("#FDE8E6")


def masthead_block(agency: str, programme: str, title: str) -> Grid:
    """The agency on the left; the document's title on the right, the programme under it."""
    left = [para(agency, AGENCY)]
    right = [para(title, TITLE), para(programme, PROGRAMME)]
    table = Grid([[left, right]], colWidths=[CONTENT_WIDTH * 0.45, CONTENT_WIDTH * 0.55])
    table.setStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("LINEBELOW", (0, 0), (-1, 0), 1.2, HEAD_FILL),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ])
    return table


def account_text(bank: str | None, account: str | None, holder: str | None,
                 words) -> str | None:
    """``BRI 0021 0100 0123 567 a.n. Sri Wahyuni``, or None when no account is registered."""
    if not account:
        return None
    return " ".join(part for part in (bank, account, words.holder_prefix, holder) if part)


def meta_strip(items: list[tuple[str, str]], alert: bool = False) -> Grid:
    """Label-over-value cells in one shaded row: number, period, dates."""
    cells = [[para(label, LABEL), para(value, META_VALUE)] for label, value in items]
    table = Grid([cells], colWidths=[CONTENT_WIDTH / len(items)] * len(items))
    style = [
        ("BACKGROUND", (0, 0), (-1, -1), BAND),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]
    if alert:
        style.append(("BACKGROUND", (0, 0), (0, 0), DRAFT_FILL))
    table.setStyle(style)
    return table


def party_boxes(left: list[Flowable], right: list[Flowable]) -> Grid:
    """Two framed boxes side by side with a gutter between them."""
    gutter = 6 * mm
    width = (CONTENT_WIDTH - gutter) / 2
    table = Grid([[left, "", right]], colWidths=[width, gutter, width])
    table.setStyle([
        ("BOX", (0, 0), (0, 0), 0.6, RULE),
        ("BOX", (2, 0), (2, 0), 0.6, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ])
    return table
