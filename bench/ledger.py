"""How fast is the ledger? Hotel staff log sales one by one all day, and tills export
months of sales at once.

In one run, on SQLite files with the same pragmas (WAL, synchronous=NORMAL):

1. 5,000 single sales through the service layer, each its own transaction
   (``Database.transaction()`` + ``ledger.sell``), against bare ``sqlite3`` doing the
   same guarded stock update, movement insert and audit entry per transaction;
2. a 200,000-row sales file through ``ledger.import_sales``, against bare ``sqlite3``
   reading the same file and inserting its rows and their audit entries with
   ``executemany``.

Prints both times and ratios. Targets: single sales within 3x, the import within 4x.

    .venv/bin/python bench/ledger.py [--sales 5000] [--rows 200000]
"""

import argparse
import csv
import shutil
import sqlite3
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from consign import schema
from consign.context import Context
from consign.db import Database
from consign.services import ledger, registry
from consign.tabular import Upload

NOW = datetime(2020, 12, 15, 5, 0, tzinfo=UTC)
START = datetime(2020, 10, 1, 2, 0, tzinfo=UTC)
SKUS = [f"BTK-{n:03d}" for n in range(1, 51)]
PRICE = 150_000
DETAIL = ('{"consignor": "IKM-0001", "hotel": "ATRIA", "kind": "sold", "liable": null, '
          '"note": null, "payment": null, "qty": -1, "reason": null, "receipt": null, '
          '"reverses": null, "sku": "BTK-001", "unit_price": 150000}')
PRAGMAS = ("PRAGMA foreign_keys = ON", "PRAGMA busy_timeout = 60000",
           "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL")
UPDATE = ("UPDATE stock SET on_hand = on_hand + ?, last_at = max(coalesce(last_at, ?), ?) "
          "WHERE hotel_id = ? AND product_id = ? AND on_hand + ? >= 0")
# a sale counts in settlement at its own moment (``counts_at``), and is the first of its
# receipt (``receipt_version`` 0), as consign records it
INSERT = ("INSERT INTO movements (kind, hotel_id, product_id, qty, unit_price, at, "
          "counts_at, recorded_at, actor, receipt, receipt_version) "
          "VALUES ('sold', 1, ?1, ?2, ?3, ?4, ?4, ?5, 'bench', ?6, 0)")
# the audit entry every movement gets (the same work consign does for it)
AUDIT = ("INSERT INTO audit_log (at, recorded_at, actor, action, record, detail) "
         "VALUES (?, ?, 'bench', 'sold', 'movement:' || ?, ?)")


