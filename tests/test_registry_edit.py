"""Editing hotels, IKM and products (``hotel edit``, ``consignor edit``, ``product edit``),
finding products (``product list --hotel --search``, ``product show``), and the terms a
pair's rate inherits from its hotel's default."""

import json
from datetime import date

import pytest
from sqlalchemy import select

from consign.errors import InvalidInput, NotFound
from consign.models import AuditEntry
from consign.services import registry, settlement, terms
from tests.ledger_support import wib


def as_json(result):
    assert result.exit_code == 0, result.output + result.stderr
    return json.loads(result.output)


def updates(db, record: str) -> list[dict]:
    """The detail of each ``*.update`` audit entry of ``record`` (``hotel:ATRIA``)."""
    with db.transaction(readonly=True) as session:
        return [json.loads(entry.detail) for entry in session.scalars(
            select(AuditEntry).where(AuditEntry.record == record,
                                     AuditEntry.action.like("%.update"))
            .order_by(AuditEntry.id))]


@pytest.fixture
def registered(make_hotel, make_consignor, make_product):
    make_hotel("ATRIA", phri_no="PHRI-MLG-014")
    make_consignor("IKM-0001", nib="1234567890123", email="sri@example.id",
                   phone="0812 3456 7890")
    make_product("BTK-001", price=150_000)


# ---- hotels -------------------------------------------------------------------------------

def test_a_hotel_edit_changes_the_fields_given_and_audits_old_and_new(cli, db, registered):
    result = cli("hotel", "edit", "ATRIA", "--name", "Hotel Atria Malang & Convention",
                 "--phone", "0341-403388")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "Hotel ATRIA: changed name, phone."
    assert "name        Hotel Atria Malang & Convention" in result.output
    shown = as_json(cli("hotel", "show", "ATRIA", "--format", "json"))
    assert (shown["name"], shown["phone"], shown["phri_no"], shown["address"]) == (
        "Hotel Atria Malang & Convention", "+62341403388", "PHRI-MLG-014",
        "Jl. Letjen S. Parman No. 87, Malang")
    assert updates(db, "hotel:ATRIA") == [{
        "name": {"old": "Hotel Atria Malang", "new": "Hotel Atria Malang & Convention"},
        "phone": {"old": "+62341417888", "new": "+62341403388"},
    }]


def test_an_empty_value_clears_an_optional_field_of_a_hotel(cli, db, registered):
    edited = as_json(cli("hotel", "edit", "ATRIA", "--phri-no", "", "--phone", " ",
                         "--address", "", "--format", "json"))
    assert (edited["phri_no"], edited["phone"], edited["address"]) == (None, None, "")
    assert edited["changed"] == ["address", "phone", "phri_no"]
    assert updates(db, "hotel:ATRIA")[0]["phri_no"] == {"old": "PHRI-MLG-014", "new": None}


def test_an_edit_that_changes_nothing_says_so_and_writes_nothing(cli, registered, snapshot):
    before = snapshot()
    result = cli("hotel", "edit", "ATRIA", "--name", "Hotel Atria Malang", "--phone",
                 "+62 341 417888")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "Hotel ATRIA: nothing to change; it already has these values.")
    assert as_json(cli("product", "edit", "BTK-001", "--price", "Rp150.000", "--format",
                       "json"))["changed"] == []
    assert snapshot() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("hotel", "edit", "ATRIA", "--name", ""), "name is blank"),
        (("hotel", "edit", "ATRIA", "--phone", "12345"), "phone '12345' must start with 0"),
        (("hotel", "edit", "ATRIA", "--phri-no", "x" * 41), "phri-no is 41 characters long"),
        (("hotel", "edit", "ATRIA"), "give at least one of --name, --address, --phone"),
        (("consignor", "edit", "IKM-0001", "--owner", "  "), "owner is blank"),
        (("consignor", "edit", "IKM-0001", "--nib", "123456789012"),
         "nib '123456789012' must be exactly 13 digits"),
        (("consignor", "edit", "IKM-0001", "--email", "sri.example.id"),
         "email 'sri.example.id' is not an e-mail address"),
        (("consignor", "edit", "IKM-0001", "--public", "maybe"), "'maybe' is not one of"),
        (("consignor", "edit", "IKM-0001", "--bank", "BNI"),
         "IKM IKM-0001: a bank account is changed as a whole: give its bank, account number "
         "and holder together, or clear all three (not given: account, holder)"),
        (("consignor", "edit", "IKM-0001", "--bank", "", "--account", "", "--holder", "Sri"),
         "IKM IKM-0001: a bank account needs its bank, account number and holder; bank, "
         "account is missing"),
        (("consignor", "edit", "IKM-0001", "--bank", "BNI", "--account", "12-34",
          "--holder", "Sri"), "account '12-34' must be a bank account number of 5 to 20"),
        (("product", "edit", "BTK-001", "--price", "150000,50"),
         "price '150000,50' is not a whole rupiah amount"),
        (("product", "edit", "BTK-001", "--price", "0"),
         "price Rp0 is not between Rp1 and Rp1.000.000.000"),
        (("product", "edit", "BTK-001", "--category", "k" * 61),
         "category is 61 characters long"),
        (("product", "edit", "btk 001", "--name", "X"), "may hold only letters, digits"),
    ],
)
def test_a_malformed_edit_exits_2_in_one_line_and_writes_nothing(cli, registered, snapshot,
                                                                  args, message):
    before = snapshot()
    result = cli(*args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert snapshot() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("hotel", "edit", "NOPE", "--name", "X"), "No hotel with code NOPE."),
        (("consignor", "edit", "IKM-9999", "--name", "X"), "No IKM with code IKM-9999."),
        (("product", "edit", "BTK-999", "--price", "1000"), "No product with SKU BTK-999."),
    ],
)
def test_editing_an_unknown_code_exits_1_saying_it_is_not_found(cli, registered, snapshot,
                                                                 args, message):
    before = snapshot()
    result = cli(*args)
    assert (result.exit_code, result.stderr.strip()) == (1, f"Error: {message}")
    assert snapshot() == before


