"""The audit log for the agency (``/agency/log``): every change and movement, newest first,
a page at a time, filtered as ``consign audit log`` filters it (recorded since a day, by
whom, a record's whole history ``KIND:CODE``); and the entries of the filters as CSV.

A page is read from the newest entry back, no further than it needs
(:func:`consign.services.audit_reports.log.newest`).
"""

from __future__ import annotations

from flask import g, render_template

from consign import fields
from consign.context import Context
from consign.services import audit_reports
from consign.services.audit_reports import serialize
from consign.web.agency import agency_context, asked, attempt, blueprint
from consign.web.agency_registers import CSV, csv_bytes
from consign.web.formats import download

FILTERS = ("since", "actor", "record", "page")
PAGE = 50  # entries a page
LAST_PAGE = 100_000


def _page(ctx: Context, form: dict):
    page = fields.integer(form["page"] or "1", "page", 1, LAST_PAGE)
    rows, more = audit_reports.newest(g.session, ctx, form["since"] or None, None, None,
                                      form["actor"] or None, form["record"] or None,
                                      skip=(page - 1) * PAGE, count=PAGE)
    return page, rows, more


@blueprint.get("/log")
def log():
    ctx = agency_context()
    form = asked(FILTERS)
    shown, problems, status = attempt(form, lambda: _page(ctx, form))
    page, rows, more = shown if shown else (1, [], False)
    args = {name: value for name, value in form.items() if value and name != "page"}
    return render_template("agency/log.html", page="log", form=form, problems=problems,
                           refused=shown is None, number=page, rows=rows, more=more,
                           args=args, detail=detail_text), status


@blueprint.get("/log.csv")
def log_csv():
    """Every entry of the filters, as ``consign audit log --format csv`` prints them."""
    ctx = agency_context()
    form = asked(FILTERS[:-1])
    found, problems, status = attempt(form, lambda: audit_reports.entries(
        g.session, ctx, form["since"] or None, None, None, form["actor"] or None,
        form["record"] or None))
    if found is None:
        return render_template("agency/log.html", page="log", form=form, problems=problems,
                               refused=True, number=1, rows=[], more=False, args={},
                               detail=detail_text), status
    rows = serialize.log_entries(found, ctx.tz)
    columns = ("id", "at", "recorded_at", "actor", "action", "record", "detail")
    stamp = ctx.today.isoformat()
    return download(csv_bytes(columns, rows), CSV, f"log-{stamp}.csv")


def detail_text(entry) -> str:
    """An entry's detail in a line (``consign audit log`` prints it so too)."""
    return serialize.detail_line(entry.detail)
