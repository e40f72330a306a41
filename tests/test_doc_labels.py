"""Price labels (``consign doc labels``): one per unit on hand, or N of each product; every
barcode and QR code read back by a real decoder from the page rendered at print
resolution; each label inside its cell, between the cut lines; names and prices in the
text; the same bytes every time; each role prints only what it may read."""

import io
from collections import Counter

import pypdfium2
import pytest
import zxingcpp
from click.testing import CliRunner
from pypdf import PdfReader
from reportlab.lib.units import mm

from consign import fields, settings
from consign.cli import main
from consign.errors import InvalidInput, MalformedSetting
from consign.services import shelf_paper
from reports import price_labels
from reports.price_labels import (
    CELL_HEIGHT,
    CELL_WIDTH,
    PAGE_HEIGHT,
    PriceLabel,
    PriceLabelsView,
    cell_box,
    label_layout,
    render_price_labels,
)
from reports.shelf_labels import shelf_labels_for

DPI = 300  # what a label printer or an office laser prints at
AGENCY = "Dinas Koperasi, Perindustrian dan Perdagangan Kota Malang"


@pytest.fixture(autouse=True)
def no_public_url(monkeypatch):
    monkeypatch.delenv("CONSIGN_PUBLIC_URL", raising=False)


@pytest.fixture
def shelf(make_hotel, make_consignor, make_product, book):
    """ATRIA holds 4 × BTK-001 (5 placed, 1 sold), 3 × BTK-002 of IKM-0001 and 2 × KRM-001
    of IKM-0002; TUGU holds 1 × KRM-001."""
    make_hotel("ATRIA")
    make_hotel("TUGU", name="Hotel Tugu Malang")
    make_consignor("IKM-0001")
    make_consignor("IKM-0002", name="Gerabah Dinoyo", owner="Slamet Riyadi", sector="kriya")
    make_product("BTK-001", price=150_000)
    make_product("BTK-002", name="Batik cap motif Teratai", price=90_000)
    make_product("KRM-001", consignor="IKM-0002", name="Vas keramik Dinoyo", price=75_000)
    book.place("ATRIA", "IKM-0001", [("BTK-001", 5, None), ("BTK-002", 3, 95_000)],
               at="2020-12-01 09:00")
    book.place("ATRIA", "IKM-0002", [("KRM-001", 2, None)], at="2020-12-01 10:00")
    book.place("TUGU", "IKM-0002", [("KRM-001", 1, None)], at="2020-12-01 11:00")
    book.sell("ATRIA", "BTK-001", 1, at="2020-12-02 12:00")


def run_as(db_url, name, *args, env=None):
    return CliRunner().invoke(main, ["--db", db_url, "--as", name, *map(str, args)], env=env,
                              catch_exceptions=False)


# ---- reading a sheet as a scanner would ----------------------------------------------------

def page_images(data: bytes, dpi: int = DPI) -> list:
    document = pypdfium2.PdfDocument(data)
    try:
        return [page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
                for page in document]
    finally:
        document.close()


def pixels(box, dpi: int = DPI) -> tuple[int, int, int, int]:
    """A box in points (origin lower left) as a crop of the page image (origin upper left)."""
    scale = dpi / 72
    return (round(box.x0 * scale), round((PAGE_HEIGHT - box.y1) * scale),
            round(box.x1 * scale), round((PAGE_HEIGHT - box.y0) * scale))


def read_cells(data: bytes, cells: int) -> list[dict[str, list[str]]]:
    """What a decoder reads in each of the first ``cells`` cells of the sheet, cropped from
    the page at its cut lines: the texts of the Code128 and of the QR codes found there."""
    images = page_images(data)
    found = []
    for index in range(cells):
        page, box = cell_box(index)
        crop = images[page - 1].crop(pixels(box))
        codes = {"code128": [], "qr": []}
        for result in zxingcpp.read_barcodes(crop):
            if result.format == zxingcpp.BarcodeFormat.Code128:
                codes["code128"].append(result.text)
            elif result.format == zxingcpp.BarcodeFormat.QRCode:
                codes["qr"].append(result.text)
            else:
                codes.setdefault("other", []).append(result.text)
        found.append(codes)
    return found


