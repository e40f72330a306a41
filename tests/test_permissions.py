"""Who may do what (SPEC section 6), through every command that exists: each command × each
role → allowed or refused (exit 1), a refusal writes nothing, and a hotel's or an IKM's
identity never sees another's rows in any listing, export or PDF.

The world: hotels ATRIA and TUGU; IKM-0001 (batik: BTK-001 at both hotels, BTK-002 at
ATRIA only) and IKM-0002 (gerabah: KRM-001 at TUGU only); October closed at both hotels
(ST-000001 at ATRIA; ST-000002 and ST-000003 at TUGU), paid in part and in full;
November settled as drafts. The matrix runs each command on a fresh copy of that world.
"""

import io
import json
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from consign.cli import main
from consign.context import Context
from consign.db import Database
from consign.services import ledger, registry, settlement, tokens, users
from consign.settlement import code_of
from tests.boundary_support import fingerprint
from tests.conftest import built_from_template
from tests.ledger_support import wib

# identity -> (the name given with --as, the role registered; None: no user record)
IDENTITIES = {
    "admin": ("Ani", "admin"),
    "auditor": ("Budi", "auditor"),
    "hotel:ATRIA": ("Siti", "hotel:ATRIA"),
    "hotel:TUGU": ("Wayan", "hotel:TUGU"),
    "consignor:IKM-0001": ("Sri", "consignor:IKM-0001"),
    "consignor:IKM-0002": ("Slamet", "consignor:IKM-0002"),
    "unregistered": ("Orang Lain", None),
    "deactivated": ("Eko", "admin"),  # deactivated after being registered
}
PASSWORD = "rahasia-sekali-2020"


def _at(text: str) -> Context:
    return Context.make("penyiap", now=wib(text))


