"""Placements, sales, returns, losses, voids and counts in any order and at any time, checked
after every step against a simple model of the shelf, and by ``consign check``."""

import itertools
import shutil
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from consign import errors
from consign.context import Context
from consign.db import Database
from consign.services import check, ledger, registry
from consign.tabular import Upload
from tests.conftest import NOW, truncate_all
from tests.ledger_support import WIB, wib

SKUS = ("BTK-001", "BTK-002")
START = wib("2020-10-01 00:00")
HOURS = 48
moments = st.integers(0, HOURS).map(lambda hours: START + timedelta(hours=hours))
skus = st.sampled_from(SKUS)
units = st.integers(1, 4)


class Shelf:
    """The model: each SKU's movements as (moment, moment as settled, units, id); nothing
    else. A movement counts as settled at its own moment, a void at that of what it voids.

    October stays open here, so every void cancels: as settled, a movement and its void
    fall on the same moment, and a void of that void puts the movement back there. The
    shelf must hold enough both as the movements stand and as settled."""

    def __init__(self):
        self.moves = {sku: [] for sku in SKUS}

    def at(self, sku: str, moment, settled: bool = False) -> int:
        return sum(qty for when, as_settled, qty, _ in self.moves[sku]
                   if (as_settled if settled else when) <= moment)

    def fits(self, sku: str, moment, qty: int, settled_at=None) -> bool:
        """Adding ``qty`` at ``moment`` (as settled at ``settled_at``, by default the same)
        leaves no moment from then on below zero, as the movements stand and as settled."""
        if qty >= 0:
            return True
        views = ((moment, False), (settled_at or moment, True))
        for start, settled in views:
            later = {when for move in self.moves[sku]
                     for when in ([move[1]] if settled else [move[0]]) if when >= start}
            if any(self.at(sku, when, settled) + qty < 0 for when in later | {start}):
                return False
        return True

    def add(self, sku: str, moment, qty: int, key: int, settled_at=None) -> None:
        self.moves[sku].append((moment, settled_at or moment, qty, key))

    def settled_at(self, sku: str, key: int):
        return next(move[1] for move in self.moves[sku] if move[3] == key)


