"""First in first out in the database (``consign.services.ledger.shelf``: the lots on every
shelf; ``fifo.sold_days``: the days sold units were on it) gives exactly the figures of the
Python reference read one movement at a time (``consign.aging.on_shelf``,
``fifo.days_to_sell``), on random ledgers recorded through the services (Hypothesis):
placements, sales, returns, write-offs, counts with a surplus or a shortage, voids and
voids of voids (also of placements whose units were already sold, so that a sale finds the
shelf empty), in any order, at moments around midnight WIB and in its last microseconds.

Compared: ``audit placements`` (on hand, the day the oldest unit came, its days on
display, display term, due date, due back, first placed), ``audit aging`` (units due, with
and without ``--days``), and the units and days behind ``audit sales``' average days to
sell, over ranges of months, also where the database answers without the reference (the
shelves it does not hand to it)."""

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, select

from consign import aging, policy
from consign.context import Context
from consign.errors import ConsignError
from consign.models import (
    ClosedPeriod,
    Consignor,
    Hotel,
    Movement,
    Product,
    ShelfMonth,
    Stock,
    Terms,
)
from consign.periods import Period, end_of, local_date, start_of
from consign.services import audit_reports, ledger, registry, settlement, terms
from consign.services.audit_reports import fifo
from consign.services.audit_reports.sales import (
    GROUPINGS,
    days_sold,
    names_of,
    summarise,
)
from consign.services.audit_reports.scoping import seen
from consign.services.audit_reports.tables import average
from consign.services.ledger import shelf
from consign.services.ledger.queries import end_of_day
from consign.tabular import Upload
from consign.terms import DISPLAY_DAYS, covering
from tests.ledger_support import WIB, wib

NOW = datetime(2020, 12, 15, 5, 0, tzinfo=UTC)  # 12:00 WIB on 15 December 2020
OWNERS = {"BTK-001": "IKM-0001", "BTK-002": "IKM-0001", "KRM-001": "IKM-0002"}
HOTELS = ("ATRIA", "TUGU")
FIRST_DAY = date(2020, 9, 20)
# around midnight WIB, in its last microseconds (23:59:59.9996 WIB is 16:59:59.9996 UTC,
# which SQLite's date functions would round into the next day), and UTC's midnight
CLOCKS = (time(0), time(0, 0, 0, 1), time(23, 59, 59, 999_999), time(23, 59, 59, 999_600),
          time(23, 59, 59, 999_500), time(6, 59, 59, 999_700), time(7), time(12, 30))
RANGES = ((Period(2020, 9), Period(2020, 12)), (Period(2020, 10), Period(2020, 10)),
          (Period(2020, 11), Period(2020, 12)), (Period(2020, 12), Period(2020, 12)))


# ---- random ledgers -----------------------------------------------------------------------

def _moment(day: int, clock: time, seconds: int | None) -> datetime:
    local = datetime.combine(FIRST_DAY + timedelta(days=day), clock, WIB)
    if seconds is not None:
        local = datetime.combine(local.date(), time(0), WIB) + timedelta(seconds=seconds)
    return min(local.astimezone(UTC), NOW)


moments = st.builds(_moment, st.integers(0, 85), st.sampled_from(CLOCKS),
                    st.none() | st.integers(0, 86_399))
early = st.builds(_moment, st.integers(0, 20), st.sampled_from(CLOCKS),
                  st.none() | st.integers(0, 86_399))
skus = st.sampled_from(("BTK-001", "KRM-001"))
hotels = st.sampled_from(HOTELS)
units = st.integers(1, 2)
sale = st.tuples(st.just("sell"), hotels, skus, units, moments)
void = st.tuples(st.just("void"), st.integers(0, 10_000), st.integers(0, 20), st.just(0),
                 moments)
others = (
    st.tuples(st.just("place"), hotels, skus, st.integers(1, 6), moments),
    st.tuples(st.just("return"), hotels, skus, units, moments),
    st.tuples(st.just("lose"), hotels, skus, units, moments),
    st.tuples(st.just("count"), hotels, skus, st.integers(0, 8), moments),
)
operations = st.one_of(sale, sale, sale, sale, void, void, *others)
unvoided = st.one_of(sale, sale, sale, others[0], *others)  # lots the database walks


@st.composite
def stories(draw, voids: bool = True):
    """Placements of every shelf early on, then anything in any order; perhaps, somewhere
    among them, the closes of September and of the months after it at a hotel, in order
    (after which a void of their movements corrects them, and may leave a sale without the
    units it took; the closes keep their months' days to sell, which the ranges read)."""
    story = [("place", hotel, sku, draw(st.integers(1, 8)), draw(early))
             for hotel in HOTELS for sku in ("BTK-001", "KRM-001")]
    story += draw(st.lists(operations if voids else unvoided, min_size=3, max_size=30))
    for hotel in HOTELS:  # perhaps September, or September to November, closed in order
        months = ("2020-09", "2020-10", "2020-11")[:draw(st.integers(0, 3))]
        earliest = len(story) if not voids else 0  # without voids: the closes come last
        places = sorted(draw(st.lists(st.integers(earliest, len(story)),
                                      min_size=len(months), max_size=len(months))))
        for offset, (place, month) in enumerate(zip(places, months, strict=True)):
            story.insert(place + offset, ("close", hotel, month, 0, NOW))
    return story


