"""The point-of-sale API: a till's sales recorded exactly once by their receipts, a batch
all or nothing with each refused sale named, a token held to its hotel, every error JSON,
and the OpenAPI document exact: it validates, and every route and status it describes is
what the server really answers (a test walks it)."""

import json
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from sqlalchemy import func, select

import consign.web
from consign.context import Context
from consign.errors import ConsignError, EnvironmentFailure
from consign.i18n import msg
from consign.models import AuditEntry, Movement
from consign.policy import Role
from consign.services import ledger, tokens
from consign.web import api
from consign.web.errors import status_of
from tests.web.conftest import NOW

SPEC_FILE = consign.web.__file__.replace("__init__.py", "openapi.json")


def token_for(app, hotel="ATRIA", label="kasir") -> str:
    with app.extensions["consign.database"].transaction() as session:
        return tokens.create(session, Context.make("setup", now=NOW), hotel, label)[1]


class Till:
    """A hotel's point-of-sale system: its token on every request, answers in English."""

    def __init__(self, app, token):
        self.app, self.client, self.token = app, app.test_client(), token

    def headers(self):
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def sell(self, *sales, **kwargs):
        return self.client.post("/api/v1/sales?lang=en", json={"sales": list(sales)},
                                headers=self.headers(), **kwargs)

    def post(self, body: bytes | str, content_type="application/json"):
        return self.client.post("/api/v1/sales?lang=en", data=body, content_type=content_type,
                                headers=self.headers())

    def get(self, address):
        joined = "&" if "?" in address else "?"
        return self.client.get(f"{address}{joined}lang=en", headers=self.headers())

    def stock(self) -> dict:
        answer = self.get("/api/v1/stock")
        assert answer.status_code == 200, answer.get_data(as_text=True)
        return {row["sku"]: row for row in answer.get_json()["stock"]}


@pytest.fixture
def till(app):
    return Till(app, token_for(app))


@pytest.fixture
def tugu(app):
    return Till(app, token_for(app, "TUGU"))


def written(app) -> tuple[int, int]:
    with app.extensions["consign.database"].transaction(readonly=True) as session:
        return (session.scalar(select(func.count()).select_from(Movement)),
                session.scalar(select(func.count()).select_from(AuditEntry)))


def sale(sku="BTK-001", qty=1, receipt="POS-1", **more) -> dict:
    return {"sku": sku, "qty": qty, "receipt": receipt, **more}


def is_json_error(answer, status, field=None) -> dict:
    assert answer.status_code == status, answer.get_data(as_text=True)
    assert answer.mimetype == "application/json"
    body = answer.get_json()
    assert body["error"]["message"] and body["error"]["field"] == field, body
    return body


# ---- recording sales ----------------------------------------------------------------------

def test_a_sale_is_recorded_with_its_figures_and_the_shelf_falls(app, till):
    assert till.stock()["BTK-002"] == {"sku": "BTK-002", "name": "Selendang batik",
                                       "consignor": "IKM-0001", "on_hand": 4,
                                       "unit_price": 90_000}
    answer = till.sell(sale("BTK-002", 2, "POS-10", payment="qris",
                            sold_at="2020-12-14T10:00:00+07:00"),
                       sale("btk-001", 1, "POS-10", unit_price=140_000))
    assert answer.status_code == 201, answer.get_data(as_text=True)
    first, second = answer.get_json()["sales"]
    assert {k: first[k] for k in ("index", "outcome", "sku", "qty", "unit_price", "receipt",
                                  "payment", "sold_at")} == {
        "index": 0, "outcome": "recorded", "sku": "BTK-002", "qty": 2, "unit_price": 90_000,
        "receipt": "POS-10", "payment": "qris", "sold_at": "2020-12-14T10:00:00+07:00"}
    assert (second["sku"], second["unit_price"], second["sold_at"]) == (
        "BTK-001", 140_000, "2020-12-15T12:00:00+07:00")  # now, by default
    stock = till.stock()
    assert (stock["BTK-002"]["on_hand"], stock["BTK-001"]["on_hand"]) == (2, 9)
    with app.extensions["consign.database"].transaction(readonly=True) as session:
        recorded = session.get(Movement, first["id"])
        assert (recorded.kind, recorded.qty, recorded.actor) == ("sold", -2, "api:1 kasir")


