"""The point-of-sale API (``/api/v1``): a hotel's till sends its sales and reads its stock,
authenticated by the hotel's API token; every answer, every error too, is JSON.

A request carries ``Authorization: Bearer TOKEN`` (``consign token create``); it acts with
the role of the token's hotel (``hotel:CODE``), so that the services' own permissions and
scope apply to it as to the hotel's staff: another hotel's goods answer as if they did not
exist. A browser's session cookie is no token: the API ignores it.

``POST /sales`` records a batch of sales in one transaction, each with its receipt number
(idempotent by receipt, SPEC section 3): if any sale is refused, none is recorded and the
answer names each refused one. ``GET /stock`` is the hotel's shelf, ``GET /sales?since=``
what consign holds of its sales, newest first, a page at a time. ``GET /openapi.json`` is
the OpenAPI 3.1 description of all of it (``openapi.json`` beside this file, served as it
is written). Errors are ``{"error": {"message", "field"}}`` (a refused batch adds
``items``), in the request's language (Indonesian unless ``?lang=en``).
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import UTC, datetime
from pathlib import Path

from flask import Blueprint, current_app, g, jsonify, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from consign import fields
from consign.context import Context
from consign.errors import ConsignError, InvalidInput
from consign.i18n import msg
from consign.periods import iso, zone
from consign.policy import Role
from consign.services import access, ledger, tokens
from consign.web.auth import now, public
from consign.web.errors import status_of
from consign.web.formats import lang

PREFIX = "/api/v1"
blueprint = Blueprint("api", __name__, url_prefix=PREFIX)
SPEC = Path(__file__).resolve().parent / "openapi.json"
MOST_SALES = 500  # sales in one batch
LIMIT, MOST_LIMIT = 100, 1000  # sales in one page of GET /sales: by default, at most
SALE_FIELDS = {"sku": (str,), "qty": (int,), "receipt": (str,),
               "unit_price": (int, None), "sold_at": (str, None), "payment": (str, None)}
REQUIRED = ("sku", "qty", "receipt")
OUTCOMES = {(False, False): "recorded", (True, False): "already_recorded",
            (True, True): "already_recorded_voided"}


class Refusal(Exception):
    """An answer of the API's own (no token, a body that cannot be read): its status, its
    sentence, the field it concerns, and the refused items of a batch."""

    def __init__(self, status: int, message: str, field: str | None = None,
                 items: list | None = None, headers: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.field = status, message, field
        self.items, self.headers = items, headers or {}


# ---- the routes ----------------------------------------------------------------------------

@blueprint.post("/sales")
@public
def post_sales():
    # all that the request alone says is read before the token's query, which begins the
    # writing transaction (on SQLite, a writer's turn): that turn holds the sales alone
    plain, moment = _bearer(), now().astimezone(UTC)
    try:
        sales, unread = _sales_of(_body()), None
    except Refusal as refusal:
        sales, unread = [], refusal
    tz = zone(current_app.config["CONSIGN_TZ"])
    read = [_read(item, moment, tz) for item in sales]
    ctx = _till(plain, moment, tz)  # a token not in force is said before what the body is
    if unread is not None:
        raise unread
    done, refused = _sell_all(ctx, read)
    if refused:
        raise Refusal(_batch_status(refused), _(
            "%(count)d of the %(total)d sales are refused; nothing was recorded. Correct "
            "them and send the whole batch again.", count=len(refused), total=len(sales)),
            "sales", refused)
    recorded = any(sale["outcome"] == "recorded" for sale in done)
    return jsonify({"sales": done}), 201 if recorded else 200


@blueprint.get("/stock")
@public
def get_stock():
    ctx = _till()
    rows = ledger.stock(g.session, hotel=ctx.role.code, ctx=ctx)
    return jsonify({"hotel": ctx.role.code, "stock": [
        {"sku": row.sku, "name": row.name, "consignor": row.consignor,
         "on_hand": row.on_hand, "unit_price": row.value // row.on_hand} for row in rows]})


@blueprint.get("/sales")
@public
def get_sales():
    ctx = _till()
    since = request.args.get("since")
    if since is None:
        raise Refusal(422, _("since is missing: give the date or moment to list the sales "
                             "from (since=2020-10-05)."), "since")
    since = fields.moment(since, ctx.tz, "since")
    limit = fields.integer(request.args.get("limit", str(LIMIT)), "limit", 1, MOST_LIMIT)
    cursor = request.args.get("cursor")
    page, more = _page(ctx, since, limit, _read_cursor(cursor) if cursor is not None else None)
    return jsonify({"hotel": ctx.role.code, "sales": [_sale(sale, ctx) for sale in page],
                    "next_cursor": _cursor(page[-1]) if more else None})


@blueprint.get("/openapi.json")
@public
def openapi():
    return current_app.response_class(SPEC.read_bytes(), mimetype="application/json")


# ---- who sends the request --------------------------------------------------------------

def _bearer() -> str:
    scheme, _space, plain = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() != "bearer" or not plain.strip():
        raise Refusal(401, _("This request carries no API token: send the hotel's token as "
                             "Authorization: Bearer TOKEN."), "token",
                      headers={"WWW-Authenticate": 'Bearer realm="consign"'})
    return plain.strip()


def _till(plain: str | None = None, moment: datetime | None = None, tz=None) -> Context:
    """The context of the till whose token the request carries (``plain``, read from the
    request unless given), bound to its hotel's role; a request without a token in force
    is refused (401). A GET notes the token's use in a short transaction of its own, since
    its own is a reading one."""
    plain, moment = plain or _bearer(), moment or now()
    database = current_app.extensions["consign.database"]
    if request.method == "GET":
        with database.transaction() as session:
            holder = tokens.authenticate(session, plain, moment)
    else:
        holder = tokens.authenticate(g.session, plain, moment)
    if holder is None:
        raise Refusal(401, _("This API token is not valid: it is unknown or was revoked."),
                      "token", headers={"WWW-Authenticate":
                                        'Bearer realm="consign", error="invalid_token"'})
    role = Role("hotel", holder.hotel)
    access.bind(g.session, role)
    actor = f"api:{holder.token_id} {holder.label}"[:fields.NAME].strip()
    return Context.make(actor, now=moment, tz=tz or current_app.config["CONSIGN_TZ"],
                        role=role)


# ---- POST /sales -------------------------------------------------------------------------

def _body():
    """The request's JSON document (415 for another content type, 400 for a body that is
    no JSON, 413 past the app's MAX_CONTENT_LENGTH)."""
    if request.mimetype != "application/json":
        raise Refusal(415, _("Send the sales as JSON, with the header Content-Type: "
                             "application/json."), "body")
    raw = request.get_data(cache=False)
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise Refusal(400, _("The body is not UTF-8 text."), "body") from None
    except json.JSONDecodeError as error:
        raise Refusal(400, _("The body is not valid JSON (line %(line)d, column %(column)d).",
                             line=error.lineno, column=error.colno), "body") from None
    except (ValueError, RecursionError):  # a number of thousands of digits; nesting too deep
        raise Refusal(400, _("The body is not JSON that consign can read."), "body") from None


