"""The ledger commands as hotel staff and the agency type them: output, JSON shapes, exit
codes, and that a refused command writes nothing."""

import json
import re

import pytest
from sqlalchemy import text

from tests.conftest import NOW


@pytest.fixture
def shop(make_hotel, make_product):
    make_hotel("ATRIA")
    make_product("BTK-001", price=150_000)
    make_product("BTK-002", name="Batik cap motif Teratai", price=90_000)
    make_product("KRM-001", consignor="IKM-0002", name="Vas keramik Dinoyo", price=75_000)


@pytest.fixture
def stocked(cli, shop):
    result = cli("place", "--hotel", "ATRIA", "--consignor", "IKM-0001", "--at",
                 "2020-10-01 09:00", "BTK-001=5", "BTK-002=3@Rp85.000")
    assert result.exit_code == 0, result.output
    return cli


def as_json(result):
    assert result.exit_code == 0, result.output + result.stderr
    return json.loads(result.output)


def test_place_prints_the_numbered_placement_with_each_line(cli, shop):
    result = cli("place", "--hotel", "ATRIA", "--consignor", "IKM-0001", "--at",
                 "2020-10-01 09:00", "BTK-001=5", "BTK-002=3@Rp85.000")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "Placement PL-2020-00001 at ATRIA from IKM-0001, 1 Oktober 2020 09:00:",
        "id  sku      qty  unit_price",
        "--  -------  ---  ----------",
        " 1  BTK-001    5   Rp150.000",
        " 2  BTK-002    3    Rp85.000",
    ]


def test_place_as_json_is_the_number_and_its_movements_with_ids(cli, shop):
    placed = as_json(cli("place", "--hotel", "ATRIA", "--consignor", "IKM-0001", "--at",
                         "2020-10-01", "BTK-001=5", "--format", "json"))
    assert placed["number"] == "PL-2020-00001"
    assert [(m["id"], m["sku"], m["qty"], m["unit_price"]) for m in placed["movements"]] == [
        (1, "BTK-001", 5, 150_000)]
    assert placed["movements"][0]["at"] == "2020-10-01T00:00:00+07:00"
    assert placed["movements"][0]["actor"] == "tester"


def test_place_from_a_file_makes_one_placement_per_ikm(cli, shop, tmp_path):
    path = tmp_path / "kirim.csv"
    path.write_text("consignor,sku,qty,price\nIKM-0001,BTK-001,5,\nIKM-0002,KRM-001,2,70000\n"
                    "IKM-0001,BTK-002,1,\n")
    placed = as_json(cli("place", "--hotel", "ATRIA", "--file", path, "--at", "2020-10-01",
                         "--format", "json"))
    assert [(p["number"], p["consignor"], [m["sku"] for m in p["movements"]])
            for p in placed] == [("PL-2020-00001", "IKM-0001", ["BTK-001", "BTK-002"]),
                                 ("PL-2020-00002", "IKM-0002", ["KRM-001"])]
    assert placed[1]["movements"][0]["unit_price"] == 70_000


