"""Spreadsheets for the agency (``--xlsx FILE``): one sheet per table, rupiah cells as real
numbers in a rupiah number format, dates as dates, shares as numbers in a percent format,
the header row frozen and columns as wide as what they hold.

The bytes are reproducible: the workbook's properties carry a fixed time and every part
of the file a fixed timestamp, so the same tables make the same file.

A table is anything with ``key`` (its sheet's name), ``columns``, ``rows`` (one dict per
row, typed cells: int, str, bool, ``date``, ``Decimal``, ``Fraction``, None) and
``money`` (the columns in rupiah)."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

RUPIAH = '"Rp"#,##0'
UNITS = "#,##0"
DATE = "dd/mm/yyyy"  # day first, as Indonesia writes dates
PERCENT = "0.00%"
DECIMAL = "0.0"
FIXED = datetime(2000, 1, 1)  # the workbook's created and modified time
ZIP_TIME = (2000, 1, 1, 0, 0, 0)
WIDEST = 60  # a column is never wider than this many characters
SHEET_NAME = 31  # the longest sheet name Excel takes


def workbook(tables) -> bytes:
    """The workbook of ``tables``, one sheet each, as reproducible bytes."""
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for table in tables:
        _sheet(book, _title(table.key, used), table)
    book.properties.creator = "consign"
    book.properties.created = book.properties.modified = FIXED
    raw = io.BytesIO()
    ExcelWriter(book, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()
    return _fixed_times(raw.getvalue())


def write(path, tables) -> None:
    """Write the workbook of ``tables`` to ``path``."""
    data = workbook(tables)
    with open(path, "wb") as file:
        file.write(data)


def _title(key: str, used: set[str]) -> str:
    base = (key or "sheet")[:SHEET_NAME]
    title, n = base, 2
    while title.lower() in used:
        suffix = f" {n}"
        title, n = base[:SHEET_NAME - len(suffix)] + suffix, n + 1
    used.add(title.lower())
    return title


def _sheet(book: Workbook, title: str, table) -> None:
    sheet = book.create_sheet(title)
    columns = list(table.columns)
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(name) for name in columns]
    for row in table.rows:
        values = [_value(row.get(name)) for name in columns]
        sheet.append(values)
        for index, (name, cell) in enumerate(zip(columns, sheet[sheet.max_row], strict=True)):
            if cell.data_type == "f":  # text that begins with "=" stays text, never a formula
                cell.data_type = "s"
            cell.number_format = _format(name, row.get(name), table.money)
            widths[index] = max(widths[index], len(_shown(row.get(name), name in table.money)))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, WIDEST)
    sheet.freeze_panes = "A2"


def _value(value):
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    return value


def _format(name: str, value, money) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return "General"
    if isinstance(value, int):
        return RUPIAH if name in money else UNITS
    if isinstance(value, date):
        return DATE
    if isinstance(value, Fraction):
        return PERCENT
    if isinstance(value, Decimal):
        return DECIMAL
    return "General"


def _shown(value, money: bool) -> str:
    """About what the cell shows, for the width of its column."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return ("Rp" if money else "") + f"{value:,}"
    if isinstance(value, date):
        return "00/00/0000"
    if isinstance(value, Fraction):
        return "100.00%"
    return str(value)


def _fixed_times(data: bytes) -> bytes:
    """The same archive, every member stamped with the same fixed time."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            stamped = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            stamped.compress_type = zipfile.ZIP_DEFLATED
            stamped.external_attr = info.external_attr
            target.writestr(stamped, source.read(info.filename))
    return out.getvalue()
