"""Benchmark of the web app's pages through a running server: every page of a hotel's
staff and of an IKM owner, and the agency's dashboard and registers, on the ledger of the
settlement benchmark (by default 1,000,000 sales over 12 months, 40 hotels, 700 IKM), each
asked for many times by a logged-in browser-like client (cookies, the CSRF token of the
form); p50 and p99 per page against the targets (p99 on SQLite: a hotel's or an IKM's page
under 200 ms; an agency page under 1 s), and apart from them the page's first answer in
the server's life (its queries' SQL and its template made then, once per process).
Beside them, a bare Flask app on the same server (waitress) answering the same database's
shelf and goods queries through a Jinja table, and the ratio of consign's shelf and goods
pages to it.

The server is ``consign``'s own app factory served by waitress in a process of its own,
with its clock on 20 December 2020 (the ledger's last month, open), so that "today" and
"this month" are those of the ledger.

After the pages (or alone, with ``--api``), the point-of-sale API: 20 tills (threads, each
on a keep-alive connection) post single sales, each with its receipt, to ``POST
/api/v1/sales`` on loopback for a fixed number of requests (``--api-requests``), against
the service layer called directly for the same number of sales (``ledger.sell``, one
transaction each, one after the other) in the same run, on the same ledger. It prints the
throughput of each, their ratio (target: the API at least half the direct rate) and the
API's p50/p99 latency (target on SQLite: p99 under 100 ms). The server is ``consign serve``'s
own, with one worker process per core of the machine (``--api-workers``) and two threads in
each (``--api-threads``), as the README advises for such a machine.

    python bench/web.py                    # the full size, SQLite in a temp dir
    python bench/web.py --quick            # 50,000 sales, 100 IKM, 8 hotels, 3 months
    python bench/web.py --db sqlite:////tmp/x/bench.db --prepared   # a ledger built before
    python bench/web.py --db postgresql://postgres@127.0.0.1/bench
    python bench/web.py --quick --api      # the API alone
"""

import http.client
import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import settlement as setup  # noqa: E402  (bench/settlement.py: the ledger it builds)
from sqlalchemy import func, select  # noqa: E402

from consign.context import Context  # noqa: E402
from consign.db import Database  # noqa: E402
from consign.models import Consignor, Hotel, Movement, Product, Stock, User  # noqa: E402
from consign.periods import Period  # noqa: E402
from consign.policy import Role  # noqa: E402
from consign.services import ledger, tokens, users  # noqa: E402

PASSWORD = "bench-kata-sandi"
NOW = datetime(2020, 12, 20, 5, 0, tzinfo=UTC)  # 12:00 WIB, in the ledger's last month
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
HOTEL_TARGET, AGENCY_TARGET = 0.200, 1.0
API_CLIENTS, API_RATIO_TARGET, API_P99_TARGET = 20, 0.5, 0.100

SERVE = """
import logging, sys
logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # a queue is what is measured
from datetime import datetime
from consign import runtime
from consign.web import create_app, serving
runtime.collect_less()  # as the command line does before 'consign serve' runs
url, port, now = sys.argv[1], int(sys.argv[2]), datetime.fromisoformat(sys.argv[3])
threads, workers = (int(sys.argv[4]), int(sys.argv[5])) if len(sys.argv) > 5 else (4, 1)
serving.serve(lambda: create_app(url, config={"CONSIGN_CLOCK": lambda: now,
                                              "CONSIGN_SLEEP": lambda s: None}),
              serving.listen("127.0.0.1", port), threads, workers)
"""

