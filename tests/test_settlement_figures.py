"""Statements computed by hand, to the rupiah: three months at ATRIA (see
``settlement_support``). Every figure below was worked out on paper from the story, e.g.
IKM-0001 in October: 20% on 300.000 + 75.000 = 375.000 gives 75.000; 17.5% on
255.000 + 85.000 + 150.000 = 490.000 gives 85.750; commission 160.750; net 704.250."""

from datetime import date

from consign.services import check
from tests.settlement_support import (
    DEC,
    NOV,
    OCT,
    by_consignor,
    close,
    last_october_sale,
    lines,
    november,
    october,
    stock,
    three_months,
    totals,
    wib,
)


def test_october_statements_have_sales_a_discount_losses_two_rates_and_a_rounded_half(
    office, atria
):
    october(office)
    last_october_sale(office)
    issued = by_consignor(close(office, OCT, "2020-11-02 10:00"))

    batik = issued["IKM-0001"]
    assert totals(batik) == ("ST-000001", "IKM-0001", "issued", 865_000, 160_750, 0, 704_250)
    assert lines(batik) == [
        ("sale", "2020-10-05", "BTK-001", 2, 150_000, 300_000, 2000),
        ("sale", "2020-10-10", "BTK-002", 1, 75_000, 75_000, 2000),  # the discounted sale
        ("sale", "2020-10-20", "BTK-002", 3, 85_000, 255_000, 1750),
        ("loss", "2020-10-22", "BTK-002", 1, 85_000, 85_000, 1750),  # hotel-liable loss
        ("sale", "2020-10-25", "BTK-001", 1, 150_000, 150_000, 1750),
    ]  # the sale of 12 October, voided on the 14th, is not there
    assert stock(batik) == [
        ("BTK-001", 0, 10, 3, 0, 1, 0, 0, 6),  # the consignor-liable damage: stock only
        ("BTK-002", 0, 20, 4, 0, 1, 0, 0, 15),
    ]

    keripik = issued["IKM-0002"]
    # 17.5% of 20.220 is 3.538,5: rounded half away from zero to 3.539 (round() gives 3.538)
    assert totals(keripik) == ("ST-000002", "IKM-0002", "issued", 20_220, 3_539, 0, 16_681)
    assert lines(keripik) == [("sale", "2020-10-15", "KRP-001", 2, 10_110, 20_220, 1750)]
    assert stock(keripik) == [("KRP-001", 0, 10, 2, 0, 0, 0, 0, 8)]

    tas = issued["IKM-0003"]
    assert totals(tas) == ("ST-000003", "IKM-0003", "issued", 0, 0, 0, 0)
    assert lines(tas) == []
    assert stock(tas) == [("TAS-001", 0, 5, 0, 0, 0, 0, 0, 5)]


def test_october_draft_shows_two_commission_groups(office, atria):
    october(office)
    last_october_sale(office)
    batik = by_consignor(office.settle(OCT))["IKM-0001"]
    from consign.services.documents import build_statement_view

    groups = [(g.rate_bp, g.amount, g.commission) for g in build_statement_view(batik).groups]
    assert groups == [(1750, 490_000, 85_750), (2000, 375_000, 75_000)]


def test_november_has_a_correction_at_the_original_rate_and_carries_a_negative_net(
    office, atria, tmp_path
):
    ids = october(office)
    last_october_sale(office)
    close(office, OCT, "2020-11-02 10:00")
    november(office, ids["keripik"], tmp_path)
    issued = by_consignor(close(office, NOV, "2020-12-02 10:00"))

    batik = issued["IKM-0001"]
    assert totals(batik) == ("ST-000004", "IKM-0001", "issued", 235_000, 41_125, 0, 193_875)
    assert lines(batik) == [
        ("loss", "2020-11-30", "BTK-002", 1, 85_000, 85_000, 1750),  # count shortage
        ("sale", "2020-11-30", "BTK-001", 1, 150_000, 150_000, 1750),  # 23:30 WIB
    ]
    assert stock(batik) == [
        ("BTK-001", 6, 0, 1, 0, 0, 0, 0, 5),
        ("BTK-002", 15, 0, 0, 0, 0, -1, 0, 14),
    ]

    keripik = issued["IKM-0002"]
    # 15% of 10.110 = 1.516,5 -> 1.517; 17.5% of -20.220 = -3.538,5 -> -3.539 (mirrors October)
    assert totals(keripik) == ("ST-000005", "IKM-0002", "issued", -10_110, -2_022, 0, -8_088)
    assert lines(keripik) == [
        ("correction", "2020-11-03", "KRP-001", -2, 10_110, -20_220, 1750),
        ("sale", "2020-11-09", "KRP-001", 1, 10_110, 10_110, 1500),
    ]
    assert stock(keripik) == [("KRP-001", 8, 0, 1, 0, 0, 0, 2, 9)]

    tas = issued["IKM-0003"]  # stock but no movement: a nil statement with its stock table
    assert totals(tas) == ("ST-000006", "IKM-0003", "issued", 0, 0, 0, 0)
    assert lines(tas) == []
    assert stock(tas) == [("TAS-001", 5, 0, 0, 0, 0, 0, 0, 5)]


