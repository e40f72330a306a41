"""The public pages, without a login: a product as its label's QR code opens it, the
programme's catalogue by sector and hotel, and the check of a statement's code.

Only the IKM that agreed appear; their phone and e-mail only if they agreed to that too;
no page shows a figure of anyone's accounts (commission, gross, net, a statement's
amounts, a sale's amount), except the net of a statement whose code was verified; a wrong
code and an unknown number get the same page, which reveals nothing.

The module's programme (``shop``) is the web tests' world with IKM-0001 in the catalogue,
sales at ATRIA in October, November and December, August to November closed there, and
December settled as drafts at both hotels. Tests that change it have a world of their own
(``app``)."""

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from consign.context import Context
from consign.models import Movement, Statement
from consign.services import ledger, registry, settlement
from consign.settlement import verification_code
from tests.web.conftest import NOW, ROLES, make_app
from tests.web.test_language import catalog, used_messages, visible

SETUP = Context.make("setup", now=NOW)
PHONE, EMAIL = "0812-3300-1122", "sri@batikcelaket.id"
DESCRIPTION = "Batik tulis tangan dari Celaket, Malang, dengan motif Kendedes dan Teratai."
OCTOBER_CODE = verification_code("ST-000003", "ATRIA", "IKM-0001", "2020-10", 280_000,
                                  56_000, 0, 224_000)


def at(day: str, hour: int = 3) -> datetime:
    return datetime.fromisoformat(f"{day}T{hour:02d}:00:00").replace(tzinfo=UTC)


def open_shop(database, contact: bool = True) -> None:
    """IKM-0001 in the catalogue with its description (and its contact if ``contact``),
    its NIB and bank account registered; sales at ATRIA (Oct: 2 × 140.000; Nov: 3 ×
    145.000; Dec: 2 × BTK-002 at 88.000) and at TUGU (Dec: 4 × KRP-001 at 20.000); ATRIA's
    August to November closed (ST-000001 to ST-000004), December settled as drafts."""
    with database.transaction() as session:
        registry.edit_consignor(session, SETUP, "IKM-0001", public="yes",
                                public_contact="yes" if contact else "no",
                                description=DESCRIPTION, phone=PHONE, email=EMAIL,
                                nib="9120001234567", bank="BRI", account="002101000123567",
                                holder="Sri Wahyuni")
        ledger.sell(session, SETUP, "ATRIA", "BTK-001", 2, 140_000, at=at("2020-10-05"))
        ledger.sell(session, SETUP, "ATRIA", "BTK-001", 3, 145_000, at=at("2020-11-10"))
        ledger.sell(session, SETUP, "ATRIA", "BTK-002", 2, 88_000, at=at("2020-12-02"))
        ledger.sell(session, SETUP, "TUGU", "KRP-001", 4, at=at("2020-12-03"))
        for month in ("2020-08", "2020-09", "2020-10", "2020-11"):
            settlement.close_period(session, SETUP, month, "ATRIA")
        settlement.settle(session, SETUP, "2020-12")


@pytest.fixture(scope="module")
def shop(world_url):
    app = make_app(world_url)
    open_shop(app.extensions["consign.database"])
    yield app
    app.extensions["consign.database"].dispose()


def page_of(response) -> str:
    return response.get_data(as_text=True)


def anonymous(app):
    return app.test_client()


def get(app, address: str):
    response = anonymous(app).get(address)
    response.close()
    return response


# ---- the product page --------------------------------------------------------------------

def test_the_product_page_shows_the_product_its_price_its_maker_and_where_it_is_on_sale(shop):
    response = get(shop, "/p/BTK-001")
    assert response.status_code == 200
    page = page_of(response)
    assert "<h1>Batik tulis Kendedes</h1>" in page
    assert "Rp150.000" in page  # the price of its placement at ATRIA
    assert "Hotel Atria Malang" in page and "Jl. Letjen S. Parman No. 87, Malang" in page
    assert "tersedia" in page
    assert "Batik Tulis Celaket" in page and DESCRIPTION in page and "kriya" in page
    assert "+62 812-3300-1122" in page and 'href="tel:+6281233001122"' in page
    assert f'href="mailto:{EMAIL}"' in page
    # nothing of the shelf's count, nor of what another IKM or hotel has
    assert "Hotel Tugu" not in page and "Keripik" not in page


