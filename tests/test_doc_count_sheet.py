"""The count sheet (``consign doc count-sheet``) and the count file (``consign doc
count-template``): the shelf by the ledger, in one order on paper and in the file; the file
is exactly what ``consign count`` reads back; the same bytes every time; only who may read
a hotel's whole shelf prints it."""

import csv
import io
import json
import re
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from consign.cli import main
from consign.context import Context
from consign.services import shelf_paper
from reports.count_sheet import CountSheetLine, CountSheetView, render_count_sheet

AGENCY = "Dinas Koperasi, Perindustrian dan Perdagangan Kota Malang"


@pytest.fixture
def shelf(make_hotel, make_consignor, make_product, book):
    """ATRIA holds, by IKM then SKU: BTK-001 × 4, BTK-002 × 3 (IKM-0001), ANY-001 × 6,
    KRM-001 × 2 (IKM-0002); BTK-003 was placed and sold out. TUGU holds KRM-001 × 1."""
    make_hotel("ATRIA")
    make_hotel("TUGU", name="Hotel Tugu Malang")
    make_consignor("IKM-0001")
    make_consignor("IKM-0002", name="Gerabah Dinoyo", owner="Slamet Riyadi", sector="kriya")
    make_product("BTK-001", price=150_000)
    make_product("BTK-002", name="Batik cap motif Teratai", price=90_000)
    make_product("BTK-003", name="Selendang Malangan", price=85_000)
    make_product("KRM-001", consignor="IKM-0002", name="Vas keramik Dinoyo", price=75_000)
    make_product("ANY-001", consignor="IKM-0002", name="Tas anyaman pandan", price=65_000)
    book.place("ATRIA", "IKM-0001", [("BTK-001", 5, None), ("BTK-002", 3, None),
                                     ("BTK-003", 1, None)], at="2020-12-01 09:00")
    book.place("ATRIA", "IKM-0002", [("KRM-001", 2, None), ("ANY-001", 6, None)],
               at="2020-12-01 10:00")
    book.place("TUGU", "IKM-0002", [("KRM-001", 1, None)], at="2020-12-01 11:00")
    book.sell("ATRIA", "BTK-001", 1, at="2020-12-02 12:00")
    book.sell("ATRIA", "BTK-003", 1, at="2020-12-02 13:00")


ORDER = ["BTK-001", "BTK-002", "ANY-001", "KRM-001"]


def run_as(db_url, name, *args):
    return CliRunner().invoke(main, ["--db", db_url, "--as", name, *map(str, args)],
                              catch_exceptions=False)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def stock(cli, hotel="ATRIA") -> dict[str, int]:
    result = cli("stock", "--hotel", hotel, "--format", "json")
    return {row["sku"]: row["on_hand"] for row in json.loads(result.output)}


