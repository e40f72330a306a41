"""The threads of one process (a server's) writing at once: on SQLite they queue for the
write lock in the process (``Database``), readers never wait, and a writer that waits past
the busy timeout is refused in one line, with nothing written."""

import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from consign import db as database_module
from consign.errors import ConsignError, EnvironmentFailure
from consign.models import Movement
from consign.services import check, ledger
from tests.ledger_support import WIB, wib

ROOT = Path(__file__).resolve().parents[1]


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


def test_a_writer_takes_its_turn_when_it_begins_not_when_its_transaction_opens(
        book, shop, db, ctx):
    """A transaction still doing its own work before its first statement (a request
    reading its body) makes no other writer wait."""
    book.place("ATRIA", "IKM-0001", [("BTK-001", 5, None)], at=wib("2020-10-01 09:00"))
    opened, sold = threading.Event(), threading.Event()

    def slow() -> None:
        with db.transaction() as session:
            opened.set()
            assert sold.wait(10)  # the other sale was made meanwhile
            ledger.sell(session, ctx, "ATRIA", "BTK-001", 1, receipt="SLOW-1")

    thread = threading.Thread(target=slow)
    thread.start()
    assert opened.wait(10)
    with db.transaction() as session:
        ledger.sell(session, ctx, "ATRIA", "BTK-001", 1, receipt="QUICK-1")
    sold.set()
    thread.join(20)
    assert book.stock() == {("ATRIA", "BTK-001"): 3}


# processes writing to one SQLite file, each with the queue across processes, and no busy
# timeout at all: a writer that found the write lock taken would fail at once (as one would
# if a savepoint's release gave the turn back before the transaction's COMMIT)
WRITER = """
import sys
from consign import db as module
module.BUSY_TIMEOUT_MS = 0
from datetime import datetime, timezone
from consign.context import Context
from consign.services import ledger
url, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
database = module.Database(url, across_processes=True)
ctx = Context.make(name, now=datetime(2020, 12, 15, 5, 0, tzinfo=timezone.utc))
for n in range(count):
    with database.transaction() as session:
        for part in range(2):  # a batch: each sale in a savepoint, as the API's and forms'
            with session.begin_nested():
                ledger.sell(session, ctx, "ATRIA", "BTK-001", 1, receipt=f"{name}-{n}-{part}")
database.dispose()
"""


def test_processes_on_one_sqlite_file_queue_for_the_write_lock_across_processes(
        book, shop, db, db_url):
    if not db.is_sqlite:
        pytest.skip("the queue is SQLite's: PostgreSQL's writers do not wait for each other")
    book.place("ATRIA", "IKM-0001", [("BTK-001", 400, None)], at=wib("2020-10-01 09:00"))
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, db_url, f"P{n}", "50"],
                                cwd=ROOT, stderr=subprocess.PIPE) for n in range(3)]
    failures = [writer.communicate(timeout=60)[1].decode() for writer in writers]
    assert [writer.returncode for writer in writers] == [0, 0, 0], failures
    assert book.stock() == {("ATRIA", "BTK-001"): 100}
    queue = Path(database_module.sqlite_file(make_url(db_url)) + "-writers")
    assert queue.exists()


def test_a_queue_file_that_cannot_be_opened_is_an_environment_failure_in_one_line(db_url):
    path = database_module.sqlite_file(make_url(db_url))
    if path is None:
        pytest.skip("only a SQLite file has a queue of its writing processes")
    Path(path + "-writers").mkdir()  # a directory where the file would be
    with pytest.raises(EnvironmentFailure) as refused:
        database_module.Database(db_url, across_processes=True)
    assert path + "-writers" in str(refused.value) and "\n" not in str(refused.value)
