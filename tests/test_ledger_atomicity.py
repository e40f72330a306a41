"""An import killed part-way (SIGKILL, as a power cut or the OOM killer would) leaves all of
its rows or none, and the SQLite file passes its integrity check."""

import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from consign.services import check
from tests import ledger_support
from tests.ledger_support import WIB, wib

# the ledger tests' fixtures

ROWS = 30_000
IMPORTER = """
import sys, time
from datetime import datetime, UTC
from pathlib import Path
from consign.context import Context
from consign.db import Database
from consign.services import ledger
from consign.tabular import Upload

url, path, marker, pause = sys.argv[1:5]

def progress(done, total):
    if pause == "yes" and done > total // 2:   # the first rows are inserted, not committed
        Path(marker).write_text("inserting")
        time.sleep(600)

database = Database(url)
with database.transaction() as session:
    ctx = Context.make("importer", now=datetime(2020, 12, 15, 5, 0, tzinfo=UTC))
    ledger.import_sales(session, ctx, "ATRIA", Upload.read(path), progress=progress)
Path(marker).write_text("committed")
"""


@pytest.fixture
def sqlite_only(db):
    if not db.is_sqlite:
        pytest.skip("killing a writer part-way is a test of the SQLite file")


@pytest.fixture
def till_file(book, shop, tmp_path, sqlite_only):
    book.place("ATRIA", "IKM-0001", [("BTK-001", ROWS, None)], at=wib("2020-10-01 09:00"))
    path = tmp_path / "till.csv"
    rows = (f"2020-10-{2 + n % 28:02d} {n % 24:02d}:{n % 60:02d},BTK-001,1,,R-{n}\n"
            for n in range(ROWS))
    path.write_text("sold_at,sku,qty,unit_price,receipt\n" + "".join(rows))
    return path


def start_import(db_url, path, marker, pause: bool) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", IMPORTER, db_url, str(path), str(marker),
                             "yes" if pause else "no"])


def sold_and_sound(db, db_url) -> int:
    """The number of units sold; asserts the file and the ledger are sound."""
    with sqlite3.connect(db_url.removeprefix("sqlite:///")) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    with db.transaction(readonly=True) as session:
        assert check.run(session, WIB, check.LEDGER_CHECKS) == []
    return ROWS - ledger_support.Book(db, None).stock().get(("ATRIA", "BTK-001"), 0)


def test_an_import_killed_while_inserting_leaves_none_of_its_rows(db, db_url, till_file,
                                                                  tmp_path):
    marker = tmp_path / "marker"
    importer = start_import(db_url, till_file, marker, pause=True)
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert importer.poll() is None, "the importer ended before it was killed"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    importer.send_signal(signal.SIGKILL)
    importer.wait()
    assert sold_and_sound(db, db_url) == 0
    assert ledger_support.Book(db, None).count_movements() == 1


@pytest.mark.parametrize("delay", [0.3, 0.8, 1.5, 3.0])
def test_an_import_killed_at_any_moment_leaves_all_its_rows_or_none(db, db_url, till_file,
                                                                    tmp_path, delay):
    importer = start_import(db_url, till_file, tmp_path / "marker", pause=False)
    time.sleep(delay)
    importer.send_signal(signal.SIGKILL)
    importer.wait()
    assert sold_and_sound(db, db_url) in (0, ROWS)
