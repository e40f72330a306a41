"""Payments as records of their own (SPEC section 5): in parts, each to the bank account
registered when it was made; voided, not deleted; what is owed and what is overdue.

October at ATRIA is closed on 2 November 2020 (``issued``): ST-000001 to IKM-0001 nets
Rp704.250, ST-000002 to IKM-0002 Rp16.681, ST-000003 to IKM-0003 Rp0; each is due on 16
November 2020 (issued on the 2nd, payment term 14 days)."""

import json
from datetime import date

import pytest
from sqlalchemy import text, update
from sqlalchemy.exc import DBAPIError

from consign.errors import AlreadyPaid, AlreadyReversed, NotFound, NothingToPay, Overpayment
from consign.models import Consignor, Payment
from consign.services import settlement
from tests.settlement_support import DEC, NOV, OCT, close, wib

# the settlement tests' fixtures


def shown(office, number: str):
    with office.db.transaction(readonly=True) as session:
        return settlement.statement(session, office.ctx, number)


def owing(office, number: str) -> tuple:
    record = shown(office, number)
    return (record.status, record.paid, record.owed, record.overdue, record.paid_on,
            record.pay_ref)


def listed(office, **filters) -> list[str]:
    with office.db.transaction(readonly=True) as session:
        return [s.number for s in settlement.list_statements(session, office.ctx, **filters)]


def test_two_partial_payments_make_a_statement_paid(issued):
    first = issued.pay("ST-000001", date(2020, 11, 10), "BRI-TRF-0041", 400_000)
    assert (first.payment.id, first.payment.amount, first.statement.status) == (
        1, 400_000, "issued")
    assert owing(issued, "ST-000001") == ("issued", 400_000, 304_250, True, None, None)
    second = issued.pay("ST-000001", date(2020, 11, 12), "BRI-TRF-0042")  # what is owed
    assert second.payment.amount == 304_250
    assert owing(issued, "ST-000001") == ("paid", 704_250, 0, False, date(2020, 11, 12),
                                          "BRI-TRF-0042")
    assert listed(issued, status="paid") == ["ST-000001"]
    assert listed(issued, status="issued") == ["ST-000002", "ST-000003"]


def test_a_payment_records_the_bank_account_registered_at_that_moment(issued):
    issued.pay("ST-000001", date(2020, 11, 10), "BRI-TRF-0041", 100_000)
    with issued.db.transaction() as session:
        session.execute(update(Consignor).where(Consignor.code == "IKM-0001")
                        .values(bank="BNI", account="0987654321", holder="Sri W."))
    issued.pay("ST-000001", date(2020, 11, 11), "BNI-TRF-0001", 100_000)
    with issued.db.transaction(readonly=True) as session:
        payments = settlement.list_payments(session, "ST-000001")
    assert [(p.id, p.bank, p.account, p.holder) for p in payments] == [
        (1, "BRI", "002101000123567", "Sri Wahyuni"), (2, "BNI", "0987654321", "Sri W.")]


def test_a_voided_payment_makes_the_statement_owed_again(issued):
    issued.pay("ST-000001", date(2020, 11, 10), "BRI-TRF-0041")
    assert owing(issued, "ST-000001")[0] == "paid"
    undone = issued.void_payment(1, "salah rekening")
    assert (undone.payment.voided, undone.payment.void_reason) == (True, "salah rekening")
    assert owing(issued, "ST-000001") == ("issued", 0, 704_250, True, None, None)
    with issued.db.transaction(readonly=True) as session:
        [kept] = settlement.list_payments(session, consignor="IKM-0001")
    assert (kept.id, kept.amount, kept.voided) == (1, 704_250, True)
    with pytest.raises(AlreadyReversed, match="Payment 1 was already voided"):
        issued.void_payment(1, "again")
    with pytest.raises(NotFound, match="No payment with id 9"):
        issued.void_payment(9, "none")
    again = issued.pay("ST-000001", date(2020, 11, 20), "BRI-TRF-0050")
    assert (again.payment.id, again.statement.status) == (2, "paid")