def build_world(db, folder: Path) -> dict:
    """The world of the module docstring, the users of ``IDENTITIES``, and the files the
    commands read; what the sample arguments need to name (ids, a code)."""
    start = _at("2020-10-01 08:00")
    with db.transaction() as s:
        for code, name in (("ATRIA", "Hotel Atria Malang"), ("TUGU", "Hotel Tugu Malang")):
            registry.add_hotel(s, start, code, name, commission="20%")
        registry.add_consignor(s, start, "IKM-0001", "Batik Tulis Celaket", "Sri Wahyuni",
                               "fashion", phone="0812-3456-7890", bank="BRI",
                               account="002101000123567", holder="Sri Wahyuni")
        registry.add_consignor(s, start, "IKM-0002", "Gerabah Dinoyo", "Slamet Riyadi",
                               "kriya", phone="0813-3456-2211", bank="BNI",
                               account="0123456789", holder="Slamet Riyadi")
        registry.add_product(s, start, "BTK-001", "IKM-0001", "Batik tulis Kendedes", 150_000)
        registry.add_product(s, start, "BTK-002", "IKM-0001", "Selendang Malangan", 85_000)
        registry.add_product(s, start, "KRM-001", "IKM-0002", "Vas gerabah Dinoyo", 75_000)
    october = _at("2020-10-31 20:00")
    with db.transaction() as s:
        ledger.place(s, october, "ATRIA", "IKM-0001", [("BTK-001", 10, None),
                                                       ("BTK-002", 5, None)],
                     at="2020-10-02 09:00")
        ledger.place(s, october, "TUGU", "IKM-0001", [("BTK-001", 5, None)],
                     at="2020-10-02 10:00")
        ledger.place(s, october, "TUGU", "IKM-0002", [("KRM-001", 8, None)],
                     at="2020-10-02 11:00")
        ledger.sell(s, october, "ATRIA", "BTK-001", 2, at="2020-10-05 14:00", receipt="R-A1")
        ledger.sell(s, october, "TUGU", "KRM-001", 1, at="2020-10-06 14:00", receipt="R-T1")
        ledger.sell(s, october, "TUGU", "BTK-001", 1, at="2020-10-07 14:00", receipt="R-T2")
        ledger.write_off(s, october, "TUGU", "damaged", "consignor", "retak",
                         [("KRM-001", 1)], at="2020-10-20 10:00")
    closing = _at("2020-11-02 10:00")
    with db.transaction() as s:
        settlement.close_period(s, closing, "2020-10", "ATRIA")  # ST-000001
        settlement.close_period(s, closing, "2020-10", "TUGU")  # ST-000002, ST-000003
    november = _at("2020-11-10 10:00")
    with db.transaction() as s:
        paid = settlement.pay(s, november, "ST-000001", "2020-11-10", "TRF-A1", 10_000)
        settlement.pay(s, november, "ST-000003", "2020-11-10", "TRF-T3")
        sale = ledger.sell(s, november, "ATRIA", "BTK-001", 1, at="2020-11-03 12:00",
                           receipt="R-A2")
        ledger.sell(s, november, "TUGU", "KRM-001", 1, at="2020-11-04 12:00", receipt="R-T3")
        ledger.return_goods(s, november, "ATRIA", [("BTK-002", 1)], at="2020-11-05 09:00")
    with db.transaction() as s:
        settlement.settle(s, _at("2020-12-01 09:00"), "2020-11")
        code = code_of(settlement.get_statement(s, "ST-000001"))
        [(_name, pdf)] = settlement.statement_pdfs(s, _at("2020-12-01 09:00"), "ST-000002")
        for name, role in IDENTITIES.values():
            if role:
                users.add(s, start, name, role)
        users.deactivate(s, start, IDENTITIES["deactivated"][0])
        tokens.create(s, start, "ATRIA", "kasir depan")  # token 1, for 'token revoke 1'
    files = {
        "hotels.csv": "code,name\nBATU,Hotel Batu\n",
        "consignors.csv": "code,name,owner,sector\nIKM-0009,Tas Anyaman,Lilik,kriya\n",
        "products.csv": "sku,consignor,name,price\nBTK-009,IKM-0001,Batik baru,50000\n",
        "placements.csv": "consignor,sku,qty,price\nIKM-0001,BTK-001,1,\n",
        "sales.csv": "sold_at,sku,qty,unit_price,receipt\n2020-12-01 10:00,BTK-001,1,,R-A9\n",
        "count.csv": "sku,counted\nBTK-001,7\nBTK-002,5\n",
    }
    for name, content in files.items():
        (folder / name).write_text(content)
    (folder / "ST-000002.pdf").write_bytes(pdf)
    return {"void": sale.movement.id, "payment": paid.payment.id, "code": code,
            "files": str(folder)}


# ---- who is allowed --------------------------------------------------------------------------

FULL = {"admin", "unregistered"}  # an identity without a user record acts with full rights
READERS = FULL | {"auditor", "hotel:ATRIA", "hotel:TUGU", "consignor:IKM-0001",
                  "consignor:IKM-0002"}
AGENCY = FULL | {"auditor"}
AT_ATRIA = FULL | {"hotel:ATRIA"}  # writes at ATRIA
HOTELS = FULL | {"hotel:ATRIA", "hotel:TUGU"}
SEES_ATRIA = FULL | {"auditor", "hotel:ATRIA", "consignor:IKM-0001"}
SEES_TUGU = FULL | {"auditor", "hotel:TUGU", "consignor:IKM-0001", "consignor:IKM-0002"}
SEES_IKM1 = FULL | {"auditor", "hotel:ATRIA", "hotel:TUGU", "consignor:IKM-0001"}
SEES_IKM2 = FULL | {"auditor", "hotel:TUGU", "consignor:IKM-0002"}
ST1 = FULL | {"auditor", "hotel:ATRIA", "consignor:IKM-0001"}  # ST-000001: ATRIA, IKM-0001
ST2 = FULL | {"auditor", "hotel:TUGU", "consignor:IKM-0001"}  # ST-000002: TUGU, IKM-0001
CONSOLIDATED = FULL | {"auditor", "consignor:IKM-0001", "consignor:IKM-0002"}


def v(allowed: set, *args, input=None):
    """A variant of a command: its arguments (``{files}``, ``{out}``, ``{void}``,
    ``{payment}``, ``{code}`` filled in) and the identities allowed to run it."""
    return (list(args), frozenset(allowed), input)


