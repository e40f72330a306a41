"""Statements an owner can reconcile (SPEC section 4): every sale line with its time,
receipt and payment method; every loss line with its note and reason; the losses the IKM
bore, listed without an amount; a correction naming the line it corrects (its date,
receipt and statement) and the void's reason; a month of a dozen lines on one page.

The story, at ATRIA (20% by default; IKM-0001 keeps 17.5% from 16 October):

- 1 October: IKM-0001 places 10 × BTK-001 (Rp150.000) and 20 × BTK-002 (Rp85.000).
- receipt R-0042, 5 October 14:30, QRIS: 2 × BTK-001 = Rp300.000 at 20%.
- receipt R-0050, 10 October 15:00, cash: 1 × BTK-002 = Rp85.000 at 20%.
- 22 October: 1 × BTK-002 lost, the hotel liable: Rp85.000 at 17.5%.
- 23 October: 1 × BTK-001 damaged, the IKM liable: no amount.
- October closed on 3 November. On 4 November R-0042 is voided ("salah harga") and logged
  again at its right price, 2 × Rp140.000; November closed on 2 December.
"""

import io
from datetime import date

import pytest
from pypdf import PdfReader

from consign.services import ledger, settlement
from tests.settlement_support import NOV, OCT, WIB, close, wib

# the settlement tests' fixtures


def text_of(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data))
                             .pages).split())


