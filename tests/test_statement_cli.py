"""settle, close and statement commands as a user types them: the JSON shapes of SPEC
section 5 with the hand-computed figures, the files written, and every refusal."""

import hashlib
import json

import pytest
from pypdf import PdfReader

from tests import settlement_support
from tests.settlement_support import OCT, close, last_october_sale, october


@pytest.fixture
def recorded(office, atria):
    october(office)
    last_october_sale(office)
    return office


@pytest.fixture
def closed(recorded):
    """October closed on 2 November 2020 (the command line would close it today)."""
    close(recorded, OCT, "2020-11-02 10:00")
    recorded.now = settlement_support.wib("2020-12-15 12:00")


def run_json(cli, *args):
    result = cli(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


SUMMARY_KEYS = ["number", "hotel", "consignor", "period", "status", "gross", "commission",
                "opening_balance", "net"]
TABLE_KEYS = SUMMARY_KEYS + ["owed", "overdue"]


def test_settle_prints_the_drafts_as_json(recorded, cli):
    drafts = run_json(cli, "settle", "2020-10")
    assert [{key: d[key] for key in SUMMARY_KEYS} for d in drafts] == [
        {"number": None, "hotel": "ATRIA", "consignor": "IKM-0001", "period": "2020-10",
         "status": "draft", "gross": 865_000, "commission": 160_750, "opening_balance": 0,
         "net": 704_250},
        {"number": None, "hotel": "ATRIA", "consignor": "IKM-0002", "period": "2020-10",
         "status": "draft", "gross": 20_220, "commission": 3_539, "opening_balance": 0,
         "net": 16_681},
        {"number": None, "hotel": "ATRIA", "consignor": "IKM-0003", "period": "2020-10",
         "status": "draft", "gross": 0, "commission": 0, "opening_balance": 0, "net": 0},
    ]


def test_settle_prints_a_table_with_rupiah(recorded, cli):
    table = cli("settle", "2020-10", "--hotel", "ATRIA").output.splitlines()
    assert table[0].split() == TABLE_KEYS
    assert table[2].split() == ["-", "ATRIA", "IKM-0001", "2020-10", "draft", "Rp865.000",
                                "Rp160.750", "Rp0", "Rp704.250", "Rp0", "no"]


def test_close_issues_numbered_statements(recorded, cli):
    closed = run_json(cli, "close", "2020-10", "--hotel", "ATRIA")
    assert [(s["number"], s["status"], s["net"]) for s in closed] == [
        ("ST-000001", "issued", 704_250), ("ST-000002", "issued", 16_681),
        ("ST-000003", "issued", 0)]


def test_statement_show_gives_lines_stock_and_hash(closed, cli):
    shown = run_json(cli, "statement", "show", "ST-000001")
    assert {key: shown[key] for key in SUMMARY_KEYS} == {
        "number": "ST-000001", "hotel": "ATRIA", "consignor": "IKM-0001", "period": "2020-10",
        "status": "issued", "gross": 865_000, "commission": 160_750, "opening_balance": 0,
        "net": 704_250}
    line_keys = ["kind", "date", "sku", "qty", "unit_price", "amount", "rate"]
    assert [{k: line[k] for k in line_keys} for line in shown["lines"]] == [
        {"kind": "sale", "date": "2020-10-05", "sku": "BTK-001", "qty": 2,
         "unit_price": 150_000, "amount": 300_000, "rate": "20%"},
        {"kind": "sale", "date": "2020-10-10", "sku": "BTK-002", "qty": 1,
         "unit_price": 75_000, "amount": 75_000, "rate": "20%"},
        {"kind": "sale", "date": "2020-10-20", "sku": "BTK-002", "qty": 3,
         "unit_price": 85_000, "amount": 255_000, "rate": "17.5%"},
        {"kind": "loss", "date": "2020-10-22", "sku": "BTK-002", "qty": 1,
         "unit_price": 85_000, "amount": 85_000, "rate": "17.5%"},
        {"kind": "sale", "date": "2020-10-25", "sku": "BTK-001", "qty": 1,
         "unit_price": 150_000, "amount": 150_000, "rate": "17.5%"},
    ]
    stock_keys = ["sku", "opening", "placed", "sold", "returned", "lost", "counted",
                  "corrected", "closing"]
    assert [{k: row[k] for k in stock_keys} for row in shown["stock"]] == [
        {"sku": "BTK-001", "opening": 0, "placed": 10, "sold": 3, "returned": 0, "lost": 1,
         "counted": 0, "corrected": 0, "closing": 6},
        {"sku": "BTK-002", "opening": 0, "placed": 20, "sold": 4, "returned": 0, "lost": 1,
         "counted": 0, "corrected": 0, "closing": 15},
    ]
    assert len(shown["pdf_sha256"]) == 64
    assert (shown["issued_on"], shown["due_on"]) == ("2020-11-02", "2020-11-16")


def test_a_draft_has_no_pdf_hash_in_its_json(recorded, cli):
    draft = run_json(cli, "settle", "2020-10")[0]
    assert "pdf_sha256" not in draft and "verification_code" not in draft


def test_statement_show_gives_the_code_printed_on_the_pdf(closed, cli, tmp_path):
    """The code an owner or a bank types into verify: SHA-256 of the statement's own
    figures (SPEC section 4), as the issued PDF prints it and the table shows it."""
    shown = run_json(cli, "statement", "show", "ST-000001")
    text = "ST-000001|ATRIA|IKM-0001|2020-10|865000|160750|0|704250"
    digest = hashlib.sha256(text.encode()).hexdigest()[:12].upper()
    code = f"{digest[:4]} {digest[4:8]} {digest[8:]}"
    assert shown["verification_code"] == code
    assert cli("statement", "pdf", "ST-000001", "--out", str(tmp_path)).exit_code == 0
    (written,) = tmp_path.glob("*.pdf")
    printed = " ".join(page.extract_text() for page in PdfReader(written).pages)
    assert code in " ".join(printed.split())
    table = cli("statement", "show", "ST-000001")
    assert table.exit_code == 0 and f"verification_code  {code}" in table.output
    verified = cli("statement", "verify", "--code", "ST-000001", code.lower())
    assert verified.exit_code == 0, verified.output


def test_statement_list_filters_and_writes_csv(closed, cli):
    assert [s["number"] for s in run_json(cli, "statement", "list", "--consignor",
                                          "IKM-0002")] == ["ST-000002"]
    assert run_json(cli, "statement", "list", "--status", "paid") == []
    rows = cli("statement", "list", "--format", "csv").output.splitlines()
    assert rows[0].startswith(",".join(SUMMARY_KEYS))
    assert rows[1].startswith("ST-000001,ATRIA,IKM-0001,2020-10,issued,865000,160750,0,704250")


def test_statement_pdf_writes_files_named_after_their_numbers(closed, cli, tmp_path):
    out = tmp_path / "new" / "folder"
    result = cli("statement", "pdf", "--period", "2020-10", "--out", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "ST-000001.pdf", "ST-000002.pdf", "ST-000003.pdf"]
    verified = cli("statement", "verify", out / "ST-000002.pdf")
    assert verified.exit_code == 0
    assert "is statement ST-000002 (ATRIA / IKM-0002, 2020-10), unaltered" in verified.output


def test_statement_pdf_of_one_number_in_english(closed, cli, tmp_path):
    out = tmp_path / "out"
    result = cli("statement", "pdf", "ST-000001", "--out", out, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.iterdir()] == ["ST-000001.pdf"]
    assert cli("statement", "verify", out / "ST-000001.pdf").exit_code == 0


def test_statement_pdf_consolidated_writes_one_file_per_ikm(closed, cli, tmp_path):
    out = tmp_path / "out"
    result = cli("statement", "pdf", "--period", "2020-10", "--consolidated", "--out", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "IKM-0001_2020-10.pdf", "IKM-0002_2020-10.pdf", "IKM-0003_2020-10.pdf"]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_verify_accepts_a_consolidated_statement_as_consign_wrote_it(closed, cli, tmp_path,
                                                                    lang):
    cli("statement", "pdf", "--period", "2020-10", "--consolidated", "--out", tmp_path,
        "--lang", lang)
    result = cli("statement", "verify", tmp_path / "IKM-0001_2020-10.pdf")
    assert result.exit_code == 0, result.output
    assert "is the consolidated statement of IKM-0001 for 2020-10 (statements ST-000001)" \
        in result.output
    data = bytearray((tmp_path / "IKM-0001_2020-10.pdf").read_bytes())
    data[data.index(b"704.250")] = ord("9")
    (tmp_path / "copy.pdf").write_bytes(bytes(data))
    assert cli("statement", "verify", tmp_path / "copy.pdf").exit_code == 1


def test_verify_rejects_a_modified_copy_with_exit_1(closed, cli, tmp_path):
    cli("statement", "pdf", "ST-000001", "--out", tmp_path)
    data = bytearray((tmp_path / "ST-000001.pdf").read_bytes())
    data[data.index(b"704.250")] = ord("9")
    (tmp_path / "copy.pdf").write_bytes(bytes(data))
    result = cli("statement", "verify", tmp_path / "copy.pdf", "--format", "json")
    assert result.exit_code == 1
    verdict = json.loads(result.output)
    assert (verdict["number"], verdict["unaltered"]) == ("ST-000001", False)


def test_pay_records_once_then_refuses(closed, cli):
    paid = run_json(cli, "statement", "pay", "ST-000001", "--on", "2020-11-10",
                    "--ref", "BRI-TRF-0042")
    assert (paid["status"], paid["paid_on"], paid["pay_ref"]) == (
        "paid", "2020-11-10", "BRI-TRF-0042")
    again = cli("statement", "pay", "ST-000001", "--on", "2020-11-11", "--ref", "X")
    assert again.exit_code == 1
    assert again.stderr == ("Error: Statement ST-000001 is already paid in full (Rp704.250, "
                            "completed on 2020-11-10, ref BRI-TRF-0042).\n")


@pytest.mark.parametrize("args, code, message", [
    (["statement", "show", "ST-000009"], 1, "No issued statement ST-000009"),
    (["statement", "show", "42"], 2, "statement number '42' is not of the form ST-000042"),
    (["statement", "pdf"], 2, "give either a statement NUMBER or --period"),
    (["statement", "pdf", "ST-000001", "--period", "2020-10"], 2, "not both"),
    (["statement", "pdf", "ST-000001", "--consolidated"], 2, "--consolidated needs --period"),
    (["statement", "pdf", "--period", "2020-09"], 1, "No statements for 2020-09"),
    (["statement", "pdf", "--period", "2020-09", "--consolidated"], 1,
     "No issued statements for 2020-09"),
    (["statement", "pdf", "ST-000001", "--lang", "fr"], 2, "'fr' is not one of"),
    (["statement", "pay", "ST-000001", "--on", "2020-11-01", "--ref", "X"], 1,
     "it was issued on"),
    (["statement", "pay", "ST-000001", "--on", "2099-12-31", "--ref", "X"], 2,
     "payment date 2099-12-31 is in the future"),
    (["statement", "pay", "ST-000001", "--on", "2999-01-01", "--ref", "X"], 2,
     "Invalid value for '--on': on '2999-01-01' is outside the dates consign accepts"),
    (["statement", "pay", "ST-000001", "--on", "2020-11-31", "--ref", "X"], 2,
     "Invalid value for '--on': on '2020-11-31' is not a date; write it as 2020-10-05, "
     "2020-10-05 14:30, 05/10/2020 14.30 or 5 Oktober 2020"),
    (["statement", "pay", "ST-000001", "--on", "2020-12-01", "--ref", " "], 2,
     "Invalid value for '--ref': ref is blank"),
    (["statement", "list", "--status", "void"], 2, "'void' is not one of"),
    (["close", "2020-10", "--hotel", "ATRIA"], 1, "2020-10 is already closed for ATRIA"),
    (["close", "2099-12", "--hotel", "ATRIA"], 1, "before the month is over"),
    (["close", "2999-01", "--hotel", "ATRIA"], 2,
     "period '2999-01' is outside the periods consign accepts (2000-01 to 2099-12)"),
    (["close", "2020-13", "--hotel", "ATRIA"], 2, "period '2020-13' is not a month"),
    (["close", "2020-11"], 2, "Missing option '--hotel'"),
    (["close", "2020-11", "--hotel", "NOPE"], 1, "No hotel with code NOPE"),
    (["settle", "2020-11", "--hotel", "NOPE"], 1, "No hotel with code NOPE"),
])
def test_every_refusal_says_what_is_wrong(closed, cli, args, code, message):
    result = cli(*args)
    assert result.exit_code == code, result.output
    assert message in result.output


def test_close_out_of_order_exits_1(recorded, cli):
    result = cli("close", "2020-11", "--hotel", "ATRIA")
    assert result.exit_code == 1
    assert "Periods close in order: close 2020-10 first." in result.output


def test_verify_of_a_missing_file_exits_2(cli, tmp_path):
    result = cli("statement", "verify", tmp_path / "nothing.pdf")
    assert result.exit_code == 2
    assert f"{tmp_path / 'nothing.pdf'}: no such file" in result.output


def test_close_says_what_it_issued(recorded, cli):
    result = cli("close", "2020-10", "--hotel", "ATRIA")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[2].split()[:5] == ["ST-000001", "ATRIA", "IKM-0001", "2020-10", "issued"]
    assert lines[-1] == "2020-10 is closed for ATRIA: 3 statement(s) issued."


def test_statement_pdf_of_a_period_writes_drafts_under_their_pair(recorded, cli, tmp_path):
    cli("settle", "2020-10")
    result = cli("statement", "pdf", "--period", "2020-10", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "Wrote 3 PDF file(s)" in result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "draft_ATRIA_IKM-0001_2020-10.pdf", "draft_ATRIA_IKM-0002_2020-10.pdf",
        "draft_ATRIA_IKM-0003_2020-10.pdf"]
    verdict = cli("statement", "verify", tmp_path / "out" / "draft_ATRIA_IKM-0001_2020-10.pdf")
    assert verdict.exit_code == 1
    assert "is not a document issued here" in verdict.output
