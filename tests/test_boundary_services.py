"""Every use case validates what it is given, whoever calls it (SPEC section 2): called
directly, without the command line, with bad values of every kind, each raises
``InvalidInput`` naming the field, never a database or overflow error, and writes
nothing, on SQLite and PostgreSQL."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.exc import SQLAlchemyError

from consign.context import Context
from consign.errors import ConsignError, InvalidInput
from consign.services import ledger, registry, settlement, terms
from consign.services.settlement import statements
from consign.tabular import Upload
from tests.boundary_support import fingerprint, shop

LONG = "x" * 121
HUGE = 10**20
NUL, ESC, BIDI, ZERO_WIDTH = "a\x00b", "a\x1b[31mb", "Batik \u202eakitaB", "Bat\u200bik"
EMOJI = "Batik \U0001f338"


def upload(text: str, name: str = "file.csv") -> Upload:
    return Upload(name, text.encode())


def hotel(**given):
    values = {"code": "TUGU", "name": "Hotel Tugu Malang"} | given
    return lambda s, c: registry.add_hotel(s, c, **values)


def consignor(**given):
    values = {"code": "IKM-0002", "name": "Keramik Dinoyo", "owner": "Slamet",
              "sector": "kriya"} | given
    return lambda s, c: registry.add_consignor(s, c, **values)


def product(**given):
    values = {"sku": "KRM-001", "consignor": "IKM-0001", "name": "Vas", "price": 75_000} | given
    return lambda s, c: registry.add_product(s, c, **values)


def rate(**given):
    values = {"hotel": "ATRIA", "commission": "15%", "valid_from": "2031-01-01"} | given
    return lambda s, c: terms.set_terms(s, c, **values)


def place(qty=1, price=None, at=None, sku="BTK-001", lines=None):
    chosen = lines if lines is not None else [(sku, qty, price)]
    return lambda s, c: ledger.place(s, c, "ATRIA", "IKM-0001", chosen, at=at)


def sell(**given):
    values = {"hotel": "ATRIA", "sku": "BTK-001"} | given
    return lambda s, c: ledger.sell(s, c, **values)


def void(movement=2, reason="salah input", at=None):
    return lambda s, c: ledger.void(s, c, movement, reason, at)


def write_off(kind="lost", liable="hotel", reason="hilang", lines=(("BTK-001", 1),), at=None):
    return lambda s, c: ledger.write_off(s, c, "ATRIA", kind, liable, reason, list(lines), at)


def count(text="sku,counted\nBTK-001,9\n", liable="hotel"):
    return lambda s, c: ledger.count(s, c, "ATRIA", upload(text), apply=True, liable=liable)


def import_sales(text):
    return lambda s, c: ledger.import_sales(s, c, "ATRIA", upload(text))


CASES = {
    # codes
    "hotel code with a space": (hotel(code="AT RIA"), "code"),
    "hotel code of 21 characters": (hotel(code="A" * 21), "code"),
    "hotel code blank": (hotel(code="  "), "code"),
    "hotel code with an accent": (hotel(code="ÄTRIA"), "code"),
    "hotel code with NUL": (hotel(code="AT\x00RIA"), "code"),
    "IKM code of 21 characters": (consignor(code="IKM-" + "0" * 17), "code"),
    "SKU of 17 characters": (product(sku="W" * 17), "sku"),
    "SKU with a slash": (product(sku="BTK/1"), "sku"),
    # names and text
    "hotel name blank": (hotel(name="   "), "name"),
    "hotel name of 121 characters": (hotel(name=LONG), "name"),
    "hotel name with NUL": (hotel(name=NUL), "name"),
    "hotel name with an escape sequence": (hotel(name=ESC), "name"),
    "hotel name with a bidirectional override": (hotel(name=BIDI), "name"),
    "hotel name with a zero-width space": (hotel(name=ZERO_WIDTH), "name"),
    "hotel name a document cannot print": (hotel(name=EMOJI), "name"),
    "address of 301 characters": (hotel(address="x" * 301), "address"),
    "PHRI number of 41 characters": (hotel(phri_no="P" * 41), "phri_no"),
    "owner of 121 characters": (consignor(owner=LONG), "owner"),
    "owner blank": (consignor(owner=""), "owner"),
    "bank of 121 characters": (consignor(bank=LONG, account="12345", holder="X"), "bank"),
    "holder with a newline": (consignor(bank="BRI", account="12345", holder="Sri\nW"),
                              "holder"),
    "product name of 121 characters": (product(name=LONG), "name"),
    "category of 61 characters": (product(category="c" * 61), "category"),
    # forms of registry fields
    "sector food": (consignor(sector="food"), "sector"),
    "NIB of 12 digits": (consignor(nib="123456789012"), "nib"),
    "phone that does not exist": (hotel(phone="0341-40"), "phone"),
    "phone abroad": (hotel(phone="+6512345678"), "phone"),
    "email without a domain": (consignor(email="sri@"), "email"),
    "email of 255 characters": (consignor(email="a" * 244 + "@example.id"), "email"),
    "account of 4 digits": (consignor(bank="BRI", account="1234", holder="Sri"), "account"),
    "account of 21 digits": (consignor(bank="BRI", account="1" * 21, holder="Sri"), "account"),
    "account without its bank": (consignor(account="002101000123567"), "bank"),
    # money
    "price of Rp0": (product(price=0), "price"),
    "price above one billion": (product(price=1_000_000_001), "price"),
    "price of 10^20": (product(price=HUGE), "price"),
    "price with a fraction": (product(price="150000,50"), "price"),
    "negative price": (product(price=-1), "price"),
    "price as a float": (product(price=1.5), "price"),
    "price of five thousand digits": (product(price="9" * 5000), "price"),
    # rates and terms
    "commission of 120%": (hotel(commission="120%"), "commission"),
    "commission with three decimals": (hotel(commission="17.125%"), "commission"),
    "commission of -1 basis point": (hotel(commission=-1), "commission"),
    "terms whose to is before from": (rate(valid_to="2030-12-31"), "to"),
    "terms from 1999": (rate(valid_from="1999-12-31"), "from"),
    "terms to 2100": (rate(valid_to="2100-01-01"), "to"),
    "display term of 0 days": (rate(display_days=0), "display_days"),
    "display term of 3651 days": (rate(display_days=3651), "display_days"),
    "payment term of 0 days": (rate(payment_days=0), "payment_days"),
    "payment term as text": (rate(payment_days="two weeks"), "payment_days"),
    # quantities
    "placed quantity of 0": (place(qty=0), "qty"),
    "placed quantity of 100.001": (place(qty=100_001), "qty"),
    "placed quantity of 2^63 - 1": (place(qty=2**63 - 1), "qty"),
    "placed quantity of 10^20": (place(qty=HUGE), "qty"),
    "placed quantity negative": (place(qty=-1), "qty"),
    "placed quantity True": (place(qty=True), "qty"),
    "placed quantity 1.5": (place(qty=1.5), "qty"),
    "placed quantity as words": (place(qty="three"), "qty"),
    "placement price of 10^20": (place(price=HUGE), "price"),
    "placement without lines": (place(lines=[]), "lines"),
    "sold quantity of 2^63": (sell(qty=2**63), "qty"),
    "sold quantity of 0": (sell(qty=0), "qty"),
    "sale price of Rp0": (sell(price=0), "price"),
    "sale price above one billion": (sell(price=10**9 + 1), "price"),
    "receipt of 61 characters": (sell(receipt="R" * 61), "receipt"),
    "receipt with a control character": (sell(receipt="R-1\x07"), "receipt"),
    "payment by cheque": (sell(payment="cheque"), "payment"),
    "written-off quantity of 100.001": (write_off(lines=(("BTK-001", 100_001),)), "qty"),
    # moments
    "sale dated in 1999": (sell(at="1999-12-31 10:00"), "at"),
    "sale dated in 2100": (sell(at="2100-01-01"), "at"),
    "sale dated month first": (sell(at="10/13/2020"), "at"),
    "sale dated a bare year": (sell(at="2020"), "at"),
    "sale dated in the future": (sell(at="2020-12-15 12:01"), "at"),
    "sale at a naive moment": (sell(at=datetime(2020, 10, 5, 14, 30)), "at"),
    # voids
    "void of movement 0": (void(movement=0), "movement"),
    "void of movement 2^31": (void(movement=2**31), "movement"),
    "void of movement -1": (void(movement=-1), "movement"),
    "void of movement 'abc'": (void(movement="abc"), "movement"),
    "void without a reason": (void(reason="  "), "reason"),
    "void with a reason of 501 characters": (void(reason="r" * 501), "reason"),
    # write-offs and counts
    "write-off of kind stolen": (write_off(kind="stolen"), "kind"),
    "write-off liable guest": (write_off(liable="guest"), "liable"),
    "write-off without a reason": (write_off(reason=""), "reason"),
    "count liable guest": (count(liable="guest"), "liable"),
    # settlement
    "settle of month 13": (lambda s, c: settlement.settle(s, c, "2020-13"), "period"),
    "settle of 1999-12": (lambda s, c: settlement.settle(s, c, "1999-12"), "period"),
    "close of 2100-01": (lambda s, c: settlement.close_period(s, c, "2100-01", "ATRIA"),
                         "period"),
    "statement number 42": (lambda s, c: settlement.statement(s, c, "42"), "number"),
    "status void": (lambda s, c: settlement.list_statements(s, c, status="void"), "status"),
    "payment with a blank reference": (
        lambda s, c: settlement.pay(s, c, "ST-000001", date(2020, 11, 10), " "), "ref"),
    "payment with a reference of 61 characters": (
        lambda s, c: settlement.pay(s, c, "ST-000001", date(2020, 11, 10), "R" * 61), "ref"),
    "payment dated 31 November": (
        lambda s, c: settlement.pay(s, c, "ST-000001", "2020-11-31", "TRF-1"), "on"),
    "PDF in French": (lambda s, c: statements.statement_pdfs(s, c, "ST-000001", lang="fr"),
                      "lang"),
    "stock as of a bad date": (lambda s, c: ledger.stock(s, as_of="kemarin", tz=c.tz), "as_of"),
}


@pytest.fixture
def stocked(db):
    ctx = Context.make("tester", now=datetime(2020, 12, 15, 5, 0, tzinfo=UTC))
    shop(db, ctx)
    return ctx


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_a_use_case_called_with_a_bad_value_refuses_it_naming_the_field(db, stocked, case):
    call, field = CASES[case]
    before = fingerprint(db)
    with pytest.raises(InvalidInput) as caught, db.transaction() as session:
        call(session, stocked)
    assert caught.value.field == field, caught.value.message
    assert caught.value.message and "\n" not in caught.value.message
    assert fingerprint(db) == before


FILES = {
    "a file without a header": ("", "file"),
    "a sales file with an unknown column": ("sold_at,sku,qty,prcie\n2020-10-06,BTK-001,1,5\n",
                                            "header"),
    "a sales file without its qty column": ("sold_at,sku\n2020-10-06,BTK-001\n", "header"),
    "a sales file naming a column twice": ("sold_at,sku,qty,qty\n2020-10-06,BTK-001,1,1\n",
                                           "header"),
    "a sales file with a blank column name": ("sold_at,sku,qty,\n2020-10-06,BTK-001,1,\n",
                                              "header"),
    "a row with a cell too many": ("sold_at,sku,qty\n2020-10-06,BTK-001,1,9\n", "row"),
    "a row with a cell too few": ("sold_at,sku,qty\n2020-10-06,BTK-001\n", "row"),
    "a cell of 10.001 characters": ("sold_at,sku,qty,receipt\n2020-10-06,BTK-001,1,"
                                    + "R" * 10_001 + "\n", "receipt"),
    "a NUL byte": ("sold_at,sku,qty\n2020-10-06,BTK-001,1\x00\n", "file"),
    "a quantity of 2^63": ("sold_at,sku,qty\n2020-10-06,BTK-001,9223372036854775808\n", "qty"),
    "a sale dated in 2100": ("sold_at,sku,qty\n2100-01-01,BTK-001,1\n", "sold_at"),
    "a payment by cheque": ("sold_at,sku,qty,payment\n2020-10-06,BTK-001,1,cheque\n",
                            "payment"),
}


@pytest.mark.parametrize("case", list(FILES), ids=list(FILES))
def test_a_malformed_file_is_refused_naming_the_line_and_writes_nothing(db, stocked, case):
    text, field = FILES[case]
    before = fingerprint(db)
    with pytest.raises(ConsignError) as caught, db.transaction() as session:
        import_sales(text)(session, stocked)
    assert caught.value.exit_code == 2
    errors = getattr(caught.value, "errors", [caught.value])
    assert field in {error.field for error in errors}, caught.value.message
    assert all(line.startswith("file.csv:") for line in caught.value.message.splitlines())
    assert fingerprint(db) == before


def test_a_bad_value_never_reaches_the_database_as_an_error_of_its_own(db, stocked):
    """Every case above, again, with the database's own errors watched for: none of them
    may be what refuses the request."""
    for case, (call, _field) in CASES.items():
        try:
            with db.transaction() as session:
                call(session, stocked)
        except InvalidInput:
            continue
        except (SQLAlchemyError, OverflowError) as error:  # pragma: no cover - the failure
            pytest.fail(f"{case}: {type(error).__name__} reached the caller")
        pytest.fail(f"{case}: accepted")


def test_an_actor_name_is_held_to_the_bounds_of_a_persons_name():
    for bad in ("", " ", "x" * 121, "clerk\x00", "clerk\u202e"):
        with pytest.raises(InvalidInput) as caught:
            Context.make(bad)
        assert caught.value.field == "as"
    assert Context.make("  Sri  ").actor == "Sri"
