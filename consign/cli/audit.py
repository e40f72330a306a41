"""What the agency audits: who did what and when, and the programme's reports.

Every report prints its tables (``--format table|csv|json``; CSV prints each table after
a line ``# NAME``, JSON one document with each table under its name) and writes them to a
workbook with ``--xlsx FILE``, one sheet per table."""

import functools

import click

from consign.cli import pass_app, writing
from consign.cli import types as t
from consign.cli.output import emit, format_option, say, text
from consign.i18n import msg

SECTORS = "kriya, fashion, kuliner or lainnya"
GROUPINGS = ("hotel", "consignor", "sector", "product")


@click.group()
def audit():
    """What the agency audits: what is displayed where, what sold, what is owed, who did
    what and when."""


def _not_blank(_ctx, _param, value):
    if value is not None and not value.strip():
        raise click.BadParameter(text(msg("a file name is needed, not a blank")))
    return value


def xlsx_option(command):
    """Adds ``--xlsx FILE`` and passes it as ``xlsx``."""

    @click.option("--xlsx", type=click.Path(dir_okay=False, allow_dash=False), metavar="FILE",
                  callback=_not_blank,
                  help="Also write the tables to an Excel workbook, one sheet each.")
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        return command(*args, **kwargs)

    return wrapper


def _scope_options(command):
    command = click.option("--consignor", type=t.CODE, help="Only this IKM's goods.")(command)
    return click.option("--hotel", type=t.CODE, help="Only this hotel.")(command)


def show(app, report, tables, fmt: str, xlsx: str | None) -> None:
    """Print a report's tables in ``fmt`` and write them to the workbook ``xlsx`` (never
    over the database)."""
    from consign.services.audit_reports import serialize
    from consign.services.audit_reports.tables import plain_rows

    if xlsx:
        from consign import xlsx as workbook
        from consign.cli.files import Files, database_files

        Files(database_files(app)).check(xlsx, "xlsx")
        with writing(xlsx):
            workbook.write(xlsx, tables)
    if fmt == "json":
        emit(serialize.document(report, tables), "json")
        return
    for n, table in enumerate(tables):
        if n:
            click.echo()
        click.echo(f"# {table.key}" if fmt == "csv" else f"{table.key}:")
        emit(plain_rows(table), fmt, money=tuple(table.money), columns=list(table.columns))


def _run(app, service, *args, **kwargs):
    with app.transaction(readonly=True) as session:
        return service(session, app.context(), *args, **kwargs)


@audit.command("placements")
@click.option("--as-of", "as_of", type=t.DATE, help="At the end of this day (default: now).")
@_scope_options
@click.option("--sector", help=f"Only IKM of this sector: {SECTORS}.")
@format_option
@xlsx_option
@pass_app
def audit_placements(app, as_of, hotel, consignor, sector, fmt, xlsx):
    """What is displayed where: per hotel, IKM and product the units on hand, their value
    at the hotel's price, the day first placed, the days on display of the oldest unit
    (first in, first out), the display term and whether it is past; totals per hotel and
    per sector."""
    from consign.services.audit_reports import placements, serialize

    report = _run(app, placements, as_of, hotel, consignor, sector)
    show(app, report, serialize.placements(report), fmt, xlsx)


@audit.command("aging")
@click.option("--as-of", "as_of", type=t.DATE, help="At the end of this day (default: now).")
@click.option("--days", type=t.DAYS, help="Goods on display for more than N days, instead of "
              "goods past their display term.")
@_scope_options
@format_option
@xlsx_option
@pass_app
def audit_aging(app, as_of, days, hotel, consignor, fmt, xlsx):
    """Goods past their display term (or older than N days), oldest first, with the IKM's
    phone number; then the same goods per hotel, the return request to hand over."""
    from consign.services.audit_reports import aging, serialize

    report = _run(app, aging, as_of, days, hotel, consignor)
    show(app, report, serialize.aging(report), fmt, xlsx)