def test_the_same_batch_sent_again_is_already_recorded_and_sells_nothing_twice(app, till):
    batch = [sale("BTK-001", 1, "POS-20"), sale("BTK-002", 1, "POS-20", unit_price=90_000)]
    first = till.sell(*batch)
    assert first.status_code == 201
    before = written(app)
    again = till.sell(*batch)
    assert again.status_code == 200, again.get_data(as_text=True)
    assert [s["outcome"] for s in again.get_json()["sales"]] == ["already_recorded"] * 2
    assert [s["id"] for s in again.get_json()["sales"]] == [s["id"] for s in
                                                           first.get_json()["sales"]]
    assert written(app) == before
    assert (till.stock()["BTK-001"]["on_hand"], till.stock()["BTK-002"]["on_hand"]) == (9, 3)


def test_a_receipt_reused_for_other_figures_is_refused_as_a_conflict(app, till):
    assert till.sell(sale("BTK-001", 1, "POS-30")).status_code == 201
    before = written(app)
    answer = till.sell(sale("BTK-001", 2, "POS-30"))
    body = is_json_error(answer, 409, "sales")
    [item] = body["items"]
    assert (item["index"], item["status"], item["field"]) == (0, 409, "receipt")
    assert item["message"].startswith("Receipt POS-30 at ATRIA already records 1 × BTK-001 "
                                      "at Rp150.000")
    assert written(app) == before and till.stock()["BTK-001"]["on_hand"] == 9


def test_a_batch_with_one_bad_sale_records_nothing_and_names_that_sale(app, till):
    before = written(app)
    answer = till.sell(sale("BTK-001", 2, "POS-40"), sale("BTK-002", 1, "POS-41"),
                       sale("BTK-002", 4, "POS-42"))  # 4 placed, 1 taken by the one before
    body = is_json_error(answer, 409, "sales")
    assert body["error"]["message"] == ("1 of the 3 sales are refused; nothing was recorded. "
                                        "Correct them and send the whole batch again.")
    assert body["items"] == [{"index": 2, "status": 409, "field": None, "message":
                              "Cannot sell 4 × BTK-002 at ATRIA: only 3 on hand."}]
    assert written(app) == before
    assert (till.stock()["BTK-001"]["on_hand"], till.stock()["BTK-002"]["on_hand"]) == (10, 4)


def test_every_refused_sale_of_a_batch_is_named_and_a_malformed_one_makes_it_422(app, till):
    before = written(app)
    answer = till.sell(sale("BTK-001", 1, "POS-50"), sale("NOPE-1", 1, "POS-51"),
                       sale("BTK-001", "1", "POS-52"), sale("BTK-001", 1, "  "),
                       {"sku": "BTK-001", "qty": 1}, sale("BTK-001", 0, "POS-53"),
                       sale("BTK-001", 1, "POS-54", hotel="TUGU"), ["BTK-001"],
                       sale("BTK-001", 1, "POS-55", unit_price=1.5),
                       sale("BTK-001", 1, "POS-56", payment="gratis"),
                       sale("BTK-001", 1, "POS-57", sold_at="2021-01-01"))
    body = is_json_error(answer, 422, "sales")
    assert [(i["index"], i["status"], i["field"]) for i in body["items"]] == [
        (1, 404, "sku"), (2, 422, "qty"), (3, 422, "receipt"), (4, 422, "receipt"),
        (5, 422, "qty"), (6, 422, "hotel"), (7, 422, None), (8, 422, "unit_price"),
        (9, 422, "payment"), (10, 422, "sold_at")]
    said = {i["index"]: i["message"] for i in body["items"]}
    assert said[1] == "No product with SKU NOPE-1."
    assert said[2] == "qty must be a whole number."
    assert said[4].startswith("receipt is missing: every sale sent through the API")
    assert said[6].startswith("hotel is not a field of a sale")
    assert "in the future" in said[10]
    assert written(app) == before


