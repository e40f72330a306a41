"""A hotel's staff receive goods from an IKM (and download the placement's receipt), hand
goods back (with the return note) and write off what was lost or damaged; a bad value is
shown next to its field as typed, and nothing is written; another hotel's pages are 404."""

import html
import re

import pytest

from tests.web.test_hotel import counts, on_hand

ATRIA = "hotel:ATRIA"


@pytest.fixture
def clerk(app, browser_for):
    return browser_for(app, ATRIA)


@pytest.fixture
def desk(world_app, browser_for):
    """A clerk on the module's shared programme, for the tests that write nothing."""
    return browser_for(world_app, ATRIA)


def shelf(clerk, sku):
    return on_hand(clerk.get("/hotel/ATRIA/shelf").get_data(as_text=True), sku)


def lines(*rows, priced=False):
    form = {}
    for index, row in enumerate(rows):
        form[f"sku-{index}"], form[f"qty-{index}"] = row[0], row[1]
        if priced:
            form[f"price-{index}"] = row[2] if len(row) > 2 else ""
    return form


def problem(page, field):
    found = re.search(rf'id="{field}-problem"(?: role="alert")?>([^<]+)</p>', page)
    assert found, page[-3000:]
    return html.unescape(found.group(1)).strip()


def test_goods_received_are_on_the_shelf_and_the_receipt_downloads(app, clerk):
    assert shelf(clerk, "BTK-001") == 10 and shelf(clerk, "BTK-002") == 4
    form = {"consignor": "IKM-0001",
            **lines(("BTK-001", "3", ""), ("BTK-002", "2", "Rp 95.000"), priced=True)}
    response = clerk.post("/hotel/ATRIA/receive", form)
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    location = response.headers["Location"]
    assert location.startswith("/hotel/ATRIA/receive?done=PL-2020-")
    number = location.split("done=")[1]
    page = clerk.get(location).get_data(as_text=True)
    assert f"Diterima 5 buah dari IKM-0001 pada penempatan {number}." in page
    assert shelf(clerk, "BTK-001") == 13 and shelf(clerk, "BTK-002") == 6
    pdf = clerk.post(f"/hotel/ATRIA/notes/{number}.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.get_data().startswith(b"%PDF")
    assert f'filename="{number}.pdf"' in pdf.headers["Content-Disposition"]
    again = clerk.post(f"/hotel/ATRIA/notes/{number}.pdf")
    assert again.get_data() == pdf.get_data()  # the archived copy


def test_goods_handed_back_leave_the_shelf_with_a_return_note(app, clerk):
    response = clerk.post("/hotel/ATRIA/return", lines(("BTK-001", "4"), ("BTK-002", "1")))
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    number = response.headers["Location"].split("done=")[1]
    assert number.startswith("RT-2020-")
    page = clerk.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Dikembalikan 5 buah ke IKM-0001 dengan nota retur {number}." in page
    assert shelf(clerk, "BTK-001") == 6 and shelf(clerk, "BTK-002") == 3
    pdf = clerk.post(f"/hotel/ATRIA/notes/{number}.pdf")
    assert pdf.status_code == 200 and pdf.get_data().startswith(b"%PDF")


def test_a_loss_written_off_leaves_the_shelf(app, clerk):
    form = {"kind": "damaged", "liable": "hotel", "reason": "terkena air hujan",
            **lines(("BTK-002", "1"))}
    response = clerk.post("/hotel/ATRIA/loss", form)
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    page = clerk.get(response.headers["Location"]).get_data(as_text=True)
    assert re.search(r"Dihapus 1 buah milik IKM-0001 dengan nota kehilangan LS-2020-\d+\.",
                     page)
    assert shelf(clerk, "BTK-002") == 3


RECEIVE_BAD = [
    ("consignor", {"consignor": "IKM-9999"}, 404),
    ("consignor", {"consignor": "I" * 10_000}, 422),
    ("lines", {"sku-0": "NOPE-1"}, 404),
    ("lines", {"sku-0": "KRP-001"}, 409),  # another IKM's
    ("lines", {"qty-0": str(2 ** 63)}, 422),
    ("lines", {"price-0": "-5"}, 422),
    ("lines", {"sku-0": "", "qty-0": ""}, 422),
]


@pytest.mark.parametrize(("field", "change", "status"), RECEIVE_BAD,
                         ids=[f"{f}-{n}" for n, (f, _c, _s) in enumerate(RECEIVE_BAD)])
def test_a_bad_placement_is_shown_as_typed_and_nothing_is_written(world_app, desk, field, change,
                                                                   status):
    form = {"consignor": "IKM-0001", **lines(("BTK-001", "2", ""), priced=True), **change}
    before = counts(world_app)
    response = desk.post("/hotel/ATRIA/receive", form)
    page = response.get_data(as_text=True)
    assert response.status_code == status, page[-2000:]
    assert problem(page, field)
    assert counts(world_app) == before
    for name, value in form.items():
        assert f'name="{name}" value="{html.escape(value)}"' in page


LOSS_BAD = [
    ("reason", {"reason": "R" * 10_000}, 422),
    ("kind", {"kind": "stolen"}, 422),
    ("liable", {"liable": "nobody"}, 422),
    ("lines", {"qty-0": str(2 ** 63)}, 422),
    ("lines", {"sku-0": "NOPE-1"}, 404),
]


@pytest.mark.parametrize(("field", "change", "status"), LOSS_BAD,
                         ids=[f"{f}-{n}" for n, (f, _c, _s) in enumerate(LOSS_BAD)])
def test_a_bad_loss_is_shown_as_typed_and_nothing_is_written(world_app, desk, field, change,
                                                             status):
    form = {"kind": "lost", "liable": "consignor", "reason": "hilang dari rak",
            **lines(("BTK-001", "1")), **change}
    before = counts(world_app)
    response = desk.post("/hotel/ATRIA/loss", form)
    page = response.get_data(as_text=True)
    assert response.status_code == status, page[-2000:]
    assert problem(page, field)
    assert counts(world_app) == before
    assert f'name="reason" value="{html.escape(form["reason"])}"' in page
    assert f'name="qty-0" value="{html.escape(form["qty-0"])}"' in page


@pytest.mark.parametrize(("change", "said"), [
    ({"qty-0": "0"}, "BTK-001: jumlah 0 tidak di antara 1 dan 100.000"),
    ({"sku-0": "", "qty-0": ""}, "Isi sedikitnya satu SKU beserta jumlahnya."),
])
def test_a_refused_loss_line_is_said_in_the_pages_words_not_the_command_lines(
        world_app, desk, change, said):
    form = {"kind": "lost", "liable": "consignor", "reason": "hilang dari rak",
            **lines(("BTK-001", "1")), **change}
    response = desk.post("/hotel/ATRIA/loss?lang=id", form)
    assert response.status_code == 422
    shown = problem(response.get_data(as_text=True), "lines")
    assert shown.startswith(said), shown
    assert "qty" not in shown and "SKU=QTY" not in shown


def test_label_copies_out_of_bounds_are_named_in_the_pages_words(desk):
    response = desk.get("/hotel/ATRIA/labels.pdf?copies=0&lang=id")
    assert response.status_code == 422
    shown = problem(response.get_data(as_text=True), "copies")
    assert shown.startswith("label tiap produk 0 tidak di antara 1 dan 100"), shown


def test_returning_more_than_is_on_hand_is_refused_above_the_form(app, clerk):
    before = counts(app)
    response = clerk.post("/hotel/ATRIA/return", lines(("BTK-002", "5"), ("BTK-001", "1")))
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "BTK-002" in problem(page, "form")
    assert 'name="qty-0" value="5"' in page and counts(app) == before
    assert shelf(clerk, "BTK-002") == 4


def test_another_hotels_pages_and_notes_are_404_and_write_nothing(app, clerk, browser_for):
    placed = clerk.post("/hotel/ATRIA/receive", {"consignor": "IKM-0001",
                                                 **lines(("BTK-001", "1", ""), priced=True)})
    number = placed.headers["Location"].split("done=")[1]
    tugu = browser_for(app, "hotel:TUGU")
    before = counts(app)
    for address in ("/hotel/ATRIA/receive", "/hotel/ATRIA/return", "/hotel/ATRIA/loss"):
        assert tugu.get(address).status_code == 404
    assert tugu.post("/hotel/ATRIA/receive", {"consignor": "IKM-0001",
                                              **lines(("BTK-001", "1", ""), priced=True)}
                     ).status_code == 404
    assert tugu.post("/hotel/ATRIA/return", lines(("BTK-001", "1"))).status_code == 404
    assert tugu.post("/hotel/ATRIA/loss", {"kind": "lost", "liable": "hotel", "reason": "x",
                                           **lines(("BTK-001", "1"))}).status_code == 404
    assert tugu.post(f"/hotel/ATRIA/notes/{number}.pdf").status_code == 404
    assert tugu.post(f"/hotel/TUGU/notes/{number}.pdf").status_code == 404
    admin = browser_for(app, "admin")
    assert admin.post(f"/hotel/TUGU/notes/{number}.pdf").status_code == 404
    assert counts(app) == before


def test_each_form_needs_its_csrf_token(app, clerk):
    before = counts(app)
    for address, form in (
            ("/hotel/ATRIA/receive", {"consignor": "IKM-0001",
                                      **lines(("BTK-001", "1", ""), priced=True)}),
            ("/hotel/ATRIA/return", lines(("BTK-001", "1"))),
            ("/hotel/ATRIA/loss", {"kind": "lost", "liable": "hotel", "reason": "x",
                                   **lines(("BTK-001", "1"))})):
        assert clerk.post(address, form, csrf=False).status_code == 400
    assert counts(app) == before


def test_the_pages_read_in_english_too(app, clerk):
    page = clerk.get("/hotel/ATRIA/receive?lang=en").get_data(as_text=True)
    assert "Receive goods" in page and 'name="sku-4"' in page
    # the form needs no script of its own (every page has the tabs' scrolling and the
    # forms' sending once, no more)
    assert re.findall(r"<script[^>]*>", page) == [
        '<script src="/static/tabs.js" defer>', '<script src="/static/forms.js" defer>']
    page = clerk.get("/hotel/ATRIA/loss?lang=id").get_data(as_text=True)
    assert "Catat kehilangan" in page and "rusak" in page


def test_price_labels_download_for_the_shelf_and_a_bad_copies_is_shown(app, clerk):
    page = clerk.get("/hotel/ATRIA/labels").get_data(as_text=True)
    assert "Label harga" in page and 'name="copies"' in page
    before = counts(app)
    pdf = clerk.get("/hotel/ATRIA/labels.pdf?consignor=IKM-0001&copies=2")
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.get_data().startswith(b"%PDF")
    bad = clerk.get(f"/hotel/ATRIA/labels.pdf?consignor=IKM-0001&copies={2 ** 63}")
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422 and problem(text, "copies")
    assert f'name="copies" value="{2 ** 63}"' in text
    unknown = clerk.get("/hotel/ATRIA/labels.pdf?consignor=" + "I" * 10_000)
    assert unknown.status_code in (404, 422)
    assert problem(unknown.get_data(as_text=True), "consignor")
    assert counts(app) == before
    tugu = browser_for_tugu(app)
    assert tugu.get("/hotel/ATRIA/labels").status_code == 404
    assert tugu.get("/hotel/ATRIA/labels.pdf").status_code == 404


def browser_for_tugu(app):
    from tests.web.conftest import ROLES, Browser

    browser = Browser(app)
    assert browser.log_in(ROLES["hotel:TUGU"]).status_code == 302
    return browser


def count_form(page, **counted):
    """The count form of the page, with the units typed for some SKUs."""
    form = dict(re.findall(r'type="hidden" name="((?:sku|name)-\d+)" value="([^"]*)"', page))
    for key, sku in list(form.items()):
        if key.startswith("sku-"):
            form[f"counted-{key[4:]}"] = counted.get(html.unescape(sku), "")
    return {key: html.unescape(value) for key, value in form.items()}


def test_a_count_shows_its_differences_first_and_records_them_when_confirmed(app, clerk):
    page = clerk.get("/hotel/ATRIA/count").get_data(as_text=True)
    form = count_form(page, **{"BTK-001": "9", "BTK-002": "4"})
    before = counts(app)
    compared = clerk.post("/hotel/ATRIA/count", {**form, "apply": "no"})
    text = compared.get_data(as_text=True)
    assert compared.status_code == 200
    assert re.search(r'<td class="sku">BTK-001</td>.*?>10</td>.*?>9</td>.*?>-1</td>', text,
                     re.S)
    assert '<td class="sku">BTK-002</td>' not in text.split("</table>")[0]
    assert 'name="counted-0" value="9"' in text and counts(app) == before
    assert shelf(clerk, "BTK-001") == 10
    applied = clerk.post("/hotel/ATRIA/count", {**form, "apply": "yes", "liable": "hotel"})
    assert applied.status_code == 302
    page = clerk.get(applied.headers["Location"]).get_data(as_text=True)
    assert re.search(r"SO-2020-\d+", page)
    assert on_hand(page, "BTK-001") == 9 and on_hand(page, "BTK-002") == 4


def test_a_count_that_matches_the_books_is_on_record_and_says_it_found_no_differences(
        app, clerk):
    page = clerk.get("/hotel/ATRIA/count?lang=en").get_data(as_text=True)
    form = count_form(page, **{"BTK-001": "10", "BTK-002": "4"})
    applied = clerk.post("/hotel/ATRIA/count", {**form, "apply": "yes", "liable": "hotel"})
    assert applied.status_code == 302
    page = clerk.get(applied.headers["Location"]).get_data(as_text=True)
    assert re.search(r"The count matches the ledger: recorded on count note SO-2020-\d+, with "
                     r"no differences\.", page)
    assert on_hand(page, "BTK-001") == 10 and on_hand(page, "BTK-002") == 4


@pytest.mark.parametrize("change", [{"counted-0": str(2 ** 63)}, {"counted-0": "-1"},
                                    {"sku-0": "NOPE-1", "counted-0": "1"},
                                    {"sku-0": "KRP-001", "counted-0": "1"}])
def test_a_bad_count_is_shown_next_to_its_row_as_typed_and_nothing_is_written(
        world_app, desk, change):
    page = desk.get("/hotel/ATRIA/count").get_data(as_text=True)
    form = {**count_form(page, **{"BTK-001": "9", "BTK-002": "4"}), **change}
    before = counts(world_app)
    for apply in ("no", "yes"):
        response = desk.post("/hotel/ATRIA/count", {**form, "apply": apply})
        text = response.get_data(as_text=True)
        assert response.status_code in (404, 409, 422), text[-2000:]
        assert problem(text, "counted-0")
        assert f'name="counted-0" value="{html.escape(form["counted-0"])}"' in text
    assert counts(world_app) == before


def test_another_hotels_count_is_404_and_a_count_needs_its_csrf_token(app, clerk):
    page = clerk.get("/hotel/ATRIA/count").get_data(as_text=True)
    form = {**count_form(page, **{"BTK-001": "1"}), "apply": "yes"}
    tugu = browser_for_tugu(app)
    before = counts(app)
    assert tugu.get("/hotel/ATRIA/count").status_code == 404
    assert tugu.post("/hotel/ATRIA/count", form).status_code == 404
    assert clerk.post("/hotel/ATRIA/count", form, csrf=False).status_code == 400
    assert counts(app) == before


def test_goods_found_that_the_ledger_has_none_of_are_counted_in_a_row_of_their_own(
        app, clerk):
    """BTK-002 sold out at ATRIA, then one found behind the counter: the count page no
    longer lists it, and the clerk types its SKU in a row for goods found."""
    clerk.post("/hotel/ATRIA/sell", {"sku": "BTK-002", "qty": "4"})
    page = clerk.get("/hotel/ATRIA/count").get_data(as_text=True)
    listed = count_form(page, **{"BTK-001": "10"})
    assert [value for key, value in listed.items() if key.startswith("sku-")] == ["BTK-001"]
    found = {"sku-1": "btk-002", "counted-1": "1", "found-1": "yes", "name-1": ""}
    compared = clerk.post("/hotel/ATRIA/count", {**listed, **found, "apply": "no"})
    text = compared.get_data(as_text=True)
    assert compared.status_code == 200, text[-2000:]
    assert re.search(r'<td class="sku">BTK-002</td>.*?>0</td>.*?>1</td>.*?>\+1</td>', text,
                     re.S)
    assert 'name="sku-1" value="btk-002"' in text  # the row as it was typed
    applied = clerk.post("/hotel/ATRIA/count",
                         {**listed, **found, "apply": "yes", "liable": "hotel"})
    assert applied.status_code == 302
    assert on_hand(clerk.get("/hotel/ATRIA/shelf").get_data(as_text=True), "BTK-002") == 1


@pytest.mark.parametrize(("found", "field", "said"), [
    ({"sku-2": "", "counted-2": "3"}, "sku-2", "SKU is blank"),
    ({"sku-2": "BTK-002", "counted-2": ""}, "counted-2", "is not a whole number"),
    ({"sku-2": "KRP-001", "counted-2": "1"}, "sku-2", "KRP-001")])
def test_a_found_row_without_its_sku_or_its_units_or_of_goods_never_here_is_refused_there(
        app, clerk, found, field, said):
    page = clerk.get("/hotel/ATRIA/count?lang=en").get_data(as_text=True)
    form = {**count_form(page, **{"BTK-001": "10"}), "found-2": "yes", "name-2": "", **found}
    before = counts(app)
    for apply in ("no", "yes"):
        response = clerk.post("/hotel/ATRIA/count",
                              {**form, "apply": apply, "liable": "hotel"})
        assert response.status_code in (404, 409, 422)
        assert said in problem(response.get_data(as_text=True), field)
    assert counts(app) == before