def record(db, ctx: Context, operations: list) -> None:
    """Each operation in its own transaction, as a command; one the ledger refuses (not
    enough on hand, a void before what it voids, …) is left out."""
    for operation in operations:
        try:
            with db.transaction() as session:
                _apply(session, ctx, operation)
        except ConsignError:
            pass


def _apply(session, ctx: Context, operation) -> None:
    kind, first, second, qty, at = operation
    if kind == "place":
        ledger.place(session, ctx, first, OWNERS[second], [(second, qty, None)], at=at)
    elif kind == "sell":
        ledger.sell(session, ctx, first, second, qty, at=at)
    elif kind == "return":
        ledger.return_goods(session, ctx, first, [(second, qty)], at=at)
    elif kind == "lose":
        ledger.write_off(session, ctx, first, "lost", "hotel", "hilang", [(second, qty)],
                         at=at)
    elif kind == "count":
        sheet = Upload("opname.csv", f"sku,counted\n{second},{qty}\n".encode())
        ledger.count(session, ctx, first, sheet, apply=True, at=at)
    elif kind == "close":  # later voids of its movements correct them, and may empty a shelf
        settlement.close_period(session, ctx, second, first)
    else:  # void the movement picked (one of the latest three, a void of it too, or any)
        ids = list(session.scalars(select(Movement.id).order_by(Movement.id)))
        if ids:  # at the operation's moment, or some days after the movement
            pick = -1 - first // 2 % 3 if first % 2 else first // 2
            original = session.get(Movement, ids[pick % len(ids)])
            when = at if at >= original.at else min(original.at + timedelta(days=second), NOW)
            ledger.void(session, ctx, original.id, "salah input", at=when)


def begun(fresh):
    """A fresh database with the programme registered, and the context that records."""
    db = fresh()
    ctx = Context.make("tester", now=NOW)
    programme(db, ctx)
    return db, ctx


def programme(db, ctx: Context) -> None:
    """Two hotels, two IKM, three products; at ATRIA, IKM-0002's goods have a display term
    of 20 days from 1 November (90 before it and elsewhere)."""
    with db.transaction() as session:
        for code in HOTELS:
            registry.add_hotel(session, ctx, code, f"Hotel {code}", commission=2000)
        for sku, owner in OWNERS.items():
            if session.scalar(select(Consignor.id).where(Consignor.code == owner)) is None:
                registry.add_consignor(session, ctx, owner, name=f"Usaha {owner}",
                                       owner="Pemilik", sector="kriya")
            registry.add_product(session, ctx, sku, owner, name=f"Produk {sku}",
                                 price=50_000, category="kain")
        terms.set_terms(session, ctx, "ATRIA", 2000, consignor="IKM-0002",
                        valid_from=date(2020, 11, 1), display_days=20)


# ---- the reference: every shelf read one movement at a time -------------------------------

def shelves(session, until: datetime, inclusive: bool = True) -> dict:
    """Each shelf's movements up to ``until`` (at or before it; else before it), in order,
    as the reference reads them, by (hotel, SKU)."""
    found: dict[tuple[str, str], list[aging.Move]] = {}
    rows = session.execute(
        select(Hotel.code, Product.sku, Movement.id, Movement.kind, Movement.qty,
               Movement.at, Movement.root_id)
        .join(Hotel, Hotel.id == Movement.hotel_id)
        .join(Product, Product.id == Movement.product_id)
        .where(Movement.at <= until if inclusive else Movement.at < until)
        .order_by(Movement.hotel_id, Movement.product_id, Movement.at, Movement.id))
    for code, sku, move_id, kind, qty, at, root in rows:
        found.setdefault((code, sku), []).append(
            aging.Move(move_id, kind, qty, local_date(at, WIB), root))
    return found


def display_term(session, hotel: str, sku: str):
    owner = session.scalar(select(Consignor.id).where(Consignor.code == OWNERS[sku]))
    candidates = list(session.scalars(
        select(Terms).join(Hotel, Hotel.id == Terms.hotel_id).where(Hotel.code == hotel)))

    def days(day: date) -> int:
        found = covering(candidates, owner, day)
        return found.display_days if found else DISPLAY_DAYS

    return days


