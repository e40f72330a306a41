"""The bounds of SPEC section 2 through the command line: each bad value exits 2 (a rule's
refusal 1), says in one line what was wrong and where, and writes nothing; on SQLite and
PostgreSQL alike (no driver error ever reaches the user)."""

import json

import pytest

from tests.boundary_support import fingerprint, shop

LONG = "x" * 121
CASES = [
    # (arguments, exit code, what the one line must say)
    (["hotel", "add", "AT RIA", "--name", "X"], 2, "code 'AT RIA' may hold only letters"),
    (["hotel", "add", "A" * 21, "--name", "X"], 2, "longer than 20 characters"),
    (["hotel", "add", "A" * 61, "--name", "X"], 2, "longer than 20 characters"),
    (["hotel", "add", "TUGU", "--name", " "], 2, "name is blank"),
    (["hotel", "add", "TUGU", "--name", LONG], 2, "name is 121 characters long"),
    (["hotel", "add", "TUGU", "--name", "Tugu\x1b[2J"], 2, "control character (U+001B)"),
    (["hotel", "add", "TUGU", "--name", "Tugu \u202e"], 2, "control character (U+202E)"),
    (["hotel", "add", "TUGU", "--name", "Tugu \U0001f600"], 2, "documents cannot print"),
    (["hotel", "add", "TUGU", "--name", "T", "--commission", "100.01%"], 2, "between 0% and"),
    (["hotel", "add", "TUGU", "--name", "T", "--address", "a" * 301], 2, "at most 300"),
    (["hotel", "add", "TUGU", "--name", "T", "--phone", "0341-40"], 2, "not a phone number"),
    (["hotel", "add", "TUGU", "--name", "T", "--phri-no", "P" * 41], 2, "at most 40"),
    (["hotel", "add", "ATRIA", "--name", "Again"], 1, "Hotel ATRIA is already registered"),
    (["consignor", "add", "IKM-9", "--name", "N", "--owner", "O", "--sector", "food"], 2,
     "'food' is not one of"),
    (["consignor", "add", "IKM-9", "--name", "N", "--owner", "O", "--sector", "kriya",
      "--nib", "123"], 2, "must be exactly 13 digits"),
    (["consignor", "add", "IKM-9", "--name", "N", "--owner", "O", "--sector", "kriya",
      "--email", "x@y"], 2, "not an e-mail address"),
    (["consignor", "add", "IKM-9", "--name", "N", "--owner", "O", "--sector", "kriya",
      "--account", "0021-01-X"], 2, "5 to 20 digits"),
    (["consignor", "add", "IKM-9", "--name", "N", "--owner", "O", "--sector", "kriya",
      "--account", "002101000123567"], 2, "needs its bank, account number and holder"),
    (["product", "add", "W" * 17, "--consignor", "IKM-0001", "--name", "N", "--price", "1"],
     2, "longer than 16 characters"),
    (["product", "add", "W" * 61, "--consignor", "IKM-0001", "--name", "N", "--price", "1"],
     2, "longer than 16 characters"),
    (["product", "add", "W" * 10_001, "--consignor", "IKM-0001", "--name", "N", "--price",
      "1"], 2, "at most 10000 are allowed"),
    (["product", "add", "KRM-1", "--consignor", "IKM-0001", "--name", "N", "--price", "0"], 2,
     "not between Rp1 and Rp1.000.000.000"),
    (["product", "add", "KRM-1", "--consignor", "IKM-0001", "--name", "N", "--price",
      "Rp1.000.000.001"], 2, "not between Rp1 and Rp1.000.000.000"),
    (["product", "add", "KRM-1", "--consignor", "IKM-0001", "--name", "N", "--price",
      "1,5"], 2, "not a whole rupiah amount"),
    (["product", "add", "KRM-1", "--consignor", "IKM-0001", "--name", "N", "--price", "5",
      "--category", "c" * 61], 2, "at most 60"),
    (["product", "add", "KRM-1", "--consignor", "IKM-0404", "--name", "N", "--price", "5"], 1,
     "No IKM with code IKM-0404"),
    (["terms", "set", "--hotel", "ATRIA", "--commission", "15%", "--from", "2031-01-01",
      "--to", "2030-01-01"], 2, "to 2030-01-01 is before from 2031-01-01"),
    (["terms", "set", "--hotel", "ATRIA", "--commission", "15%", "--from", "1999-12-31"], 2,
     "outside the dates consign accepts"),
    (["terms", "set", "--hotel", "ATRIA", "--commission", "15%", "--from", "2031-01-01",
      "--display-days", "3651"], 2, "not between 1 and 3.650"),
    (["terms", "set", "--hotel", "ATRIA", "--commission", "15%", "--from", "2031-01-01",
      "--payment-days", "0"], 2, "not between 1 and 3.650"),
    (["place", "--hotel", "ATRIA", "--consignor", "IKM-0001", "--at", "2020-10-03",
      "BTK-001=9223372036854775807"], 2, "BTK-001 qty 9223372036854775807 is not between 1"),
    (["place", "--hotel", "ATRIA", "--consignor", "IKM-0001", "--at", "2020-10-03",
      "BTK-001=100001"], 2, "not between 1 and 100.000"),
    (["place", "--hotel", "ATRIA", "--consignor", "IKM-0001", "--at", "2020-10-03",
      "BTK-001=-1"], 2, "not a whole number"),
    (["place", "--hotel", "ATRIA", "--consignor", "IKM-0001", "--at", "2020-10-03",
      "BTK-001=1@100000000000000000000"], 2, "not between Rp1 and Rp1.000.000.000"),
    (["sell", "--hotel", "ATRIA", "BTK-001", "--qty", "100001", "--at", "2020-10-06"], 2,
     "not between 1 and 100.000"),
    (["sell", "--hotel", "ATRIA", "BTK-001", "--at", "10/13/2020"], 2, "is not a date"),
    (["sell", "--hotel", "ATRIA", "BTK-001", "--at", "2020"], 2, "is not a date"),
    (["sell", "--hotel", "ATRIA", "BTK-001", "--at", "31/12/1999 23:30"], 2,
     "outside the dates consign accepts"),
    (["sell", "--hotel", "ATRIA", "BTK-001", "--at", "2099-12-31 23:59"], 2,
     "is in the future"),
    (["sell", "--hotel", "ATRIA", "BTK-001", "--receipt", "R" * 61], 2, "at most 60"),
    (["sell", "--hotel", "ATRIA", "BTK-001", "--payment", "cheque"], 2, "'cheque' is not one"),
    (["sell", "--hotel", "ATRIA", "BTK-001", "--qty", "11", "--at", "2020-10-06"], 1,
     "only 9 on hand"),
    (["void", "0", "--reason", "x"], 2, "not between 1 and 2.147.483.647"),
    (["void", "2147483648", "--reason", "x"], 2, "not between 1 and 2.147.483.647"),
    (["void", "99999", "--reason", "x"], 1, "No movement with id 99999"),
    (["void", "2", "--reason", "r" * 501], 2, "at most 500"),
    (["void", "2", "--reason", "  "], 2, "reason is blank"),
    (["loss", "--hotel", "ATRIA", "--kind", "lost", "--liable", "hotel", "--reason", "",
      "BTK-001=1"], 2, "reason is blank"),
    (["return", "--hotel", "ATRIA", "BTK-001=0"], 2, "not between 1 and 100.000"),
    (["stock", "--as-of", "kemarin"], 2, "is not a date"),
    (["settle", "2020-13"], 2, "not a month written YYYY-MM"),
    (["settle", "2100-01"], 2, "outside the periods consign accepts"),
    (["close", "1999-12", "--hotel", "ATRIA"], 2, "outside the periods consign accepts"),
    (["statement", "show", "ST-1"], 2, "not of the form ST-000042"),
    (["statement", "pay", "ST-000001", "--on", "2020-11-10", "--ref", "R" * 61], 2,
     "at most 60"),
    (["statement", "list", "--status", "void"], 2, "'void' is not one of"),
    (["audit", "log", "--since", "2100-01-01"], 2, "outside the dates consign accepts"),
]


