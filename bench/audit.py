"""Benchmark of the agency's audit reports: ``audit placements`` (with FIFO ages), ``audit
aging`` and ``audit sales`` over the whole range of months, on the ledger of the
settlement benchmark (by default 1,000,000 sales over 12 months), each against the bare
SQL that reads the same figures: the ratios (target within 3x) and the absolute times
(target under 1 s each on SQLite, so that a web dashboard can use them).

    python bench/audit.py                  # the full size, SQLite in a temp dir
    python bench/audit.py --quick          # 50,000 sales, 100 IKM, 8 hotels, 3 months
    python bench/audit.py --db postgresql://postgres@127.0.0.1/bench
"""

import random
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import settlement as setup  # noqa: E402  (bench/settlement.py: the ledger it builds)
from sqlalchemy import func, select, text  # noqa: E402

from consign.context import Context  # noqa: E402
from consign.models import Movement, Product  # noqa: E402
from consign.periods import Period  # noqa: E402
from consign.services import audit_reports  # noqa: E402
from consign.services.ledger.queries import end_of_day  # noqa: E402

WIB = setup.WIB


def main() -> None:
    args = parse()
    random.seed(args.seed)
    months = [Period(2020 + m // 12, m % 12 + 1) for m in range(args.months)]
    database, where = setup.open_database(args.db)
    print(f"Database: {where}")
    with setup.stage(f"set-up: {args.sales:,} sales, {args.ikm} IKM, {args.hotels} hotels, "
                     f"{args.months} months"):
        setup.generate(database, args, months)
    with setup.stage(f"set-up: closing {months[0]}..{months[-2]} (PDFs stubbed)"):
        setup.close_history(database, months[:-1], args.hotels)
    with database.engine.begin() as connection:
        connection.execute(text("ANALYZE"))
    as_of = months[-1].last_day
    ctx = Context.make("bench", now=months[-1].end(WIB) + timedelta(days=1))
    until = end_of_day(as_of, WIB)
    first, last = months[0], months[-1]
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
    parser = setup.arguments(__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="a small ledger: 50,000 sales, 100 IKM, 8 hotels, 3 months")
    args = parser.parse_args()
    if args.quick:
        args.sales, args.ikm, args.hotels, args.months = 50_000, 100, 8, 3
    return args


def measure(database, label: str, report, bare) -> None:
    def run(work):
        with database.transaction(readonly=True) as session:
            work(session)

    took = setup.best_of(3, lambda: run(report))
    baseline = setup.best_of(3, lambda: run(bare))
    verdict = "ok" if took < 1 else "over 1 s"
    print(f"{label}: {took:8.3f} s ({verdict})  bare SQL {baseline:8.3f} s  "
          f"ratio {took / baseline:5.1f}x (target <= 3x)")


def bare_shelves(session, until):
    """On hand per (hotel, product) and every movement of the ledger up to ``until`` in
    shelf order: what a FIFO age is read from."""
    session.execute(
        select(Movement.hotel_id, Movement.product_id, func.sum(Movement.qty))
        .where(Movement.at <= until)
        .group_by(Movement.hotel_id, Movement.product_id)).all()
    return session.execute(
        select(Movement.hotel_id, Movement.product_id, Movement.kind, Movement.qty,
               Movement.at)
        .where(Movement.at <= until)
        .order_by(Movement.hotel_id, Movement.product_id, Movement.at, Movement.id)).all()


def bare_sales(session, first: Period, last: Period):
    """Gross and units sold, and units placed, per hotel and month of the range."""
    start, end = first.start(WIB), last.end(WIB)
    return session.execute(
        select(Movement.hotel_id, Product.consignor_id, Movement.kind,
               func.sum(Movement.qty), func.sum(Movement.qty * Movement.unit_price))
        .join(Product, Product.id == Movement.product_id)
        .where(Movement.kind.in_(("sold", "placed")), Movement.at >= start,
               Movement.at < end)
        .group_by(Movement.hotel_id, Product.consignor_id, Movement.kind)).all()


if __name__ == "__main__":
    main()
