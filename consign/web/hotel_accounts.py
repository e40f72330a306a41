"""A hotel's own statements: what it owes each IKM for each month and what it has paid,
each statement's lines and archived PDF, and a payment recorded against it (or one entered
by mistake voided, with its reason); and its months settled and closed (SPEC section 6:
a hotel's staff read their statements, settle and close their hotel's months and record
their payments).

A month chosen on the statements page shows its drafts with the buttons that settle it
(again) and close it; closing asks first, as the agency's page does, since it cannot be
undone, and only when the close can happen (``settlement.closable``).

Every page is of the hotel its address names; another hotel's statement answers 404, as if
it did not exist, whatever its number. The agency's pages of the same statements are in
:mod:`consign.web.agency_manage_periods`; both show a statement with one template.
"""

from __future__ import annotations

from flask import g, redirect, render_template, request, url_for
from flask_babel import ngettext

from consign import fields
from consign.errors import ConsignError, InvalidInput, NotFound
from consign.i18n import msg
from consign.services import access, registry, settlement
from consign.web.agency_manage import done, given, may, problems
from consign.web.agency_manage_periods import (
    ARCHIVED,
    STATUSES,
    record_payment,
    void_recorded_payment,
)
from consign.web.auth import context
from consign.web.errors import status_of
from consign.web.formats import month, pdf_file
from consign.web.hotel import SHELF, blueprint

FILTERS = ("period", "status")
PAY, SETTLE, CLOSE = "settlement.pay", "settlement.settle", "settlement.close"


@blueprint.get("/statements")
def statements(code):
    chosen = {name: request.args.get(name, "").strip() for name in FILTERS}
    return _statements_page(code, chosen, {})


def _statements_page(code: str, chosen: dict, shown: dict, status: int = 200):
    ctx = context()
    access.require_at(g.session, ctx, SHELF, code)
    hotel = registry.hotel(g.session, code, ctx.today, ctx=ctx)
    found, the_month = [], None
    try:
        found = settlement.list_statements(g.session, ctx, given(chosen["period"]), hotel.code,
                                           status=given(chosen["status"]))
        if chosen["period"]:
            the_month = str(fields.period(chosen["period"]))
    except ConsignError as error:
        shown, status = {**problems(error, FILTERS, "form"), **shown}, status_of(error)
    issued = [record for record in found if record.status != "draft"]
    latest = settlement.closed_through(g.session, ctx, hotel.code)
    closed = the_month is not None and latest is not None and the_month <= latest
    closable = the_month is not None and not closed and may(CLOSE) and _closable(
        ctx, the_month, hotel.code)
    if the_month is not None and not closed:  # the month's own statements, whatever shown
        month_statements = found if not chosen["status"] else settlement.list_statements(
            g.session, ctx, the_month, hotel.code)
        drafts = any(record.status == "draft" for record in month_statements)
    else:
        drafts = False
    return render_template(
        "hotel/statements.html", hotel=hotel, page="statements", chosen=chosen,
        problems=shown, statements=found, statuses=STATUSES, month_chosen=the_month,
        month_open=the_month is not None and not closed, drafts=drafts,
        settles=may(SETTLE), closes=closable,
        net=sum(record.net for record in issued), paid=sum(record.paid for record in issued),
        owed=sum(record.owed for record in issued)), status


def _closable(ctx, period: str, hotel: str) -> bool:
    try:
        settlement.closable(g.session, ctx, period, hotel)
    except ConsignError:
        return False
    return True


def _month_form() -> dict:
    return {"period": request.form.get("period", "").strip(), "status": ""}


@blueprint.post("/periods/settle")
def settle(code):
    """The hotel's month settled: its draft statements built (again) from the ledger."""
    ctx = context()
    chosen = _month_form()
    try:
        with g.session.begin_nested():
            made = settlement.settle(g.session, ctx, chosen["period"], code)
    except ConsignError as error:
        return _statements_page(code, chosen, problems(error, FILTERS, "month"),
                                status_of(error))
    drafts = sum(1 for record in made if record.status == "draft")
    hotel = fields.code(code, "hotel")
    done(ngettext("Settled %(month)s for %(hotel)s: %(num)d draft statement.",
                  "Settled %(month)s for %(hotel)s: %(num)d draft statements.", drafts,
                  month=month(chosen["period"]), hotel=hotel))
    return redirect(url_for(".statements", code=hotel, period=chosen["period"]))