def pdf_text(data: bytes) -> str:
    """The text of every page, each run of white space (a name wrapped) one space."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def on_hand(cli, hotel="ATRIA") -> dict[str, int]:
    import json

    result = cli("stock", "--hotel", hotel, "--format", "json")
    return {row["sku"]: row["on_hand"] for row in json.loads(result.output)}


# ---- how many labels -----------------------------------------------------------------------

def test_a_sheet_has_one_label_per_unit_on_hand_by_ikm_then_sku(db, ctx, shelf):
    with db.transaction(readonly=True) as session:
        view = shelf_paper.build_price_labels_view(session, ctx, "ATRIA")
    assert [label.sku for label in view.labels] == ["BTK-001"] * 4 + ["BTK-002"] * 3 + [
        "KRM-001"] * 2
    first = view.labels[0]
    assert (first.name, first.consignor_name, first.price, first.qr_value) == (
        "Batik tulis motif Kendedes", "Batik Tulis Celaket", 150_000, "BTK-001")
    assert view.labels[4].price == 95_000  # the placement's price, not the list price
    assert (view.hotel_code, view.hotel_name, view.agency_name) == (
        "ATRIA", "Hotel Atria Malang", AGENCY)


def test_with_copies_each_product_chosen_gets_that_many_labels(db, ctx, shelf):
    with db.transaction(readonly=True) as session:
        everything = shelf_paper.build_price_labels_view(session, ctx, "ATRIA", copies_each=2)
        one_ikm = shelf_paper.build_price_labels_view(session, ctx, "ATRIA", "IKM-0001",
                                                      copies_each=3)
        chosen = shelf_paper.build_price_labels_view(session, ctx, "ATRIA",
                                                     skus=["krm-001", "BTK-002"])
    assert Counter(label.sku for label in everything.labels) == {
        "BTK-001": 2, "BTK-002": 2, "KRM-001": 2}
    assert Counter(label.sku for label in one_ikm.labels) == {"BTK-001": 3, "BTK-002": 3}
    assert Counter(label.sku for label in chosen.labels) == {"BTK-002": 3, "KRM-001": 2}


def test_every_barcode_and_qr_code_on_the_sheet_decodes_to_its_sku_at_print_size(
        cli, shelf, book, tmp_path):
    book.place("ATRIA", "IKM-0001", [("BTK-001", 20, None)], at="2020-12-03 09:00")
    out = tmp_path / "labels.pdf"
    result = cli("doc", "labels", "--hotel", "ATRIA", "--out", out)
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote 29 label(s) for ATRIA on 2 page(s) to {out}.\n"
    data = out.read_bytes()
    assert len(PdfReader(io.BytesIO(data)).pages) == 2
    cells = read_cells(data, 2 * price_labels.PER_PAGE)
    labels, empty = cells[:29], cells[29:]
    for codes in labels:
        assert len(codes["code128"]) == 1 and codes["qr"] == codes["code128"], codes
        assert "other" not in codes
    scanned = Counter(codes["code128"][0] for codes in labels)
    assert scanned == on_hand(cli) == {"BTK-001": 24, "BTK-002": 3, "KRM-001": 2}
    assert all(codes == {"code128": [], "qr": []} for codes in empty)


def test_a_scanned_label_sells_its_product(cli, shelf, tmp_path):
    out = tmp_path / "labels.pdf"
    assert cli("doc", "labels", "--hotel", "ATRIA", "--sku", "KRM-001", "--out",
               out).exit_code == 0
    [codes, _second] = read_cells(out.read_bytes(), 2)
    [typed] = codes["code128"]
    sold = cli("sell", "--hotel", "ATRIA", typed, "--at", "2020-12-10 10:00")
    assert sold.exit_code == 0, sold.output
    assert on_hand(cli)["KRM-001"] == 1


def test_with_a_public_url_the_qr_code_opens_the_products_page_and_the_barcode_stays_the_sku(
        cli, shelf, tmp_path):
    assert cli("consignor", "edit", "IKM-0002", "--public", "yes").exit_code == 0
    out = tmp_path / "labels.pdf"
    result = cli("doc", "labels", "--hotel", "ATRIA", "--consignor", "IKM-0002", "--out", out,
                 env={"CONSIGN_PUBLIC_URL": "https://katalog.malangkota.go.id/ikm/"})
    assert result.exit_code == 0, result.output
    for codes in read_cells(out.read_bytes(), 2):
        assert codes == {"code128": ["KRM-001"],
                         "qr": ["https://katalog.malangkota.go.id/ikm/p/KRM-001"]}


def test_the_qr_code_of_an_ikm_not_in_the_public_catalogue_holds_only_the_sku(
        cli, shelf, tmp_path):
    """An IKM that has not agreed to appear in the public catalogue has no public page:
    its labels' QR codes hold the SKU, whatever CONSIGN_PUBLIC_URL says."""
    out = tmp_path / "labels.pdf"
    result = cli("doc", "labels", "--hotel", "ATRIA", "--consignor", "IKM-0002", "--out", out,
                 env={"CONSIGN_PUBLIC_URL": "https://katalog.malangkota.go.id/ikm/"})
    assert result.exit_code == 0, result.output
    for codes in read_cells(out.read_bytes(), 2):
        assert codes == {"code128": ["KRM-001"], "qr": ["KRM-001"]}


