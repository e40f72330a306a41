"""SKUs are codes like any other: typed in lower case, they mean the same product."""

import json


def registered(cli):
    assert cli("hotel", "add", "ATRIA", "--name", "Atria", "--commission", "20%").exit_code == 0
    assert cli("consignor", "add", "IKM-0001", "--name", "Batik", "--owner", "Sri", "--sector",
               "fashion").exit_code == 0
    result = cli("product", "add", "btk-001", "--consignor", "IKM-0001", "--name", "Batik",
                 "--price", "150000")
    assert result.exit_code == 0, result.output
    return cli


def test_a_sku_typed_in_lower_case_is_stored_and_found_in_upper_case(cli, snapshot):
    registered(cli)
    assert json.loads(cli("product", "show", "btk-001", "--format", "json").output)["sku"] == (
        "BTK-001")
    before = snapshot()
    again = cli("product", "add", "BTK-001", "--consignor", "IKM-0001", "--name", "X",
                "--price", "1000")
    assert (again.exit_code, again.stderr) == (1, "Error: Product BTK-001 is already "
                                                  "registered.\n")
    assert snapshot() == before


def test_the_ledger_takes_a_sku_in_any_case(cli, tmp_path):
    registered(cli)
    assert cli("place", "--hotel", "ATRIA", "--consignor", "IKM-0001", "--at", "2020-10-02",
               "btk-001=5").exit_code == 0
    assert cli("sell", "--hotel", "ATRIA", "Btk-001", "--at", "2020-10-05").exit_code == 0
    sales = tmp_path / "sales.csv"
    sales.write_text("sold_at,sku,qty,unit_price,receipt\n2020-10-06 10:00,btk-001,1,,R-1\n")
    assert cli("sales", "import", sales, "--hotel", "ATRIA").exit_code == 0
    count = tmp_path / "count.csv"
    count.write_text("sku,counted\nbtk-001,3\n")
    assert cli("count", "--hotel", "ATRIA", count, "--at", "2020-10-07").exit_code == 0
    stock = json.loads(cli("stock", "--format", "json").output)
    assert [(row["sku"], row["on_hand"]) for row in stock] == [("BTK-001", 3)]


def test_a_sku_with_a_space_is_refused_as_malformed(cli, snapshot):
    registered(cli)
    before = snapshot()
    result = cli("product", "add", "BTK 002", "--consignor", "IKM-0001", "--name", "X",
                 "--price", "1000")
    assert result.exit_code == 2
    assert "sku 'BTK 002' may hold only letters, digits and '-'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert snapshot() == before