@blueprint.get("/periods/close")
def close_confirm(code):
    chosen = {"period": request.args.get("period", "").strip(), "status": ""}
    return _confirm_page(code, chosen)


def _confirm_page(code: str, chosen: dict):
    ctx = context()
    try:
        settlement.closable(g.session, ctx, chosen["period"], code)
        hotel = registry.hotel(g.session, code, ctx.today, ctx=ctx)
        found = settlement.list_statements(g.session, ctx, chosen["period"], hotel.code)
    except ConsignError as error:
        return _statements_page(code, chosen, problems(error, FILTERS, "month"),
                                status_of(error))
    return render_template("hotel/close.html", hotel=hotel, page="statements", chosen=chosen,
                           statements=found, problems={})


@blueprint.post("/periods/close")
def close(code):
    """The hotel's month closed, once confirmed: its statements issued with their PDF."""
    ctx = context()
    chosen = _month_form()
    if request.form.get("confirm") != "yes":  # not confirmed: ask first
        return _confirm_page(code, chosen)
    try:
        with g.session.begin_nested():
            issued = settlement.close_period(g.session, ctx, chosen["period"], code)
    except ConsignError as error:
        return _statements_page(code, chosen, problems(error, FILTERS, "month"),
                                status_of(error))
    hotel, period = fields.code(code, "hotel"), str(fields.period(chosen["period"]))
    done(ngettext("Closed %(month)s for %(hotel)s: %(num)d statement issued.",
                  "Closed %(month)s for %(hotel)s: %(num)d statements issued.", len(issued),
                  month=month(period), hotel=hotel))
    return redirect(url_for(".statements", code=hotel, period=period))


def _issued(ctx, code: str, number: str):
    """The issued statement ``number`` of the hotel ``code``; any other (a malformed number,
    a draft, another hotel's) is no page here."""
    access.require_at(g.session, ctx, SHELF, code)
    missing = NotFound(msg("No statement {number} has been issued.", number=number),
                       field="number")
    try:
        record = settlement.statement(g.session, ctx, number)
    except InvalidInput:
        raise missing from None
    if record.hotel != fields.code(code, "hotel"):
        raise missing
    return record


@blueprint.get("/statements/<number>")
def statement(code, number):
    ctx = context()
    record = _issued(ctx, code, number)
    return _statement_page(record, {"on": ctx.today.isoformat(), "ref": "", "amount": ""}, {})


def _statement_page(record, form: dict, shown: dict, status: int = 200, voiding=None):
    ctx = context()
    hotel = registry.hotel(g.session, record.hotel, ctx.today, ctx=ctx)
    paid = settlement.list_payments(g.session, record.number, ctx=ctx)
    owner = registry.consignor(g.session, record.consignor, ctx=ctx)
    return render_template(
        "hotel/statement.html", hotel=hotel, page="statements", statement=record,
        payments=paid, owner=owner, form=form, problems=shown, pays=may(PAY),
        voiding=voiding or (None, ""),
        void_url=lambda payment: url_for(".void_payment", code=hotel.code,
                                         number=record.number, payment=payment),
        pdf=url_for(".statement_pdf", code=hotel.code, number=record.number),
        pay=url_for(".pay", code=hotel.code, number=record.number)), status


@blueprint.post("/statements/<number>/pay")
def pay(code, number):
    ctx = context()
    record = _issued(ctx, code, number)
    access.require_at(g.session, ctx, PAY, code)
    return record_payment(ctx, record, _statement_page,
                          url_for(".statement", code=record.hotel, number=record.number))


@blueprint.post("/statements/<number>/payments/<int:payment>/void")
def void_payment(code, number, payment):
    ctx = context()
    record = _issued(ctx, code, number)
    access.require_at(g.session, ctx, PAY, code)
    return void_recorded_payment(ctx, record, payment, _statement_page,
                                 url_for(".statement", code=record.hotel, number=record.number))


@blueprint.get("/statements/<number>.pdf")
def statement_pdf(code, number):
    """The issued statement's PDF exactly as archived at its close."""
    ctx = context()
    record = _issued(ctx, code, number)
    [(name, data)] = settlement.statement_pdfs(g.session, ctx, record.number, lang=ARCHIVED)
    return pdf_file(data, name)