@pytest.fixture
def stocked(db, ctx):
    shop(db, ctx)


@pytest.mark.parametrize(("args", "code", "said"), CASES,
                         ids=[" ".join(args)[:60] for args, _, _ in CASES])
def test_a_bad_value_exits_with_one_line_and_writes_nothing(db, stocked, cli, args, code,
                                                             said):
    before = fingerprint(db)
    result = cli(*args)
    assert result.exit_code == code, result.output
    assert said in result.output
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1, result.output
    assert "Traceback" not in result.output
    assert fingerprint(db) == before


FILES = [
    # (file content, command, exit code, what the lines must say)
    (b"", "sales", 2, "the file is empty; it needs a header row"),
    (b"sold_at,sku,qty,prcie\n2020-10-06,BTK-001,1,5\n", "sales", 2,
     "unknown column(s) prcie (expected sold_at,sku,qty,unit_price,receipt,payment)"),
    (b"sold_at,sku\n2020-10-06,BTK-001\n", "sales", 2, "missing column(s) qty"),
    (b"sold_at,sku,qty,sku\n2020-10-06,BTK-001,1,BTK-001\n", "sales", 2,
     "names column(s) sku more than once"),
    (b"sold_at,,qty\n2020-10-06,BTK-001,1\n", "sales", 2, "a blank column name (column 2)"),
    (b"sold_at,sku,qty\n2020-10-06,BTK-001,1,1\n", "sales", 2, "the row has 4 cells, the header 3"),
    (b"sold_at,sku,qty\n2020-10-06,BTK-001\n", "sales", 2, "the row has 2 cells, the header 3"),
    (b"sold_at,sku,qty,receipt\n2020-10-06,BTK-001,1," + b"R" * 10_001 + b"\n", "sales", 2,
     "receipt is 10001 characters long; a cell holds at most 10.000"),
    (b"sold_at,sku,qty\n2020-10-06,BTK-001,1\x00\n", "sales", 2, "holds a NUL byte"),
    (b"\xff\xfe s\x00o\x00l\x00d\x00", "sales", 2, "not UTF-8 text"),
    (b"sold_at,sku,qty\n2020-10-06,BTK-001,9223372036854775808\n", "sales", 2,
     "qty 9223372036854775808 is not between 1 and 100.000"),
    (b"sold_at,sku,qty\n13/10/2020 25.00,BTK-001,1\n", "sales", 2, "is not a date"),
    (b"code,name,prcie\nTUGU,Hotel Tugu,5\n", "hotel", 2, "unknown column(s) prcie"),
    (b"code,name\nTUGU,Hotel Tugu,extra\n", "hotel", 2, "the row has 3 cells, the header 2"),
    (b"code,owner\nIKM-0009,Slamet\n", "consignor", 2,
     "IKM-0009 is not registered yet, and a new IKM needs name, sector"),
    (b"sku,consignor,name,price\nBTK-009,IKM-0001,Batik,0\n", "product", 2,
     "price Rp0 is not between Rp1 and Rp1.000.000.000"),
]


