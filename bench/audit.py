"""Benchmark of the agency's audit reports: ``audit placements`` (with FIFO ages), ``audit
aging`` and ``audit sales`` over the whole range of months, on the ledger of the
settlement benchmark (by default 1,000,000 sales over 12 months), each against the bare
SQL that computes the same figures (plain SQL text, below: the register's rows, the lots
on every shelf and the days to sell, first in first out, as the services' set-based
queries compute them): the ratios (target within 3x) and the absolute times (target under
1 s each on SQLite, so that a web dashboard can use them), wall clock and, in brackets,
this process's CPU time (the two differ on a busy machine). First it checks that the
services and the bare SQL give the same figures.

    python bench/audit.py                  # the full size, SQLite in a temp dir
    python bench/audit.py --quick          # 50,000 sales, 100 IKM, 8 hotels, 3 months
    python bench/audit.py --db postgresql://postgres@127.0.0.1/bench
    python bench/audit.py --db sqlite:////tmp/x/bench.db --prepared   # measure only
"""

import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import settlement as setup  # noqa: E402  (bench/settlement.py: the ledger it builds)
from sqlalchemy import bindparam, func, select, text  # noqa: E402

from consign.context import Context  # noqa: E402
from consign.models import Movement, Product  # noqa: E402
from consign.models.base import Moment  # noqa: E402
from consign.periods import Period  # noqa: E402
from consign.services import audit_reports  # noqa: E402
from consign.services.audit_reports.sales import days_sold  # noqa: E402
from consign.services.audit_reports.scoping import seen  # noqa: E402
from consign.services.ledger.queries import end_of_day  # noqa: E402
from consign.services.local_days import day_of  # noqa: E402

WIB = setup.WIB