def test_the_services_check_every_value_whoever_calls_them(db, ctx, registered):
    cases = [
        (lambda s: registry.edit_hotel(s, ctx, "ATRIA", phone="12345"), "phone"),
        (lambda s: registry.edit_hotel(s, ctx, "ATRIA", name="\x1b[31mX"), "name"),
        (lambda s: registry.edit_consignor(s, ctx, "IKM-0001", public="maybe"), "public"),
        (lambda s: registry.edit_consignor(s, ctx, "IKM-0001", holder="Sri"), "bank"),
        (lambda s: registry.edit_product(s, ctx, "BTK-001", price=-5), "price"),
        (lambda s: registry.edit_product(s, ctx, "BTK-001", name=""), "name"),
    ]
    for call, field in cases:
        with pytest.raises(InvalidInput) as refused, db.transaction() as session:
            call(session)
        assert refused.value.field == field
    with pytest.raises(NotFound), db.transaction() as session:
        registry.edit_hotel(session, ctx, "TUGU", name="Hotel Tugu")


# ---- IKM ----------------------------------------------------------------------------------

def test_a_consignors_bank_account_is_changed_or_cleared_as_a_whole(cli, db, registered):
    changed = as_json(cli("consignor", "edit", "IKM-0001", "--bank", "BNI", "--account",
                          "0231-456.789", "--holder", "Sri Wahyuni S.", "--format", "json"))
    assert (changed["bank"], changed["account"], changed["holder"]) == (
        "BNI", "0231456789", "Sri Wahyuni S.")
    assert changed["changed"] == ["bank", "account", "holder"]
    cleared = as_json(cli("consignor", "edit", "IKM-0001", "--bank", "", "--account", "",
                          "--holder", "", "--format", "json"))
    assert (cleared["bank"], cleared["account"], cleared["holder"]) == (None, None, None)
    assert updates(db, "consignor:IKM-0001")[1] == {
        "bank": {"old": "BNI", "new": None}, "account": {"old": "0231456789", "new": None},
        "holder": {"old": "Sri Wahyuni S.", "new": None}}


def test_a_consignor_edit_clears_optional_contacts_and_sets_its_public_consent(cli, db,
                                                                               registered):
    assert as_json(cli("consignor", "show", "IKM-0001", "--format", "json"))["public"] is False
    edited = as_json(cli("consignor", "edit", "IKM-0001", "--nib", "", "--email", "",
                         "--phone", "", "--public", "yes", "--owner", "Sri Wahyuningsih",
                         "--format", "json"))
    assert {key: edited[key] for key in ("nib", "email", "phone", "public", "owner")} == {
        "nib": None, "email": None, "phone": None, "public": True,
        "owner": "Sri Wahyuningsih"}
    assert updates(db, "consignor:IKM-0001")[0]["public"] == {"old": False, "new": True}
    assert as_json(cli("consignor", "show", "IKM-0001", "--format", "json"))["public"] is True
    table = cli("consignor", "edit", "IKM-0001", "--public", "no")
    assert table.output.splitlines()[0] == "IKM IKM-0001: changed public."