# the bare libraries doing the shelf page's and the goods page's reading: Flask, waitress,
# SQLAlchemy Core and a Jinja table, no service layer, no session, no translation
BARE = """
import json, logging, os, socket, sys, waitress
logging.getLogger("waitress.queue").setLevel(logging.ERROR)
from flask import Flask, jsonify, render_template_string, request
from sqlalchemy import create_engine, text
url, port = sys.argv[1], int(sys.argv[2])
threads, workers = (int(sys.argv[3]), int(sys.argv[4])) if len(sys.argv) > 4 else (4, 1)
engine = create_engine(url)
app = Flask("bare")
TABLE = ("<!doctype html><table>{% for r in rows %}<tr><td>{{ r.sku }}</td><td>{{ r.name }}"
         "</td><td>{{ r.on_hand }}</td><td>{{ r.price }}</td></tr>{% endfor %}</table>")
SHELF = text("SELECT p.sku, p.name, s.on_hand, p.price FROM stock s JOIN products p "
             "ON p.id = s.product_id JOIN hotels h ON h.id = s.hotel_id "
             "WHERE h.code = :code AND s.on_hand > 0 ORDER BY p.sku")
GOODS = text("SELECT p.sku, p.name, s.on_hand, p.price FROM stock s JOIN products p "
             "ON p.id = s.product_id JOIN consignors c ON c.id = p.consignor_id "
             "WHERE c.code = :code AND s.on_hand > 0 ORDER BY p.sku")
@app.get("/shelf/<code>")
def shelf(code):
    with engine.connect() as connection:
        return render_template_string(TABLE, rows=connection.execute(SHELF, {"code": code}).all())
@app.get("/goods/<code>")
def goods(code):
    with engine.connect() as connection:
        return render_template_string(TABLE, rows=connection.execute(GOODS, {"code": code}).all())
@app.post("/api/v1/sales")
def sales():  # the floor under the API: the body read and answered, no database at all
    sale = json.loads(request.get_data())["sales"][0]
    return jsonify({"sales": [{"index": 0, "outcome": "recorded", "sku": sale["sku"]}]}), 201
listener = socket.create_server(("127.0.0.1", port))  # the workers fork after it, as consign's
for _ in range(workers - 1):
    if os.fork() == 0:
        break
waitress.serve(app, sockets=[listener], threads=threads, ident="bare", _quiet=True)
"""