def test_a_deactivated_product_or_hotel_gets_no_labels(cli, shelf, tmp_path):
    """A label is scanned into a sale: goods that may no longer be sold get none."""
    out = tmp_path / "labels.pdf"
    assert cli("product", "deactivate", "BTK-002").exit_code == 0
    result = cli("doc", "labels", "--hotel", "ATRIA", "--out", out)
    assert result.exit_code == 0, result.output
    assert "BTK-002" not in "".join(page.extract_text() for page in PdfReader(out).pages)
    asked = cli("doc", "labels", "--hotel", "ATRIA", "--sku", "BTK-002", "--out",
                tmp_path / "other.pdf")
    assert (asked.exit_code, asked.output) == (
        1, "Error: Product BTK-002 is deactivated and accepts no new placements or sales.\n")
    assert cli("hotel", "deactivate", "TUGU").exit_code == 0
    closed = cli("doc", "labels", "--hotel", "TUGU", "--out", tmp_path / "tugu.pdf")
    assert (closed.exit_code, closed.output) == (
        1, "Error: Hotel TUGU is deactivated and accepts no new placements or sales.\n")
    assert not (tmp_path / "other.pdf").exists() and not (tmp_path / "tugu.pdf").exists()


BAD_URLS = [
    "ftp://katalog.example.id", "katalog.example.id", "https://", "https:///p",
    "https://katalog.example.id/?q=1", "https://katalog.example.id/#top",
    "https://admin:rahasia@katalog.example.id", "https://katalog.example.id:port",
    "https://katalog.example.id/" + "x" * 60, "https://katalog example.id",
    "https://katalóg.example.id", "javascript:alert(1)", "https://katalog.example.id/\x1b[0m",
]


@pytest.mark.parametrize("url", BAD_URLS)
def test_a_public_url_the_qr_codes_cannot_hold_is_a_malformed_setting(url):
    with pytest.raises(MalformedSetting) as refused:
        settings.public_url({"CONSIGN_PUBLIC_URL": url})
    assert refused.value.exit_code == 2 and refused.value.field == "CONSIGN_PUBLIC_URL"
    assert refused.value.message.startswith("CONSIGN_PUBLIC_URL ")
    assert "rahasia" not in refused.value.message


