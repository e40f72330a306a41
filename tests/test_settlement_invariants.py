"""Invariants over random ledgers (Hypothesis): two months at one hotel, October closed or
not, with sales, discounts, returns, losses of either liability and voids of anything,
also after October is closed. Whatever happens:

- Σ gross = Σ commission + Σ (net − opening balance);
- every stock row closes at opening + its movements, November opens where October closed,
  and closes at what the ledger has on hand at the end of November;
- over both months, gross is what was sold and lost at the hotel's risk and never voided;
- re-running ``settle`` on the drafts changes nothing, and ``consign check`` finds nothing.
"""

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consign.context import Context
from consign.db import Database
from consign.errors import ConsignError
from consign.services import check, ledger, registry, settlement, terms
from consign.services.settlement import statements as queries
from tests.settlement_support import NOV, OCT, lines, stock, totals, wib

PRODUCTS = {"BTK-001": ("IKM-0001", 150_000), "BTK-002": ("IKM-0001", 85_000),
            "KRP-001": ("IKM-0002", 10_110)}
SKUS = sorted(PRODUCTS)


def operation(month_start: date, days: int):
    day = st.integers(0, days - 1).map(lambda n: month_start + timedelta(days=n))
    sku = st.sampled_from(SKUS)
    qty = st.integers(1, 3)
    return st.one_of(
        st.tuples(st.just("place"), day, sku, st.integers(1, 6), st.none()),
        st.tuples(st.just("sell"), day, sku, qty, st.sampled_from([None, 9_990, 77_777])),
        st.tuples(st.just("return"), day, sku, qty, st.none()),
        st.tuples(st.just("lost"), day, sku, qty, st.sampled_from(["hotel", "consignor"])),
        st.tuples(st.just("damaged"), day, sku, qty, st.sampled_from(["hotel", "consignor"])),
        st.tuples(st.just("void"), day, st.just(""), st.integers(0, 40), st.none()),
    )


def ledgers():
    return st.tuples(
        st.lists(operation(date(2020, 10, 1), 31), max_size=14),
        st.booleans(),  # close October before November's movements?
        st.lists(operation(date(2020, 11, 1), 30), max_size=10),
        st.sampled_from([1750, 1500, 2000]),  # IKM-0002's rate from 16 October
    )


def setup(db: Database, ctx: Context, pair_rate: int) -> None:
    with db.transaction() as session:
        registry.add_hotel(session, ctx, "ATRIA", "Hotel Atria Malang", commission=2000)
        for code in ("IKM-0001", "IKM-0002"):
            registry.add_consignor(session, ctx, code, name=f"Usaha {code}", owner="Pemilik",
                                   sector="kriya")
        for sku, (owner, price) in PRODUCTS.items():
            registry.add_product(session, ctx, sku, owner, name=f"Produk {sku}", price=price)
        terms.set_terms(session, ctx, "ATRIA", pair_rate, consignor="IKM-0002",
                        valid_from=date(2020, 10, 16))


def apply(db: Database, ctx: Context, op, recorded: list) -> None:
    """Record one operation at 10:00 WIB on its day; a refusal (no stock, a closed period, a
    second void) records nothing and is skipped, as the user would be told."""
    kind, day, sku, qty, extra = op
    at = wib(f"{day.isoformat()} 10:00")
    try:
        with db.transaction() as session:
            recorded.extend(_record(session, ctx, kind, at, sku, qty, extra, recorded))
    except ConsignError:
        pass


def _record(session, ctx, kind, at, sku, qty, extra, recorded):
    if kind == "place":
        note = ledger.place(session, ctx, "ATRIA", PRODUCTS[sku][0], [(sku, qty, None)], at=at)
        return [m.id for m in note.movements]
    if kind == "sell":
        return [ledger.sell(session, ctx, "ATRIA", sku, qty, price=extra, at=at).movement.id]
    if kind == "return":
        [note] = ledger.return_goods(session, ctx, "ATRIA", [(sku, qty)], at=at)
        return [m.id for m in note.movements]
    if kind in ("lost", "damaged"):
        [note] = ledger.write_off(session, ctx, "ATRIA", kind, extra, "rusak", [(sku, qty)],
                                  at=at)
        return [m.id for m in note.movements]
    if recorded:  # void the qty-th movement recorded so far
        ledger.void(session, ctx, recorded[qty % len(recorded)], "koreksi", at=at)
    return []