def test_a_transfer_is_recorded_once_unless_its_payment_was_voided(issued, snapshot):
    """The same reference again on the same statement (a form sent twice, a payment typed
    in again) is refused and writes nothing; once that payment is voided, the reference
    may be used for the payment that replaces it; another statement may carry it too."""
    issued.pay("ST-000001", date(2020, 11, 10), "BRI-TRF-0041", 100_000)
    before = snapshot()
    from consign.errors import Duplicate
    with pytest.raises(Duplicate) as refused:
        issued.pay("ST-000001", date(2020, 11, 10), "BRI-TRF-0041", 100_000)
    assert refused.value.message == (
        "Statement ST-000001 already has a payment under ref BRI-TRF-0041: Rp100.000 on "
        "2020-11-10 (payment 1). A transfer is recorded once; void that payment if it was "
        "wrong.")
    assert refused.value.field == "ref"
    assert snapshot() == before
    assert owing(issued, "ST-000001")[1:3] == (100_000, 604_250)
    issued.void_payment(1, "salah nominal")
    replaced = issued.pay("ST-000001", date(2020, 11, 10), "BRI-TRF-0041", 150_000)
    assert (replaced.payment.id, replaced.payment.amount) == (2, 150_000)
    assert issued.pay("ST-000002", date(2020, 11, 10), "BRI-TRF-0041").payment.id == 3


@pytest.mark.parametrize(("today", "overdue"), [
    ("2020-11-16 23:59", False),  # on the due date
    ("2020-11-17 00:00", True),  # the day after it
])
def test_a_statement_is_overdue_from_the_day_after_its_due_date(issued, today, overdue):
    issued.now = wib(today)
    record = shown(issued, "ST-000002")
    assert (record.due_on, record.owed, record.overdue) == (date(2020, 11, 16), 16_681, overdue)
    assert listed(issued, status="overdue") == (["ST-000001", "ST-000002"] if overdue else [])


def test_a_part_paid_statement_is_still_overdue_by_what_it_owes(issued):
    issued.now = wib("2020-11-10 09:00")
    issued.pay("ST-000001", date(2020, 11, 10), "BRI-TRF-0041", 4_250)
    issued.now = wib("2020-11-20 09:00")
    assert owing(issued, "ST-000001") == ("issued", 4_250, 700_000, True, None, None)


def test_a_nil_net_owes_nothing_is_never_overdue_and_cannot_be_paid(issued, snapshot):
    issued.now = wib("2021-06-01 09:00")
    assert owing(issued, "ST-000003") == ("issued", 0, 0, False, None, None)
    before = snapshot()
    with pytest.raises(NothingToPay, match="ST-000003 has nothing to pay: its net is Rp0"):
        issued.pay("ST-000003", date(2021, 5, 1), "X")
    assert snapshot() == before


def test_a_payment_above_what_is_owed_is_refused(issued, snapshot):
    issued.pay("ST-000002", date(2020, 11, 10), "T-1", 10_000)
    before = snapshot()
    with pytest.raises(Overpayment) as above:
        issued.pay("ST-000002", date(2020, 11, 11), "T-2", 6_682)
    assert above.value.message == (
        "A payment of Rp6.682 is above what statement ST-000002 still owes: Rp6.681.")
    assert above.value.field == "amount"
    assert snapshot() == before
    issued.pay("ST-000002", date(2020, 11, 11), "T-2", 6_681)
    with pytest.raises(AlreadyPaid, match=r"ST-000002 is already paid in full \(Rp16.681, "
                                          r"completed on 2020-11-11, ref T-2\)"):
        issued.pay("ST-000002", date(2020, 11, 12), "T-3", 1)