# ---- products -----------------------------------------------------------------------------

def test_a_new_list_price_leaves_the_price_of_goods_already_placed(cli, book, registered):
    book.place("ATRIA", "IKM-0001", [("BTK-001", 3, None)], at=wib("2020-10-01 09:00"))
    edited = cli("product", "edit", "BTK-001", "--price", "Rp175.000")
    assert edited.exit_code == 0, edited.output
    assert edited.output.splitlines()[0] == "Product BTK-001: changed price."
    assert "price      Rp175.000" in edited.output
    sale = book.sell("ATRIA", "BTK-001", 1, at=wib("2020-10-05 10:00")).movement
    assert sale.unit_price == 150_000  # the placement's price, not the new list price
    book.place("ATRIA", "IKM-0001", [("BTK-001", 1, None)], at=wib("2020-10-06 09:00"))
    assert [(m.kind, m.unit_price) for m in book.movements()] == [
        ("placed", 150_000), ("sold", 150_000), ("placed", 175_000)]


def test_an_issued_statement_keeps_the_names_it_was_issued_with(db, ctx, issued):
    with db.transaction() as session:
        registry.edit_hotel(session, ctx, "ATRIA", name="Atria Hotel & Conference")
        registry.edit_consignor(session, ctx, "IKM-0001", name="Batik Celaket Jaya",
                                bank="BNI", account="0231456789", holder="Sri W.")
        registry.edit_product(session, ctx, "BTK-001", name="Batik Kendedes baru",
                              price=200_000)
    with db.transaction(readonly=True) as session:
        statement = settlement.get_statement(session, "ST-000001")
        assert (statement.hotel_name, statement.consignor_name, statement.bank,
                statement.account) == ("Hotel Atria Malang", "Batik Tulis Celaket", "BRI",
                                       "002101000123567")
        assert {line.name for line in statement.lines if line.sku == "BTK-001"} == {
            "Batik tulis motif Kendedes"}
        assert {line.unit_price for line in statement.lines if line.sku == "BTK-001"} == {
            150_000}


def test_product_search_matches_sku_or_name_in_any_case_and_wildcards_literally(
    cli, make_product
):
    make_product("TAS-001", name="Tas pandan 100% alami", price=90_000)
    make_product("TAS-002", name="Tas pandan 1000 anyam", price=95_000)
    make_product("TAS-003", name="Tas_pandan", price=95_000)
    make_product("TASX003", name="Taspandan", price=95_000)
    make_product("KRM-001", consignor="IKM-0002", name="Vas keramik TAS", price=75_000)

    def found(*args):
        return [row["sku"] for row in as_json(cli("product", "list", *args, "--format",
                                                  "json"))]

    assert found("--search", "PANDAN") == ["TAS-001", "TAS-002", "TAS-003", "TASX003"]
    assert found("--search", "100%") == ["TAS-001"]
    assert found("--search", "s_p") == ["TAS-003"]
    assert found("--search", "tas") == ["KRM-001", "TAS-001", "TAS-002", "TAS-003",
                                        "TASX003"]
    assert found("--search", "krm-0") == ["KRM-001"]
    assert found("--search", "tas", "--consignor", "IKM-0002") == ["KRM-001"]
    assert found("--search", "batik") == []
    blank = cli("product", "list", "--search", " ")
    assert blank.exit_code == 2 and "search is blank" in blank.stderr


def test_product_list_for_a_hotel_shows_what_was_ever_placed_there_with_units_on_hand(
    cli, book, shop
):
    book.place("ATRIA", "IKM-0001", [("BTK-001", 3, None), ("BTK-002", 1, None)],
               at=wib("2020-10-01 09:00"))
    book.place("TUGU", "IKM-0002", [("KRM-001", 4, None)], at=wib("2020-10-01 09:00"))
    book.sell("ATRIA", "BTK-002", 1, at=wib("2020-10-02 09:00"))
    listed = as_json(cli("product", "list", "--hotel", "ATRIA", "--format", "json"))
    assert [(row["sku"], row["on_hand"]) for row in listed] == [("BTK-001", 3), ("BTK-002", 0)]
    assert as_json(cli("product", "list", "--hotel", "TUGU", "--search", "vas", "--format",
                       "json"))[0]["on_hand"] == 4
    assert "on_hand" not in as_json(cli("product", "list", "--format", "json"))[0]
    table = cli("product", "list", "--hotel", "ATRIA").output.splitlines()
    assert table[0].split() == ["sku", "consignor", "name", "category", "price", "active",
                                "on_hand"]
    unknown = cli("product", "list", "--hotel", "NOPE")
    assert (unknown.exit_code, unknown.stderr.strip()) == (1, "Error: No hotel with code NOPE.")


