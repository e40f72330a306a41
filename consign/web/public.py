"""The public pages, without a login: a product as its label's QR code opens it, the
programme's catalogue, and the check of a statement's verification code.

Each shows the same to everyone, logged in or not, and only what the services make
public (SPEC section 6): the products of the IKM that agreed to appear, their IKM's
public profile (phone and e-mail only if it agreed to those too), their price and the
partner hotels where they are on the shelf now, without a count of units; of a statement,
only what a genuine paper says (parties, period, net), and nothing for a wrong code. Every
page is a GET, read in a read-only transaction; the forms need no script and no cookie.
"""

from __future__ import annotations

from flask import Blueprint, g, render_template, request

from consign.contacts import SECTORS
from consign.errors import ConsignError, InvalidInput
from consign.services import registry, verify
from consign.web.auth import now, public
from consign.web.formats import said

blueprint = Blueprint("public", __name__)


@blueprint.get("/p/<sku>")
@public
def product(sku):
    """A product's page: what its price label's QR code opens."""
    found = registry.public_product(g.session, sku, now())
    return render_template("public/product.html", product=found,
                           prices=_prices(found.shelves), page="product")


def _prices(shelves) -> tuple[int, int] | None:
    """The lowest and the highest price of a product on the shelves, if it is on one."""
    amounts = [shelf.price for shelf in shelves]
    return (min(amounts), max(amounts)) if amounts else None


FILTERS = ("sector", "hotel", "page")


@blueprint.get("/katalog")
@public
def catalogue():
    """The programme's catalogue, of one sector and one hotel if asked (GET parameters)."""
    form = {name: request.args.get(name, "").strip() for name in FILTERS}
    problems, found, status = {}, None, 200
    try:
        found = registry.catalogue(g.session, now(), form["sector"], form["hotel"],
                                   form["page"])
    except InvalidInput as error:
        problems, status = {error.field or "form": said(error)}, 422
    hotels = registry.catalogue_hotels(g.session, now())
    chosen = next((h for h in hotels if h.hotel == form["hotel"].upper()), None)
    return render_template("public/catalogue.html", form=form, problems=problems,
                           found=found, hotels=hotels, chosen=chosen, sectors=SECTORS,
                           prices=_prices, page="catalogue"), status


@blueprint.get("/verify")
@public
def check():
    """A statement's number and the code printed on it: genuine, or not."""
    form = {name: request.args.get(name, "") for name in ("number", "code")}
    asked = any(value.strip() for value in form.values())
    problems, genuine, status = {}, None, 200
    if asked:
        try:
            genuine = verify.check(g.session, form["number"], form["code"])
        except ConsignError as error:
            if error.field not in form:
                raise
            problems, status = {error.field: said(error)}, 422
    return render_template("public/verify.html", form=form, problems=problems,
                           asked=asked and not problems, genuine=genuine,
                           page="verify"), status