def expected_register(session, day: date) -> dict:
    """Per shelf with units on hand at the end of ``day``: what ``audit placements`` and
    ``audit aging`` say of it, read one movement at a time."""
    until = end_of_day(day, WIB)
    register = {}
    for (hotel, sku), moves in shelves(session, until).items():
        on_hand = sum(move.qty for move in moves)
        if not on_hand:
            continue
        lots, term = aging.on_shelf(moves), display_term(session, hotel, sku)
        age = aging.age(lots, day, term)
        placed = [move.day for move in aging.in_force(_all_voids(session, moves))
                  if move.kind == "placed"]
        register[hotel, sku] = {
            "on_hand": on_hand, "first_placed": min(placed) if placed else None,
            "since": age.since if age else None, "oldest_days": age.days if age else None,
            "display_days": term(age.since) if age else None,
            "due_on": age.due_on if age else None, "due_back": bool(age and age.due_back),
            "due": sum(lot.units for lot in lots if age.due_back  # flagged by its oldest
                       and day > lot.day + timedelta(days=term(lot.day))),
            "older_than_10": sum(lot.units for lot in lots if (day - lot.day).days > 10)}
    return register


def _all_voids(session, moves: list[aging.Move]) -> list[aging.Move]:
    """The shelf's movements up to the day asked with every reversal of them, of any date:
    a first placement counts as voided by a void dated later too (``audit placements``)."""
    ids = {move.id for move in moves}
    later = session.execute(select(Movement.id, Movement.root_id).where(
        Movement.kind == "reversal", Movement.root_id.in_(ids)))
    known = {move.id for move in moves if move.kind == "reversal"}
    extra = [aging.Move(move_id, "reversal", 0, date.max, root)
             for move_id, root in later if move_id not in known]
    return moves + extra


def expected_days(session, first: Period, last: Period, consignor: str | None = None
                  ) -> dict:
    """Per shelf with a sale in the range: the units its sales took and their days on the
    shelf, read one movement at a time (:func:`fifo.days_to_sell`)."""
    found = {}
    for (hotel, sku), moves in shelves(session, end_of(last.last_day, WIB), False).items():
        if consignor and OWNERS[sku] != consignor:
            continue
        if any(move.kind == "sold" and move.day >= first.first_day for move in moves):
            found[hotel, sku] = fifo.days_to_sell(moves, first.first_day, last.last_day)
    return found


# ---- what the reports say -----------------------------------------------------------------

def report(db, service, *args, role=None, **kwargs):
    ctx = Context.make("auditor", now=NOW, role=role or policy.Role("auditor"))
    with db.transaction(readonly=True) as session:
        return service(session, ctx, *args, **kwargs)


def said_register(db, day: date) -> dict:
    placements = report(db, audit_reports.placements, as_of=day)
    due = {(r.hotel, r.sku): r.units_due for r in report(db, audit_reports.aging, as_of=day).rows}
    older = {(r.hotel, r.sku): r.units_due
             for r in report(db, audit_reports.aging, as_of=day, days=10).rows}
    return {(r.hotel, r.sku): {
        "on_hand": r.on_hand, "first_placed": r.first_placed, "since": r.since,
        "oldest_days": r.oldest_days, "display_days": r.display_days, "due_on": r.due_on,
        "due_back": r.due_back, "due": due.get((r.hotel, r.sku), 0),
        "older_than_10": older.get((r.hotel, r.sku), 0)} for r in placements.rows}


def sql_only(session, first: Period, last: Period) -> dict:
    """The database's own answer for the shelves it does not hand to the reference."""
    start, end = start_of(first.first_day, WIB), end_of(last.last_day, WIB)
    query = fifo._Shelves(session.get_bind().dialect.name, WIB, start, end).query(())
    return {(code, sku): (units, days) for code, sku, _h, _p, units, days, odd
            in session.execute(query) if not odd}


def expected_shrinkage(session, first: Period, last: Period) -> dict:
    """``audit shrinkage``'s figures per hotel, from every movement one by one: those in
    force (their chains of voids even) dated in the range that place goods, lose them or
    count them."""
    moves = session.execute(
        select(Hotel.code, Movement.id, Movement.kind, Movement.qty, Movement.unit_price,
               Movement.liable, Movement.at, Movement.root_id)
        .join(Hotel, Hotel.id == Movement.hotel_id)).all()
    voids = Counter(move.root_id for move in moves if move.root_id is not None)
    start, end = first.start(WIB), last.end(WIB)
    found: dict[str, list[int]] = {}
    for move in moves:
        if (move.kind not in ("placed", "lost", "damaged", "counted") or voids[move.id] % 2
                or not start <= move.at < end):
            continue
        # placed, lost, short, surplus, the hotel's units and rupiah, the IKM's
        tally = found.setdefault(move.code, [0] * 8)
        if move.kind == "placed":
            tally[0] += move.qty
        elif move.kind == "counted" and move.qty > 0:
            tally[3] += move.qty
        else:
            tally[1 if move.kind != "counted" else 2] += -move.qty
            side = 4 if (move.liable or "hotel") == "hotel" else 6
            tally[side] += -move.qty
            tally[side + 1] += -move.qty * (move.unit_price or 0)
    return {code: tuple(tally) for code, tally in found.items()}