def test_product_show_says_which_hotels_have_its_goods_on_hand(cli, book, shop):
    book.place("ATRIA", "IKM-0001", [("BTK-001", 3, None)], at=wib("2020-10-01 09:00"))
    book.place("TUGU", "IKM-0001", [("BTK-001", 2, None)], at=wib("2020-10-01 09:00"))
    book.sell("TUGU", "BTK-001", 2, at=wib("2020-10-02 09:00"))
    assert as_json(cli("product", "show", "BTK-001", "--format", "json"))["at_hotels"] == [
        {"hotel": "ATRIA", "on_hand": 3}]
    book.place("TUGU", "IKM-0001", [("BTK-001", 5, None)], at=wib("2020-10-03 09:00"))
    shown = cli("product", "show", "BTK-001").output.splitlines()
    assert shown[-4:] == ["hotel  on_hand", "-----  -------", "ATRIA        3",
                          "TUGU         5"]
    assert as_json(cli("product", "show", "BTK-002", "--format", "json"))["at_hotels"] == []


# ---- terms ----------------------------------------------------------------------------------

def test_a_pair_rate_without_its_own_terms_takes_the_hotel_defaults_on_its_first_day(
    cli, make_hotel, make_consignor
):
    make_hotel("ATRIA", commission_bp=None)
    make_consignor("IKM-0001")
    default = as_json(cli("terms", "set", "--hotel", "ATRIA", "--commission", "20%", "--from",
                          "2020-01-01", "--format", "json"))
    assert (default["display_days"], default["payment_days"]) == (90, 14)
    later = as_json(cli("terms", "set", "--hotel", "ATRIA", "--commission", "20%", "--from",
                        "2020-07-01", "--display-days", "60", "--payment-days", "30",
                        "--format", "json"))
    assert (later["display_days"], later["payment_days"]) == (60, 30)

    def pair(*args):
        return as_json(cli("terms", "set", "--hotel", "ATRIA", "--consignor", "IKM-0001",
                           "--commission", "15%", *args, "--format", "json"))

    first = pair("--from", "2020-03-01", "--to", "2020-06-30")
    assert (first["display_days"], first["payment_days"]) == (90, 14)
    second = pair("--from", "2020-07-01", "--to", "2020-09-30", "--payment-days", "21")
    assert (second["display_days"], second["payment_days"]) == (60, 21)
    third = pair("--from", "2020-10-01", "--display-days", "45")
    assert (third["display_days"], third["payment_days"]) == (45, 30)


def test_a_pair_rate_at_a_hotel_without_default_terms_takes_the_standard_terms(
    db, ctx, make_hotel, make_consignor
):
    make_hotel("ATRIA", commission_bp=None)
    make_consignor("IKM-0001")
    with db.transaction() as session:
        record = terms.set_terms(session, ctx, "ATRIA", 1500, consignor="IKM-0001",
                                 valid_from=date(2020, 10, 1))
    assert (record.display_days, record.payment_days) == (90, 14)



# ---- an IKM's public profile: its description and its consent to show its contact ---------

GERABAH = "Gerabah dan keramik tangan dari sentra Dinoyo, Malang, sejak 1957."


def test_an_ikm_is_registered_with_its_description_and_its_contact_kept_private_by_default(
        cli, db, registered):
    added = as_json(cli("consignor", "add", "IKM-0009", "--name", "Gerabah Dinoyo",
                        "--owner", "Bu Wati", "--sector", "kriya", "--description",
                        f"  {GERABAH}  ", "--format", "json"))
    assert (added["description"], added["public_contact"], added["public"]) == (
        GERABAH, False, False)
    agreed = as_json(cli("consignor", "add", "IKM-0010", "--name", "Tenun Arema", "--owner",
                         "Dewi", "--sector", "fashion", "--public-contact", "yes",
                         "--format", "json"))
    assert (agreed["description"], agreed["public_contact"]) == ("", True)
    listed = {row["code"]: row for row in as_json(cli("consignor", "list", "--format", "json"))}
    assert listed["IKM-0009"]["description"] == GERABAH
    assert listed["IKM-0010"]["public_contact"] is True


