"""Logging in and out, and who a request comes from.

A session is a signed cookie (HttpOnly, SameSite=Lax, Secure over HTTPS) that carries the
user's id and their session version; it holds only while the database has that same
version for an active user, so that a logout everywhere, a change of password, role or
activity ends every session opened before. Failed logins are counted in the database
(``consign.services.users.log_in``), and answered after a growing delay, then locked out.
"""

from __future__ import annotations

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for
from flask import session as cookie
from flask_babel import gettext as _

from consign.context import Context
from consign.services import users

blueprint = Blueprint("auth", __name__)


def public(view):
    """A view that answers without a login."""
    view.public = True
    return view


def current_user(session) -> users.SignedIn | None:
    """Who the request's session cookie belongs to, if that session still holds."""
    if "uid" not in cookie:
        return None
    found = users.signed_in(session, cookie.get("uid"), cookie.get("ver"))
    if found is None:
        cookie.clear()
    return found


def now():
    return current_app.config["CONSIGN_CLOCK"]()


def context() -> Context:
    """Who acts in this request, when, in which time zone and with what role."""
    return Context.make(g.user.name, now=now(), tz=current_app.config["CONSIGN_TZ"],
                        role=g.user.role)


def to_login():
    wanted = request.full_path if request.method == "GET" else None
    return redirect(url_for("auth.login", next=wanted.rstrip("?") if wanted else None))


def _safe_next(target: str | None) -> str | None:
    """A page of this site to go to after the login, never another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


@blueprint.get("/login")
@public
def login():
    if g.user is not None:
        return redirect(url_for("home.index"))
    return render_template("login.html", name="", problem=None)


@blueprint.post("/login")
@public
def login_post():
    name = request.form.get("name", "")
    outcome = users.log_in(g.session, name, request.form.get("password", ""),
                           request.remote_addr or "", now())
    if outcome.user is not None:
        cookie.clear()
        cookie["uid"], cookie["ver"] = outcome.user.user_id, outcome.user.version
        return redirect(_safe_next(request.args.get("next")) or url_for("home.index"))
    g.delay = outcome.delay
    if outcome.locked_until is not None:
        problem = _("Too many failed logins. Try again in %(minutes)d minutes.",
                    minutes=users.LOCK_OUT_MINUTES)
        return render_template("login.html", name=name, problem=problem), 429
    problem = _("The user name or the password is wrong.")
    return render_template("login.html", name=name, problem=problem), 401


@blueprint.post("/logout")
def logout():
    cookie.clear()
    return redirect(url_for("auth.login"))


@blueprint.post("/logout/everywhere")
def logout_everywhere():
    users.end_sessions(g.session, context(), g.user.user_id)
    cookie.clear()
    return redirect(url_for("auth.login"))