def test_a_placement_file_with_bad_rows_reports_each_and_writes_nothing(cli, shop, tmp_path,
                                                                        snapshot):
    path = tmp_path / "kirim.csv"
    path.write_text("consignor,sku,qty,price\nIKM-0001,BTK-001,5,\nIKM-0001,KRM-001,2,\n"
                    "IKM-0009,BTK-001,1,\nIKM-0001,BTK-002,dua,\nIKM-0001,BTK-002,1,1.5\n")
    before = snapshot()
    result = cli("place", "--hotel", "ATRIA", "--file", path)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"Error: {path}:3: Product KRM-001 belongs to IKM IKM-0002, not IKM-0001.",
        f"{path}:4: No IKM with code IKM-0009.",
        f"{path}:5: BTK-002: qty 'dua' is not a whole number from 1 to 100.000",
        f"{path}:6: BTK-002: price '1.5' is not a whole rupiah amount (write 150000, 150.000 "
        "or Rp150.000)",
    ]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("place", "--hotel", "ATRIA", "--consignor", "IKM-0001", "BTK-001"),
         "'BTK-001' is not written SKU=QTY or SKU=QTY@PRICE (e.g. BTK-001=3)"),
        (("place", "--hotel", "ATRIA", "--consignor", "IKM-0001", "BTK-001=0"),
         "BTK-001 qty 0 is not between 1 and 100.000"),
        (("place", "--hotel", "ATRIA", "--consignor", "IKM-0001", "BTK-001=2@1,5"),
         "price '1,5' is not a whole rupiah amount"),
        (("place", "--hotel", "ATRIA", "BTK-001=2"),
         "give --consignor and at least one SKU=QTY line, or --file"),
        (("place", "--hotel", "ATRIA", "--consignor", "IKM-0001", "--file", "x.csv"),
         "give either --file or --consignor with SKU=QTY lines"),
        (("place", "--hotel", "ATRIA", "--consignor", "IKM-0001", "--at", "2020-10-32",
          "BTK-001=1"),
         "at '2020-10-32' is not a date; write it as 2020-10-05, 2020-10-05 14:30, "
         "05/10/2020 14.30 or 5 Oktober 2020"),
        (("sell", "--hotel", "ATRIA", "BTK-001", "--at", "2099-12-31"),
         "at '2099-12-31' is in the future"),
        (("sell", "--hotel", "ATRIA", "BTK-001", "--at", "2999-01-01"),
         "at '2999-01-01' is outside the dates consign accepts (1 January 2000 to "
         "31 December 2099)"),
        (("sell", "--hotel", "ATRIA", "BTK-001", "--qty", "0"),
         "qty 0 is not between 1 and 100.000"),
        (("sell", "--hotel", "ATRIA", "BTK-001", "--price", "-5"),
         "price '-5' is not a whole rupiah amount"),
        (("sell", "--hotel", "ATRIA", "BTK-001", "--payment", "cheque"),
         "'cheque' is not one of 'cash', 'card', 'qris', 'transfer'"),
        (("return", "--hotel", "ATRIA", "BTK-001=1@5000"),
         "'BTK-001=1@5000' is not written SKU=QTY (e.g. BTK-001=3)"),
        (("loss", "--hotel", "ATRIA", "--kind", "stolen", "--liable", "hotel", "--reason", "x",
          "BTK-001=1"), "'stolen' is not one of 'lost', 'damaged'"),
        (("loss", "--hotel", "ATRIA", "--kind", "lost", "--liable", "hotel", "BTK-001=1"),
         "Missing option '--reason'"),
        (("void", "1"), "Missing option '--reason'"),
        (("void", "abc", "--reason", "x"),
         "movement_id 'abc' is not a whole number from 1 to 2.147.483.647"),
        (("stock", "--as-of", "kemarin"), "as-of 'kemarin' is not a date"),
        (("count", "--hotel", "ATRIA", "missing.csv"), "missing.csv: no such file"),
    ],
)
def test_malformed_ledger_input_exits_2_naming_the_value_and_writes_nothing(
    stocked, snapshot, args, message
):
    before = snapshot()
    result = stocked(*args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert snapshot() == before


def test_a_sale_prints_what_it_recorded_with_its_movement_id(stocked):
    result = stocked("sell", "--hotel", "ATRIA", "BTK-001", "--qty", "2", "--at",
                     "2020-10-05 14:30", "--receipt", "INV-1", "--payment", "qris")
    assert result.exit_code == 0
    assert result.output == ("Sold 2 × BTK-001 at ATRIA for Rp300.000 (Rp150.000 each), "
                             "5 Oktober 2020 14:30: movement 3.\n")


def test_a_sale_as_json_is_the_movement(stocked):
    sale = as_json(stocked("sell", "--hotel", "ATRIA", "BTK-002", "--at", "2020-10-05 14:30",
                           "--receipt", "INV-1", "--format", "json"))
    assert {key: sale[key] for key in ("id", "kind", "hotel", "consignor", "sku", "qty",
                                       "unit_price", "at", "receipt", "already_recorded")} == {
        "id": 3, "kind": "sold", "hotel": "ATRIA", "consignor": "IKM-0001", "sku": "BTK-002",
        "qty": -1, "unit_price": 85_000, "at": "2020-10-05T14:30:00+07:00", "receipt": "INV-1",
        "already_recorded": False}


def test_the_same_sale_again_says_already_recorded_and_exits_0(stocked, snapshot):
    args = ("sell", "--hotel", "ATRIA", "BTK-001", "--receipt", "INV-1", "--at", "2020-10-05")
    assert stocked(*args).exit_code == 0
    before = snapshot()
    again = stocked(*args)
    assert again.exit_code == 0
    assert again.output == ("Receipt INV-1: 1 × BTK-001 at ATRIA is already recorded "
                            "(movement 3, sold 5 Oktober 2020 00:00); nothing changed.\n")
    assert as_json(stocked(*args, "--format", "json"))["already_recorded"] is True
    assert snapshot() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("sell", "--hotel", "ATRIA", "BTK-001", "--qty", "6"),
         "Cannot sell 6 × BTK-001 at ATRIA: only 5 on hand."),
        (("sell", "--hotel", "ATRIA", "KRM-001"), "KRM-001 was never placed at ATRIA."),
        (("sell", "--hotel", "ATRIA", "NOPE"), "No product with SKU NOPE."),
        (("sell", "--hotel", "HYATT", "BTK-001"), "No hotel with code HYATT."),
        (("return", "--hotel", "ATRIA", "BTK-002=4"),
         "Cannot return 4 × BTK-002 from ATRIA: only 3 on hand."),
        (("loss", "--hotel", "ATRIA", "--kind", "lost", "--liable", "hotel", "--reason", "x",
          "BTK-002=4"), "Cannot write off 4 × BTK-002 at ATRIA: only 3 on hand."),
        (("void", "3", "--reason", "again"), "Movement 3 was already voided by movement 4."),
        (("void", "99", "--reason", "x"), "No movement with id 99."),
        (("place", "--hotel", "ATRIA", "--consignor", "IKM-0001", "KRM-001=1"),
         "Product KRM-001 belongs to IKM IKM-0002, not IKM-0001."),
    ],
)
def test_a_refused_ledger_command_exits_1_with_one_line_and_writes_nothing(
    stocked, snapshot, args, message
):
    assert stocked("sell", "--hotel", "ATRIA", "BTK-001", "--receipt", "INV-1", "--at",
                   "2020-10-05 14:30").exit_code == 0
    assert stocked("void", "3", "--reason", "rang up twice").exit_code == 0
    before = snapshot()
    result = stocked(*args)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {message}\n"
    assert snapshot() == before


