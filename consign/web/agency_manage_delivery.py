"""Handing each IKM its statements of a month, for the administrator: the month's issued
statements (of one hotel, if chosen), each with where its e-mail stands (sent, and when;
not sent yet; no address) and, for an IKM with a mobile number, a WhatsApp link with the
message filled in, to send from the phone in one tap; an IKM with neither is "to print".

A reading page (``statement send --dry-run`` of the same services): it sends and writes
nothing; the e-mail itself goes through the outbox, never from inside a web request."""

from __future__ import annotations

from flask import g, render_template, request

from consign.errors import ConsignError
from consign.services import access, delivery, registry
from consign.web.agency_manage import agency, blueprint, given, problems
from consign.web.errors import status_of

CHOICE = ("period", "hotel")


@blueprint.get("/deliveries")
def deliveries():
    ctx = agency()
    access.require(g.session, ctx, delivery.SEND)  # statement send's own permission
    chosen = {name: request.args.get(name, "").strip() for name in CHOICE}
    shown, plan, status = {}, None, 200
    if chosen["period"]:
        try:
            plan = delivery.prepare(g.session, ctx, chosen["period"], given(chosen["hotel"]),
                                    dry_run=True)
        except ConsignError as error:
            shown, status = problems(error, CHOICE, "form"), status_of(error)
    return render_template(
        "agency/manage/deliveries.html", page="deliveries", chosen=chosen, problems=shown,
        plan=plan, hotels=registry.hotels(g.session, ctx.today, ctx=ctx)), status