def main() -> None:
    args = parse()
    months = [Period(2020 + m // 12, m % 12 + 1) for m in range(args.months)]
    database, where = setup.ledger(args, months)
    print(f"Database: {where}")
    hotel, owner, skus = _people(database)
    last, first = months[-1], months[0]
    database.dispose()
    url = where if "://" in where else f"sqlite:///{where}"
    if not args.api:
        _measure_pages(args, url, hotel, owner, skus, first, last)
    _measure_api(args, url, hotel, skus)


def _measure_pages(args, url: str, hotel: str, owner: str, skus: list[str], first: Period,
                   last: Period) -> None:
    with _server(SERVE, url, NOW.isoformat()) as port:
        pages = _pages(hotel, owner, first, last)
        for name, group in ((f"bench-{hotel.lower()}", "hotel"), ("bench-ikm", "ikm"),
                            ("bench-admin", "agency")):
            client = Client(port)
            client.log_in(name)
            for address in pages[group]:
                first = client.get(address)  # the page's first in this server: printed apart
                times = [client.get(address) for _ in range(args.requests if group != "agency"
                                                            else args.agency_requests)]
                _report(address, times, AGENCY_TARGET if group == "agency" else HOTEL_TARGET,
                        first)
            if group == "hotel":
                times = [client.sell(hotel, skus[n % len(skus)]) for n in range(args.requests)]
                _report(f"POST /hotel/{hotel}/sell (a sale, then its page)", times,
                        HOTEL_TARGET)
    with _server(BARE, url) as bare_port:
        bare = Client(bare_port)
        bare_shelf = [bare.get(f"/shelf/{hotel}") for _ in range(args.requests)]
        bare_goods = [bare.get(f"/goods/{owner}") for _ in range(args.requests)]
    print()
    for label, times, ours in (("shelf", bare_shelf, RESULTS[f"/hotel/{hotel}/shelf"]),
                               ("goods", bare_goods, RESULTS[f"/ikm/{owner}/"])):
        p50, p99 = _quantiles(times)
        print(f"bare Flask + waitress + SQL, the {label} table: p50 {p50 * 1000:7.1f} ms  "
              f"p99 {p99 * 1000:7.1f} ms;  consign's {label} page p50 / bare p50: "
              f"{ours[0] / p50:5.1f}x")


# ---- the point-of-sale API ------------------------------------------------------------------

def _measure_api(args, url: str, hotel: str, skus: list[str]) -> None:
    """The same number of single sales through the API (20 tills at once) and through the
    service layer directly; their rates, ratio and the API's latencies."""
    count = args.api_requests
    database = Database(url)
    now = _after_the_ledger(database)
    token = _api_setup(database, now, hotel, skus, 2 * count)
    run = f"{time.time_ns():x}"  # receipts of this run alone: the ledger may be used again
    direct = _direct_sales(database, now, hotel, skus, count, f"D{run}")
    database.dispose()
    shape = (str(args.api_threads), str(args.api_workers))
    with _server(SERVE, url, now.isoformat(), *shape) as port:
        _tills(port, token, skus, API_CLIENTS, f"W{run}", 2 * API_CLIENTS)  # warm up
        wall, times = _tills(port, token, skus, count, f"A{run}", API_CLIENTS)
    with _server(BARE, url, *shape) as port:  # the same tills and server, no database
        _tills(port, token, skus, API_CLIENTS, f"W{run}", 2 * API_CLIENTS)
        floor, _floor_times = _tills(port, token, skus, count, f"F{run}", API_CLIENTS)
    direct_rate, api_rate = count / direct[0], count / wall
    p50, p99 = _quantiles(times)
    d50, d99 = _quantiles(direct[1])
    print()
    print(f"API: {count:,} single sales, {API_CLIENTS} tills at once, on "
          f"{'SQLite' if url.startswith('sqlite') else 'PostgreSQL'}, the server with "
          f"{args.api_workers} worker(s) of {args.api_threads} thread(s)")
    print(f"  service layer directly: {direct_rate:8.1f} sales/s  (p50 {d50 * 1000:6.1f} ms, "
          f"p99 {d99 * 1000:6.1f} ms a sale)")
    ratio = api_rate / direct_rate
    verdict = "ok" if ratio >= API_RATIO_TARGET else f"under {API_RATIO_TARGET:.1f}"
    print(f"  POST /api/v1/sales:     {api_rate:8.1f} sales/s  API / direct: {ratio:4.2f} "
          f"({verdict})")
    verdict = "ok" if p99 < API_P99_TARGET else f"over {API_P99_TARGET * 1000:.0f} ms"
    print(f"  API latency:            p50 {p50 * 1000:6.1f} ms  p99 {p99 * 1000:6.1f} ms "
          f"({verdict})")
    # a server that added nothing to the sale would take the floor and the sale's own time
    ceiling = (direct[0] / count) / (direct[0] / count + floor / count)
    print(f"  bare Flask + waitress answering the same POSTs, no database: "
          f"{floor / count * 1000:5.2f} ms a request, so API / direct can be at most "
          f"{ceiling:4.2f} on this machine where sales are made one at a time (SQLite)")


def _after_the_ledger(database: Database) -> datetime:
    """The clock of the API's sales: a day after the latest moment the ledger and its running
    stock hold (the set-up dates its stock rows after its last month), so that each sale is
    today's, as a till sends it, not one dated before the shelf's latest movement."""
    with database.transaction(readonly=True) as session:
        latest = max(filter(None, (session.scalar(select(func.max(Stock.last_at))),
                                   session.scalar(select(func.max(Movement.at))), NOW)))
    return latest + timedelta(days=1)


def _api_setup(database: Database, now: datetime, hotel: str, skus: list[str],
               units: int) -> str:
    """A token of the hotel, and enough units of its SKUs for every sale of the run."""
    ctx = Context.make("bench", now=now)
    with database.transaction() as session:
        _record, plain = tokens.create(session, ctx, hotel, "bench till")
        owners = dict(session.execute(
            select(Product.sku, Consignor.code).join(Consignor)
            .where(Product.sku.in_(skus))).all())
        for sku in skus:
            ledger.place(session, ctx, hotel, owners[sku], [(sku, units // len(skus) + 1, None)],
                         at=now - timedelta(minutes=30))
    return plain


def _direct_sales(database: Database, now: datetime, hotel: str, skus: list[str], count: int,
                  prefix: str) -> tuple[float, list[float]]:
    """``count`` sales through ``ledger.sell``, each in its own transaction, as a request's."""
    ctx = Context.make("bench", now=now, role=Role("hotel", hotel))
    times = []
    start = time.perf_counter()
    for n in range(count):
        began = time.perf_counter()
        with database.transaction() as session:
            ledger.sell(session, ctx, hotel, skus[n % len(skus)], 1, receipt=f"{prefix}-{n}")
        times.append(time.perf_counter() - began)
    return time.perf_counter() - start, times


def _tills(port: int, token: str, skus: list[str], count: int, prefix: str,
           clients: int) -> tuple[float, list[float]]:
    """``count`` single sales posted by ``clients`` threads at once, each on its own
    keep-alive connection; the wall time and each request's time."""
    times: list[float] = []
    failures: list[str] = []
    numbers = iter(range(count))
    lock = threading.Lock()
    start_line = threading.Barrier(clients + 1)

    def till() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        mine = []
        start_line.wait()
        while True:
            with lock:
                n = next(numbers, None)
            if n is None:
                break
            body = json.dumps({"sales": [{"sku": skus[n % len(skus)], "qty": 1,
                                          "receipt": f"{prefix}-{n}"}]})
            began = time.perf_counter()
            connection.request("POST", "/api/v1/sales", body, {
                "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
            answer = connection.getresponse()
            answer.read()
            mine.append(time.perf_counter() - began)
            if answer.status != 201:
                failures.append(f"HTTP {answer.status}")
        connection.close()
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=till) for _ in range(clients)]
    for thread in threads:
        thread.start()
    start_line.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    if failures:
        raise SystemExit(f"{len(failures)} API sales failed: {failures[:3]}")
    return wall, times


RESULTS: dict[str, tuple[float, float]] = {}


def _report(label: str, times: list[float], target: float, first: float | None = None
            ) -> None:
    p50, p99 = _quantiles(times)
    RESULTS[label] = (p50, p99)
    verdict = "ok" if p99 < target else f"over {target * 1000:.0f} ms"
    cold = f"  first {first * 1000:7.1f} ms" if first is not None else ""
    print(f"{label:58} p50 {p50 * 1000:7.1f} ms  p99 {p99 * 1000:7.1f} ms  ({verdict}){cold}")


def _quantiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return (ordered[len(ordered) // 2],
            ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))])


def _pages(hotel: str, owner: str, first: Period, last: Period) -> dict[str, list[str]]:
    """The addresses asked for, by who asks."""
    as_of = last.last_day.isoformat()
    span = f"period={first}&to={last}"
    return {
        "hotel": [f"/hotel/{hotel}/{page}" for page in
                  ("sell", "shelf", "receive", "return", "loss", "count", "labels")],
        "ikm": [f"/ikm/{owner}/{page}" for page in ("", "sales", "statements", "due")],
        "agency": [f"/agency/?period={last}", f"/agency/placements?as_of={as_of}",
                   f"/agency/aging?as_of={as_of}", f"/agency/overdue?as_of={as_of}",
                   f"/agency/shrinkage?{span}", f"/agency/sales?{span}", "/agency/log",
                   f"/agency/statements?hotel={hotel}"],
    }


def _people(database: Database) -> tuple[str, str, list[str]]:
    """A user of each kind (made once), the first hotel, the first IKM, and the SKUs on the
    hotel's shelf with the most units (what the sales of the benchmark take)."""
    ctx = Context.make("bench", now=NOW)
    with database.transaction() as session:
        hotel = session.scalar(select(Hotel.code).order_by(Hotel.code))
        owner = session.scalar(select(Consignor.code).order_by(Consignor.code))
        for name, role in (("bench-admin", "admin"), (f"bench-{hotel.lower()}", f"hotel:{hotel}"),
                           ("bench-ikm", f"consignor:{owner}")):
            if session.scalar(select(User.id).where(User.name == name)) is None:
                users.add(session, ctx, name, role)
                users.set_password(session, ctx, name, PASSWORD)
        shelf = list(session.execute(
            select(Product.sku, Consignor.code).join(Stock, Stock.product_id == Product.id)
            .join(Hotel, Hotel.id == Stock.hotel_id)
            .join(Consignor, Consignor.id == Product.consignor_id)
            .where(Hotel.code == hotel).order_by(Product.sku).limit(5)))
        for sku, consignor in shelf:  # enough for every sale of the benchmark
            ledger.place(session, ctx, hotel, consignor, [(sku, 1_000, None)],
                         at=NOW - timedelta(hours=1))
    return hotel, owner, [sku for sku, _ in shelf]


class _server:
    """A server process of ``script`` on a free port, stopped on leaving with any workers
    it forked."""

    def __init__(self, script: str, *args: str):
        self.script, self.args = script, args

    def __enter__(self) -> int:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen(
            [sys.executable, "-c", self.script, self.args[0], str(self.port), *self.args[1:]],
            cwd=Path(__file__).resolve().parent.parent, env={**os.environ},
            start_new_session=True)  # its workers too are stopped on leaving
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self.port
            except OSError:
                if self.process.poll() is not None:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.2)
        raise SystemExit("the server did not start within a minute")

    def __exit__(self, *_exc) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(10)


class Client:
    """A browser-like client: it keeps cookies and posts forms with their CSRF token."""

    def __init__(self, port: int):
        self.base = f"http://127.0.0.1:{port}"
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.token = None

    def _open(self, address: str, form: dict | None = None) -> tuple[float, str]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        start = time.perf_counter()
        try:
            with self.opener.open(self.base + address, data=data, timeout=120) as answer:
                body = answer.read().decode()
        except urllib.error.HTTPError as error:
            raise SystemExit(f"{address}: HTTP {error.code}") from None
        took = time.perf_counter() - start
        found = CSRF.search(body)
        if found:
            self.token = found.group(1)
        return took, body

    def get(self, address: str) -> float:
        return self._open(address)[0]

    def log_in(self, name: str) -> None:
        self._open("/login")
        self._open("/login", {"csrf_token": self.token, "name": name, "password": PASSWORD})

    def sell(self, hotel: str, sku: str) -> float:
        """One sale through the sell form, and the page it leads to (the redirect)."""
        if self.token is None:
            self._open(f"/hotel/{hotel}/sell")
        return self._open(f"/hotel/{hotel}/sell", {"csrf_token": self.token, "sku": sku,
                                                   "qty": "1", "price": "", "receipt": "",
                                                   "payment": ""})[0]


def parse():
    parser = setup.measuring_arguments(__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100,
                        help="requests of each hotel and IKM page (default 100)")
    parser.add_argument("--agency-requests", type=int, default=10,
                        help="requests of each agency page (default 10)")
    parser.add_argument("--api", action="store_true",
                        help="measure the point-of-sale API alone (not the pages)")
    parser.add_argument("--api-requests", type=int, default=2000,
                        help="single sales posted through the API, and made directly "
                             "(default 2000)")
    parser.add_argument("--api-threads", type=int, default=2,
                        help="threads of each worker of the API's server ('consign serve "
                             "--threads'; default 2, which keeps SQLite's queue of writers "
                             "short)")
    parser.add_argument("--api-workers", type=int, default=os.cpu_count() or 1,
                        help="worker processes of the API's server ('consign serve "
                             "--workers'; default: one for each core of the machine)")
    return setup.parsed(parser)


if __name__ == "__main__":
    from consign import runtime

    runtime.collect_less()  # as the command line runs: consign and the bare work alike
    main()
