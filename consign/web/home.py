"""Where each kind of user lands after logging in: a hotel's staff on their hotel's
pages, an IKM's owner on theirs, the agency on its page."""

from flask import Blueprint, g, redirect, url_for

blueprint = Blueprint("home", __name__)

HOMES = {"hotel": "hotel.sell", "consignor": "owner.goods"}


@blueprint.get("/")
def index():
    role = g.user.role
    if role.code is not None and role.kind in HOMES:
        return redirect(url_for(HOMES[role.kind], code=role.code))
    return redirect(url_for("agency.index"))