@pytest.mark.parametrize("given, url", [
    (None, None), ("", None), ("  ", None),
    ("https://katalog.example.id/", "https://katalog.example.id"),
    ("http://10.0.0.5:8080/ikm", "http://10.0.0.5:8080/ikm"),
    (" https://katalog.malangkota.go.id ", "https://katalog.malangkota.go.id"),
])
def test_a_public_url_is_read_without_its_last_slash_and_unset_means_none(given, url):
    environ = {} if given is None else {"CONSIGN_PUBLIC_URL": given}
    assert settings.public_url(environ) == url


def test_a_bad_public_url_is_refused_in_one_line_before_anything_is_read(cli, tmp_path):
    out = tmp_path / "labels.pdf"
    result = cli("doc", "labels", "--hotel", "ATRIA", "--out", out,
                 env={"CONSIGN_PUBLIC_URL": "ftp://katalog.example.id"})
    assert (result.exit_code, result.output) == (
        2, "Error: CONSIGN_PUBLIC_URL 'ftp://katalog.example.id' is not an address the QR "
           "codes of labels can hold: give an http:// or https:// address of at most 80 "
           "characters, without a query (e.g. https://katalog.example.id), or unset it.\n")
    assert not out.exists()


ODD_SKUS = ["A", "0", "00", "9-", "X--Y", "12-34-56", "1234567890123456", "A-B-C-D-E-F-G-H-",
            "ZZZZZZZZZZZZZZZZ", "0-0000000000000"]


@pytest.mark.parametrize("public_url", [None, "http://ikm.malangkota.go.id"])
def test_every_form_of_sku_the_spec_allows_encodes_exactly(public_url):
    skus = [fields.sku(sku) for sku in ODD_SKUS]  # each one a SKU the registry accepts
    labels = tuple(PriceLabel(sku, f"Barang {sku}", "Usaha Kecil", 1_000,
                              f"{public_url}/p/{sku}" if public_url else sku) for sku in skus)
    data = render_price_labels(PriceLabelsView(AGENCY, "ATRIA", "Hotel Atria", labels))
    read = read_cells(data, len(labels))
    assert [codes["code128"] for codes in read] == [[sku] for sku in skus]
    assert [codes["qr"] for codes in read] == [[label.qr_value] for label in labels]


# ---- the sheet's geometry ------------------------------------------------------------------

EXTREMES = (
    PriceLabel("ABCDEFGHIJ-12345", "Selendang tenun ikat " * 6, "Kerajinan " * 12,
               1_000_000_000, "https://katalog.malangkota.go.id/ikm/p/ABCDEFGHIJ-12345"),
    PriceLabel("BTK-001", "Batik", "Batik Tulis Celaket", 1, "BTK-001"),
    PriceLabel("0", "W" * 120, "W" * 120, 999_999_999, "0"),
    PriceLabel("KRM-001", "Vas keramik Dinoyo motif bunga teratai", "Gerabah Dinoyo",
               75_000, "KRM-001"),
)


def test_each_labels_content_lies_inside_its_cell_clear_of_the_cut_lines():
    words = shelf_labels_for("id")
    cell = price_labels.Box(0, 0, CELL_WIDTH, CELL_HEIGHT)
    for label in EXTREMES:
        layout = label_layout(label, words)
        for box in layout.boxes():  # the quiet zones reach 1 mm from the cut lines
            assert box.inside(cell, margin=1 * mm - 0.01), (label.sku, box)
        for line in layout.lines:
            assert not line.box.overlaps(layout.qr), (label.sku, line.text)
        assert not layout.quiet.overlaps(layout.qr)
        assert layout.bars.x0 - layout.quiet.x0 >= 10 * layout.bar_width * 0.999
        assert layout.bars.inside(cell, margin=2 * mm - 0.01)