def test_the_count_template_is_the_file_count_reads_and_what_it_says_is_applied(
        cli, shelf, tmp_path):
    template = cli("doc", "count-template", "--hotel", "ATRIA")
    assert template.exit_code == 0
    assert template.output == "sku,counted\nBTK-001,\nBTK-002,\nANY-001,\nKRM-001,\n"
    counted = {"BTK-001": 3, "BTK-002": 3, "ANY-001": 7, "KRM-001": 0}
    rows = list(csv.DictReader(io.StringIO(template.output)))
    for row in rows:
        row["counted"] = counted[row["sku"]]
    filled = tmp_path / "count.csv"
    with filled.open("w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=["sku", "counted"])
        writer.writeheader()
        writer.writerows(rows)
    result = cli("count", "--hotel", "ATRIA", filled, "--apply", "--at", "2020-12-10 17:00",
                 "--format", "json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert [line["sku"] for line in record["lines"]] == ORDER
    assert all(line["counted"] is not None for line in record["lines"])
    assert stock(cli) == {sku: units for sku, units in counted.items() if units}
    assert cli("doc", "count-template", "--hotel", "ATRIA").output == (
        "sku,counted\nBTK-001,\nBTK-002,\nANY-001,\n")


def test_the_count_sheet_lists_the_shelf_in_the_order_of_the_count_file(cli, shelf, tmp_path):
    out = tmp_path / "count.pdf"
    result = cli("doc", "count-sheet", "--hotel", "ATRIA", "--out", out)
    assert result.exit_code == 0, result.output
    assert result.output == (f"Wrote the count sheet of ATRIA (4 SKU(s), 15 unit(s) on record) "
                             f"to {out}.\n")
    text = pdf_text(out.read_bytes())
    template = cli("doc", "count-template", "--hotel", "ATRIA").output
    in_file = [line.split(",")[0] for line in template.splitlines()[1:]]
    on_paper = re.findall(r"\b(BTK-00\d|ANY-001|KRM-001)\b", text.split("Dihitung", 1)[1])
    assert on_paper == in_file == ORDER
    flat = " ".join(text.split())
    for expected in [AGENCY, "LEMBAR HITUNG STOK", "Hotel Atria Malang (ATRIA)",
                     "Batik tulis motif Kendedes", "Batik cap motif Teratai",
                     "Tas anyaman pandan", "Vas keramik Dinoyo",
                     "Batik Tulis Celaket (IKM-0001)", "Gerabah Dinoyo (IKM-0002)",
                     "Tercatat", "Dihitung", "Dihitung oleh", "Diperiksa oleh",
                     "Nama dan tanda tangan", "Tanggal:", "Halaman 1 dari 1"]:
        assert expected in flat, expected
    rows = re.findall(r"(\d+) (BTK-00\d|ANY-001|KRM-001) .*? (\d+)(?= \d+ [A-Z]| Jumlah)",
                      flat)
    assert [(sku, int(units)) for _n, sku, units in rows] == [
        ("BTK-001", 4), ("BTK-002", 3), ("ANY-001", 6), ("KRM-001", 2)]
    assert "Jumlah 15" in flat
    assert "BTK-003" not in text  # sold out: nothing to count


def _view(lines) -> CountSheetView:
    return CountSheetView(AGENCY, "Program Konsinyasi", "ATRIA", "Hotel Atria Malang",
                          "Jl. Letjen S. Parman No. 87", datetime(2020, 12, 15).date(),
                          "12:00 WIB", tuple(lines))


def test_the_count_sheet_is_dated_by_the_moment_of_its_figures_and_renders_the_same_bytes(
        db, shelf):
    ctx = Context.make("tester", now=datetime(2020, 12, 15, 5, 0, tzinfo=UTC))
    with db.transaction(readonly=True) as session:
        view = shelf_paper.build_count_sheet_view(session, ctx, "ATRIA")
        again = shelf_paper.build_count_sheet_view(session, ctx, "ATRIA")
    assert view == again
    assert (view.as_of.isoformat(), view.as_of_time, view.units) == ("2020-12-15", "12:00 WIB",
                                                                     15)
    first, second = render_count_sheet(view), render_count_sheet(again)
    assert first == second
    assert "Stok tercatat per 15 Desember 2020 12:00 WIB" in " ".join(pdf_text(first).split())
    english = pdf_text(render_count_sheet(view, "en"))
    for expected in ["STOCK COUNT SHEET", "On record", "Counted by", "Checked by",
                     "15 December 2020 12:00 WIB", "Page 1 of 1"]:
        assert expected in english, expected


def test_a_long_shelf_of_long_names_runs_over_pages_with_its_columns_on_each(shelf):
    lines = [CountSheetLine(f"SKU-{n:04d}", "Nama " + "panjang " * 14, "IKM-0001",
                            "Usaha " * 20, n) for n in range(1, 61)]
    pages = [" ".join(page.extract_text().split()) for page in
             PdfReader(io.BytesIO(render_count_sheet(_view(lines)))).pages]
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert "No SKU Nama barang IKM Tercatat Dihitung" in page
        assert f"Halaman {number} dari {len(pages)}" in page
    assert re.findall(r"SKU-\d{4}", " ".join(pages)) == [f"SKU-{n:04d}" for n in range(1, 61)]
    assert "Dihitung oleh" in pages[-1] and "Jumlah 1.830" in pages[-1]


def test_an_empty_shelf_prints_a_sheet_that_says_so_and_a_file_of_its_header(
        cli, make_hotel, tmp_path):
    make_hotel("BATU", name="Hotel Batu")
    out = tmp_path / "count.pdf"
    assert cli("doc", "count-sheet", "--hotel", "BATU", "--out", out).exit_code == 0
    assert "Tidak ada barang tercatat di rak hotel ini." in pdf_text(out.read_bytes())
    assert cli("doc", "count-template", "--hotel", "BATU").output == "sku,counted\n"


@pytest.fixture
def people(cli, shelf):
    for name, role in (("Wayan", "hotel:TUGU"), ("Siti", "hotel:ATRIA"),
                       ("Slamet", "consignor:IKM-0002"), ("Budi", "auditor")):
        assert cli("user", "add", name, "--role", role).exit_code == 0


def test_a_hotel_prints_only_its_own_count_sheet_and_file(db_url, people, tmp_path, snapshot):
    out = tmp_path / "count.pdf"
    before = snapshot()
    sheet = run_as(db_url, "Wayan", "doc", "count-sheet", "--hotel", "ATRIA", "--out", out)
    assert (sheet.exit_code, sheet.output) == (1, "Error: No hotel with code ATRIA.\n")
    template = run_as(db_url, "Wayan", "doc", "count-template", "--hotel", "ATRIA")
    assert (template.exit_code, template.output) == (1, "Error: No hotel with code ATRIA.\n")
    assert not out.exists() and snapshot() == before
    own = run_as(db_url, "Wayan", "doc", "count-template", "--hotel", "TUGU")
    assert (own.exit_code, own.output) == (0, "sku,counted\nKRM-001,\n")
    for name in ("Siti", "Budi"):
        assert run_as(db_url, name, "doc", "count-sheet", "--hotel", "ATRIA", "--out",
                      out).exit_code == 0


def test_an_ikm_reads_no_hotels_whole_shelf(db_url, people, tmp_path):
    out = tmp_path / "count.pdf"
    for args in (["count-sheet", "--hotel", "TUGU", "--out", out],
                 ["count-template", "--hotel", "TUGU"]):
        result = run_as(db_url, "Slamet", "doc", *args)
        assert (result.exit_code, result.output) == (
            1, "Error: As consignor:IKM-0002 you may not compare a stock count.\n")
    assert not out.exists()


@pytest.mark.parametrize("command", ["count-sheet", "count-template"])
def test_an_unknown_or_malformed_hotel_is_refused_in_one_line(cli, make_hotel, tmp_path,
                                                             command):
    make_hotel("ATRIA")
    extra = ["--out", tmp_path / "count.pdf"] if command == "count-sheet" else []
    unknown = cli("doc", command, "--hotel", "NOWHERE", *extra)
    assert (unknown.exit_code, unknown.output) == (1, "Error: No hotel with code NOWHERE.\n")
    malformed = cli("doc", command, "--hotel", "at ria", *extra)
    assert malformed.exit_code == 2 and len(malformed.output.splitlines()) == 1
    assert not (tmp_path / "count.pdf").exists()