def check_everything(db) -> None:
    ctx = Context.make("auditor", now=NOW, role=policy.Role("auditor"))
    with db.transaction(readonly=True) as session:
        for day in (date(2020, 10, 15), date(2020, 11, 30), date(2020, 12, 14)):
            assert said_register(db, day) == expected_register(session, day), day
        for first, last in RANGES:
            expected = expected_days(session, first, last)
            found = days_sold(session, ctx, first, last, seen(session, ctx))
            assert found == expected, (first, last)
            database = sql_only(session, first, last)
            assert database == {pair: expected[pair] for pair in database}, (first, last)
        first, last = Period(2020, 9), Period(2020, 12)
        ikm = Context.make("ikm", now=NOW, role=policy.Role("consignor", "IKM-0002"))
        assert days_sold(session, ikm, first, last, seen(session, ikm)) == expected_days(
            session, first, last, "IKM-0002")
        atria = seen(session, ctx, hotel="ATRIA")
        assert days_sold(session, ctx, first, last, atria) == {
            pair: ages for pair, ages in expected_days(session, first, last).items()
            if pair[0] == "ATRIA"}


# ---- the tests ----------------------------------------------------------------------------

SOLD_FROM_AN_EMPTIED_SHELF = [  # the placement the sale took from is voided afterwards,
    ("place", "ATRIA", "BTK-001", 2, datetime(2020, 9, 21, 3, tzinfo=UTC)),  # its month closed
    ("sell", "ATRIA", "BTK-001", 2, datetime(2020, 9, 25, 16, 59, 59, 999_600, tzinfo=UTC)),
    ("close", "ATRIA", "2020-09", 0, NOW),
    ("place", "ATRIA", "BTK-001", 3, datetime(2020, 10, 20, 17, tzinfo=UTC)),
    ("void", 0, 5, 0, datetime(2020, 10, 25, tzinfo=UTC)),
    ("sell", "ATRIA", "BTK-001", 1, datetime(2020, 11, 2, 16, 59, 59, 999_999, tzinfo=UTC)),
]


