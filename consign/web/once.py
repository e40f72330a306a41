"""Every form of the web app that writes is done once (:mod:`consign.services.forms`).

A form carries, beside its CSRF token, a one-time key (``form_fields()`` in a template
writes both). The request's transaction claims the key before the view runs: a form sent
before is answered with the page its first sending led to, and a line saying that nothing
was done again; a sending of it still at work is waited for. A view that did what the form
asked answers with a redirect (the page to go to next), or says it did (``done_here``); the
key is then spent, with that page, in the same transaction. A refused form (shown again,
with a new key) gives its key back. A form without a key (a hand-made request) is done as
sent.
"""

from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from consign.services import forms
from consign.web import api
from consign.web.app import SAFE_METHODS

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
REDIRECTS = (301, 302, 303, 307, 308)


def form_fields(once: bool = True) -> Markup:
    """The hidden fields of a form that writes: its CSRF token and a new one-time key
    (``once=False``: none, for a form that may always be sent again: logging in or out,
    which change only the browser's own cookie, or downloading a document)."""
    from flask_wtf.csrf import generate_csrf

    fields = f'<input type="hidden" name="csrf_token" value="{escape(generate_csrf())}">'
    if once:
        fields += (f'<input type="hidden" name="{forms.FIELD}" value="{forms.new_key()}" '
                   'autocomplete="off">')
    return Markup(fields)


def sent_key() -> str | None:
    """The one-time key the request's form carries (checked), or None. The point-of-sale
    API has its own (its receipts) and no cookie to say anything in."""
    if (request.method in SAFE_METHODS or request.mimetype not in FORM_TYPES
            or request.blueprint == api.blueprint.name):
        return None
    value = request.form.get(forms.FIELD)
    return None if value is None else forms.key(value)


def claim(session: Session, key: str, now):
    """None when this sending may do the form's work; else the answer to a form sent
    before: the page its first sending led to, and a line saying nothing was done again."""
    if forms.claim(session, key, now):
        return None
    return answered(forms.answer_of(session, key) or url_for("home.index"))


def done_here(answer: str) -> None:
    """The view did what its form asked, yet answers with a page of its own rather than a
    redirect (what it shows can be shown this once only, such as a new API token): a second
    sending of the form goes to ``answer``."""
    g.form_done = answer


def settle(session: Session, key: str, response) -> None:
    """The key spent when the view did what the form asked (it answers with a redirect, or
    said so with :func:`done_here`), else given back."""
    if response.status_code in REDIRECTS:
        answer = response.location or url_for("home.index")
    elif (answer := g.get("form_done")) is None:
        forms.release(session, key)
        return
    forms.spend(session, key, answer if len(answer) <= forms.ANSWER else url_for("home.index"))


def answered(answer: str):
    flash(_("This form was already sent and what it asked is done; nothing was recorded "
            "again."), "done")
    return redirect(answer, 303)
