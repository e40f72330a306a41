"""``consign statement send`` against a real SMTP server on loopback (aiosmtpd, started by
the tests): what arrives, what is recorded, what a refused recipient, a server that is down
and a run killed half-way do, the WhatsApp links, and who may send.

The world: October 2020 at ATRIA closed on 2 November: ST-000001 to IKM-0001 (an e-mail
address and a mobile number; net Rp704.250), ST-000002 to IKM-0002 (an e-mail address and
a landline; net Rp16.681), ST-000003 to IKM-0003 (a mobile number only; net Rp0) and
ST-000004 to IKM-0004 (a landline only: to print).
"""

import email
import email.policy
import hashlib
import json
import shutil
import ssl
import subprocess
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from click.testing import CliRunner
from sqlalchemy import select

from consign.cli import main
from consign.context import Context
from consign.db import Database
from consign.errors import OutOfOrder
from consign.i18n import msg
from consign.models import AuditEntry, OutboxMessage, Statement
from consign.services import delivery, registry, settlement, terms, users
from consign.services.delivery import smtp
from consign.settlement import code_of
from tests.conftest import BACKENDS, built_from_template, free_port, truncate_all
from tests.ledger_support import wib
from tests.settlement_support import NOV, OCT, Office, close, last_october_sale, october

SENDER = "Diskopindag Kota Malang <konsinyasi@malangkota.example>"
EMAILS = {"IKM-0001": "sri@batik.example", "IKM-0002": "hadi@keripik.example"}


# ---- the mail server -------------------------------------------------------------------------

class Mailbox:
    """An SMTP server's handler that keeps every message it accepts and refuses, with 550,
    the recipients in ``refused``."""

    def __init__(self):
        self.received: list[tuple[list[str], email.message.EmailMessage]] = []
        self.refused: set[str] = set()
        self.logged_in: list[bool] = []  # per message received: whether a login was made

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return f"550 5.1.1 <{address}>: mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append((list(envelope.rcpt_tos), message))
        self.logged_in.append(bool(session.authenticated))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for rcpt, m in self.received if rcpt == [address]]


class Server:
    """An aiosmtpd server on 127.0.0.1 that can be stopped and started again on its port;
    ``options`` are aiosmtpd's (TLS, login)."""

    def __init__(self, **options):
        self.mailbox, self.port, self.controller = Mailbox(), free_port(), None
        self.options = options

    def start(self) -> "Server":
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port,
                                     **self.options)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"


@pytest.fixture
def server():
    running = Server().start()
    yield running
    running.stop()


@pytest.fixture
def down():
    """A server that is not running (its port free): started by the test when it wants."""
    stopped = Server()
    yield stopped
    stopped.stop()


# ---- the world ---------------------------------------------------------------------------------

def _contacts(db, when: str, **by_code) -> None:
    with db.transaction() as session:
        for code, values in by_code.items():
            registry.edit_consignor(session, Context.make("tester", now=wib(when)), code,
                                    **values)


def build_world(db) -> None:
    """The world of the module docstring: the IKM and terms of ``settlement_support``'s
    ``atria``, October as it records it, and IKM-0004's vases placed."""
    start = Context.make("tester", now=wib("2020-09-30 09:00"))
    bank = {"bank": "BRI", "account": "002101000123567", "holder": "Sri Wahyuni"}
    with db.transaction() as s:
        registry.add_hotel(s, start, "ATRIA", "Hotel Atria Malang", commission=2000,
                           address="Jl. Letjen S. Parman No. 87, Malang", phone="+62341417888")
        for code, name, owner, sector in (
                ("IKM-0001", "Batik Tulis Celaket", "Sri Wahyuni", "fashion"),
                ("IKM-0002", "Keripik Tempe Sanan", "Hadi Susanto", "kuliner"),
                ("IKM-0003", "Anyaman Tas Dinoyo", "Lilik Suryani", "kriya"),
                ("IKM-0004", "Gerabah Dinoyo", "Slamet Riyadi", "kriya")):
            registry.add_consignor(s, start, code, name, owner, sector,
                                   address="Jl. Celaket No. 12, Malang", **bank)
        for sku, code, name, price in (
                ("BTK-001", "IKM-0001", "Batik tulis motif Kendedes", 150_000),
                ("BTK-002", "IKM-0001", "Selendang batik Malangan", 85_000),
                ("KRP-001", "IKM-0002", "Keripik tempe 250 g", 10_110),
                ("TAS-001", "IKM-0003", "Tas anyaman pandan", 120_000),
                ("GRB-001", "IKM-0004", "Vas gerabah", 60_000)):
            registry.add_product(s, start, sku, code, name, price, category="kain")
        terms.set_terms(s, start, "ATRIA", 1750, consignor="IKM-0001",
                        valid_from=date(2020, 10, 16))
        terms.set_terms(s, start, "ATRIA", 1750, consignor="IKM-0002")
        terms.set_terms(s, start, "ATRIA", 1500, consignor="IKM-0002",
                        valid_from=date(2020, 11, 1))
    office = Office(db, wib("2020-11-01 08:00"))
    october(office)
    last_october_sale(office)
    office.place("ATRIA", "IKM-0004", [("GRB-001", 3, None)], at=wib("2020-10-04 09:00"))
    _contacts(db, "2020-11-01 09:00",
              **{"IKM-0001": {"email": EMAILS["IKM-0001"], "phone": "0812-3456-7890"},
                 "IKM-0002": {"email": EMAILS["IKM-0002"], "phone": "0341-403388"},
                 "IKM-0003": {"phone": "0813-3300-1122"},
                 "IKM-0004": {"phone": "0341-551234"}})
    close(office, OCT, "2020-11-02 10:00")


