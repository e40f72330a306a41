"""A hotel's staff at the front desk: sell (and void a sale), and the shelf.

Every page is of one hotel, named in its address (``/hotel/ATRIA/sell``) and held by the
services to the role of who is logged in: another hotel's pages, sales and voids answer
404, as if they did not exist. A form refused by a service is shown again as it was
typed, with the service's sentence next to its field; nothing of it is written.
"""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from consign import fields
from consign.errors import ConsignError, NotFound
from consign.i18n import msg
from consign.ledger import PAYMENT_METHODS
from consign.services import access, ledger, registry
from consign.web.auth import context
from consign.web.errors import status_of
from consign.web.formats import rupiah, said

blueprint = Blueprint("hotel", __name__, url_prefix="/hotel/<code>")

SELL_FIELDS = ("sku", "qty", "price", "receipt", "payment")
WRITE = "ledger.write"
SHELF = "ledger.count"  # whoever reads a whole hotel's shelf


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
    try:
        with g.session.begin_nested():
            reversal = ledger.void(g.session, ctx, movement, reason)
            if reversal.hotel != fields.code(code, "hotel"):  # a sale of another page's hotel
                raise NotFound(msg("No movement with id {id}.", id=movement), field="movement")
    except ConsignError as error:
        return _sell_page(code, {"qty": "1"}, _problems(error, ("reason",), "void"),
                          status_of(error), voiding=(movement, reason))
    flash(_("Voided the sale of %(qty)d × %(sku)s.", qty=abs(reversal.qty), sku=reversal.sku),
          "done")
    return redirect(url_for(".sell", code=code))


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
                           voiding=voiding or (None, "")), status


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