def test_a_voided_sale_sent_again_is_recognised_and_listed_as_voided(app, till):
    answer = till.sell(sale("BTK-001", 1, "POS-60"))
    sold = answer.get_json()["sales"][0]["id"]
    with app.extensions["consign.database"].transaction() as session:
        ledger.void(session, Context.make("setup", now=NOW), sold, "salah input")
    again = till.sell(sale("BTK-001", 1, "POS-60"))
    assert again.status_code == 200
    assert again.get_json()["sales"][0]["outcome"] == "already_recorded_voided"
    corrected = till.sell(sale("BTK-001", 2, "POS-60"))
    assert corrected.status_code == 201 and corrected.get_json()["sales"][0]["qty"] == 2
    listed = till.get("/api/v1/sales?since=2020-12-15").get_json()["sales"]
    assert [(s["receipt"], s["qty"], s["voided"]) for s in listed] == [
        ("POS-60", 2, False), ("POS-60", 1, True)]
    assert till.stock()["BTK-001"]["on_hand"] == 8


# ---- tokens and scope -------------------------------------------------------------------

def test_a_revoked_or_unknown_token_or_none_is_refused_with_401_and_nothing_written(app, till):
    with app.extensions["consign.database"].transaction() as session:
        tokens.revoke(session, Context.make("setup", now=NOW), 1)
    before = written(app)
    for given in (till.token, "consign_not-a-token", None):
        shop = Till(app, given)
        for answer in (shop.sell(sale()), shop.get("/api/v1/stock"),
                       shop.get("/api/v1/sales?since=2020-12-01")):
            body = is_json_error(answer, 401, "token")
            assert answer.headers["WWW-Authenticate"].startswith('Bearer realm="consign"')
            assert ("invalid_token" in answer.headers["WWW-Authenticate"]) == bool(given)
            assert "token" in body["error"]["message"]
    assert written(app) == before
    basic = app.test_client().get("/api/v1/stock", headers={"Authorization": "Basic eDp5"})
    is_json_error(basic, 401, "token")


def test_a_token_is_used_for_its_hotel_alone_and_its_use_is_noted(app, till, tugu):
    assert set(till.stock()) == {"BTK-001", "BTK-002"} and set(tugu.stock()) == {"KRP-001"}
    assert tugu.sell(sale("KRP-001", 3, "TG-1")).status_code == 201
    before = written(app)
    refused = till.sell(sale("KRP-001", 1, "AT-1"))  # TUGU's goods, from ATRIA's till
    with pytest.raises(ConsignError) as service, \
            app.extensions["consign.database"].transaction() as session:  # rolled back
        ledger.sell(session, Context.make("x", now=NOW, role=Role("hotel", "ATRIA")), "ATRIA",
                    "KRP-001", 1, receipt="AT-1")
    body = is_json_error(refused, status_of(service.value), "sales")
    assert body["items"][0]["message"] == service.value.text("en")
    assert written(app) == before
    sales = till.get("/api/v1/sales?since=2020-01-01").get_json()
    assert sales["hotel"] == "ATRIA" and sales["sales"] == []
    assert [s["receipt"] for s in tugu.get("/api/v1/sales?since=2020-01-01").get_json()[
        "sales"]] == ["TG-1"]
    assert "TUGU" not in json.dumps(till.stock()) and "KRP" not in json.dumps(till.stock())
    with app.extensions["consign.database"].transaction(readonly=True) as session:
        used = tokens.list(session, Context.make("setup", now=NOW))
    assert [(t.hotel, t.last_used_at) for t in used] == [("ATRIA", NOW), ("TUGU", NOW)]


