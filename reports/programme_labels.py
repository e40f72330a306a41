"""Every word the programme report prints, in Indonesian and English.

One frozen dataclass per language, as in ``reports.labels``: a label missing in one
language is a TypeError at import time. The audit tables' names (``TableView.key``) and
their columns' names (``TableView.columns``) are dictionaries with the same keys in both
languages (the tests check it); a key that is not here prints as written.
"""

from __future__ import annotations

from dataclasses import dataclass

from reports.fmt import check_lang

SECTORS = ("kriya", "fashion", "kuliner", "lainnya")
TABLE_KEYS = ("placements", "aging", "sales", "payments", "shrinkage")


@dataclass(frozen=True)
class ProgrammeLabels:
    title: str  # the masthead's, in capitals
    document: str  # the running head's and the file's
    period: str
    months: str
    as_of: str
    ikm_selling: str
    hotels_active: str
    gross: str
    commission: str
    net: str
    paid_out: str
    overdue: str
    overdue_statements: str
    of_gross: str
    of_net: str
    as_of_day: str
    headline_heading: str
    sales_heading: str
    sales_note: str
    total_label: str
    top_hotels_heading: str
    top_ikm_heading: str
    col_no: str
    col_hotel: str
    col_ikm: str
    col_gross: str
    col_units: str
    col_share: str
    share_heading: str
    col_sector: str
    share_note: str
    no_sales: str
    no_ranking: str
    tables_heading: str
    no_tables: str
    no_rows: str
    more_rows: str
    yes: str
    no: str
    sectors: dict
    tables: dict
    columns: dict


INDONESIAN = ProgrammeLabels(
    title="LAPORAN PROGRAM KONSINYASI PRODUK IKM",
    document="Laporan Program Konsinyasi Produk IKM",
    period="Periode",
    months="Jumlah bulan",
    as_of="Keadaan per",
    ikm_selling="IKM berjualan",
    hotels_active="Hotel aktif",
    gross="Penjualan kotor",
    commission="Komisi hotel",
    net="Bersih untuk IKM",
    paid_out="Dibayarkan ke IKM",
    overdue="Tunggakan lewat jatuh tempo",
    overdue_statements="Laporan lewat jatuh tempo",
    of_gross="{share} dari penjualan kotor",
    of_net="{share} dari bersih untuk IKM",
    as_of_day="per {date}",
    headline_heading="Angka utama",
    sales_heading="Penjualan kotor per bulan menurut sektor",
    sales_note="Angka di atas batang: penjualan kotor bulan itu, seluruh sektor.",
    total_label="Jumlah",
    top_hotels_heading="Hotel dengan penjualan tertinggi",
    top_ikm_heading="IKM dengan penjualan tertinggi",
    col_no="No",
    col_hotel="Hotel",
    col_ikm="IKM",
    col_gross="Penjualan kotor",
    col_units="Unit terjual",
    col_share="Pangsa",
    share_heading="Pangsa penjualan menurut sektor",
    col_sector="Sektor",
    share_note="Pangsa dibulatkan ke satu desimal; jumlahnya dapat berbeda sedikit dari 100%.",
    no_sales="Belum ada penjualan pada periode ini.",
    no_ranking="Belum ada penjualan pada periode ini.",
    tables_heading="Tabel audit (ringkas)",
    no_tables="Tidak ada tabel audit untuk periode ini.",
    no_rows="Tidak ada baris.",
    more_rows="dan {n} baris lainnya",
    yes="ya",
    no="tidak",
    sectors={"kriya": "Kriya", "fashion": "Fesyen", "kuliner": "Kuliner",
             "lainnya": "Lainnya"},
    tables={
        "placements": "Barang terpajang di hotel",
        "aging": "Barang lewat masa pajang",
        "sales": "Penjualan",
        "payments": "Pembayaran yang terlambat",
        "shrinkage": "Susut dan selisih stok",
    },
    columns={
        "hotel": "Hotel", "hotel_code": "Kode hotel", "hotel_name": "Nama hotel",
        "consignor": "IKM", "consignor_code": "Kode IKM", "consignor_name": "Nama IKM",
        "ikm": "IKM", "product": "Barang", "products": "Produk", "sku": "SKU", "name": "Nama",
        "sector": "Sektor", "phone": "Telepon", "owner": "Pemilik",
        "on_hand": "Stok", "qty": "Jml", "units": "Unit", "price": "Harga",
        "value": "Nilai", "first_placed": "Pertama dititipkan", "placed_on": "Tanggal titip",
        "oldest_days": "Hari terpajang", "days_on_display": "Hari terpajang",
        "days": "Hari", "term_days": "Masa pajang (hari)", "display_term": "Masa pajang",
        "due_back": "Batas ambil", "past_term": "Lewat masa", "flag": "Tanda",
        "gross": "Kotor", "commission": "Komisi", "net": "Bersih", "owed": "Terutang",
        "amount": "Jumlah", "paid": "Dibayar", "rupiah": "Rupiah",
        "units_sold": "Unit terjual", "sell_through": "Laju jual",
        "avg_days_to_sell": "Rata-rata hari terjual", "active_ikm": "IKM aktif",
        "change": "Perubahan", "previous": "Periode sebelumnya",
        "statement": "Nomor laporan", "number": "Nomor", "period": "Periode",
        "issued_on": "Tanggal terbit", "due_on": "Jatuh tempo",
        "days_overdue": "Hari terlambat", "avg_days_to_pay": "Rata-rata hari bayar",
        "liable": "Tanggungan", "units_lost": "Unit hilang", "lost": "Hilang",
        "damaged": "Rusak", "counted": "Selisih opname", "placed": "Dititipkan",
        "share": "Pangsa", "date": "Tanggal", "reason": "Alasan", "kind": "Jenis",
        "note": "Nota",
    },
)

