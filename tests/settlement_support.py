"""Helpers for the settlement tests: a clock in WIB, the services each called in its own
transaction (as a command would), and statements reduced to the figures a person checks.

``three_months_at_atria`` records the hand-computed story the figures tests check; the
numbers it leads to are written out as literals in those tests, not recomputed here.
"""

from datetime import date, datetime

import pytest

from consign.context import Context
from consign.periods import Period
from consign.services import ledger, settlement
from consign.services.settlement import statements
from tests.ledger_support import WIB, Book, wib  # noqa: F401 (WIB and wib are used by tests)

OCT, NOV, DEC = Period(2020, 10), Period(2020, 11), Period(2020, 12)


class Office(Book):
    """The ledger and settlement services, each call one transaction, at a moment of the
    office's clock (``office.now = wib(...)``)."""

    services = (ledger, settlement)

    def __init__(self, db, now: datetime):
        self.db, self.now = db, now

    @property
    def ctx(self) -> Context:
        return Context.make("tester", now=self.now)

    def settle(self, period: Period, hotel: str | None = None):
        """``settle``, then the period's statements (all hotels, or that one) with their
        lines and stock rows, read in a transaction of their own."""
        with self.db.transaction() as session:
            found = settlement.settle(session, self.ctx, period, hotel)
        keys = {(s.hotel, s.consignor) for s in found}
        with self.db.transaction(readonly=True) as session:
            return [s for s in statements.of_period(session, period)
                    if (s.hotel_code, s.consignor_code) in keys]

    def statements(self, period: Period, hotel: str = "ATRIA"):
        """The period's statements of the hotel, with their lines and stock, by IKM code."""
        with self.db.transaction(readonly=True) as session:
            return [s for s in statements.of_period(session, period) if s.hotel_code == hotel]

    def statement(self, number: str):
        with self.db.transaction(readonly=True) as session:
            return settlement.get_statement(session, number)


@pytest.fixture
def office(db):
    return Office(db, wib("2020-12-15 12:00"))


def consignor_of(statement) -> str:
    """The IKM code of a statement: a record (``close_period``, ``list_statements``) names
    it ``consignor``, a stored statement (``of_period``, ``get_statement``)
    ``consignor_code``."""
    code = getattr(statement, "consignor_code", None)
    return code if code is not None else statement.consignor


def totals(statement) -> tuple:
    """(number, consignor, status, gross, commission, opening balance, net)."""
    return (statement.number, consignor_of(statement), statement.status, statement.gross,
            statement.commission, statement.opening_balance, statement.net)


def lines(statement) -> list[tuple]:
    """(kind, date, sku, qty, unit price, amount, rate in basis points) per line."""
    return [(line.kind, line.day.isoformat(), line.sku, line.qty, line.unit_price,
             line.amount, line.rate_bp) for line in statement.lines]


def stock(statement) -> list[tuple]:
    """(sku, opening, placed, sold, returned, lost, counted, corrected, closing) per row."""
    return [(row.sku, row.opening, row.placed, row.sold, row.returned, row.lost, row.counted,
             row.corrected, row.closing) for row in statement.stock]


def by_consignor(statements) -> dict:
    return {consignor_of(s): s for s in statements}


# ---- the story -----------------------------------------------------------------------------

@pytest.fixture
def atria(make_hotel, make_consignor, make_product, make_terms):
    """ATRIA keeps 20% by default. IKM-0001 (batik) keeps 20% until 15 October, then its own
    17.5%; IKM-0002 (keripik) 17.5% until October, 15% from November; IKM-0003 (tas)
    pays the default."""
    make_hotel("ATRIA", commission_bp=2000)
    make_consignor("IKM-0001")
    make_consignor("IKM-0002", name="Keripik Tempe Sanan", owner="Hadi Susanto",
                   sector="kuliner", bank="BNI", account="0231456789", holder="Hadi Susanto")
    make_consignor("IKM-0003", name="Anyaman Tas Dinoyo", owner="Lilik Suryani",
                   sector="kriya", bank="Mandiri", account="1440012345678",
                   holder="Lilik Suryani")
    make_product("BTK-001", name="Batik tulis motif Kendedes", price=150_000)
    make_product("BTK-002", name="Selendang batik Malangan", price=85_000)
    make_product("KRP-001", consignor="IKM-0002", name="Keripik tempe 250 g", price=10_110)
    make_product("TAS-001", consignor="IKM-0003", name="Tas anyaman pandan", price=120_000)
    make_terms(consignor="IKM-0001", rate_bp=1750, valid_from=date(2020, 10, 16))
    make_terms(consignor="IKM-0002", rate_bp=1750)
    make_terms(consignor="IKM-0002", rate_bp=1500, valid_from=date(2020, 11, 1))
    return "ATRIA"