@settings(max_examples=18, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(story=stories())
@example(story=SOLD_FROM_AN_EMPTIED_SHELF)
def test_the_database_ages_every_shelf_as_the_reference_does(fresh, story):
    db = fresh()
    ctx = Context.make("tester", now=NOW)
    programme(db, ctx)
    record(db, ctx, story)
    check_everything(db)


@settings(max_examples=7, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(story=stories(voids=False))
def test_closed_months_kept_and_months_walked_from_them_are_the_references(fresh, story):
    """Without voids, and with the closes after everything else, most shelves are walked
    by the database, not handed to the reference: the months after the kept ones start
    from the units kept as taken."""
    db = fresh()
    ctx = Context.make("tester", now=NOW)
    programme(db, ctx)
    record(db, ctx, story)
    check_everything(db)


def test_voids_returns_counts_and_placements_within_the_range_are_computed_in_the_database(
        fresh):
    """A voided sale, a return, a count's shortage and surplus and a placement in the
    range: the database answers for the shelf itself, the figures worked out by hand."""
    db, ctx = begun(fresh)
    with db.transaction() as session:
        ledger.place(session, ctx, "ATRIA", "IKM-0001", [("BTK-001", 4, None)],
                     at=wib("2020-10-01 10:00"))
        sold = ledger.sell(session, ctx, "ATRIA", "BTK-001", 1, at=wib("2020-10-06 10:00"))
        ledger.void(session, ctx, sold.movement.id, "salah", at=wib("2020-10-06 11:00"))
        ledger.sell(session, ctx, "ATRIA", "BTK-001", 1, at=wib("2020-10-11 10:00"))  # 10 days
        ledger.return_goods(session, ctx, "ATRIA", [("BTK-001", 1)], at=wib("2020-10-12 10:00"))
        ledger.place(session, ctx, "ATRIA", "IKM-0001", [("BTK-001", 2, None)],
                     at=wib("2020-10-15 10:00"))
        sheet = Upload("opname.csv", b"sku,counted\nBTK-001,3\n")
        ledger.count(session, ctx, "ATRIA", sheet, apply=True, at=wib("2020-10-16 10:00"))
        ledger.sell(session, ctx, "ATRIA", "BTK-001", 2, at=wib("2020-10-21 23:59:59.9999"))
        sheet = Upload("opname.csv", b"sku,counted\nBTK-001,2\n")
        ledger.count(session, ctx, "ATRIA", sheet, apply=True, at=wib("2020-10-22 10:00"))
        ledger.sell(session, ctx, "ATRIA", "BTK-001", 2, at=wib("2020-10-31 23:59:59.999999"))
    # on the shelf: 4 (1 Oct); 10 Oct sold one of them, 12 Oct returned one, 15 Oct 2 came,
    # 16 Oct counted 3 of 4 (one of 1 Oct short); 21 Oct sold the last of 1 Oct (20 days)
    # and one of 15 Oct (6 days); 22 Oct a surplus of one; 31 Oct sold the other of 15 Oct
    # (16 days) and the surplus (9 days)
    october = Period(2020, 10)
    with db.transaction(readonly=True) as session:
        assert sql_only(session, october, october) == {("ATRIA", "BTK-001"): (5, 61)}
        assert expected_days(session, october, october) == {("ATRIA", "BTK-001"): (5, 61)}
    sales = report(db, audit_reports.sales, "2020-10")
    assert sales.total.avg_days_to_sell == average(61, 5) == Decimal("12.2")


def test_a_shelf_whose_sale_found_it_empty_is_read_one_movement_at_a_time(fresh):
    db = fresh()
    ctx = Context.make("tester", now=NOW)
    programme(db, ctx)
    record(db, ctx, SOLD_FROM_AN_EMPTIED_SHELF)
    first, last = Period(2020, 10), Period(2020, 11)
    with db.transaction(readonly=True) as session:
        assert sql_only(session, first, last) == {}  # handed to the reference
        # the sale of 5 Oct found the shelf empty (its placement voided): only 2 Nov's unit,
        # of 21 Oct (20 October 17:00 UTC), 12 days on the shelf
        view = seen(session, ctx)
        assert days_sold(session, ctx, first, last, view) == {("ATRIA", "BTK-001"): (1, 12)}
        assert expected_days(session, first, last) == {("ATRIA", "BTK-001"): (1, 12)}


def test_sales_average_days_to_sell_is_the_references(fresh):
    """``audit sales``' average days to sell, per hotel, from the reference's units and
    days (the statements' figures are the same either way)."""
    db = fresh()
    ctx = Context.make("tester", now=NOW)
    programme(db, ctx)
    record(db, ctx, [
        ("place", "ATRIA", "BTK-001", 5, datetime(2020, 10, 1, 3, tzinfo=UTC)),
        ("place", "TUGU", "KRM-001", 3, datetime(2020, 10, 2, 3, tzinfo=UTC)),
        ("sell", "ATRIA", "BTK-001", 2, datetime(2020, 10, 9, 16, 59, 59, 999_999, tzinfo=UTC)),
        ("sell", "TUGU", "KRM-001", 1, datetime(2020, 11, 3, 17, tzinfo=UTC)),
        ("sell", "ATRIA", "BTK-001", 1, datetime(2020, 12, 1, 3, tzinfo=UTC))])
    auditor = Context.make("auditor", now=NOW, role=policy.Role("auditor"))
    first, last = Period(2020, 10), Period(2020, 12)
    report_rows = report(db, audit_reports.sales, "2020-10", to="2020-12").rows
    with db.transaction(readonly=True) as session:
        from consign.services.audit_reports.figures import statements_of

        now = statements_of(session, auditor, first, last, seen(session, auditor))
        reference = summarise(now, [], "hotel", names_of(session),
                              expected_days(session, first, last), str(first))
    assert [(r.key, r.avg_days_to_sell) for r in report_rows] == [
        (r.key, r.avg_days_to_sell) for r in reference] == [
        ("ATRIA", average(2 * 8 + 61, 3)), ("TUGU", Decimal(33))]


SHRINKING = [  # both IKM at both hotels; a voided placement, a voided loss, counts both ways
    ("place", "ATRIA", "BTK-001", 6, datetime(2020, 9, 21, 3, tzinfo=UTC)),
    ("place", "ATRIA", "KRM-001", 4, datetime(2020, 9, 30, 16, 59, 59, 999_999, tzinfo=UTC)),
    ("place", "TUGU", "BTK-001", 5, datetime(2020, 9, 30, 17, tzinfo=UTC)),  # 1 Oct WIB
    ("place", "TUGU", "KRM-001", 3, datetime(2020, 10, 2, 3, tzinfo=UTC)),
    ("sell", "ATRIA", "BTK-001", 2, datetime(2020, 10, 5, 3, tzinfo=UTC)),
    ("sell", "TUGU", "BTK-001", 1, datetime(2020, 10, 6, 3, tzinfo=UTC)),
    ("sell", "TUGU", "KRM-001", 1, datetime(2020, 10, 7, 3, tzinfo=UTC)),
    ("lose", "ATRIA", "KRM-001", 1, datetime(2020, 10, 8, 3, tzinfo=UTC)),
    ("lose", "TUGU", "KRM-001", 1, datetime(2020, 10, 9, 3, tzinfo=UTC)),
    ("void", 1, 0, 0, datetime(2020, 10, 10, 3, tzinfo=UTC)),  # TUGU's loss, voided
    ("place", "ATRIA", "BTK-001", 2, datetime(2020, 10, 11, 3, tzinfo=UTC)),
    ("void", 1, 0, 0, datetime(2020, 10, 12, 3, tzinfo=UTC)),  # that placement, voided
    ("place", "ATRIA", "KRM-001", 2, datetime(2020, 10, 15, 3, tzinfo=UTC)),
    ("count", "ATRIA", "BTK-001", 3, datetime(2020, 10, 31, 16, 30, tzinfo=UTC)),  # 1 short
    ("count", "TUGU", "BTK-001", 6, datetime(2020, 11, 2, 3, tzinfo=UTC)),  # 2 over
    ("sell", "ATRIA", "KRM-001", 1, datetime(2020, 11, 3, 3, tzinfo=UTC)),
    ("sell", "TUGU", "BTK-001", 2, datetime(2020, 12, 1, 3, tzinfo=UTC)),
]


def test_shrinkage_and_the_sales_totals_of_every_grouping_are_the_references(fresh):
    """``audit shrinkage`` per hotel is what the movements in force say one by one (a
    voided placement and a voided loss left out, a count's shortage and surplus apart);
    ``audit sales``' total row is the same by hotel, IKM, sector and product."""
    db = fresh()
    ctx = Context.make("tester", now=NOW)
    programme(db, ctx)
    record(db, ctx, SHRINKING)
    for first, last in RANGES:
        shrunk = report(db, audit_reports.shrinkage, str(first), to=str(last)).rows
        with db.transaction(readonly=True) as session:
            assert {r.hotel: (r.placed, r.lost, r.short, r.surplus, r.hotel_units,
                              r.hotel_rupiah, r.consignor_units, r.consignor_rupiah)
                    for r in shrunk} == expected_shrinkage(session, first, last), (first, last)
        totals = {by: report(db, audit_reports.sales, str(first), to=str(last), by=by).total
                  for by in GROUPINGS}
        assert all(total == totals["product"] for total in totals.values()), totals
    # ATRIA's placements of 30 September 23:59:59.999999 WIB count in September, and TUGU's
    # of 1 October 00:00 WIB in October
    october = report(db, audit_reports.shrinkage, "2020-10").rows
    assert [(r.hotel, r.placed, r.lost, r.short, r.surplus) for r in october] == [
        ("ATRIA", 2, 1, 1, 0), ("TUGU", 8, 0, 0, 0)]
    november = report(db, audit_reports.shrinkage, "2020-11").rows
    assert [(r.hotel, r.placed, r.surplus) for r in november] == [("TUGU", 0, 2)]
    whole = report(db, audit_reports.sales, "2020-10", to="2020-12", by="hotel").total
    assert (whole.units, whole.active_ikm) == (7, 2)


RANGES_KEPT = ((Period(2020, 10), Period(2020, 10)), (Period(2020, 10), Period(2020, 12)),
               (Period(2020, 11), Period(2020, 12)))


def test_a_close_keeps_its_months_days_to_sell_and_the_ranges_read_them(fresh, monkeypatch):
    """October closed at ATRIA keeps its figures (1 unit, 10 days) and the units taken by
    its end (1); a range from October reads them and computes the months after it alone,
    starting from those units, and so does a range from November; until a void in November
    of October's sale makes the shelf's figures the range's own (the void put the unit
    back, and November's sale took it): then the shelf is computed over the whole ledger."""
    db, ctx = begun(fresh)
    with db.transaction() as session:
        ledger.place(session, ctx, "ATRIA", "IKM-0001", [("BTK-001", 4, None)],
                     at=wib("2020-10-01 10:00"))
        sold = ledger.sell(session, ctx, "ATRIA", "BTK-001", 1, at=wib("2020-10-11 10:00"))
        ledger.place(session, ctx, "ATRIA", "IKM-0001", [("BTK-001", 2, None)],
                     at=wib("2020-10-20 10:00"))
        ledger.sell(session, ctx, "ATRIA", "BTK-001", 4, at=wib("2020-11-05 10:00"))
        settlement.close_period(session, ctx, "2020-10", "ATRIA")
        settlement.close_period(session, ctx, "2020-10", "TUGU")  # nothing there
    with db.transaction(readonly=True) as session:
        kept = session.execute(select(ShelfMonth.period, ShelfMonth.taken, ShelfMonth.sold,
                                      ShelfMonth.units, ShelfMonth.unit_days)).all()
        closed = session.execute(select(ClosedPeriod.period, ClosedPeriod.ages_kept)).all()
    assert kept == [("2020-10", 1, True, 1, 10)] and closed == [("2020-10", True)] * 2
    computed = []
    sold_days = fifo.sold_days

    def counting(session, tz, first, last, *scope, taken_through=None):
        computed.append((first, taken_through))
        return sold_days(session, tz, first, last, *scope, taken_through=taken_through)

    monkeypatch.setattr(fifo, "sold_days", counting)
    auditor = Context.make("auditor", now=NOW, role=policy.Role("auditor"))

    def ranges() -> tuple[dict, dict]:
        with db.transaction(readonly=True) as session:
            view = seen(session, auditor)
            return ({(first, last): days_sold(session, auditor, first, last, view)
                     for first, last in RANGES_KEPT},
                    {(first, last): expected_days(session, first, last)
                     for first, last in RANGES_KEPT})

    found, expected = ranges()
    october, to_december, after = RANGES_KEPT
    assert found == expected
    assert found[october] == {("ATRIA", "BTK-001"): (1, 10)}
    # November's sale: the 3 units left of 1 October (35 days) and one of 20 October (16)
    assert found[to_december] == {("ATRIA", "BTK-001"): (5, 10 + 3 * 35 + 16)}
    assert found[after] == {("ATRIA", "BTK-001"): (4, 3 * 35 + 16)}
    # October read as kept from October, and as the month before from November
    assert computed == [(date(2020, 11, 1), "2020-10")] * 2
    with db.transaction() as session:
        ledger.void(session, ctx, sold.movement.id, "salah input", at=wib("2020-11-10 10:00"))
    computed.clear()
    found, expected = ranges()
    assert found == expected
    assert found[october] == {("ATRIA", "BTK-001"): (1, 10)}  # as it stood at October's end
    assert found[to_december] == {("ATRIA", "BTK-001"): (4, 4 * 35)}  # all of 1 October
    assert found[after] == {("ATRIA", "BTK-001"): (4, 4 * 35)}
    assert computed == [(date(2020, 11, 1), "2020-10"), (date(2020, 10, 1), None),
                        (date(2020, 11, 1), "2020-10"), (date(2020, 11, 1), None)]


def test_check_holds_the_kept_days_to_sell_to_what_their_close_recorded(fresh):
    """The close's audit entry holds the digest of the rows it kept: ``consign check``
    finds a row added to a closed month's (the rows cannot be changed or deleted, the
    database refuses it), and rows kept for a month not closed with them."""
    from consign.services.settlement.checks import kept_days_to_sell_as_closed

    db, ctx = begun(fresh)
    with db.transaction() as session:
        ledger.place(session, ctx, "ATRIA", "IKM-0001", [("BTK-001", 4, None)],
                     at=wib("2020-10-01 10:00"))
        ledger.sell(session, ctx, "ATRIA", "BTK-001", 1, at=wib("2020-10-11 10:00"))
        settlement.close_period(session, ctx, "2020-10", "ATRIA")
        settlement.close_period(session, ctx, "2020-10", "TUGU")  # a close that kept none

    def found() -> list[str]:
        with db.transaction(readonly=True) as session:
            return [problem.text("en") for problem in kept_days_to_sell_as_closed(session, WIB)]

    assert found() == []
    with db.transaction() as session:
        ids = dict(session.execute(select(Hotel.code, Hotel.id)).all())
        product = session.scalar(select(Product.id).where(Product.sku == "BTK-002"))
        for hotel, period in (("TUGU", "2020-10"), ("ATRIA", "2020-11")):
            session.add(ShelfMonth(hotel_id=ids[hotel], period=period, product_id=product,
                                   taken=0, sold=False, units=0, unit_days=0))
    assert [problem.split(" (audit entry")[0] for problem in found()] == [
        "Days to sell are kept for 2020-11 at ATRIA, which was not closed with them.",
        "The days to sell kept at the close of 2020-10 for TUGU are not those the close "
        "recorded"]


def test_a_month_closed_before_its_figures_were_kept_is_computed_from_the_ledger(fresh):
    db, ctx = begun(fresh)
    with db.transaction() as session:
        ledger.place(session, ctx, "ATRIA", "IKM-0001", [("BTK-001", 4, None)],
                     at=wib("2020-10-01 10:00"))
        ledger.sell(session, ctx, "ATRIA", "BTK-001", 1, at=wib("2020-10-11 10:00"))
        ledger.sell(session, ctx, "ATRIA", "BTK-001", 1, at=wib("2020-11-21 10:00"))
    with db.transaction() as session:  # as a close before they were kept left it
        hotel = session.scalar(select(Hotel.id).where(Hotel.code == "ATRIA"))
        session.add(ClosedPeriod(hotel_id=hotel, period="2020-10", closed_at=NOW,
                                 actor="tester", ages_kept=False))
    auditor = Context.make("auditor", now=NOW, role=policy.Role("auditor"))
    with db.transaction(readonly=True) as session:
        first, last = Period(2020, 10), Period(2020, 11)
        assert days_sold(session, auditor, first, last, seen(session, auditor)) == {
            ("ATRIA", "BTK-001"): (2, 10 + 51)} == expected_days(session, first, last)


# ---- the indexes the set-based queries read (SQLite) ------------------------------------

def _plan(db, query) -> str:
    """SQLite's plan of ``query``, as the statement and parameters it was run with."""
    run = []

    def seen(_connection, _cursor, statement, parameters, _context, _many):
        run.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        with db.engine.connect() as connection:
            connection.execute(query).all()
            statement, parameters = run[-1]
            rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            return "\n".join(row[3] for row in rows)
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)


def test_the_days_to_sell_read_the_sales_from_the_index_alone_and_walk_the_inflows(db):
    if not db.is_sqlite:
        pytest.skip("SQLite's query plans")
    tz = WIB
    query = fifo._Shelves("sqlite", tz, datetime(2020, 9, 30, 17, tzinfo=UTC),
                          datetime(2020, 12, 31, 17, tzinfo=UTC)).query(())
    plan = _plan(db, query)
    assert "COVERING INDEX ix_movements_shelf_kind" in plan
    assert "COVERING INDEX ix_movements_inflows" in plan
    assert "COVERING INDEX ix_movements_takes" in plan
    assert "SCAN movements" not in plan  # no movement is read but through an index


def test_the_lots_on_the_shelves_are_walked_through_the_inflows(db):
    if not db.is_sqlite:
        pytest.skip("SQLite's query plans")
    tz = WIB
    until = end_of_day(date(2020, 12, 31), tz)
    shelves = select(Stock.hotel_id, Stock.product_id,
                     shelf.held_at(until).label("held")).subquery()
    plan = _plan(db, shelf.lots_query(shelves, until, tz, "sqlite"))
    assert "COVERING INDEX ix_movements_inflows" in plan
    assert "SCAN movements" not in plan


# the statistics ANALYZE gathers on the 1,000,000-sale ledger of bench/settlement.py: with
# them, the planner would drive a join of the shelves and their movements from a hotel's
# movements over a span of moments (a skip-scan of ix_movements_hotel_at, reading every
# movement of the span) where each shelf is one seek down an index that begins with it
PROGRAMME_STATISTICS = [
    ("movements", "ix_movements_shelf_kind", "1100792 27520 132 66 1 1 1 1 1"),
    ("movements", "ix_movements_inflows", "100796 2520 12 1 1 1 1"),
    ("movements", "ix_movements_root_id", "1100792 1100792"),
    ("movements", "ix_movements_hotel_counts_at", "1100792 27520 2"),
    ("movements", "ix_movements_hotel_product_at", "1100792 27520 132 1"),
    ("movements", "ix_movements_hotel_at", "1100792 27520 2"),
    ("movements", "ix_movements_unplain", "22000 550 1"),  # returns, losses, counts, voids
    ("stock", "sqlite_autoindex_stock_1", "8400 210 1"),
]


def _plans_of(db, work) -> str:
    """SQLite's plans of every query ``work(session)`` runs, planned with the programme's
    statistics."""
    with db.engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")  # makes sqlite_stat1
        connection.exec_driver_sql("DELETE FROM sqlite_stat1")
        for row in PROGRAMME_STATISTICS:
            connection.exec_driver_sql("INSERT INTO sqlite_stat1 VALUES (?, ?, ?)", row)
    db.engine.dispose()  # new connections read the statistics
    run = []

    def seen(_connection, _cursor, statement, parameters, _context, _many):
        if statement.lstrip().upper().startswith("SELECT"):
            run.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        with db.transaction(readonly=True) as session:
            work(session)
            return "\n".join(
                row[3] for statement, parameters in run
                for row in session.connection().exec_driver_sql(
                    f"EXPLAIN QUERY PLAN {statement}", parameters))
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)