def test_a_browser_session_is_no_token_and_is_never_sent_to_the_login_page(app, browser_for):
    clerk = browser_for(app, "hotel:ATRIA")
    for answer in (clerk.get("/api/v1/stock"), clerk.post("/api/v1/sales", {"sku": "BTK-001"}),
                   app.test_client().get("/api/v1/sales?since=2020-12-01")):
        is_json_error(answer, 401, "token")


# ---- what cannot be read -------------------------------------------------------------------

def test_a_body_that_is_no_json_of_sales_is_answered_in_json(app, till):
    before = written(app)
    cases = [
        (b'{"sales": [', "application/json", 400, "body"),
        (b'{"sales": [{"sku": NaN}]}', "application/json", 400, "body"),
        ("[" * 100_000, "application/json", 400, "body"),
        (b"\xff\xfe{}", "application/json", 400, "body"),
        (b"sku=BTK-001&qty=1", "application/x-www-form-urlencoded", 415, "body"),
        (b'{"sales": []}', "text/plain", 415, "body"),
        (b'{"sales": []}', None, 415, "body"),
        (b'"sales"', "application/json", 422, "body"),
        (b'{"sales": []}', "application/json", 422, "sales"),
        (b'{"sales": {"sku": "BTK-001"}}', "application/json", 422, "sales"),
        (json.dumps({"sales": [sale(receipt=f"R{n}") for n in range(501)]}),
         "application/json", 422, "sales"),
        (b'{"sales": [], "hotel": "TUGU"}', "application/json", 422, "hotel"),
        (b'{"sales": [{"sku": "BTK-001", "qty": 1, "receipt": "P"}]}',
         "application/json; charset=utf-8", 201, None),
    ]
    for body, kind, status, field in cases:
        answer = till.post(body, kind)
        if status == 201:
            assert answer.status_code == 201, answer.get_data(as_text=True)
            continue
        is_json_error(answer, status, field)
    assert written(app)[0] == before[0] + 1


def test_a_huge_body_is_refused_with_413_in_json_before_it_is_read(app, till):
    huge = json.dumps({"sales": [sale(receipt="x" * 1000)] * 2000})
    assert len(huge) > app.config["MAX_CONTENT_LENGTH"]
    before = written(app)
    is_json_error(till.post(huge), 413)
    assert written(app) == before


def test_unknown_addresses_and_methods_under_the_api_are_answered_in_json(app, till):
    is_json_error(till.get("/api/v1/nothing"), 404)
    is_json_error(till.get("/api/v1"), 404)
    is_json_error(app.test_client().get("/api/v1/stock/"), 404)
    wrong = till.client.delete("/api/v1/sales", headers=till.headers())
    is_json_error(wrong, 405)
    assert set(wrong.headers["Allow"].split(", ")) >= {"GET", "POST"}
    is_json_error(till.client.put("/api/v1/stock"), 405)
    assert app.test_client().get("/nothing").mimetype == "text/html"  # pages stay pages


def test_errors_are_indonesian_unless_english_is_asked_for(app, till):
    answer = till.client.post("/api/v1/sales", json={"sales": [sale("NOPE-1")]},
                              headers=till.headers())
    assert answer.get_json()["items"][0]["message"] == "Tidak ada produk dengan SKU NOPE-1."
    bare = app.test_client().get("/api/v1/stock").get_json()["error"]["message"]
    assert bare.startswith("Permintaan ini tidak membawa token API")


# ---- reading the hotel's sales ------------------------------------------------------------

