"""The agency's pages that show the programme, for its staff (admin) and its auditors:
the dashboard (the programme report's headline figures and charts for a month or a range
of months, with the report itself as a PDF), the list of hotels and IKM with their pages,
and the registers (:mod:`consign.web.agency_registers`, :mod:`consign.web.agency_log`).

Every page reads through the audit services (``consign.services.audit_reports``), the
same figures ``consign audit …`` prints; each page first asks the policy for what the
agency alone reads, so that a hotel's staff or an IKM's owner is refused (403). A filter
the services refuse (a malformed date, a month such as 2020-13, an unknown hotel) is shown
by its field with the service's sentence and the status of its error (422, 404)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from flask import Blueprint, abort, current_app, g, make_response, render_template, request

from consign import fields, policy
from consign.contacts import phone_display
from consign.context import Context
from consign.errors import ConsignError
from consign.periods import Period, zone
from consign.services import access, registry
from consign.services.audit_reports.tables import percent_text
from consign.web.auth import context
from consign.web.errors import status_of
from consign.web.formats import clock, download, lang, long_date, remedy, said

blueprint = Blueprint("agency", __name__, url_prefix="/agency")

AGENCY = "agency.pages"  # what the agency alone uses
CHART_MONTHS = 12  # the sales chart of one month shows the year up to it
FIRST = Period(2000, 1)  # the first month consign knows
# the services' names of the fields, as the forms name them
FIELDS = {"as-of": "as_of"}


def agency_context() -> Context:
    """The request's context, once the policy allows the agency's pages to its role."""
    ctx = context()
    access.require(g.session, ctx, AGENCY)
    return ctx


def asked(names: tuple[str, ...]) -> dict[str, str]:
    """The filters of a page as typed in its GET form."""
    return {name: request.args.get(name, "").strip() for name in names}


def attempt(form: dict, call):
    """``(call(), {}, 200)`` for a report of the filters in ``form``; or, when a service
    refuses, ``(None, problems, the error's status)``: a field's sentence by its field, a
    rule's refusal of the whole report (a month that cannot be computed: a sale on a day
    without a commission rate) under ``refusal``, shown above the filters, the page's tabs
    and form still there. A failed environment is the error page's."""
    try:
        return call(), {}, 200
    except ConsignError as error:
        name = FIELDS.get(error.field, error.field)
        if name in form:
            return None, {name: said(error)}, status_of(error)
        if error.exit_code == 3:
            raise
        return None, {"refusal": said(error), **remedy(error)}, status_of(error)


def check_codes(ctx: Context, form: dict) -> dict:
    """The hotel and IKM a filter names, looked up (an unknown code: 404 by its field);
    the problems found, by field."""
    lookups = (("hotel", lambda code: registry.hotel(g.session, code, ctx.today, ctx=ctx)),
               ("consignor", lambda code: registry.consignor(g.session, code, ctx=ctx)))
    for name, look in lookups:
        if form.get(name):
            try:
                look(form[name])
            except ConsignError as error:
                return {name: (said(error), status_of(error))}
    return {}


@blueprint.context_processor
def _shown() -> dict:
    """What the agency's pages show besides the app's filters: the report's words for
    sectors, a phone number, an average, a share and a moment, in the page's language."""
    return {"words": _words(), "phone": phone_display, "decimal": decimal_text,
            "share": share_text, "when": moment_text}


def decimal_text(value: Decimal | None) -> str:
    """An average to one decimal (``12,5``; ``12.5`` in English); ``-`` of nothing."""
    if value is None:
        return "-"
    return str(value).replace(".", "," if lang() == "id" else ".")


def share_text(value: Fraction | None) -> str:
    """A share to two decimals (``33,33%``; ``33.33%`` in English); ``-`` of nothing."""
    if value is None:
        return "-"
    return percent_text(value).replace(".", "," if lang() == "id" else ".")


def moment_text(moment: datetime) -> str:
    """A moment as its day and time in the business time zone."""
    day = moment.astimezone(zone(current_app.config["CONSIGN_TZ"])).date()
    return f"{long_date(day)} {clock(moment)}"


# --- the dashboard -------------------------------------------------------------------

RANGE = ("period", "to")


def _programme(ctx: Context, form: dict, **light):
    """The programme report of the range asked for: by default the latest month in which
    something sold."""
    from consign.services.audit_reports.programme import build_programme_view

    first = first_month(ctx, form)
    return build_programme_view(g.session, ctx, first, form["to"] or None, **light)


def first_month(ctx: Context, form: dict) -> str:
    """The first month of a range of months asked for: as typed; with only its last month
    typed, that month alone; with neither, the opening month."""
    return form["period"] or form.get("to") or str(opening_month(ctx))