class LedgerMachine(RuleBasedStateMachine):
    fresh = None  # a callable giving a clean, migrated Database; set per backend

    def __init__(self):
        super().__init__()
        self.db = type(self).fresh()
        self.ctx = Context.make("tester", now=NOW)
        self.shelf = Shelf()
        self.movements = []  # (id, sku, qty, moment, kind) of everything recorded
        self.reversed = set()
        self.count_files = itertools.count()
        self.ever_placed = set()  # a hotel counts only goods it has received
        with self.db.transaction() as session:
            registry.add_hotel(session, self.ctx, "ATRIA", "Hotel Atria Malang")
            registry.add_consignor(session, self.ctx, "IKM-0001", name="Batik", owner="Sri",
                                   sector="fashion")
            for sku in SKUS:
                registry.add_product(session, self.ctx, sku, "IKM-0001", name=sku, price=100_000)

    def teardown(self):
        self.db.dispose()

    def call(self, service, *args, **kwargs):
        with self.db.transaction() as session:
            return service(session, self.ctx, *args, **kwargs)

    def attempt(self, fits: bool, service, *args, **kwargs):
        """Call the service; it must succeed exactly when the model says the units are there."""
        try:
            result = self.call(service, *args, **kwargs)
        except errors.InsufficientStock:
            assert not fits, "refused though the units were there"
            return None
        assert fits, "recorded though it takes units that were not there"
        return result

    def remember(self, movement, sku: str, settled_at=None) -> None:
        self.shelf.add(sku, movement.at, movement.qty, movement.id, settled_at)
        self.movements.append((movement.id, sku, movement.qty, movement.at, movement.kind))

    @rule(sku=skus, qty=units, at=moments)
    def place(self, sku, qty, at):
        note = self.call(ledger.place, "ATRIA", "IKM-0001", [(sku, qty, None)], at=at)
        self.remember(note.movements[0], sku)
        self.ever_placed.add(sku)

    @rule(sku=skus, qty=units, at=moments)
    def sell(self, sku, qty, at):
        sale = self.attempt(self.shelf.fits(sku, at, -qty), ledger.sell, "ATRIA", sku, qty,
                            at=at)
        if sale:
            self.remember(sale.movement, sku)

    @rule(sku=skus, qty=units, at=moments)
    def return_goods(self, sku, qty, at):
        notes = self.attempt(self.shelf.fits(sku, at, -qty), ledger.return_goods, "ATRIA",
                             [(sku, qty)], at=at)
        if notes:
            self.remember(notes[0].movements[0], sku)

    @rule(sku=skus, qty=units, at=moments, kind=st.sampled_from(("lost", "damaged")),
          liable=st.sampled_from(("hotel", "consignor")))
    def write_off(self, sku, qty, at, kind, liable):
        notes = self.attempt(self.shelf.fits(sku, at, -qty), ledger.write_off, "ATRIA", kind,
                             liable, "shrinkage", [(sku, qty)], at=at)
        if notes:
            self.remember(notes[0].movements[0], sku)

    @rule(data=st.data(), later=st.integers(0, 6))
    def void(self, data, later):
        """Void any movement, a void too (that puts what it voided back in force)."""
        if not self.movements:
            return
        movement_id, sku, qty, moment, kind = data.draw(st.sampled_from(self.movements))
        at = moment + timedelta(hours=later)
        if movement_id in self.reversed:
            with pytest.raises(errors.AlreadyReversed):
                self.call(ledger.void, movement_id, "again", at=at)
            return
        # it cancels the movement in its own period: as settled, where that one counts
        settled_at = self.shelf.settled_at(sku, movement_id)
        reversal = self.attempt(self.shelf.fits(sku, at, -qty, settled_at), ledger.void,
                                movement_id, "mistake", at=at)
        if reversal:
            assert reversal.cancels and reversal.qty == -qty
            self.reversed.add(movement_id)
            self.remember(reversal, sku, settled_at)

    @rule(counted=st.dictionaries(skus, st.integers(0, 6), min_size=1), at=moments)
    def count(self, counted, at):
        differences = {sku: units - self.shelf.at(sku, at) for sku, units in counted.items()}
        fits = all(self.shelf.fits(sku, at, diff) for sku, diff in differences.items())
        path = self.write_count(counted)
        if any(units and sku not in self.ever_placed for sku, units in counted.items()):
            with pytest.raises(errors.InvalidRows, match="was never placed at ATRIA"):
                self.call(ledger.count, "ATRIA", Upload.read(path), apply=True, at=at)
            return
        result = self.attempt(fits, ledger.count, "ATRIA", Upload.read(path), apply=True,
                              at=at)
        if result:
            assert {line.sku: line.difference for line in result.lines} == differences
            for movement in result.note.movements:
                self.remember(movement, movement.sku)

    def write_count(self, counted) -> str:
        path = self.folder / f"count-{next(self.count_files)}.csv"
        path.write_text("sku,counted\n" + "".join(f"{s},{n}\n" for s, n in counted.items()))
        return str(path)

    @invariant()
    def the_ledger_agrees_with_the_model(self):
        with self.db.transaction(readonly=True) as session:
            for moment in (None, START + timedelta(hours=12), START + timedelta(hours=30)):
                shown = {row.sku: row.on_hand for row in ledger.stock(session, as_of=moment)}
                expected = {sku: self.shelf.at(sku, moment or NOW) for sku in SKUS}
                assert shown == {sku: n for sku, n in expected.items() if n}, moment
            assert check.run(session, WIB, check.LEDGER_CHECKS) == []


def test_any_sequence_of_ledger_commands_agrees_with_a_simple_model(db_url, request,
                                                                    tmp_path):
    if db_url.startswith("sqlite"):
        template, serial = request.getfixturevalue("sqlite_template"), itertools.count()

        def fresh():
            path = tmp_path / f"example-{next(serial)}.db"
            shutil.copy(template, path)
            return Database(f"sqlite:///{path}")
    else:
        def fresh():
            database = Database(db_url)
            truncate_all(database)
            return database

    machine = type("Machine", (LedgerMachine,), {"fresh": staticmethod(fresh),
                                                 "folder": tmp_path})
    run_state_machine_as_test(machine, settings=settings(
        max_examples=20, stateful_step_count=20, deadline=None,
        suppress_health_check=[HealthCheck.too_slow]))
