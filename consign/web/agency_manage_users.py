"""The people who log in, for the administrator alone: register one with a role, change a
role, set a password (typed twice), deactivate. A password or its hash is never shown;
every change ends the sessions that person has open (the service sees to it)."""

from __future__ import annotations

from flask import g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from consign.errors import ConsignError
from consign.services import registry, users
from consign.web.agency_manage import agency, blueprint, done, problems, typed
from consign.web.errors import status_of

ADD = ("name", "role")


@blueprint.get("/users")
def people():
    return _people_page(dict.fromkeys(ADD, ""), {})


def _people_page(form: dict, shown: dict, status: int = 200, acting: tuple = (None, None)):
    """The list; ``acting`` is which person's form (``role``, ``password``, ``deactivate``)
    was refused, shown open with the sentence by its field."""
    ctx = agency()
    found = users.users(g.session, ctx)
    return render_template("agency/manage/users.html", people=found, form=form,
                           problems=shown, acting=acting,
                           hotels=registry.hotels(g.session, ctx.today, ctx=ctx),
                           owners=registry.consignors(g.session, ctx=ctx)), status


@blueprint.post("/users")
def person_add():
    ctx = agency()
    form = typed(ADD)
    try:
        with g.session.begin_nested():
            added = users.add(g.session, ctx, form["name"], form["role"])
    except ConsignError as error:
        return _people_page(form, problems(error, ADD), status_of(error))
    done(_("Registered %(name)s as %(role)s. Set a password for them below before they log "
           "in.", name=added.name, role=added.role))
    return redirect(url_for(".people"))


def _refused(error: ConsignError, which: str, name: str, names: tuple[str, ...]):
    """The list again, the refused form of that person open with the sentence by its
    field (kept apart from the add form's: ``role:role``, ``password:password``)."""
    shown = problems(error, names, which)
    return _people_page(dict.fromkeys(ADD, ""),
                        {f"{which}:{key}": text for key, text in shown.items()},
                        status_of(error), acting=(which, name))


@blueprint.post("/users/role")
def person_role():
    ctx = agency()
    name, role = request.form.get("name", ""), request.form.get("role", "")
    try:
        with g.session.begin_nested():
            changed = users.set_role(g.session, ctx, name, role)
    except ConsignError as error:
        return _refused(error, "role", name, ("role",))
    done(_("%(name)s is now %(role)s.", name=changed.name, role=changed.role))
    return redirect(url_for(".people"))


@blueprint.post("/users/password")
def person_password():
    ctx = agency()
    name = request.form.get("name", "")
    password, again = request.form.get("password", ""), request.form.get("again", "")
    if password != again:
        users.user(g.session, ctx, name)  # the administrator's alone, as the change is
        return _people_page(dict.fromkeys(ADD, ""),
                            {"password:again": _("The two passwords are not the same; type the new "
                                        "one twice.")}, 422, acting=("password", name))
    try:
        with g.session.begin_nested():
            changed = users.set_password(g.session, ctx, name, password)
    except ConsignError as error:
        return _refused(error, "password", name, ("password",))
    done(_("Set a new password for %(name)s; their open sessions have ended.",
           name=changed.name))
    return redirect(url_for(".people"))


@blueprint.post("/users/deactivate")
def person_deactivate():
    ctx = agency()
    name = request.form.get("name", "")
    try:
        with g.session.begin_nested():
            gone = users.deactivate(g.session, ctx, name)
    except ConsignError as error:
        return _refused(error, "deactivate", name, ())
    done(_("%(name)s is deactivated and can no longer log in.", name=gone.name))
    return redirect(url_for(".people"))