def test_a_product_shows_the_price_at_each_hotel_when_the_hotels_prices_differ(app):
    open_shop(app.extensions["consign.database"])
    with app.extensions["consign.database"].transaction() as session:
        ledger.place(session, SETUP, "TUGU", "IKM-0001", [("BTK-001", 2, 160_000)],
                     at=at("2020-12-10"))
    page = page_of(get(app, "/p/BTK-001"))
    assert "Rp150.000 sampai Rp160.000" in page
    assert "Harga di hotel ini: Rp150.000" in page and "Harga di hotel ini: Rp160.000" in page
    assert page.index("Hotel Atria Malang") < page.index("Hotel Tugu Malang")
    english = page_of(get(app, "/p/BTK-001?lang=en"))
    assert "Rp150.000 to Rp160.000" in english


def test_an_ikm_shows_its_phone_and_email_only_if_it_agreed(app):
    open_shop(app.extensions["consign.database"], contact=False)
    page = page_of(get(app, "/p/BTK-001"))
    assert "Batik Tulis Celaket" in page and DESCRIPTION in page
    for hidden in ("+62 812-3300-1122", "6281233001122", EMAIL, "tel:", "mailto:"):
        assert hidden not in page
    with app.extensions["consign.database"].transaction() as session:
        registry.edit_consignor(session, SETUP, "IKM-0001", public_contact="yes")
    shown = page_of(get(app, "/p/BTK-001"))
    assert "+62 812-3300-1122" in shown and EMAIL in shown


def test_only_the_ikm_that_agreed_appear_anywhere(app):
    """The world as built: no IKM has agreed. Every product is 404, the catalogue empty;
    once IKM-0001 agrees, its products appear, IKM-0002's still do not."""
    for sku in ("BTK-001", "BTK-002", "KRP-001"):
        assert get(app, f"/p/{sku}").status_code == 404
    empty = page_of(get(app, "/katalog"))
    assert "BTK-001" not in empty and "Kendedes" not in empty and "/p/" not in empty
    with app.extensions["consign.database"].transaction() as session:
        registry.edit_consignor(session, SETUP, "IKM-0001", public="yes")
    assert get(app, "/p/BTK-001").status_code == 200
    assert get(app, "/p/KRP-001").status_code == 404
    page = page_of(get(app, "/katalog"))
    assert 'href="/p/BTK-001"' in page and 'href="/p/BTK-002"' in page
    assert "KRP-001" not in page and "Keripik" not in page and "Hotel Tugu" not in page


def test_an_unknown_a_malformed_a_deactivated_or_a_private_sku_gets_the_same_404(app):
    open_shop(app.extensions["consign.database"])
    with app.extensions["consign.database"].transaction() as session:
        registry.deactivate(session, SETUP, "product", "BTK-002")
    pages = {sku: get(app, f"/p/{sku}") for sku in
             ("BTK-002", "KRP-001", "NOPE-1", "a%20b", "X" * 40, "btk-002")}
    assert {sku: r.status_code for sku, r in pages.items()} == dict.fromkeys(pages, 404)
    sentences = {re.search(r'<p class="problem" role="alert">(.*?)</p>', page_of(r)).group(1)
                 for r in pages.values()}
    assert sentences == {"Produk ini tidak ada di katalog publik."}
    with app.extensions["consign.database"].transaction() as session:
        registry.deactivate(session, SETUP, "consignor", "IKM-0001")
    assert get(app, "/p/BTK-001").status_code == 404
    assert "/p/" not in page_of(get(app, "/katalog"))


def test_a_sold_out_product_keeps_its_page_and_leaves_the_catalogue(app):
    open_shop(app.extensions["consign.database"])
    with app.extensions["consign.database"].transaction() as session:
        ledger.sell(session, SETUP, "ATRIA", "BTK-002", 2, at=at("2020-12-14"))
    page = page_of(get(app, "/p/BTK-002"))
    assert "Selendang batik" in page
    assert "Sedang tidak ada di rak hotel mitra." in page and "Hotel Atria" not in page
    listed = page_of(get(app, "/katalog"))
    assert 'href="/p/BTK-001"' in listed and "/p/BTK-002" not in listed


