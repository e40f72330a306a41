"""Settling and closing a hotel's month, the statements, their PDFs and their payments.

A hotel and a month chosen, the page shows that month's statements as they stand: settling
builds (or rebuilds) the drafts, closing issues them after a confirmation (it cannot be
undone) and the issued ones are listed with their archived PDF and what is still owed. A
payment of an issued statement is recorded on its own page, in part or in full.
"""

from __future__ import annotations

from flask import g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from consign import fields
from consign.errors import ConsignError, InvalidInput, NotFound
from consign.i18n import msg
from consign.services import lookup, registry, settlement
from consign.web.agency_manage import (
    agency,
    blueprint,
    done,
    given,
    may,
    problems,
    typed,
)
from consign.web.errors import status_of
from consign.web.formats import month, pdf_file, rupiah

ARCHIVED = "id"  # the language every issued statement is archived in when it is issued
CHOICE = ("hotel", "period")
PAYMENT = ("on", "ref", "amount")
STATUSES = ("draft", "issued", "overdue", "paid")


# ---- a hotel's month ---------------------------------------------------------------------

@blueprint.get("/periods")
def periods():
    chosen = {name: request.args.get(name, "").strip() for name in CHOICE}
    return _period_page(chosen, {})


def _period_page(chosen: dict, shown: dict, status: int = 200):
    ctx = agency()
    found = None
    try:  # what was chosen is checked even when the other half is missing
        if chosen["hotel"] and chosen["period"]:
            found = settlement.list_statements(g.session, ctx, chosen["period"],
                                               chosen["hotel"])
        elif chosen["period"]:
            fields.period(chosen["period"])
        elif chosen["hotel"]:
            lookup.hotel(g.session, chosen["hotel"], role=ctx.role)
    except ConsignError as error:
        shown = {**problems(error, CHOICE), **shown}
        status = max(status, status_of(error))
    return render_template(
        "agency/manage/periods.html", chosen=chosen, problems=shown, statements=found,
        drafts=[s for s in found or () if s.status == "draft"],
        issued=[s for s in found or () if s.status != "draft"],
        hotels=registry.hotels(g.session, ctx.today, ctx=ctx),
        settles=may("settlement.settle"), closes=may("settlement.close")), status


def _chosen() -> dict:
    return {name: request.form.get(name, "").strip() for name in CHOICE}


@blueprint.post("/periods/settle")
def settle():
    ctx = agency()
    chosen = _chosen()
    try:
        with g.session.begin_nested():
            hotel = fields.code(chosen["hotel"], "hotel")  # one hotel: never all at once
            made = settlement.settle(g.session, ctx, chosen["period"], hotel)
    except ConsignError as error:
        return _period_page(chosen, problems(error, CHOICE, "settle"), status_of(error))
    drafts = sum(1 for record in made if record.status == "draft")
    done(ngettext("Settled %(month)s for %(hotel)s: %(num)d draft statement.",
                  "Settled %(month)s for %(hotel)s: %(num)d draft statements.", drafts,
                  month=month(chosen["period"]), hotel=hotel))
    return redirect(url_for(".periods", hotel=hotel, period=chosen["period"]))


@blueprint.get("/periods/close")
def close_confirm():
    chosen = {name: request.args.get(name, "").strip() for name in CHOICE}
    return _confirm_page(chosen, {})


def _confirm_page(chosen: dict, shown: dict, status: int = 200):
    ctx = agency()
    try:
        settlement.closable(g.session, ctx, chosen["period"], chosen["hotel"])
        hotel = registry.hotel(g.session, chosen["hotel"], ctx.today, ctx=ctx)
        found = settlement.list_statements(g.session, ctx, chosen["period"], hotel.code)
    except ConsignError as error:
        return _period_page(chosen, problems(error, CHOICE, "close"), status_of(error))
    return render_template("agency/manage/close.html", chosen=chosen, hotel=hotel,
                           statements=found, problems=shown), status


@blueprint.post("/periods/close")
def close():
    ctx = agency()
    chosen = _chosen()
    if request.form.get("confirm") != "yes":  # not confirmed: ask first
        return _confirm_page(chosen, {})
    try:
        with g.session.begin_nested():
            issued = settlement.close_period(g.session, ctx, chosen["period"], chosen["hotel"])
    except ConsignError as error:
        return _period_page(chosen, problems(error, CHOICE, "close"), status_of(error))
    hotel = fields.code(chosen["hotel"], "hotel")
    done(ngettext("Closed %(month)s for %(hotel)s: %(num)d statement issued.",
                  "Closed %(month)s for %(hotel)s: %(num)d statements issued.", len(issued),
                  month=month(str(fields.period(chosen["period"]))), hotel=hotel))
    return redirect(url_for(".periods", hotel=hotel, period=str(fields.period(chosen["period"]))))


# ---- the statements ----------------------------------------------------------------------

FILTERS = ("hotel", "consignor", "period", "status")


