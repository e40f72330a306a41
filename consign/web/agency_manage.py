"""The agency's management pages: the registry of hotels, IKM and products, the terms,
the users, and settling and closing a hotel's month with its statements' PDFs.

Every page is the agency's (a hotel's staff or an IKM's owner are refused them, 403); the
services decide what each role may do with them: the administrator registers, changes and
deactivates, an auditor reads the same lists without the forms. A form refused by a
service is shown again as it was typed, with the service's sentence next to its field,
and nothing of it is written; a form that succeeds says so and leads back to a page.
"""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from consign import policy
from consign.contacts import SECTORS
from consign.errors import ConsignError
from consign.services import access, registry, terms
from consign.web.auth import context
from consign.web.errors import status_of
from consign.web.formats import lang, remedy, said

blueprint = Blueprint("manage", __name__, url_prefix="/agency")

AGENCY = "agency.pages"  # what the agency alone uses: every page here
REGISTRY = "registry.write"


def agency():
    """The request's context, once the acting role is known to be the agency's."""
    ctx = context()
    access.require(g.session, ctx, AGENCY)
    return ctx


def may(action: str) -> bool:
    """Whether the person logged in may perform ``action`` at all: which forms a page
    offers (the service refuses the rest in any case)."""
    return g.get("user") is not None and policy.allows(g.user.role, action)


def typed(names: tuple[str, ...]) -> dict:
    return {name: request.form.get(name, "") for name in names}


def given(value: str) -> str | None:
    """An optional value: None where nothing was typed."""
    return value if value.strip() else None


def problems(error: ConsignError, names: tuple[str, ...], whole: str = "form") -> dict:
    """Where a refusal is shown: next to its field; a rule's refusal of the whole (a
    duplicate, an overlap, a closed month) above the form; anything else (a role without
    the right, a record outside its scope) is the error page's."""
    if error.field in names:
        return {error.field: said(error)}
    if status_of(error) == 409:
        return {whole: said(error), **remedy(error)}
    raise error


@blueprint.app_context_processor
def _helpers():
    return {"manage_may": may, "sector_label": sector_label,
            "sectors_shown": lambda codes: [(code, sector_label(code)) for code in codes],
            "hotels_shown": lambda found: [(h.code, f"{h.code} · {h.name}") for h in found],
            "owners_shown": lambda found: [(o.code, f"{o.code} · {o.name}") for o in found],
            "statuses_shown": lambda codes: [(code, status_label(code)) for code in codes]}


def sector_label(code: str) -> str:
    return {"kriya": _("crafts"), "fashion": _("fashion"), "kuliner": _("culinary"),
            "lainnya": _("other")}.get(code, code)


def status_label(code: str) -> str:
    return {"draft": _("draft"), "issued": _("issued"), "overdue": _("overdue"),
            "paid": _("paid")}.get(code, code)


@blueprint.app_template_filter("manage_rate")
def rate_label(rate_bp: int | None) -> str:
    from reports.fmt import rate_label as shown

    return "" if rate_bp is None else shown(rate_bp, lang())


@blueprint.app_template_filter("manage_phone")
def phone_label(stored: str | None) -> str:
    """A phone number in its international form: ``+62 341 403388``."""
    from consign.contacts import phone_display

    return phone_display(stored) if stored else ""


@blueprint.app_template_filter("manage_account")
def account_label(digits: str | None) -> str:
    """A bank account number in groups of four digits."""
    from consign.contacts import account_display

    return account_display(digits) if digits else ""


def done(message: str):
    flash(message, "done")


# ---- hotels ------------------------------------------------------------------------------

HOTEL_ADD = ("code", "name", "commission", "address", "phone", "phri_no")
HOTEL_EDIT = ("name", "address", "phone", "phri_no")


@blueprint.get("/hotels")
def hotels():
    return _hotels_page(dict.fromkeys(HOTEL_ADD, ""), {})


def _hotels_page(form: dict, shown: dict, status: int = 200):
    ctx = agency()
    return render_template("agency/manage/hotels.html", form=form, problems=shown,
                           hotels=registry.hotels(g.session, ctx.today, ctx=ctx),
                           writes=may(REGISTRY)), status


@blueprint.post("/hotels")
def hotel_add():
    ctx = agency()
    form = typed(HOTEL_ADD)
    try:
        with g.session.begin_nested():
            added = registry.add_hotel(g.session, ctx, form["code"], form["name"],
                                       given(form["commission"]), form["address"],
                                       form["phone"], form["phri_no"])
    except ConsignError as error:
        return _hotels_page(form, problems(error, HOTEL_ADD), status_of(error))
    done(_("Registered hotel %(code)s, %(name)s.", code=added.code, name=added.name))
    return redirect(url_for(".hotel", code=added.code))


@blueprint.get("/hotels/<code>")
def hotel(code):
    ctx = agency()
    found = registry.hotel(g.session, code, ctx.today, ctx=ctx)
    return _hotel_page(found, _hotel_form(found), {})


def _hotel_form(found) -> dict:
    return {"name": found.name, "address": found.address or "", "phone": found.phone or "",
            "phri_no": found.phri_no or ""}