@pytest.fixture(scope="module")
def sqlite_world(tmp_path_factory, sqlite_template):
    path = tmp_path_factory.mktemp("send") / "world.db"
    built_from_template(sqlite_template, path, build_world)
    return path


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """The world, closed, on each backend (on SQLite, a copy of one built per module)."""
    if request.param == "sqlite":
        path = tmp_path / "consign.db"
        shutil.copy(request.getfixturevalue("sqlite_world"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("pg_migrated")
    database = Database(url)
    truncate_all(database)
    build_world(database)
    database.dispose()
    return url


def stored(db, number: str) -> Statement:
    with db.transaction(readonly=True) as session:
        return settlement.get_statement(session, number)


@pytest.fixture
def send(db_url, monkeypatch):
    """Run ``consign --db URL --as tester statement send ARGS...`` with the mail settings
    of ``server`` (a Server, or None to leave them unset)."""

    def run(*args, server=None, actor="tester", sender=SENDER, url=None):
        url = url or (server.url if server else None)
        for name, value in (("CONSIGN_SMTP_URL", url),
                            ("CONSIGN_MAIL_FROM", sender if url else None)):
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        return CliRunner().invoke(main, ["--db", db_url, "--as", actor, "statement", "send",
                                         *map(str, args)], catch_exceptions=False)

    return run


def outbox(db) -> dict[str, tuple]:
    """statement number -> (recipient, status, attempts, error, message id) in the outbox."""
    with db.transaction(readonly=True) as session:
        rows = session.execute(
            select(Statement.number, OutboxMessage.recipient, OutboxMessage.status,
                   OutboxMessage.attempts, OutboxMessage.error, OutboxMessage.message_id)
            .join(Statement, Statement.id == OutboxMessage.statement_id)
            .order_by(Statement.number))
        return {number: tuple(rest) for number, *rest in rows}


def sends_audited(db) -> list[tuple[str, dict]]:
    with db.transaction(readonly=True) as session:
        return [(entry.record, json.loads(entry.detail)) for entry in session.scalars(
            select(AuditEntry).where(AuditEntry.action == "statement.send")
            .order_by(AuditEntry.id))]


def as_json(result) -> dict:
    return json.loads(result.stdout)


def statuses(result) -> dict[str, tuple]:
    return {row["number"]: (row["email"], row["status"], row["reason"])
            for row in as_json(result)["statements"]}


def plain(message) -> str:
    """The text of an e-mail as written (SMTP carries its lines ended by CR LF)."""
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def attachment(message) -> tuple[str, bytes]:
    [part] = list(message.iter_attachments())
    return part.get_filename(), part.get_content()


# ---- close queues, send delivers ---------------------------------------------------------------

def test_close_queues_one_message_for_each_issued_statement_whose_ikm_has_an_email(db):
    queued = outbox(db)
    assert {number: row[:4] for number, row in queued.items()} == {
        "ST-000001": (EMAILS["IKM-0001"], "pending", 0, None),
        "ST-000002": (EMAILS["IKM-0002"], "pending", 0, None)}
    ids = [row[4] for row in queued.values()]
    assert len(set(ids)) == 2
    assert all(i.startswith("<ST-00000") and i.endswith("@consign.invalid>") for i in ids)


def test_a_close_that_is_refused_queues_nothing(db):
    office = Office(db, wib("2020-11-20 10:00"))  # November is not over yet
    office.sell("ATRIA", "BTK-001", 1, at=wib("2020-11-10 10:00"))
    with pytest.raises(OutOfOrder, match="before the month is over"):
        office.close_period(NOV, "ATRIA")
    assert list(outbox(db)) == ["ST-000001", "ST-000002"]


def test_the_next_close_queues_its_own_statements(db):
    office = Office(db, wib("2020-12-02 10:00"))
    close(office, NOV, "2020-12-02 10:00")
    assert {n: row[:2] for n, row in outbox(db).items()} == {
        "ST-000001": (EMAILS["IKM-0001"], "pending"), "ST-000002": (EMAILS["IKM-0002"], "pending"),
        "ST-000005": (EMAILS["IKM-0001"], "pending"), "ST-000006": (EMAILS["IKM-0002"], "pending")}


def test_send_emails_each_owner_the_archived_pdf_with_net_due_date_and_code(
        db, server, send):
    result = send("2020-10", "--format", "json", server=server)
    assert result.exit_code == 0, result.output
    assert statuses(result) == {
        "ST-000001": (EMAILS["IKM-0001"], "sent", None),
        "ST-000002": (EMAILS["IKM-0002"], "sent", None),
        "ST-000003": (None, "whatsapp", None),
        "ST-000004": (None, "to print", None)}
    assert [rcpt for rcpt, _m in server.mailbox.received] == [[EMAILS["IKM-0001"]],
                                                              [EMAILS["IKM-0002"]]]
    queued = outbox(db)
    for number, code in (("ST-000001", "IKM-0001"), ("ST-000002", "IKM-0002")):
        statement = stored(db, number)
        [message] = server.mailbox.to(EMAILS[code])
        assert message["To"] == EMAILS[code]
        assert message["From"] == SENDER
        assert message["Message-ID"] == queued[number][4]
        assert message["Subject"] == (f"Laporan konsinyasi {number} - Hotel Atria Malang, "
                                      "Oktober 2020")
        name, pdf = attachment(message)
        assert name == f"{number}.pdf"
        assert hashlib.sha256(pdf).hexdigest() == statement.pdf_sha256
        assert plain(message).count(f"Kode verifikasi: {code_of(statement)}\n") == 1
        assert queued[number][1:4] == ("sent", 1, None)
    text = plain(server.mailbox.to(EMAILS["IKM-0001"])[0])
    assert "Yth. Sri Wahyuni (Batik Tulis Celaket)," in text
    assert "Jumlah yang dibayarkan kepada Anda: Rp704.250\n" in text
    assert "Jatuh tempo pembayaran: 16 November 2020\n" in text
    assert [record for record, _detail in sends_audited(db)] == ["statement:ST-000001",
                                                                 "statement:ST-000002"]
    assert sends_audited(db)[0][1] == {"to": EMAILS["IKM-0001"],
                                       "message_id": queued["ST-000001"][4]}


def test_the_table_lists_each_statement_its_recipient_and_status_and_a_summary(
        server, send):
    result = send("2020-10", server=server)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["number", "hotel", "consignor", "email", "status"]
    assert lines[2].split() == ["ST-000001", "ATRIA", "IKM-0001", EMAILS["IKM-0001"], "sent"]
    assert lines[3].split() == ["ST-000002", "ATRIA", "IKM-0002", EMAILS["IKM-0002"], "sent"]
    assert lines[4].split() == ["ST-000003", "ATRIA", "IKM-0003", "-", "whatsapp"]
    assert lines[5].split() == ["ST-000004", "ATRIA", "IKM-0004", "-", "to", "print"]
    assert lines[7] == "WhatsApp:"
    assert lines[8].startswith("ST-000001  IKM-0001  +62 812-3456-7890  https://wa.me/62812")
    assert lines[9].startswith("ST-000003  IKM-0003  +62 813-3300-1122  https://wa.me/62813")
    assert lines[-1] == ("2020-10: 4 statement(s), 2 sent, 1 by WhatsApp only, 1 to print, "
                         "2 WhatsApp link(s).")


def test_a_second_send_sends_nothing_and_says_they_were_sent_already(db, server, send):
    assert send("2020-10", server=server).exit_code == 0
    first = outbox(db)
    again = send("2020-10", "--format", "json", server=server)
    assert again.exit_code == 0, again.output
    assert len(server.mailbox.received) == 2
    assert statuses(again)["ST-000001"] == (EMAILS["IKM-0001"], "skipped", "already sent")
    assert statuses(again)["ST-000002"] == (EMAILS["IKM-0002"], "skipped", "already sent")
    assert outbox(db) == first
    assert len(sends_audited(db)) == 2


def test_resend_sends_again_under_the_same_message_id(db, server, send):
    assert send("2020-10", server=server).exit_code == 0
    again = send("2020-10", "--consignor", "IKM-0001", "--resend", server=server)
    assert again.exit_code == 0, again.output
    first, second = server.mailbox.to(EMAILS["IKM-0001"])
    assert first["Message-ID"] == second["Message-ID"] == outbox(db)["ST-000001"][4]
    assert len(server.mailbox.to(EMAILS["IKM-0002"])) == 1
    assert outbox(db)["ST-000001"][1:3] == ("sent", 2)


# ---- failures ------------------------------------------------------------------------------------

def test_a_refused_recipient_is_recorded_as_failed_and_the_next_send_delivers_it(
        db, server, send):
    server.mailbox.refused.add(EMAILS["IKM-0002"])
    result = send("2020-10", "--format", "json", server=server)
    assert result.exit_code == 1
    reason = f"550 5.1.1 <{EMAILS['IKM-0002']}>: mailbox unavailable"
    assert statuses(result)["ST-000001"] == (EMAILS["IKM-0001"], "sent", None)
    assert statuses(result)["ST-000002"] == (EMAILS["IKM-0002"], "failed", reason)
    assert result.stderr == ("Error: The mail server refused 1 of 2 message(s); the others "
                             "were sent. The refused ones stay queued for the next 'consign "
                             "statement send'.\n")
    assert outbox(db)["ST-000002"][1:4] == ("failed", 1, reason)
    assert len(server.mailbox.received) == 1

    server.mailbox.refused.clear()
    retried = send("2020-10", "--format", "json", server=server)
    assert retried.exit_code == 0, retried.output
    assert statuses(retried)["ST-000001"][1] == "skipped"
    assert statuses(retried)["ST-000002"] == (EMAILS["IKM-0002"], "sent", None)
    assert [rcpt for rcpt, _m in server.mailbox.received] == [[EMAILS["IKM-0001"]],
                                                              [EMAILS["IKM-0002"]]]
    assert outbox(db)["ST-000002"][1:4] == ("sent", 2, None)


def test_a_server_down_for_the_whole_run_loses_nothing(db, down, send):
    result = send("2020-10", "--format", "json", server=down)
    assert result.exit_code == 3
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: Could not send 2 message(s): cannot reach the mail server "
                           f"smtp://127.0.0.1:{down.port}: ")
    assert line.endswith("They stay queued for the next 'consign statement send'.")
    assert [s[1] for s in statuses(result).values()] == ["failed", "failed", "whatsapp",
                                                         "to print"]
    assert [row[1:3] for row in outbox(db).values()] == [("failed", 1), ("failed", 1)]
    assert all("cannot reach the mail server" in row[3] for row in outbox(db).values())

    down.start()
    retried = send("2020-10", server=down)
    assert retried.exit_code == 0, retried.output
    assert sorted(rcpt[0] for rcpt, _m in down.mailbox.received) == sorted(EMAILS.values())
    assert [row[1] for row in outbox(db).values()] == ["sent", "sent"]


class Killed(BaseException):
    """The process dying: nothing after it runs, no transaction it was in commits."""


def test_a_run_killed_after_the_server_accepted_sends_again_with_the_same_message_id(
        db, server, send, monkeypatch):
    def dies(*_args):
        raise Killed

    monkeypatch.setattr(delivery, "mark_sent", dies)
    with pytest.raises(Killed):
        send("2020-10", server=server)
    [(_rcpt, accepted)] = server.mailbox.received  # the server took the first one
    assert [row[1] for row in outbox(db).values()] == ["pending", "pending"]

    monkeypatch.undo()
    held = send("2020-10", server=server)  # at once: the run that died still holds it
    assert held.exit_code == 0, held.output
    assert len(server.mailbox.to(EMAILS["IKM-0001"])) == 1
    assert [row[1] for row in outbox(db).values()] == ["pending", "sent"]
    monkeypatch.setattr(delivery.outbox, "HOLD", timedelta(0))  # once the hold has passed
    again = send("2020-10", server=server)
    assert again.exit_code == 0, again.output
    first, second = server.mailbox.to(EMAILS["IKM-0001"])
    assert first["Message-ID"] == second["Message-ID"] == accepted["Message-ID"]
    assert len(server.mailbox.to(EMAILS["IKM-0002"])) == 1
    assert [row[1] for row in outbox(db).values()] == ["sent", "sent"]


def test_two_runs_at_once_hand_each_message_to_the_server_once(db, server):
    """Two ``send`` runs that read the outbox before either sent anything: the first to take
    a message sends it, the other leaves it (and says so), and nothing arrives twice."""
    ctx = Context.make("tester", now=wib("2020-12-01 10:00"))
    plans = []
    for _ in range(2):
        with db.transaction() as session:
            plans.append(delivery.prepare(session, ctx, "2020-10", smtp_url=server.url,
                                          mail_from=SENDER))
    assert [len(plan.outgoing) for plan in plans] == [2, 2]
    first = delivery.deliver(plans[0], db.transaction, ctx, lambda: ctx.now)
    second = delivery.deliver(plans[1], db.transaction, ctx, lambda: ctx.now)
    assert first.counts[delivery.SENT] == 2
    assert [(item.status, item.reason) for item in second.items if item.email] == [
        (delivery.SKIPPED, "taken by another 'statement send' run")] * 2
    assert sorted(rcpt for rcpt, _m in server.mailbox.received) == sorted(
        [[EMAILS["IKM-0001"]], [EMAILS["IKM-0002"]]])
    assert [row[1:3] for row in outbox(db).values()] == [("sent", 1), ("sent", 1)]


def test_a_run_that_reads_the_outbox_while_another_sends_leaves_the_message_to_it(db, server):
    """A run that read a message after another run took it, but before that one recorded
    the server's answer, does not send it too."""
    ctx = Context.make("tester", now=wib("2020-12-01 10:00"))
    with db.transaction() as session:
        first = delivery.prepare(session, ctx, "2020-10", smtp_url=server.url,
                                 mail_from=SENDER)
    with db.transaction() as session:  # the first run takes its messages, not yet sent
        assert all(delivery.outbox.claim(session, ctx, o) for o in first.outgoing)
    with db.transaction() as session:
        second = delivery.prepare(session, ctx, "2020-10", smtp_url=server.url,
                                  mail_from=SENDER)
    report = delivery.deliver(second, db.transaction, ctx, lambda: ctx.now)
    assert server.mailbox.received == []
    assert {item.status for item in report.items if item.email} == {delivery.SKIPPED}


def test_what_close_queued_is_sent_by_a_later_process_with_the_id_given_at_close(
        db, server, send):
    queued = outbox(db)  # close committed its outbox; nothing was sent
    assert server.mailbox.received == []
    assert send("2020-10", server=server).exit_code == 0
    assert {m["Message-ID"] for _r, m in server.mailbox.received} == {
        row[4] for row in queued.values()}


def test_a_statement_issued_before_its_ikm_had_an_email_is_queued_and_sent_by_send(
        db, server, send):
    _contacts(db, "2020-12-01 09:00", **{"IKM-0004": {"email": "slamet@gerabah.example"}})
    assert "ST-000004" not in outbox(db)
    result = send("2020-10", "--format", "json", server=server)
    assert result.exit_code == 0, result.output
    assert statuses(result)["ST-000004"] == ("slamet@gerabah.example", "sent", None)
    [message] = server.mailbox.to("slamet@gerabah.example")
    assert message["Message-ID"] == outbox(db)["ST-000004"][4]
    assert "Tidak ada pembayaran untuk periode ini (jumlah bersih Rp0).\n" in plain(message)


def test_an_address_changed_after_close_gets_the_message_and_the_record_follows(
        db, server, send):
    _contacts(db, "2020-11-05 09:00", **{"IKM-0002": {"email": "hadi.baru@keripik.example"}})
    assert send("2020-10", server=server).exit_code == 0
    assert len(server.mailbox.to("hadi.baru@keripik.example")) == 1
    assert server.mailbox.to(EMAILS["IKM-0002"]) == []
    assert outbox(db)["ST-000002"][0] == "hadi.baru@keripik.example"


def test_a_dry_run_sends_nothing_and_writes_nothing(db, server, send, snapshot):
    _contacts(db, "2020-12-01 09:00", **{"IKM-0004": {"email": "slamet@gerabah.example"}})
    before = snapshot()
    result = send("2020-10", "--dry-run", server=server)
    assert result.exit_code == 0, result.output
    assert server.mailbox.received == []
    assert snapshot() == before
    assert "ST-000004" not in outbox(db)
    lines = result.stdout.splitlines()
    assert lines[2].split() == ["ST-000001", "ATRIA", "IKM-0001", EMAILS["IKM-0001"], "would",
                                "send"]
    assert lines[5].split() == ["ST-000004", "ATRIA", "IKM-0004", "slamet@gerabah.example",
                                "would", "send"]
    assert lines[-1] == ("2020-10 (dry run: nothing sent or written): 4 statement(s), 3 would "
                         "be sent, 1 by WhatsApp only, 2 WhatsApp link(s).")


def test_a_dry_run_needs_no_mail_server(send):
    result = send("2020-10", "--dry-run", "--hotel", "ATRIA")
    assert result.exit_code == 0, result.output


# ---- WhatsApp --------------------------------------------------------------------------------

def test_whatsapp_links_open_a_chat_with_the_62_number_and_the_statement_figures(
        db, server, send, snapshot):
    before = snapshot()
    result = send("2020-10", "--whatsapp", "--format", "json")  # no mail server needed
    assert result.exit_code == 0, result.output
    assert server.mailbox.received == []
    assert snapshot() == before
    rows = {row["number"]: row for row in as_json(result)["statements"]}
    assert {n: (r["status"], r["phone"]) for n, r in rows.items()} == {
        "ST-000001": ("whatsapp", "+6281234567890"), "ST-000002": ("by email", None),
        "ST-000003": ("whatsapp", "+6281333001122"), "ST-000004": ("to print", None)}
    link = urlsplit(rows["ST-000001"]["whatsapp"])
    assert (link.scheme, link.netloc, link.path) == ("https", "wa.me", "/6281234567890")
    [text] = parse_qs(link.query)["text"]
    code = code_of(stored(db, "ST-000001"))
    assert text == (
        "Yth. Sri Wahyuni (Batik Tulis Celaket),\n"
        "laporan konsinyasi ST-000001 dari Hotel Atria Malang periode Oktober 2020 sudah "
        "terbit.\n"
        "Jumlah dibayarkan: Rp704.250, jatuh tempo 16 November 2020.\n"
        f"Kode verifikasi: {code}.\n"
        "Salam, Diskopindag Kota Malang")
    assert " " not in rows["ST-000001"]["whatsapp"]
    [zero] = parse_qs(urlsplit(rows["ST-000003"]["whatsapp"]).query)["text"]
    assert "ST-000003" in zero and "Tidak ada pembayaran untuk periode ini." in zero


# ---- who may send, and the settings --------------------------------------------------------------

ROLES = {"Siti": "hotel:ATRIA", "Budi": "auditor", "Sri": "consignor:IKM-0001"}


def test_send_is_for_the_administrator_alone_and_a_refused_send_writes_nothing(
        db, ctx, server, send, snapshot):
    _contacts(db, "2020-12-01 09:00", **{"IKM-0004": {"email": "slamet@gerabah.example"}})
    with db.transaction() as session:
        for name, role in {**ROLES, "Ani": "admin"}.items():
            users.add(session, ctx, name, role)
    before = snapshot()
    for name, role in ROLES.items():
        for args in (["2020-10"], ["2020-10", "--dry-run"], ["2020-10", "--whatsapp"]):
            refused = send(*args, server=server, actor=name)
            assert refused.exit_code == 1
            assert refused.stderr == (f"Error: As {role} you may not run the administrator's "
                                      "commands (db, check, demo, user, token, serve, "
                                      "statement send).\n")
    assert snapshot() == before
    assert server.mailbox.received == []
    assert send("2020-10", server=server, actor="Ani").exit_code == 0
    assert len(server.mailbox.received) == 3


def test_without_a_mail_server_send_exits_3_in_one_line_and_writes_nothing(
        db, send, snapshot):
    _contacts(db, "2020-12-01 09:00", **{"IKM-0004": {"email": "slamet@gerabah.example"}})
    before = snapshot()
    result = send("2020-10")
    assert result.exit_code == 3
    assert result.stderr.startswith("Error: CONSIGN_SMTP_URL is not set: ")
    assert result.stderr.count("\n") == 1
    assert snapshot() == before


@pytest.mark.parametrize(("url", "why"), [
    ("http://mail.example:25", "scheme 'http'"),
    ("smtp://sri:rahasia@mail.example:dua", "its host or port cannot be read"),
    ("smtps://sri:rahasia@[::1", "its host or port cannot be read"),
    ("smtp://sri@mail.example:587", "a login needs both a user name and a password"),
    ("smtp://sri:rahasia@:587", "no host"),
])
def test_a_malformed_mail_server_url_exits_2_and_never_shows_its_password(
        send, url, why):
    result = send("2020-10", url=url)
    assert result.exit_code == 2
    assert f"({why})" in result.stderr
    assert result.stderr.count("\n") == 1
    assert "rahasia" not in result.output


def test_without_a_sender_send_exits_3_in_one_line(server, send):
    result = send("2020-10", server=server, sender=None)
    assert (result.exit_code, result.stderr) == (3, (
        "Error: CONSIGN_MAIL_FROM is not set: it is the address statements are sent from "
        "(e.g. konsinyasi@example.go.id). Nothing was sent.\n"))
    assert server.mailbox.received == []


def test_a_malformed_sender_exits_2(server, send):
    result = send("2020-10", server=server, sender="Diskopindag <bukan alamat>")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: CONSIGN_MAIL_FROM 'Diskopindag <bukan alamat>' "
                                    "is not an e-mail address")