def test_december_drafts_consume_the_carried_negative_net(office, atria, tmp_path):
    three_months(office, tmp_path)
    drafts = by_consignor(office.statements(DEC))

    batik = drafts["IKM-0001"]  # the sale at 00:30 WIB on 1 December is December's
    assert totals(batik) == (None, "IKM-0001", "draft", 150_000, 26_250, 0, 123_750)
    assert lines(batik) == [("sale", "2020-12-01", "BTK-001", 1, 150_000, 150_000, 1750)]
    assert stock(batik) == [
        ("BTK-001", 5, 0, 1, 0, 0, 0, 0, 4),
        ("BTK-002", 14, 0, 0, 0, 0, 0, 0, 14),
    ]
    keripik = drafts["IKM-0002"]  # 15% of 30.330 = 4.549,5 -> 4.550; 30.330 - 4.550 - 8.088
    assert totals(keripik) == (None, "IKM-0002", "draft", 30_330, 4_550, -8_088, 17_692)
    assert stock(keripik) == [("KRP-001", 9, 0, 3, 0, 0, 0, 0, 6)]
    assert totals(drafts["IKM-0003"]) == (None, "IKM-0003", "draft", 0, 0, 0, 0)


def test_issued_statements_carry_issue_and_due_dates_and_a_pdf_hash(office, atria):
    october(office)
    statement = by_consignor(close(office, OCT, "2020-11-02 10:00"))["IKM-0001"]
    assert statement.issued_on == date(2020, 11, 2)
    assert statement.due_on == date(2020, 11, 16)  # 14 payment days by default
    assert len(statement.pdf_sha256) == 64


def test_a_sale_logged_after_settle_is_not_lost_at_close(office, atria):
    october(office)
    draft = by_consignor(office.settle(OCT))["IKM-0001"]
    assert totals(draft) == (None, "IKM-0001", "draft", 715_000, 134_500, 0, 580_500)
    last_october_sale(office)
    issued = by_consignor(close(office, OCT, "2020-11-02 10:00"))["IKM-0001"]
    assert totals(issued) == ("ST-000001", "IKM-0001", "issued", 865_000, 160_750, 0, 704_250)


def test_the_last_evening_of_the_month_in_wib_belongs_to_that_month(office, atria):
    office.now = wib("2020-11-01 08:00")
    office.place("ATRIA", "IKM-0001", [("BTK-001", 5, None)], at=wib("2020-10-01 09:00"))
    office.sell("ATRIA", "BTK-001", 1, at=wib("2020-10-31 23:30"))  # 16:30 UTC
    office.sell("ATRIA", "BTK-001", 1, at=wib("2020-11-01 00:30"))  # 17:30 UTC, 31 October
    october_lines = lines(by_consignor(office.settle(OCT))["IKM-0001"])
    november_lines = lines(by_consignor(office.settle(NOV))["IKM-0001"])
    assert october_lines == [("sale", "2020-10-31", "BTK-001", 1, 150_000, 150_000, 1750)]
    assert november_lines == [("sale", "2020-11-01", "BTK-001", 1, 150_000, 150_000, 1750)]


def test_the_whole_story_passes_every_check(office, atria, tmp_path, db):
    three_months(office, tmp_path)
    with db.transaction() as session:  # check extends the audit chain: it writes
        assert check.run(session, office.ctx.tz) == []


def test_totals_over_the_story_balance(office, atria, tmp_path):
    three_months(office, tmp_path)
    every = [s for period in (OCT, NOV, DEC) for s in office.statements(period)]
    gross = sum(s.gross for s in every)
    assert gross == 865_000 + 20_220 + 235_000 - 10_110 + 150_000 + 30_330
    assert gross == sum(s.commission for s in every) + sum(
        s.net - s.opening_balance for s in every)