SAMPLES = {
    ("hotel", "add"): [v(FULL, "hotel", "add", "BATU", "--name", "Hotel Batu")],
    ("hotel", "list"): [v(READERS, "hotel", "list")],
    ("hotel", "show"): [v(SEES_ATRIA, "hotel", "show", "ATRIA"),
                        v(SEES_TUGU, "hotel", "show", "TUGU")],
    ("hotel", "deactivate"): [v(FULL, "hotel", "deactivate", "TUGU")],
    ("hotel", "edit"): [v(FULL, "hotel", "edit", "ATRIA", "--phone", "0341-403388")],
    ("hotel", "import"): [v(FULL, "hotel", "import", "{files}/hotels.csv")],
    ("consignor", "add"): [v(FULL, "consignor", "add", "IKM-0003", "--name", "Tas Dinoyo",
                             "--owner", "Lilik", "--sector", "kriya")],
    ("consignor", "list"): [v(READERS, "consignor", "list")],
    ("consignor", "show"): [v(SEES_IKM1, "consignor", "show", "IKM-0001"),
                            v(SEES_IKM2, "consignor", "show", "IKM-0002")],
    ("consignor", "deactivate"): [v(FULL, "consignor", "deactivate", "IKM-0002")],
    ("consignor", "edit"): [v(FULL, "consignor", "edit", "IKM-0001", "--phone",
                              "0812-1111-2222")],
    ("consignor", "import"): [v(FULL, "consignor", "import", "{files}/consignors.csv")],
    ("product", "add"): [v(FULL, "product", "add", "BTK-003", "--consignor", "IKM-0001",
                           "--name", "Kain batik", "--price", "90000")],
    ("product", "list"): [v(READERS, "product", "list"),
                          v(SEES_TUGU, "product", "list", "--hotel", "TUGU"),
                          v(SEES_IKM2, "product", "list", "--consignor", "IKM-0002")],
    ("product", "show"): [v(SEES_IKM1, "product", "show", "BTK-001"),
                          v(FULL | {"auditor", "hotel:ATRIA", "consignor:IKM-0001"},
                            "product", "show", "BTK-002"),
                          v(SEES_IKM2, "product", "show", "KRM-001")],
    ("product", "edit"): [v(FULL, "product", "edit", "BTK-001", "--price", "160000")],
    ("product", "deactivate"): [v(FULL, "product", "deactivate", "BTK-002")],
    ("product", "import"): [v(FULL, "product", "import", "{files}/products.csv")],
    ("terms", "set"): [v(FULL, "terms", "set", "--hotel", "ATRIA", "--commission", "15%",
                         "--from", "2021-01-01")],
    ("terms", "list"): [v(READERS, "terms", "list"),
                        v(SEES_TUGU, "terms", "list", "--hotel", "TUGU")],
    ("place",): [v(AT_ATRIA, "place", "--hotel", "ATRIA", "--consignor", "IKM-0001",
                   "--at", "2020-12-01", "BTK-001=1"),
                 v(AT_ATRIA, "place", "--hotel", "ATRIA", "--file", "{files}/placements.csv",
                   "--at", "2020-12-01"),
                 v(AT_ATRIA, "place", "--hotel", "ATRIA", "--consignor", "IKM-0001",
                   "--at", "2020-12-01", "BTK-001=1", "--pdf", "{out}/terima.pdf")],
    ("sell",): [v(AT_ATRIA, "sell", "--hotel", "ATRIA", "BTK-001", "--at", "2020-12-02")],
    ("sales", "import"): [v(AT_ATRIA, "sales", "import", "{files}/sales.csv", "--hotel",
                            "ATRIA")],
    ("void",): [v(AT_ATRIA, "void", "{void}", "--reason", "salah input"),
                v(AT_ATRIA, "void", "--hotel", "ATRIA", "--receipt", "R-A2", "--reason", "x"),
                v(AT_ATRIA, "void", "--note", "RT-2020-00001", "--reason", "salah",
                  "--at", "2020-12-02")],
    ("movements",): [v(READERS, "movements"),
                     v(SEES_TUGU, "movements", "--hotel", "TUGU"),
                     v(SEES_IKM2, "movements", "--sku", "KRM-001"),
                     v(SEES_ATRIA, "movements", "--note", "PL-2020-00001")],
    ("return",): [v(AT_ATRIA, "return", "--hotel", "ATRIA", "--at", "2020-12-02",
                    "BTK-002=1"),
                  v(AT_ATRIA, "return", "--hotel", "ATRIA", "--at", "2020-12-02",
                    "BTK-002=1", "--pdf", "{out}/retur.pdf")],
    ("loss",): [v(AT_ATRIA, "loss", "--hotel", "ATRIA", "--kind", "lost", "--liable",
                  "hotel", "--reason", "hilang", "--at", "2020-12-02", "BTK-002=1")],
    ("count",): [v(FULL | {"auditor", "hotel:ATRIA"}, "count", "--hotel", "ATRIA",
                   "{files}/count.csv", "--at", "2020-12-02"),
                 v(AT_ATRIA, "count", "--hotel", "ATRIA", "{files}/count.csv", "--apply",
                   "--at", "2020-12-02")],
    ("stock",): [v(READERS, "stock"), v(SEES_ATRIA, "stock", "--hotel", "ATRIA")],
    ("check",): [v(FULL, "check")],
    ("db", "upgrade"): [v(FULL, "db", "upgrade")],
    ("db", "backup"): [v(FULL, "db", "backup", "{out}/backup.db")],
    ("demo",): [v(FULL, "demo", "--out", "{out}/demo")],
    ("serve",): [v(FULL, "serve", "--check")],
    ("settle",): [v(HOTELS, "settle", "2020-11"),
                  v(AT_ATRIA, "settle", "2020-11", "--hotel", "ATRIA")],
    ("close",): [v(AT_ATRIA, "close", "2020-11", "--hotel", "ATRIA")],
    ("statement", "list"): [v(READERS, "statement", "list"),
                            v(SEES_IKM2, "statement", "list", "--consignor", "IKM-0002")],
    ("statement", "show"): [v(ST1, "statement", "show", "ST-000001")],
    ("statement", "pay"): [v(AT_ATRIA, "statement", "pay", "ST-000001", "--on", "2020-12-01",
                             "--ref", "TRF-A2", "--amount", "1000"),
                           v(AT_ATRIA, "statement", "pay", "ST-000001", "--on", "2020-12-01",
                             "--ref", "TRF-A3", "--amount", "1000", "--pdf", "{out}/b.pdf")],
    ("statement", "payments"): [v(READERS, "statement", "payments"),
                                v(ST1, "statement", "payments", "ST-000001")],
    ("statement", "payment", "void"): [v(AT_ATRIA, "statement", "payment", "void",
                                         "{payment}", "--reason", "salah rekening")],
    ("statement", "verify"): [v(ST1, "statement", "verify", "--code", "ST-000001", "{code}"),
                              v(ST2, "statement", "verify", "{files}/ST-000002.pdf")],
    ("statement", "pdf"): [v(ST1, "statement", "pdf", "ST-000001", "--out", "{out}"),
                           v(READERS, "statement", "pdf", "--period", "2020-10", "--out",
                             "{out}"),
                           v(CONSOLIDATED, "statement", "pdf", "--period", "2020-10",
                             "--consolidated", "--out", "{out}")],
    ("doc", "receipt"): [v(ST1, "doc", "receipt", "PL-2020-00001", "--out", "{out}/r.pdf")],
    ("doc", "return-note"): [v(ST1, "doc", "return-note", "RT-2020-00001", "--out",
                               "{out}/n.pdf")],
    ("doc", "advice"): [v(ST1, "doc", "advice", "{payment}", "--out", "{out}/a.pdf")],
    ("doc", "labels"): [v(SEES_ATRIA, "doc", "labels", "--hotel", "ATRIA", "--out",
                          "{out}/labels.pdf"),
                        v(FULL | {"auditor", "hotel:TUGU", "consignor:IKM-0002"}, "doc",
                          "labels", "--hotel", "TUGU", "--consignor", "IKM-0002", "--out",
                          "{out}/labels.pdf")],
    ("doc", "count-sheet"): [v(FULL | {"auditor", "hotel:ATRIA"}, "doc", "count-sheet",
                               "--hotel", "ATRIA", "--out", "{out}/count.pdf")],
    ("doc", "count-template"): [v(FULL | {"auditor", "hotel:ATRIA"}, "doc", "count-template",
                                  "--hotel", "ATRIA")],
    ("statement", "send"): [v(FULL, "statement", "send", "2020-10", "--dry-run"),
                            v(FULL, "statement", "send", "2020-10", "--whatsapp")],
    ("audit", "placements"): [v(READERS, "audit", "placements")],
    ("audit", "aging"): [v(READERS, "audit", "aging")],
    ("audit", "sales"): [v(READERS, "audit", "sales", "2020-10")],
    ("audit", "payments"): [v(READERS, "audit", "payments")],
    ("audit", "shrinkage"): [v(READERS, "audit", "shrinkage", "2020-10")],
    ("audit", "report"): [v(READERS, "audit", "report", "2020-10", "--pdf", "{out}/r.pdf")],
    ("audit", "log"): [v(AGENCY, "audit", "log")],
    ("user", "add"): [v(FULL, "user", "add", "Dewi", "--role", "hotel:TUGU")],
    ("user", "list"): [v(FULL, "user", "list")],
    ("user", "role"): [v(FULL, "user", "role", "Siti", "auditor")],
    ("user", "passwd"): [v(FULL, "user", "passwd", "Siti", input=PASSWORD + "\n")],
    ("user", "deactivate"): [v(FULL, "user", "deactivate", "Budi")],
    ("token", "create"): [v(FULL, "token", "create", "--hotel", "TUGU")],
    ("token", "list"): [v(FULL, "token", "list")],
    ("token", "revoke"): [v(FULL, "token", "revoke", "1")],
}
# refusals that are a verdict, not an error: "not genuine" is said in full, exit 1
VERDICTS = {("statement", "verify")}


