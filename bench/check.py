"""Benchmark of ``consign check`` on a year whose every month is closed, against the bare
SQL (and a bare hashlib loop) that recomputes the same sums: stock per pair from the
movements against the stored stock, the running stock never below zero, every movement
against its audit entry, the statements' totals from their lines and their digests, the
archived PDFs' hashes, payments within nets, the number series, the references and the
audit chain's hashes. Prints both times, their ratio (target within 5x), check's time
(target under 30 s at the full size) and the peak RSS of each (check must hold no more
than a month's worth of data).

The ledger is the settlement benchmark's (by default 1,000,000 sales over 12 months, 700
IKM, 40 hotels), each movement with its audit entry as the services write it, and every
month closed (PDFs stubbed). Each measurement runs in a fresh interpreter, so that its
peak RSS is its own and not the set-up's.

    python bench/check.py                  # the full size, SQLite in a temp dir
    python bench/check.py --quick          # 50,000 sales, 100 IKM, 8 hotels, 3 months
    python bench/check.py --db postgresql://postgres@127.0.0.1/bench
    python bench/check.py --db sqlite:////tmp/x/bench.db --prepared   # measure only
"""

import argparse
import hashlib
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC
from operator import itemgetter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import settlement as setup  # noqa: E402  (bench/settlement.py: the ledger it builds)
from sqlalchemy import select, text  # noqa: E402

from consign.db import Database  # noqa: E402
from consign.models import Base, Consignor, Hotel, Movement, Product  # noqa: E402
from consign.periods import Period  # noqa: E402
from consign.services import audit  # noqa: E402

WIB = setup.WIB
CHUNK = 20_000


def main() -> None:
    args = parse()
    if args.measure:
        result = MEASURED[args.measure](args)
        if result is not None:
            print(json.dumps(result))
        return
    if not args.prepared:  # in a process of its own too: its peak is no measurement's
        args.db = args.db or f"sqlite:///{Path(tempfile.mkdtemp(prefix='consign-bench-'))}/bench.db"
        child("prepare", args, show=True)
    print(f"Database: {args.db}")
    idle = child("idle", args)
    check = best(child("check", args) for _ in range(args.repeat))
    bare = best(child("bare", args) for _ in range(args.repeat))
    verdict = "ok" if check["seconds"] < 30 else "over 30 s"
    print(f"consign check: {check['seconds']:8.3f} s ({verdict}), CPU {check['cpu']:8.3f} s, "
          f"{check['found']} problem(s), peak RSS {check['rss'] / 1024:6.1f} MiB")
    print(f"bare SQL and hashlib: {bare['seconds']:8.3f} s, CPU {bare['cpu']:8.3f} s, "
          f"{bare['found']} problem(s), peak RSS {bare['rss'] / 1024:6.1f} MiB")
    print(f"(a process with consign imported and a connection, idle: peak RSS "
          f"{idle['rss'] / 1024:6.1f} MiB)")
    print(f"check / bare: {check['seconds'] / bare['seconds']:5.2f}x, CPU "
          f"{check['cpu'] / bare['cpu']:5.2f}x (target <= 5x)")


def parse():
    parser = setup.measuring_arguments(__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1,
                        help="measure each this many times and keep the fastest")
    parser.add_argument("--measure", choices=sorted(MEASURED), help=argparse.SUPPRESS)
    return setup.parsed(parser)


def best(results) -> dict:
    return min(results, key=itemgetter("seconds"))


