"""An IKM's owner: where their goods are and how many, what sold this month, their
statements (with each issued one's PDF) and what is due back from the hotels.

Every page is of one IKM, named in its address (``/ikm/IKM-0001/sales``) and held by the
services to the role of who is logged in: another IKM's pages and documents answer 404,
as if they did not exist; a hotel's staff see only what of the IKM is at their hotel.
"""

from __future__ import annotations

from flask import Blueprint, g, render_template, request

from consign.errors import InvalidInput, NotFound
from consign.i18n import msg
from consign.periods import local_date
from consign.services import ledger, registry, settlement
from consign.web.auth import context
from consign.web.formats import pdf_file

blueprint = Blueprint("owner", __name__, url_prefix="/ikm/<code>")

ARCHIVED = "id"  # the language every issued statement is archived in when it is issued


@blueprint.get("/")
def goods(code):
    ctx = context()
    owner = registry.consignor(g.session, code, ctx=ctx)
    rows = ledger.stock(g.session, consignor=owner.code, tz=ctx.tz, now=ctx.now, ctx=ctx)
    return render_template("owner/goods.html", owner=owner, rows=rows, page="goods",
                           units=sum(row.on_hand for row in rows),
                           value=sum(row.value or 0 for row in rows),
                           due=sum(1 for row in rows if row.due_back))


@blueprint.get("/sales")
def sales(code):
    """The month's sales of the IKM's goods so far, at every hotel, newest first."""
    ctx = context()
    owner = registry.consignor(g.session, code, ctx=ctx)
    since = ctx.today.replace(day=1)
    found = ledger.movements(g.session, ctx.tz, consignor=owner.code, kind="sold",
                             since=since, until=ctx.today, ctx=ctx)
    sold = [sale for sale in found if sale.in_force]
    days = [(local_date(sale.at, ctx.tz), sale) for sale in sold]
    return render_template("owner/sales.html", owner=owner, page="sales", sales=days,
                           since=since, today=ctx.today,
                           units=sum(-sale.qty for sale in sold),
                           amount=sum(-sale.qty * sale.unit_price for sale in sold))


@blueprint.get("/statements")
def statements(code):
    ctx = context()
    owner = registry.consignor(g.session, code, ctx=ctx)
    found = settlement.list_statements(g.session, ctx, consignor=owner.code)
    issued = [record for record in found if record.status != "draft"]
    return render_template("owner/statements.html", owner=owner, page="statements",
                           statements=found, net=sum(record.net for record in issued),
                           paid=sum(record.paid for record in issued),
                           owed=sum(record.owed for record in issued))


@blueprint.get("/statements/<number>.pdf")
def statement_pdf(code, number):
    """The issued statement's PDF exactly as archived; a draft has none to download."""
    return _statement_file(code, number, ARCHIVED)


@blueprint.post("/statements/<number>.pdf")
def statement_pdf_in(code, number):
    """The issued statement's PDF in the language asked for (``lang`` of the form): the
    same frozen statement, rendered in that language the first time it is asked for and
    archived then (so a POST), handed out from the archive after that."""
    return _statement_file(code, number, request.form.get("lang", ARCHIVED))


def _statement_file(code: str, number: str, language: str):
    ctx = context()
    owner = registry.consignor(g.session, code, ctx=ctx)
    missing = NotFound(msg("No statement {number} has been issued.", number=number),
                       field="number")
    try:
        record = settlement.statement(g.session, ctx, number)
    except InvalidInput:  # no statement is called so (a draft's name, say): no such page
        raise missing from None
    if record.consignor != owner.code:
        raise missing
    [(name, data)] = settlement.statement_pdfs(g.session, ctx, record.number, lang=language)
    if language != ARCHIVED:
        name = name.removesuffix(".pdf") + f"_{language}.pdf"
    return pdf_file(data, name)


@blueprint.get("/due")
def due(code):
    """The goods past their display term, to be taken back from each hotel."""
    ctx = context()
    owner = registry.consignor(g.session, code, ctx=ctx)
    rows = ledger.stock(g.session, consignor=owner.code, tz=ctx.tz, now=ctx.now, ctx=ctx)
    back = [row for row in rows if row.due_back]
    return render_template("owner/due.html", owner=owner, page="due", rows=back,
                           units=sum(row.due_units for row in back))
