"""Reading the files people already have: CSV (UTF-8 with or without BOM, ``,`` or ``;``)
and Excel ``.xlsx``. Rows come back as text with their line numbers, for ``FILE:LINE`` errors."""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from consign.errors import InvalidInput, InvalidRows


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")


def read_rows(path: str | Path, required: tuple[str, ...], optional: tuple[str, ...] = ()):
    """All data rows of the file, checked to have the ``required`` columns (in any order)."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    if path.suffix.lower() == ".xlsx":
        header, rows = _xlsx(path)
    else:
        header, rows = _csv(path)
    _check_header(path, header, required, optional)
    return [
        Row(line, dict(zip(header, cells, strict=False)))
        for line, cells in rows
        if any(cell.strip() for cell in cells)
    ]


def _check_header(path, header, required, optional) -> None:
    missing = [name for name in required if name not in header]
    unknown = [name for name in header if name and name not in required + optional]
    problems = []
    if missing:
        problems.append((f"{path}:1", InvalidInput(f"missing column(s) {', '.join(missing)}")))
    if unknown:
        problems.append((f"{path}:1", InvalidInput(
            f"unknown column(s) {', '.join(unknown)} (expected {','.join(required + optional)})"
        )))
    if problems:
        raise InvalidRows(problems)


def _csv(path: Path):
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(
            f"{path}: not UTF-8 text ({error.reason} at byte {error.start})"
        ) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    lines = [(reader.line_num, [cell.strip() for cell in cells]) for cells in reader]
    if not lines:
        raise InvalidInput(f"{path}:1: the file is empty")
    header = [cell.lower() for cell in lines[0][1]]
    return header, lines[1:]


def _xlsx(path: Path):
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise InvalidInput(f"{path}: not a readable .xlsx workbook ({error})") from None
    sheet = book.worksheets[0]
    rows = [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    if not rows:
        raise InvalidInput(f"{path}:1: the workbook's first sheet is empty")
    header = [cell.lower() for cell in rows[0]]
    return header, list(enumerate(rows[1:], start=2))


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M") if value.time() else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()