def begin(fresh, pair_rate: int) -> tuple[Database, Context, list[int]]:
    """A fresh database with the hotel, its IKM and products, a clock in December 2020, and
    the list of movements recorded so far (what a void picks from)."""
    db = fresh()
    ctx = Context.make("tester", now=wib("2020-12-15 12:00"))
    setup(db, ctx, pair_rate)
    return db, ctx, []


def record(db: Database, ctx: Context, ops, recorded: list) -> None:
    """The operations in the order of their days."""
    for op in sorted(ops, key=lambda op: op[1]):
        apply(db, ctx, op, recorded)


def close(db: Database, period) -> None:
    """Close the month at ATRIA on the 2nd of the next month."""
    with db.transaction() as session:
        settlement.close_period(
            session, Context.make(
                "tester", wib(f"{period.next().first_day + timedelta(days=1)} 10:00")),
            period, "ATRIA")


def figures(db: Database, period):
    with db.transaction(readonly=True) as session:
        found = queries.of_period(session, period)
        return [(totals(s), lines(s), stock(s)) for s in found]


def settled_value(db: Database) -> int:
    """What the hotel owes for both months, from the ledger itself: every sale and every
    hotel-liable loss that no reversal undid, at its own price."""
    from sqlalchemy import select

    from consign.models import Movement

    with db.transaction(readonly=True) as session:
        reversed_ids = set(session.scalars(
            select(Movement.reverses_id).where(Movement.reverses_id.is_not(None))))
        total = 0
        for movement in session.scalars(select(Movement).where(Movement.id.not_in(
                reversed_ids) if reversed_ids else Movement.id.is_not(None))):
            hotel_loss = movement.kind in ("lost", "damaged") and movement.liable == "hotel"
            if movement.kind == "sold" or hotel_loss:
                total += -movement.qty * movement.unit_price
        return total


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(story=ledgers())
def test_statements_balance_and_reconcile_whatever_the_ledger(fresh, story):
    october_ops, close_october, november_ops, pair_rate = story
    db, ctx, recorded = begin(fresh, pair_rate)
    record(db, ctx, october_ops, recorded)
    issued_october = None
    if close_october:
        close(db, OCT)
        issued_october = figures(db, OCT)
    record(db, ctx, november_ops, recorded)
    with db.transaction() as session:
        settlement.settle(session, ctx, OCT)
        settlement.settle(session, ctx, NOV)
    october, november = figures(db, OCT), figures(db, NOV)

    every = [t for t, _, _ in october + november]
    assert sum(t[3] for t in every) == sum(t[4] for t in every) + sum(t[6] - t[5] for t in every)
    assert sum(t[3] for t in every) == settled_value(db)
    _stock_reconciles(db, october, november)
    if issued_october is not None:
        assert october == issued_october  # November's voids did not touch October
    with db.transaction() as session:
        settlement.settle(session, ctx, NOV)
    assert figures(db, NOV) == november
    with db.transaction() as session:  # check extends the audit chain: it writes
        assert check.run(session, ctx.tz) == []


def _stock_reconciles(db: Database, october, november) -> None:
    closing = {}
    for _, _, rows in october:
        for sku, opening, placed, sold, returned, lost, counted, corrected, end in rows:
            assert end == opening + placed - sold - returned - lost + counted + corrected
            closing[sku] = end
    with db.transaction(readonly=True) as session:
        on_hand = {r.sku: r.on_hand for r in ledger.stock(session, as_of=NOV.end(wib_zone()))}
    november_closing = {}
    for _, _, rows in november:
        for sku, opening, placed, sold, returned, lost, counted, corrected, end in rows:
            assert opening == closing.get(sku, 0)
            assert end == opening + placed - sold - returned - lost + counted + corrected
            if end:
                november_closing[sku] = end
    carried = {sku for sku, units in closing.items() if units}
    assert carried <= {row[0] for _, _, rows in november for row in rows}
    assert november_closing == on_hand


def wib_zone():
    from tests.settlement_support import WIB

    return WIB