ENGLISH = ProgrammeLabels(
    title="IKM PRODUCT CONSIGNMENT PROGRAMME REPORT",
    document="IKM Product Consignment Programme Report",
    period="Period",
    months="Months",
    as_of="As of",
    ikm_selling="IKM selling",
    hotels_active="Active hotels",
    gross="Gross sales",
    commission="Hotel commission",
    net="Net to IKM",
    paid_out="Paid out to IKM",
    overdue="Overdue",
    overdue_statements="Overdue statements",
    of_gross="{share} of gross sales",
    of_net="{share} of the net to IKM",
    as_of_day="as of {date}",
    headline_heading="Headline figures",
    sales_heading="Gross sales per month by sector",
    sales_note="Figure above a bar: the month's gross sales, all sectors.",
    total_label="Total",
    top_hotels_heading="Top hotels by gross sales",
    top_ikm_heading="Top IKM by gross sales",
    col_no="No",
    col_hotel="Hotel",
    col_ikm="IKM",
    col_gross="Gross sales",
    col_units="Units sold",
    col_share="Share",
    share_heading="Share of sales by sector",
    col_sector="Sector",
    share_note="Shares are rounded to one decimal; they may not add up to exactly 100%.",
    no_sales="No sales in this period yet.",
    no_ranking="No sales in this period yet.",
    tables_heading="Audit tables (short form)",
    no_tables="No audit tables for this period.",
    no_rows="No rows.",
    more_rows="and {n} more rows",
    yes="yes",
    no="no",
    sectors={"kriya": "Crafts", "fashion": "Fashion", "kuliner": "Culinary",
             "lainnya": "Other"},
    tables={
        "placements": "Goods on display at hotels",
        "aging": "Goods past their display term",
        "sales": "Sales",
        "payments": "Late payments",
        "shrinkage": "Losses and count differences",
    },
    columns={
        "hotel": "Hotel", "hotel_code": "Hotel code", "hotel_name": "Hotel name",
        "consignor": "IKM", "consignor_code": "IKM code", "consignor_name": "IKM name",
        "ikm": "IKM", "product": "Product", "products": "Products", "sku": "SKU", "name": "Name",
        "sector": "Sector", "phone": "Phone", "owner": "Owner",
        "on_hand": "On hand", "qty": "Qty", "units": "Units", "price": "Price",
        "value": "Value", "first_placed": "First placed", "placed_on": "Placed on",
        "oldest_days": "Days on display", "days_on_display": "Days on display",
        "days": "Days", "term_days": "Display term (days)", "display_term": "Display term",
        "due_back": "Due back", "past_term": "Past term", "flag": "Flag",
        "gross": "Gross", "commission": "Commission", "net": "Net", "owed": "Owed",
        "amount": "Amount", "paid": "Paid", "rupiah": "Rupiah",
        "units_sold": "Units sold", "sell_through": "Sell-through",
        "avg_days_to_sell": "Average days to sell", "active_ikm": "Active IKM",
        "change": "Change", "previous": "Previous period",
        "statement": "Statement", "number": "Number", "period": "Period",
        "issued_on": "Issued on", "due_on": "Due on",
        "days_overdue": "Days overdue", "avg_days_to_pay": "Average days to pay",
        "liable": "Liable", "units_lost": "Units lost", "lost": "Lost",
        "damaged": "Damaged", "counted": "Count difference", "placed": "Placed",
        "share": "Share", "date": "Date", "reason": "Reason", "kind": "Kind",
        "note": "Note",
    },
)

_BY_LANG = {"id": INDONESIAN, "en": ENGLISH}


def programme_labels_for(lang: str) -> ProgrammeLabels:
    return _BY_LANG[check_lang(lang)]
