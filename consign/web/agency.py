"""The agency's page: the hotels and IKM of the programme, each with the pages it has."""

from __future__ import annotations

from flask import Blueprint, g, render_template

from consign import policy
from consign.services import access, registry
from consign.web.auth import context

blueprint = Blueprint("agency", __name__, url_prefix="/agency")

AGENCY = "audit.log"  # what the agency alone reads


@blueprint.get("/")
def index():
    ctx = context()
    access.require(g.session, ctx, AGENCY)
    return render_template("agency/index.html",
                           hotels=registry.hotels(g.session, ctx.today, ctx=ctx),
                           owners=registry.consignors(g.session, ctx=ctx),
                           sells=policy.allows(ctx.role, "ledger.write"))
