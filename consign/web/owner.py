"""An IKM's owner: where their goods are, and how many, at every hotel."""

from __future__ import annotations

from flask import Blueprint, g, render_template

from consign.services import ledger, registry
from consign.web.auth import context

blueprint = Blueprint("owner", __name__, url_prefix="/ikm/<code>")


@blueprint.get("/")
def goods(code):
    ctx = context()
    owner = registry.consignor(g.session, code, ctx=ctx)
    rows = ledger.stock(g.session, consignor=owner.code, tz=ctx.tz, now=ctx.now, ctx=ctx)
    return render_template("owner/goods.html", owner=owner, rows=rows,
                           units=sum(row.on_hand for row in rows),
                           value=sum(row.value or 0 for row in rows))