def test_the_sales_are_read_newest_first_a_page_at_a_time_to_the_last(app, till):
    assert till.sell(*[sale("BTK-001", 1, f"B-{n}") for n in range(5)]).status_code == 201
    assert till.sell(sale("BTK-002", 1, "OLD-1", sold_at="2020-12-10 09:00"),
                     sale("BTK-002", 1, "OLD-2", sold_at="2020-12-11 09:00")).status_code == 201
    whole = till.get("/api/v1/sales?since=2020-12-01&limit=1000").get_json()
    assert whole["next_cursor"] is None
    expected = ["B-4", "B-3", "B-2", "B-1", "B-0", "OLD-2", "OLD-1"]
    assert [s["receipt"] for s in whole["sales"]] == expected
    seen, cursor, pages = [], None, 0
    while True:
        address = "/api/v1/sales?since=2020-12-01&limit=2"
        page = till.get(address + (f"&cursor={cursor}" if cursor else "")).get_json()
        seen += [s["receipt"] for s in page["sales"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == expected and pages == 4
    since = till.get("/api/v1/sales?since=2020-12-11T09:00:00%2B07:00").get_json()["sales"]
    assert [s["receipt"] for s in since] == expected[:-1]
    first = whole["sales"][-1]
    assert {k: first[k] for k in ("sku", "qty", "unit_price", "sold_at", "voided")} == {
        "sku": "BTK-002", "qty": 1, "unit_price": 90_000, "sold_at": "2020-12-10T09:00:00+07:00",
        "voided": False}


def test_a_missing_or_bad_since_limit_or_cursor_is_refused_in_json(app, till):
    is_json_error(till.get("/api/v1/sales"), 422, "since")
    is_json_error(till.get("/api/v1/sales?since=kemarin"), 422, "since")
    is_json_error(till.get("/api/v1/sales?since=2020-12-01&limit=0"), 422, "limit")
    is_json_error(till.get("/api/v1/sales?since=2020-12-01&limit=1001"), 422, "limit")
    is_json_error(till.get("/api/v1/sales?since=2020-12-01&limit=x"), 422, "limit")
    for cursor in ("nonsense", "MjAyMC0xMi0xNXwx", "!!!"):
        is_json_error(till.get(f"/api/v1/sales?since=2020-12-01&cursor={cursor}"), 422,
                      "cursor")


# ---- the OpenAPI document is exact ------------------------------------------------------------

def the_spec() -> dict:
    with open(SPEC_FILE) as file:
        return json.load(file)


def test_the_openapi_document_validates_and_is_served_as_it_is_written(app):
    from openapi_spec_validator import validate

    spec = the_spec()
    validate(spec)
    served = app.test_client().get("/api/v1/openapi.json")
    assert served.status_code == 200 and served.mimetype == "application/json"
    assert served.get_json() == spec


def test_the_openapi_document_describes_every_route_of_the_api(app):
    documented = {(method.upper(), "/api/v1" + path) for path, item in
                  the_spec()["paths"].items() for method in item}
    routes = {(method, rule.rule) for rule in app.url_map.iter_rules()
              if rule.rule.startswith("/api/") for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert documented == routes


@contextmanager
def failing(monkeypatch, target, name, error):
    def fail(*_args, **_kwargs):
        raise error

    with monkeypatch.context() as patch:
        patch.setattr(target, name, fail)
        yield


def unreachable():
    return EnvironmentFailure(msg("Cannot use {where}: {why}. Nothing was written.",
                                  where="the database", why="it is down"), field="db")


def real_answers(app, till, monkeypatch):
    """A real answer of each route for each status the document gives it."""
    database = app.extensions["consign.database"]
    answers = {}

    def keep(method, path, status, answer):
        assert answer.status_code == status, (method, path, answer.get_data(as_text=True))
        answers.setdefault((method, path, str(status)), []).append(answer)

    nobody = Till(app, None)
    keep("post", "/sales", 201, till.sell(sale("BTK-001", 1, "S-1")))
    keep("post", "/sales", 200, till.sell(sale("BTK-001", 1, "S-1")))
    keep("post", "/sales", 400, till.post(b"{"))
    keep("post", "/sales", 401, nobody.sell(sale()))
    keep("post", "/sales", 404, till.sell(sale("NOPE-1", 1, "S-2")))
    keep("post", "/sales", 409, till.sell(sale("BTK-001", 2, "S-1")))
    keep("post", "/sales", 413, till.post("x" * (app.config["MAX_CONTENT_LENGTH"] + 1)))
    keep("post", "/sales", 415, till.post(b"{}", "text/csv"))
    keep("post", "/sales", 422, till.post(b"[]"))
    keep("post", "/sales", 422, till.sell(sale("BTK-001", -1, "S-3")))
    keep("get", "/sales", 200, till.get("/api/v1/sales?since=2020-12-01&limit=1"))
    keep("get", "/sales", 401, nobody.get("/api/v1/sales?since=2020-12-01"))
    keep("get", "/sales", 422, till.get("/api/v1/sales?since=2020-13-01"))
    keep("get", "/stock", 200, till.get("/api/v1/stock"))
    keep("get", "/stock", 401, nobody.get("/api/v1/stock"))
    keep("get", "/openapi.json", 200, nobody.get("/api/v1/openapi.json"))
    with failing(monkeypatch, api.ledger, "sell", RuntimeError("a bug")):
        keep("post", "/sales", 500, till.sell(sale("BTK-001", 1, "S-4")))
    with failing(monkeypatch, api.ledger, "movements", RuntimeError("a bug")):
        keep("get", "/sales", 500, till.get("/api/v1/sales?since=2020-12-01"))
    with failing(monkeypatch, api.ledger, "stock", KeyError("a bug")):
        keep("get", "/stock", 500, till.get("/api/v1/stock"))
    with failing(monkeypatch, api, "SPEC", None):
        keep("get", "/openapi.json", 500, nobody.get("/api/v1/openapi.json"))
    with failing(monkeypatch, database, "transaction", unreachable()):
        for method, path, address in (("post", "/sales", "/api/v1/sales"),
                                      ("get", "/sales", "/api/v1/sales?since=2020-12-01"),
                                      ("get", "/stock", "/api/v1/stock"),
                                      ("get", "/openapi.json", "/api/v1/openapi.json")):
            answer = (till.sell(sale()) if method == "post" else till.get(address))
            keep(method, path, 503, answer)
    return answers


def test_every_documented_answer_is_what_the_server_really_answers(app, till, monkeypatch):
    spec = the_spec()
    documented = {(method, path, status) for path, item in spec["paths"].items()
                  for method, operation in item.items() for status in operation["responses"]}
    before = written(app)
    answers = real_answers(app, till, monkeypatch)
    assert set(answers) == documented  # each documented status met, and no other
    responses = spec["components"]["responses"]
    for (method, path, status), met in answers.items():
        described = spec["paths"][path][method]["responses"][status]
        if "$ref" in described:
            described = responses[described["$ref"].rsplit("/", 1)[1]]
        schema = described["content"]["application/json"]["schema"]
        validator = Draft202012Validator({**schema, "components": spec["components"]},
                                         format_checker=FormatChecker())
        for answer in met:
            assert answer.mimetype == "application/json", (method, path, status)
            validator.validate(answer.get_json())
            for header in described.get("headers", {}):
                assert header in answer.headers, (method, path, status, header)
    assert written(app)[0] == before[0] + 1  # the one sale recorded (S-1), nothing else
    sold_at = answers["post", "/sales", "201"][0].get_json()["sales"][0]["sold_at"]
    assert datetime.fromisoformat(sold_at) == NOW.astimezone(UTC)


def test_the_errors_the_document_gives_for_any_address_are_those_answered(app, till):
    described = the_spec()["components"]["schemas"]
    validator = Draft202012Validator({"$ref": "#/components/schemas/Error",
                                      "components": {"schemas": described}})
    for answer in (till.get("/api/v1/nowhere"), till.client.patch("/api/v1/sales")):
        assert answer.status_code in (404, 405)
        validator.validate(answer.get_json())
