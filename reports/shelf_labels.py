"""Every word the shelf's paper prints (price labels, the count sheet), in Indonesian and
English.

One frozen dataclass per language, as in ``reports.labels``: a word missing in one
language is a TypeError at import time rather than a blank on paper.
"""

from __future__ import annotations

from dataclasses import dataclass

from reports.fmt import check_lang


@dataclass(frozen=True)
class ShelfLabels:
    # price labels
    labels_title: str  # the running head's and the file's
    brand: str  # the programme's mark on every label: the same in both languages
    labels_foot: str  # the foot of a sheet of labels: how many, and where to cut
    # the count sheet
    count_title: str  # the masthead's, in capitals
    count_document: str  # the running head's and the file's
    hotel: str
    as_of: str
    skus: str
    units: str
    instructions: str
    col_no: str
    col_sku: str
    col_name: str
    col_ikm: str
    col_expected: str
    col_counted: str
    total: str
    nothing_on_hand: str
    counted_by: str
    checked_by: str
    name_and_signature: str
    date: str


INDONESIAN = ShelfLabels(
    labels_title="Label harga",
    brand="Produk IKM Kota Malang",
    labels_foot="{count} label · gunting pada garis putus-putus",
    count_title="LEMBAR HITUNG STOK (STOCK OPNAME)",
    count_document="Lembar hitung stok",
    hotel="Hotel",
    as_of="Stok tercatat per",
    skus="Jumlah SKU",
    units="Unit tercatat",
    instructions=(
        "Hitung setiap barang di rak dan tulis jumlahnya di kolom Dihitung (0 bila tidak "
        "ada). Urutan baris sama dengan berkas CSV dari 'consign doc count-template', "
        "sehingga angkanya dapat langsung disalin ke kolom counted lalu dimasukkan dengan "
        "'consign count'. Barang yang ada di rak tetapi tidak tercantum ditulis di bawah."),
    col_no="No",
    col_sku="SKU",
    col_name="Nama barang",
    col_ikm="IKM",
    col_expected="Tercatat",
    col_counted="Dihitung",
    total="Jumlah",
    nothing_on_hand="Tidak ada barang tercatat di rak hotel ini.",
    counted_by="Dihitung oleh",
    checked_by="Diperiksa oleh",
    name_and_signature="Nama dan tanda tangan",
    date="Tanggal",
)

ENGLISH = ShelfLabels(
    labels_title="Price labels",
    brand="Produk IKM Kota Malang",
    labels_foot="{count} labels · cut along the dashed lines",
    count_title="STOCK COUNT SHEET",
    count_document="Stock count sheet",
    hotel="Hotel",
    as_of="Stock on record as of",
    skus="SKUs",
    units="Units on record",
    instructions=(
        "Count every item on the shelf and write the number in the Counted column (0 if "
        "there is none). The rows are in the order of the CSV file from 'consign doc "
        "count-template', so the figures can be copied straight into its counted column "
        "and entered with 'consign count'. Write goods found on the shelf but not listed "
        "below the table."),
    col_no="No",
    col_sku="SKU",
    col_name="Product",
    col_ikm="IKM",
    col_expected="On record",
    col_counted="Counted",
    total="Total",
    nothing_on_hand="No goods on record on this hotel's shelf.",
    counted_by="Counted by",
    checked_by="Checked by",
    name_and_signature="Name and signature",
    date="Date",
)

_BY_LANG = {"id": INDONESIAN, "en": ENGLISH}


def shelf_labels_for(lang: str) -> ShelfLabels:
    return _BY_LANG[check_lang(lang)]
