"""The registry commands as a user types them, and every validation error they can meet."""

import json

import pytest


def add_atria(cli):
    result = cli("hotel", "add", "ATRIA", "--name", "Hotel Atria Malang", "--commission", "20%",
                 "--phone", "0341-403388", "--address", "Jl. Letjen S. Parman 87", "--phri-no",
                 "PHRI-MLG-014")
    assert result.exit_code == 0, result.output
    return result


def add_ikm(cli, code="IKM-0001", *extra):
    result = cli("consignor", "add", code, "--name", "Batik Tulis Celaket", "--owner",
                 "Sri Wahyuni", "--sector", "fashion", "--nib", "1234567890123", "--phone",
                 "0812 3456 7890", "--email", "sri@example.id", "--bank", "BRI", "--account",
                 "002101000123567", "--holder", "Sri Wahyuni", *extra)
    assert result.exit_code == 0, result.output
    return result


def test_a_hotel_added_with_a_local_phone_number_is_stored_in_international_form(cli):
    add_atria(cli)
    shown = json.loads(cli("hotel", "show", "ATRIA", "--format", "json").output)
    assert shown["phone"] == "+62341403388"
    assert shown["commission"] == "20%"
    assert shown["phri_no"] == "PHRI-MLG-014"
    assert shown["terms"][0]["valid_from"] is None


def test_hotel_list_prints_a_table_csv_and_json(cli):
    add_atria(cli)
    table = cli("hotel", "list").output.splitlines()
    assert table[0].split() == ["code", "name", "commission", "phone", "active"]
    assert table[2].split()[0] == "ATRIA"
    csv_lines = cli("hotel", "list", "--format", "csv").output.splitlines()
    assert csv_lines[0] == "code,name,commission,address,phone,phri_no,active"
    assert csv_lines[1].startswith("ATRIA,Hotel Atria Malang,20%,")
    assert json.loads(cli("hotel", "list", "--format", "json").output)[0]["code"] == "ATRIA"


def test_a_consignor_is_registered_with_every_field(cli):
    add_ikm(cli)
    shown = json.loads(cli("consignor", "show", "IKM-0001", "--format", "json").output)
    assert shown == {
        "code": "IKM-0001", "name": "Batik Tulis Celaket", "owner": "Sri Wahyuni",
        "sector": "fashion", "nib": "1234567890123", "phone": "+6281234567890",
        "email": "sri@example.id", "address": "", "bank": "BRI", "account": "002101000123567",
        "holder": "Sri Wahyuni", "active": True, "public": False, "description": "",
        "public_contact": False, "products": [],
    }


def test_an_account_number_typed_with_spaces_dots_or_dashes_is_stored_as_its_digits(cli):
    result = cli("consignor", "add", "IKM-0002", "--name", "Kripik Tempe Sanan", "--owner",
                 "Budi", "--sector", "kuliner", "--bank", "BNI", "--account",
                 "0021-01.000555 30-1", "--holder", "Budi")
    assert result.exit_code == 0, result.output
    shown = json.loads(cli("consignor", "show", "IKM-0002", "--format", "json").output)
    assert shown["account"] == "002101000555301"


