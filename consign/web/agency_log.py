"""The audit log for the agency (``/agency/log``): every change and movement, newest first,
a page at a time, filtered as ``consign audit log`` filters it (recorded since a day, by
whom, a record's whole history ``KIND:CODE``); and the entries of the filters as CSV.

The audit service returns every entry its filters choose, so a page never asks it for the
whole log: it asks for the entries recorded in the last day, then in a window four times
as long, and so on, until the window holds the entries up to the end of the page asked
for (or reaches the day the filter starts). The first page of a busy log costs a day's
entries, not the log's."""

from __future__ import annotations

import json
from datetime import timedelta

from flask import g, render_template

from consign import fields
from consign.context import Context
from consign.periods import start_of
from consign.services import audit_reports
from consign.services.audit_reports import serialize
from consign.web.agency import agency_context, asked, attempt, blueprint, download
from consign.web.agency_registers import CSV, csv_bytes

FILTERS = ("since", "actor", "record", "page")
PAGE = 50  # entries a page
FIRST_WINDOW = timedelta(days=1)
GROWTH = 4
LAST_PAGE = 100_000


def entries_up_to(ctx: Context, form: dict, count: int) -> list:
    """The entries of the filters, in the order they were written, from the newest
    ``count`` of them (at least) on: each window of time asked for is four times the one
    before, until it holds ``count`` entries or starts where the filter does."""
    since = fields.moment(form["since"], ctx.tz, "since") if form["since"] else None
    floor = since or start_of(fields.day("2000-01-01"), ctx.tz)
    window = FIRST_WINDOW
    while True:
        start = ctx.now - window
        bounded = start > floor
        found = audit_reports.entries(g.session, ctx, start if bounded else since, None, None,
                                      form["actor"] or None, form["record"] or None)
        if len(found) >= count or not bounded:
            return found
        window *= GROWTH


def _page(ctx: Context, form: dict):
    page = fields.integer(form["page"] or "1", "page", 1, LAST_PAGE)
    found = entries_up_to(ctx, form, page * PAGE + 1)
    newest = found[::-1]
    return page, newest[(page - 1) * PAGE:page * PAGE], len(newest) > page * PAGE


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
    """An entry's detail in a line: ``key: value`` of what it says (blanks left out)."""
    try:
        found = json.loads(entry.detail) if entry.detail else {}
    except ValueError:
        return entry.detail
    if not isinstance(found, dict):
        return str(found)
    return ", ".join(f"{key}: {_value(value)}" for key, value in found.items()
                     if value not in (None, "", [], {}))


def _value(value) -> str:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