@audit.command("sales")
@click.argument("period", type=t.PERIOD)
@click.option("--to", type=t.PERIOD, help="The last month of a range (YYYY-MM).")
@click.option("--by", type=t.choice(GROUPINGS), default="hotel", show_default=True,
              help="Group the figures by hotel, IKM, sector or product.")
@_scope_options
@format_option
@xlsx_option
@pass_app
def audit_sales(app, period, to, by, hotel, consignor, fmt, xlsx):
    """What sold in a month or a range of months: gross, commission, net, units, IKM
    selling, sell-through, average days to sell (first in, first out) and the change
    against the months just before. Months not yet issued are computed as 'settle'
    would, without writing anything."""
    from consign.services.audit_reports import sales, serialize

    report = _run(app, sales, period, to, by, hotel, consignor)
    show(app, report, serialize.sales(report), fmt, xlsx)


@audit.command("payments")
@click.option("--as-of", "as_of", type=t.DATE, help="At the end of this day (default: today).")
@_scope_options
@format_option
@xlsx_option
@pass_app
def audit_payments(app, as_of, hotel, consignor, fmt, xlsx):
    """Issued statements not paid in full by their due date: days overdue and what is
    still owed; per hotel what it owes and its average days to pay over the last 12
    months."""
    from consign.services.audit_reports import payments, serialize

    report = _run(app, payments, as_of, hotel, consignor)
    show(app, report, serialize.payments(report), fmt, xlsx)


@audit.command("shrinkage")
@click.argument("period", type=t.PERIOD)
@click.option("--to", type=t.PERIOD, help="The last month of a range (YYYY-MM).")
@_scope_options
@format_option
@xlsx_option
@pass_app
def audit_shrinkage(app, period, to, hotel, consignor, fmt, xlsx):
    """Losses, damage and stock-count differences per hotel, in units and rupiah, by who
    is liable, as a share of the units placed."""
    from consign.services.audit_reports import serialize, shrinkage

    report = _run(app, shrinkage, period, to, hotel, consignor)
    show(app, report, serialize.shrinkage(report), fmt, xlsx)


@audit.command("report")
@click.argument("period", type=t.PERIOD)
@click.option("--to", type=t.PERIOD, help="The last month of a range (YYYY-MM).")
@click.option("--pdf", "pdf", type=click.Path(dir_okay=False), metavar="FILE", required=True,
              help="Where to write the report.")
@pass_app
def audit_report(app, period, to, pdf):
    """The programme report in Indonesian: headline figures, charts and the audit tables in
    short form, as a PDF."""
    from consign.cli.files import Files, database_files
    from consign.services.audit_reports.programme import build_programme_view
    from reports.programme import render_programme

    files = Files(database_files(app))
    files.check(pdf, "pdf")
    view = _run(app, build_programme_view, period, to)
    files.write(pdf, render_programme(view, lang="id"), "pdf")
    say(msg("{path} ({start} to {end})", path=pdf, start=view.period_from,
            end=view.period_to))


@audit.command("log")
@click.option("--since", type=t.DATE, help="Only entries recorded from this date on.")
@click.option("--from", "from_", type=t.DATE,
              help="Only entries of what happened from this date on (the business moment).")
@click.option("--to", type=t.DATE, help="Only entries of what happened up to this date.")
@click.option("--actor", type=t.NAME, help="Only what this person recorded.")
@click.option("--record", metavar="KIND:CODE",
              help="A record's whole history: movement:12, hotel:ATRIA, consignor:IKM-0001, "
              "product:BTK-001, statement:ST-000001, payment:3, terms:2, period:2020-10.")
@format_option
@pass_app
def audit_log(app, since, from_, to, actor, record, fmt):
    """Every change, with who made it and when: one entry per movement and per change."""
    from consign.services.audit_reports import entries, serialize

    found = _run(app, entries, since, from_, to, actor, record)
    rows = serialize.log_entries(found, app.context().tz)
    if fmt == "table":  # a person reads what each entry changed, field by field
        rows = [{**row, "detail": serialize.detail_line(entry.detail)}
                for row, entry in zip(rows, found, strict=True)]
    emit(rows, fmt)


COMMANDS = [audit]
