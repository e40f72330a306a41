"""Every word the PDFs print, in Indonesian and English.

One frozen dataclass per language, so a label missing in one language is a
TypeError at import time rather than a blank on paper.
"""

from __future__ import annotations

from dataclasses import dataclass

from reports.fmt import check_lang


@dataclass(frozen=True)
class Labels:
    statement_title: str
    consolidated_title: str
    draft: str
    draft_warning: str
    number: str
    period: str
    issued_on: str
    due_on: str
    hotel: str
    consignor: str
    owner: str
    phone: str
    pay_to: str
    holder_prefix: str
    no_account: str
    lines_heading: str
    col_no: str
    col_date: str
    col_sku: str
    col_name: str
    col_qty: str
    col_unit_price: str
    col_rate: str
    col_amount: str
    kind_sale: str
    kind_loss: str
    kind_correction: str
    no_lines: str
    total: str
    totals_heading: str
    gross: str
    commission: str
    opening_balance: str
    opening_balance_short: str
    net_payable: str
    net_balance: str
    in_words: str
    payment_to: str
    payment_due: str
    payment_no_account: str
    payment_due_no_account: str
    nothing_payable: str
    carried_forward: str
    stock_heading: str
    stock_columns: tuple[str, ...]
    stock_note: str
    no_stock: str
    signatures_heading: str
    for_hotel: str
    for_consignor: str
    name_and_title: str
    signed_on: str
    summary_heading: str
    hotel_count: str
    col_hotel: str
    col_statement: str
    col_net: str
    total_paid: str
    negative_not_offset: str
    no_statements: str
    year_to_date: str
    tax_note: str
    statements_follow: str
    verification: str
    receipt: str
    payments: dict
    corrects: str
    void_reason: str
    commission_at: str
    commission_of: str
    losses_heading: str
    losses_note: str
    col_note: str
    col_reason: str
    loss_kinds: dict


INDONESIAN = Labels(
    statement_title="LAPORAN PENYELESAIAN KONSINYASI",
    consolidated_title="REKAPITULASI PENYELESAIAN KONSINYASI",
    draft="KONSEP",
    draft_warning="KONSEP: laporan ini belum diterbitkan dan angkanya masih dapat berubah. "
    "Bukan dasar pembayaran.",
    number="Nomor laporan",
    period="Periode",
    issued_on="Tanggal terbit",
    due_on="Jatuh tempo pembayaran",
    hotel="Hotel",
    consignor="IKM (penitip barang)",
    owner="Pemilik",
    phone="Telepon",
    pay_to="Rekening",
    holder_prefix="a.n.",
    no_account="belum terdaftar",
    lines_heading="Rincian penjualan",
    col_no="No",
    col_date="Tanggal",
    col_sku="SKU",
    col_name="Nama barang",
    col_qty="Jml",
    col_unit_price="Harga satuan",
    col_rate="Tarif",
    col_amount="Jumlah",
    kind_sale="Penjualan",
    kind_loss="Kehilangan/kerusakan (tanggungan hotel)",
    kind_correction="Koreksi atas periode yang telah diterbitkan",
    no_lines="Tidak ada penjualan pada periode ini.",
    total="Jumlah",
    totals_heading="Ringkasan pembayaran",
    gross="Penjualan kotor",
    commission="Komisi hotel",
    opening_balance="Saldo awal (dibawa dari laporan sebelumnya)",
    opening_balance_short="Saldo awal",
    net_payable="Jumlah bersih untuk IKM",
    net_balance="Saldo bersih",
    in_words="Terbilang",
    payment_to="Dibayarkan ke rekening {account}.",
    payment_due="Dibayarkan ke rekening {account} paling lambat {due}.",
    payment_no_account="Rekening IKM belum terdaftar: dibayarkan setelah rekening didaftarkan.",
    payment_due_no_account="Rekening IKM belum terdaftar: dibayarkan setelah rekening "
    "didaftarkan, paling lambat {due}.",
    nothing_payable="Tidak ada pembayaran untuk periode ini.",
    carried_forward="Saldo negatif {amount} dibawa ke laporan periode berikutnya "
    "untuk hotel dan IKM yang sama.",
    stock_heading="Rekonsiliasi stok (unit)",
    stock_columns=("SKU", "Nama barang", "Awal", "Titip", "Terjual", "Retur",
                   "Hilang/ rusak", "Selisih opname", "Koreksi", "Akhir"),
    stock_note="Akhir = awal + titip - terjual - retur - hilang/rusak + selisih opname + koreksi.",
    no_stock="Tidak ada barang pada periode ini.",
    signatures_heading="Persetujuan",
    for_hotel="Untuk hotel",
    for_consignor="Untuk IKM",
    name_and_title="Nama dan jabatan",
    signed_on="Tanggal",
    summary_heading="Ringkasan per hotel",
    hotel_count="Jumlah hotel",
    col_hotel="Hotel",
    col_statement="Nomor laporan",
    col_net="Bersih",
    total_paid="Jumlah yang dibayarkan periode ini",
    negative_not_offset="Saldo bersih negatif suatu hotel tidak dipotongkan dari pembayaran "
    "hotel lain; saldo itu dibawa ke laporan berikutnya di hotel yang sama.",
    no_statements="Tidak ada laporan untuk periode ini.",
    year_to_date="Penjualan kotor tahun {year} sampai dengan {period}, seluruh hotel",
    tax_note="Angka ini Anda perlukan untuk menghitung PPh final 0,5% atas peredaran bruto "
    "usaha mikro, kecil dan menengah (UMKM) menurut PP 55/2022.",
    statements_follow="Laporan lengkap setiap hotel terlampir pada halaman berikut.",
    verification="Kode verifikasi",
    receipt="struk",
    payments={"cash": "tunai", "card": "kartu", "qris": "QRIS", "transfer": "transfer"},
    corrects="koreksi baris {date}",
    void_reason="alasan",
    commission_at="{rate} dari {base}: {amount}",
    commission_of="Komisi hotel {rate} dari {base}",
    losses_heading="Barang keluar tanggungan IKM (tanpa nilai)",
    losses_note="Barang hilang, rusak atau kurang saat opname yang menjadi tanggungan IKM: "
    "tidak dibayar dan tidak dikenai komisi.",
    col_note="Nota",
    col_reason="Alasan",
    loss_kinds={"lost": "hilang", "damaged": "rusak", "counted": "kurang saat opname",
                "correction": "koreksi"},
)