def stamp(moment: datetime) -> str:
    """A moment as SQLAlchemy stores it in SQLite: naive UTC with microseconds."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def seeded(folder: Path, units: int) -> Path:
    """A migrated database with one hotel, 50 products and ``units`` of each placed."""
    path = folder / "seed.db"
    database = Database(f"sqlite:///{path}")
    schema.upgrade(database.engine)
    ctx = Context.make("bench", now=NOW)
    with database.transaction() as session:
        registry.add_hotel(session, ctx, "ATRIA", "Hotel Atria Malang", commission="20%")
        registry.add_consignor(session, ctx, "IKM-0001", name="Batik", owner="Sri",
                               sector="fashion")
        for sku in SKUS:
            registry.add_product(session, ctx, sku, "IKM-0001", name=sku, price=PRICE)
        for start in range(0, units, 100_000):  # a line holds at most 100.000 units
            qty = min(100_000, units - start)
            ledger.place(session, ctx, "ATRIA", "IKM-0001",
                         [(sku, qty, None) for sku in SKUS], at=START)
    database.dispose()
    return path


def copy(seed: Path, name: str) -> Path:
    target = seed.with_name(name)
    shutil.copy(seed, target)
    return target


def bare_connection(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None)
    for pragma in PRAGMAS:
        connection.execute(pragma)
    return connection


# ---- single sales -----------------------------------------------------------------------

def service_sales(path: Path, count: int) -> float:
    database = Database(f"sqlite:///{path}")
    ctx = Context.make("bench", now=NOW)
    started = time.perf_counter()
    for n in range(count):
        with database.transaction() as session:
            ledger.sell(session, ctx, "ATRIA", SKUS[n % len(SKUS)],
                        at=START + timedelta(minutes=n + 1))
    elapsed = time.perf_counter() - started
    database.dispose()
    return elapsed


def bare_sales(path: Path, count: int) -> float:
    connection = bare_connection(path)
    recorded = stamp(NOW)
    started = time.perf_counter()
    for n in range(count):
        at = stamp(START + timedelta(minutes=n + 1))
        product_id = n % len(SKUS) + 1
        connection.execute("BEGIN IMMEDIATE")
        updated = connection.execute(UPDATE, (-1, at, at, 1, product_id, -1))
        assert updated.rowcount == 1
        movement = connection.execute(INSERT, (product_id, -1, PRICE, at, recorded, None))
        connection.execute(AUDIT, (at, recorded, movement.lastrowid, DETAIL))
        connection.execute("COMMIT")
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


# ---- a sales file -----------------------------------------------------------------------

def till_file(folder: Path, rows: int) -> Path:
    path = folder / "till.csv"
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["sold_at", "sku", "qty", "unit_price", "receipt"])
        for n in range(rows):
            local = START.astimezone(ledger_tz()) + timedelta(seconds=20 * n)
            writer.writerow([local.strftime("%Y-%m-%d %H:%M:%S"), SKUS[n % len(SKUS)], 1,
                             "" if n % 3 else PRICE, f"R-{n:07d}"])
    return path


def ledger_tz():
    from consign.periods import zone

    return zone()


def service_import(path: Path, till: Path) -> float:
    database = Database(f"sqlite:///{path}")
    ctx = Context.make("bench", now=NOW)
    started = time.perf_counter()
    with database.transaction() as session:
        result = ledger.import_sales(session, ctx, "ATRIA", Upload.read(till))
    elapsed = time.perf_counter() - started
    database.dispose()
    assert result.added > 0
    return elapsed


def bare_import(path: Path, till: Path) -> tuple[float, float]:
    """Read the same file, convert its times to UTC, insert with executemany and move each
    product's stock once. Returns (total, executemany and commit only)."""
    connection = bare_connection(path)
    ids = {sku: n + 1 for n, sku in enumerate(SKUS)}
    tz, recorded = ledger_tz(), stamp(NOW)
    started = time.perf_counter()
    with till.open(newline="") as file:
        reader = csv.reader(file)
        next(reader)
        rows = [(ids[sku], -int(qty), int(price or PRICE),
                 stamp(datetime.fromisoformat(sold_at).replace(tzinfo=tz)), recorded, receipt)
                for sold_at, sku, qty, price, receipt in reader]
    inserting = time.perf_counter()
    connection.execute("BEGIN IMMEDIATE")
    first = (connection.execute("SELECT max(id) FROM movements").fetchone()[0] or 0) + 1
    connection.executemany(INSERT, rows)
    connection.executemany(AUDIT, [(row[3], recorded, first + n, DETAIL)
                                   for n, row in enumerate(rows)])
    totals = {}
    for product_id, qty, *_ in rows:
        totals[product_id] = totals.get(product_id, 0) + qty
    for product_id, qty in totals.items():
        connection.execute(UPDATE, (qty, rows[-1][3], rows[-1][3], 1, product_id, qty))
    connection.execute("COMMIT")
    finished = time.perf_counter()
    connection.close()
    return finished - started, finished - inserting


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sales", type=int, default=5_000)
    parser.add_argument("--rows", type=int, default=200_000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        seed = seeded(folder, units=options.sales + options.rows)
        service = service_sales(copy(seed, "service.db"), options.sales)
        bare = bare_sales(copy(seed, "bare.db"), options.sales)
        till = till_file(folder, options.rows)
        imported = service_import(copy(seed, "service-import.db"), till)
        bare_total, bare_insert = bare_import(copy(seed, "bare-import.db"), till)
    print(f"{options.sales:,} single sales, each its own transaction:")
    print(f"  service layer  {service:7.2f} s  ({service / options.sales * 1e6:5.0f} µs a sale)")
    print(f"  bare sqlite3   {bare:7.2f} s  ({bare / options.sales * 1e6:5.0f} µs a sale)")
    print(f"  ratio          {service / bare:7.2f} x  (target ≤ 3x)")
    print(f"{options.rows:,}-row sales file:")
    print(f"  import_sales   {imported:7.2f} s")
    print(f"  bare sqlite3   {bare_total:7.2f} s  (read and convert the file, executemany, "
          f"commit; executemany and commit alone {bare_insert:.2f} s)")
    print(f"  ratio          {imported / bare_total:7.2f} x  (target ≤ 4x; "
          f"{imported / bare_insert:.2f} x against executemany alone)")


if __name__ == "__main__":
    from consign import runtime

    runtime.collect_less()  # as the command line runs: consign and the bare work alike
    main()
