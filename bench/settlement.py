"""Benchmark of settlement: ``settle`` of one month against the bare SQL aggregate of that
month's sales by (hotel, IKM); ``close`` with its PDFs against bare reportlab building the
same number of one-table documents.

The ledger (by default 1,000,000 sales over 12 months, 700 IKM, 40 hotels, each IKM in 4
hotels with 3 products) is generated with bulk inserts; the months before the measured one
are closed during set-up (with PDF rendering stubbed out: set-up is not measured), so the
measured month starts from issued closing stock, as it does in use.

    python bench/settlement.py                       # the full size, SQLite in a temp dir
    python bench/settlement.py --sales 50000 --ikm 100 --hotels 8 --months 3   # quick
    python bench/settlement.py --db postgresql://postgres@127.0.0.1/bench
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from unittest import mock
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import (  # noqa: E402
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    func,
    insert,
    select,
    text,
)

from consign import schema  # noqa: E402
from consign.context import Context  # noqa: E402
from consign.db import Database  # noqa: E402
from consign.models import (  # noqa: E402
    Consignor,
    Hotel,
    Movement,
    Product,
    Statement,
    StatementLine,
    Stock,
    Terms,
)
from consign.periods import Period  # noqa: E402
from consign.services import settlement  # noqa: E402

WIB = ZoneInfo("Asia/Jakarta")
HOTELS_PER_IKM = 4
PRODUCTS_PER_IKM = 3
PRICES = (35_000, 85_000, 120_000, 150_000, 275_000, 10_110)


def main() -> None:
    args = parse()
    random.seed(args.seed)
    months = [Period(2020 + m // 12, m % 12 + 1) for m in range(args.months)]
    database, where = open_database(args.db)
    print(f"Database: {where}")
    with stage(f"set-up: {args.sales:,} sales, {args.ikm} IKM, {args.hotels} hotels, "
               f"{args.months} months"):
        generate(database, args, months)
    target = months[-1]
    with stage(f"set-up: closing {months[0]}..{months[-2]} (PDFs stubbed)"):
        close_history(database, months[:-1], args.hotels)
    with database.engine.begin() as connection:  # statistics for the planner, as in use
        connection.execute(text("ANALYZE"))
    bare = best_of(3, lambda: bare_settle(database, target))
    print(f"bare SQL: {target}'s sales copied into a lines table, statements summed from "
          f"it: {bare:8.3f} s")
    first, count = timed_settle(database, target)
    again, _ = timed_settle(database, target)
    print(f"settle {target} ({count:,} statements, first build): {first:8.3f} s  "
          f"ratio {first / bare:5.1f}x (target <= 3x)")
    print(f"settle {target} again (rebuilding drafts):{again:11.3f} s  "
          f"ratio {again / bare:5.1f}x")
    whole, peak = process(["consign", "settle", str(target), "--format", "json"], where)
    bare_whole, bare_peak = process([sys.executable, "-c", BARE_SETTLE, str(target)], where)
    print(f"as whole processes: consign settle {whole:.3f} s (peak RSS {peak} MiB), a bare "
          f"click + SQLAlchemy program {bare_whole:.3f} s ({bare_peak} MiB): ratio "
          f"{whole / bare_whole:.1f}x")
    print_close(database, target)
    database.dispose()


def arguments(description: str) -> argparse.ArgumentParser:
    """The size of the generated ledger and where it goes (the audit benchmark's too)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--sales", type=int, default=1_000_000)
    parser.add_argument("--ikm", type=int, default=700)
    parser.add_argument("--hotels", type=int, default=40)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--db", help="database URL (default: SQLite in a temporary folder)")
    parser.add_argument("--seed", type=int, default=2020)
    return parser


def parse():
    return arguments(__doc__.splitlines()[0]).parse_args()


def measuring_arguments(description: str) -> argparse.ArgumentParser:
    """:func:`arguments`, and what the benchmarks that measure on the ledger take: a small
    ledger (``--quick``), or the one an earlier run left at ``--db`` (``--prepared``)."""
    parser = arguments(description)
    parser.add_argument("--quick", action="store_true",
                        help="a small ledger: 50,000 sales, 100 IKM, 8 hotels, 3 months")
    parser.add_argument("--prepared", action="store_true",
                        help="measure only, on the ledger --db holds (built by an earlier "
                             "run of the same size)")
    return parser


def parsed(parser: argparse.ArgumentParser):
    """The arguments of :func:`measuring_arguments`, the ledger's size set by ``--quick``."""
    args = parser.parse_args()
    if args.prepared and not args.db:
        parser.error("--prepared needs --db")
    if args.quick:
        args.sales, args.ikm, args.hotels, args.months = 50_000, 100, 8, 3
    return args


def ledger(args, months) -> tuple[Database, str]:
    """The ledger to measure on: the one at ``--db`` (``--prepared``), else one generated
    there (or in a temporary folder) with every month but the last closed."""
    if args.prepared:
        return Database(args.db), args.db
    database, where = open_database(args.db)
    with stage(f"set-up: {args.sales:,} sales, {args.ikm} IKM, {args.hotels} hotels, "
               f"{args.months} months"):
        generate(database, args, months)
    with stage(f"set-up: closing {months[0]}..{months[-2]} (PDFs stubbed)"):
        close_history(database, months[:-1], args.hotels)
    with database.engine.begin() as connection:  # statistics for the planner, as in use
        connection.execute(text("ANALYZE"))
    return database, where


@contextmanager
def stage(label: str):
    start = time.perf_counter()
    print(f"{label} ...", end=" ", flush=True)
    yield
    print(f"{time.perf_counter() - start:.1f} s")


def best_of(times: int, work) -> float:
    best = float("inf")
    for _ in range(times):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def open_database(url: str | None):
    if url is None:
        folder = Path(tempfile.mkdtemp(prefix="consign-bench-"))
        url = f"sqlite:///{folder / 'bench.db'}"
    database = Database(url)
    if not database.is_sqlite:
        with database.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    schema.upgrade(database.engine)
    return database, url


# ---- set-up ----------------------------------------------------------------------------------

def generate(database: Database, args, months) -> None:
    now = datetime(2021, 6, 1, tzinfo=UTC)
    with database.transaction() as session:
        hotel_ids = _insert(session, Hotel, [
            {"code": f"H{n:02d}", "name": f"Hotel {n:02d} Malang", "address": "Jl. Ijen",
             "phone": "+62341400000", "active": True} for n in range(args.hotels)])
        ikm_ids = _insert(session, Consignor, [
            {"code": f"IKM-{n:04d}", "name": f"Usaha {n:04d}", "owner": "Pemilik",
             "sector": "kriya", "address": "Malang", "bank": "BRI", "account": f"{n:015d}",
             "holder": "Pemilik", "active": True} for n in range(args.ikm)])
        products = _products(session, ikm_ids)
        _terms(session, hotel_ids, ikm_ids, months)
        pairs = _hotel_products(hotel_ids, ikm_ids, products)
        _movements(session, pairs, args.sales, months, now)


def _insert(session, model, rows) -> list[int]:
    result = session.execute(insert(model).returning(model.id, sort_by_parameter_order=True),
                             rows)
    return [row[0] for row in result]


def _products(session, ikm_ids):
    rows = [{"sku": f"P{ikm:04d}-{k}", "consignor_id": ikm, "name": f"Produk {ikm}-{k}",
             "category": "kriya", "price": random.choice(PRICES), "active": True}
            for ikm in ikm_ids for k in range(PRODUCTS_PER_IKM)]
    ids = _insert(session, Product, rows)
    by_ikm: dict[int, list[tuple[int, int]]] = {}
    for product_id, row in zip(ids, rows, strict=True):
        by_ikm.setdefault(row["consignor_id"], []).append((product_id, row["price"]))
    return by_ikm


def _terms(session, hotel_ids, ikm_ids, months) -> None:
    """20% by default; every tenth IKM gets 17.5% at each of its hotels from mid-year."""
    middle = months[len(months) // 2].first_day + timedelta(days=14)
    rows = [{"hotel_id": h, "consignor_id": None, "rate_bp": 2000, "valid_from": None,
             "valid_to": None, "display_days": 90, "payment_days": 14} for h in hotel_ids]
    rows += [{"hotel_id": h, "consignor_id": c, "rate_bp": 1750, "valid_from": middle,
              "valid_to": None, "display_days": 90, "payment_days": 14}
             for h in hotel_ids for c in ikm_ids[::10]]
    session.execute(insert(Terms), rows)


def _hotel_products(hotel_ids, ikm_ids, products):
    pairs = []
    for ikm in ikm_ids:
        for hotel in random.sample(hotel_ids, min(HOTELS_PER_IKM, len(hotel_ids))):
            pairs += [(hotel, product, price) for product, price in products[ikm]]
    return pairs


def _movements(session, pairs, sales: int, months, now) -> None:
    """Each month, every (hotel, product) gets a placement on the 1st covering its sales."""
    per_month = sales // len(months)
    on_hand: dict[tuple[int, int], int] = {}
    for period in months:
        counts: dict[int, int] = {}
        for _ in range(per_month):
            index = random.randrange(len(pairs))
            counts[index] = counts.get(index, 0) + 1
        rows = []
        start = period.start(WIB)
        seconds = int((period.end(WIB) - start).total_seconds()) - 86_400
        for index, sold in counts.items():
            hotel, product, price = pairs[index]
            rows.append(_row("placed", hotel, product, sold + 1, price, start, now))
            for _ in range(sold):
                at = start + timedelta(seconds=86_400 + random.randrange(seconds))
                rows.append(_row("sold", hotel, product, -1, price, at, now))
            on_hand[(hotel, product)] = on_hand.get((hotel, product), 0) + 1
        for chunk in range(0, len(rows), 50_000):
            session.execute(insert(Movement), rows[chunk:chunk + 50_000])
    session.execute(insert(Stock), [
        {"hotel_id": h, "product_id": p, "on_hand": units, "last_at": now}
        for (h, p), units in on_hand.items()])


def _row(kind, hotel, product, qty, price, at, now) -> dict:
    return {"kind": kind, "hotel_id": hotel, "product_id": product, "qty": qty,
            "unit_price": price, "at": at, "counts_at": at, "recorded_at": now,
            "actor": "bench"}


def close_history(database: Database, months, hotels: int) -> None:
    """The months before the measured one, closed with their PDFs stubbed out and without
    starting the renderer's workers (the measured close starts them, as a first close
    does)."""
    def stubbed(views, lang="id", workers=None, count=None, meanwhile=None):
        views = list(views)
        if meanwhile is not None:  # what the close does while the workers draw
            meanwhile()
        return (f"%PDF set-up {view.number}".encode() for view in views)

    render = mock.patch("reports.pool.iter_render", stubbed)
    start = mock.patch("reports.pool.start", lambda count, workers=None: None)
    codes = [f"H{n:02d}" for n in range(hotels)]
    with render, start:
        for period in months:
            ctx = Context.make("bench", now=period.end(WIB) + timedelta(days=1))
            for code in codes:
                with database.transaction() as session:
                    settlement.close_period(session, ctx, period, code)


# ---- measured ----------------------------------------------------------------------------------

_BARE = MetaData()
_BARE_LINES = Table(
    "bare_lines", _BARE, Column("id", Integer, primary_key=True),
    Column("hotel_id", Integer), Column("consignor_id", Integer), Column("movement_id", Integer),
    Column("sku", String(60)), Column("name", String(200)), Column("qty", BigInteger),
    Column("unit_price", BigInteger), Column("amount", BigInteger), Column("at", DateTime),
    Column("receipt", String(60)), Column("payment", String(20)),
    Index("ix_bare_lines_pair", "hotel_id", "consignor_id"))
_BARE_STATEMENTS = Table(
    "bare_statements", _BARE, Column("id", Integer, primary_key=True),
    Column("hotel_id", Integer), Column("consignor_id", Integer), Column("units", BigInteger),
    Column("gross", BigInteger))


#: the least a month's settlement does, in bare SQL (in process here, and in BARE_SETTLE)
COPY_SALES = (
    "INSERT INTO bare_lines (hotel_id, consignor_id, movement_id, sku, name, qty, "
    "unit_price, amount, at, receipt, payment) "
    "SELECT m.hotel_id, p.consignor_id, m.id, p.sku, p.name, -m.qty, m.unit_price, "
    "-m.qty * m.unit_price, m.at, m.receipt, m.payment "
    "FROM movements m JOIN products p ON p.id = m.product_id "
    "WHERE m.kind = 'sold' AND m.counts_at >= :start AND m.counts_at < :end")
SUM_STATEMENTS = (
    "INSERT INTO bare_statements (hotel_id, consignor_id, units, gross) "
    "SELECT hotel_id, consignor_id, SUM(qty), SUM(amount) FROM bare_lines "
    "GROUP BY hotel_id, consignor_id")


def bare_settle(database: Database, period: Period) -> None:
    """The least a month's settlement does, in bare SQL in one transaction: copy the month's
    sales into a lines table and sum one statement per (hotel, IKM) from it."""
    _BARE.create_all(database.engine)
    with database.engine.begin() as connection:
        connection.execute(_BARE_LINES.delete())
        connection.execute(_BARE_STATEMENTS.delete())
        connection.execute(text(COPY_SALES), {"start": _stored(database, period.start(WIB)),
                                              "end": _stored(database, period.end(WIB))})
        connection.execute(text(SUM_STATEMENTS))


def _stored(database: Database, moment: datetime):
    """A moment as the movements table holds it (naive UTC text on SQLite)."""
    if database.is_sqlite:
        return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    return moment


BARE_SETTLE = f"""
import os, sys
from datetime import datetime, timedelta, timezone
import click
from sqlalchemy import create_engine, text

@click.command()
@click.argument("period")
def settle(period):
    year, month = map(int, period.split("-"))
    start = datetime(year, month, 1) - timedelta(hours=7)
    end = datetime(year + month // 12, month % 12 + 1, 1) - timedelta(hours=7)
    url = os.environ["CONSIGN_DATABASE_URL"]
    sqlite = url.startswith("sqlite")
    bounds = {{"start": start, "end": end}}
    if sqlite:
        bounds = {{k: v.strftime("%Y-%m-%d %H:%M:%S.%f") for k, v in bounds.items()}}
    else:
        bounds = {{k: v.replace(tzinfo=timezone.utc) for k, v in bounds.items()}}
    with create_engine(url).begin() as connection:
        connection.execute(text("DELETE FROM bare_lines"))
        connection.execute(text("DELETE FROM bare_statements"))
        connection.execute(text({COPY_SALES!r}), bounds)
        connection.execute(text({SUM_STATEMENTS!r}))
    click.echo("settled")

settle()
"""


_LAUNCH = """
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
took = time.perf_counter() - start
print(took, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024, code)
"""


def process(command: list[str], url: str) -> tuple[float, int]:
    """Wall time and peak resident memory (MiB) of one command run on the database (started
    from a small launcher, so that the peak is the command's, not this process's)."""
    environment = {**os.environ, "CONSIGN_DATABASE_URL": url, "CONSIGN_USER": "bench"}
    if command[0] == "consign":
        command = [str(Path(sys.executable).parent / "consign"), *command[1:]]
    done = subprocess.run([sys.executable, "-c", _LAUNCH, *command], env=environment,
                          capture_output=True, text=True, check=True)
    took, peak, code = done.stdout.split()
    took, peak, code = float(took), int(peak), int(code)
    if code != 0:
        raise SystemExit(f"{command[0]} failed on the benchmark's database")
    return took, peak


def timed_settle(database: Database, period: Period) -> tuple[float, int]:
    ctx = Context.make("bench", now=period.end(WIB) + timedelta(days=1))
    start = time.perf_counter()
    with database.transaction() as session:
        count = len(settlement.settle(session, ctx, period))
    return time.perf_counter() - start, count


def print_close(database: Database, target: Period) -> None:
    """The close of every hotel's month against the issue's target: no more than twice
    bare reportlab making as many one-table documents in one process, plus one process
    start (the renderer's workers, once; all the machine's cores may render)."""
    closing, sizes, cores = timed_close(database, target)
    bare = min(bare_reportlab(sizes) for _ in range(3))
    start = best_of(3, process_start)
    allowed = 2 * bare + start
    print(f"close {target}, all hotels, {len(sizes):,} PDFs, rendered by {cores} "
          f"process{'es' if cores > 1 else ''} of {os.cpu_count()} cores: {closing:8.3f} s")
    print(f"bare reportlab, {len(sizes):,} one-table documents, one process: {bare:8.3f} s")
    print(f"one process start (Python importing the renderer):  {start:8.3f} s")
    print(f"close / bare reportlab: {closing / bare:5.2f}x; target: close <= 2 x bare + one "
          f"process start = {allowed:.3f} s: {'met' if closing <= allowed else 'NOT met'} "
          f"({closing / allowed:4.2f} of it)")


def timed_close(database: Database, period: Period) -> tuple[float, list[int], int]:
    """Close the month at every hotel (one transaction each), PDFs rendered and hashed;
    the seconds, each statement's number of lines, and the most processes that rendered
    one hotel's statements."""
    from reports.pool import workers_for

    ctx = Context.make("bench", now=period.end(WIB) + timedelta(days=1))
    with database.transaction(readonly=True) as session:
        codes = list(session.scalars(select(Hotel.code).order_by(Hotel.code)))
    counts: list[int] = []
    start = time.perf_counter()
    for code in codes:
        with database.transaction() as session:
            counts.append(len(settlement.close_period(session, ctx, period, code)))
    elapsed = time.perf_counter() - start
    with database.transaction(readonly=True) as session:
        sizes = list(session.scalars(
            select(func.count(StatementLine.id))
            .join(Statement, Statement.id == StatementLine.statement_id)
            .where(Statement.period == str(period))
            .group_by(Statement.id)))
    return elapsed, sizes, max(map(workers_for, counts), default=1)


_BARE_REPORTLAB = """
import io, sys, time
from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate, Table
sizes = [int(rows) for rows in sys.stdin.read().split()]
start = time.perf_counter()
for rows in sizes:
    data = [["No", "Tanggal", "SKU", "Nama", "Qty", "Harga", "Jumlah"]] + [
        [str(n), "5 Okt 2020", "P0001-1", "Produk", "1", "Rp150.000", "Rp150.000"]
        for n in range(max(rows, 1))]
    SimpleDocTemplate(io.BytesIO(), pagesize=A4).build([Table(data, repeatRows=1)])
print(time.perf_counter() - start)
"""


def bare_reportlab(sizes: list[int]) -> float:
    """The same number of documents, each one table with as many rows as its statement has
    lines, built by reportlab alone in one process: a fresh one, so that it is reportlab
    as installed (a process that has rendered statements has the renderer's speed-ups to
    reportlab in it); that process's start and imports are not counted."""
    done = subprocess.run([sys.executable, "-c", _BARE_REPORTLAB], check=True, text=True,
                          input=" ".join(map(str, sizes)), capture_output=True)
    return float(done.stdout)


def process_start() -> None:
    """What the target allows for starting the renderer's workers: a Python process that
    starts and imports the renderer."""
    subprocess.run([sys.executable, "-c", "import reports.statement"], check=True,
                   cwd=Path(__file__).resolve().parent.parent)


if __name__ == "__main__":
    from consign import runtime

    runtime.collect_less()  # as the command line runs: consign and the bare work alike
    main()
