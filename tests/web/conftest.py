"""A small programme for the web app's tests: two hotels, two IKM with goods at one each,
and a user of every role; a client that logs in through the login form and posts forms
with their CSRF token, as a browser does."""

import contextlib
import re
import shutil
import threading
from datetime import UTC, datetime

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from consign.context import Context
from consign.db import Database
from consign.models import User
from consign.services import ledger, registry, users
from tests.conftest import BACKENDS, built_from_template, truncate_all

PASSWORD = "kata-sandi-rahasia"
NOW = datetime(2020, 12, 15, 5, 0, tzinfo=UTC)  # 12:00 WIB on 15 December 2020
# cheap argon2 parameters for the tests (a hash carries its parameters), so that a login
# costs a test little; every check is still argon2's
FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(autouse=True)
def fast_hashes(monkeypatch):
    monkeypatch.setattr(users, "_HASHERS", [FAST])

ROLES = {
    "anonymous": None,
    "admin": "ani",
    "auditor": "budi",
    "hotel:ATRIA": "citra",
    "hotel:TUGU": "dedi",
    "consignor:IKM-0001": "eka",
    "consignor:IKM-0002": "fajar",
}

def expect(default, **given):
    """A row of the matrix: ``default`` for every role, except those given (by a short
    name: anon, admin, auditor, atria, tugu, ikm1, ikm2)."""
    names = dict(zip(("anon", "admin", "auditor", "atria", "tugu", "ikm1", "ikm2"), ROLES,
                     strict=True))
    row = dict.fromkeys(ROLES, default)
    row.update({names[short]: status for short, status in given.items()})
    return row


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def build_world(database: Database) -> None:
    ctx = Context.make("setup", now=NOW)
    with database.transaction() as session:
        registry.add_hotel(session, ctx, "ATRIA", "Hotel Atria Malang", commission=2000,
                           address="Jl. Letjen S. Parman No. 87, Malang")
        registry.add_hotel(session, ctx, "TUGU", "Hotel Tugu Malang", commission=2000,
                           address="Jl. Tugu No. 3, Malang")
        for code, name in (("IKM-0001", "Batik Tulis Celaket"), ("IKM-0002", "Keripik Tempe")):
            registry.add_consignor(session, ctx, code, name=name, owner="Pemilik",
                                   sector="kriya")
        registry.add_product(session, ctx, "BTK-001", "IKM-0001", name="Batik tulis Kendedes",
                             price=150_000, category="kain")
        registry.add_product(session, ctx, "BTK-002", "IKM-0001", name="Selendang batik",
                             price=85_000, category="kain")
        registry.add_product(session, ctx, "KRP-001", "IKM-0002", name="Keripik tempe 250 g",
                             price=20_000, category="makanan")
        early = datetime(2020, 8, 3, 3, 0, tzinfo=UTC)
        ledger.place(session, ctx, "ATRIA", "IKM-0001", [("BTK-001", 10, None)], at=early)
        ledger.place(session, ctx, "ATRIA", "IKM-0001", [("BTK-002", 4, 90_000)],
                     at=datetime(2020, 12, 1, 3, 0, tzinfo=UTC))
        ledger.place(session, ctx, "TUGU", "IKM-0002", [("KRP-001", 30, None)],
                     at=datetime(2020, 12, 1, 3, 0, tzinfo=UTC))
        for role, name in ROLES.items():
            if name:
                users.add(session, ctx, name, role)
        for user in session.scalars(select(User)):
            user.password_hash = FAST.hash(PASSWORD)  # as 'consign user passwd' sets it


@pytest.fixture(scope="session")
def sqlite_world(sqlite_template, tmp_path_factory):
    """The programme built once in a SQLite file, copied for each test that needs it."""
    path = tmp_path_factory.mktemp("world") / "world.db"
    built_from_template(sqlite_template, path, build_world)
    return path


