"""The point-of-sale API's tokens, for the administrator alone: one made for a hotel's till
(shown once, on the page that made it, and never again: only its SHA-256 is kept), the
list of them with when each was last used, and one revoked. The same services as
``consign token create|list|revoke``."""

from __future__ import annotations

from flask import g, redirect, render_template, url_for
from flask_babel import gettext as _

from consign.errors import ConsignError
from consign.services import registry, tokens
from consign.web import once
from consign.web.agency_manage import agency, blueprint, done, problems, typed
from consign.web.errors import status_of

MAKE = ("hotel", "label")


@blueprint.get("/tokens")
def till_tokens():
    return _tokens_page(dict.fromkeys(MAKE, ""), {})


def _tokens_page(form: dict, shown: dict, status: int = 200, made=None, revoking=None):
    """The list and the form that makes one; ``made``: the token just made and its record,
    shown this once; ``revoking``: the token whose revocation was refused."""
    ctx = agency()
    return render_template(
        "agency/manage/tokens.html", page="tokens", form=form, problems=shown,
        found=list(reversed(tokens.list(g.session, ctx))), made=made, revoking=revoking,
        hotels=registry.hotels(g.session, ctx.today, ctx=ctx)), status


@blueprint.post("/tokens")
def till_token_make():
    """A token made and shown on the answer itself, never put in a cookie or an address."""
    ctx = agency()
    form = typed(MAKE)
    try:
        with g.session.begin_nested():
            made = tokens.create(g.session, ctx, form["hotel"], form["label"])
    except ConsignError as error:
        return _tokens_page(form, problems(error, MAKE), status_of(error))
    once.done_here(url_for(".till_tokens"))  # sent again, the form makes no second token
    return _tokens_page(dict.fromkeys(MAKE, ""), {}, made=made)


@blueprint.post("/tokens/<int:token>/revoke")
def till_token_revoke(token):
    ctx = agency()
    try:
        with g.session.begin_nested():
            gone = tokens.revoke(g.session, ctx, token)
    except ConsignError as error:
        return _tokens_page(dict.fromkeys(MAKE, ""), problems(error, (), "revoke"),
                            status_of(error), revoking=token)
    done(_("Revoked API token %(id)d of %(hotel)s: a till that sends it is refused from now "
           "on.", id=gone.id, hotel=gone.hotel))
    return redirect(url_for(".till_tokens"))