@blueprint.get("/statements")
def statements():
    ctx = agency()
    chosen = {name: request.args.get(name, "").strip() for name in FILTERS}
    shown, found, status = {}, [], 200
    try:
        found = settlement.list_statements(g.session, ctx, given(chosen["period"]),
                                           given(chosen["hotel"]), given(chosen["consignor"]),
                                           given(chosen["status"]))
    except ConsignError as error:
        shown, status = problems(error, FILTERS, "form"), status_of(error)
    issued = [record for record in found if record.status != "draft"]
    return render_template(
        "agency/manage/statements.html", chosen=chosen, problems=shown, statements=found,
        statuses=STATUSES, hotels=registry.hotels(g.session, ctx.today, ctx=ctx),
        owners=registry.consignors(g.session, ctx=ctx),
        net=sum(record.net for record in issued), paid=sum(record.paid for record in issued),
        owed=sum(record.owed for record in issued)), status


def _issued(ctx, number: str):
    """The issued statement ``number``; a malformed number is no page either."""
    try:
        return settlement.statement(g.session, ctx, number)
    except InvalidInput:
        raise NotFound(msg("No statement {number} has been issued.", number=number),
                       field="number") from None


@blueprint.get("/statements/<number>")
def statement(number):
    ctx = agency()
    record = _issued(ctx, number)
    return _statement_page(record, {"on": ctx.today.isoformat(), "ref": "", "amount": ""}, {})


def _statement_page(record, form: dict, shown: dict, status: int = 200, voiding=None):
    ctx = agency()
    paid = settlement.list_payments(g.session, record.number, ctx=ctx)
    owner = registry.consignor(g.session, record.consignor, ctx=ctx)
    return render_template("agency/manage/statement.html", statement=record, payments=paid,
                           owner=owner, form=form, problems=shown,
                           pays=may("settlement.pay"), voiding=voiding or (None, ""),
                           void_url=lambda payment: url_for(
                               ".void_payment", number=record.number, payment=payment)), status


@blueprint.post("/statements/<number>/pay")
def pay(number):
    ctx = agency()
    record = _issued(ctx, number)
    return record_payment(ctx, record, _statement_page,
                          url_for(".statement", number=record.number))


@blueprint.post("/statements/<number>/payments/<int:payment>/void")
def void_payment(number, payment):
    ctx = agency()
    record = _issued(ctx, number)
    return void_recorded_payment(ctx, record, payment, _statement_page,
                                 url_for(".statement", number=record.number))


def void_recorded_payment(ctx, record, payment_id: int, page, then: str):
    """The payment ``payment_id`` of the issued statement ``record`` voided with the reason
    the form gives (it stays on record, marked void, and the statement owes it again);
    then the way on to ``then``. Refused, the statement's ``page`` again with the void's
    form open as it was typed; a payment of another statement is no payment here."""
    reason = request.form.get("reason", "")
    if all(paid.id != payment_id for paid in settlement.list_payments(
            g.session, record.number, ctx=ctx)):
        raise NotFound(msg("No payment with id {id}.", id=payment_id), field="payment")
    try:
        with g.session.begin_nested():
            voided = settlement.void_payment(g.session, ctx, payment_id, reason)
    except ConsignError as error:
        return page(record, {"on": ctx.today.isoformat(), "ref": "", "amount": ""},
                    problems(error, ("reason",), "void"), status_of(error),
                    voiding=(payment_id, reason))
    done(_("Voided the payment of %(amount)s: %(number)s owes %(owed)s again.",
           amount=rupiah(voided.payment.amount), number=voided.statement.number,
           owed=rupiah(voided.statement.owed)))
    return redirect(then)


def record_payment(ctx, record, page, then: str):
    """The payment the form gives recorded against the issued statement ``record``; then
    the way on to ``then``, saying what it made of the statement (paid in full, or what it
    still owes); refused, the statement's ``page`` again with the form as typed."""
    form = typed(PAYMENT)
    try:
        with g.session.begin_nested():
            paid = settlement.pay(g.session, ctx, record.number, form["on"], form["ref"],
                                  given(form["amount"]))
    except ConsignError as error:
        return page(record, form, problems(error, PAYMENT, "pay"), status_of(error))
    after = paid.statement
    if after.status == "paid":
        done(_("Recorded a payment of %(amount)s: %(number)s is paid in full.",
               amount=rupiah(paid.payment.amount), number=after.number))
    else:
        done(_("Recorded a payment of %(amount)s: %(number)s still owes %(owed)s.",
               amount=rupiah(paid.payment.amount), number=after.number,
               owed=rupiah(after.owed)))
    return redirect(then)


@blueprint.get("/statements/<number>.pdf")
def statement_pdf(number):
    """The issued statement's PDF exactly as archived at its close."""
    ctx = agency()
    record = _issued(ctx, number)
    [(name, data)] = settlement.statement_pdfs(g.session, ctx, record.number, lang=ARCHIVED)
    return pdf_file(data, name)