# ---- the catalogue -----------------------------------------------------------------------

def test_the_catalogue_lists_the_public_goods_by_sector_with_their_hotels(shop):
    page = page_of(get(shop, "/katalog"))
    assert "<h2>kriya</h2>" in page
    assert 'href="/p/BTK-001"' in page and 'href="/p/BTK-002"' in page
    assert "Rp150.000" in page and "Rp90.000" in page  # BTK-002 was placed at 90.000
    assert "Di: Hotel Atria Malang" in page
    assert "2 produk" in page
    # the hotel filter offers the hotels with public goods on the shelf: ATRIA alone
    assert '<option value="ATRIA">Hotel Atria Malang</option>' in page
    assert 'value="TUGU"' not in page


def test_the_catalogue_filters_by_sector_and_by_hotel(shop):
    kriya = page_of(get(shop, "/katalog?sector=kriya&hotel=atria"))
    assert 'href="/p/BTK-001"' in kriya and '<option value="ATRIA" selected>' in kriya
    assert "Jl. Letjen S. Parman No. 87, Malang" in kriya
    for address in ("/katalog?sector=kuliner", "/katalog?hotel=TUGU", "/katalog?hotel=NOWHERE"):
        page = page_of(get(shop, address))
        assert "/p/" not in page, address
        assert "Tidak ada barang katalog di rak untuk pilihan ini sekarang." in page


def test_a_malformed_filter_is_said_by_its_field(shop):
    response = get(shop, "/katalog?sector=batik&lang=en")
    assert response.status_code == 422
    assert re.search(r'id="sector-problem">[^<]*batik[^<]*must be one of kriya', page_of(
        response))
    assert get(shop, "/katalog?page=0").status_code == 422


def test_a_long_catalogue_comes_in_pages_of_sixty(app):
    open_shop(app.extensions["consign.database"])
    with app.extensions["consign.database"].transaction() as session:
        for n in range(59):
            registry.add_product(session, SETUP, f"KAIN-{n:03d}", "IKM-0001",
                                 name=f"Kain {n:03d}", price=50_000)
        ledger.place(session, SETUP, "ATRIA", "IKM-0001",
                     [(f"KAIN-{n:03d}", 1, None) for n in range(59)], at=at("2020-12-12"))
    first = page_of(get(app, "/katalog"))
    assert "61 produk" in first and "halaman 1 dari 2" in first
    assert len(re.findall(r'href="/p/', first)) == 60
    assert 'rel="next" href="/katalog?page=2"' in first
    second = page_of(get(app, "/katalog?page=2"))
    assert len(re.findall(r'href="/p/', second)) == 1 and 'rel="prev"' in second
    past = page_of(get(app, "/katalog?page=9"))  # past the last page: the last
    assert re.findall(r'href="/p/[^"]+"', past) == re.findall(r'href="/p/[^"]+"', second)
    assert "halaman 2 dari 2" in past


# ---- checking a statement ----------------------------------------------------------------

def verdict(page: str) -> str:
    found = re.search(r'<section class="verdict[^"]*".*?</section>', page, re.S)
    assert found, "no verdict on the page"
    return found.group(0)


def test_a_genuine_code_names_the_parties_the_period_and_the_net(shop):
    spaced = OCTOBER_CODE.lower().replace(" ", "-")  # as typed: case and dashes do not matter
    response = get(shop, f"/verify?number=st-000003&code={spaced}")
    assert response.status_code == 200
    found = verdict(page_of(response))
    assert "Asli" in found
    assert "Hotel Atria Malang (ATRIA)" in found and "Batik Tulis Celaket (IKM-0001)" in found
    assert "Oktober 2020" in found and "Rp224.000" in found and OCTOBER_CODE in found
    english = verdict(page_of(get(shop, f"/verify?number=ST-000003&code={OCTOBER_CODE}"
                                        "&lang=en")))
    assert "Genuine" in english and "October 2020" in english and "Rp224.000" in english


