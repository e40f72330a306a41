"""From stored statements to the views the renderers print (``reports`` renders them).

A statement view is built from the statement's own snapshot only (its copied names, bank
account, lines, rates, stock rows and totals), never from the registry or the ledger. An
issued statement's PDF is archived when it is issued and served from the archive after
that, so these views may improve without changing any issued document. The commission
groups are recomputed from the frozen lines with the one rounding function; ``consign
check`` confirms they give the stored commission.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from consign.contacts import account_display, phone_display
from consign.models import Statement
from consign.periods import Period, zone
from consign.settlement import Line, code_of, groups_of
from reports.consolidated import ConsolidatedView
from reports.statement import (
    CommissionGroupView,
    LossView,
    StatementLineView,
    StatementView,
    StockRowView,
)

AGENCY_NAME = "Dinas Koperasi, Perindustrian dan Perdagangan Kota Malang"
PROGRAMME_NAME = "Program Konsinyasi Produk IKM di Hotel Mitra PHRI Kota Malang"


def build_statement_view(statement, tz: tzinfo | None = None) -> StatementView:
    """The view of one stored statement (a ``Statement`` with its lines, stock and losses
    loaded); a sale's time is shown in ``tz`` (by default the business time zone)."""
    tz = tz or zone()
    lines = tuple(
        StatementLineView(
            line.kind, line.day, line.sku, line.name, line.qty, line.unit_price, line.amount,
            line.rate_bp, time=_time(line.at, tz), receipt=line.receipt,
            payment=line.payment, note=line.note, reason=line.reason,
            corrects_date=line.corrects_day, corrects_receipt=line.corrects_receipt,
            corrects_number=line.corrects_number)
        for line in statement.lines
    )
    losses = tuple(LossView(loss.kind, loss.day, loss.sku, loss.name, loss.qty, loss.note,
                            loss.reason) for loss in statement.losses)
    return StatementView(
        number=statement.number, status=statement.status, period=statement.period,
        issued_on=statement.issued_on, due_on=statement.due_on,
        agency_name=AGENCY_NAME, programme_name=PROGRAMME_NAME,
        hotel_code=statement.hotel_code, hotel_name=statement.hotel_name,
        hotel_address=statement.hotel_address, hotel_phone=phone_display(statement.hotel_phone),
        consignor_code=statement.consignor_code, consignor_name=statement.consignor_name,
        owner_name=statement.owner_name, consignor_address=statement.consignor_address,
        bank=statement.bank, account=account_display(statement.account),
        holder=statement.holder,
        lines=lines, groups=_groups(lines), stock=tuple(_stock_row(row) for row in statement.stock),
        gross=statement.gross, commission=statement.commission,
        opening_balance=statement.opening_balance, net=statement.net,
        verification_code=code_of(statement), losses=losses,
    )


def _time(moment, tz: tzinfo) -> str | None:
    """``14:30 WIB``: a sale's time of day in the business time zone, with its name."""
    if moment is None:
        return None
    local = moment.astimezone(tz)
    return f"{local:%H:%M} {local.tzname()}"


def _groups(lines: Sequence[StatementLineView]) -> tuple[CommissionGroupView, ...]:
    as_lines = (Line(v.kind, v.date, v.sku, v.name, v.qty, v.unit_price, v.rate_bp, 0)
                for v in lines)
    return tuple(CommissionGroupView(g.rate_bp, g.amount, g.commission)
                 for g in groups_of(as_lines))


def _stock_row(row) -> StockRowView:
    return StockRowView(row.sku, row.name, row.opening, row.placed, row.sold, row.returned,
                        row.lost, row.counted, row.corrected, row.closing)


def build_consolidated_view(session, consignor, period, tz: tzinfo | None = None
                            ) -> ConsolidatedView:
    """One IKM's statements of ``period`` across its hotels (by hotel code), and its gross
    from January of that year through the period over all its statements."""
    statements = of_consignor(session, consignor.id, str(period))
    first = statements[0] if statements else None
    return ConsolidatedView(
        consignor_code=first.consignor_code if first else consignor.code,
        consignor_name=first.consignor_name if first else consignor.name,
        owner_name=first.owner_name if first else consignor.owner,
        address=first.consignor_address if first else consignor.address,
        bank=first.bank if first else consignor.bank or "",
        account=account_display(first.account if first else consignor.account or ""),
        holder=first.holder if first else consignor.holder or "",
        period=str(period),
        statements=tuple(build_statement_view(s, tz) for s in statements),
        year_to_date_gross=year_to_date_gross(session, consignor.id, period),
        year=period.year,
    )


def of_consignor(session: Session, consignor_id: int, period: str) -> list[Statement]:
    """The IKM's issued statements of the period (what a consolidated statement holds)."""
    query = (
        select(Statement)
        .where(Statement.consignor_id == consignor_id, Statement.period == period,
               Statement.status != "draft")
        .options(selectinload(Statement.lines), selectinload(Statement.stock),
                 selectinload(Statement.losses))
    )
    return list(session.scalars(query.order_by(Statement.hotel_code)))


def year_to_date_gross(session: Session, consignor_id: int, period: Period) -> int:
    """The IKM's gross over all hotels from January of the period's year through it, on
    its issued statements."""
    return int(
        session.scalar(
            select(func.coalesce(func.sum(Statement.gross), 0)).where(
                Statement.consignor_id == consignor_id, Statement.status != "draft",
                Statement.period >= f"{period.year:04d}-01",
                Statement.period <= str(period),
            )
        )
    )  # PostgreSQL sums BIGINT as NUMERIC
