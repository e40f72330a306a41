"""The audit reports as tables: typed cells (int rupiah and units, dates, shares as exact
fractions, averages as ``Decimal``), then the same cells as plain values for JSON and CSV
(dates ``YYYY-MM-DD``, a share ``"25.00%"``, an average ``"12.5"``) and as typed cells for
a workbook (``consign.xlsx``). Every format carries the same figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

PERCENT = Decimal("0.01")
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Table:
    """One table of a report: ``key`` names it (a section, a sheet), ``columns`` its
    columns, ``rows`` one dict per row, ``money`` the columns in rupiah."""

    key: str
    columns: tuple[str, ...]
    rows: tuple[dict, ...]
    money: frozenset[str] = field(default_factory=frozenset)


class Share(Fraction):
    """A share of a whole, exact (units sold of units available, say): shown as a
    percentage with two decimals, stored in a workbook as a number in a percent format."""

    def __repr__(self) -> str:
        return f"Share({self.numerator}, {self.denominator})"


def share(part: int, whole: int) -> Share | None:
    """``part`` of ``whole``; None when there is no whole to take a share of."""
    return Share(part, whole) if whole else None


def average(total: int, count: int) -> Decimal | None:
    """``total`` ÷ ``count`` to one decimal, halves up (days); None of nothing."""
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(TENTH, rounding=ROUND_HALF_UP)


def percent_text(value: Fraction) -> str:
    """``Share(1, 3)`` -> ``"33.33%"`` (halves away from zero)."""
    scaled = Decimal(value.numerator * 100) / Decimal(value.denominator)
    return f"{scaled.quantize(PERCENT, rounding=ROUND_HALF_UP)}%"


def plain(value):
    """A cell as JSON and CSV carry it."""
    if isinstance(value, Share):
        return percent_text(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def plain_rows(table: Table) -> list[dict]:
    return [{name: plain(row.get(name)) for name in table.columns} for row in table.rows]


def as_json(tables: list[Table], **head) -> dict:
    """One JSON document: ``head`` (the report's own keys, e.g. ``as_of``), then each
    table under its key."""
    document = {key: plain(value) for key, value in head.items()}
    document.update({table.key: plain_rows(table) for table in tables})
    return document


def table(key: str, columns: str, records, money: str = "") -> Table:
    """A table of ``records`` (dataclasses or dicts) under the space-separated
    ``columns``, with the space-separated ``money`` columns in rupiah."""
    names = tuple(columns.split())
    rows = tuple(
        {name: (record[name] if isinstance(record, dict) else getattr(record, name))
         for name in names}
        for record in records)
    return Table(key, names, rows, frozenset(money.split()))
