"""Imports: the agency onboards its IKM from the spreadsheet it already has."""

import json

import pytest
from openpyxl import Workbook

IKM_HEADER = "code,name,owner,sector,nib,phone,email,address,bank,account,holder"
IKM_ROWS = [
    "IKM-0001,Batik Tulis Celaket,Sri Wahyuni,fashion,1234567890123,0812 3456 7890,"
    "sri@example.id,Jl. Celaket 12,BRI,002101000123567,Sri Wahyuni",
    "IKM-0002,Keramik Dinoyo Jaya,Slamet Riyadi,kriya,,0341-551234,,Jl. MT Haryono 5,BNI,"
    "0123456789,Slamet Riyadi",
]


def write(tmp_path, name, lines, bom=False):
    path = tmp_path / name
    path.write_text(("\ufeff" if bom else "") + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_consignors_import_from_csv_with_a_bom_and_again_changes_nothing(cli, tmp_path):
    path = write(tmp_path, "ikm.csv", [IKM_HEADER, *IKM_ROWS], bom=True)
    first = cli("consignor", "import", path)
    assert first.exit_code == 0, first.output
    assert "2 added, 0 updated, 0 already registered" in first.output
    again = cli("consignor", "import", path, "--format", "json")
    assert json.loads(again.output) == {"added": 0, "updated": 0, "unchanged": 2}
    listed = json.loads(cli("consignor", "list", "--format", "json").output)
    assert [(c["code"], c["phone"], c["nib"]) for c in listed] == [
        ("IKM-0001", "+6281234567890", "1234567890123"), ("IKM-0002", "+62341551234", None)]


def test_semicolon_separated_files_as_excel_writes_them_in_indonesia_are_read(cli, tmp_path):
    lines = [line.replace(",", ";") for line in [IKM_HEADER, *IKM_ROWS]]
    result = cli("consignor", "import", write(tmp_path, "ikm.csv", lines))
    assert result.exit_code == 0, result.output
    assert "2 added" in result.output


def test_a_changed_row_updates_the_record_and_the_audit_log_says_what_changed(cli, tmp_path):
    cli("consignor", "import", write(tmp_path, "a.csv", [IKM_HEADER, *IKM_ROWS]))
    changed = IKM_ROWS[1].replace("0341-551234", "0341-559999")
    result = cli("consignor", "import", write(tmp_path, "b.csv", [IKM_HEADER, IKM_ROWS[0],
                                                                 changed]))
    assert "0 added, 1 updated, 1 already registered" in result.output
    log = json.loads(cli("audit", "log", "--format", "json").output)
    assert log[-1]["action"] == "consignor.update"
    assert log[-1]["record"] == "consignor:IKM-0002"
    assert log[-1]["detail"] == {
        "phone": {"old": "+62341551234", "new": "+62341559999"}}


def test_every_bad_row_is_reported_with_file_and_line_and_nothing_is_written(
    cli, tmp_path, snapshot
):
    path = write(tmp_path, "ikm.csv", [
        IKM_HEADER,
        IKM_ROWS[0],
        "IKM-0003,Tas Anyaman,Ani,kriya,12345,,,,,,",
        "IKM-0004,Kopi Dampit,Budi,minuman,,,,,,,",
        "IKM-0005,Jamu,Citra,kuliner,,,,,,12-34,",
        IKM_ROWS[0],
    ])
    before = snapshot()
    result = cli("consignor", "import", path)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"Error: {path}:3: nib '12345' must be exactly 13 digits",
        f"{path}:4: sector 'minuman' must be one of kriya, fashion, kuliner, lainnya",
        f"{path}:5: account '12-34' must be a bank account number of 5 to 20 digits",
        f"{path}:6: IKM-0001 already appears on line 2",
    ]
    assert snapshot() == before


def test_hotels_import_from_xlsx_with_their_default_commission(cli, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["code", "name", "commission", "address", "phone", "phri_no"])
    sheet.append(["ATRIA", "Hotel Atria Malang", "20%", "Jl. Letjen S. Parman 87",
                  "0341-403388", "PHRI-014"])
    sheet.append(["TUGU", "Hotel Tugu Malang", "17.5%", "Jl. Tugu 3", "0341 363891", None])
    path = tmp_path / "hotels.xlsx"
    book.save(path)
    result = cli("hotel", "import", path)
    assert result.exit_code == 0, result.output
    listed = json.loads(cli("hotel", "list", "--format", "json").output)
    assert [(h["code"], h["commission"], h["phone"]) for h in listed] == [
        ("ATRIA", "20%", "+62341403388"), ("TUGU", "17.5%", "+62341363891")]
    assert "0 added, 0 updated, 2 already registered" in cli("hotel", "import", path).output


def test_a_product_of_an_unknown_consignor_is_a_bad_row(cli, tmp_path, snapshot):
    cli("consignor", "import", write(tmp_path, "ikm.csv", [IKM_HEADER, *IKM_ROWS]))
    path = write(tmp_path, "products.csv", [
        "sku,consignor,name,price,category",
        "BTK-001,IKM-0001,Batik Kendedes,Rp 450.000,kain",
        "KRM-001,IKM-0404,Vas Dinoyo,150000,keramik",
        "KRM-002,IKM-0002,Vas kecil,150.000.5,keramik",
    ])
    before = snapshot()
    result = cli("product", "import", path)
    assert result.exit_code == 2
    assert f"{path}:3: No IKM with code IKM-0404." in result.stderr
    assert f"{path}:4: price '150.000.5' is not a whole rupiah amount" in result.stderr
    assert snapshot() == before


