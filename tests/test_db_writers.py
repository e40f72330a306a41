"""The threads of one process (a server's) writing at once: on SQLite they queue for the
write lock in the process (``Database``), readers never wait, and a writer that waits past
the busy timeout is refused in one line, with nothing written."""

import threading
from collections import Counter

import pytest
from sqlalchemy import func, select

from consign import db as database_module
from consign.errors import ConsignError, EnvironmentFailure
from consign.models import Movement
from consign.services import check, ledger
from tests.ledger_support import WIB, wib


def test_threads_selling_the_last_items_at_once_sell_exactly_as_many(book, shop, db, ctx):
    book.place("ATRIA", "IKM-0001", [("BTK-001", 5, None)], at=wib("2020-10-01 09:00"))
    start, outcomes, lock = threading.Barrier(12), Counter(), threading.Lock()

    def clerk(n: int) -> None:
        start.wait()
        try:
            with db.transaction() as session:
                ledger.sell(session, ctx, "ATRIA", "BTK-001", 1, receipt=f"T-{n}")
            outcome = "sold"
        except ConsignError as error:
            outcome = type(error).__name__
        with lock:
            outcomes[outcome] += 1

    clerks = [threading.Thread(target=clerk, args=(n,)) for n in range(12)]
    for thread in clerks:
        thread.start()
    for thread in clerks:
        thread.join()
    assert outcomes == Counter(sold=5, InsufficientStock=7)
    assert book.stock() == {}
    with db.transaction(readonly=True) as session:
        assert session.scalar(select(func.count()).where(Movement.kind == "sold")) == 5
        assert check.run(session, WIB, check.LEDGER_CHECKS) == []


@pytest.fixture
def writer_holding(db):
    """A thread of the process inside a writing transaction until the test lets it go."""
    inside, done = threading.Event(), threading.Event()

    def hold() -> None:
        with db.transaction() as session:
            session.execute(select(1))
            inside.set()
            done.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    assert inside.wait(10)
    yield
    done.set()
    thread.join()


def test_a_reader_does_not_wait_for_a_writer_of_the_process(book, shop, db, writer_holding):
    with db.transaction(readonly=True) as session:
        assert session.scalar(select(func.count()).select_from(Movement)) == 0


def test_a_writer_waiting_past_the_busy_timeout_is_refused_in_one_line(
        book, shop, db, ctx, monkeypatch, writer_holding):
    if not db.is_sqlite:
        pytest.skip("the queue is SQLite's: PostgreSQL's writers do not wait for each other")
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 200)
    with pytest.raises(EnvironmentFailure) as refused, db.transaction() as session:
        ledger.place(session, ctx, "ATRIA", "IKM-0001", [("BTK-001", 1, None)])
    assert "database is locked. Nothing was written." in str(refused.value)
    assert "\n" not in str(refused.value)
    assert book.stock() == {}