def test_the_printed_labels_line_up_with_the_cut_lines_of_the_sheet():
    labels = EXTREMES * 7  # 28: a full page and four on the next
    data = render_price_labels(PriceLabelsView(AGENCY, "ATRIA", "Hotel Atria", labels))
    images = page_images(data)
    for index in range(len(labels)):
        page, box = cell_box(index)
        image = images[page - 1]
        x0, y0, x1, y1 = pixels(box)
        # a dashed line on each side of the cell: ink on about three fifths of its length
        for line in (_column(image, x0, y0, y1), _column(image, x1, y0, y1),
                     _row(image, y0, x0, x1), _row(image, y1, x0, x1)):
            inked = sum(value < 200 for value in line) / len(line)
            assert 0.45 < inked < 0.8, (index, inked)
        # nothing else within 1.5 mm of them: the label's ink stays inside its cell
        near, far = round(0.35 * mm * DPI / 72), round(1.5 * mm * DPI / 72)
        for band in ((x0 + near, y0 + near, x0 + far, y1 - near),
                     (x1 - far, y0 + near, x1 - near, y1 - near),
                     (x0 + near, y0 + near, x1 - near, y0 + far),
                     (x0 + near, y1 - far, x1 - near, y1 - near)):
            assert image.crop(band).getextrema()[0] >= 250, (index, band)
    read = read_cells(data, len(labels))
    assert [codes["code128"] for codes in read] == [[label.sku] for label in labels]


def _column(image, x: int, top: int, bottom: int) -> list[int]:
    """The darkest pixel of each row across a vertical line at ``x`` (it may fall between
    two pixels)."""
    return [min(image.getpixel((x + dx, y)) for dx in (-1, 0, 1)) for y in range(top + 3,
                                                                               bottom - 3)]


def _row(image, y: int, left: int, right: int) -> list[int]:
    return [min(image.getpixel((x, y + dy)) for dy in (-1, 0, 1)) for x in range(left + 3,
                                                                              right - 3)]


def test_a_name_of_ten_thousand_characters_is_wrapped_and_shortened_on_its_label():
    words = shelf_labels_for("id")
    spaced = PriceLabel("BTK-001", "Batik tulis " * 910, "Batik Tulis Celaket", 150_000,
                        "BTK-001")
    solid = PriceLabel("BTK-002", "K" * 10_000, "I" * 10_000, 150_000, "BTK-002")
    text_width = CELL_WIDTH - price_labels.PADDING - price_labels.QR_SIZE
    for label in (spaced, solid):
        assert len(label.name) >= 10_000
        layout = label_layout(label, words)
        name = [line for line in layout.lines if line.size == 7.5]
        assert len(name) == 2 and name[-1].text.endswith("…")
        assert all(line.box.x1 - line.box.x0 <= text_width for line in layout.lines[:-1])
    assert [line.text for line in label_layout(spaced, words).lines[1:3]] == [
        "Batik tulis Batik tulis", "Batik tulis Batik tulis…"]
    data = render_price_labels(PriceLabelsView(AGENCY, "ATRIA", "Hotel Atria",
                                               (spaced, solid)))
    assert "Rp150.000" in pdf_text(data)
    assert [codes["code128"] for codes in read_cells(data, 2)] == [["BTK-001"], ["BTK-002"]]


# ---- what is printed -----------------------------------------------------------------------

@pytest.mark.parametrize("lang, words", [
    ("id", ["Label harga", "9 label · gunting pada garis putus-putus", "Halaman 1 dari 1"]),
    ("en", ["Price labels", "9 labels · cut along the dashed lines", "Page 1 of 1"]),
])
def test_the_labels_text_holds_the_names_prices_and_ikm(cli, shelf, tmp_path, lang, words):
    out = tmp_path / "labels.pdf"
    assert cli("doc", "labels", "--hotel", "ATRIA", "--out", out, "--lang",
               lang).exit_code == 0
    text = pdf_text(out.read_bytes())
    for expected in [AGENCY, "Hotel Atria Malang (ATRIA)", "Batik tulis motif Kendedes",
                     "Batik cap motif Teratai", "Vas keramik Dinoyo", "Batik Tulis Celaket",
                     "Gerabah Dinoyo", "Rp150.000", "Rp95.000", "Rp75.000", *words]:
        assert expected in text, expected
    assert text.count("Produk IKM Kota Malang") == 9
    assert text.count("Rp150.000") == 4 and text.count("Rp95.000") == 3
    assert "Rp90.000" not in text  # BTK-002's list price: the hotel's is its placement's


