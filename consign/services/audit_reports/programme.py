"""The view of the agency's programme report (``audit report PERIOD [--to PERIOD] --pdf
FILE``), built from the audit reports: headline figures, what the charts draw (sales per
month by sector, top hotels and IKM, share by sector) and the tables of the other reports
in short form. ``reports.programme.render_programme`` renders it."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from consign import fields
from consign.context import Context
from consign.models import Payment, PaymentVoid, Statement
from consign.services.audit_reports.aging import aging
from consign.services.audit_reports.figures import UNITS, gross_by_month, statements_of
from consign.services.audit_reports.payments import owings, payments
from consign.services.audit_reports.placements import placements
from consign.services.audit_reports.sales import days_sold, names_of, range_of, summarise
from consign.services.audit_reports.scoping import Seen, seen
from consign.services.audit_reports.shrinkage import shrinkage
from consign.services.audit_reports.tables import percent_text
from consign.services.documents import AGENCY_NAME, PROGRAMME_NAME
from reports.programme import (
    Headline,
    MonthSector,
    ProgrammeView,
    Ranked,
    TableView,
)

SHORT = 10  # rows of each table in its short form
TOP = 5  # hotels and IKM among the top sellers


def build_programme_view(session: Session, ctx: Context, period, to=None, *,
                         chart_from=None, tables: bool = True, ages: bool = True
                         ) -> ProgrammeView:
    """The programme report of the months ``period`` through ``to``, in the role's scope;
    what is overdue, and the register of what is displayed, as of the report's day (the
    last day of the range, or today if that is earlier).

    For a page that shows only part of it: ``chart_from`` (an earlier month) widens the
    sales by month and sector to start there, read in the same pass as the range; without
    ``tables`` the short tables are left out, without ``ages`` the days to sell."""
    view = seen(session, ctx)
    first, last = range_of(period, to)
    start = min(first, fields.period(chart_from, "chart_from")) if chart_from else first
    made_on = min(ctx.today, last.last_day)
    found = statements_of(session, ctx, first, last, view, UNITS)
    # the months before the range are only drawn, by sector: each IKM's gross is enough
    read = [(s.period, s.consignor, s.gross) for s in found] + (
        gross_by_month(session, ctx, start, first.previous(), view) if start < first else [])
    names = names_of(session)
    sold_days = days_sold(session, ctx, first, last, view) if ages else {}
    by_hotel = summarise(found, [], "hotel", names, sold_days, str(first))
    by_ikm = summarise(found, [], "consignor", names, sold_days, str(first))
    by_sector = summarise(found, [], "sector", names, sold_days, str(first))
    standing = owings(session, view, made_on, brief=True)  # the headline's sums alone
    headline = Headline(
        ikm_selling=sum(1 for row in by_ikm if row.units),
        hotels_active=sum(1 for row in by_hotel if row.units),
        gross=sum(s.gross for s in found), commission=sum(s.commission for s in found),
        # what the range earned the IKM: a negative balance carried from one statement
        # into the next is already in the month it arose
        net=sum(s.gross - s.commission for s in found),
        paid_out=_paid_out(session, view, first.first_day, last.last_day),
        overdue=sum(o.owed for _s, o in standing if o.overdue),
        overdue_statements=sum(1 for _s, o in standing if o.overdue))
    return ProgrammeView(
        agency_name=AGENCY_NAME, programme_name=PROGRAMME_NAME, period_from=str(first),
        period_to=str(last), made_on=made_on, headline=headline,
        by_month_sector=_month_sectors(read, names),
        top_hotels=_top(by_hotel), top_ikm=_top(by_ikm),
        sector_share=tuple((row.key, row.gross) for row in by_sector),
        tables=_tables(session, ctx, made_on, first, last, by_hotel) if tables else ())


def _paid_out(session: Session, view: Seen, first: date, last: date) -> int:
    """Paid to IKM from ``first`` through ``last``: the payments in force, by their date."""
    query = (select(Payment.amount)
             .join(Statement, Statement.id == Payment.statement_id)
             .outerjoin(PaymentVoid, PaymentVoid.payment_id == Payment.id)
             .where(PaymentVoid.payment_id.is_(None), Payment.paid_on >= first,
                    Payment.paid_on <= last))
    if view.hotel:
        query = query.where(Statement.hotel_code == view.hotel)
    if view.consignor:
        query = query.where(Statement.consignor_code == view.consignor)
    return sum(session.scalars(query))


def _month_sectors(found, names) -> tuple[MonthSector, ...]:
    """The gross of each (month, sector), from ``(month, IKM's code, gross)``."""
    gross: dict[tuple[str, str], int] = defaultdict(int)
    for period, consignor, amount in found:
        gross[period, names.consignors[consignor][1]] += amount
    return tuple(MonthSector(period, sector, amount)
                 for (period, sector), amount in sorted(gross.items()))


def _top(rows) -> tuple[Ranked, ...]:
    ranked = sorted((row for row in rows if row.gross or row.units),
                    key=lambda row: (-row.gross, -row.units, row.key))
    return tuple(Ranked(row.key, row.name, row.gross, row.units) for row in ranked[:TOP])


def _short(key: str, columns: tuple[str, ...], rows: list[tuple]) -> TableView:
    return TableView(key, columns, tuple(rows[:SHORT]), max(len(rows) - SHORT, 0))


def _tables(session: Session, ctx: Context, made_on: date, first, last, by_hotel
            ) -> tuple[TableView, ...]:
    placed = placements(session, ctx, as_of=made_on)
    aged = aging(session, ctx, as_of=made_on)
    owed = payments(session, ctx, as_of=made_on)
    shrunk = shrinkage(session, ctx, first, last)
    return (
        _short("placements", ("hotel", "products", "units", "value", "past_term"),
               [(t.key, t.products, t.units, t.value, t.due_back) for t in placed.by_hotel]),
        _short("aging", ("hotel", "consignor", "sku", "units", "days", "due_on"),
               [(r.hotel, r.consignor, r.sku, r.units_due, r.oldest_days, r.due_on)
                for r in aged.rows]),
        _short("sales", ("hotel", "gross", "commission", "net", "units"),
               [(r.key, r.gross, r.commission, r.net, r.units)
                for r in sorted(by_hotel, key=lambda r: (-r.gross, r.key))]),
        _short("payments", ("number", "hotel", "consignor", "due_on", "days", "owed"),
               [(r.number, r.hotel, r.consignor, r.due_on, r.days_overdue, r.owed)
                for r in owed.rows]),
        _short("shrinkage", ("hotel", "placed", "units", "rupiah", "share"),
               [(r.hotel, r.placed, r.units, r.rupiah, _share_text(r.share))
                for r in shrunk.rows]),
    )


def _share_text(value) -> str | None:
    return percent_text(value) if value is not None else None
