"""Settling every hotel at once (one statement per step for the whole programme) makes
exactly the statements settling each hotel by itself makes: over random ledgers at two
hotels with the same goods (sales at list and discounted prices, returns, losses, voids and
voids of voids; each hotel with its own default rate and one IKM with terms of its own at
one of them; October closed at neither, one or both), every statement row, line (with its
position, moment, receipt and payment), stock row and loss is the same; and the figures the
audit computes for the open month of both hotels together are those of each alone."""

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from consign.context import Context
from consign.errors import ConsignError, MissingRate
from consign.models import Consignor, Hotel, Statement, StatementLine, StatementLoss, StatementStock
from consign.periods import Period
from consign.services import ledger, registry, settlement, terms
from consign.services.settlement import build
from tests.settlement_support import NOV, OCT, wib
from tests.test_settlement_invariants import PRODUCTS, operation

HOTELS = ("ATRIA", "TUGU")
DEC = Period(2020, 12)  # open, with what is still on the shelves
_SKIP = {"id", "statement_id"}


def stories():
    return st.tuples(
        st.lists(st.tuples(st.sampled_from(HOTELS), operation(date(2020, 10, 1), 31)),
                 max_size=18),
        st.sets(st.sampled_from(HOTELS)),  # the hotels that close October first
        st.lists(st.tuples(st.sampled_from(HOTELS), operation(date(2020, 11, 1), 30)),
                 max_size=12),  # November, after October closed at the hotels that close it
        st.sampled_from([1750, 1500, 2500]),  # IKM-0002's own rate at TUGU from 16 October
    )


def _setup(db, ctx, pair_rate: int) -> None:
    with db.transaction() as session:
        registry.add_hotel(session, ctx, "ATRIA", "Hotel Atria Malang", commission=2000)
        registry.add_hotel(session, ctx, "TUGU", "Hotel Tugu Malang", commission=1250)
        for code in ("IKM-0001", "IKM-0002"):
            registry.add_consignor(session, ctx, code, name=f"Usaha {code}", owner="Pemilik",
                                   sector="kriya")
        for sku, (owner, price) in PRODUCTS.items():
            registry.add_product(session, ctx, sku, owner, name=f"Produk {sku}", price=price)
        terms.set_terms(session, ctx, "TUGU", pair_rate, consignor="IKM-0002",
                        valid_from=date(2020, 10, 16))


def _apply(db, ctx, hotel: str, op, recorded: dict) -> None:
    """One operation at 10:00 WIB on its day at ``hotel``; a refusal records nothing."""
    kind, day, sku, qty, extra = op
    at = wib(f"{day.isoformat()} 10:00")
    mine = recorded[hotel]
    try:
        with db.transaction() as session:
            if kind == "place":
                note = ledger.place(session, ctx, hotel, PRODUCTS[sku][0], [(sku, qty, None)],
                                    at=at)
                mine += [m.id for m in note.movements]
            elif kind == "sell":
                mine.append(ledger.sell(session, ctx, hotel, sku, qty, price=extra,
                                        at=at).movement.id)
            elif kind == "return":
                [note] = ledger.return_goods(session, ctx, hotel, [(sku, qty)], at=at)
                mine += [m.id for m in note.movements]
            elif kind in ("lost", "damaged"):
                [note] = ledger.write_off(session, ctx, hotel, kind, extra, "rusak",
                                          [(sku, qty)], at=at)
                mine += [m.id for m in note.movements]
            elif mine:
                ledger.void(session, ctx, mine[qty % len(mine)], "koreksi", at=at)
    except ConsignError:
        pass


def _record(db, ctx, ops, recorded) -> None:
    for hotel, op in sorted(ops, key=lambda item: item[1][1]):
        _apply(db, ctx, hotel, op, recorded)


def _close_october(db, hotel: str) -> None:
    with db.transaction() as session:
        settlement.close_period(session, Context.make("tester", wib("2020-11-02 10:00")),
                                OCT, hotel)