def _no_constant(name: str):
    raise ValueError(name)  # NaN and Infinity are not JSON


def _sales_of(body) -> list:
    if not isinstance(body, dict):
        raise Refusal(422, _('The body must be a JSON object: {"sales": [ … ]}.'), "body")
    unknown = sorted(set(body) - {"sales"})
    if unknown:
        raise Refusal(422, _("%(field)s is not a field of the body: it holds only sales.",
                             field=unknown[0]), unknown[0])
    sales = body.get("sales")
    if not isinstance(sales, list) or not 1 <= len(sales) <= MOST_SALES:
        raise Refusal(422, _("sales must be a list of 1 to %(most)d sales.", most=MOST_SALES),
                      "sales")
    return sales


def _read(item, moment: datetime, tz) -> dict | tuple:
    """A sale of the batch as the services are given it: its values read by the services'
    own parsers under the API's names for them (``sold_at``, ``unit_price``), so that a
    refusal names the field as it was sent; or why it is refused (status, sentence, field):
    a JSON type that no sale has, else the first value its parser refuses."""
    problem = _shape_problem(item)
    if problem is not None:
        return (422, *problem)
    try:
        receipt = fields.receipt(item["receipt"])
        if receipt is None:
            raise InvalidInput(msg("receipt is blank"), field="receipt")
        return {"sku": item["sku"], "qty": item["qty"], "receipt": receipt,
                "price": fields.optional_price(item.get("unit_price"), "unit_price"),
                "at": fields.when(item.get("sold_at"), moment, tz, "sold_at"),
                "payment": item.get("payment")}
    except ConsignError as error:
        return (status_of(error), error.fact(lang()), error.field)