def prepare(args) -> None:
    random.seed(args.seed)
    months = [Period(2020 + m // 12, m % 12 + 1) for m in range(args.months)]
    database, _ = setup.open_database(args.db)
    with setup.stage(f"set-up: {args.sales:,} sales, {args.ikm} IKM, {args.hotels} hotels, "
                     f"{args.months} months"):
        setup.generate(database, args, months)
    with setup.stage("set-up: an audit entry for every movement"):
        audit_movements(database)
    with setup.stage(f"set-up: closing {months[0]}..{months[-1]} (PDFs stubbed)"):
        setup.close_history(database, months, args.hotels)
    with database.engine.begin() as connection:  # statistics for the planner, as in use
        connection.execute(text("ANALYZE"))
    database.dispose()


def audit_movements(database: Database) -> None:
    """The entry the services write for each movement (the settlement benchmark inserts
    the movements bare), so that check finds a sound ledger."""
    with database.transaction() as session:
        hotels = dict(session.execute(select(Hotel.id, Hotel.code)).all())
        products = {pid: (sku, code) for pid, sku, code in session.execute(
            select(Product.id, Product.sku, Consignor.code)
            .join(Consignor, Consignor.id == Product.consignor_id))}
        rows = session.execute(
            select(Movement.id, Movement.kind, Movement.hotel_id, Movement.product_id,
                   Movement.qty, Movement.unit_price, Movement.at, Movement.recorded_at,
                   Movement.actor).order_by(Movement.id)).all()
        for start in range(0, len(rows), CHUNK):
            entries = []
            for mid, kind, hotel, product, qty, price, at, recorded_at, actor in \
                    rows[start:start + CHUNK]:
                sku, consignor = products[product]
                detail = audit.movement_detail(kind, hotels[hotel], consignor, sku, qty, price)
                entries.append({"at": at, "recorded_at": recorded_at, "actor": actor,
                                "action": audit.movement_action(kind),
                                "record": f"movement:{mid}", "detail": audit.detail_text(detail)})
            audit.record_many(session, entries)


# ---- measured, each in a fresh interpreter -------------------------------------------------------

def child(what: str, args, show: bool = False) -> dict:
    """What one step reports, run in a fresh interpreter (``show``: its output shown as it
    comes, and nothing reported)."""
    command = [sys.executable, __file__, "--measure", what, "--sales", str(args.sales),
               "--ikm", str(args.ikm), "--hotels", str(args.hotels), "--months",
               str(args.months), "--seed", str(args.seed)] + (["--db", args.db] if args.db else [])
    if show:
        subprocess.run(command, check=True)
        return {}
    done = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
    return json.loads(done.stdout.splitlines()[-1])


def measured(work):
    """A measurement: seconds, CPU seconds, problems found and the process's peak RSS (KiB)."""
    def run(args) -> dict:
        database = Database(args.db)
        start, cpu = time.perf_counter(), time.process_time()
        found = work(database)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        database.dispose()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return {"seconds": seconds, "cpu": cpu, "found": found, "rss": rss}
    return run


@measured
def timed_check(database: Database) -> int:
    from consign.services import check

    with database.transaction() as session:  # check takes the audit queue into the chain
        return len(check.run(session, WIB))


@measured
def bare(database: Database) -> int:
    with database.engine.connect() as connection:
        raw = connection.connection.driver_connection
        found = bare_ledger(raw) + bare_statements(raw) + bare_registry(raw)
        found += bare_chain(raw) + bare_references(raw)
        connection.rollback()
    return found


@measured
def idle(database: Database) -> int:
    """What the interpreter, consign and a connection take before any work."""
    with database.engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    return 0


MEASURED = {"check": timed_check, "bare": bare, "idle": idle, "prepare": prepare}


def rows(raw, sql: str):
    """The rows of ``sql`` on the DBAPI connection, fetched in chunks."""
    cursor = raw.cursor()
    cursor.execute(sql)
    while chunk := cursor.fetchmany(CHUNK):
        yield from chunk
    cursor.close()


def count(raw, sql: str) -> int:
    return sum(1 for _ in rows(raw, sql))


def _iso(moment) -> str:
    """A moment as the audit chain hashes it (SQLite holds it as text in UTC)."""
    if isinstance(moment, str):
        return moment.replace(" ", "T") + "+00:00"
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def bare_ledger(raw) -> int:
    """Stock per pair against the stored stock, the running stock at both moments, each
    movement's kind, sign, moment and audit entry, the flows per pair and kind, the
    reversals."""
    found = count(raw, """
        SELECT m.hotel_id, m.product_id FROM (SELECT hotel_id, product_id, sum(qty) AS units
          FROM movements GROUP BY hotel_id, product_id) m
        FULL JOIN stock s ON s.hotel_id = m.hotel_id AND s.product_id = m.product_id
        WHERE coalesce(s.on_hand, 0) <> coalesce(m.units, 0)""")
    for moment in ("at", "counts_at"):
        found += count(raw, f"""
            SELECT * FROM (SELECT hotel_id, product_id, {moment}, sum(qty) OVER (PARTITION BY
              hotel_id, product_id ORDER BY {moment}) AS balance FROM movements) t
            WHERE balance < 0""")
    found += count(raw, """
        SELECT r.*, o.* FROM movements r LEFT JOIN movements o ON o.id = r.reverses_id
        WHERE r.kind = 'reversal' OR r.reverses_id IS NOT NULL""")
    found += count(raw, """
        SELECT id FROM movements WHERE (kind <> 'reversal' AND (counts_at <> at OR root_id
          IS NOT NULL)) OR (kind = 'placed' AND qty < 0) OR (kind IN ('sold', 'returned',
          'lost', 'damaged') AND qty > 0)""")
    found += count(raw, """
        SELECT f.hotel_id, f.product_id FROM (SELECT hotel_id, product_id, sum(CASE WHEN k =
          'placed' THEN units ELSE 0 END) AS placed, sum(CASE WHEN k = 'counted' THEN 0
          ELSE units END) AS moved FROM (SELECT m.hotel_id, m.product_id, CASE WHEN m.kind =
          'reversal' THEN coalesce(o.kind, m.kind) ELSE m.kind END AS k, sum(m.qty) AS units
          FROM movements m LEFT JOIN movements o ON o.id = m.root_id
          GROUP BY m.hotel_id, m.product_id, k) g GROUP BY hotel_id, product_id) f
        FULL JOIN stock s ON s.hotel_id = f.hotel_id AND s.product_id = f.product_id
        WHERE coalesce(f.moved, 0) <> coalesce(s.on_hand, 0)""")
    for _, kind, qty, price, reverses, at, detail, entry_at in rows(raw, """
            SELECT m.id, m.kind, m.qty, m.unit_price, m.reverses_id, m.at, a.detail, a.at
            FROM movements m LEFT JOIN audit_log a ON a.record = 'movement:' || m.id
            ORDER BY m.id"""):
        said = json.loads(detail) if detail is not None else {}
        found += (said.get("kind"), said.get("qty"), said.get("unit_price"),
                  said.get("reverses"), entry_at) != (kind, qty, price, reverses, at)
    return found


def bare_statements(raw) -> int:
    """Gross and commission of each statement from its lines by rate group, net from its
    figures, stock rows closing, carried over and not negative, each issued statement's
    row, lines and stock rows hashed, the archived PDFs, payments within nets."""
    found = count(raw, """
        SELECT s.id FROM statements s LEFT JOIN (SELECT statement_id, sum(amount) AS gross,
          sum(CASE WHEN amount >= 0 THEN (amount * rate_bp + 5000) / 10000
            ELSE -((-amount * rate_bp + 5000) / 10000) END) AS commission
          FROM (SELECT statement_id, rate_bp, sum(qty * unit_price) AS amount
            FROM statement_lines GROUP BY statement_id, rate_bp) r GROUP BY statement_id) l
          ON l.statement_id = s.id
        WHERE coalesce(l.gross, 0) <> s.gross OR coalesce(l.commission, 0) <> s.commission
          OR s.net <> s.gross - s.commission + s.opening_balance""")
    found += count(raw, """
        SELECT id FROM statement_stock WHERE closing <> opening + placed - sold - returned
          - lost + counted + corrected OR opening < 0 OR closing < 0""")
    found += _carried(raw)
    _digests(raw)
    for data, digest in rows(raw, "SELECT data, sha256 FROM documents"):
        found += hashlib.sha256(data).hexdigest() != digest
    found += count(raw, """
        SELECT s.id FROM statements s JOIN (SELECT statement_id, sum(amount) AS paid
          FROM payments WHERE id NOT IN (SELECT payment_id FROM payment_voids)
          GROUP BY statement_id) p ON p.statement_id = s.id
        WHERE s.status <> 'issued' OR s.net <= 0 OR p.paid > s.net""")
    return found


def _carried(raw) -> int:
    """Stock rows that do not open with what the pair's statement of the month before
    closed with (either side missing counts as zero)."""
    periods = [Period(int(p[:4]), int(p[5:])) for (p,) in rows(
        raw, "SELECT DISTINCT period FROM statements")]
    if not periods:
        return 0
    pairs = ", ".join(f"('{p}', '{p.previous()}')" for p in periods)
    return count(raw, f"""
        WITH months(period, before) AS (VALUES {pairs}),
        chained AS (SELECT s.id AS now_id, p.id AS before_id FROM statements s
          JOIN months m ON m.period = s.period
          JOIN statements p ON p.hotel_id = s.hotel_id AND p.consignor_id = s.consignor_id
            AND p.period = m.before)
        SELECT c.now_id FROM chained c
        JOIN statement_stock b ON b.statement_id = c.now_id
        LEFT JOIN statement_stock a ON a.statement_id = c.before_id AND a.sku = b.sku
        WHERE coalesce(a.closing, 0) <> b.opening
        UNION ALL
        SELECT c.now_id FROM chained c
        JOIN statement_stock a ON a.statement_id = c.before_id
        LEFT JOIN statement_stock b ON b.statement_id = c.now_id AND b.sku = a.sku
        WHERE b.id IS NULL AND a.closing <> 0""")


def _digests(raw) -> None:
    """A SHA-256 over each issued statement's row, lines, stock rows and losses, read in
    order (of the raw rows: a digest of Python values cannot be held to one of these)."""
    parts = ("statement_lines", "statement_stock", "statement_losses")
    streams = [rows(raw, f"SELECT * FROM {table} ORDER BY statement_id, position, id")
               for table in parts]
    pending = [next(stream, None) for stream in streams]
    for statement in rows(raw, "SELECT * FROM statements WHERE status <> 'draft' "
                               "ORDER BY id"):
        content = [repr(statement)]
        for n, stream in enumerate(streams):
            while pending[n] is not None and pending[n][1] <= statement[0]:
                content.append(repr(pending[n]))
                pending[n] = next(stream, None)
        hashlib.sha256("\n".join(content).encode()).hexdigest()


def bare_registry(raw) -> int:
    """The audit entries of issues and closes, the numbers in use and the counters."""
    found = 0
    for (detail,) in rows(raw, "SELECT detail FROM audit_log WHERE action IN "
                               "('statement.issue', 'period.close')"):
        found += not json.loads(detail)
    for sql in ("SELECT number FROM statements WHERE number IS NOT NULL",
                "SELECT number FROM notes", "SELECT hotel_id, period FROM closed_periods",
                "SELECT name, value FROM counters"):
        list(rows(raw, sql))
    return found


def bare_chain(raw) -> int:
    """The audit chain walked in order, each link's hash recomputed with hashlib; and the
    entries in neither the chain nor its queue."""
    found, previous, expected = 0, audit.GENESIS, 1
    for seq, stored, entry_id, at, recorded_at, *rest in rows(raw, """
            SELECT c.seq, c.hash, a.id, a.at, a.recorded_at, a.actor, a.action, a.record,
              a.detail FROM audit_chain c LEFT JOIN audit_log a ON a.id = c.entry_id
            ORDER BY c.seq"""):
        found += seq != expected
        content = "\n".join((previous, str(entry_id), _iso(at), _iso(recorded_at), *rest))
        found += hashlib.sha256(content.encode()).hexdigest() != stored
        previous, expected = stored, seq + 1
    return found + count(raw, """
        SELECT id FROM audit_log a WHERE NOT EXISTS (SELECT 1 FROM audit_chain c
          WHERE c.entry_id = a.id) AND NOT EXISTS (SELECT 1 FROM audit_queue q
          WHERE q.entry_id = a.id)""")


def bare_references(raw) -> int:
    found = 0
    for table in Base.metadata.sorted_tables:
        for key in table.foreign_key_constraints:
            column, target = key.elements[0].parent, key.elements[0].column
            found += count(raw, f"""
                SELECT 1 FROM {table.name} t LEFT JOIN {target.table.name} r
                  ON r.{target.name} = t.{column.name}
                WHERE t.{column.name} IS NOT NULL AND r.{target.name} IS NULL""")
    return found


if __name__ == "__main__":
    from consign import runtime

    runtime.collect_less()  # as the command line runs: consign and the bare work alike
    main()