def test_an_edit_sets_and_clears_the_description_and_the_contact_consent_audited(cli, db,
                                                                                registered):
    table = cli("consignor", "edit", "IKM-0001", "--description", GERABAH,
                "--public-contact", "yes")
    assert table.exit_code == 0, table.output
    assert table.output.splitlines()[0] == "IKM IKM-0001: changed description, public_contact."
    assert f"description     {GERABAH}" in table.output
    shown = as_json(cli("consignor", "show", "IKM-0001", "--format", "json"))
    assert (shown["description"], shown["public_contact"]) == (GERABAH, True)
    cleared = as_json(cli("consignor", "edit", "IKM-0001", "--description", "",
                          "--public-contact", "no", "--format", "json"))
    assert (cleared["description"], cleared["public_contact"]) == ("", False)
    assert cleared["changed"] == ["description", "public_contact"]
    assert updates(db, "consignor:IKM-0001") == [
        {"description": {"old": "", "new": GERABAH},
         "public_contact": {"old": False, "new": True}},
        {"description": {"old": GERABAH, "new": ""},
         "public_contact": {"old": True, "new": False}},
    ]


def test_a_description_is_one_paragraph_of_at_most_500_printable_characters(db, ctx,
                                                                            registered):
    with db.transaction() as session:
        edit = registry.edit_consignor(session, ctx, "IKM-0001",
                                       description="Batik tulis.\r\n  Pewarna alam.\nMalang")
    assert edit.record.description == "Batik tulis. Pewarna alam. Malang"
    with db.transaction() as session:
        exact = registry.edit_consignor(session, ctx, "IKM-0001", description="b" * 500)
    assert len(exact.record.description) == 500
    for bad, words in (("b" * 501, "description is 501 characters long; at most 500"),
                       ("Batik \x1b[31mmerah", "description holds a control character "
                                               "(U+001B)"),
                       ("Batik\u202egnirts", "description holds a control character "
                                             "(U+202E)"),
                       ("Batik\ttulis", "description holds a control character (U+0009)")):
        with pytest.raises(InvalidInput) as refused, db.transaction() as session:
            registry.edit_consignor(session, ctx, "IKM-0001", description=bad)
        assert (refused.value.field, words in refused.value.message) == ("description", True)
    with pytest.raises(InvalidInput) as refused, db.transaction() as session:
        registry.edit_consignor(session, ctx, "IKM-0001", public_contact="maybe")
    assert refused.value.field == "public_contact"
    with db.transaction(readonly=True) as session:
        assert registry.consignor(session, "IKM-0001").description == "b" * 500


def test_a_malformed_description_or_consent_at_the_command_line_exits_2_writing_nothing(
        cli, registered, snapshot):
    before = snapshot()
    long = cli("consignor", "edit", "IKM-0001", "--description", "d" * 501)
    assert long.exit_code == 2 and "description is 501 characters long" in long.stderr
    maybe = cli("consignor", "edit", "IKM-0001", "--public-contact", "maybe")
    assert maybe.exit_code == 2 and "'maybe' is not one of" in maybe.stderr
    assert snapshot() == before


def test_the_consignor_import_reads_the_description_and_the_contact_consent(cli, db,
                                                                            registered,
                                                                            tmp_path):
    sheet = tmp_path / "ikm.csv"
    sheet.write_text("code,name,owner,sector,description,public_contact\n"
                     f"IKM-0001,Batik Tulis Celaket,Sri Wahyuni,fashion,\"{GERABAH}\",yes\n"
                     "IKM-0020,Topeng Asmorobangun,Tri,kriya,Topeng Malangan,\n")
    result = cli("consignor", "import", str(sheet))
    assert result.exit_code == 0, result.output + result.stderr
    with db.transaction(readonly=True) as session:
        first, new = (registry.consignor(session, code) for code in ("IKM-0001", "IKM-0020"))
    assert (first.description, first.public_contact) == (GERABAH, True)
    assert (new.description, new.public_contact) == ("Topeng Malangan", False)
    again = cli("consignor", "import", str(sheet), "--format", "json")
    assert as_json(again) == {"added": 0, "updated": 0, "unchanged": 2}
    bad = tmp_path / "bad.csv"
    bad.write_text(f"code,description,public_contact\nIKM-0001,{'x' * 501},maybe\n")
    refused = cli("consignor", "import", str(bad))
    assert refused.exit_code == 2
    assert "bad.csv:2" in refused.stderr and "description is 501 characters" in refused.stderr
