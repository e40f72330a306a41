"""``audit log``: the attributable history, filtered by when an entry was recorded, by the
business moment of what it records, by who recorded it, and by the record it concerns
(a record's whole history, with the movements and payments that name it)."""

import json

import pytest

from consign.context import Context
from consign.errors import InvalidInput
from consign.services import audit_reports as reports
from consign.services import ledger
from tests.settlement_support import wib
from tests.test_audit_reports import closed_through_october, run, story  # noqa: F401


def records_of(entries) -> list[tuple[str, str]]:
    return [(e.action, e.record) for e in entries]


def test_a_hotel_record_shows_its_own_changes_and_the_movements_at_it(db, story):  # noqa: F811
    found = records_of(run(db, reports.entries, record="hotel:TUGU"))
    assert found[0] == ("hotel.add", "hotel:TUGU")
    assert [action for action, _ in found[1:]] == ["placed", "sold", "placed", "sold", "sold"]
    assert all(record.startswith("movement:") for _, record in found[1:])


def test_a_product_record_shows_the_movements_of_that_sku(db, story):  # noqa: F811
    found = run(db, reports.entries, record="product:krm-001")
    assert [e.action for e in found] == ["product.add", "placed", "sold", "sold"]
    assert all('"sku": "KRM-001"' in e.detail for e in found[1:])


def test_a_movement_record_shows_the_movement_and_its_void(db, story):  # noqa: F811
    sale = story.sell("ATRIA", "BTK-002", 1, at=wib("2020-12-01 10:00")).movement
    story.void(sale.id, "salah input", at=wib("2020-12-01 11:00"))
    found = records_of(run(db, reports.entries, record=f"movement:{sale.id}"))
    assert found == [("sold", f"movement:{sale.id}"), ("void", f"movement:{sale.id + 1}")]


def test_a_statement_record_shows_its_issue_its_close_and_its_payments(db, story):  # noqa: F811
    closed_through_october(story)
    story.pay("ST-000003", on="2020-11-20", ref="TRF-1", amount=200_000)
    entries = run(db, reports.entries, record="statement:st-000003")
    assert records_of(entries) == [("statement.issue", "statement:ST-000003"),
                                   ("period.close", "hotel:ATRIA"), ("payment.record", "payment:1")]
    assert entries[-1].at == wib("2020-11-20 00:00")  # the payment's day, not when typed in
    assert [e.action for e in run(db, reports.entries, from_="2020-11-20", to="2020-11-20")
            ] == ["payment.record"]


def test_entries_filter_by_actor_and_by_business_moment(db, story):  # noqa: F811
    budi = Context.make("Budi", now=wib("2020-12-15 12:00"))
    with db.transaction() as session:
        ledger.sell(session, budi, "ATRIA", "BTK-002", at=wib("2020-12-02 09:00"))
    assert records_of(run(db, reports.entries, actor="Budi")) == [("sold", "movement:16")]
    november = run(db, reports.entries, from_="2020-11-01", to="2020-11-30")
    assert [e.action for e in november] == ["placed", "placed", "sold", "sold", "sold", "lost",
                                            "damaged"]
    assert run(db, reports.entries, since="2020-12-16") == []
    assert len(run(db, reports.entries, since="2020-12-15")) == len(run(db, reports.entries))


def test_names_are_found_in_any_case_and_a_period_shows_its_closes(db, story):  # noqa: F811
    budi = Context.make("Budi", now=wib("2020-12-15 12:00"))
    with db.transaction() as session:
        ledger.sell(session, budi, "ATRIA", "BTK-002", at=wib("2020-12-02 09:00"))
    assert records_of(run(db, reports.entries, actor="BUDI")) == [("sold", "movement:16")]
    closed_through_october(story)
    assert records_of(run(db, reports.entries, record="period:2020-10")) == [
        ("period.close", "hotel:ATRIA")]
    with pytest.raises(InvalidInput, match="--to 2020-10-01 is before --from 2020-11-01"):
        run(db, reports.entries, from_="2020-11-01", to="2020-10-01")


@pytest.mark.parametrize("record, says", [
    ("ATRIA", "KIND:CODE"), ("planet:X", "KIND:CODE"), ("movement:abc", "record"),
    ("statement:42", "ST-000042"), ("hotel:", "KIND:CODE"),
])
def test_a_malformed_record_is_refused_naming_the_form(db, story, record, says):  # noqa: F811
    with pytest.raises(InvalidInput, match=says):
        run(db, reports.entries, record=record)


def test_the_command_filters_and_prints_json(cli, story):  # noqa: F811
    result = cli("audit", "log", "--record", "consignor:IKM-0002", "--from", "2020-08-01",
                 "--to", "2020-08-31", "--format", "json")
    assert result.exit_code == 0, result.output
    entries = json.loads(result.output)
    assert [(e["action"], e["detail"]["sku"]) for e in entries] == [
        ("placed", "KRM-001"), ("sold", "KRM-001")]
    refused = cli("audit", "log", "--record", "nonsense")
    assert refused.exit_code == 2 and "KIND:CODE" in refused.output


def test_the_table_says_what_each_entry_changed_field_by_field(cli, story):  # noqa: F811
    """A person reads ``phone: old → new``, not the values alone; JSON keeps the object."""
    edited = cli("consignor", "edit", "IKM-0002", "--phone", "0813-3300-4412")
    assert edited.exit_code == 0, edited.output
    table = cli("audit", "log", "--record", "consignor:IKM-0002", "--since", "2020-12-01")
    assert table.exit_code == 0, table.output
    [line] = [line for line in table.output.splitlines() if "consignor.update" in line]
    assert line.endswith("phone: +62341403388 → +6281333004412"), line
    found = json.loads(cli("audit", "log", "--record", "consignor:IKM-0002", "--since",
                           "2020-12-01", "--format", "json").output)
    assert found[-1]["detail"] == {"phone": {"old": "+62341403388", "new": "+6281333004412"}}


@pytest.mark.parametrize("record", [None, "hotel:TUGU", "product:KRM-001"])
def test_pages_of_the_newest_entries_are_the_log_read_backwards(db, story, record):  # noqa: F811
    """``newest`` pages through exactly what ``entries`` gives, newest first, whether the
    database chooses the entries alone or each is also tested (a record's history)."""
    every = run(db, reports.entries, record=record)[::-1]
    assert len(every) >= 4
    for count in (1, 3, len(every), len(every) + 1):
        pages, skip, more = [], 0, True
        while more:
            page, more = run(db, reports.newest, record=record, skip=skip, count=count)
            assert len(page) == count or not more
            pages += page
            skip += count
        assert pages == every
    assert run(db, reports.newest, record=record, skip=len(every), count=5) == ([], False)