def test_a_file_without_its_key_column_names_it(cli, tmp_path, snapshot):
    before = snapshot()
    result = cli("product", "import", write(tmp_path, "p.csv", ["name,price", "B,1"]))
    assert result.exit_code == 2
    assert f"{tmp_path / 'p.csv'}:1: missing column(s) sku (expected " in result.stderr
    assert snapshot() == before


def test_a_new_record_in_a_file_without_a_column_it_needs_names_the_field(
    cli, tmp_path, snapshot
):
    before = snapshot()
    result = cli("product", "import", write(tmp_path, "p.csv", ["sku,name,price", "A,B,1"]))
    assert result.exit_code == 2
    assert (f"{tmp_path / 'p.csv'}:2: A is not registered yet, and a new Product needs "
            "consignor") in result.stderr
    result = cli("consignor", "import", write(tmp_path, "c.csv", ["code,name", "IKM-0009,X"]))
    assert result.exit_code == 2
    assert (f"{tmp_path / 'c.csv'}:2: IKM-0009 is not registered yet, and a new IKM needs "
            "owner, sector") in result.stderr
    assert snapshot() == before


def test_a_column_left_out_changes_nothing_and_an_empty_cell_clears_its_field(cli, tmp_path):
    cli("consignor", "import", write(tmp_path, "a.csv", [IKM_HEADER, *IKM_ROWS]))
    result = cli("consignor", "import", write(tmp_path, "b.csv", [
        "code,email", "IKM-0001,", "IKM-0002,"]))
    assert result.exit_code == 0, result.output
    assert "0 added, 1 updated, 1 already registered" in result.output
    listed = {c["code"]: c for c in json.loads(cli("consignor", "list", "--format",
                                                    "json").output)}
    assert listed["IKM-0001"]["email"] is None
    assert listed["IKM-0001"]["phone"] == "+6281234567890"
    assert listed["IKM-0001"]["nib"] == "1234567890123"
    assert listed["IKM-0002"]["phone"] == "+62341551234"


def test_an_update_that_would_leave_a_bank_account_without_its_holder_is_refused(
    cli, tmp_path, snapshot
):
    cli("consignor", "import", write(tmp_path, "a.csv", [IKM_HEADER, *IKM_ROWS]))
    before = snapshot()
    path = write(tmp_path, "b.csv", ["code,holder", "IKM-0001,"])
    result = cli("consignor", "import", path)
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {path}:2: IKM IKM-0001: a bank account needs its bank, "
                             "account number and holder; holder is missing\n")
    assert snapshot() == before


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["sku,consignor,prcie", "A,IKM-0001,1"], ":1: unknown column(s) prcie (expected "),
        (["sku,name,,price", "A,B,,1"], ":1: the header has a blank column name (column 3)"),
        (["sku,name,name", "A,B,C"], ":1: the header names column(s) name more than once"),
        (["sku,consignor,name,price", "A,IKM-0001,B"], ":2: the row has 3 cells, the header 4"),
        (["sku,consignor,name,price", "A,IKM-0001," + "x" * 10_001 + ",1"],
         ":2: name is 10001 characters long; a cell holds at most 10.000"),
    ],
)
def test_a_malformed_file_is_refused_naming_the_line_and_writes_nothing(
    cli, tmp_path, snapshot, lines, message
):
    before = snapshot()
    path = write(tmp_path, "p.csv", lines)
    result = cli("product", "import", path)
    assert result.exit_code == 2
    assert f"{path}{message}" in result.stderr
    assert snapshot() == before


def test_a_file_with_a_nul_byte_is_refused(cli, tmp_path, snapshot):
    before = snapshot()
    path = tmp_path / "p.csv"
    path.write_bytes(b"sku,consignor,name,price\nA,IKM-0001,B\x00,1\n")
    result = cli("product", "import", path)
    assert result.exit_code == 2
    assert f"{path}:2: the file holds a NUL byte" in result.stderr
    assert snapshot() == before


@pytest.mark.parametrize("entity", ["hotel", "consignor", "product"])
def test_importing_a_file_that_does_not_exist_says_so(cli, tmp_path, entity):
    result = cli(entity, "import", tmp_path / "nope.csv")
    assert result.exit_code == 2
    assert "nope.csv: no such file" in result.stderr


def test_a_file_of_more_rows_than_a_registry_holds_is_refused_before_any_is_read_in(
        cli, tmp_path, monkeypatch):
    """A registry is thousands of rows; a file of far more (an export of something else, a
    runaway spreadsheet) is refused in one line, at once, rather than read in for an hour."""
    from consign import fields

    monkeypatch.setattr(fields, "REGISTRY_ROWS", 3)
    rows = [f"H{n},Hotel {n},20%" for n in range(4)]
    path = write(tmp_path, "hotels.csv", ["code,name,commission", *rows])
    refused = cli("hotel", "import", path)
    assert refused.exit_code == 2
    assert refused.output == (
        f"Error: {path} holds 4 rows; a registry file holds at most 3: split it into files "
        "of that many rows or fewer. Nothing was imported.\n")
    assert json.loads(cli("hotel", "list", "--format", "json").output) == []
    fits = write(tmp_path, "three.csv", ["code,name,commission", *rows[:3]])
    assert cli("hotel", "import", fits).exit_code == 0


@pytest.mark.parametrize("entity", ["hotel", "consignor", "product"])
def test_the_import_help_states_the_bound_the_service_holds_to(cli, entity):
    from consign import fields

    said = " ".join(cli(entity, "import", "--help").output.split())
    assert f"at most {fields.REGISTRY_ROWS:,} rows a file" in said