@pytest.mark.parametrize(("data", "kind", "code", "said"), FILES,
                         ids=[said[:50] for _, _, _, said in FILES])
def test_a_malformed_file_exits_naming_file_and_line_and_writes_nothing(
        db, stocked, cli, tmp_path, data, kind, code, said):
    path = tmp_path / "input.csv"
    path.write_bytes(data)
    args = (["sales", "import", path, "--hotel", "ATRIA"] if kind == "sales"
            else [kind, "import", path])
    before = fingerprint(db)
    result = cli(*args)
    assert result.exit_code == code, result.output
    assert said in result.output, result.output
    assert f"{path}:" in result.output or f"{path}" in result.output
    assert "Traceback" not in result.output
    assert fingerprint(db) == before


MIXED = [
    # (command, file: a bad value on line 2, a row of the wrong width on line 3, a bad value
    # on line 4)
    ("sales", "sold_at,sku,qty,payment\n2020-10-06,BTK-001,1,bitcoin\n2020-10-06,BTK-001\n"
              "1999-10-06,BTK-001,1,cash\n"),
    ("count", "sku,counted\nBTK-001,-3\nBTK-001\nBTK-001,x\n"),
    ("place", "consignor,sku,qty\nIKM-0001,BTK-001,0\nIKM-0001,BTK-001\nIKM-0001,BTK-001,x\n"),
    ("hotel", "code,name\nA B,Hotel\nTUGU\nTUGU,\n"),
]


@pytest.mark.parametrize(("kind", "content"), MIXED, ids=[kind for kind, _ in MIXED])
def test_a_row_of_the_wrong_width_is_reported_with_the_other_bad_rows(
        db, stocked, cli, tmp_path, kind, content):
    path = tmp_path / "input.csv"
    path.write_text(content)
    args = {"sales": ["sales", "import", path, "--hotel", "ATRIA"],
            "count": ["count", "--hotel", "ATRIA", path, "--apply"],
            "place": ["place", "--hotel", "ATRIA", "--file", path],
            "hotel": ["hotel", "import", path]}[kind]
    before = fingerprint(db)
    result = cli(*args)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if f"{path}:" in line]
    assert [line.split(f"{path}:")[1].split(":")[0] for line in lines] == ["2", "3", "4"], (
        result.output)
    assert "the row has 2 cells" in lines[1] or "the row has 1 cells" in lines[1]
    assert fingerprint(db) == before


def test_a_file_that_leaves_a_column_out_never_erases_that_field(db, stocked, cli, tmp_path):
    cli("consignor", "add", "IKM-0002", "--name", "Keramik Dinoyo", "--owner", "Slamet",
        "--sector", "kriya", "--nib", "9120007654321", "--phone", "0813-3456-2211",
        "--bank", "BNI", "--account", "0123456789", "--holder", "Slamet Riyadi")
    path = tmp_path / "ikm.csv"
    path.write_text("code,name,owner,sector\nIKM-0002,Keramik Dinoyo Jaya,Slamet,kriya\n")
    result = cli("consignor", "import", path)
    assert result.exit_code == 0, result.output
    shown = json.loads(cli("consignor", "show", "IKM-0002", "--format", "json").output)
    assert (shown["name"], shown["nib"], shown["phone"], shown["bank"], shown["account"],
            shown["holder"]) == ("Keramik Dinoyo Jaya", "9120007654321", "+6281334562211",
                                 "BNI", "0123456789", "Slamet Riyadi")
    path.write_text("code,nib\nIKM-0002,\n")  # an empty cell of a column that is there clears
    assert cli("consignor", "import", path).exit_code == 0
    assert json.loads(cli("consignor", "show", "IKM-0002", "--format", "json").output)[
        "nib"] is None