def test_a_wrong_code_and_an_unknown_number_get_the_same_page_without_any_figure(shop):
    right = OCTOBER_CODE.replace(" ", "")
    wrong_code = ("0" if right[0] != "0" else "1") + right[1:]
    wrong = page_of(get(shop, f"/verify?number=ST-000003&code={wrong_code}"))
    unknown = page_of(get(shop, f"/verify?number=ST-000099&code={right}"))
    for page in (wrong, unknown):
        assert "Tidak asli" in verdict(page)
        for secret in ("Rp", "Atria", "ATRIA", "Celaket", "IKM-0001", "Oktober", "2020"):
            assert secret not in verdict(page), secret
    assert (wrong.replace(wrong_code, "CODE").replace("ST-000003", "NUMBER")
            == unknown.replace(right, "CODE").replace("ST-000099", "NUMBER"))


def test_a_draft_is_never_genuine_and_an_issued_one_stays_genuine_after_payment(shop):
    database = shop.extensions["consign.database"]
    with database.transaction(readonly=True) as session:
        draft = session.scalar(select(Statement).where(Statement.status == "draft",
                                                       Statement.hotel_code == "ATRIA"))
        figures = (draft.hotel_code, draft.consignor_code, draft.period, draft.gross,
                   draft.commission, draft.opening_balance, draft.net)
    for number in ("ST-000005", "ST-000004"):  # the next number; a number issued to another
        code = verification_code(number, *figures)
        assert "Tidak asli" in verdict(page_of(get(shop, f"/verify?number={number}&code={code}")))
    november = verification_code("ST-000004", "ATRIA", "IKM-0001", "2020-11", 435_000, 87_000,
                                 0, 348_000)
    assert "Rp348.000" in verdict(page_of(get(shop, f"/verify?number=ST-000004&code={november}")))


def test_a_malformed_number_or_a_blank_code_is_said_by_its_field_and_no_verdict_is_given(shop):
    bad = get(shop, "/verify?number=42&code=ABCD&lang=en")
    assert bad.status_code == 422 and "verdict" not in page_of(bad)
    assert "is not of the form ST-000042" in page_of(bad)
    blank = get(shop, "/verify?number=ST-000003&code=+&lang=en")
    assert blank.status_code == 422 and 'id="code-problem"' in page_of(blank)
    for number in ("ST-000003", "ST-000099"):  # a typing mistake, told the same for both
        typo = get(shop, f"/verify?number={number}&code=1A2B+3C4D+5E6G&lang=en")
        assert typo.status_code == 422 and "verdict" not in page_of(typo)
        assert 'id="code-problem"' in page_of(typo)
        assert "is not a verification code" in page_of(typo)
        assert "1A2B 3C4D 5E6G" in page_of(typo)  # the form keeps what was typed
    indonesian = page_of(get(shop, "/verify?number=ST-000003&code=ABCD"))
    assert "kode &#39;ABCD&#39; bukan kode verifikasi" in indonesian  # the field in words
    empty = get(shop, "/verify")
    assert empty.status_code == 200 and "verdict" not in page_of(empty)


# ---- no figure of anyone's accounts --------------------------------------------------------

def forbidden_amounts(database) -> set[int]:
    """Every amount of the programme's accounts: each statement's gross, commission,
    opening balance and net (drafts too), each sale's amount and unit price."""
    with database.transaction(readonly=True) as session:
        amounts = set()
        for s in session.scalars(select(Statement)):
            amounts |= {s.gross, s.commission, s.opening_balance, s.net}
        for m in session.scalars(select(Movement).where(Movement.kind == "sold")):
            amounts |= {-m.qty * m.unit_price, m.unit_price}
    return {amount for amount in amounts if amount} - {150_000, 90_000}  # the shelf prices


def shown_forms(amount: int) -> list[str]:
    grouped = f"{abs(amount):,}".replace(",", ".")
    return [f"Rp{grouped}", grouped, str(abs(amount))]


PUBLIC_PAGES = ["/p/BTK-001", "/p/BTK-002", "/p/KRP-001", "/katalog", "/katalog?sector=kriya",
                "/katalog?hotel=ATRIA", "/katalog?hotel=TUGU", "/verify",
                "/verify?number=ST-000099&code=0000+0000+0000", "/login"]