@pytest.fixture(scope="module", params=BACKENDS)
def world_url(request, tmp_path_factory):
    """One programme for a module's tests (which must leave it as they found it, or
    only add sales of their own; such a module uses no ``db_url`` of its own, which on
    PostgreSQL would empty the same database)."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("web") / "consign.db"
        shutil.copy(request.getfixturevalue("sqlite_world"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("pg_migrated")
    database = Database(url)
    truncate_all(database)
    build_world(database)
    database.dispose()
    return url


class Sleeps(list):
    """Stands in for ``time.sleep``: keeps the delays asked for, waits for none."""

    def __call__(self, seconds):
        self.append(seconds)


def sale_without_a_rate(app, month: int) -> None:
    """BARU, a hotel registered without a commission rate, gets two BTK-001 on the 1st of
    ``month`` (2020) and sells one on the 10th: a month that cannot be settled."""
    ctx = Context.make("setup", now=NOW)
    with app.extensions["consign.database"].transaction() as session:
        registry.add_hotel(session, ctx, "BARU", "Hotel Baru Malang")
        ledger.place(session, ctx, "BARU", "IKM-0001", [("BTK-001", 2, None)],
                     at=datetime(2020, month, 1, 3, tzinfo=UTC))
        ledger.sell(session, ctx, "BARU", "BTK-001", 1,
                    at=datetime(2020, month, 10, 5, tzinfo=UTC))


@pytest.fixture
def august(app):
    """Two units of BTK-001 sold at ATRIA in August at the placement's price, 150,000: a
    month to settle and close."""
    with app.extensions["consign.database"].transaction() as session:
        ledger.sell(session, Context.make("setup", now=NOW), "ATRIA", "BTK-001", 2,
                    at=datetime(2020, 8, 10, 4, 0, tzinfo=UTC))
    return app


def make_app(url, clock=lambda: NOW, **config):
    from consign.web import create_app

    sleeps = Sleeps()
    app = create_app(url, config={"CONSIGN_CLOCK": clock, "CONSIGN_SLEEP": sleeps,
                                  "CONSIGN_TZ": "Asia/Jakarta", **config})
    app.sleeps = sleeps
    return app


@pytest.fixture(scope="module")
def world_app(world_url):
    app = make_app(world_url)
    yield app
    app.extensions["consign.database"].dispose()


@pytest.fixture
def app(db_url, world_builder):
    app = make_app(db_url)
    yield app
    app.extensions["consign.database"].dispose()


@pytest.fixture
def world_builder(db_url, request):
    """The programme in the test's own database."""
    if db_url.startswith("sqlite:///"):
        shutil.copy(request.getfixturevalue("sqlite_world"), db_url.removeprefix("sqlite:///"))
        return
    database = Database(db_url)
    build_world(database)
    database.dispose()


def token(response) -> str:
    found = CSRF.search(response.get_data(as_text=True))
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def _read(response):
    """The response, read and closed (a static file's is a file that must be closed)."""
    response.get_data()
    response.close()
    return response


class Browser:
    """A test client that keeps the CSRF token of its session, as a page's forms do."""

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()
        self.csrf = None

    def get(self, url, **kwargs):
        return _read(self.client.get(url, **kwargs))

    def post(self, url, data=None, csrf=True, **kwargs):
        data = dict(data or {})
        if csrf:
            if self.csrf is None:
                self.csrf = token(self.client.get("/login"))
            data.setdefault("csrf_token", self.csrf)
        return _read(self.client.post(url, data=data, **kwargs))

    def log_in(self, name, password=PASSWORD):
        self.csrf = token(self.client.get("/login"))
        response = self.post("/login", {"name": name, "password": password})
        if response.status_code == 302:
            self.csrf = token(self.client.get("/", follow_redirects=True))
        return response


@pytest.fixture
def browser_for():
    def make(app, role=None):
        browser = Browser(app)
        if role is not None and ROLES[role]:
            response = browser.log_in(ROLES[role])
            assert response.status_code == 302, response.get_data(as_text=True)
        return browser

    return make


@contextlib.contextmanager
def real_server(app):
    """``app`` on a real waitress server in a thread of this process; its address. The
    server is closed from this thread while its loop may be waiting in select() on the
    sockets being closed: the loop's ending so (EBADF) is the server's ending, no error."""
    import waitress

    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=2)
    closing = threading.Event()

    def run() -> None:
        try:
            server.run()
        except OSError:
            if not closing.is_set():
                raise

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        closing.set()
        server.close()
        thread.join(timeout=5)