def test_a_negative_net_is_carried_never_paid_and_never_overdue(office, atria, tmp_path):
    office.now = wib("2020-11-01 08:00")
    office.place("ATRIA", "IKM-0001", [("BTK-001", 2, None)], at=wib("2020-10-01 09:00"))
    sale = office.sell("ATRIA", "BTK-001", 1, at=wib("2020-10-05 14:00")).movement
    close(office, OCT, "2020-11-02 10:00")
    office.now = wib("2020-11-03 12:00")
    office.void(sale.id, "barang dikembalikan", at=wib("2020-11-03 10:00"))
    [november] = close(office, NOV, "2020-12-02 10:00")
    assert (november.net, november.owed) == (-120_000, 0)
    office.now = wib("2021-03-01 10:00")
    assert owing(office, november.number) == ("issued", 0, 0, False, None, None)
    with pytest.raises(NothingToPay, match="carried into the next statement"):
        office.pay(november.number, date(2020, 12, 5), "X")
    [december] = office.settle(DEC)
    assert december.opening_balance == -120_000


def test_the_database_refuses_to_change_or_remove_a_payment(issued):
    issued.pay("ST-000001", date(2020, 11, 10), "BRI-TRF-0041")
    issued.void_payment(1, "salah rekening")
    for sql in ("UPDATE payments SET amount = 1", "DELETE FROM payments",
                "UPDATE payment_voids SET reason = 'x'", "DELETE FROM payment_voids"):
        with pytest.raises(DBAPIError, match="append-only"), \
                issued.db.engine.begin() as connection:
            connection.execute(text(sql))
    with issued.db.transaction() as session, pytest.raises(Exception, match="void it"):
        session.get(Payment, 1).amount = 2
        session.flush()


def test_every_payment_and_void_is_audited(issued):
    from consign.services import audit

    issued.pay("ST-000001", date(2020, 11, 10), "BRI-TRF-0041", 1_000)
    issued.void_payment(1, "salah")
    with issued.db.transaction(readonly=True) as session:
        entries = [(e.action, e.record) for e in audit.entries(session)
                   if e.record.startswith("payment:")]
    assert entries == [("payment.record", "payment:1"), ("payment.void", "payment:1")]


# ---- at the command line ----------------------------------------------------------------------

