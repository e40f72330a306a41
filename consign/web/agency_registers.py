"""The agency's registers, each a page of one audit report with its filters as a GET
form, its totals, and its tables to download: each table as CSV (``?table=KEY``, the
first by default) and all of them as one workbook, one sheet a table, exactly as ``consign
audit … --format csv`` and ``--xlsx`` write them (``audit_reports.serialize``,
``consign.xlsx``).

- ``/agency/placements``: what is displayed where (as of a day; hotel, IKM, sector),
  goods past their display term highlighted; totals per hotel and sector;
- ``/agency/aging``: goods past their display term (or on display more than N days),
  with the IKM's phone number, and per hotel the return request to hand over;
- ``/agency/overdue``: statements not paid by their due date, and per hotel what it owes
  and its average days to pay;
- ``/agency/shrinkage``: losses, damage and count differences per hotel over a range of
  months;
- ``/agency/sales``: what sold over a range of months by hotel, IKM, sector or product."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from flask import abort, g, render_template, request
from flask_babel import gettext as _

from consign import xlsx
from consign.context import Context
from consign.services import audit_reports, registry
from consign.services.audit_reports import serialize
from consign.services.audit_reports.sales import GROUPINGS
from consign.services.audit_reports.tables import Table, plain_rows
from consign.tabular import write_csv
from consign.web.agency import (
    agency_context,
    asked,
    attempt,
    blueprint,
    check_codes,
    first_month,
)
from consign.web.formats import download, lang
from reports.programme_labels import programme_labels_for

SECTORS = ("kriya", "fashion", "kuliner", "lainnya")
CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _or_none(text: str):
    return text or None


@dataclass(frozen=True)
class Register:
    name: str  # its address, its template and its files' name
    fields: tuple[str, ...]  # its filters
    run: Callable[[Context, dict], object]  # the report of the filters
    tables: Callable[[object], list[Table]]

    def stamp(self, report) -> str:
        """What a file of the report is named after: its day, or its months."""
        if hasattr(report, "as_of"):
            return report.as_of.isoformat()
        if report.period_from == report.period_to:
            return report.period_from
        return f"{report.period_from}_{report.period_to}"


REGISTERS = {register.name: register for register in (
    Register("placements", ("as_of", "hotel", "consignor", "sector"),
             lambda ctx, f: audit_reports.placements(
                 g.session, ctx, _or_none(f["as_of"]), _or_none(f["hotel"]),
                 _or_none(f["consignor"]), _or_none(f["sector"])),
             serialize.placements),
    Register("aging", ("as_of", "days", "hotel", "consignor"),
             lambda ctx, f: audit_reports.aging(
                 g.session, ctx, _or_none(f["as_of"]), _or_none(f["days"]),
                 _or_none(f["hotel"]), _or_none(f["consignor"])),
             serialize.aging),
    Register("overdue", ("as_of", "hotel", "consignor"),
             lambda ctx, f: audit_reports.payments(
                 g.session, ctx, _or_none(f["as_of"]), _or_none(f["hotel"]),
                 _or_none(f["consignor"])),
             serialize.payments),
    Register("shrinkage", ("period", "to", "hotel", "consignor"),
             lambda ctx, f: audit_reports.shrinkage(
                 g.session, ctx, first_month(ctx, f), _or_none(f["to"]),
                 _or_none(f["hotel"]), _or_none(f["consignor"])),
             serialize.shrinkage),
    Register("sales", ("period", "to", "by", "hotel", "consignor"),
             lambda ctx, f: audit_reports.sales(
                 g.session, ctx, first_month(ctx, f), _or_none(f["to"]),
                 f["by"] or "hotel", _or_none(f["hotel"]), _or_none(f["consignor"])),
             serialize.sales),
)}


SHOWN = 200  # rows of a register on its page; its files hold them all


def _report(register: Register, ctx: Context, form: dict):
    """The register's report of the filters, or the problems of the filters and their
    status."""
    unknown = check_codes(ctx, form)
    if unknown:
        [(name, (sentence, status))] = unknown.items()
        return None, {name: sentence}, status
    return attempt(form, lambda: register.run(ctx, form))


def _groupings() -> dict[str, str]:
    return {"hotel": _("Hotel"), "consignor": _("IKM"), "sector": _("Sector"),
            "product": _("Product")}


def _page(register: Register, ctx: Context, form: dict, report, problems: dict, status: int):
    words = programme_labels_for(lang())
    groupings = _groupings()
    return render_template(
        f"agency/{register.name}.html", page=register.name, form=form, problems=problems,
        report=report, hotels=registry.hotels(g.session, ctx.today, ctx=ctx),
        sectors=[(sector, words.sectors[sector]) for sector in SECTORS],
        groupings=[(key, groupings[key]) for key in GROUPINGS],
        grouped=groupings.get(getattr(report, "by", ""), ""), shown=SHOWN,
        args=_shown_filters(form, report)), status


def _shown_filters(form: dict, report) -> dict:
    """The filters of the files' links: those typed, and the months the page shows where
    they were left to their default, so that a file holds what the page showed even once
    a new month has sales."""
    args = {name: value for name, value in form.items() if value}
    if "period" in form and getattr(report, "period_from", None):
        args.setdefault("period", report.period_from)
        args.setdefault("to", report.period_to)
    return args


def show(name: str):
    register = REGISTERS[name]
    ctx = agency_context()
    form = asked(register.fields)
    return _page(register, ctx, form, *_report(register, ctx, form))


def files(name: str, fmt: str):
    register = REGISTERS[name]
    ctx = agency_context()
    form = asked(register.fields)
    report, problems, status = _report(register, ctx, form)
    if report is None:
        return _page(register, ctx, form, report, problems, status)
    tables = register.tables(report)
    stamp = register.stamp(report)
    if fmt == "xlsx":
        return download(xlsx.workbook(tables), XLSX, f"{register.name}-{stamp}.xlsx")
    key = request.args.get("table") or tables[0].key
    table = next((table for table in tables if table.key == key), None)
    if table is None:
        abort(404)
    return download(csv_bytes(table.columns, plain_rows(table)), CSV,
                    f"{register.name}-{key}-{stamp}.csv")


def csv_bytes(columns, rows: list[dict]) -> bytes:
    """A table as the command line's CSV writes it (:func:`consign.tabular.write_csv`),
    with a byte-order mark so that a spreadsheet opens it as UTF-8."""
    out = io.StringIO()
    write_csv(out, columns, rows)
    return out.getvalue().encode("utf-8-sig")


for _name in REGISTERS:
    blueprint.add_url_rule(f"/{_name}", endpoint=_name,
                           view_func=lambda name=_name: show(name))
    blueprint.add_url_rule(f"/{_name}.<any(csv, xlsx):fmt>", endpoint=f"{_name}_file",
                           view_func=lambda fmt, name=_name: files(name, fmt))
