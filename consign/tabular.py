"""Reading the files people already have: CSV (UTF-8 with or without BOM, ``,`` or ``;``)
and Excel ``.xlsx``, given as their name and bytes (a command line reads a path, a web
form receives an upload). Rows come back as text with their line numbers, for
``FILE:LINE`` messages, after the rules every file obeys (SPEC section 2):

- a header row is required; its column names are unique, not blank, and each known for
  that import (an unknown one is refused, naming those expected); the key columns are
  there;
- a row with more or fewer cells than the header is malformed; so is a cell of more than
  10.000 characters, and a NUL byte anywhere;
- rows with nothing in them are skipped.

Every problem of the header or the rows is reported together, and nothing is written.

And writing the CSV a spreadsheet opens (:func:`write_csv`: the listings and reports of
``--format csv`` and the web's downloads), in which no text a hotel or an IKM typed can
run as a formula.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from consign.errors import EnvironmentFailure, InvalidInput, InvalidRows
from consign.fields import CELL
from consign.i18n import msg, why


@dataclass(frozen=True)
class Upload:
    """A file as given: its name (for messages) and its bytes."""

    name: str
    data: bytes

    @classmethod
    def read(cls, path: str | Path) -> Upload:
        """The file at ``path``, read at the edge: a missing file is malformed input, one
        that cannot be read is a failed environment."""
        path = Path(path)
        if not path.exists():
            raise InvalidInput(msg("{path}: no such file", path=str(path)), field="file")
        if not path.is_file():
            raise InvalidInput(msg("{path}: not a file (give a CSV or .xlsx file)",
                                   path=str(path)), field="file")
        try:
            return cls(str(path), path.read_bytes())
        except OSError as error:
            raise EnvironmentFailure(msg("{path}: cannot be read ({why})", path=str(path),
                                         why=why(error)),
                                     field="file") from None

    @property
    def is_xlsx(self) -> bool:
        return self.name.lower().endswith(".xlsx")


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")

    def has(self, column: str) -> bool:
        return column in self.values


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: list[Row]

    def has(self, column: str) -> bool:
        return column in self.columns


def read_rows(upload: Upload, required: tuple[str, ...], optional: tuple[str, ...] = (),
              problems: list | None = None) -> Table:
    """The file's data rows, checked against the rules above; ``required`` columns must be
    in the header, ``optional`` ones may be. A bad header is refused at once. A malformed
    row is left out of the table and its problem added to ``problems`` (``FILE:LINE``,
    error), for the caller to report with those it finds in the other rows; without
    ``problems``, any malformed row is refused at once."""
    header, lines = _xlsx(upload) if upload.is_xlsx else _csv(upload)
    refused = _header_problems(upload.name, header, required, optional)
    if refused:
        raise InvalidRows(refused)
    rows = []
    for line, cells in lines:
        if not any(cell.strip() for cell in cells):
            continue
        problem = _row_problem(header, cells)
        if problem is not None:
            refused.append((f"{upload.name}:{line}", problem))
            continue
        rows.append(Row(line, dict(zip(header, (cell.strip() for cell in cells), strict=True))))
    if refused and problems is None:
        raise InvalidRows(refused)
    if refused:
        problems.extend(refused)
    return Table(tuple(header), rows)


def _header_problems(name: str, header: list[str], required, optional) -> list:
    where, problems = f"{name}:1", []
    expected = ",".join(required + optional)
    blank = [n for n, column in enumerate(header, start=1) if not column]
    if blank:
        problems.append((where, InvalidInput(
            msg("the header has a blank column name (column {numbers}); expected {expected}",
                numbers=", ".join(map(str, blank)), expected=expected), field="header")))
    doubled = sorted({column for column in header if column and header.count(column) > 1})
    if doubled:
        problems.append((where, InvalidInput(
            msg("the header names column(s) {columns} more than once", columns=", ".join(doubled)),
            field="header")))
    unknown = [column for column in header if column and column not in required + optional]
    if unknown:
        problems.append((where, InvalidInput(
            msg("unknown column(s) {columns} (expected {expected})",
                columns=", ".join(unknown), expected=expected), field="header")))
    missing = [column for column in required if column not in header]
    if missing:
        problems.append((where, InvalidInput(
            msg("missing column(s) {columns} (expected {expected})",
                columns=", ".join(missing), expected=expected), field="header")))
    return problems


def _row_problem(header: list[str], cells: list[str]) -> InvalidInput | None:
    if len(cells) != len(header):
        return InvalidInput(msg("the row has {cells} cells, the header {columns}",
                                cells=len(cells), columns=len(header)), field="row")
    for column, cell in zip(header, cells, strict=True):
        if len(cell) > CELL:
            return InvalidInput(
                msg("{column} is {length} characters long; a cell holds at most {most}",
                    column=column or msg("a cell"), length=len(cell), most=f"{CELL:,}".replace(
                        ",", ".")),
                field=column or "row")
    return None


def _csv(upload: Upload) -> tuple[list[str], list[tuple[int, list[str]]]]:
    try:
        text = upload.data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(msg("{name}: not UTF-8 text ({why} at byte {at})", name=upload.name,
                               why=error.reason, at=error.start), field="file") from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InvalidInput(msg("{name}:{line}: the file holds a NUL byte; it is not a CSV "
                               "text file", name=upload.name, line=line), field="file")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        lines = [(reader.line_num, cells) for cells in reader]
    except csv.Error as error:
        raise InvalidInput(msg("{name}:{line}: {why}", name=upload.name, line=reader.line_num,
                               why=str(error)), field="file") from None
    lines = [(line, cells) for line, cells in lines if cells]
    if not lines:
        raise InvalidInput(msg("{name}:1: the file is empty; it needs a header row",
                               name=upload.name), field="file")
    header = [cell.strip().lower() for cell in lines[0][1]]
    return header, lines[1:]


XLSX_COLUMNS = 40  # the widest sheet read: no import has a third as many columns


def _xlsx(upload: Upload) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The first sheet, row by row: never more than ``XLSX_COLUMNS`` cells of a row are
    read, and blank rows are skipped as they come, so a tiny file that declares a million
    rows by sixteen thousand columns costs no memory."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(upload.data), read_only=True, data_only=True)
        try:
            return _sheet_rows(upload, book.worksheets[0])
        finally:
            book.close()
    except InvalidInput:
        raise
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise InvalidInput(msg("{name}: not a readable .xlsx workbook ({why})",
                               name=upload.name, why=type(error).__name__),
                           field="file") from None


def _sheet_rows(upload: Upload, sheet) -> tuple[list[str], list[tuple[int, list[str]]]]:
    header, lines = None, []
    for line, values in enumerate(sheet.iter_rows(values_only=True, max_col=XLSX_COLUMNS),
                                  start=1):
        cells = [_cell_text(value) for value in values]
        if not any(cells):
            continue
        if header is None:
            header = [cell.strip().lower() for cell in cells]
            while header and not header[-1]:
                header.pop()  # a sheet is as wide as its widest row: blanks past the header
            continue
        width = len(header)
        lines.append((line, cells[:width] + [cell for cell in cells[width:] if cell]))
    if header is None:
        raise InvalidInput(msg("{name}:1: the workbook's first sheet is empty; it needs a "
                               "header row", name=upload.name), field="file")
    return header, lines


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S") if value.time() else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# ---- writing ------------------------------------------------------------------------------

# a cell starting so (after any spaces, tabs or line breaks) is a formula to a spreadsheet
FORMULA_FIRST = ("=", "@")
# "+" and "-" start a formula too, unless what follows is a number (-15000, +2.5, -44.44%)
SIGNED_NUMBER = re.compile(r"[+-][0-9]+(\.[0-9]+)?%?")
# a spreadsheet that splits lines at ";" (Excel where the list separator is ";", as in
# Indonesian), at tabs or at line breaks, quotes or no quotes, starts a cell after each: a
# formula there too
SPLIT_FORMULA = re.compile(r'([;\t\r\n][\s"]*)(?=[=+\-@])')


def csv_cell(value):
    """A value as a CSV cell: none as empty, true/false and lists or objects as JSON writes
    them, numbers as they are; text that a spreadsheet would read as a formula (a name
    such as ``=HYPERLINK(…)`` or ``+1+1``, a reason starting ``@``) behind an apostrophe,
    which keeps it text, as a spreadsheet shows a cell typed ``'=…``; and so is each part
    of it after a ``;``, a tab or a line break that starts like one (``salah;=1+1`` goes
    out as ``salah;'=1+1``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        value = json.dumps(value, ensure_ascii=False)
    if not isinstance(value, str):
        return value
    value = SPLIT_FORMULA.sub(r"\1'", value)
    return "'" + value if _formula(value) else value


def _formula(text: str) -> bool:
    bare = text.lstrip()
    first = bare[:1]
    return first in FORMULA_FIRST or (first in ("+", "-") and not SIGNED_NUMBER.fullmatch(bare))


def write_csv(out, columns: Iterable[str], rows: Iterable[dict]) -> None:
    """A header of ``columns`` and a line for each row (a dict by column) to ``out``."""
    columns = list(columns)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(row.get(name)) for name in columns])
