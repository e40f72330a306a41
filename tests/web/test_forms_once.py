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
from consign.services import forms, ledger, registry, settlement, tokens
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
        return sum(row.on_hand for row in ledger.stock(session, hotel="ATRIA", ctx=SETUP)
                   if row.sku == sku)  # a shelf sold out is not listed


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
    download = re.search(r'<form method="post" action="/hotel/ATRIA/notes/.*?</form>', page, re.S)
    assert download and 'name="once"' not in download.group(0)  # downloaded as often as asked


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


def test_keys_go_once_no_form_could_carry_them(app):
    database = app.extensions["consign.database"]
    old, new = forms.new_key(), forms.new_key()
    with database.transaction() as session:
        assert forms.claim(session, old, NOW - forms.KEEP - timedelta(1))
        forms.spend(session, old, "/hotel/ATRIA/sell")
    with database.transaction() as session:
        assert forms.claim(session, new, NOW)
        forms.spend(session, new, "/hotel/ATRIA/sell")
        assert not forms.claim(session, new, NOW)  # spent: kept as it was
    with database.transaction(readonly=True) as session:
        assert session.scalar(select(func.count()).select_from(FormKey)) == 1
        assert forms.answer_of(session, new) == "/hotel/ATRIA/sell"
        assert forms.answer_of(session, old) is None


def test_the_till_api_takes_no_form_key_and_answers_its_own_refusal(app, clerk):
    key = key_of(shown(clerk, "/hotel/ATRIA/sell"), "/hotel/ATRIA/sell")
    assert clerk.post("/hotel/ATRIA/sell", {"sku": "BTK-001", "qty": "1", "once": key}
                      ).status_code == 302
    for once in (key, "zz"):
        answer = app.test_client().post("/api/v1/sales", data={"once": once},
                                        headers={"Authorization": "Bearer nothing"})
        assert answer.status_code == 401 and answer.is_json


def test_logging_out_is_never_refused_as_sent_before(app, clerk):
    page = shown(clerk, "/hotel/ATRIA/sell")
    logout = re.search(r'<form method="post" action="/logout".*?</form>', page, re.S).group(0)
    assert 'name="once"' not in logout  # sent again after a lost answer, it logs out again
    assert 'name="once"' not in shown(clerk, "/login")


@pytest.mark.parametrize("address", [
    "/hotel/ATRIA/sell", "/hotel/ATRIA/receive", "/hotel/ATRIA/return", "/hotel/ATRIA/loss",
    "/hotel/ATRIA/count", "/hotel/ATRIA/sales"])
def test_every_form_that_writes_carries_a_key_of_its_own(app, clerk, address):
    with app.extensions["consign.database"].transaction() as session:
        ledger.sell(session, SETUP, "ATRIA", "BTK-001", 1)  # the day's sales: a void each
    page = shown(clerk, address)
    posted = [form for form in re.findall(r'<form method="post".*?</form>', page, re.S)
              if 'action="/logout' not in form]
    assert posted  # the page's own
    keys = [re.search(r'name="once" value="([0-9a-f]{32})" autocomplete="off"', form)
            for form in posted]
    assert all(keys), [form[:120] for form, found in zip(posted, keys, strict=True) if not found]
    assert len({found.group(1) for found in keys}) == len(keys)


def _at_once(app, browser_for, monkeypatch, form: dict) -> list[int]:
    """The sell form sent by two desks at the same moment: both claim its key together (a
    barrier holds them just before), each in its own request; their answers' statuses."""
    import threading

    claim, both_here = forms.claim, threading.Barrier(2, timeout=30)

    def at_the_same_moment(session, value, now):
        both_here.wait()
        return claim(session, value, now)

    desks = [browser_for(app, "hotel:ATRIA") for _ in range(2)]
    key = key_of(shown(desks[0], "/hotel/ATRIA/sell"), "/hotel/ATRIA/sell")
    monkeypatch.setattr(forms, "claim", at_the_same_moment)
    answers = []
    threads = [threading.Thread(target=lambda desk=desk: answers.append(
        desk.post("/hotel/ATRIA/sell", form | {"once": key}).status_code)) for desk in desks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return sorted(answers)


@pytest.mark.parametrize(("qty", "left"), [("3", 7), ("10", 0)])
def test_two_sendings_at_once_on_postgresql_record_one_sale(app, db_url, browser_for,
                                                            monkeypatch, qty, left):
    """The later sending waits for the earlier and is answered as a second sending, also
    when the earlier took the last units (it is not told the shelf is empty). (SQLite runs
    one writing request at a time: the later one always finds the key spent.)"""
    if db_url.startswith("sqlite"):
        pytest.skip("SQLite: writing requests run one at a time")
    answers = _at_once(app, browser_for, monkeypatch, {"sku": "BTK-001", "qty": qty})
    assert answers == [302, 303]
    assert on_hand(app, "BTK-001") == left


def test_of_two_sendings_at_once_refused_the_key_goes_back(app, db_url, browser_for,
                                                          monkeypatch):
    """Both refused (more than the shelf holds): neither spends the key, nothing is
    written, and the form may be sent again, corrected."""
    if db_url.startswith("sqlite"):
        pytest.skip("SQLite: writing requests run one at a time")
    before = counts(app)
    assert _at_once(app, browser_for, monkeypatch, {"sku": "BTK-001", "qty": "11"}) == [409, 409]
    after = counts(app)
    del before["login_failures"], after["login_failures"]  # the desks' logging in
    assert after == before


def test_a_token_form_sent_again_makes_no_second_token(app, browser_for):
    """Its answer is the page showing the new token (once): sent again, as after that
    answer was lost, the form goes to the list, where the one token made is."""
    admin = browser_for(app, "admin")
    key = key_of(shown(admin, "/agency/tokens"), "/agency/tokens")
    form = {"hotel": "ATRIA", "label": "kasir depan", "once": key}
    first = admin.post("/agency/tokens", form)
    assert first.status_code == 200 and '<code class="token">' in first.get_data(as_text=True)
    again = admin.post("/agency/tokens", form)
    assert again.status_code == 303 and again.headers["Location"] == "/agency/tokens"
    page = shown(admin, "/agency/tokens")
    assert ALREADY in page and '<code class="token">' not in page
    assert len(reading(app, tokens.list, SETUP)) == 1