def _hotel_page(found, form: dict, shown: dict, status: int = 200):
    ctx = agency()
    return render_template("agency/manage/hotel.html", hotel=found, form=form,
                           problems=shown, writes=may(REGISTRY),
                           terms=terms.list_terms(g.session, found.code, ctx=ctx)), status


@blueprint.post("/hotels/<code>")
def hotel_edit(code):
    ctx = agency()
    found = registry.hotel(g.session, code, ctx.today, ctx=ctx)
    form = typed(HOTEL_EDIT)
    try:
        with g.session.begin_nested():
            edit = registry.edit_hotel(g.session, ctx, found.code, **form)
    except ConsignError as error:
        return _hotel_page(found, form, problems(error, HOTEL_EDIT), status_of(error))
    _edited(edit, found.code)
    return redirect(url_for(".hotel", code=found.code))


def _edited(edit, key: str) -> None:
    if edit.changed:
        done(_("Saved the changes to %(code)s.", code=key))
    else:
        done(_("Nothing was changed: %(code)s already reads so.", code=key))


@blueprint.post("/hotels/<code>/deactivate")
def hotel_deactivate(code):
    ctx = agency()
    found = registry.hotel(g.session, code, ctx.today, ctx=ctx)
    try:
        with g.session.begin_nested():
            registry.deactivate(g.session, ctx, "hotel", found.code)
    except ConsignError as error:
        return _hotel_page(found, _hotel_form(found), problems(error, (), "deactivate"),
                           status_of(error))
    done(_("Hotel %(code)s is deactivated: it keeps its history and takes no new goods or "
           "sales.", code=found.code))
    return redirect(url_for(".hotel", code=found.code))


# ---- IKM ---------------------------------------------------------------------------------

IKM_ADD = ("code", "name", "owner", "sector", "nib", "phone", "email", "address", "bank",
           "account", "holder", "description", "public_contact")
IKM_EDIT = ("name", "owner", "nib", "phone", "email", "address", "bank", "account", "holder",
            "public", "description", "public_contact")
CONSENTS = ("public", "public_contact")  # yes or no, shown as a choice


@blueprint.get("/ikm")
def consignors():
    return _consignors_page(dict.fromkeys(IKM_ADD, ""), {})


def _consignors_page(form: dict, shown: dict, status: int = 200):
    ctx = agency()
    return render_template("agency/manage/consignors.html", form=form, problems=shown,
                           owners=registry.consignors(g.session, ctx=ctx), sectors=SECTORS,
                           writes=may(REGISTRY)), status


@blueprint.post("/ikm")
def consignor_add():
    ctx = agency()
    form = typed(IKM_ADD)
    try:
        with g.session.begin_nested():
            added = registry.add_consignor(g.session, ctx, **form)
    except ConsignError as error:
        return _consignors_page(form, problems(error, IKM_ADD), status_of(error))
    done(_("Registered IKM %(code)s, %(name)s.", code=added.code, name=added.name))
    return redirect(url_for(".consignor", code=added.code))


@blueprint.get("/ikm/<code>")
def consignor(code):
    ctx = agency()
    found = registry.consignor(g.session, code, ctx=ctx)
    return _consignor_page(found, _consignor_form(found), {})


def _consignor_form(found) -> dict:
    form = {name: getattr(found, name) or "" for name in IKM_EDIT if name not in CONSENTS}
    form.update({name: "yes" if getattr(found, name) else "no" for name in CONSENTS})
    return form


def _consignor_page(found, form: dict, shown: dict, status: int = 200):
    ctx = agency()
    return render_template("agency/manage/consignor.html", owner=found, form=form,
                           problems=shown, writes=may(REGISTRY),
                           products=registry.products(g.session, found.code, ctx=ctx)), status


@blueprint.post("/ikm/<code>")
def consignor_edit(code):
    ctx = agency()
    found = registry.consignor(g.session, code, ctx=ctx)
    form = typed(IKM_EDIT)
    try:
        with g.session.begin_nested():
            edit = registry.edit_consignor(g.session, ctx, found.code, **{
                **form, "public_contact": given(form["public_contact"])})
    except ConsignError as error:
        return _consignor_page(found, form, problems(error, IKM_EDIT), status_of(error))
    _edited(edit, found.code)
    return redirect(url_for(".consignor", code=found.code))


@blueprint.post("/ikm/<code>/deactivate")
def consignor_deactivate(code):
    ctx = agency()
    found = registry.consignor(g.session, code, ctx=ctx)
    try:
        with g.session.begin_nested():
            registry.deactivate(g.session, ctx, "consignor", found.code)
    except ConsignError as error:
        return _consignor_page(found, _consignor_form(found),
                               problems(error, (), "deactivate"), status_of(error))
    done(_("IKM %(code)s is deactivated: it keeps its history and takes no new placements "
           "or sales.", code=found.code))
    return redirect(url_for(".consignor", code=found.code))


# products and terms, the users, and settling and closing: more pages of this blueprint
from consign.web import agency_manage_delivery, agency_manage_periods, agency_manage_products, agency_manage_tokens, agency_manage_users  # noqa: E402, F401, I001, E501