def _sell_all(ctx: Context, sales: list) -> tuple[list, list]:
    """Each sale (as :func:`_read` read it) recorded in turn (each in a savepoint of its own
    when there are several, so that a refused one leaves nothing behind for the next to
    count); what was recorded and what was refused."""
    done, refused = [], []
    for index, sale in enumerate(sales):
        if isinstance(sale, tuple):
            refused.append(_refused(index, *sale))
            continue
        try:
            result = _sell_one(ctx, sale, nested=len(sales) > 1)
        except ConsignError as error:
            if error.exit_code == 3:
                raise  # the environment failed: the whole request, not this sale
            refused.append(_refused(index, status_of(error), error.fact(lang()), error.field))
            continue
        done.append(_sold(index, result, ctx))
    return done, refused


def _sell_one(ctx: Context, sale: dict, nested: bool):
    if not nested:
        return ledger.sell(g.session, ctx, ctx.role.code, **sale)
    with g.session.begin_nested():
        return ledger.sell(g.session, ctx, ctx.role.code, **sale)


def _shape_problem(item) -> tuple[str, str | None] | None:
    """Why an item of the batch is no sale the services can be given (a sentence and the
    field), or None: JSON types only; the services check every value."""
    if not isinstance(item, dict):
        return _("Each sale must be a JSON object."), None
    unknown = sorted(set(item) - set(SALE_FIELDS))
    if unknown:
        return _("%(field)s is not a field of a sale: the fields are sku, qty, receipt, "
                 "unit_price, sold_at and payment.", field=unknown[0]), unknown[0]
    for name in REQUIRED:
        if item.get(name) is None:
            if name == "receipt":
                return _("receipt is missing: every sale sent through the API carries its "
                         "receipt number, so that a sale sent again is never sold twice."), name
            return _("%(field)s is missing.", field=name), name
    for name, value in item.items():
        kinds = SALE_FIELDS[name]
        if value is None and None in kinds:
            continue
        if int in kinds and (isinstance(value, bool) or not isinstance(value, int)):
            return _("%(field)s must be a whole number.", field=name), name
        if str in kinds and not isinstance(value, str):
            return _("%(field)s must be a string.", field=name), name
    return None


def _refused(index: int, status: int, message: str, field: str | None) -> dict:
    return {"index": index, "status": status, "message": message, "field": field}


def _batch_status(refused: list) -> int:
    """The status of a refused batch: that of its refused sales when they agree; else 422
    if one is malformed, else 409."""
    statuses = {item["status"] for item in refused}
    if len(statuses) == 1:
        return statuses.pop()
    return 422 if 422 in statuses else 409


def _sold(index: int, result, ctx: Context) -> dict:
    sale = result.movement
    return {"index": index, "outcome": OUTCOMES[result.already_recorded, result.voided],
            "id": sale.id, "sku": sale.sku, "qty": -sale.qty, "unit_price": sale.unit_price,
            "receipt": sale.receipt, "payment": sale.payment, "sold_at": iso(sale.at, ctx.tz)}


