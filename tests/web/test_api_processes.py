"""Several processes serving one database behave as one, on SQLite and PostgreSQL: two
``consign serve`` side by side, or one ``consign serve --workers 2``. Tills selling the
last K items of a product through the API at once, half of them to each address, sell
exactly K; a receipt sent twice at once is recorded once; ``consign check`` finds the
database clean afterwards; and stopping the server stops its workers."""

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import ExitStack
from pathlib import Path

import pytest
from click.testing import CliRunner

from consign.cli import main
from consign.context import Context
from consign.db import Database
from consign.services import ledger, tokens
from tests.conftest import free_port
from tests.web.conftest import NOW, build_world

ROOT = Path(__file__).resolve().parents[2]
K = 4  # BTK-002 placed at ATRIA: 4 units
TILLS = 12


@pytest.fixture
def world(db_url):
    database = Database(db_url)
    build_world(database)
    with database.transaction() as session:
        plain = tokens.create(session, Context.make("setup", now=NOW), "ATRIA", "kasir")[1]
    database.dispose()
    return db_url, plain


class Server:
    """``consign serve`` in a process of its own, stopped on leaving."""

    def __init__(self, url: str, workers: int = 1):
        self.port, self.workers = free_port(), workers
        self.process = subprocess.Popen(
            [sys.executable, "-m", "consign", "--db", url, "serve", "--port", str(self.port),
             "--threads", "4", "--workers", str(workers)], cwd=ROOT, env={**os.environ},
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def __enter__(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(self.process.stderr.read().decode())
            try:  # the port listens as soon as it is taken, before the workers are forked
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    if self.workers == 1 or len(workers_of(self)) == self.workers:
                        return self
            except OSError:
                pass
            time.sleep(0.1)
        raise AssertionError("consign serve did not start within a minute")

    def __exit__(self, *_exc):
        self.process.terminate()
        self.process.wait(20)
        self.process.stderr.close()


def post(port: int, token: str, sales: list) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/sales?lang=en", method="POST",
        data=json.dumps({"sales": sales}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def at_once(calls: list) -> list:
    """Each call in a thread of its own, all let go at the same moment; their results."""
    results = [None] * len(calls)
    start = threading.Barrier(len(calls))

    def run(index, call):
        start.wait()
        results[index] = call()

    threads = [threading.Thread(target=run, args=(n, call)) for n, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results


def workers_of(server: Server) -> list[int]:
    """The process ids of the workers a ``consign serve`` forked."""
    children = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children")
    return [int(pid) for pid in children.read_text().split()]


@pytest.mark.parametrize("shape", ["two servers", "one server of two workers"])
def test_processes_selling_the_last_k_items_at_once_sell_exactly_k_and_check_is_clean(
        world, shape):
    url, token = world
    with ExitStack() as stack:
        if shape == "two servers":
            servers = [stack.enter_context(Server(url)) for _ in range(2)]
        else:
            servers = [stack.enter_context(Server(url, workers=2))] * 2
            assert len(workers_of(servers[0])) == 2
        calls = [lambda n=n: post(servers[n % 2].port, token,
                                  [{"sku": "BTK-002", "qty": 1, "receipt": f"LAST-{n}"}])
                 for n in range(TILLS)]
        results = at_once(calls)
        sold = [body for status, body in results if status == 201]
        refused = [body for status, body in results if status != 201]
        assert len(sold) == K, results
        assert all(body["items"][0]["message"].startswith("Cannot sell 1 × BTK-002 at ATRIA: "
                                                          "only 0 on hand")
                   for body in refused), refused
        # the same receipt sent to both servers at once (a till retrying on another one)
        twice = at_once([lambda port=server.port: post(port, token, [
            {"sku": "BTK-001", "qty": 2, "receipt": "BOTH-1"}]) for server in servers])
        assert sorted(status for status, _ in twice) == [200, 201], twice
        assert {body["sales"][0]["id"] for _, body in twice} == {
            body["sales"][0]["id"] for status, body in twice if status == 201}
    database = Database(url)
    try:
        with database.transaction(readonly=True) as session:
            stock = {row.sku: row.on_hand for row in ledger.stock(session, hotel="ATRIA")}
            sales = ledger.movements(session, NOW.tzinfo, hotel="ATRIA", kind="sold")
    finally:
        database.dispose()
    assert "BTK-002" not in stock and stock["BTK-001"] == 8  # 4 − 4 sold; 10 − 2
    assert sorted(s.receipt for s in sales) == sorted(
        ["BOTH-1", *(body["sales"][0]["receipt"] for body in sold)])
    check = CliRunner().invoke(main, ["--db", url, "check"])
    assert check.exit_code == 0, check.output


def test_stopping_a_server_of_two_workers_stops_both(world):
    url, token = world
    with Server(url, workers=2) as server:
        workers = workers_of(server)
        assert post(server.port, token, [{"sku": "BTK-001", "qty": 1, "receipt": "W-1"}])[0] == 201
        # the parent holds no connection to the database its workers use: on SQLite a
        # process's locks on the file are its own, and a worker must not lean on them
        held = {os.readlink(fd) for fd in Path(f"/proc/{server.process.pid}/fd").iterdir()
                if fd.exists()}
        assert not [path for path in held if "consign.db" in path], held
    for pid in workers:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(
            f"/proc/{pid}/status").read_text()