def _rows(session, model, order):
    columns = [c for c in model.__table__.columns if c.name not in _SKIP]
    query = select(Statement.period, Statement.hotel_code, Statement.consignor_code,
                   *columns).order_by(Statement.period, Statement.hotel_code,
                                      Statement.consignor_code, *order)
    if model is not Statement:
        query = query.join(Statement, Statement.id == model.statement_id)
    return [tuple(row) for row in session.execute(query)]


def _everything(db) -> dict:
    with db.transaction(readonly=True) as session:
        return {
            "statements": _rows(session, Statement, ()),
            "lines": _rows(session, StatementLine, (StatementLine.position,)),
            "stock": _rows(session, StatementStock, (StatementStock.position,)),
            "losses": _rows(session, StatementLoss, (StatementLoss.position,)),
        }


def _computed(db, ctx, codes) -> dict:
    """Per (period, hotel id, IKM id), the figures of November and December as the audit
    computes them."""
    with db.transaction(readonly=True) as session:
        hotels = list(session.scalars(select(Hotel).where(Hotel.code.in_(codes))))
        return {(str(period), *key): (f.gross, f.commission, f.opening_balance, f.net,
                                      f.stock, f.lines, f.sold, f.losses)
                for period in (NOV, DEC)
                for key, f in build.compute(session, hotels, period, ctx.tz).items()}


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(story=stories())
def test_every_hotel_settled_at_once_is_each_hotel_settled_alone(fresh, story):
    october, closing, november, pair_rate = story
    db = fresh()
    ctx = Context.make("tester", now=wib("2020-12-15 12:00"))
    _setup(db, ctx, pair_rate)
    recorded = {hotel: [] for hotel in HOTELS}
    for hotel in HOTELS:  # every product on both shelves from the start
        for sku in PRODUCTS:
            _apply(db, ctx, hotel, ("place", date(2020, 10, 1), sku, 6, None), recorded)
    _record(db, ctx, october, recorded)
    for hotel in sorted(closing):
        _close_october(db, hotel)
    _record(db, ctx, november, recorded)

    together = _computed(db, ctx, HOTELS)
    alone = {**_computed(db, ctx, ["ATRIA"]), **_computed(db, ctx, ["TUGU"])}
    assert together == alone

    with db.transaction() as session:  # every hotel in one settle
        for period in (OCT, NOV, DEC):
            settlement.settle(session, ctx, period)
    at_once = _everything(db)
    with db.transaction() as session:  # and again, one hotel at a time
        for period in (OCT, NOV, DEC):
            for hotel in HOTELS:
                settlement.settle(session, ctx, period, hotel=hotel)
    assert _everything(db) == at_once
    drafted = {(s[0], s[1], s[2]) for s in at_once["statements"] if s[0] != str(OCT)}
    with db.transaction(readonly=True) as session:
        hotels = dict(session.execute(select(Hotel.id, Hotel.code)).all())
        ikm = dict(session.execute(select(Consignor.id, Consignor.code)).all())
    assert {(period, hotels[hotel_id], ikm[consignor_id])
            for period, hotel_id, consignor_id in together} == drafted


def test_a_missing_rate_names_the_first_hotel_by_code_and_writes_nothing(fresh):
    """TUGU has no default rate: settling every hotel refuses with TUGU's sale, and ATRIA's
    drafts are not written either (one transaction)."""
    db = fresh()
    ctx = Context.make("tester", now=wib("2020-12-15 12:00"))
    with db.transaction() as session:
        registry.add_hotel(session, ctx, "ATRIA", "Hotel Atria Malang", commission=2000)
        registry.add_hotel(session, ctx, "TUGU", "Hotel Tugu Malang")
        registry.add_consignor(session, ctx, "IKM-0001", name="Usaha", owner="Pemilik",
                               sector="kriya")
        registry.add_product(session, ctx, "BTK-001", "IKM-0001", name="Batik", price=150_000)
        for hotel in HOTELS:
            ledger.place(session, ctx, hotel, "IKM-0001", [("BTK-001", 2, None)],
                         at=wib("2020-11-02 09:00"))
            ledger.sell(session, ctx, hotel, "BTK-001", 1, at=wib("2020-11-30 23:30"))
    try:
        with db.transaction() as session:
            settlement.settle(session, ctx, NOV)
    except MissingRate as refusal:
        assert "TUGU / IKM-0001 on 2020-11-30" in str(refusal)
    else:
        raise AssertionError("settled a sale without a rate")
    assert _everything(db)["statements"] == []
    with db.transaction() as session:
        [statement] = settlement.settle(session, ctx, NOV, hotel="ATRIA")
    # 150,000 at 20.00% = 30,000
    assert (statement.gross, statement.commission, statement.net) == (150_000, 30_000, 120_000)


