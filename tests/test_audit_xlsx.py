"""``--xlsx FILE``: the audit reports as workbooks that reopen with openpyxl holding the
figures of the JSON, as numbers (rupiah cells in a rupiah format), dates as dates, the
header row frozen; the same tables make the same bytes."""

import io
import json
import zipfile
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

import openpyxl

from consign import xlsx
from consign.services.audit_reports.tables import Table
from tests.test_audit_reports import story  # noqa: F401 (the fixture)


def test_a_workbook_has_a_sheet_per_table_with_typed_cells():
    tables = [
        Table("sales", ("hotel", "gross", "share", "day", "days"),
              ({"hotel": "ATRIA", "gross": 1_250_000, "share": Fraction(1, 3),
                "day": date(2020, 10, 5), "days": Decimal("12.5")},),
              frozenset({"gross"})),
        Table("total", ("units",), ({"units": 7},)),
    ]
    book = openpyxl.load_workbook(_saved(tables))
    assert book.sheetnames == ["sales", "total"]
    sheet = book["sales"]
    assert [cell.value for cell in sheet[1]] == ["hotel", "gross", "share", "day", "days"]
    hotel, gross, share, day, days = sheet[2]
    assert (hotel.value, gross.value, gross.number_format) == ("ATRIA", 1_250_000, xlsx.RUPIAH)
    assert share.number_format == xlsx.PERCENT and abs(share.value - 1 / 3) < 1e-9
    assert day.value == datetime(2020, 10, 5) and day.is_date
    assert days.value == 12.5
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width >= len("Rp1,250,000")


def test_text_that_looks_like_a_formula_stays_text():
    """A name a user typed, ``=HYPERLINK(...)``, is written as the text it is: a workbook the
    agency opens runs nothing anyone typed."""
    typed = '=HYPERLINK("http://example.invalid","klik")'
    tables = [Table("placements", ("name", "units"), ({"name": typed, "units": 2},))]
    data = xlsx.workbook(tables)
    name = openpyxl.load_workbook(io.BytesIO(data))["placements"]["A2"]
    assert (name.value, name.data_type) == (typed, "s")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_the_same_tables_make_the_same_bytes():
    tables = [Table("t", ("a",), ({"a": 1},))]
    assert xlsx.workbook(tables) == xlsx.workbook(tables)


def test_sheet_names_are_cut_to_what_excel_takes_and_kept_apart():
    tables = [Table("x" * 40, ("a",), ()), Table("x" * 40, ("a",), ())]
    assert openpyxl.load_workbook(_saved(tables)).sheetnames == ["x" * 31, "x" * 29 + " 2"]


def _saved(tables):
    import io

    return io.BytesIO(xlsx.workbook(tables))


def test_every_report_writes_a_workbook_with_the_figures_of_its_json(cli, story, tmp_path):  # noqa: F811
    for args in (["placements", "--as-of", "2020-12-01"], ["aging", "--as-of", "2020-12-01"],
                 ["sales", "2020-10", "--to", "2020-11"], ["payments"],
                 ["shrinkage", "2020-11"]):
        path = tmp_path / f"{args[0]}.xlsx"
        result = cli("audit", *args, "--format", "json", "--xlsx", path)
        assert result.exit_code == 0, result.output
        document = json.loads(result.output)
        book = openpyxl.load_workbook(path)
        for name, rows in document.items():
            if not isinstance(rows, list):
                continue
            sheet = book[name]
            header = [cell.value for cell in sheet[1]]
            for row, cells in zip(rows, sheet.iter_rows(min_row=2), strict=True):
                for key, cell in zip(header, cells, strict=True):
                    _same_figure(row[key], cell, (args[0], name, key))


def _same_figure(value, cell, where) -> None:
    if isinstance(value, bool) or value is None or value == "":
        assert cell.value == (value or None if not isinstance(value, bool) else value), where
    elif isinstance(value, int):
        assert cell.value == value and isinstance(cell.value, int), where
    elif isinstance(value, str) and value.endswith("%"):
        assert abs(cell.value * 100 - float(value[:-1])) < 0.005 + 1e-9, where
    elif cell.is_date:
        assert cell.value.date().isoformat() == value, where
    elif isinstance(cell.value, float | int):
        assert Decimal(str(cell.value)) == Decimal(value), where
    else:
        assert cell.value == value, where


def test_rupiah_cells_of_a_report_carry_the_rupiah_format(cli, story, tmp_path):  # noqa: F811
    path = tmp_path / "sales.xlsx"
    assert cli("audit", "sales", "2020-11", "--xlsx", path).exit_code == 0
    sheet = openpyxl.load_workbook(path)["sales"]
    header = [cell.value for cell in sheet[1]]
    gross = sheet.cell(row=2, column=header.index("gross") + 1)
    assert (gross.value, gross.number_format) == (300_000, xlsx.RUPIAH)