def test_the_month_s_sums_and_shrinkage_read_the_movements_shelf_by_shelf(db):
    if not db.is_sqlite:
        pytest.skip("SQLite's query plans")
    from consign.services.settlement import plain

    ctx = Context.make("auditor", now=NOW, role=policy.Role("auditor"))
    december = Period(2020, 12)

    def sums(session):
        plain.prepare(session, [1, 2], december, WIB, lambda hotel, ikm: None)
        plain.sums(session, [1, 2], december, WIB)

    plan = _plans_of(db, sums)
    assert "COVERING INDEX ix_movements_shelf_kind" in plan
    assert "ix_movements_hotel_at" not in plan and "ix_movements_hotel_counts_at" not in plan
    plan = _plans_of(db, lambda session: audit_reports.shrinkage(session, ctx, "2020-01",
                                                                  "2020-12"))
    assert "COVERING INDEX ix_movements_shelf_kind" in plan
    assert "ix_movements_hotel_at" not in plan and "SCAN movements" not in plan


def test_a_month_s_movements_read_one_by_one_are_found_from_their_own_index(db):
    """Settlement reads one by one what is not a plain sale or placement: from the partial
    index of those and from the reversals, never from every movement of the month."""
    if not db.is_sqlite:
        pytest.skip("SQLite's query plans")
    from consign.services.settlement import build

    plan = _plans_of(db, lambda session: list(build.period_entries(
        session, [1, 2], Period(2020, 12), WIB)))
    assert "INDEX ix_movements_unplain" in plan
    assert "ix_movements_hotel_counts_at" not in plan and "SCAN movements" not in plan