def test_the_same_labels_are_written_to_the_same_bytes_every_time(cli, shelf, tmp_path):
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    for out in (first, second):
        assert cli("doc", "labels", "--hotel", "ATRIA", "--copies", "2", "--out",
                   out).exit_code == 0
    assert first.read_bytes() == second.read_bytes()


# ---- who may print what, and what is refused -----------------------------------------------

@pytest.fixture
def people(cli, shelf):
    for name, role in (("Wayan", "hotel:TUGU"), ("Siti", "hotel:ATRIA"),
                       ("Slamet", "consignor:IKM-0002"), ("Sri", "consignor:IKM-0001")):
        assert cli("user", "add", name, "--role", role).exit_code == 0


def test_a_hotel_cannot_print_another_hotels_labels_and_nothing_is_written(
        db_url, people, tmp_path, snapshot):
    out = tmp_path / "labels.pdf"
    before = snapshot()
    result = run_as(db_url, "Wayan", "doc", "labels", "--hotel", "ATRIA", "--out", out)
    assert (result.exit_code, result.output) == (1, "Error: No hotel with code ATRIA.\n")
    assert not out.exists() and snapshot() == before
    own = run_as(db_url, "Wayan", "doc", "labels", "--hotel", "TUGU", "--out", out)
    assert own.exit_code == 0, own.output
    assert [c["code128"] for c in read_cells(out.read_bytes(), 1)] == [["KRM-001"]]
    mine = run_as(db_url, "Siti", "doc", "labels", "--hotel", "ATRIA", "--out", out)
    assert mine.exit_code == 0 and "9 label(s)" in mine.output


def test_an_ikm_prints_only_labels_of_its_own_goods(db_url, people, tmp_path):
    out = tmp_path / "labels.pdf"
    result = run_as(db_url, "Slamet", "doc", "labels", "--hotel", "ATRIA", "--out", out)
    assert result.exit_code == 0, result.output
    assert [c["code128"] for c in read_cells(out.read_bytes(), 3)] == [
        ["KRM-001"], ["KRM-001"], []]
    out.unlink()
    other = run_as(db_url, "Slamet", "doc", "labels", "--hotel", "ATRIA", "--consignor",
                   "IKM-0001", "--out", out)
    assert (other.exit_code, other.output) == (1, "Error: No IKM with code IKM-0001.\n")
    theirs = run_as(db_url, "Slamet", "doc", "labels", "--hotel", "ATRIA", "--sku",
                    "BTK-001", "--out", out)
    assert (theirs.exit_code, theirs.output) == (1, "Error: No product with SKU BTK-001.\n")
    assert not out.exists()


@pytest.mark.parametrize("args, message", [
    (["--sku", "BTK-404"], "No product with SKU BTK-404."),
    (["--consignor", "IKM-0002", "--sku", "BTK-001"], "BTK-001 is not a product of IKM-0002."),
])
def test_a_sku_that_is_not_on_the_shelf_is_refused_saying_why(cli, shelf, tmp_path, args,
                                                              message):
    out = tmp_path / "labels.pdf"
    result = cli("doc", "labels", "--hotel", "ATRIA", *args, "--out", out)
    assert (result.exit_code, result.output) == (1, f"Error: {message}\n")
    assert not out.exists()