def test_a_password_is_never_sent_to_a_server_without_starttls(db, server, send):
    result = send("2020-10", url=f"smtp://sri:rahasia%40x@127.0.0.1:{server.port}")
    assert result.exit_code == 3
    assert "does not offer STARTTLS, and a password is never sent in the clear" in result.stderr
    assert f"smtp://sri@127.0.0.1:{server.port}" in result.stderr
    assert "rahasia" not in result.output
    assert server.mailbox.received == []
    assert [row[1] for row in outbox(db).values()] == ["failed", "failed"]
    assert all("rahasia" not in row[3] for row in outbox(db).values())


# ---- TLS and the login ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1 (key, certificate), made with openssl."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed: no certificate for a TLS mail server")
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                    str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    return key, cert


def _server_tls(certificate) -> ssl.SSLContext:
    key, cert = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def _login(server, session, envelope, mechanism, auth_data) -> AuthResult:
    return AuthResult(success=isinstance(auth_data, LoginPassword)
                      and (auth_data.login, auth_data.password) == (b"sri", b"rah@sia:1"),
                      handled=False)


@pytest.fixture
def tls_servers(certificate):
    """A server that takes mail only after STARTTLS and a login as sri, and one that talks
    TLS from the first byte and takes the same login (aiosmtpd cannot tell that this one
    is TLS, so it is told that a login needs none, and the tests check the login was
    made)."""
    starttls = Server(tls_context=_server_tls(certificate), require_starttls=True,
                      auth_required=True, authenticator=_login).start()
    implicit = Server(ssl_context=_server_tls(certificate), auth_require_tls=False,
                      authenticator=_login).start()
    yield starttls, implicit
    starttls.stop()
    implicit.stop()


