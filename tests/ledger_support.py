"""Helpers for the ledger tests: moments in WIB, a small shop, and the services called
each in its own transaction, as a command would."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from consign.models import Movement
from consign.services import ledger
from consign.tabular import Upload

WIB = ZoneInfo("Asia/Jakarta")


def wib(text: str) -> datetime:
    """``2020-10-05 14:30`` in Malang, as an aware UTC moment."""
    return datetime.fromisoformat(text).replace(tzinfo=WIB).astimezone(UTC)


class Book:
    """The ledger services, each call one transaction. ``book.sell(...)`` etc. The services
    that take a file (``import_sales``, ``count``, ``place_file``) are given its path here and
    read it as an ``Upload`` first, as a command does."""

    services = (ledger,)
    takes_a_file = ("import_sales", "count", "place_file")

    def __init__(self, db, ctx):
        self.db, self.ctx = db, ctx

    def __getattr__(self, name):
        found = [getattr(module, name) for module in self.services if hasattr(module, name)]
        if not found:
            raise AttributeError(name)
        service = found[0]
        reads_file = name in self.takes_a_file

        def call(*args, **kwargs):
            if reads_file:  # (hotel, path, ...): the file is read before the transaction
                hotel, path, *rest = args
                args = (hotel, Upload.read(path), *rest)
            with self.db.transaction() as session:
                return service(session, self.ctx, *args, **kwargs)

        return call

    def stock(self, **kwargs) -> dict[tuple[str, str], int]:
        """``{(hotel, sku): on_hand}``."""
        with self.db.transaction(readonly=True) as session:
            return {(r.hotel, r.sku): r.on_hand for r in ledger.stock(session, **kwargs)}

    def movements(self) -> list[Movement]:
        with self.db.transaction(readonly=True) as session:
            return list(session.scalars(select(Movement).order_by(Movement.id)))

    def count_movements(self) -> int:
        with self.db.transaction(readonly=True) as session:
            return session.scalar(select(func.count()).select_from(Movement))


@pytest.fixture
def book(db, ctx):
    return Book(db, ctx)


@pytest.fixture
def shop(make_hotel, make_product):
    """Two hotels; IKM-0001 with two batik SKUs, IKM-0002 with a ceramic one."""
    make_hotel("ATRIA")
    make_hotel("TUGU", name="Hotel Tugu Malang")
    make_product("BTK-001", price=150_000)
    make_product("BTK-002", name="Batik cap motif Teratai", price=90_000)
    make_product("KRM-001", consignor="IKM-0002", name="Vas keramik Dinoyo", price=75_000)


# ---- several processes at once ----------------------------------------------------------

def _act(session, ctx, action: str, args: tuple):
    if action == "sell":
        result = ledger.sell(session, ctx, *args)
        if result.voided:
            return ("already recorded (voided)", result.movement.id)
        return ("already recorded" if result.already_recorded else "sold", result.movement.id)
    if action == "place":
        return ("placed", ledger.place(session, ctx, *args).number)
    return ("voided", ledger.void(session, ctx, *args).id)


def worker(url: str, action: str, args: tuple, now, ready, go, results) -> None:
    """One clerk in their own process: connects, waits for the signal, then acts once."""
    from consign.context import Context
    from consign.db import Database
    from consign.errors import ConsignError

    database = Database(url)
    ctx = Context.make("clerk", now=now)
    with database.engine.connect():
        pass  # connect (and set up SQLite) before the race, not during it
    ready.put(True)
    go.wait()
    try:
        with database.transaction() as session:
            results.put(_act(session, ctx, action, args))
    except ConsignError as error:
        results.put((type(error).__name__, error.message))
    except Exception as error:  # a bug: report it rather than leave the test waiting
        results.put(("crashed", repr(error)))
    finally:
        database.dispose()


def at_once(url: str, action: str, args: tuple, now, clerks: int) -> list[tuple]:
    """Run ``clerks`` processes doing the same thing at the same moment; their outcomes."""
    import multiprocessing

    spawn = multiprocessing.get_context("forkserver")
    spawn.set_forkserver_preload(["tests.ledger_support"])
    ready, results, go = spawn.Queue(), spawn.Queue(), spawn.Event()
    processes = [spawn.Process(target=worker, args=(url, action, args, now, ready, go, results))
                 for _ in range(clerks)]
    for process in processes:
        process.start()
    for _ in processes:
        ready.get(timeout=60)
    go.set()
    outcomes = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    return outcomes