ENGLISH = Labels(
    statement_title="CONSIGNMENT SETTLEMENT STATEMENT",
    consolidated_title="CONSOLIDATED CONSIGNMENT SETTLEMENT",
    draft="DRAFT",
    draft_warning="DRAFT: this statement has not been issued and its figures may still change. "
    "Not a basis for payment.",
    number="Statement number",
    period="Period",
    issued_on="Issue date",
    due_on="Payment due",
    hotel="Hotel",
    consignor="IKM (consignor)",
    owner="Owner",
    phone="Phone",
    pay_to="Account",
    holder_prefix="held by",
    no_account="not registered",
    lines_heading="Sales lines",
    col_no="No",
    col_date="Date",
    col_sku="SKU",
    col_name="Product",
    col_qty="Qty",
    col_unit_price="Unit price",
    col_rate="Rate",
    col_amount="Amount",
    kind_sale="Sales",
    kind_loss="Losses and damage (hotel liable)",
    kind_correction="Corrections to issued periods",
    no_lines="No sales in this period.",
    total="Total",
    totals_heading="Payment summary",
    gross="Gross sales",
    commission="Hotel commission",
    opening_balance="Opening balance (carried from the previous statement)",
    opening_balance_short="Opening balance",
    net_payable="Net payable to the IKM",
    net_balance="Net balance",
    in_words="In words",
    payment_to="To be paid into account {account}.",
    payment_due="To be paid into account {account} by {due}.",
    payment_no_account="The IKM's bank account is not registered yet: to be paid once it is.",
    payment_due_no_account="The IKM's bank account is not registered yet: to be paid once "
    "it is, by {due}.",
    nothing_payable="Nothing is payable for this period.",
    carried_forward="The negative balance of {amount} is carried forward to the next "
    "statement of the same hotel and IKM.",
    stock_heading="Stock reconciliation (units)",
    stock_columns=("SKU", "Product", "Opening", "Placed", "Sold", "Returned",
                   "Lost/ damaged", "Count diff.", "Corrected", "Closing"),
    stock_note="Closing = opening + placed - sold - returned - lost/damaged + count diff. "
    "+ corrected.",
    no_stock="No goods in this period.",
    signatures_heading="Approval",
    for_hotel="For the hotel",
    for_consignor="For the IKM",
    name_and_title="Name and title",
    signed_on="Date",
    summary_heading="Summary by hotel",
    hotel_count="Hotels",
    col_hotel="Hotel",
    col_statement="Statement",
    col_net="Net",
    total_paid="Total payable this period",
    negative_not_offset="A hotel's negative net balance is not set off against another hotel's "
    "payment; it is carried forward to the next statement at the same hotel.",
    no_statements="No statements for this period.",
    year_to_date="Gross sales in {year} up to {period}, all hotels",
    tax_note="You need this figure for the 0.5% final income tax on the gross turnover of "
    "micro, small and medium businesses (UMKM) under PP 55/2022.",
    statements_follow="Each hotel's full statement follows on the next pages.",
    verification="Verification code",
    receipt="receipt",
    payments={"cash": "cash", "card": "card", "qris": "QRIS", "transfer": "transfer"},
    corrects="corrects the line of {date}",
    void_reason="reason",
    commission_at="{rate} of {base}: {amount}",
    commission_of="Hotel commission {rate} of {base}",
    losses_heading="Goods gone at the IKM's charge (no amount)",
    losses_note="Goods lost, damaged or short at a count that the IKM bears: not paid for "
    "and not subject to commission.",
    col_note="Note",
    col_reason="Reason",
    loss_kinds={"lost": "lost", "damaged": "damaged", "counted": "short at a count",
                "correction": "correction"},
)

_BY_LANG = {"id": INDONESIAN, "en": ENGLISH}


def labels_for(lang: str) -> Labels:
    return _BY_LANG[check_lang(lang)]