def _deliver(db, url: str, trusted) -> delivery.Report:
    """``statement send 2020-10`` through the services, trusting the test's certificate."""
    ctx = Context.make("tester")
    with db.transaction() as session:
        plan = delivery.prepare(session, ctx, "2020-10", smtp_url=url, mail_from=SENDER)
    return delivery.deliver(plan, db.transaction, ctx, lambda: datetime.now(UTC),
                            tls=ssl.create_default_context(cafile=trusted))


LOGIN = "sri:rah%40sia%3A1"


def test_a_login_goes_over_starttls_or_implicit_tls_and_the_mail_arrives(db, certificate,
                                                                         tls_servers):
    starttls, implicit = tls_servers
    report = _deliver(db, f"smtp://{LOGIN}@127.0.0.1:{starttls.port}", certificate[1])
    assert [item.status for item in report.items] == ["sent", "sent", "whatsapp", "to print"]
    assert [rcpt for rcpt, _m in starttls.mailbox.received] == [[EMAILS["IKM-0001"]],
                                                                [EMAILS["IKM-0002"]]]
    _contacts(db, "2020-12-01 09:00", **{"IKM-0004": {"email": "slamet@gerabah.example"}})
    report = _deliver(db, f"smtps://{LOGIN}@127.0.0.1:{implicit.port}", certificate[1])
    assert [item.status for item in report.items] == ["skipped", "skipped", "whatsapp",
                                                      "sent"]
    assert [rcpt for rcpt, _m in implicit.mailbox.received] == [["slamet@gerabah.example"]]
    assert starttls.mailbox.logged_in == [True, True] and implicit.mailbox.logged_in == [True]


