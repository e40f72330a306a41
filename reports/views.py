"""From stored statements to the views the renderers print.

A statement view is built from the statement's own snapshot only (its copied names, bank
account, lines, rates, stock rows and totals), never from the registry or the ledger, so
that the same stored statement renders to the same bytes forever: ``statement pdf`` and
``verify`` rely on it. The commission groups are recomputed from the frozen lines with the
one rounding function; ``consign check`` confirms they give the stored commission.
"""

from __future__ import annotations

import atexit
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from consign.settlement import Line, groups_of
from reports.consolidated import ConsolidatedView
from reports.statement import (
    CommissionGroupView,
    StatementLineView,
    StatementView,
    StockRowView,
    render_statement,
)

AGENCY_NAME = "Dinas Koperasi, Perindustrian dan Perdagangan Kota Malang"
PROGRAMME_NAME = "Program Konsinyasi Produk IKM di Hotel Mitra PHRI Kota Malang"
PARALLEL_FROM = 24  # fewer statements than this render in this process


def build_statement_view(statement) -> StatementView:
    """The view of one stored statement (a ``Statement`` with its lines and stock loaded)."""
    lines = tuple(
        StatementLineView(line.kind, line.day, line.sku, line.name, line.qty, line.unit_price,
                          line.amount, line.rate_bp)
        for line in statement.lines
    )
    return StatementView(
        number=statement.number, status=statement.status, period=statement.period,
        issued_on=statement.issued_on, due_on=statement.due_on,
        agency_name=AGENCY_NAME, programme_name=PROGRAMME_NAME,
        hotel_code=statement.hotel_code, hotel_name=statement.hotel_name,
        hotel_address=statement.hotel_address, hotel_phone=statement.hotel_phone,
        consignor_code=statement.consignor_code, consignor_name=statement.consignor_name,
        owner_name=statement.owner_name, consignor_address=statement.consignor_address,
        bank=statement.bank, account=statement.account, holder=statement.holder,
        lines=lines, groups=_groups(lines), stock=tuple(_stock_row(row) for row in statement.stock),
        gross=statement.gross, commission=statement.commission,
        opening_balance=statement.opening_balance, net=statement.net,
    )


def _groups(lines: Sequence[StatementLineView]) -> tuple[CommissionGroupView, ...]:
    as_lines = (Line(v.kind, v.date, v.sku, v.name, v.qty, v.unit_price, v.rate_bp, 0)
                for v in lines)
    return tuple(CommissionGroupView(g.rate_bp, g.amount, g.commission)
                 for g in groups_of(as_lines))


def _stock_row(row) -> StockRowView:
    return StockRowView(row.sku, row.name, row.opening, row.placed, row.sold, row.returned,
                        row.lost, row.counted, row.corrected, row.closing)


def build_consolidated_view(session, consignor, period) -> ConsolidatedView:
    """One IKM's statements of ``period`` across its hotels (by hotel code), and its gross
    from January of that year through the period over all its statements."""
    from consign.services.settlement import statements as queries

    statements = queries.of_consignor(session, consignor.id, str(period))
    first = statements[0] if statements else None
    return ConsolidatedView(
        consignor_code=first.consignor_code if first else consignor.code,
        consignor_name=first.consignor_name if first else consignor.name,
        owner_name=first.owner_name if first else consignor.owner,
        address=first.consignor_address if first else consignor.address,
        bank=first.bank if first else consignor.bank or "",
        account=first.account if first else consignor.account or "",
        holder=first.holder if first else consignor.holder or "",
        period=str(period),
        statements=tuple(build_statement_view(s) for s in statements),
        year_to_date_gross=queries.year_to_date_gross(session, consignor.id, period),
        year=period.year,
    )


# ---- rendering many ----------------------------------------------------------------------

def _render(job: tuple[StatementView, str]) -> bytes:
    view, lang = job
    return render_statement(view, lang)


def render_statements(views: Sequence[StatementView], lang: str = "id",
                      workers: int | None = None) -> list[bytes]:
    """Every view's PDF, in order; many of them are shared out over the machine's cores."""
    return list(iter_render(views, lang, workers))


def iter_render(views: Sequence[StatementView], lang: str = "id",
                workers: int | None = None) -> Iterator[bytes]:
    """Every view's PDF, in order, as each is ready (for a progress bar)."""
    jobs = [(view, lang) for view in views]
    workers = workers or min(os.cpu_count() or 1, 8)
    if workers < 2 or len(jobs) < PARALLEL_FROM:
        yield from map(_render, jobs)
        return
    chunk = max(1, min(16, len(jobs) // (workers * 4)))
    yield from _pool(workers).map(_render, jobs, chunksize=chunk)


_POOLS: dict[int, ProcessPoolExecutor] = {}


def _pool(workers: int) -> ProcessPoolExecutor:
    """One pool per size, started on first use and kept for the life of the process (a
    worker imports reportlab once, not once per close). Workers start from a fork server,
    never from this process's threads or open database connections."""
    if workers not in _POOLS:
        _POOLS[workers] = ProcessPoolExecutor(workers, mp_context=get_context("forkserver"))
        atexit.register(_POOLS[workers].shutdown)
    return _POOLS[workers]