def test_sales_import_says_how_many_were_added_and_how_many_were_already_there(
    stocked, tmp_path
):
    path = tmp_path / "till.csv"
    path.write_text("sold_at,sku,qty,unit_price,receipt\n2020-10-05 14:30,BTK-001,2,,INV-1\n"
                    "2020-10-05 15:00,BTK-002,1,,INV-2\n")
    first = stocked("sales", "import", path, "--hotel", "ATRIA")
    assert (first.exit_code, first.output) == (0, f"{path}: 2 added, 0 already recorded.\n")
    again = as_json(stocked("sales", "import", path, "--hotel", "ATRIA", "--format", "json"))
    assert again == {"file": str(path), "added": 0, "already_recorded": 2, "voided": 0}


def test_a_sales_file_with_a_malformed_row_exits_2_listing_every_bad_row(stocked, tmp_path,
                                                                         snapshot):
    path = tmp_path / "till.csv"
    path.write_text("sold_at,sku,qty,unit_price,receipt\n2020-10-05,BTK-001,9,,\n"
                    "2020-10-05,NOPE,1,,\n2020-10-05,BTK-002,dua,,\n")
    before = snapshot()
    result = stocked("sales", "import", path, "--hotel", "ATRIA")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"Error: {path}:2: cannot sell 9 × BTK-001: only 5 on hand at 2020-10-05 00:00",
        f"{path}:3: unknown SKU NOPE",
        f"{path}:4: qty 'dua' is not a whole number from 1 to 100.000",
    ]
    assert snapshot() == before


def test_a_well_formed_sales_file_that_rules_refuse_exits_1_listing_every_refused_row(
    stocked, tmp_path, db, snapshot
):
    from consign.models import ClosedPeriod

    with db.transaction() as session:
        session.add(ClosedPeriod(hotel_id=1, period="2020-09", closed_at=NOW, actor="t"))
    assert stocked("sell", "--hotel", "ATRIA", "BTK-001", "--receipt", "INV-1", "--at",
                   "2020-10-05 14:30").exit_code == 0
    path = tmp_path / "till.csv"
    path.write_text("sold_at,sku,qty,unit_price,receipt\n"
                    "2020-10-05 14:30,BTK-001,2,,INV-1\n"  # conflicts with the ledger
                    "2020-10-06,BTK-001,5,,\n"              # only 4 left
                    "2020-09-30 10:00,BTK-002,1,,\n"        # in a closed period
                    "2020-10-06,KRM-001,1,,\n"              # never placed at ATRIA
                    "2020-10-06,NOPE,1,,\n")                # no such product
    before = snapshot()
    result = stocked("sales", "import", path, "--hotel", "ATRIA")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: {path}:2: Receipt INV-1 at ATRIA already records 1 × BTK-001 at Rp150.000 "
        "(the ledger); this sale says 2 × BTK-001 at Rp150.000.",
        f"{path}:3: cannot sell 5 × BTK-001: only 4 on hand at 2020-10-06 00:00",
        f"{path}:4: sold_at '2020-09-30 10:00' falls in a period already closed for ATRIA",
        f"{path}:5: KRM-001 was never placed at ATRIA.",
        f"{path}:6: unknown SKU NOPE",
    ]
    assert snapshot() == before