def test_a_wrong_password_or_an_untrusted_certificate_fails_and_loses_nothing(
        db, certificate, tls_servers, send):
    starttls, implicit = tls_servers
    wrong = _deliver(db, f"smtp://sri:salah@127.0.0.1:{starttls.port}", certificate[1])
    assert wrong.unreachable.startswith(f"the mail server smtp://sri@127.0.0.1:{starttls.port} "
                                        "refused the login: 535")
    assert [row[1:3] for row in outbox(db).values()] == [("failed", 1), ("failed", 1)]
    untrusted = send("2020-10", url=f"smtps://{LOGIN}@127.0.0.1:{implicit.port}")
    assert untrusted.exit_code == 3
    assert "CERTIFICATE_VERIFY_FAILED" in untrusted.stderr
    assert "rah%40sia" not in untrusted.output and "rah@sia" not in untrusted.output
    assert starttls.mailbox.received == implicit.mailbox.received == []
    assert [row[1:3] for row in outbox(db).values()] == [("failed", 2), ("failed", 2)]


@pytest.mark.parametrize(("args", "said"), [
    (["--hotel", "TUGU"], "No hotel with code TUGU."),
    (["--consignor", "IKM-0404"], "No IKM with code IKM-0404."),
])
def test_an_unknown_hotel_or_ikm_is_refused_and_nothing_is_sent(server, send, args, said):
    result = send("2020-10", *args, server=server)
    assert (result.exit_code, result.stderr) == (1, f"Error: {said}\n")
    assert server.mailbox.received == []