def leaves(group: click.Group, path=()):
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from leaves(command, (*path, name))
        else:
            yield (*path, name)


COMMANDS = sorted(leaves(main))


def test_every_command_that_exists_has_sample_arguments_in_the_matrix():
    missing = [" ".join(path) for path in COMMANDS if path not in SAMPLES]
    assert not missing, f"no sample arguments in the permission matrix for: consign " \
                        f"{', consign '.join(missing)}"
    assert not [path for path in SAMPLES if path not in COMMANDS], "a command is gone"


@pytest.fixture(scope="module")
def world(tmp_path_factory, sqlite_template):
    folder = tmp_path_factory.mktemp("world")
    path = folder / "world.db"
    return path, built_from_template(sqlite_template, path,
                                     lambda database: build_world(database, folder))


def invoke(url: str, identity: str, args: list[str], input=None):
    name, _role = IDENTITIES[identity]
    return CliRunner().invoke(main, ["--db", url, "--as", name, *args], input=input,
                              catch_exceptions=False)


@pytest.mark.parametrize("identity", list(IDENTITIES))
@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_each_command_is_allowed_or_refused_as_the_role_says_and_a_refusal_writes_nothing(
        world, tmp_path, path, identity):
    assert path in SAMPLES, f"consign {' '.join(path)} has no sample arguments in the matrix"
    template, facts = world
    for n, (args, allowed, given) in enumerate(SAMPLES[path]):
        copy = tmp_path / f"case{n}.db"
        shutil.copy(template, copy)
        out = tmp_path / f"out{n}"
        out.mkdir()
        filled = [a.format(out=out, **facts) for a in args]
        database = Database(f"sqlite:///{copy}")
        before = fingerprint(database)
        result = invoke(f"sqlite:///{copy}", identity, filled, given)
        shown = f"consign {' '.join(filled)} as {identity}: {result.output}"
        if identity in allowed:
            assert result.exit_code == 0, shown
        else:
            assert result.exit_code == 1, shown
            if path not in VERDICTS:
                assert result.output.startswith("Error: "), shown
                assert result.output.count("\n") == 1, shown
            assert fingerprint(database) == before, shown
            assert not list(out.iterdir()), shown  # no file written either
        if identity == "deactivated":
            assert "is deactivated and may do nothing" in result.output, shown
        database.dispose()


