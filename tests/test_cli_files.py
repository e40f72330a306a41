"""Files a command writes with what it records (``place --pdf``, ``doc receipt --out``, ...)
are written inside its transaction: a file that cannot be written records nothing and
leaves nothing, a command never writes over its own database or a file it reads, and an
output that cannot be written says so in one line (exit 3), never with a traceback."""

import os
from pathlib import Path

import pytest

FULL = Path("/dev/full")  # every write to it fails: the disk is full
needs_full = pytest.mark.skipif(not FULL.is_char_device(), reason="no /dev/full here")


@pytest.fixture
def shelf(shop, book):
    book.place("ATRIA", "IKM-0001", [("BTK-001", 5, None)], at="2020-12-01 09:00")


def test_a_document_is_never_written_over_the_database(cli, db_url, shelf, snapshot):
    if not db_url.startswith("sqlite"):
        pytest.skip("a database that is a file")
    database = Path(db_url.removeprefix("sqlite:///"))
    before, size = snapshot(), database.stat().st_size
    for args in (("doc", "receipt", "PL-2020-00001", "--out", database),
                 ("doc", "labels", "--hotel", "ATRIA", "--out", database),
                 ("place", "--hotel", "ATRIA", "--consignor", "IKM-0001", "BTK-001=1",
                  "--at", "2020-12-02", "--pdf", database)):
        result = cli(*args)
        assert (result.exit_code, result.output) == (
            2, f"Error: {database} is a file this command reads or its database: give another "
               "file name.\n")
    assert snapshot() == before and database.stat().st_size == size


def test_a_receipt_is_never_written_over_the_file_it_was_read_from(cli, shelf, snapshot,
                                                                   tmp_path):
    placements = tmp_path / "placements.csv"
    placements.write_text("consignor,sku,qty,price\nIKM-0001,BTK-002,2,\n")
    before = snapshot()
    result = cli("place", "--hotel", "ATRIA", "--file", placements, "--at", "2020-12-02",
                 "--pdf", placements)
    assert result.exit_code == 2, result.output
    assert snapshot() == before
    assert placements.read_text() == "consignor,sku,qty,price\nIKM-0001,BTK-002,2,\n"


@needs_full
@pytest.mark.parametrize("args", [
    ("place", "--hotel", "ATRIA", "--consignor", "IKM-0001", "BTK-001=1", "--at", "2020-12-02",
     "--pdf", FULL),
    ("return", "--hotel", "ATRIA", "BTK-001=1", "--at", "2020-12-02", "--pdf", FULL),
    ("doc", "receipt", "PL-2020-00001", "--out", FULL),
])
def test_a_proof_that_cannot_be_written_records_nothing(cli, shelf, snapshot, args):
    """Not the movement, nor the archived proof: exit 3 means nothing was written."""
    before = snapshot()
    result = cli(*args)
    assert (result.exit_code, result.output) == (
        3, "Error: Cannot write to /dev/full: no space is left on the disk. Nothing was written.\n")
    assert snapshot() == before
    assert FULL.is_char_device()  # what could not be written to is left as it was


def test_of_several_receipts_one_that_cannot_be_written_takes_the_others_with_it(
        cli, shelf, snapshot, tmp_path):
    """A file of two IKM makes two receipts; the second's name is a folder: nothing of the
    placements is recorded and the first receipt is not left behind."""
    placements = tmp_path / "placements.csv"
    placements.write_text("consignor,sku,qty,price\nIKM-0001,BTK-002,2,\nIKM-0002,KRM-001,1,\n")
    (tmp_path / "terima-IKM-0002.pdf").mkdir()
    before = snapshot()
    result = cli("place", "--hotel", "ATRIA", "--file", placements, "--at", "2020-12-02",
                 "--pdf", tmp_path / "terima.pdf")
    assert result.exit_code == 3, result.output
    assert result.output.startswith(f"Error: Cannot write to {tmp_path / 'terima-IKM-0002.pdf'}")
    assert snapshot() == before
    assert not (tmp_path / "terima-IKM-0001.pdf").exists()


@needs_full
def test_an_output_that_cannot_be_written_is_said_in_one_line(db_url, shelf):
    """Standard output on a full disk: one line on stderr and exit 3, no traceback."""
    import subprocess
    import sys

    with FULL.open("w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "consign", "--db", db_url, "--as", "tester", "doc",
             "count-template", "--hotel", "ATRIA"],
            stdout=full, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "CONSIGN_LANG": "en"}, check=False)
    assert (result.returncode, result.stderr) == (
        3, "Error: Cannot write the output: no space is left on the disk.\n")
    with FULL.open("w") as full:  # its help, written while the arguments are read
        helped = subprocess.run([sys.executable, "-m", "consign", "--help"], stdout=full,
                                stderr=subprocess.PIPE, text=True, check=False,
                                env={**os.environ, "CONSIGN_LANG": "en"})
    assert (helped.returncode, helped.stderr) == (
        3, "Error: Cannot write the output: no space is left on the disk.\n")
    with FULL.open("w") as full:  # the system's reason in the user's language too
        said = subprocess.run([sys.executable, "-m", "consign", "--help"], stdout=full,
                              stderr=subprocess.PIPE, text=True, check=False,
                              env={**os.environ, "CONSIGN_LANG": "id"})
    assert said.stderr == "Galat: Tidak dapat menulis keluaran: disk sudah penuh.\n"


def test_output_no_longer_read_ends_quietly(db_url, shelf):
    """``consign ... | head -1``: the reader has stopped reading, so the command stops
    writing and says nothing (what it did is done: output is written after the commit);
    it exits 3 all the same, never 0: a verdict it could not deliver is no success."""
    import subprocess
    import sys

    command = [sys.executable, "-m", "consign", "--db", db_url, "--as", "tester", "doc",
               "count-template", "--hotel", "ATRIA"]
    whole = subprocess.run(command, capture_output=True, text=True, check=False)
    assert whole.returncode == 0 and whole.stdout.count("\n") > 1, whole.stderr
    read, write = os.pipe()
    os.close(read)  # a reader that is gone before the first line: every write fails
    try:
        closed = subprocess.run(command, stdout=write, stderr=subprocess.PIPE, text=True,
                                env={**os.environ, "CONSIGN_LANG": "en"}, check=False)
    finally:
        os.close(write)
    assert (closed.returncode, closed.stderr) == (3, "")
    for asked in (["--help"], ["statement", "verify", "--code", "ST-000001", "ABCDABCDABCD"]):
        read, write = os.pipe()
        os.close(read)
        try:
            gone = subprocess.run([*command[:7], *asked], stdout=write, stderr=subprocess.PIPE,
                                  text=True, check=False)
        finally:
            os.close(write)
        assert (gone.returncode, gone.stderr) == (3, ""), asked


def test_a_closed_standard_output_is_said_before_anything_is_done(db_url, shelf):
    import subprocess
    import sys

    closed = subprocess.run(
        [sys.executable, "-m", "consign", "--db", db_url, "--as", "tester", "sell",
         "--hotel", "ATRIA", "BTK-001"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True, check=False, env={**os.environ, "CONSIGN_LANG": "en"},
        preexec_fn=lambda: os.close(1))
    assert (closed.returncode, closed.stderr) == (
        3, "Error: Cannot write the output: standard output is closed. Nothing was done.\n")
