"""Every word the proofs print (placement receipt, return note, payment advice), in
Indonesian and English.

One frozen dataclass per language, as in ``reports.labels``: a label missing in one
language is a TypeError at import time rather than a blank on paper.
"""

from __future__ import annotations

from dataclasses import dataclass

from reports.fmt import check_lang


@dataclass(frozen=True)
class ProofLabels:
    # the three titles, as the masthead prints them and as the file's metadata names them
    receipt_title: str
    receipt_document: str
    return_title: str
    return_document: str
    advice_title: str
    advice_document: str
    # the parties
    hotel: str
    consignor: str
    owner: str
    phone: str
    account: str
    holder_prefix: str
    # the strip of key facts
    placement_number: str
    return_number: str
    payment_number: str
    received_on: str
    returned_on: str
    paid_on: str
    display_term: str
    due_back: str
    days: str
    statement: str
    period: str
    # the lines
    lines_heading: str
    returned_heading: str
    col_no: str
    col_sku: str
    col_name: str
    col_qty: str
    col_price: str
    col_value: str
    units: str
    value_total: str
    total: str
    voided: str
    voided_note: str
    # the terms of a placement
    terms_heading: str
    terms_on: str
    commission: str
    commission_pair: str
    commission_default: str
    commission_none: str
    display: str
    payment_term: str
    ownership: str
    # a return
    returned_sentence: str
    # a payment
    figures_heading: str
    statement_net: str
    paid_before: str
    this_payment: str
    owed_after: str
    settled: str
    still_owed: str
    due_on: str
    reference: str
    paid_to: str
    in_words: str
    earlier_heading: str
    col_date: str
    col_reference: str
    col_amount: str
    # signatures and the record
    signatures_heading: str
    handed_by_consignor: str
    received_by_hotel: str
    handed_by_hotel: str
    received_by_consignor: str
    paid_by_hotel: str
    name_and_title: str
    signed_on: str
    recorded_by: str


INDONESIAN = ProofLabels(
    receipt_title="TANDA TERIMA BARANG KONSINYASI",
    receipt_document="Tanda terima barang konsinyasi",
    return_title="NOTA RETUR BARANG KONSINYASI",
    return_document="Nota retur barang konsinyasi",
    advice_title="BUKTI PEMBAYARAN KONSINYASI",
    advice_document="Bukti pembayaran konsinyasi",
    hotel="Hotel",
    consignor="IKM (penitip barang)",
    owner="Pemilik",
    phone="Telepon",
    account="Rekening",
    holder_prefix="a.n.",
    placement_number="Nomor penitipan",
    return_number="Nomor nota retur",
    payment_number="Nomor pembayaran",
    received_on="Tanggal diterima",
    returned_on="Tanggal retur",
    paid_on="Tanggal bayar",
    display_term="Masa pajang",
    due_back="Batas ambil kembali",
    days="{days} hari",
    statement="Nomor laporan",
    period="Periode",
    lines_heading="Barang yang dititipkan",
    returned_heading="Barang yang dikembalikan",
    col_no="No",
    col_sku="SKU",
    col_name="Nama barang",
    col_qty="Jml",
    col_price="Harga hotel",
    col_value="Nilai",
    units="Jumlah unit",
    value_total="Nilai (harga hotel)",
    total="Jumlah",
    voided="dibatalkan",
    voided_note="Baris bertanda \"dibatalkan\" telah dibatalkan di buku besar setelah "
    "dicatat; barangnya tidak dihitung sebagai titipan.",
    terms_heading="Ketentuan yang berlaku",
    terms_on="Ketentuan yang berlaku pada {date}",
    commission="Komisi hotel",
    commission_pair="{rate} dari harga jual (tarif khusus hotel ini untuk IKM ini)",
    commission_default="{rate} dari harga jual (tarif umum hotel)",
    commission_none="belum ditetapkan untuk tanggal ini; ditetapkan oleh Dinas sebelum "
    "laporan penyelesaian diterbitkan",
    display="Masa pajang",
    payment_term="Jangka pembayaran",
    ownership="Barang di atas tetap milik IKM sampai terjual. Hotel menerimanya untuk "
    "dipajang dan dijual secara konsinyasi dengan harga hotel di atas. Barang yang belum "
    "terjual diambil kembali oleh IKM paling lambat {due}; sesudah itu barang tetap dijual "
    "sampai diretur. Hasil penjualan dibayarkan melalui laporan penyelesaian bulanan, "
    "paling lambat {payment_days} hari setelah laporan diterbitkan.",
    returned_sentence="Barang di atas, yang belum terjual, telah diserahkan kembali oleh "
    "hotel kepada IKM pemiliknya pada {date} dan diterima dalam jumlah tersebut.",
    figures_heading="Rincian pembayaran",
    statement_net="Jumlah bersih laporan {number}",
    paid_before="Telah dibayar sebelumnya",
    this_payment="Pembayaran ini",
    owed_after="Sisa yang masih terutang",
    settled="Dengan pembayaran ini laporan {number} lunas.",
    still_owed="Sesudah pembayaran ini laporan {number} masih terutang {owed}, jatuh tempo "
    "{due}.",
    due_on="Jatuh tempo",
    reference="Referensi pembayaran",
    paid_to="Dibayarkan ke rekening",
    in_words="Terbilang",
    earlier_heading="Pembayaran sebelumnya atas laporan ini",
    col_date="Tanggal",
    col_reference="Referensi",
    col_amount="Jumlah",
    signatures_heading="Tanda tangan",
    handed_by_consignor="Diserahkan oleh IKM",
    received_by_hotel="Diterima oleh staf hotel",
    handed_by_hotel="Diserahkan oleh staf hotel",
    received_by_consignor="Diterima oleh IKM",
    paid_by_hotel="Untuk hotel",
    name_and_title="Nama dan jabatan",
    signed_on="Tanggal",
    recorded_by="Dicatat oleh {actor} pada {at}.",
)