@pytest.mark.parametrize(("identity", "args", "code", "unknown"), [
    ("hotel:ATRIA", ["hotel", "show", "TUGU"], "TUGU", "BATU"),
    ("hotel:ATRIA", ["consignor", "show", "IKM-0002"], "IKM-0002", "IKM-0404"),
    ("hotel:ATRIA", ["product", "show", "KRM-001"], "KRM-001", "KRM-404"),
    ("hotel:ATRIA", ["product", "list", "--consignor", "IKM-0002"], "IKM-0002", "IKM-0404"),
    ("hotel:ATRIA", ["sell", "--hotel", "TUGU", "KRM-001"], "TUGU", "BATU"),
    ("hotel:ATRIA", ["statement", "show", "ST-000002"], "ST-000002", "ST-000404"),
    ("hotel:ATRIA", ["statement", "payment", "void", "2", "--reason", "x"], "2", "404"),
    ("hotel:TUGU", ["void", "{void}", "--reason", "x"], "{void}", "40404"),
    ("hotel:TUGU", ["void", "--note", "PL-2020-00001", "--reason", "x"], "PL-2020-00001",
     "PL-2020-00404"),
    ("hotel:TUGU", ["terms", "list", "--hotel", "ATRIA"], "ATRIA", "BATU"),
    ("consignor:IKM-0002", ["movements", "--hotel", "ATRIA"], "ATRIA", "BATU"),
    ("consignor:IKM-0002", ["stock", "--consignor", "IKM-0001"], "IKM-0001", "IKM-0404"),
    ("consignor:IKM-0001", ["statement", "show", "ST-000003"], "ST-000003", "ST-000404"),
    ("consignor:IKM-0001", ["statement", "payments", "ST-000003"], "ST-000003",
     "ST-000404"),
])
def test_what_lies_outside_a_scope_is_answered_as_if_it_did_not_exist(world, tmp_path,
                                                                       identity, args, code,
                                                                       unknown):
    template, facts = world
    shutil.copy(template, tmp_path / "c.db")
    url = f"sqlite:///{tmp_path / 'c.db'}"
    code = code.format(**facts)
    args = [a.format(**facts) for a in args]
    refused = invoke(url, identity, args)
    missing = invoke(url, "admin", [unknown if a == code else a for a in args])
    assert refused.exit_code == missing.exit_code == 1, (refused.output, missing.output)
    assert refused.output == missing.output.replace(unknown, code)
    assert refused.output.startswith("Error: No ") and code in refused.output


