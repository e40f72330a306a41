"""Every form of the web app that writes is done once (:mod:`consign.services.forms`).

A form carries, beside its CSRF token, a one-time key (``form_fields()`` in a template
writes both). The request's transaction looks the key up before the view runs: a form
sent before is answered with the page its first sending led to, and a line saying that
nothing was done again. A view that did what the form asked answers with a redirect (the
page to go to next); the key is then spent, with that page, in the same transaction, so a
refused form (shown again, with a new key) spends nothing. Should another sending of the
same form have spent the key meanwhile (two at the same moment, on PostgreSQL), this one's
work is undone and it gets that answer too. A form without a key (a hand-made request) is
done as sent.
"""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask import session as cookie
from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from consign.services import forms

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
REDIRECTS = (301, 302, 303, 307, 308)


class SentMeanwhile(Exception):
    """Another sending of the same form spent its key first: undo this one."""

    def __init__(self, answer: str):
        super().__init__(answer)
        self.answer = answer


def form_fields() -> Markup:
    """The hidden fields of a form that writes: its CSRF token and a new one-time key."""
    from flask_wtf.csrf import generate_csrf

    return Markup(f'<input type="hidden" name="csrf_token" value="{escape(generate_csrf())}">'
                  f'<input type="hidden" name="{forms.FIELD}" value="{forms.new_key()}">')


def sent_key() -> str | None:
    """The one-time key the request's form carries (checked), or None."""
    if request.method in ("GET", "HEAD", "OPTIONS") or request.mimetype not in FORM_TYPES:
        return None
    value = request.form.get(forms.FIELD)
    return None if value is None else forms.key(value)


def sent_before(session: Session, key: str):
    """The answer to a form sent before (None when its key is not spent)."""
    answer = forms.answer_of(session, key)
    return None if answer is None else answered(answer)


def spend(session: Session, key: str, response, now) -> None:
    """Spend the key when the view did what the form asked (it answers with a redirect)."""
    if response.status_code not in REDIRECTS:
        return
    answer = response.location or url_for("home.index")
    if len(answer) > forms.ANSWER:
        answer = url_for("home.index")
    if not forms.spend(session, key, answer, now):
        raise SentMeanwhile(answer)


def answered(answer: str):
    flash(_("This form was already sent and what it asked is done; nothing was recorded "
            "again."), "done")
    return redirect(answer, 303)


def flashes() -> list:
    """The lines waiting to be shown, to put back should the request's work be undone."""
    return list(cookie.get("_flashes", ()))


def put_back(waiting: list) -> None:
    if waiting:
        cookie["_flashes"] = waiting
    else:
        cookie.pop("_flashes", None)