def test_no_public_page_shows_a_figure_of_anyones_accounts(shop):
    forbidden = forbidden_amounts(shop.extensions["consign.database"])
    # the hand-computed figures are among them, and none is a price on a shelf
    assert {280_000, 56_000, 224_000, 435_000, 87_000, 348_000, 176_000, 35_200, 140_800,
            80_000, 16_000, 64_000, 140_000, 145_000, 88_000} <= forbidden
    genuine = f"/verify?number=ST-000003&code={OCTOBER_CODE}"
    wrong = f"/verify?number=ST-000003&code={OCTOBER_CODE[:-1]}0"
    for address in [*PUBLIC_PAGES, genuine, wrong]:
        for lang in ("id", "en"):
            joiner = "&" if "?" in address else "?"
            page = page_of(get(shop, f"{address}{joiner}lang={lang}"))
            allowed = {224_000} if address == genuine else set()
            for amount in forbidden - allowed:
                for form in shown_forms(amount):
                    assert form not in page, (address, lang, form)
            words = r"\b(commission|komisi|gross|bruto|opening balance|saldo awal)\b"
            assert not re.search(words, page, re.I), (address, lang)
            if address != genuine:
                assert not re.search(r"\b(net|bersih)\b", page, re.I), (address, lang)
            for secret in ("9120001234567", "002101000123567", "0021 0100 0123 567", "BRI",
                           "Keripik", "Hotel Tugu", "20%", "20,00%"):
                assert secret not in page, (address, lang, secret)


# ---- every role, both languages ------------------------------------------------------------

@pytest.mark.parametrize("role", list(ROLES))
def test_the_public_pages_answer_every_role_alike(shop, browser_for, role):
    browser = browser_for(shop, role)
    for address, status in (("/p/BTK-001", 200), ("/p/KRP-001", 404), ("/katalog", 200),
                            (f"/verify?number=ST-000003&code={OCTOBER_CODE}", 200)):
        response = browser.get(address)
        assert response.status_code == status, (role, address)
        if status == 200:
            assert "Rp224.000" in page_of(response) or "Kendedes" in page_of(response)


def test_every_public_page_is_indonesian_by_default_and_english_by_the_switch(shop):
    interface = {m.id for m in catalog() if m.id and m.id == m.string}
    ours = used_messages() - interface
    for address in ("/p/BTK-001", "/p/NOPE", "/katalog", "/katalog?sector=batik", "/verify",
                    f"/verify?number=ST-000003&code={OCTOBER_CODE}",
                    "/verify?number=ST-000099&code=ABCD", "/verify?number=x&code=y"):
        client = anonymous(shop)
        indonesian = page_of(client.get(address))
        joiner = "&" if "?" in address else "?"
        english = page_of(client.get(f"{address}{joiner}lang=en"))
        assert '<html lang="id">' in indonesian and '<html lang="en">' in english
        shared = set(visible(indonesian)) & set(visible(english))
        assert not shared & ours, (address, shared & ours)


def test_the_login_page_leads_the_public_to_the_catalogue_and_the_check(shop):
    page = page_of(get(shop, "/login"))
    assert 'href="/katalog"' in page and 'href="/verify"' in page


# ---- the label's QR code -------------------------------------------------------------------

def test_the_qr_code_of_a_price_label_opens_the_products_page_here(shop, browser_for,
                                                                   monkeypatch):
    import zxingcpp

    from tests.test_doc_labels import page_images

    monkeypatch.setenv("CONSIGN_PUBLIC_URL", "https://katalog.malangkota.go.id")
    clerk = browser_for(shop, "hotel:ATRIA")
    sheet = clerk.get("/hotel/ATRIA/labels.pdf?consignor=IKM-0001&copies=1")
    assert sheet.status_code == 200 and sheet.mimetype == "application/pdf"
    found = {result.text for image in page_images(sheet.get_data())
             for result in zxingcpp.read_barcodes(image)
             if result.format == zxingcpp.BarcodeFormat.QRCode}
    assert found == {"https://katalog.malangkota.go.id/p/BTK-001",
                     "https://katalog.malangkota.go.id/p/BTK-002"}
    for url in found:
        response = get(shop, url.removeprefix("https://katalog.malangkota.go.id"))
        assert response.status_code == 200
        assert ("Batik tulis Kendedes" if url.endswith("1") else "Selendang batik") in (
            page_of(response))