@pytest.mark.parametrize(("identity", "args", "said"), [
    ("auditor", ["sell", "--hotel", "ATRIA", "BTK-001"],
     "As auditor you may not record placements, sales, voids, returns, losses or counts."),
    ("consignor:IKM-0001", ["sell", "--hotel", "ATRIA", "BTK-001"],
     "As consignor:IKM-0001 you may not record placements, sales, voids, returns, losses "
     "or counts."),
    ("hotel:ATRIA", ["hotel", "edit", "ATRIA", "--phone", "0341-403388"],
     "As hotel:ATRIA you may not register or change hotels, IKM, products or users."),
    ("hotel:ATRIA", ["statement", "pdf", "--period", "2020-10", "--consolidated"],
     "As hotel:ATRIA you may not print an IKM's consolidated statement."),
    ("consignor:IKM-0001", ["audit", "log"],
     "As consignor:IKM-0001 you may not read the audit log."),
    ("auditor", ["check"],
     "As auditor you may not run the administrator's commands (db, check, demo, user, "
     "token, serve, statement send)."),
    # whose product KRM-001 is lies outside ATRIA's scope: the refusal does not say
    ("hotel:ATRIA", ["place", "--hotel", "ATRIA", "--consignor", "IKM-0001", "KRM-001=1"],
     "IKM IKM-0001 has no product KRM-001."),
])
def test_a_role_without_the_right_is_refused_in_one_sentence(world, tmp_path, identity, args,
                                                             said):
    template, _facts = world
    shutil.copy(template, tmp_path / "c.db")
    result = invoke(f"sqlite:///{tmp_path / 'c.db'}", identity, args)
    assert result.exit_code == 1, result.output
    assert result.output == f"Error: {said}\n"