def test_a_sale_repeated_in_a_closed_period_is_already_recorded_and_exits_0(stocked, db):
    from consign.models import ClosedPeriod

    sale = ("sell", "--hotel", "ATRIA", "BTK-001", "--receipt", "R-1", "--at", "2020-10-05")
    assert stocked(*sale).exit_code == 0
    with db.transaction() as session:
        session.add(ClosedPeriod(hotel_id=1, period="2020-10", closed_at=NOW, actor="t"))
    again = stocked(*sale)
    assert (again.exit_code, again.output) == (
        0, "Receipt R-1: 1 × BTK-001 at ATRIA is already recorded (movement 3, sold "
           "5 Oktober 2020 00:00); nothing changed.\n")
    new = stocked("sell", "--hotel", "ATRIA", "BTK-001", "--receipt", "R-2", "--at",
                  "2020-10-05")
    assert new.exit_code == 1
    assert "its books are closed through 2020-10" in new.stderr


def test_a_count_or_placement_file_whose_rows_only_rules_refuse_exits_1(stocked, tmp_path):
    sheet = tmp_path / "opname.csv"
    sheet.write_text("sku,counted\nNOPE,1\n")
    counted = stocked("count", "--hotel", "ATRIA", sheet, "--apply")
    assert (counted.exit_code, counted.stderr) == (1, f"Error: {sheet}:2: unknown SKU NOPE\n")
    placements = tmp_path / "kirim.csv"
    placements.write_text("consignor,sku,qty,price\nIKM-0001,KRM-001,2,\n")
    placed = stocked("place", "--hotel", "ATRIA", "--file", placements)
    assert (placed.exit_code, placed.stderr) == (
        1, f"Error: {placements}:2: Product KRM-001 belongs to IKM IKM-0002, not IKM-0001.\n")


def test_void_prints_the_reversal_and_as_json_names_what_it_reverses(stocked):
    stocked("sell", "--hotel", "ATRIA", "BTK-001", "--at", "2020-10-05 14:30")
    reversal = as_json(stocked("void", "3", "--reason", "rang up twice", "--format", "json"))
    assert {key: reversal[key] for key in ("id", "kind", "qty", "reverses", "cancels",
                                           "reason")} == {
        "id": 4, "kind": "reversal", "qty": 1, "reverses": 3, "cancels": True,
        "reason": "rang up twice"}
    placed_void = stocked("void", "2", "--reason", "wrong SKU")
    assert placed_void.output == ("Voided movement 2 (3 × BTK-002 at ATRIA): "
                                  "reversal 5 cancels it in its own period.\n")


def test_return_and_loss_print_their_note_numbers(stocked):
    returned = as_json(stocked("return", "--hotel", "ATRIA", "--at", "2020-10-20", "BTK-002=1",
                               "--format", "json"))
    lost = as_json(stocked("loss", "--hotel", "ATRIA", "--kind", "damaged", "--liable",
                           "consignor", "--reason", "faded", "--at", "2020-10-21",
                           "BTK-002=2", "--format", "json"))
    assert (returned["number"], [m["id"] for m in returned["movements"]]) == (
        "RT-2020-00001", [3])
    assert (lost["number"], lost["movements"][0]["kind"], lost["movements"][0]["liable"]) == (
        "LS-2020-00001", "damaged", "consignor")
    table = stocked("return", "--hotel", "ATRIA", "--at", "2020-10-22", "BTK-001=1")
    assert table.output.splitlines()[0] == (
        "Return RT-2020-00002 from ATRIA to IKM-0001, 22 Oktober 2020 00:00:")