def run_json(cli, *args):
    result = cli(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_pay_payments_and_payment_void_at_the_command_line(issued, cli):
    paid = run_json(cli, "statement", "pay", "ST-000001", "--on", "10/11/2020", "--ref",
                    "BRI-TRF-0041", "--amount", "Rp400.000")
    assert {key: paid[key] for key in ("id", "number", "on", "amount", "ref", "bank", "account",
                                       "holder", "voided", "status", "net", "owed")} == {
        "id": 1, "number": "ST-000001", "on": "2020-11-10", "amount": 400_000,
        "ref": "BRI-TRF-0041", "bank": "BRI", "account": "002101000123567",
        "holder": "Sri Wahyuni", "voided": False, "status": "issued", "net": 704_250,
        "owed": 304_250}
    table = cli("statement", "pay", "ST-000001", "--on", "2020-11-12", "--ref", "BRI-TRF-0042")
    assert table.output.splitlines() == [
        "Payment 2 of ST-000001: Rp304.250 on 2020-11-12 (ref BRI-TRF-0042) to BRI "
        "002101000123567 (Sri Wahyuni).",
        "ST-000001 is paid in full (Rp704.250)."]
    payments = run_json(cli, "statement", "payments", "--consignor", "IKM-0001")
    assert [{key: p[key] for key in ("id", "number", "on", "amount", "ref", "bank", "account",
                                     "holder", "voided", "void_reason")} for p in payments] == [
        {"id": 1, "number": "ST-000001", "on": "2020-11-10", "amount": 400_000,
         "ref": "BRI-TRF-0041", "bank": "BRI", "account": "002101000123567",
         "holder": "Sri Wahyuni", "voided": False, "void_reason": None},
        {"id": 2, "number": "ST-000001", "on": "2020-11-12", "amount": 304_250,
         "ref": "BRI-TRF-0042", "bank": "BRI", "account": "002101000123567",
         "holder": "Sri Wahyuni", "voided": False, "void_reason": None}]
    voided = run_json(cli, "statement", "payment", "void", "2", "--reason", "dobel input")
    assert (voided["id"], voided["voided"], voided["void_reason"], voided["status"],
            voided["owed"]) == (2, True, "dobel input", "issued", 304_250)
    shown_ = run_json(cli, "statement", "show", "ST-000001")
    assert (shown_["paid"], shown_["owed"], shown_["overdue"]) == (400_000, 304_250, True)
    assert run_json(cli, "statement", "list", "--status", "overdue")[0]["number"] == "ST-000001"


@pytest.mark.parametrize(("args", "code", "message"), [
    (("statement", "pay", "ST-000001", "--on", "2020-11-10", "--ref", "T", "--amount",
      "704251"), 1, "A payment of Rp704.251 is above what statement ST-000001 still owes: "
                    "Rp704.250."),
    (("statement", "pay", "ST-000003", "--on", "2020-11-10", "--ref", "T"), 1,
     "Statement ST-000003 has nothing to pay: its net is Rp0."),
    (("statement", "pay", "ST-000001", "--on", "2020-11-10", "--ref", "T", "--amount", "1,5"),
     2, None),
    (("statement", "pay", "ST-000001", "--on", "2020-11-10", "--ref", "T", "--amount", "-5"),
     2, None),
    (("statement", "pay", "ST-000001", "--on", "2020-11-10", "--ref", "T", "--amount", "0"),
     2, None),
    (("statement", "pay", "ST-000001", "--on", "2020-11-10", "--ref", "T", "--amount",
      "100000000000000000000"), 2, None),
    (("statement", "payment", "void", "7", "--reason", "x"), 1, "No payment with id 7."),
    (("statement", "payment", "void", "0", "--reason", "x"), 2, None),
    (("statement", "list", "--status", "late"), 2, None),
])
def test_a_refused_payment_command_says_why_in_one_line_and_writes_nothing(
        issued, cli, snapshot, args, code, message):
    before = snapshot()
    result = cli(*args)
    assert result.exit_code == code
    assert len(result.stderr.strip().splitlines()) == 1
    if message:
        assert result.stderr == f"Error: {message}\n"
    assert snapshot() == before


@pytest.mark.parametrize(("amount", "says"), [
    (0, "amount Rp0 must be more than Rp0"),
    (10**20, "amount Rp100.000.000.000.000.000.000 is more than the largest amount consign "
             r"keeps \(Rp9.223.372.036.854.775.807\)"),
])
def test_a_payment_of_nothing_or_of_more_than_a_column_holds_is_malformed(issued, snapshot,
                                                                         amount, says):
    from consign.errors import InvalidInput

    before = snapshot()
    with pytest.raises(InvalidInput, match=says):
        issued.pay("ST-000001", date(2020, 11, 10), "T", amount)
    assert snapshot() == before


def _slipped_in(office, number: str, amount: int) -> None:
    """A payment written past the services, as someone with the database could."""
    with office.db.transaction() as session:
        statement = settlement.get_statement(session, number)
        session.add(Payment(statement_id=statement.id, paid_on=date(2020, 11, 20),
                            amount=amount, ref="SQL", bank="BRI", account="0021010001",
                            holder="x", recorded_at=wib("2020-11-20 10:00"), actor="x"))


def test_check_finds_payments_above_the_net_or_where_nothing_was_to_pay(issued):
    from consign.services import check

    issued.pay("ST-000001", date(2020, 11, 10), "BRI-TRF-0041", 700_000)
    with issued.db.transaction(readonly=True) as session:
        assert check.run(session, issued.ctx.tz) == []
    _slipped_in(issued, "ST-000001", 4_251)
    _slipped_in(issued, "ST-000003", 1)
    with issued.db.transaction(readonly=True) as session:
        problems = [p for p in check.run(session, issued.ctx.tz) if "payments in force" in p]
    assert problems == [
        "Statement ST-000001 has payments in force of Rp704.251, more than its net "
        "Rp704.250.",
        "Statement ST-000003 has payments in force (Rp1) but nothing to pay (issued, net "
        "Rp0).",
    ]