def test_a_product_is_listed_under_its_consignor_with_its_price(cli):
    add_ikm(cli)
    result = cli("product", "add", "BTK-001", "--consignor", "IKM-0001", "--name",
                 "Batik tulis Kendedes", "--price", "Rp 1.250.000", "--category", "kain")
    assert result.exit_code == 0, result.output
    assert "Rp1.250.000" in result.output
    listed = json.loads(cli("product", "list", "--consignor", "IKM-0001", "--format",
                            "json").output)
    assert listed == [{"sku": "BTK-001", "consignor": "IKM-0001", "name": "Batik tulis Kendedes",
                       "category": "kain", "price": 1250000, "active": True}]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("hotel", "add", "ATRIA", "--name", "X", "--phone", "12345"),
         "phone '12345' must start with 0 or +62"),
        (("hotel", "add", "ATRIA", "--name", "X", "--phone", "0341-40"),
         "phone '0341-40' is not a phone number that exists in Indonesia"),
        (("hotel", "add", "ATRIA", "--name", "X", "--commission", "120%"),
         "commission '120%' is not between 0% and 100%"),
        (("hotel", "add", "ATRIA", "--name", "X", "--commission", "17.125%"),
         "is not a percentage with at most two decimals"),
        (("hotel", "add", "AT RIA", "--name", "X"), "may hold only letters, digits and '-'"),
        (("consignor", "add", "IKM-9", "--name", "X", "--owner", "Y", "--sector", "kriya",
          "--nib", "123456789012"), "nib '123456789012' must be exactly 13 digits"),
        (("consignor", "add", "IKM-9", "--name", "X", "--owner", "Y", "--sector", "batik"),
         "'batik' is not one of"),
        (("consignor", "add", "IKM-9", "--name", "X", "--owner", "Y", "--sector", "kriya",
          "--bank", "BRI", "--holder", "Y", "--account", "0021/01A0"),
         "account '0021/01A0' must be a bank account number of 5 to 20 digits"),
        (("consignor", "add", "IKM-9", "--name", "X", "--owner", "Y", "--sector", "kriya",
          "--bank", "BRI", "--holder", "Y", "--account", "1234"),
         "account '1234' must be a bank account number of 5 to 20 digits"),
        (("consignor", "add", "IKM-9", "--name", "X", "--owner", "Y", "--sector", "kriya",
          "--account", "0021-0100"),
         "IKM IKM-9: a bank account needs its bank, account number and holder; bank, holder "
         "is missing"),
        (("consignor", "add", "IKM-9", "--name", "X", "--owner", "Y", "--sector", "kriya",
          "--email", "sri.example.id"), "email 'sri.example.id' is not an e-mail address"),
        (("product", "add", "P-1", "--consignor", "IKM-9", "--name", "X", "--price", "-5000"),
         "price '-5000' is not a whole rupiah amount"),
        (("product", "add", "P-1", "--consignor", "IKM-9", "--name", "X", "--price",
          "150000,50"), "price '150000,50' is not a whole rupiah amount"),
        (("product", "add", "P-1", "--consignor", "IKM-9", "--name", "X", "--price", "0"),
         "price Rp0 is not between Rp1 and Rp1.000.000.000"),
        (("terms", "set", "--hotel", "ATRIA", "--commission", "10%", "--from", "2020-13-01"),
         "from '2020-13-01' is not a date; write it as"),
    ],
)
def test_malformed_input_exits_2_with_one_line_naming_the_value(cli, snapshot, args, message):
    before = snapshot()
    result = cli(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert snapshot() == before


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        ("hotel", ("hotel", "add", "ATRIA", "--name", "Again"),
         "Hotel ATRIA is already registered."),
        ("ikm", ("consignor", "add", "IKM-0001", "--name", "X", "--owner", "Y", "--sector",
                 "kriya"), "IKM IKM-0001 is already registered."),
        ("hotel", ("product", "add", "P-1", "--consignor", "IKM-0404", "--name", "X", "--price",
                   "5000"), "No IKM with code IKM-0404."),
        ("hotel", ("hotel", "show", "NOPE"), "No hotel with code NOPE."),
        ("hotel", ("terms", "set", "--hotel", "ATRIA", "--commission", "15%", "--from",
                   "2020-01-01", "--to", "2020-12-31"),
         "overlap the existing period the beginning to open-ended at 20%"),
    ],
)
def test_a_refused_rule_exits_1_and_writes_nothing(cli, snapshot, setup, args, message):
    add_atria(cli) if setup == "hotel" else add_ikm(cli)
    before = snapshot()
    result = cli(*args)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {message}" or message in result.stderr
    assert snapshot() == before


def test_a_new_open_ended_rate_ends_the_current_one_the_day_before(cli):
    add_atria(cli)
    assert cli("terms", "set", "--hotel", "ATRIA", "--commission", "17.5%", "--from",
               "2021-01-01").exit_code == 0
    listed = json.loads(cli("terms", "list", "--format", "json").output)
    assert [(t["commission"], t["valid_from"], t["valid_to"]) for t in listed] == [
        ("20%", None, "2020-12-31"), ("17.5%", "2021-01-01", None)]


def test_a_pair_rate_overlapping_another_pair_rate_names_the_period_it_collides_with(cli):
    add_atria(cli)
    add_ikm(cli)
    ok = cli("terms", "set", "--hotel", "ATRIA", "--consignor", "IKM-0001", "--commission",
             "15%", "--from", "2020-10-01", "--to", "2020-12-31")
    assert ok.exit_code == 0
    clash = cli("terms", "set", "--hotel", "ATRIA", "--consignor", "IKM-0001", "--commission",
                "12.5%", "--from", "2020-12-01", "--to", "2021-02-28")
    assert clash.exit_code == 1
    assert ("Terms for ATRIA / IKM-0001 from 2020-12-01 overlap the existing period "
            "2020-10-01 to 2020-12-31 at 15%.") in clash.stderr


def test_a_deactivated_consignor_accepts_no_new_products(cli, snapshot):
    add_ikm(cli)
    assert cli("consignor", "deactivate", "IKM-0001").exit_code == 0
    before = snapshot()
    result = cli("product", "add", "P-1", "--consignor", "IKM-0001", "--name", "X",
                 "--price", "5000")
    assert result.exit_code == 1
    assert "IKM IKM-0001 is deactivated" in result.stderr
    assert snapshot() == before


def test_deactivating_twice_is_refused(cli):
    add_atria(cli)
    assert cli("hotel", "deactivate", "ATRIA").exit_code == 0
    again = cli("hotel", "deactivate", "ATRIA")
    assert again.exit_code == 1
    assert "Hotel ATRIA is already deactivated." in again.stderr


def test_every_change_is_in_the_audit_log_with_its_actor(cli):
    add_atria(cli)
    add_ikm(cli)
    entries = json.loads(cli("audit", "log", "--format", "json").output)
    assert [(e["action"], e["record"], e["actor"]) for e in entries][:3] == [
        ("hotel.add", "hotel:ATRIA", "tester"), ("terms.set", "terms:1", "tester"),
        ("consignor.add", "consignor:IKM-0001", "tester")]