def test_a_hotel_settles_only_its_own_hotel_when_it_names_none(world, tmp_path):
    template, _facts = world
    shutil.copy(template, tmp_path / "c.db")
    result = invoke(f"sqlite:///{tmp_path / 'c.db'}", "hotel:TUGU",
                    ["settle", "2020-11", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert {s["hotel"] for s in json.loads(result.output)} == {"TUGU"}


def test_a_hotel_reads_only_the_names_of_its_ikm_and_their_products_there(world, tmp_path):
    template, _facts = world
    shutil.copy(template, tmp_path / "c.db")
    url = f"sqlite:///{tmp_path / 'c.db'}"
    by_hotel = json.loads(invoke(url, "hotel:TUGU", ["consignor", "show", "IKM-0001",
                                                     "--format", "json"]).output)
    assert (by_hotel["name"], by_hotel["owner"]) == ("Batik Tulis Celaket", "Sri Wahyuni")
    assert [by_hotel[k] for k in ("nib", "phone", "email", "bank", "account", "holder")] == [
        None] * 6
    assert [p["sku"] for p in by_hotel["products"]] == ["BTK-001"]  # BTK-002 is at ATRIA only
    by_owner = json.loads(invoke(url, "consignor:IKM-0001", ["consignor", "show", "IKM-0001",
                                                              "--format", "json"]).output)
    assert (by_owner["account"], by_owner["phone"]) == ("002101000123567", "+6281234567890")
    assert [p["sku"] for p in by_owner["products"]] == ["BTK-001", "BTK-002"]


# ---- no one sees another's rows ------------------------------------------------------------

# what each scoped identity must never meet (codes, names, statement numbers, receipts and
# payment references of another hotel or IKM), and some of what it must meet
UNSEEN = {
    "hotel:ATRIA": ["TUGU", "Hotel Tugu", "IKM-0002", "Gerabah", "KRM-001", "ST-000002",
                    "ST-000003", "R-T1", "R-T2", "R-T3", "TRF-T3", "Slamet"],
    "hotel:TUGU": ["ATRIA", "Hotel Atria", "BTK-002", "Selendang", "ST-000001", "R-A1",
                   "R-A2", "TRF-A1"],
    "consignor:IKM-0001": ["IKM-0002", "Gerabah", "KRM-001", "ST-000003", "R-T1", "R-T3",
                           "TRF-T3", "Slamet"],
    "consignor:IKM-0002": ["IKM-0001", "Batik", "BTK-001", "BTK-002", "Selendang", "ATRIA",
                           "Hotel Atria", "ST-000001", "ST-000002", "R-A1", "R-A2", "R-T2",
                           "TRF-A1", "Sri Wahyuni"],
}
SEEN = {
    "hotel:ATRIA": ["ATRIA", "IKM-0001", "BTK-001", "BTK-002", "ST-000001", "R-A1", "TRF-A1"],
    "hotel:TUGU": ["TUGU", "IKM-0001", "IKM-0002", "BTK-001", "KRM-001", "ST-000002",
                   "ST-000003", "R-T1", "TRF-T3"],
    "consignor:IKM-0001": ["IKM-0001", "ATRIA", "TUGU", "BTK-001", "BTK-002", "ST-000001",
                           "ST-000002", "R-A1", "R-T2", "TRF-A1"],
    "consignor:IKM-0002": ["IKM-0002", "TUGU", "KRM-001", "ST-000003", "R-T1", "TRF-T3"],
}
LISTINGS = [
    ["hotel", "list"], ["consignor", "list"], ["product", "list"], ["terms", "list"],
    ["movements"], ["stock"], ["statement", "list"], ["statement", "payments"],
]
REPORTS = [
    ["audit", "placements"], ["audit", "aging", "--days", "1"],
    ["audit", "sales", "2020-10", "--to", "2020-11"],
    ["audit", "sales", "2020-10", "--to", "2020-11", "--by", "product"],
    ["audit", "sales", "2020-10", "--to", "2020-11", "--by", "consignor"],
    ["audit", "sales", "2020-10", "--to", "2020-11", "--by", "sector"],
    ["audit", "payments", "--as-of", "2020-12-15"],
    ["audit", "shrinkage", "2020-10", "--to", "2020-11"],
]
SHOWS = {
    "hotel:ATRIA": [["hotel", "show", "ATRIA"], ["consignor", "show", "IKM-0001"],
                    ["product", "show", "BTK-001"], ["statement", "show", "ST-000001"],
                    ["settle", "2020-12"]],
    "hotel:TUGU": [["hotel", "show", "TUGU"], ["consignor", "show", "IKM-0001"],
                   ["consignor", "show", "IKM-0002"], ["product", "show", "BTK-001"],
                   ["statement", "show", "ST-000002"], ["settle", "2020-12"]],
    "consignor:IKM-0001": [["hotel", "show", "ATRIA"], ["hotel", "show", "TUGU"],
                           ["consignor", "show", "IKM-0001"], ["statement", "show",
                                                               "ST-000002"]],
    "consignor:IKM-0002": [["hotel", "show", "TUGU"], ["consignor", "show", "IKM-0002"],
                           ["product", "show", "KRM-001"], ["statement", "show",
                                                            "ST-000003"]],
}


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _xlsx_text(path: Path) -> str:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    return "\n".join(str(cell) for sheet in book.worksheets
                     for row in sheet.iter_rows(values_only=True) for cell in row
                     if cell is not None)


@pytest.mark.parametrize("identity", list(UNSEEN))
def test_a_hotel_or_an_ikm_never_sees_anothers_rows_in_any_listing_export_or_pdf(
        db, tmp_path, identity):
    facts = build_world(db, tmp_path)
    url = db.engine.url.render_as_string(hide_password=False)
    seen = []

    def look(args, what=None):
        result = invoke(url, identity, args)
        assert result.exit_code == 0, f"consign {' '.join(args)}: {result.output}"
        seen.append((what or " ".join(args), result.output))

    for args in LISTINGS + SHOWS[identity]:
        for fmt in ("table", "csv", "json"):
            look([*args, "--format", fmt])
    for n, args in enumerate(REPORTS):
        for fmt in ("table", "csv", "json"):
            look([*args, "--format", fmt])
        book = tmp_path / f"report{n}.xlsx"
        look([*args, "--xlsx", str(book)])
        seen.append((f"{' '.join(args)} --xlsx", _xlsx_text(book)))
    for n, extra in enumerate((["--period", "2020-10"], ["--period", "2020-11"],
                               ["--period", "2020-10", "--consolidated"])):
        if "--consolidated" in extra and identity.startswith("hotel:"):
            continue  # refused: one IKM's statements of every hotel
        folder = tmp_path / f"pdf{n}"
        look(["statement", "pdf", *extra, "--out", str(folder)])
        for pdf in sorted(folder.glob("*.pdf")):
            seen.append((f"statement pdf {' '.join(extra)}: {pdf.name}", _pdf_text(pdf)))
    report = tmp_path / "programme.pdf"
    look(["audit", "report", "2020-10", "--to", "2020-11", "--pdf", str(report)])
    seen.append(("audit report", _pdf_text(report)))
    assert facts["code"]
    leaks = [(what, token) for what, text in seen for token in UNSEEN[identity]
             if token in text]
    assert not leaks, f"{identity} sees: {leaks}"
    everything = "\n".join(text for _what, text in seen)
    assert [token for token in SEEN[identity] if token not in everything] == []