def test_no_issued_statement_for_the_period_is_refused(server, send):
    result = send("2020-11", server=server)
    assert result.exit_code == 1
    assert result.stderr == ("Error: No issued statements for 2020-11: the period is not closed "
                             "yet. Close it with 'consign close 2020-11 --hotel CODE'.\n")
    narrowed = send("2020-11", "--hotel", "atria", "--consignor", "ikm-0001", server=server)
    assert narrowed.stderr == (
        "Error: No issued statements for 2020-11 at ATRIA for IKM-0001: the period is not "
        "closed yet. Close it with 'consign close 2020-11 --hotel ATRIA'.\n")


@pytest.mark.parametrize(("url", "expected"), [
    ("smtps://sri:rahasia@mail.example", ("smtps", "mail.example", 465, "sri", "rahasia")),
    ("smtp://sri:rah%40sia%3A1@mail.example", ("smtp", "mail.example", 587, "sri",
                                               "rah@sia:1")),
    ("smtp://relay.local", ("smtp", "relay.local", 25, None, None)),
    ("SMTP://relay.local:2525/", ("smtp", "relay.local", 2525, None, None)),
])
def test_mail_server_urls_give_their_scheme_host_port_and_login(url, expected):
    found = smtp.settings(url, "konsinyasi@malangkota.example")
    assert (found.scheme, found.host, found.port, found.user, found.password) == expected
    assert "rahasia" not in repr(found) and "rahasia" not in found.where