def overflowing(data: bytes) -> list[str]:
    """The text runs that end past the right margin (their width from the house font's
    metrics; a few points of slack for the estimate)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from reports import base

    found = []
    for page in PdfReader(io.BytesIO(data)).pages:
        def visit(text, cm, tm, font, size):
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                size *= (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * cm[0]
                if x + stringWidth(text, base.FONT, size) > base.PAGE_WIDTH - base.MARGIN_X + 8:
                    found.append(text)
        page.extract_text(visitor_text=visit)
    return found


def pages_of(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def pdf_of(office, number: str, lang: str = "id") -> bytes:
    with office.db.transaction() as session:
        return settlement.pdf(session, office.ctx, settlement.get_statement(session, number),
                              lang)


def details(statement) -> list[tuple]:
    """(kind, date, sku, qty, amount, rate, time, receipt, payment, note, reason) per line."""
    return [(line.kind, line.day.isoformat(), line.sku, line.qty, line.amount, line.rate_bp,
             line.at.astimezone(WIB).strftime("%H:%M")
             if line.at else None, line.receipt, line.payment, line.note, line.reason)
            for line in statement.lines]


def of_ikm(statements, code: str = "IKM-0001"):
    [found] = [s for s in statements if s.consignor == code]
    return found


def october_with_receipts(office) -> None:
    office.now = wib("2020-11-01 08:00")
    office.place("ATRIA", "IKM-0001", [("BTK-001", 10, None), ("BTK-002", 20, None)],
                 at=wib("2020-10-01 09:00"))
    office.sell("ATRIA", "BTK-001", 2, at=wib("2020-10-05 14:30"), receipt="R-0042",
                payment="qris")
    office.sell("ATRIA", "BTK-002", 1, at=wib("2020-10-10 15:00"), receipt="R-0050",
                payment="cash")
    office.write_off("ATRIA", "lost", "hotel", "hilang dari etalase", [("BTK-002", 1)],
                     at=wib("2020-10-22 10:00"))
    office.write_off("ATRIA", "damaged", "consignor", "jahitan lepas", [("BTK-001", 1)],
                     at=wib("2020-10-23 10:00"))


@pytest.fixture
def october_closed(office, atria):
    october_with_receipts(office)
    return of_ikm(close(office, OCT, "2020-11-03 10:00"))


@pytest.fixture
def november_closed(office, october_closed):
    office.now = wib("2020-11-04 12:00")
    office.void_receipt("ATRIA", "R-0042", "salah harga", at=wib("2020-11-04 09:30"))
    again = office.sell("ATRIA", "BTK-001", 2, price=140_000, at=wib("2020-11-04 10:00"),
                        receipt="R-0042", payment="qris")
    assert (again.already_recorded, again.movement.unit_price) == (False, 140_000)
    return october_closed, of_ikm(close(office, NOV, "2020-12-02 10:00"))


def loss_notes(office) -> list[str]:
    with office.db.transaction(readonly=True) as session:
        return sorted({m.note for m in ledger.movements(session, office.ctx.tz, hotel="ATRIA")
                       if m.kind in ("lost", "damaged")})


def test_each_sale_line_carries_its_time_receipt_and_payment_and_each_loss_its_note(
        office, october_closed):
    hotel_loss, ikm_loss = loss_notes(office)
    assert details(october_closed) == [
        ("sale", "2020-10-05", "BTK-001", 2, 300_000, 2000, "14:30", "R-0042", "qris", None,
         None),
        ("sale", "2020-10-10", "BTK-002", 1, 85_000, 2000, "15:00", "R-0050", "cash", None,
         None),
        ("loss", "2020-10-22", "BTK-002", 1, 85_000, 1750, "10:00", None, None, hotel_loss,
         "hilang dari etalase"),
    ]
    assert [(loss.kind, loss.day, loss.sku, loss.qty, loss.note, loss.reason)
            for loss in october_closed.losses] == [
        ("damaged", date(2020, 10, 23), "BTK-001", 1, ikm_loss, "jahitan lepas")]
    # 300.000 + 85.000 at 20% and 85.000 at 17,5%: 77.000 + 14.875 kept by the hotel
    assert (october_closed.gross, october_closed.commission, october_closed.net) == (
        470_000, 91_875, 378_125)


def test_the_pdf_reads_each_line_as_the_owner_ticks_it_off(office, october_closed):
    hotel_loss, ikm_loss = loss_notes(office)
    content = text_of(pdf_of(office, october_closed.number))
    for expected in ["14:30 WIB · struk R-0042 · QRIS", "15:00 WIB · struk R-0050 · tunai",
                     f"10:00 WIB · {hotel_loss} · hilang dari etalase",
                     "Barang keluar tanggungan IKM (tanpa nilai)", ikm_loss, "jahitan lepas",
                     "Tarif", "Rp378.125"]:
        assert expected in content, expected
    losses = content[content.index("Barang keluar tanggungan IKM"):]
    assert "Rp" not in losses.split("Penjualan kotor")[0].split("jahitan lepas")[0]
    english = text_of(pdf_of(office, october_closed.number, "en"))
    for expected in ["14:30 WIB · receipt R-0042 · QRIS", "cash",
                     "Goods gone at the IKM's charge (no amount)", "Rate"]:
        assert expected in english, expected


def test_the_statement_json_lists_the_details_and_the_ikms_losses(office, october_closed):
    from consign import serialize

    shown = serialize.statement_detail(october_closed, office.ctx.tz)
    assert [(line["at"], line["receipt"], line["payment"]) for line in shown["lines"]] == [
        ("2020-10-05T14:30:00+07:00", "R-0042", "qris"),
        ("2020-10-10T15:00:00+07:00", "R-0050", "cash"),
        ("2020-10-22T10:00:00+07:00", None, None)]
    assert [(loss["kind"], loss["sku"], loss["qty"], loss["reason"])
            for loss in shown["consignor_losses"]] == [("damaged", "BTK-001", 1, "jahitan lepas")]
    assert "amount" not in shown["consignor_losses"][0]


def test_a_correction_names_the_date_receipt_and_statement_of_the_line_it_corrects(
        office, november_closed):
    october, november = november_closed
    assert [(line.kind, line.day.isoformat(), line.sku, line.qty, line.amount, line.rate_bp,
             line.receipt, line.reason, line.corrects_day, line.corrects_receipt,
             line.corrects_number) for line in november.lines] == [
        ("correction", "2020-11-04", "BTK-001", -2, -300_000, 2000, None, "salah harga",
         date(2020, 10, 5), "R-0042", october.number),
        ("sale", "2020-11-04", "BTK-001", 2, 280_000, 1750, "R-0042", None, None, None, None),
    ]
    # -300.000 at 20% gives back 60.000 of commission; 280.000 at 17,5% keeps 49.000
    assert (november.gross, november.commission, november.net) == (-20_000, -11_000, -9_000)
    content = text_of(pdf_of(office, november.number))
    assert (f"koreksi baris 5 Okt 2020 · struk R-0042 · {october.number} · alasan: salah "
            "harga") in content
    assert "10:00 WIB · struk R-0042 · QRIS" in content


def test_a_void_undone_in_its_own_month_leaves_the_original_sale_on_the_statement(
        office, atria):
    office.now = wib("2020-11-01 08:00")
    office.place("ATRIA", "IKM-0001", [("BTK-001", 5, None)], at=wib("2020-10-01 09:00"))
    sale = office.sell("ATRIA", "BTK-001", 1, at=wib("2020-10-05 14:30"), receipt="R-7")
    void = office.void(sale.movement.id, "salah input", at=wib("2020-10-06 09:00"))
    office.void(void.id, "ternyata benar terjual", at=wib("2020-10-07 09:00"))
    statement = of_ikm(close(office, OCT, "2020-11-03 10:00"))
    assert details(statement) == [
        ("sale", "2020-10-05", "BTK-001", 1, 150_000, 2000, "14:30", "R-7", None, None, None)]
    assert [(row.sku, row.sold, row.corrected, row.closing) for row in statement.stock] == [
        ("BTK-001", 1, 0, 4)]


def test_a_void_undone_after_its_month_closed_is_a_positive_correction_at_the_first_rate(
        office, atria):
    office.now = wib("2020-11-01 08:00")
    office.place("ATRIA", "IKM-0001", [("BTK-001", 5, None)], at=wib("2020-10-01 09:00"))
    sale = office.sell("ATRIA", "BTK-001", 1, at=wib("2020-10-05 14:30"), receipt="R-7")
    void = office.void(sale.movement.id, "salah input", at=wib("2020-10-06 09:00"))
    october = of_ikm(close(office, OCT, "2020-11-03 10:00"))
    assert october.lines == ()
    office.now = wib("2020-11-10 09:00")
    office.void(void.id, "ternyata benar terjual")
    november = of_ikm(close(office, NOV, "2020-12-02 10:00"))
    assert [(line.kind, line.day.isoformat(), line.qty, line.amount, line.rate_bp,
             line.corrects_day, line.corrects_receipt, line.reason)
            for line in november.lines] == [
        ("correction", "2020-11-10", 1, 150_000, 2000, date(2020, 10, 5), "R-7",
         "ternyata benar terjual")]
    assert (november.gross, november.commission, november.net) == (150_000, 30_000, 120_000)


NAMES = ["Batik tulis motif Kendedes", "Selendang batik Malangan", "Kemeja batik cap Singhasari",
         "Tas anyaman pandan", "Dompet kulit sapi", "Gantungan kunci topeng Malang",
         "Keripik tempe 250 g", "Sandal bordir Malangan", "Blangkon Malangan",
         "Kain tenun ikat", "Topeng kayu Panji", "Kopi Dampit 200 g"]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_month_of_twelve_lines_is_one_page(office, make_hotel, make_consignor,
                                             make_product, lang, tmp_path):
    tmp = tmp_path
    make_hotel("ATRIA", commission_bp=2000)
    make_consignor("IKM-0001")
    for n, name in enumerate(NAMES, 1):
        make_product(f"SKU-{n:03}", name=name, price=25_000 * n)
    office.now = wib("2020-11-01 08:00")
    office.place("ATRIA", "IKM-0001", [(f"SKU-{n:03}", 3, None) for n in range(1, 13)],
                 at=wib("2020-10-01 09:00"))
    for n in range(1, 13):
        office.sell("ATRIA", f"SKU-{n:03}", 1 + n % 2, at=wib(f"2020-10-{n + 2:02} 1{n % 10}:15"),
                    receipt=f"R-{1000 + n}", payment=["cash", "qris", "card"][n % 3])
    statement = of_ikm(close(office, OCT, "2020-11-03 10:00"))
    assert len(statement.lines) == 12
    data = pdf_of(office, statement.number, lang)
    (tmp / f"twelve-{lang}.pdf").write_bytes(data)
    assert pages_of(data) == 1
    assert overflowing(data) == []
    content = text_of(data)
    assert all(f"R-{1000 + n}" in content for n in range(1, 13))


def test_a_correction_of_a_loss_names_its_note_and_a_void_of_the_ikms_loss_is_listed(
        office, october_closed):
    hotel_loss, ikm_loss = loss_notes(office)
    office.now = wib("2020-11-05 12:00")
    office.void_note(hotel_loss, "ditemukan di gudang")
    office.void_note(ikm_loss, "ternyata bisa diperbaiki")
    november = of_ikm(close(office, NOV, "2020-12-02 10:00"))
    assert [(line.kind, line.sku, line.qty, line.amount, line.note, line.corrects_day,
             line.corrects_number, line.reason) for line in november.lines] == [
        ("correction", "BTK-002", -1, -85_000, hotel_loss, date(2020, 10, 22),
         october_closed.number, "ditemukan di gudang")]
    assert [(loss.kind, loss.sku, loss.qty, loss.note, loss.reason)
            for loss in november.losses] == [
        ("correction", "BTK-001", -1, ikm_loss, "ternyata bisa diperbaiki")]
    content = text_of(pdf_of(office, november.number))
    assert (f"koreksi baris 22 Okt 2020 · {hotel_loss} · {october_closed.number} · alasan: "
            "ditemukan di gudang") in content
    assert "(koreksi)" in content and "ternyata bisa diperbaiki" in content


def test_a_reason_of_500_characters_prints_whole_in_the_ikms_losses(office, atria):
    reason = " ".join(f"kata{n:03}" for n in range(62))[:500]
    office.now = wib("2020-11-01 08:00")
    office.place("ATRIA", "IKM-0001", [("BTK-001", 5, None)], at=wib("2020-10-01 09:00"))
    office.write_off("ATRIA", "damaged", "consignor", reason, [("BTK-001", 1)],
                     at=wib("2020-10-07 10:00"))
    statement = of_ikm(close(office, OCT, "2020-11-03 10:00"))
    data = pdf_of(office, statement.number)
    assert overflowing(data) == []
    content = text_of(data)
    assert all(word in content for word in reason.split()), reason


def test_an_ikm_without_a_bank_account_is_told_so_on_its_statement(office, atria):
    office.now = wib("2020-11-01 08:00")
    office.place("ATRIA", "IKM-0001", [("BTK-001", 5, None)], at=wib("2020-10-01 09:00"))
    office.sell("ATRIA", "BTK-001", 1, at=wib("2020-10-05 14:30"))
    with office.db.transaction() as session:
        from consign.services import registry
        registry.edit_consignor(session, office.ctx, "IKM-0001", bank="", account="",
                                holder="")
    statement = of_ikm(close(office, OCT, "2020-11-03 10:00"))
    content = text_of(pdf_of(office, statement.number))
    assert "Rekening: belum terdaftar" in content
    assert ("Rekening IKM belum terdaftar: dibayarkan setelah rekening didaftarkan, paling "
            "lambat 17 November 2020.") in content
    assert "a.n." not in content
    english = text_of(pdf_of(office, statement.number, "en"))
    assert "Account: not registered" in english and "held by" not in english