def october(office) -> dict:
    """October at ATRIA, all but the last sale (``last_october_sale``)."""
    office.now = wib("2020-11-01 08:00")
    office.place("ATRIA", "IKM-0001", [("BTK-001", 10, None), ("BTK-002", 20, None)],
                 at=wib("2020-10-01 09:00"))
    office.place("ATRIA", "IKM-0002", [("KRP-001", 10, None)], at=wib("2020-10-02 09:00"))
    office.place("ATRIA", "IKM-0003", [("TAS-001", 5, None)], at=wib("2020-10-03 09:00"))
    office.sell("ATRIA", "BTK-001", 2, at=wib("2020-10-05 14:00"))
    office.sell("ATRIA", "BTK-002", 1, price=75_000, at=wib("2020-10-10 15:00"))  # discount
    mistake = office.sell("ATRIA", "BTK-001", 1, at=wib("2020-10-12 16:00")).movement
    office.void(mistake.id, "salah input", at=wib("2020-10-14 10:00"))
    keripik = office.sell("ATRIA", "KRP-001", 2, at=wib("2020-10-15 11:00")).movement
    office.sell("ATRIA", "BTK-002", 3, at=wib("2020-10-20 13:00"))
    office.write_off("ATRIA", "lost", "hotel", "hilang dari etalase", [("BTK-002", 1)],
                     at=wib("2020-10-22 10:00"))
    office.write_off("ATRIA", "damaged", "consignor", "jahitan lepas", [("BTK-001", 1)],
                     at=wib("2020-10-23 10:00"))
    return {"voided": mistake.id, "keripik": keripik.id}


def last_october_sale(office) -> None:
    office.sell("ATRIA", "BTK-001", 1, at=wib("2020-10-25 19:00"))


def november(office, keripik_sale: int, tmp_path) -> None:
    office.now = wib("2020-12-01 08:00")
    office.void(keripik_sale, "dikembalikan tamu", at=wib("2020-11-03 10:00"))
    office.sell("ATRIA", "KRP-001", 1, at=wib("2020-11-09 12:00"))
    sheet = tmp_path / "opname-november.csv"
    sheet.write_text("sku,counted\nBTK-002,14\n")
    office.count("ATRIA", sheet, apply=True, at=wib("2020-11-30 20:00"))
    office.sell("ATRIA", "BTK-001", 1, at=wib("2020-11-30 23:30"))  # still November in WIB


def december(office) -> None:
    office.now = wib("2020-12-15 12:00")
    office.sell("ATRIA", "BTK-001", 1, at=wib("2020-12-01 00:30"))  # still 30 Nov in UTC
    office.sell("ATRIA", "KRP-001", 3, at=wib("2020-12-07 10:00"))


def close(office, period: Period, when: str, hotel: str = "ATRIA"):
    """Close the hotel's period at ``when``; the statements it issued, each as
    ``statement show`` gives it (with its lines and stock rows)."""
    office.now = wib(when)
    issued = office.close_period(period, hotel)
    with office.db.transaction(readonly=True) as session:
        return [settlement.statement(session, office.ctx, s.number) for s in issued]


def three_months(office, tmp_path) -> None:
    """The whole story: October closed on 2 November, November on 2 December, December
    settled as drafts on 15 December."""
    ids = october(office)
    last_october_sale(office)
    close(office, OCT, "2020-11-02 10:00")
    november(office, ids["keripik"], tmp_path)
    close(office, NOV, "2020-12-02 10:00")
    december(office)
    office.settle(DEC)


@pytest.fixture
def issued(office, atria):
    """October at ATRIA closed on 2 November: ST-000001 (IKM-0001) … ST-000003."""
    october(office)
    last_october_sale(office)
    close(office, OCT, "2020-11-02 10:00")
    office.now = wib("2020-12-15 12:00")
    return office