def opening_month(ctx: Context) -> Period:
    """Without a month asked for, the month the dashboard and the registers of months open
    on: the latest month in which something sold (on the first of a month, the month just
    ended rather than one with nothing in it yet)."""
    from consign.services.audit_reports.sales import latest_month

    if "opening_month" not in g:
        g.opening_month = latest_month(g.session, ctx)
    return g.opening_month


def _chart_start(form: dict, ctx: Context) -> str:
    """Where the sales chart starts: the range asked for, or for one month the twelve
    months up to it."""
    first = fields.period(first_month(ctx, form), "period")
    last = fields.period(form["to"], "to") if form["to"] else first
    if last != first:
        return str(first)
    for _ in range(CHART_MONTHS - 1):
        if first == FIRST:
            break
        first = first.previous()
    return str(first)


def _dashboard_view(ctx: Context, form: dict):
    """What the dashboard shows, read in one pass: the range's figures, and the sales by
    month of the chart's months (no short tables, no days to sell: the page has none)."""
    chart_from = _chart_start(form, ctx)
    return _programme(ctx, form, chart_from=chart_from, tables=False, ages=False), chart_from


def _drawings(view, chart_from: str) -> dict:
    """The dashboard's charts, by name; a chart of nothing sold says so."""
    from consign.web import agency_charts as charts
    from reports.programme import months_between

    return {
        "sales": charts.sales_bars(view, months_between(chart_from, view.period_to), lang()),
        "share": charts.share_chart(view, lang()),
        "hotels": charts.ranking_chart(view.top_hotels, lang()),
        "ikm": charts.ranking_chart(view.top_ikm, lang()),
    }


def _dashboard(form: dict, problems: dict, status: int, **shown):
    shown.setdefault("view", None)
    return render_template("agency/dashboard.html", page="dashboard", form=form,
                           problems=problems, **shown), status


@blueprint.get("/")
def index():
    """The dashboard: its charts are in the page itself (SVG data), drawn from the one
    reading of the figures the page makes."""
    import base64

    from consign.web import agency_charts as charts
    from reports.programme import period_range

    ctx = agency_context()
    form = asked(RANGE)
    views, problems, status = attempt(form, lambda: _dashboard_view(ctx, form))
    if views is None:
        return _dashboard(form, problems, status)
    view, chart_from = views
    found = charts.shares(view)
    images = {name: "data:image/svg+xml;base64," + base64.b64encode(
        charts.svg(drawing or charts.nothing_sold(lang()))).decode("ascii")
        for name, drawing in _drawings(view, chart_from).items()}
    return _dashboard(
        form, {}, 200, view=view, span=period_range(view.period_from, view.period_to, lang()),
        chart_range={"period": chart_from, "to": view.period_to},
        chart_span=period_range(chart_from, view.period_to, lang()), images=images,
        sold=any(row.gross for row in view.by_month_sector), shares=found,
        whole=sum(gross for _s, gross in found), share_label=_share_label)


def _words():
    from reports.programme_labels import programme_labels_for

    return programme_labels_for(lang())


def _share_label(part: int, whole: int) -> str:
    from reports.programme import share_label

    return share_label(part, whole, lang())


@blueprint.get("/charts/<name>.svg")
def chart(name):
    """One chart of the dashboard as an SVG image, over the range asked for (a range in
    which nothing sold draws the report's sentence that says so)."""
    from consign.web import agency_charts as charts

    ctx = agency_context()
    if name not in charts.NAMES:
        abort(404)
    view = _programme(ctx, asked(RANGE), tables=False, ages=False)
    drawing = _drawings(view, view.period_from)[name] or charts.nothing_sold(lang())
    response = make_response(charts.svg(drawing))
    response.headers["Content-Type"] = "image/svg+xml"
    return response


@blueprint.get("/report.pdf")
def report_pdf():
    """The programme report of the range asked for (by default the latest month with
    sales), as ``consign audit report`` writes it, in the page's language."""
    from reports.programme import render_programme

    ctx = agency_context()
    form = asked(RANGE)
    view, problems, status = attempt(form, lambda: _programme(ctx, form))
    if view is None:
        return _dashboard(form, problems, status)
    span = view.period_from if view.period_from == view.period_to else (
        f"{view.period_from}_{view.period_to}")
    return download(render_programme(view, lang=lang()), "application/pdf",
                    f"programme-{span}.pdf")


@blueprint.get("/programme")
def programme():
    """The hotels and IKM of the programme, each with the pages it has."""
    ctx = agency_context()
    return render_template("agency/programme.html", page="programme",
                           hotels=registry.hotels(g.session, ctx.today, ctx=ctx),
                           owners=registry.consignors(g.session, ctx=ctx),
                           sells=policy.allows(ctx.role, "ledger.write"))


# the registers: more pages of this blueprint
from consign.web import agency_log, agency_registers  # noqa: E402, F401
