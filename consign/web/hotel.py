"""A hotel's staff at the front desk: sell (and void a sale, today's or an earlier day's),
and the shelf.

Every page is of one hotel, named in its address (``/hotel/ATRIA/sell``) and held by the
services to the role of who is logged in: another hotel's pages, sales and voids answer
404, as if they did not exist. A form refused by a service is shown again as it was
typed, with the service's sentence next to its field; nothing of it is written.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from consign import fields
from consign.errors import ConsignError, InvalidInput, NotFound
from consign.i18n import msg
from consign.ledger import PAYMENT_METHODS
from consign.periods import FIRST_DAY
from consign.services import access, ledger, registry
from consign.web.auth import context
from consign.web.errors import status_of
from consign.web.formats import rupiah, said

blueprint = Blueprint("hotel", __name__, url_prefix="/hotel/<code>")

SELL_FIELDS = ("sku", "qty", "price", "receipt", "payment")
WRITE = "ledger.write"
SHELF = "hotel.pages"  # whoever reads a whole hotel's shelf, count and statements


@blueprint.get("/")
def index(code):
    return redirect(url_for(".sell", code=code))


@blueprint.get("/sell")
def sell(code):
    access.require_at(g.session, context(), WRITE, code)
    return _sell_page(code, {"qty": "1"}, {})


@blueprint.post("/sell")
def sell_post(code):
    ctx = context()
    form = {name: request.form.get(name, "") for name in SELL_FIELDS}
    try:
        with g.session.begin_nested():
            result = ledger.sell(g.session, ctx, code, form["sku"], form["qty"],
                                 form["price"] or None, None, form["receipt"] or None,
                                 form["payment"] or None)
    except ConsignError as error:
        return _sell_page(code, form, _problems(error, SELL_FIELDS, "form"), status_of(error))
    flash(_sold(result), "done")
    return redirect(url_for(".sell", code=code))


def _sold(result) -> str:
    sale = result.movement
    qty = -sale.qty
    if result.voided:
        return _("Receipt %(receipt)s: %(qty)d × %(sku)s is already recorded and was voided; "
                 "nothing changed.", receipt=sale.receipt, qty=qty, sku=sale.sku)
    if result.already_recorded:
        return _("Receipt %(receipt)s: %(qty)d × %(sku)s is already recorded; nothing "
                 "changed.", receipt=sale.receipt, qty=qty, sku=sale.sku)
    return _("Sold %(qty)d × %(sku)s for %(amount)s (%(price)s each).", qty=qty, sku=sale.sku,
             amount=rupiah(qty * sale.unit_price), price=rupiah(sale.unit_price))


@blueprint.post("/sales/<int:movement>/void")
def void(code, movement):
    ctx = context()
    access.require_at(g.session, ctx, WRITE, code)
    reason = request.form.get("reason", "")
    day = None
    try:
        day = _day(request.form.get("day"), ctx) if request.form.get("day") else None
        with g.session.begin_nested():
            reversal = ledger.void(g.session, ctx, movement, reason)
            if reversal.hotel != fields.code(code, "hotel"):  # a sale of another page's hotel
                raise NotFound(msg("No movement with id {id}.", id=movement), field="movement")
    except ConsignError as error:
        shown, voiding = _problems(error, ("reason",), "void"), (movement, reason)
        if day is not None:
            return _sales_page(code, day, shown, status_of(error), voiding)
        return _sell_page(code, {"qty": "1"}, shown, status_of(error), voiding=voiding)
    flash(_("Voided the sale of %(qty)d × %(sku)s.", qty=abs(reversal.qty), sku=reversal.sku),
          "done")
    if day is not None:
        return redirect(url_for(".sales", code=code, day=day.isoformat()))
    return redirect(url_for(".sell", code=code))


@blueprint.get("/sales")
def sales(code):
    """One day's sales at the hotel (today's unless ``day`` says), each with its void."""
    ctx = context()
    access.require_at(g.session, ctx, WRITE, code)
    try:
        day = _day(request.args.get("day"), ctx)
    except ConsignError as error:
        return _sales_page(code, ctx.today, {"day": said(error)}, status_of(error))
    return _sales_page(code, day, {})


def _day(value, ctx):
    """The day a form names (today when it names none), from the first of the programme to
    today."""
    if value is None or not value.strip():
        return ctx.today
    day = fields.day(value, "day")
    if day > ctx.today:
        raise InvalidInput(msg("{field} {day} is after today, {today}: no sale has been made "
                               "on it yet.", field="day", day=day.isoformat(),
                               today=ctx.today.isoformat()), field="day")
    return day


def _sales_page(code: str, day, problems: dict, status: int = 200, voiding=None):
    ctx = context()
    hotel = registry.hotel(g.session, code, ctx.today, ctx=ctx)
    found = ledger.movements(g.session, ctx.tz, hotel=hotel.code, kind="sold", since=day,
                             until=day, ctx=ctx)
    kept = [sale for sale in found if sale.in_force]
    return render_template(
        "hotel/sales.html", hotel=hotel, page="sell", day=day, sales=found,
        problems=problems, voiding=voiding or (None, ""), today=ctx.today,
        earlier=day - timedelta(days=1) if day > FIRST_DAY else None,
        later=day + timedelta(days=1) if day < ctx.today else None,
        units=sum(-sale.qty for sale in kept),
        amount=sum(-sale.qty * sale.unit_price for sale in kept)), status


def _problems(error: ConsignError, names: tuple[str, ...], whole: str) -> dict:
    """Where a refusal is shown on its form: next to its field; a rule's refusal of the
    whole (not enough stock, a closed period) above the form; anything else (another
    hotel's page, a role without the right) is the error page's."""
    if error.field in names:
        return {error.field: said(error)}
    if status_of(error) == 409:
        return {whole: said(error)}
    raise error


def _sell_page(code: str, form: dict, problems: dict, status: int = 200, voiding=None):
    ctx = context()
    hotel = registry.hotel(g.session, code, ctx.today, ctx=ctx)
    sales = ledger.movements(g.session, ctx.tz, hotel=hotel.code, kind="sold", since=ctx.today,
                             until=ctx.today, ctx=ctx)
    shelf = ledger.stock(g.session, hotel=hotel.code, tz=ctx.tz, now=ctx.now, ctx=ctx)
    return render_template("hotel/sell.html", hotel=hotel, form=form, problems=problems,
                           sales=sales, shelf=shelf, methods=PAYMENT_METHODS,
                           voiding=voiding or (None, ""),
                           yesterday=ctx.today - timedelta(days=1)), status


@blueprint.get("/shelf")
def shelf(code):
    ctx = context()
    access.require_at(g.session, ctx, SHELF, code)
    hotel = registry.hotel(g.session, code, ctx.today, ctx=ctx)
    rows = ledger.stock(g.session, hotel=hotel.code, tz=ctx.tz, now=ctx.now, ctx=ctx)
    return render_template("hotel/shelf.html", hotel=hotel, rows=rows,
                           due=sum(1 for row in rows if row.due_back))


# receiving, returning and writing off goods, and the hotel's statements: more pages of
# this blueprint
from consign.web import hotel_accounts, hotel_goods  # noqa: E402, F401