def test_each_hotel_carries_forward_its_own_negative_net_hand_computed(fresh):
    """IKM-0001 at two hotels whose latest statements are of different months.

    ATRIA (20%): October sells one batik (150,000) and is closed; November voids that sale,
    a correction of 150,000 gross and 30,000 commission, so November's net is -120,000;
    December sells one again: 150,000 - 30,000 = 120,000, less the -120,000 carried: 0.
    TUGU (12.5%): October sells one and returns the other (net 150,000 - 18,750 = 131,250,
    nothing left, so no November statement); December places two and sells one: 131,250,
    with nothing carried (its latest statement, October's, was not negative)."""
    db = fresh()
    ctx = Context.make("tester", now=wib("2020-12-15 12:00"))
    with db.transaction() as session:
        registry.add_hotel(session, ctx, "ATRIA", "Hotel Atria Malang", commission=2000)
        registry.add_hotel(session, ctx, "TUGU", "Hotel Tugu Malang", commission=1250)
        registry.add_consignor(session, ctx, "IKM-0001", name="Usaha", owner="Pemilik",
                               sector="kriya")
        registry.add_product(session, ctx, "BTK-001", "IKM-0001", name="Batik", price=150_000)
        ledger.place(session, ctx, "ATRIA", "IKM-0001", [("BTK-001", 3, None)],
                     at=wib("2020-10-01 09:00"))
        october_sale = ledger.sell(session, ctx, "ATRIA", "BTK-001", 1,
                                   at=wib("2020-10-10 10:00")).movement.id
        ledger.place(session, ctx, "TUGU", "IKM-0001", [("BTK-001", 2, None)],
                     at=wib("2020-10-01 09:00"))
        ledger.sell(session, ctx, "TUGU", "BTK-001", 1, at=wib("2020-10-20 10:00"))
        ledger.return_goods(session, ctx, "TUGU", [("BTK-001", 1)], at=wib("2020-10-25 10:00"))
    _close_october(db, "ATRIA")
    with db.transaction() as session:
        ledger.void(session, ctx, october_sale, "salah catat", at=wib("2020-11-05 10:00"))
        ledger.place(session, ctx, "TUGU", "IKM-0001", [("BTK-001", 2, None)],
                     at=wib("2020-12-01 09:00"))
        ledger.sell(session, ctx, "TUGU", "BTK-001", 1, at=wib("2020-12-05 10:00"))
        ledger.sell(session, ctx, "ATRIA", "BTK-001", 1, at=wib("2020-12-10 10:00"))
    expected = {
        ("2020-10", "TUGU"): (150_000, 18_750, 0, 131_250),
        ("2020-11", "ATRIA"): (-150_000, -30_000, 0, -120_000),
        ("2020-12", "ATRIA"): (150_000, 30_000, -120_000, 0),
        ("2020-12", "TUGU"): (150_000, 18_750, 0, 131_250),
    }
    with db.transaction() as session:
        for period in (OCT, NOV, DEC):
            settlement.settle(session, ctx, period)
    with db.transaction(readonly=True) as session:
        drafts = {(s.period, s.hotel_code): (s.gross, s.commission, s.opening_balance, s.net)
                  for s in session.scalars(select(Statement).where(Statement.status == "draft"))}
        hotels = list(session.scalars(select(Hotel).order_by(Hotel.code)))
        computed = {(str(period), hotel.code): (f.gross, f.commission, f.opening_balance, f.net)
                    for period in (NOV, DEC)
                    for (hotel_id, _), f in build.compute(session, hotels, period, ctx.tz).items()
                    for hotel in hotels if hotel.id == hotel_id}
    assert drafts == expected
    assert computed == {key: figures for key, figures in expected.items() if key[0] != "2020-10"}
