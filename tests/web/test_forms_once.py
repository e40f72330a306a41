"""A form is done once, however often it is sent: a clerk taps Sell twice on a slow phone,
or the browser sends a payment again after its answer was lost on the hotel's Wi-Fi, and
one sale, one payment, one placement is recorded. The second sending goes to the page the
first led to and says that nothing was recorded again. A refused form spends nothing; a
key consign did not make is refused; two sendings at the same moment record once."""

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from consign.context import Context
from consign.models import FormKey
from consign.services import forms, ledger, registry, settlement
from tests.web.conftest import NOW
from tests.web.test_agency_manage import counts, reading

SETUP = Context.make("setup", now=NOW)
ALREADY = "Formulir ini sudah terkirim dan isinya sudah dikerjakan; tidak ada yang dicatat lagi."


def key_of(page: str, action: str) -> str:
    """The one-time key of the page's form that posts to ``action``."""
    form = re.search(rf'<form method="post" action="{re.escape(action)}".*?</form>', page, re.S)
    assert form, f"no form posts to {action}"
    found = re.search(r'name="once" value="([0-9a-f]{32})"', form.group(0))
    assert found, f"the form that posts to {action} carries no key"
    return found.group(1)


def shown(browser, address: str) -> str:
    return html.unescape(browser.get(address).get_data(as_text=True))


def on_hand(app, sku: str) -> int:
    with app.extensions["consign.database"].transaction(readonly=True) as session:
        [row] = [row for row in ledger.stock(session, hotel="ATRIA", ctx=SETUP) if row.sku == sku]
        return row.on_hand


@pytest.fixture
def clerk(app, browser_for):
    return browser_for(app, "hotel:ATRIA")


def test_a_sale_without_a_receipt_sent_twice_is_recorded_once(app, clerk):
    key = key_of(shown(clerk, "/hotel/ATRIA/sell"), "/hotel/ATRIA/sell")
    sale = {"sku": "BTK-001", "qty": "2", "price": "", "receipt": "", "payment": "cash",
            "once": key}
    first = clerk.post("/hotel/ATRIA/sell", sale)
    assert first.status_code == 302 and first.headers["Location"] == "/hotel/ATRIA/sell"
    assert on_hand(app, "BTK-001") == 8
    before = counts(app)
    again = clerk.post("/hotel/ATRIA/sell", sale)
    assert again.status_code == 303 and again.headers["Location"] == "/hotel/ATRIA/sell"
    assert counts(app) == before and on_hand(app, "BTK-001") == 8
    page = shown(clerk, "/hotel/ATRIA/sell")
    # the first answer never reached the phone: its line is shown now, beside the second's
    assert "Terjual 2 × BTK-001" in page and ALREADY in page
    fresh = key_of(page, "/hotel/ATRIA/sell")
    assert fresh != key  # the next sale is a new form
    assert clerk.post("/hotel/ATRIA/sell", sale | {"once": fresh}).status_code == 302
    assert on_hand(app, "BTK-001") == 6


def test_a_refused_form_spends_nothing_and_is_done_when_sent_corrected(app, clerk):
    key = key_of(shown(clerk, "/hotel/ATRIA/sell"), "/hotel/ATRIA/sell")
    before = counts(app)
    refused = clerk.post("/hotel/ATRIA/sell", {"sku": "BTK-001", "qty": "0", "once": key})
    assert refused.status_code == 422 and counts(app) == before
    again = key_of(html.unescape(refused.get_data(as_text=True)), "/hotel/ATRIA/sell")
    assert again != key  # the form shown again is a new one
    done = clerk.post("/hotel/ATRIA/sell", {"sku": "BTK-001", "qty": "1", "once": key})
    assert done.status_code == 302 and on_hand(app, "BTK-001") == 9


def test_goods_received_twice_are_placed_once_and_the_second_sees_the_first_note(app, clerk):
    key = key_of(shown(clerk, "/hotel/ATRIA/receive"), "/hotel/ATRIA/receive")
    form = {"consignor": "IKM-0001", "sku-1": "BTK-001", "qty-1": "3", "price-1": "",
            "once": key}
    first = clerk.post("/hotel/ATRIA/receive", form)
    assert first.status_code == 302, first.get_data(as_text=True)[-2000:]
    assert first.headers["Location"].startswith("/hotel/ATRIA/receive?done=PL-2020-")
    again = clerk.post("/hotel/ATRIA/receive", form)
    assert again.status_code == 303 and again.headers["Location"] == first.headers["Location"]
    assert on_hand(app, "BTK-001") == 13
    page = shown(clerk, again.headers["Location"])
    assert ALREADY in page and "Diterima 3 buah dari IKM-0001" in page


def test_a_payment_sent_twice_is_recorded_once(august, browser_for):
    with august.extensions["consign.database"].transaction() as session:
        registry.edit_consignor(session, SETUP, "IKM-0001", bank="BRI", account="0012345678",
                                holder="Pemilik")
        settlement.close_period(session, SETUP, "2020-08", "ATRIA")
    desk = browser_for(august, "hotel:ATRIA")
    address = "/hotel/ATRIA/statements/ST-000001"
    key = key_of(shown(desk, address), f"{address}/pay")
    payment = {"on": "2020-12-15", "ref": "TRF-1", "amount": "100000", "once": key}
    assert desk.post(f"{address}/pay", payment).status_code == 302
    again = desk.post(f"{address}/pay", payment)
    assert again.status_code == 303 and again.headers["Location"] == address
    record = reading(august, settlement.statement, SETUP, "ST-000001")
    assert (record.paid, record.owed) == (100_000, 140_000)
    assert ALREADY in shown(desk, address)


