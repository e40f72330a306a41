"""The agency's products (listed by IKM, added, changed, deactivated) and commission terms
(a hotel's default rate or a hotel and IKM pair's own, each from a day on)."""

from __future__ import annotations

from flask import g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from consign.errors import ConsignError
from consign.services import registry, terms
from consign.web.agency_manage import (
    REGISTRY,
    agency,
    blueprint,
    done,
    given,
    may,
    problems,
    rate_label,
    typed,
)
from consign.web.errors import status_of
from consign.web.formats import rupiah, said

PRODUCT_ADD = ("sku", "consignor", "name", "price", "category")
PRODUCT_EDIT = ("name", "price", "category")


# ---- products ----------------------------------------------------------------------------

@blueprint.get("/products")
def products():
    return _products_page(dict.fromkeys(PRODUCT_ADD, ""), {})


def _products_page(form: dict, shown: dict, status: int = 200):
    ctx = agency()
    chosen = request.args.get("consignor", "").strip()
    try:
        found = registry.products(g.session, chosen or None, ctx=ctx)
    except ConsignError as error:  # an IKM code that is not one: said by the filter
        shown, found = {**shown, "filter": said(error)}, []
        status = max(status, status_of(error))
    return render_template("agency/manage/products.html", form=form, problems=shown,
                           products=found, chosen=chosen, writes=may(REGISTRY),
                           owners=registry.consignors(g.session, ctx=ctx)), status


@blueprint.post("/products")
def product_add():
    ctx = agency()
    form = typed(PRODUCT_ADD)
    try:
        with g.session.begin_nested():
            added = registry.add_product(g.session, ctx, form["sku"], form["consignor"],
                                         form["name"], form["price"], form["category"])
    except ConsignError as error:
        return _products_page(form, problems(error, PRODUCT_ADD), status_of(error))
    done(_("Registered product %(sku)s, %(name)s, at %(price)s.", sku=added.sku,
           name=added.name, price=rupiah(added.price)))
    return redirect(url_for(".product", sku=added.sku))


@blueprint.get("/products/<sku>")
def product(sku):
    ctx = agency()
    found = registry.product(g.session, sku, located=True, ctx=ctx)
    return _product_page(found, _product_form(found), {})


def _product_form(found) -> dict:
    return {"name": found.name, "price": str(found.price), "category": found.category or ""}


def _product_page(found, form: dict, shown: dict, status: int = 200):
    ctx = agency()
    return render_template("agency/manage/product.html", product=found, form=form,
                           problems=shown, writes=may(REGISTRY),
                           owner=registry.consignor(g.session, found.consignor, ctx=ctx)
                           ), status


@blueprint.post("/products/<sku>")
def product_edit(sku):
    ctx = agency()
    found = registry.product(g.session, sku, located=True, ctx=ctx)
    form = typed(PRODUCT_EDIT)
    try:
        with g.session.begin_nested():
            edit = registry.edit_product(g.session, ctx, found.sku, **form)
    except ConsignError as error:
        return _product_page(found, form, problems(error, PRODUCT_EDIT), status_of(error))
    if edit.changed:
        done(_("Saved the changes to %(code)s.", code=found.sku))
    else:
        done(_("Nothing was changed: %(code)s already reads so.", code=found.sku))
    return redirect(url_for(".product", sku=found.sku))


@blueprint.post("/products/<sku>/deactivate")
def product_deactivate(sku):
    ctx = agency()
    found = registry.product(g.session, sku, located=True, ctx=ctx)
    try:
        with g.session.begin_nested():
            registry.deactivate(g.session, ctx, "product", found.sku)
    except ConsignError as error:
        return _product_page(found, _product_form(found), problems(error, (), "deactivate"),
                             status_of(error))
    done(_("Product %(sku)s is deactivated: it keeps its history and takes no new "
           "placements or sales.", sku=found.sku))
    return redirect(url_for(".product", sku=found.sku))


# ---- terms -------------------------------------------------------------------------------

TERMS = ("hotel", "consignor", "commission", "from", "to", "display_days", "payment_days")
TERMS_WRITE = "terms.write"


@blueprint.get("/terms")
def terms_page():
    return _terms_page(dict.fromkeys(TERMS, ""), {})


def _terms_page(form: dict, shown: dict, status: int = 200):
    ctx = agency()
    hotel = request.args.get("hotel", "").strip()
    consignor = request.args.get("consignor", "").strip()
    try:
        found = terms.list_terms(g.session, hotel or None, consignor or None, ctx=ctx)
    except ConsignError as error:
        shown, found = {**shown, "filter": said(error)}, []
        status = max(status, status_of(error))
    return render_template("agency/manage/terms.html", form=form, problems=shown,
                           terms=found, chosen={"hotel": hotel, "consignor": consignor},
                           hotels=registry.hotels(g.session, ctx.today, ctx=ctx),
                           owners=registry.consignors(g.session, ctx=ctx),
                           writes=may(TERMS_WRITE)), status


@blueprint.post("/terms")
def terms_set():
    ctx = agency()
    form = typed(TERMS)
    try:
        with g.session.begin_nested():
            made = terms.set_terms(
                g.session, ctx, form["hotel"], form["commission"], given(form["consignor"]),
                given(form["from"]), given(form["to"]), given(form["display_days"]),
                given(form["payment_days"]))
    except ConsignError as error:
        return _terms_page(form, problems(error, TERMS), status_of(error))
    scope = f"{made.hotel} / {made.consignor}" if made.consignor else made.hotel
    done(_("Set the commission of %(scope)s to %(rate)s.", scope=scope,
           rate=rate_label(made.rate_bp)))
    return redirect(url_for(".terms_page", hotel=made.hotel))
