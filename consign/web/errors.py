"""Every refusal answered in one place: the error hierarchy of :mod:`consign.errors` and
HTTP's own errors to a page (or to JSON ``{"error": {"message", "field"}}`` for a client
that asks for JSON), with the same finished sentence that the command line prints, in the
request's language. Nothing else ever reaches the user: an unexpected error is a 500 page
without details (its traceback goes to the server's log)."""

from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from consign.errors import ConsignError, Forbidden, NotFound
from consign.web.formats import said


def status_of(error: ConsignError) -> int:
    """A failed environment 503, malformed input 422, a role without the right 403,
    something outside the role's scope or not there 404, any other rule's refusal 409."""
    if error.exit_code == 3:
        return 503
    if error.exit_code == 2:
        return 422
    if isinstance(error, Forbidden):
        return 403
    if isinstance(error, NotFound):
        return 404
    return 409


def wants_json() -> bool:
    accepted = request.accept_mimetypes
    return request.is_json or accepted.best_match(
        ["text/html", "application/json"], default="text/html") == "application/json"


def answer(message: str, status: int, field: str | None = None):
    if wants_json():
        return jsonify({"error": {"message": message, "field": field}}), status
    _who_is_logged_in()
    return render_template("error.html", message=message, status=status), status


def _who_is_logged_in() -> None:
    """For an error raised before any view ran (an address that is no page, a static file
    that is not there): who the session cookie belongs to, so that the page offers the
    start page and the logout rather than the guest's login."""
    from flask import g
    from flask import session as cookie

    from consign.web import auth

    if "user" in g or "uid" not in cookie:
        return
    g.user = None
    try:
        with current_app.extensions["consign.database"].transaction(readonly=True) as session:
            g.user = auth.current_user(session)
    except Exception:  # noqa: BLE001 - the database failing is what this page may be saying
        g.user = None


def refused(error: ConsignError):
    return answer(said(error), status_of(error), error.field)


def _http_sentences() -> dict[int, str]:
    return {
        400: _("This request could not be read."),
        403: _("You may not open this page."),
        404: _("This page does not exist."),
        405: _("This page does not take this kind of request."),
        413: _("What was sent is too large."),
        429: _("Too many requests. Wait a moment and try again."),
    }


def http_error(error: HTTPException):
    if isinstance(error, CSRFError):
        sentence = _("This form has expired or did not come from this site. Open the page "
                     "again and send it once more.")
    else:
        sentence = _http_sentences().get(error.code, _("This request cannot be answered."))
    return answer(sentence, error.code or 500)


def unexpected(error: Exception):
    current_app.logger.exception("unexpected error on %s %s", request.method, request.path)
    return answer(_("Something went wrong on our side. Nothing was saved; try again, and "
                    "tell the agency if it happens again."), 500)


def register(app: Flask) -> None:
    app.register_error_handler(ConsignError, refused)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(Exception, unexpected)