@pytest.mark.parametrize("key", ["xyz", "A" * 32, "0" * 31, "0" * 33, ""])
def test_a_key_consign_did_not_make_is_refused_and_nothing_is_written(app, clerk, key):
    before = counts(app)
    refused = clerk.post("/hotel/ATRIA/sell", {"sku": "BTK-001", "qty": "1", "once": key})
    assert refused.status_code == 422 and counts(app) == before
    assert "once bukan kunci formulir yang ditampilkan consign" in html.unescape(
        refused.get_data(as_text=True))


def test_a_form_without_a_key_is_done_as_sent(app, clerk):
    assert clerk.post("/hotel/ATRIA/sell", {"sku": "BTK-001", "qty": "1"}).status_code == 302
    assert on_hand(app, "BTK-001") == 9


def test_two_sendings_at_the_same_moment_record_once(app, clerk, monkeypatch):
    """The second sending looked before the first had spent the key (as two requests at
    the same moment on PostgreSQL do): its sale is undone when it finds the key spent,
    and it is answered as a second sending; the line its sale made is not shown."""
    key = key_of(shown(clerk, "/hotel/ATRIA/sell"), "/hotel/ATRIA/sell")
    sale = {"sku": "BTK-002", "qty": "1", "once": key}
    assert clerk.post("/hotel/ATRIA/sell", sale).status_code == 302
    shown(clerk, "/hotel/ATRIA/sell")  # the first sending's line, read
    monkeypatch.setattr(forms, "answer_of", lambda session, value: None)
    before = counts(app)
    again = clerk.post("/hotel/ATRIA/sell", sale)
    assert again.status_code == 303 and again.headers["Location"] == "/hotel/ATRIA/sell"
    assert counts(app) == before and on_hand(app, "BTK-002") == 3
    page = shown(clerk, "/hotel/ATRIA/sell")
    assert ALREADY in page and "Terjual 1 × BTK-002" not in page


def test_keys_go_once_no_form_could_carry_them(app):
    database = app.extensions["consign.database"]
    old, new = forms.new_key(), forms.new_key()
    with database.transaction() as session:
        assert forms.spend(session, old, "/hotel/ATRIA/sell", NOW - forms.KEEP - timedelta(1))
    with database.transaction() as session:
        assert forms.spend(session, new, "/hotel/ATRIA/sell", NOW)
        assert not forms.spend(session, new, "/elsewhere", NOW)  # spent: kept as it was
    with database.transaction(readonly=True) as session:
        assert session.scalar(select(func.count()).select_from(FormKey)) == 1
        assert forms.answer_of(session, new) == "/hotel/ATRIA/sell"
        assert forms.answer_of(session, old) is None


@pytest.mark.parametrize("address", [
    "/hotel/ATRIA/sell", "/hotel/ATRIA/receive", "/hotel/ATRIA/return", "/hotel/ATRIA/loss",
    "/hotel/ATRIA/count", "/hotel/ATRIA/sales"])
def test_every_form_that_writes_carries_a_key_of_its_own(app, clerk, address):
    page = shown(clerk, address)
    posted = re.findall(r'<form method="post".*?</form>', page, re.S)
    assert len(posted) >= 2  # the page's own, and logging out
    keys = [re.search(r'name="once" value="([0-9a-f]{32})"', form) for form in posted]
    assert all(keys), [form[:120] for form, found in zip(posted, keys, strict=True) if not found]
    assert len({found.group(1) for found in keys}) == len(keys)


def test_two_sendings_at_once_on_postgresql_record_one_sale(app, db_url, browser_for,
                                                            monkeypatch):
    """Two requests of one form, each past the look-up before either has spent the key (a
    barrier holds both there): the database lets one spend it, the other's sale is undone.
    (SQLite runs one writing request at a time: the look-up always sees the first.)"""
    if db_url.startswith("sqlite"):
        pytest.skip("SQLite: writing requests run one at a time")
    import threading

    look_up, both_looked = forms.answer_of, threading.Barrier(2, timeout=30)

    def at_the_same_moment(session, value):
        found = look_up(session, value)
        both_looked.wait()
        return found

    monkeypatch.setattr(forms, "answer_of", at_the_same_moment)
    desks = [browser_for(app, "hotel:ATRIA") for _ in range(2)]
    key = key_of(shown(desks[0], "/hotel/ATRIA/sell"), "/hotel/ATRIA/sell")
    sale = {"sku": "BTK-001", "qty": "3", "once": key}
    answers = []
    threads = [threading.Thread(target=lambda desk=desk: answers.append(
        desk.post("/hotel/ATRIA/sell", sale).status_code)) for desk in desks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(answers) == [302, 303]
    assert on_hand(app, "BTK-001") == 7