# ---- GET /sales --------------------------------------------------------------------------

def _page(ctx: Context, since: datetime, limit: int, cursor: tuple[datetime, int] | None):
    """Up to ``limit`` sales of the hotel from ``since`` on, newest first, after the one
    ``cursor`` names; and whether more follow. A page goes on from the moment of the last
    sale of the one before it (``until``), leaving out the sales of that moment already
    given (those of its id and above: newest first, ties by id)."""
    until, last_id = cursor if cursor is not None else (None, None)
    wanted = limit + 1
    while True:
        found = ledger.movements(g.session, ctx.tz, hotel=ctx.role.code, kind="sold",
                                 since=since, until=until, limit=wanted, ctx=ctx)
        fresh = [sale for sale in found
                 if cursor is None or sale.at < until or sale.id < last_id]
        if len(fresh) > limit or len(found) < wanted:
            return fresh[:limit], len(fresh) > limit
        wanted *= 2  # many sales at the cursor's very moment: look further


def _sale(sale, ctx: Context) -> dict:
    return {"id": sale.id, "sku": sale.sku, "qty": -sale.qty, "unit_price": sale.unit_price,
            "receipt": sale.receipt, "payment": sale.payment, "sold_at": iso(sale.at, ctx.tz),
            "recorded_at": iso(sale.recorded_at, ctx.tz), "voided": not sale.in_force}


def _cursor(sale) -> str:
    text = f"{sale.at.isoformat()}|{sale.id}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _read_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, _bar, number = text.partition("|")
        at, last_id = datetime.fromisoformat(moment), int(number)
        if at.tzinfo is None or last_id < 1:
            raise ValueError(cursor)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise Refusal(422, _("cursor is not one this API gave: give the next_cursor of the "
                             "page before, or leave it out for the first page."),
                      "cursor") from None
    return at, last_id


# ---- every error as JSON ------------------------------------------------------------------

def _answer(status: int, message: str, field: str | None = None, items: list | None = None,
            headers: dict | None = None):
    error = {"message": message, "field": field}
    body = {"error": error, "items": items} if items is not None else {"error": error}
    response = jsonify(body)
    response.status_code = status
    response.headers.update(headers or {})
    return response


def _http_sentence(error: HTTPException) -> str:
    return {
        400: _("This request could not be read."),
        404: _("The API has no such address: see /api/v1/openapi.json."),
        405: _("This address of the API does not take %(method)s.", method=request.method),
        413: _("The body is too large: send fewer sales at a time."),
    }.get(error.code, _("This request cannot be answered."))


def _http_error(error: HTTPException):
    headers = {}
    if error.code == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    return _answer(error.code or 500, _http_sentence(error), None, None, headers)


@blueprint.errorhandler(Refusal)
def _refusal(error: Refusal):
    return _answer(error.status, error.message, error.field, error.items, error.headers)


@blueprint.errorhandler(ConsignError)
def _consign_error(error: ConsignError):
    return _answer(status_of(error), error.fact(lang()), error.field)


@blueprint.errorhandler(HTTPException)
def _http(error: HTTPException):
    return _http_error(error)


@blueprint.errorhandler(Exception)
def _unexpected(error: Exception):
    current_app.logger.exception("unexpected error on %s %s", request.method, request.path)
    return _answer(500, _("Something went wrong on our side. Nothing was saved; try again, "
                          "and tell the agency if it happens again."))


@blueprint.before_app_request
def _unrouted():
    """An address under /api/v1 that no route takes, or a method its route does not take,
    answered in JSON too (the app's pages answer such requests with a page)."""
    error = request.routing_exception
    if (error is not None and (request.path == PREFIX or request.path.startswith(PREFIX + "/"))
            and isinstance(error, HTTPException) and (error.code or 0) >= 400):
        return _http_error(error)
    return None