def test_goods_never_placed_or_sold_out_at_the_hotel_get_no_labels(cli, shelf, book, tmp_path,
                                                                   make_consignor):
    make_consignor("IKM-0003", name="Tas Anyaman Lilik", sector="kriya")
    out = tmp_path / "labels.pdf"
    never = cli("doc", "labels", "--hotel", "TUGU", "--sku", "BTK-001", "--out", out)
    assert (never.exit_code, never.output) == (1, "Error: BTK-001 was never placed at TUGU\n")
    book.sell("TUGU", "KRM-001", 1, at="2020-12-05 10:00")
    gone = cli("doc", "labels", "--hotel", "TUGU", "--sku", "KRM-001", "--out", out)
    assert (gone.exit_code, gone.output) == (
        1, "Error: No KRM-001 is on hand at TUGU: no label to print.\n")
    empty = cli("doc", "labels", "--hotel", "TUGU", "--out", out)
    assert (empty.exit_code, empty.output) == (
        1, "Error: Nothing is on hand at TUGU: no labels to print.\n")
    none_of = cli("doc", "labels", "--hotel", "ATRIA", "--consignor", "IKM-0003", "--out", out)
    assert (none_of.exit_code, none_of.output) == (
        1, "Error: Nothing of IKM-0003 is on hand at ATRIA: no labels to print.\n")
    assert not out.exists()


@pytest.mark.parametrize("copies", ["0", "101", "-1", "2.5", "dua", 0, 101])
def test_copies_outside_one_to_a_hundred_are_malformed(copies):
    with pytest.raises(InvalidInput) as refused:
        shelf_paper.copies(copies)
    assert refused.value.exit_code == 2 and refused.value.field == "copies"


def test_copies_outside_the_bounds_are_refused_in_one_line_writing_nothing(cli, tmp_path):
    out = tmp_path / "labels.pdf"
    result = cli("doc", "labels", "--hotel", "ATRIA", "--copies", "101", "--out", out)
    assert result.exit_code == 2
    assert result.output.startswith(
        "Error: Invalid value for '--copies': copies 101 is not between 1 and 100 (see ")
    assert len(result.output.splitlines()) == 1
    assert not out.exists()


def test_more_labels_than_one_command_prints_are_refused_and_nothing_is_written(
        cli, shelf, book, tmp_path):
    book.place("ATRIA", "IKM-0001", [("BTK-002", shelf_paper.MOST_LABELS - 8, None)],
               at="2020-12-03 09:00")
    out = tmp_path / "labels.pdf"
    result = cli("doc", "labels", "--hotel", "ATRIA", "--out", out)
    assert (result.exit_code, result.output) == (
        1, "Error: Cannot print 1201 labels at once: at most 1200 a command. Choose fewer "
           "with --consignor, --sku or --copies.\n")
    assert not out.exists()
    fewer = cli("doc", "labels", "--hotel", "ATRIA", "--copies", "1", "--out", out)
    assert fewer.exit_code == 0 and "3 label(s)" in fewer.output


@pytest.mark.parametrize("args, code, message", [
    (["--hotel", "NOWHERE"], 1, "Error: No hotel with code NOWHERE.\n"),
    (["--hotel", "ATRIA", "--consignor", "IKM-0404"], 1, "Error: No IKM with code IKM-0404.\n"),
    (["--hotel", "at ria"], 2, None),
    (["--hotel", "ATRIA", "--sku", "BTK 001"], 2, None),
])
def test_an_unknown_or_malformed_code_is_refused_in_one_line(cli, make_hotel, tmp_path, args,
                                                             code, message):
    make_hotel("ATRIA")
    out = tmp_path / "labels.pdf"
    result = cli("doc", "labels", *args, "--out", out)
    assert result.exit_code == code
    assert len(result.output.strip().splitlines()) == 1
    if message:
        assert result.output == message
    assert not out.exists()


def test_a_file_that_cannot_be_written_is_the_environments_failure(cli, shelf, tmp_path):
    out = tmp_path / "missing" / "labels.pdf"
    result = cli("doc", "labels", "--hotel", "ATRIA", "--out", out)
    assert result.exit_code == 3
    assert result.output.startswith(f"Error: Cannot write to {out}:")