def test_count_shows_the_differences_and_applies_them_on_request(stocked, tmp_path):
    path = tmp_path / "opname.csv"
    path.write_text("sku,counted\nBTK-001,4\n")
    shown = stocked("count", "--hotel", "ATRIA", path, "--at", "2020-10-31 18:00")
    assert shown.output.splitlines()[-1] == (
        "Nothing recorded: run again with --apply to record the differences.")
    applied = as_json(stocked("count", "--hotel", "ATRIA", path, "--at", "2020-10-31 18:00",
                              "--apply", "--format", "json"))
    assert applied["number"] == "SO-2020-00001"
    assert [(line["sku"], line["expected"], line["counted"], line["difference"])
            for line in applied["lines"]] == [("BTK-001", 5, 4, -1), ("BTK-002", 3, None, None)]
    assert [(m["id"], m["kind"], m["qty"], m["liable"]) for m in applied["movements"]] == [
        (3, "counted", -1, "hotel")]


def test_stock_shows_units_per_hotel_ikm_and_sku_now_and_as_of(stocked):
    stocked("sell", "--hotel", "ATRIA", "BTK-001", "--at", "2020-10-05 14:30")
    table = stocked("stock").output.splitlines()
    assert table[0].split() == ["hotel", "consignor", "sku", "name", "on_hand", "value",
                                "oldest_days", "due_on", "due_back"]
    # the age columns count from today: tests/test_stock_value.py checks them as of a date
    assert [line[:73] for line in table[2:]] == [
        "ATRIA  IKM-0001   BTK-001  Batik tulis motif Kendedes        4  Rp600.000",
        "ATRIA  IKM-0001   BTK-002  Batik cap motif Teratai           3  Rp255.000",
    ]
    as_of = as_json(stocked("stock", "--as-of", "2020-10-04", "--format", "json"))
    assert [(r["hotel"], r["consignor"], r["sku"], r["on_hand"]) for r in as_of] == [
        ("ATRIA", "IKM-0001", "BTK-001", 5), ("ATRIA", "IKM-0001", "BTK-002", 3)]
    at_the_moment = as_json(stocked("stock", "--as-of", "2020-10-05 14:30", "--hotel", "ATRIA",
                                    "--consignor", "IKM-0001", "--format", "json"))
    assert at_the_moment[0]["on_hand"] == 4
    assert stocked("stock", "--format", "csv").output.splitlines()[1].startswith(
        "ATRIA,IKM-0001,BTK-001,Batik tulis motif Kendedes,4,600000,")


def test_check_finds_nothing_in_a_sound_ledger_and_exits_1_on_a_problem(stocked, db):
    sound = stocked("check")
    assert sound.exit_code == 0
    assert sound.output.splitlines()[0] == "No problems found."
    assert re.fullmatch(r"Audit chain: \d+ entries, head [0-9a-f]{64}\.",
                        sound.output.splitlines()[1])
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE stock SET on_hand = on_hand + 1 WHERE product_id = 1"))
    broken = stocked("check", "--format", "json")
    assert broken.exit_code == 1
    assert "Stock of BTK-001 at ATRIA is stored as 6 but its movements add up to 5." in (
        json.loads(broken.output)["problems"])


def test_every_ledger_change_is_in_the_audit_log_with_who_did_it(stocked):
    stocked("sell", "--hotel", "ATRIA", "BTK-001", "--receipt", "INV-1")
    stocked("void", "3", "--reason", "rang up twice")
    log = as_json(stocked("audit", "log", "--format", "json"))
    ledger_entries = [(entry["action"], entry["record"], entry["actor"]) for entry in log
                      if entry["record"].startswith("movement:")]
    assert ledger_entries == [("placed", "movement:1", "tester"),
                              ("placed", "movement:2", "tester"),
                              ("sold", "movement:3", "tester"), ("void", "movement:4", "tester")]


def test_a_long_import_shows_a_progress_bar_on_a_terminal(monkeypatch):
    import io

    from consign.cli import ledger as commands

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    monkeypatch.setattr(commands.sys, "stderr", terminal)
    with commands._progress() as progress:
        progress(50, 100)
        progress(100, 100)
    assert "Importing" in terminal.getvalue()
    assert "100%" in terminal.getvalue()


def test_no_progress_bar_is_drawn_when_stderr_is_not_a_terminal(monkeypatch):
    import io

    from consign.cli import ledger as commands

    monkeypatch.setattr(commands.sys, "stderr", io.StringIO())
    with commands._progress() as progress:
        assert progress is None