ENGLISH = ProofLabels(
    receipt_title="CONSIGNMENT GOODS RECEIPT",
    receipt_document="Consignment goods receipt",
    return_title="CONSIGNMENT RETURN NOTE",
    return_document="Consignment return note",
    advice_title="CONSIGNMENT PAYMENT ADVICE",
    advice_document="Consignment payment advice",
    hotel="Hotel",
    consignor="IKM (consignor)",
    owner="Owner",
    phone="Phone",
    account="Account",
    holder_prefix="held by",
    placement_number="Placement number",
    return_number="Return note number",
    payment_number="Payment number",
    received_on="Received on",
    returned_on="Returned on",
    paid_on="Paid on",
    display_term="Display term",
    due_back="Due back by",
    days="{days} days",
    statement="Statement number",
    period="Period",
    lines_heading="Goods placed",
    returned_heading="Goods returned",
    col_no="No",
    col_sku="SKU",
    col_name="Product",
    col_qty="Qty",
    col_price="Hotel price",
    col_value="Value",
    units="Units",
    value_total="Value (hotel prices)",
    total="Total",
    voided="voided",
    voided_note="Lines marked \"voided\" were voided in the ledger after they were "
    "recorded; their goods do not count as placed.",
    terms_heading="Terms in force",
    terms_on="Terms in force on {date}",
    commission="Hotel commission",
    commission_pair="{rate} of the selling price (this hotel's own rate for this IKM)",
    commission_default="{rate} of the selling price (the hotel's default rate)",
    commission_none="not yet set for this date; the agency sets it before the settlement "
    "statement is issued",
    display="Display term",
    payment_term="Payment term",
    ownership="The goods above remain the IKM's until they are sold. The hotel receives "
    "them to display and sell on consignment at the hotel prices above. Unsold goods are "
    "to be collected by the IKM by {due}; after that they stay on sale until they are "
    "returned. Sales are paid through the monthly settlement statement, at the latest "
    "{payment_days} days after it is issued.",
    returned_sentence="The unsold goods above were handed back by the hotel to the IKM "
    "that owns them on {date} and received in these quantities.",
    figures_heading="Payment details",
    statement_net="Net of statement {number}",
    paid_before="Paid before",
    this_payment="This payment",
    owed_after="Still owed",
    settled="With this payment statement {number} is paid in full.",
    still_owed="After this payment statement {number} still owes {owed}, due {due}.",
    due_on="Payment due",
    reference="Payment reference",
    paid_to="Paid into account",
    in_words="In words",
    earlier_heading="Earlier payments of this statement",
    col_date="Date",
    col_reference="Reference",
    col_amount="Amount",
    signatures_heading="Signatures",
    handed_by_consignor="Handed over by the IKM",
    received_by_hotel="Received by the hotel's staff",
    handed_by_hotel="Handed back by the hotel's staff",
    received_by_consignor="Received by the IKM",
    paid_by_hotel="For the hotel",
    name_and_title="Name and title",
    signed_on="Date",
    recorded_by="Recorded by {actor} on {at}.",
)

_BY_LANG = {"id": INDONESIAN, "en": ENGLISH}


def proof_labels_for(lang: str) -> ProofLabels:
    return _BY_LANG[check_lang(lang)]