def main() -> None:
    args = parse()
    random.seed(args.seed)
    months = [Period(2020 + m // 12, m % 12 + 1) for m in range(args.months)]
    database, where = setup.ledger(args, months)
    print(f"Database: {where}")
    as_of = months[-1].last_day
    ctx = Context.make("bench", now=months[-1].end(WIB) + timedelta(days=1))
    until = end_of_day(as_of, WIB)
    first, last = months[0], months[-1]
    agree(database, ctx, as_of, until, first, last)
    measure(database, f"audit placements --as-of {as_of}",
            lambda s: audit_reports.placements(s, ctx, as_of=as_of),
            lambda s: bare_shelves(s, until))
    measure(database, f"audit aging --as-of {as_of}",
            lambda s: audit_reports.aging(s, ctx, as_of=as_of),
            lambda s: bare_shelves(s, until))
    measure(database, f"audit sales {first} --to {last}",
            lambda s: audit_reports.sales(s, ctx, first, last),
            lambda s: bare_sales(s, first, last))
    database.dispose()


def parse():
    return setup.parsed(setup.measuring_arguments(__doc__.splitlines()[0]))


def measure(database, label: str, report, bare) -> None:
    def run(work):
        with database.transaction(readonly=True) as session:
            work(session)

    took, cpu = _best_of(3, lambda: run(report))
    baseline, bare_cpu = _best_of(3, lambda: run(bare))
    verdict = "ok" if took < 1 else "over 1 s"
    print(f"{label}: {took:8.3f} s [{cpu:.3f}] ({verdict})  bare SQL {baseline:8.3f} s "
          f"[{bare_cpu:.3f}]  ratio {took / baseline:5.1f}x (target <= 3x)")


def _best_of(times: int, work) -> tuple[float, float]:
    """The least wall-clock and the least CPU time of ``times`` runs."""
    wall = cpu = float("inf")
    for _ in range(times):
        start, start_cpu = time.perf_counter(), time.process_time()
        work()
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return wall, cpu


# ---- the bare SQL: the same figures as the services' set-based queries, written out --------
#
# First in first out over every shelf (consign.services.ledger.shelf and
# consign.services.audit_reports.fifo): the units on a shelf are the newest ones that came,
# as many as are on hand, found by walking back through the movements that added units; the
# days of the units a range's sales took come from the units on the shelf at its start and
# its end and those that came in it. Plain SQL here, with no service layer around it.

def _day(dialect: str, at: str) -> str:
    """The WIB business day of ``at``, as days since 1970-01-01."""
    if dialect == "postgresql":
        return f"((({at}) AT TIME ZONE 'Asia/Jakarta')::date - DATE '1970-01-01')"
    shift = repr(0.5 + 7 / 24 + 5e-9 - 2440588)
    return (f"(CASE WHEN {at} GLOB '????-??-?? 16:59:59.999[5-9]*' "
            f"THEN CAST(julianday(substr({at}, 1, 19)) + {shift} AS INTEGER) "
            f"ELSE CAST(julianday({at}) + {shift} AS INTEGER) END)")


def _pair(a: str, b: str) -> str:
    return f"{a}.hotel_id = {b}.hotel_id AND {a}.product_id = {b}.product_id"


def _adds(a: str) -> str:
    return f"{a}.qty > 0 AND {a}.kind <> 'reversal'"


def _before(a: str, at: str, movement_id: str) -> str:
    return f"{a}.at <= {at} AND ({a}.at < {at} OR {a}.id < {movement_id})"


def _walk(requests: str, voided: str) -> str:
    """The recursive walk back through the movements that added units (``walk``)."""
    def newest(r: str, at: str, movement_id: str) -> str:
        return (f"(SELECT n.id FROM movements n WHERE {_pair('n', r)} AND {_adds('n')} AND "
                f"{_before('n', at, movement_id)} AND n.id NOT IN (SELECT id FROM {voided}) "
                "ORDER BY n.at DESC, n.id DESC LIMIT 1)")

    return f"""walk(hotel_id, product_id, lo, hi, sign, at, id, qty, newer) AS (
  SELECT r.hotel_id, r.product_id, r.lo, r.hi, r.sign, m.at, m.id, m.qty, m.qty
  FROM {requests} r JOIN movements m ON m.id = {newest('r', 'r.bound_at', 'r.bound_id')}
  WHERE r.hi > r.lo
  UNION ALL
  SELECT w.hotel_id, w.product_id, w.lo, w.hi, w.sign, m.at, m.id, m.qty, w.newer + m.qty
  FROM walk w JOIN movements m ON m.id = {newest('w', 'w.at', 'w.id')}
  WHERE w.newer < w.hi)"""


_ASKED = ("((CASE WHEN newer < hi THEN newer ELSE hi END) "
          "- (CASE WHEN newer - qty > lo THEN newer - qty ELSE lo END))")
_HELD = ("s.on_hand - COALESCE((SELECT SUM(m.qty) FROM movements m WHERE "
         f"{_pair('m', 's')} AND m.at > :until), 0)")


def bare_register(dialect: str) -> list:
    """``audit placements`` / ``audit aging``: the shelves with their units on hand, value
    and first placement; the lots on each."""
    in_force = ("p.id NOT IN (SELECT root_id FROM movements WHERE root_id IS NOT NULL "
                "GROUP BY root_id HAVING COUNT(*) % 2 = 1)")
    price = (f"(SELECT p.unit_price FROM movements p WHERE {_pair('p', 'c')} AND "
             f"p.kind = 'placed' AND p.at <= :until AND {in_force} "
             "ORDER BY p.at DESC, p.id DESC LIMIT 1)")
    first = (f"(SELECT MIN({_day(dialect, 'p.at')}) FROM movements p WHERE {_pair('p', 'c')} "
             f"AND p.kind = 'placed' AND p.at <= :until AND {in_force})")
    rows = f"""
WITH chosen AS (SELECT s.hotel_id, s.product_id, {_HELD} AS held FROM stock s)
SELECT h.code, k.code, pr.sku, pr.name, c.held, c.held * COALESCE({price}, pr.price),
       {first}
FROM chosen c JOIN hotels h ON h.id = c.hotel_id JOIN products pr ON pr.id = c.product_id
JOIN consignors k ON k.id = pr.consignor_id
WHERE c.held <> 0 ORDER BY h.code, k.code, pr.sku"""
    lots = f"""
WITH RECURSIVE
voided AS (SELECT root_id AS id FROM movements WHERE root_id IS NOT NULL AND at <= :until
           GROUP BY root_id HAVING COUNT(*) % 2 = 1),
requests AS (SELECT s.hotel_id, s.product_id, :until AS bound_at, {2**62} AS bound_id,
                    0 AS lo, {_HELD} AS hi, 1 AS sign FROM stock s),
{_walk('requests', 'voided')}
SELECT hotel_id, product_id, {_day(dialect, 'at')}, {_ASKED} FROM walk WHERE newer > lo
ORDER BY hotel_id, product_id, at, id"""
    return [rows, lots]


def bare_days_sold(dialect: str) -> str:
    """``audit sales``' days to sell: per shelf with a sale in the range, its units sold in
    force and their days on the shelf (and whether it is read one movement at a time)."""
    outflow = ("{0}.qty < 0 AND {0}.kind IN ('placed', 'sold', 'returned', 'lost', "
               "'damaged', 'counted')")

    def total(expression: str, where: str) -> str:
        return f"(SELECT COALESCE(SUM({expression}), 0) FROM movements m WHERE {where})"

    def came(where: str, pair: str = "p") -> str:
        return total("m.qty", f"{_pair('m', pair)} AND {_adds('m')} AND {where}")

    return f"""
WITH RECURSIVE
sold AS (
  SELECT s.hotel_id, s.product_id, SUM(-m.qty) AS units,
         SUM(-m.qty * {_day(dialect, 'm.at')}) AS days
  FROM stock s JOIN movements m ON {_pair('m', 's')} AND m.kind = 'sold'
   AND m.at >= :start AND m.at < :end
  GROUP BY s.hotel_id, s.product_id),
roots AS (
  SELECT m.hotel_id, m.product_id, m.id, m.at, m.kind, m.qty, c.voids % 2 = 1 AS voided
  FROM (SELECT root_id AS id, COUNT(*) AS voids FROM movements
        WHERE root_id IS NOT NULL AND at < :end GROUP BY root_id) c
  JOIN movements m ON m.id = c.id),
voided AS (SELECT id FROM roots WHERE voided),
gone AS (SELECT hotel_id, product_id, id, at, kind, -qty AS units FROM roots
         WHERE voided AND qty < 0),
lost AS (
  SELECT hotel_id, product_id,
    SUM(CASE WHEN at < :start THEN units ELSE 0 END) AS before,
    SUM(CASE WHEN at >= :start AND kind = 'sold' THEN units ELSE 0 END) AS units,
    SUM(CASE WHEN at >= :start AND kind = 'sold' THEN units * {_day(dialect, 'at')} ELSE 0 END)
      AS days
  FROM gone GROUP BY hotel_id, product_id),
odd AS (SELECT hotel_id, product_id FROM roots
        WHERE (qty > 0 AND voided) OR (qty < 0 AND NOT voided) GROUP BY hotel_id, product_id),
taken AS (
  SELECT t.hotel_id, t.product_id, t.id, t.at, -t.qty AS units,
    {total('-m.qty', _pair('m', 't') + " AND m.at >= :start AND "
           + _before('m', 't.at', 't.id') + " AND " + outflow.format('m'))}
    - (SELECT COALESCE(SUM(g.units), 0) FROM gone g WHERE {_pair('g', 't')} AND g.at >= :start
       AND {_before('g', 't.at', 't.id')}) AS prior,
    {came(_before('m', 't.at', 't.id'), 't')} AS came
  FROM sold p JOIN movements t ON {_pair('t', 'p')} AND t.qty < 0
   AND t.kind NOT IN ('sold', 'reversal') AND t.at >= :start AND t.at < :end
  WHERE t.id NOT IN (SELECT id FROM voided)),
others AS (SELECT hotel_id, product_id, SUM(units) AS units FROM taken
           GROUP BY hotel_id, product_id),
held AS (
  SELECT p.hotel_id, p.product_id, p.units - COALESCE(l.units, 0) AS units,
    p.days - COALESCE(l.days, 0)
      - {total('m.qty * ' + _day(dialect, 'm.at'), _pair('m', 'p') + ' AND ' + _adds('m')
               + ' AND m.at >= :start AND m.at < :end')} AS days,
    {total('-m.qty', _pair('m', 'p') + ' AND m.at < :start AND ' + outflow.format('m'))}
      - COALESCE(l.before, 0) AS before,
    {came('m.at < :start')} AS came_before, {came('m.at < :end')} AS came,
    COALESCE(o.units, 0) AS taken,
    d.hotel_id IS NOT NULL OR EXISTS (
      SELECT 1 FROM movements i WHERE {_pair('i', 'p')} AND {_adds('i')}
      AND i.at >= :start AND i.at < :end AND EXISTS (
        SELECT 1 FROM movements e WHERE {_pair('e', 'i')} AND e.at = i.at AND e.id < i.id
        AND e.qty < 0 AND e.kind <> 'reversal')) AS odd
  FROM sold p LEFT JOIN lost l ON {_pair('l', 'p')} LEFT JOIN others o ON {_pair('o', 'p')}
  LEFT JOIN odd d ON {_pair('d', 'p')}),
requests AS (
  SELECT hotel_id, product_id, :start AS bound_at, 0 AS bound_id, 0 AS lo,
         came_before - before AS hi, 1 AS sign FROM held WHERE NOT odd
  UNION ALL
  SELECT hotel_id, product_id, :end, 0, 0, came - (before + units + taken), -1
  FROM held WHERE NOT odd
  UNION ALL
  SELECT t.hotel_id, t.product_id, t.at, t.id, t.came - h.before - t.prior - t.units,
         t.came - h.before - t.prior, -1
  FROM taken t JOIN held h ON {_pair('h', 't')} WHERE NOT h.odd),
{_walk('requests', 'voided')},
walked AS (
  SELECT hotel_id, product_id, SUM(sign * {_day(dialect, 'at')} * {_ASKED}) AS days
  FROM walk WHERE newer > lo GROUP BY hotel_id, product_id)
SELECT h.hotel_id, h.product_id, h.units, h.days - COALESCE(w.days, 0), h.odd
FROM held h LEFT JOIN walked w ON {_pair('w', 'h')}"""


def _statement(sql: str):
    return text(sql).bindparams(*(bindparam(name, type_=Moment())
                                  for name in ("until", "start", "end") if f":{name}" in sql))


def bare_shelves(session, until):
    """The register's rows and the lots on every shelf at ``until``."""
    dialect = session.get_bind().dialect.name
    return [session.execute(_statement(sql), {"until": until}).all()
            for sql in bare_register(dialect)]


def bare_sales(session, first: Period, last: Period):
    """Gross and units sold, and units placed, per hotel and IKM of the range, and the
    units sold and their days on the shelf, first in first out, per shelf."""
    start, end = first.start(WIB), last.end(WIB)
    figures = session.execute(
        select(Movement.hotel_id, Product.consignor_id, Movement.kind,
               func.sum(Movement.qty), func.sum(Movement.qty * Movement.unit_price))
        .join(Product, Product.id == Movement.product_id)
        .where(Movement.kind.in_(("sold", "placed")), Movement.at >= start,
               Movement.at < end)
        .group_by(Movement.hotel_id, Product.consignor_id, Movement.kind)).all()
    sql = bare_days_sold(session.get_bind().dialect.name)
    return figures, session.execute(_statement(sql), {"start": start, "end": end}).all()


def agree(database, ctx, as_of, until, first, last) -> None:
    """The services and the bare SQL give the same figures (else stop)."""
    with database.transaction(readonly=True) as session:
        report = audit_reports.placements(session, ctx, as_of=as_of)
        rows, lots = bare_shelves(session, until)
        oldest: dict = {}
        for hotel_id, product_id, day, _units in lots:
            oldest.setdefault((hotel_id, product_id), day)
        assert len(report.rows) == len(rows)
        assert report.total.units == sum(row[4] for row in rows) == sum(lot[3] for lot in lots)
        assert report.total.value == sum(row[5] for row in rows)
        assert sorted(r.since for r in report.rows) == sorted(map(day_of, oldest.values()))
        view = seen(session, ctx)
        ages = days_sold(session, ctx, first, last, view)
        _figures, days = bare_sales(session, first, last)
        regular = [row for row in days if not row[4]]
        odd = len(days) - len(regular)
        assert len(ages) == len(days)
        if not odd:
            assert (sum(u for u, _ in ages.values()), sum(d for _, d in ages.values())) == (
                sum(row[2] for row in regular), sum(row[3] for row in regular))
    print(f"services and bare SQL agree: {len(report.rows):,} shelves, "
          f"{report.total.units:,} units on hand; {sum(u for u, _ in ages.values()):,} units "
          f"sold, {sum(d for _, d in ages.values()):,} unit-days"
          + (f" ({odd} shelves read one movement at a time)" if odd else ""))


if __name__ == "__main__":
    from consign import runtime

    runtime.collect_less()  # as the command line runs: consign and the bare work alike
    main()