def test_a_url_is_shown_without_its_password():
    assert smtp.hidden("smtp://sri:ra@h:asia@mail.example:587") == (
        "smtp://sri:***@mail.example:587")
    assert smtp.hidden("smtp://relay.local:25") == "smtp://relay.local:25"
    for malformed, shown in (
            ("user:s3cretPW@mail.example.id:587", "***@mail.example.id:587"),
            ("//user:s3cretPW@host", "//user:***@host"),
            ("smtp:user:s3cretPW@127.0.0.1", "***@127.0.0.1"),
            ("smtp://user:s3cretPW", "smtp://user:***"),
            ("smtp://s3cretPW@host", "smtp://***@host")):
        assert smtp.hidden(malformed) == shown


def test_the_message_of_a_negative_net_says_it_is_carried_forward():
    notice = delivery.messages.Notice("ST-000009", "Hotel Atria Malang", "2020-11",
                                      "Keripik Tempe Sanan", "Hadi Susanto", -5_000,
                                      date(2020, 12, 16), "ABCD EF01 2345")
    text = delivery.messages.body(notice)
    assert ("Tidak ada pembayaran untuk periode ini: saldo -Rp5.000 dibawa ke laporan "
            "berikutnya.") in text
    assert "Jatuh tempo" not in text


def test_consign_check_finds_nothing_wrong_after_sends_and_failures(db_url, server, send):
    server.mailbox.refused.add(EMAILS["IKM-0002"])
    assert send("2020-10", server=server).exit_code == 1
    result = CliRunner().invoke(main, ["--db", db_url, "--as", "tester", "check"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output


# ---- why a message did not go, in the reader's language ----------------------------------------

def test_why_the_server_cannot_be_reached_reads_in_indonesian_by_default_recorded_in_english(
        db, down, monkeypatch):
    monkeypatch.delenv("CONSIGN_LANG", raising=False)
    ctx = Context.make("tester", now=wib("2020-12-01 10:00"))
    with db.transaction() as session:
        plan = delivery.prepare(session, ctx, "2020-10", smtp_url=down.url, mail_from=SENDER)
    report = delivery.deliver(plan, db.transaction, ctx, lambda: ctx.now)
    where = f"smtp://127.0.0.1:{down.port}"
    said = str(report.why)  # the sentence shown without a language: Indonesian
    assert said.startswith(f"server surat {where} tidak dapat dihubungi: ")
    system = said.removeprefix(f"server surat {where} tidak dapat dihubungi: ")
    assert system  # what the system said (Connection refused), as it said it
    assert report.why.text("en") == f"cannot reach the mail server {where}: {system}"
    # the record, and a script's listing, read the same whatever the language of the run
    assert report.unreachable == report.why.text("en")
    failed = [item for item in report.items if item.status == delivery.FAILED]
    assert [item.number for item in failed] == ["ST-000001", "ST-000002"]
    assert [(item.reason, item.why) for item in failed] == [(report.unreachable,
                                                             report.why)] * 2
    assert [row[1:4] for row in outbox(db).values()] == [
        ("failed", 1, report.unreachable)] * 2
    # nested in the command line's sentence, it is said in the same language as the rest
    assert msg("Could not send {failed} message(s): {why}. They stay queued for the next "
               "'consign statement send'.", failed=2, why=report.why).text() == (
        f"Tidak dapat mengirim 2 pesan: server surat {where} tidak dapat dihubungi: "
        f"{system}. Pesan tersebut tetap dalam antrean untuk 'consign statement send' "
        "berikutnya.")


def test_a_server_without_starttls_and_a_message_already_sent_are_said_in_either_language(
        db, server):
    ctx = Context.make("tester", now=wib("2020-12-01 10:00"))
    login = f"smtp://sri:rahasia@127.0.0.1:{server.port}"
    with db.transaction() as session:
        plan = delivery.prepare(session, ctx, "2020-10", smtp_url=login, mail_from=SENDER)
    report = delivery.deliver(plan, db.transaction, ctx, lambda: ctx.now)
    where = f"smtp://sri@127.0.0.1:{server.port}"
    assert report.why.text("id") == (
        f"server surat {where} tidak menyediakan STARTTLS, sedangkan kata sandi tidak pernah "
        "dikirim tanpa enkripsi (gunakan smtps:// atau server yang menyediakan STARTTLS)")
    assert report.unreachable == report.why.text("en") == (
        f"the mail server {where} does not offer STARTTLS, and a password is never sent in "
        "the clear (use smtps:// or a server with STARTTLS)")
    assert server.mailbox.received == []

    with db.transaction() as session:
        plan = delivery.prepare(session, ctx, "2020-10", smtp_url=server.url, mail_from=SENDER)
    assert delivery.deliver(plan, db.transaction, ctx, lambda: ctx.now).failed == 0
    with db.transaction() as session:
        again = delivery.prepare(session, ctx, "2020-10", smtp_url=server.url,
                                 mail_from=SENDER)
    skipped = [item for item in again.items if item.status == delivery.SKIPPED]
    assert [(item.number, item.reason) for item in skipped] == [
        ("ST-000001", "already sent"), ("ST-000002", "already sent")]
    assert [(item.why.text("id"), item.why.text("en")) for item in skipped] == [
        ("sudah pernah dikirim", "already sent")] * 2


def test_a_malformed_mail_server_url_is_refused_in_indonesian_by_default(send, monkeypatch):
    monkeypatch.delenv("CONSIGN_LANG", raising=False)
    result = send("2020-10", url="smtp://sri:rahasia@:587")
    assert (result.exit_code, result.stderr) == (2, (
        "Galat: CONSIGN_SMTP_URL 'smtp://sri:***@:587' bukan URL server surat yang dapat "
        "dibaca consign (tanpa host): tulis smtp://USER:PASSWORD@HOST:587 (STARTTLS), "
        "smtps://USER:PASSWORD@HOST:465, atau smtp://HOST:25 (relay tanpa login)\n"))
    scheme = send("2020-10", url="//mail.example:25")
    assert scheme.exit_code == 2 and "(tanpa skema)" in scheme.stderr
