"""The agency's audit reports on a hand-built ledger whose answers are worked out by hand
and written here as literals.

The story (all moments WIB; display term 90 days, payment term 14 days, 20% commission):

ATRIA, IKM-0001 (fashion): BTK-002 ×2 placed 1 Aug; BTK-001 ×5 placed 1 Sep; 5 Oct one
BTK-002 sold (90.000); 15 Oct BTK-001 ×5 placed; 20 Oct three BTK-001 sold (150.000);
25 Oct two BTK-001 returned; 1 Nov BTK-002 ×3 placed; 10 Nov one BTK-001 sold; 12 Nov one
BTK-001 lost (hotel liable); 13 Nov one BTK-001 damaged (IKM liable).
TUGU: KRM-001 (IKM-0002, kriya) ×4 placed 1 Aug, one sold 15 Aug, one sold 5 Nov at
10.003; BTK-002 ×1 placed 2 Nov, sold 6 Nov at 10.003.
"""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from consign import policy
from consign.context import Context
from consign.errors import Forbidden, InvalidInput, NotFound
from consign.models import Statement
from consign.periods import Period
from consign.services import audit_reports as reports
from consign.services.audit_reports import figures, scoping, serialize
from consign.services.audit_reports.tables import Share
from tests.conftest import NOW
from tests.settlement_support import close, wib

ATRIA_ROLE = policy.Role("hotel", "ATRIA")


def run(db, service, *args, role=None, now=NOW, **kwargs):
    """A report in its own read-only transaction, as a command runs it."""
    ctx = Context.make("auditor", now=now, role=role or policy.Role("auditor"))
    with db.transaction(readonly=True) as session:
        return service(session, ctx, *args, **kwargs)


@pytest.fixture
def story(office, make_hotel, make_consignor, make_product):
    make_hotel("ATRIA")
    make_hotel("TUGU", name="Hotel Tugu Malang")
    make_consignor("IKM-0001", sector="fashion", phone="0812 3456 7890")
    make_consignor("IKM-0002", name="Keramik Dinoyo", owner="Hadi", sector="kriya",
                   phone="0341-403388")
    make_product("BTK-001", price=150_000)
    make_product("BTK-002", name="Batik cap motif Teratai", price=90_000)
    make_product("KRM-001", consignor="IKM-0002", name="Vas keramik Dinoyo", price=75_000)
    o = office
    o.place("ATRIA", "IKM-0001", [("BTK-002", 2, None)], at=wib("2020-08-01 10:00"))
    o.place("TUGU", "IKM-0002", [("KRM-001", 4, None)], at=wib("2020-08-01 10:00"))
    o.sell("TUGU", "KRM-001", 1, at=wib("2020-08-15 14:00"))
    o.place("ATRIA", "IKM-0001", [("BTK-001", 5, None)], at=wib("2020-09-01 10:00"))
    o.sell("ATRIA", "BTK-002", 1, at=wib("2020-10-05 14:00"))
    o.place("ATRIA", "IKM-0001", [("BTK-001", 5, None)], at=wib("2020-10-15 10:00"))
    o.sell("ATRIA", "BTK-001", 3, at=wib("2020-10-20 14:00"))
    o.return_goods("ATRIA", [("BTK-001", 2)], at=wib("2020-10-25 10:00"))
    o.place("ATRIA", "IKM-0001", [("BTK-002", 3, None)], at=wib("2020-11-01 10:00"))
    o.place("TUGU", "IKM-0001", [("BTK-002", 1, None)], at=wib("2020-11-02 10:00"))
    o.sell("TUGU", "KRM-001", 1, price=10_003, at=wib("2020-11-05 14:00"))
    o.sell("TUGU", "BTK-002", 1, price=10_003, at=wib("2020-11-06 14:00"))
    o.sell("ATRIA", "BTK-001", 1, at=wib("2020-11-10 14:00"))
    o.write_off("ATRIA", "lost", "hotel", "hilang", [("BTK-001", 1)], at=wib("2020-11-12 10:00"))
    o.write_off("ATRIA", "damaged", "consignor", "sobek", [("BTK-001", 1)],
                at=wib("2020-11-13 10:00"))
    return o


def closed_through_october(office):
    """ATRIA's August, September and October issued in order: ST-000001 and ST-000002 owe
    nothing, ST-000003 is October's (net 432.000, issued 2 November, due 16 November)."""
    close(office, "2020-08", "2020-09-02 10:00")
    close(office, "2020-09", "2020-10-02 10:00")
    [october] = close(office, "2020-10", "2020-11-02 10:00")
    office.now = wib("2020-12-15 12:00")
    return october


# ---- placements ---------------------------------------------------------------------------

def test_the_register_ages_each_shelf_from_its_oldest_unit_after_sales_and_returns(db, story):
    report = run(db, reports.placements, as_of="2020-12-01")
    rows = [(r.hotel, r.sku, r.on_hand, r.value, r.first_placed, r.since, r.oldest_days,
             r.display_days, r.due_on, r.due_back) for r in report.rows]
    assert rows == [
        # the September lot went in the sale of 20 Oct and the return of 25 Oct
        ("ATRIA", "BTK-001", 2, 300_000, date(2020, 9, 1), date(2020, 10, 15), 47, 90,
         date(2021, 1, 13), False),
        ("ATRIA", "BTK-002", 4, 360_000, date(2020, 8, 1), date(2020, 8, 1), 122, 90,
         date(2020, 10, 30), True),
        ("TUGU", "KRM-001", 2, 150_000, date(2020, 8, 1), date(2020, 8, 1), 122, 90,
         date(2020, 10, 30), True),
    ]
    assert [(t.key, t.products, t.units, t.value, t.due_back) for t in report.by_hotel] == [
        ("ATRIA", 2, 6, 660_000, 1), ("TUGU", 1, 2, 150_000, 1)]
    assert [(t.key, t.units, t.value) for t in report.by_sector] == [
        ("fashion", 6, 660_000), ("kriya", 2, 150_000)]
    assert (report.total.units, report.total.value) == (8, 810_000)


def test_the_register_filters_by_sector_and_hotel(db, story):
    assert [r.sku for r in run(db, reports.placements, as_of="2020-12-01",
                               sector="kriya").rows] == ["KRM-001"]
    assert [r.sku for r in run(db, reports.placements, as_of="2020-12-01",
                               hotel="TUGU").rows] == ["KRM-001"]
    with pytest.raises(InvalidInput, match="sector"):
        run(db, reports.placements, sector="perhiasan")


# ---- aging --------------------------------------------------------------------------------

def test_aging_lists_the_units_past_their_term_oldest_first_with_the_ikm_phone(db, story):
    report = run(db, reports.aging, as_of="2020-12-01")
    assert [(r.hotel, r.sku, r.on_hand, r.units_due, r.value_due, r.oldest_days, r.phone)
            for r in report.rows] == [
        ("ATRIA", "BTK-002", 4, 1, 90_000, 122, "+6281234567890"),  # the August lot only
        ("TUGU", "KRM-001", 2, 2, 150_000, 122, "+62341403388"),
    ]


def test_aging_with_days_lists_what_is_older_than_that(db, story):
    report = run(db, reports.aging, as_of="2020-12-01", days=40)
    assert [(r.hotel, r.sku, r.units_due, r.oldest_days) for r in report.rows] == [
        ("ATRIA", "BTK-002", 1, 122), ("TUGU", "KRM-001", 2, 122), ("ATRIA", "BTK-001", 2, 47)]
    assert [(r.hotel, r.sku) for r in report.returns] == [
        ("ATRIA", "BTK-001"), ("ATRIA", "BTK-002"), ("TUGU", "KRM-001")]


def test_goods_are_due_back_from_the_day_after_their_term(db, story):
    assert run(db, reports.aging, as_of="2020-10-30").rows == ()  # the last day of the term
    assert [r.sku for r in run(db, reports.aging, as_of="2020-10-31").rows] == [
        "BTK-002", "KRM-001"]


# ---- sales --------------------------------------------------------------------------------

def sales_rows(report):
    return [(r.key, r.gross, r.commission, r.net, r.units, r.active_ikm, r.opening, r.placed,
             r.sell_through, r.avg_days_to_sell, r.previous_gross, r.change, r.change_share)
            for r in report.rows]


def test_sales_of_a_month_with_a_mid_month_placement_computed_without_writing(db, story,
                                                                              snapshot):
    before = snapshot()
    report = run(db, reports.sales, "2020-10")
    assert snapshot() == before  # nothing settled, nothing written
    assert sales_rows(report) == [
        # 4 sold of 7 opening + 5 placed on 15 Oct; 3 units 49 days, 1 unit 65 days
        ("ATRIA", 540_000, 108_000, 432_000, 4, 1, 7, 5, Share(1, 3), Decimal("53.0"),
         0, 540_000, None),
        ("TUGU", 0, 0, 0, 0, 0, 3, 0, Share(0), None, 0, 0, None),
    ]
    assert (report.total.gross, report.total.sell_through) == (540_000, Share(4, 15))


def test_sales_commission_is_the_statements_own_never_re_rounded(db, story):
    report = run(db, reports.sales, "2020-11")
    assert sales_rows(report) == [
        # a sale and a hotel-liable loss; against October's 540.000
        ("ATRIA", 300_000, 60_000, 240_000, 1, 1, 6, 3, Share(1, 9), Decimal("26.0"),
         540_000, -240_000, Share(-4, 9)),
        # two IKM's statements of 10.003 each: 2.001 + 2.001, not 20% of 20.006 (4.001)
        ("TUGU", 20_006, 4_002, 16_004, 2, 2, 3, 1, Share(1, 2), Decimal("50.0"),
         0, 20_006, None),
    ]
    assert report.total.commission == 64_002


def test_sales_read_issued_statements_and_group_by_sector_and_product(db, story):
    closed_through_october(story)
    by_sector = run(db, reports.sales, "2020-10", to="2020-11", by="sector")
    assert [(r.key, r.gross, r.commission, r.units, r.active_ikm) for r in by_sector.rows] == [
        ("fashion", 850_003, 170_001, 6, 1), ("kriya", 10_003, 2_001, 1, 1)]
    assert [m.period for m in by_sector.months] == ["2020-10", "2020-11"]
    assert (by_sector.previous_from, by_sector.previous_to) == ("2020-08", "2020-09")
    by_product = run(db, reports.sales, "2020-10", by="product")
    assert [(r.key, r.gross, r.commission, r.units) for r in by_product.rows] == [
        ("BTK-001", 450_000, None, 3), ("BTK-002", 90_000, None, 1), ("KRM-001", 0, None, 0)]


def test_issued_months_read_in_less_detail_give_the_same_figures(db, story):
    """What a report by hotel, IKM or sector reads of an issued month (the statements'
    totals, and their stock rows) is what the full reading by product holds."""
    closed_through_october(story)
    first, last = Period(2020, 8), Period(2020, 11)

    def read(detail):
        return run(db, lambda session, ctx: figures.statements_of(
            session, ctx, first, last, scoping.seen(session, ctx), detail))

    full, units, totals = read(figures.PRODUCTS), read(figures.UNITS), read(figures.TOTALS)
    assert sum(s.issued for s in full) == 3 and len(full) > 3  # ATRIA's Aug..Oct issued

    def head(statement):
        return (statement.hotel, statement.consignor, statement.period, statement.issued,
                statement.gross, statement.commission, statement.opening_balance,
                statement.net)

    def sums(statement):
        return statement.opening, statement.placed, statement.sold, statement.selling

    assert [head(s) for s in units] == [head(s) for s in totals] == [head(s) for s in full]
    assert [sums(s) for s in units] == [sums(s) for s in full]
    assert [sums(s) for s in full] == [(
        sum(p.opening for p in s.products.values()), sum(p.placed for p in s.products.values()),
        sum(p.sold for p in s.products.values()), any(p.sold for p in s.products.values()))
        for s in full]
    assert any(s.sold for s in full if s.issued) and any(s.placed for s in full if s.issued)
    assert [s.products for s in units + totals if s.issued] == [{}] * 6
    assert [sums(s) for s in totals if s.issued] == [(0, 0, 0, False)] * 3
    assert sum(p.gross for s in full for p in s.products.values()) == sum(
        s.gross for s in full)


def test_a_range_that_ends_before_it_starts_is_refused(db, story):
    with pytest.raises(InvalidInput, match="before"):
        run(db, reports.sales, "2020-11", to="2020-10")


# ---- payments -----------------------------------------------------------------------------

def test_a_statement_is_overdue_from_the_day_after_its_due_date(db, story):
    closed_through_october(story)
    assert run(db, reports.payments, as_of="2020-11-16").rows == ()  # the due date itself
    [row] = run(db, reports.payments, as_of="2020-11-17").rows
    assert (row.number, row.hotel, row.consignor, row.due_on, row.days_overdue, row.owed) == (
        "ST-000003", "ATRIA", "IKM-0001", date(2020, 11, 16), 1, 432_000)


def test_payments_in_part_reduce_what_is_owed_and_the_average_days_to_pay(db, story):
    closed_through_october(story)
    story.pay("ST-000003", on="2020-11-20", ref="TRF-1", amount=200_000)
    [row] = run(db, reports.payments, as_of="2020-11-25").rows
    assert (row.days_overdue, row.paid, row.owed) == (9, 200_000, 232_000)
    [hotel] = run(db, reports.payments, as_of="2020-11-25").by_hotel
    assert (hotel.overdue_statements, hotel.overdue, hotel.paid_statements,
            hotel.avg_days_to_pay) == (1, 232_000, 0, None)
    story.pay("ST-000003", on="2020-11-30", ref="TRF-2")
    report = run(db, reports.payments, as_of="2020-12-01")
    assert report.rows == ()
    [hotel] = report.by_hotel
    # issued 2 November, completed 30 November; the nil statements are left out
    assert (hotel.hotel, hotel.owed, hotel.paid_statements, hotel.avg_days_to_pay) == (
        "ATRIA", 0, 1, Decimal("28.0"))


# ---- shrinkage ----------------------------------------------------------------------------

def test_shrinkage_splits_losses_by_who_is_liable_as_a_share_of_units_placed(db, story):
    report = run(db, reports.shrinkage, "2020-11")
    assert [(r.hotel, r.placed, r.lost, r.short, r.hotel_units, r.hotel_rupiah,
             r.consignor_units, r.consignor_rupiah, r.units, r.rupiah, r.share)
            for r in report.rows] == [
        ("ATRIA", 3, 2, 0, 1, 150_000, 1, 150_000, 2, 300_000, Share(2, 3)),
        ("TUGU", 1, 0, 0, 0, 0, 0, 0, 0, 0, Share(0)),
    ]


def test_a_count_shortage_is_shrinkage_liable_as_counted(db, story, tmp_path):
    sheet = tmp_path / "opname.csv"
    sheet.write_text("sku,counted\nKRM-001,1\n")
    story.count("TUGU", sheet, apply=True, at=wib("2020-11-30 20:00"))
    [_atria, tugu] = run(db, reports.shrinkage, "2020-11").rows
    assert (tugu.short, tugu.hotel_units, tugu.hotel_rupiah, tugu.share) == (
        1, 1, 75_000, Share(1, 1))


# ---- scope --------------------------------------------------------------------------------

def test_a_hotel_sees_only_its_own_rows_in_every_report(db, story):
    assert {r.hotel for r in run(db, reports.placements, role=ATRIA_ROLE).rows} == {"ATRIA"}
    assert {r.hotel for r in run(db, reports.aging, as_of="2020-12-01",
                                 role=ATRIA_ROLE).rows} == {"ATRIA"}
    assert [r.key for r in run(db, reports.sales, "2020-11", role=ATRIA_ROLE).rows] == [
        "ATRIA"]
    assert [r.hotel for r in run(db, reports.shrinkage, "2020-11", role=ATRIA_ROLE).rows] == [
        "ATRIA"]
    assert run(db, reports.sales, "2020-11", role=ATRIA_ROLE).total.gross == 300_000


def test_a_hotel_asking_for_another_hotel_is_told_it_is_not_found(db, story):
    with pytest.raises(NotFound, match="TUGU"):
        run(db, reports.placements, hotel="TUGU", role=ATRIA_ROLE)


def test_an_ikm_sees_only_its_own_goods_and_statements(db, story):
    role = policy.Role("consignor", "IKM-0002")
    assert [r.sku for r in run(db, reports.placements, role=role).rows] == ["KRM-001"]
    report = run(db, reports.sales, "2020-11", role=role)
    assert [(r.key, r.gross, r.commission) for r in report.rows] == [("TUGU", 10_003, 2_001)]


def test_the_log_is_for_the_agency_alone(db, story):
    with pytest.raises(Forbidden):
        run(db, reports.entries, role=ATRIA_ROLE)


# ---- the same figures in every format -----------------------------------------------------

def test_csv_and_json_carry_the_figures_of_the_table(cli, story):
    import csv
    import io
    import json

    table = cli("audit", "sales", "2020-11", "--format", "table")
    assert table.exit_code == 0, table.output
    atria = next(line for line in table.output.splitlines() if line.startswith("ATRIA"))
    assert "Rp300.000" in atria and "Rp60.000" in atria and "11.11%" in atria
    document = json.loads(cli("audit", "sales", "2020-11", "--format", "json").output)
    assert document["period_from"] == "2020-11"
    first = document["sales"][0]
    assert (first["key"], first["gross"], first["commission"], first["sell_through"],
            first["avg_days_to_sell"]) == ("ATRIA", 300_000, 60_000, "11.11%", "26.0")
    text = cli("audit", "sales", "2020-11", "--format", "csv").output
    sections = {block.splitlines()[0]: list(csv.DictReader(io.StringIO(
        "\n".join(block.splitlines()[1:])))) for block in text.strip().split("\n\n")}
    assert sections["# sales"][0]["gross"] == "300000"
    assert _same(document["sales"], sections["# sales"])
    assert _same(document["total"], sections["# total"])


def _same(rows, read) -> bool:
    return all(("" if value is None else str(value)) == read_row[key]
               for row, read_row in zip(rows, read, strict=True) for key, value in row.items())


def test_every_report_prints_in_each_format(cli, story):
    for args in (["placements", "--as-of", "2020-12-01"], ["aging", "--as-of", "2020-12-01"],
                 ["sales", "2020-10", "--to", "2020-11", "--by", "consignor"],
                 ["payments"], ["shrinkage", "2020-11"]):
        for fmt in ("table", "csv", "json"):
            result = cli("audit", *args, "--format", fmt)
            assert result.exit_code == 0, (args, fmt, result.output)


def test_the_json_of_placements_names_its_day_and_money_as_integers(cli, story):
    import json

    document = json.loads(cli("audit", "placements", "--as-of", "2020-12-01",
                              "--format", "json").output)
    assert document["as_of"] == "2020-12-01"
    assert document["by_hotel"][0] == {"key": "ATRIA", "name": "Hotel Atria Malang",
                                       "products": 2, "units": 6, "value": 660_000,
                                       "due_back": 1}
    assert document["placements"][1]["due_on"] == "2020-10-30"


def test_a_statement_count_is_unchanged_by_reports(db, story):
    run(db, reports.sales, "2020-10", to="2020-11")
    with db.transaction(readonly=True) as session:
        assert session.scalar(select(func.count()).select_from(Statement)) == 0


def test_serialized_tables_name_their_money_columns(db, story):
    tables = serialize.sales(run(db, reports.sales, "2020-11"))
    assert [t.key for t in tables] == ["sales", "total", "months"]
    assert {"gross", "commission", "net"} <= tables[0].money


# ---- the programme report -----------------------------------------------------------------

def test_the_programme_view_holds_the_headline_figures_charts_and_short_tables(db, story):
    from consign.services.audit_reports.programme import build_programme_view

    closed_through_october(story)
    story.pay("ST-000003", on="2020-11-20", ref="TRF-1", amount=200_000)
    view = run(db, build_programme_view, "2020-10", to="2020-11")
    assert (view.period_from, view.period_to, view.made_on) == (
        "2020-10", "2020-11", date(2020, 11, 30))
    h = view.headline
    assert (h.ikm_selling, h.hotels_active, h.gross, h.commission, h.net, h.paid_out,
            h.overdue, h.overdue_statements) == (2, 2, 860_006, 172_002, 688_004, 200_000,
                                                 232_000, 1)
    assert [(m.period, m.sector, m.gross) for m in view.by_month_sector] == [
        ("2020-10", "fashion", 540_000), ("2020-10", "kriya", 0),
        ("2020-11", "fashion", 310_003), ("2020-11", "kriya", 10_003)]
    assert [(r.code, r.gross, r.units) for r in view.top_hotels] == [
        ("ATRIA", 840_000, 5), ("TUGU", 20_006, 2)]
    assert [(r.code, r.gross) for r in view.top_ikm] == [
        ("IKM-0001", 850_003), ("IKM-0002", 10_003)]
    assert view.sector_share == (("fashion", 850_003), ("kriya", 10_003))
    assert [t.key for t in view.tables] == ["placements", "aging", "sales", "payments",
                                            "shrinkage"]
    payments = view.tables[3]
    assert payments.rows == (("ST-000003", "ATRIA", "IKM-0001", date(2020, 11, 16), 14,
                              232_000),)
    from reports.programme_labels import programme_labels_for

    for lang in ("id", "en"):  # every table and column the report prints has its words
        words = programme_labels_for(lang)
        assert [t.key for t in view.tables if t.key not in words.tables] == []
        assert [(t.key, c) for t in view.tables for c in t.columns
                if c not in words.columns] == []


def test_a_dashboard_s_lighter_view_is_the_report_s_with_the_sales_chart_widened(db, story):
    """The dashboard reads the range and the chart's earlier months in one pass: its
    headline, rankings and shares are the report's of the range; its sales by month and
    sector are the report's of the wider range; it has no tables and no days to sell."""
    from consign.services.audit_reports.programme import build_programme_view

    closed_through_october(story)
    report = run(db, build_programme_view, "2020-11")
    wider = run(db, build_programme_view, "2020-08", to="2020-11")
    light = run(db, build_programme_view, "2020-11", chart_from="2020-08", tables=False,
                ages=False)
    assert (light.period_from, light.period_to) == ("2020-11", "2020-11")
    assert (light.headline, light.top_hotels, light.top_ikm, light.sector_share) == (
        report.headline, report.top_hotels, report.top_ikm, report.sector_share)
    assert light.by_month_sector == wider.by_month_sector != report.by_month_sector
    assert report.tables and light.tables == ()


def test_a_hotel_s_programme_view_holds_only_its_own_figures(db, story):
    from consign.services.audit_reports.programme import build_programme_view

    view = run(db, build_programme_view, "2020-11", role=ATRIA_ROLE)
    assert (view.headline.gross, view.headline.hotels_active) == (300_000, 1)
    assert [r.code for r in view.top_hotels] == ["ATRIA"]


def test_the_report_command_writes_a_pdf_with_the_headline_figures_twice_the_same(
        cli, story, tmp_path):
    import reports.programme as programme

    if not hasattr(programme, "render_programme"):
        pytest.skip("reports.programme.render_programme is not written yet")
    from pypdf import PdfReader

    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    for path in (first, second):
        result = cli("audit", "report", "2020-11", "--pdf", path)
        assert result.exit_code == 0, result.output
    assert first.read_bytes() == second.read_bytes()
    text = "".join(page.extract_text() for page in PdfReader(first).pages)
    assert "Rp320.006" in text  # gross of November: 300.000 at ATRIA, 20.006 at TUGU


@pytest.mark.parametrize("report", ["placements", "aging", "payments", "sales", "shrinkage"])
@pytest.mark.parametrize("asked, says", [({"hotel": "NOPE"}, "No hotel with code NOPE."),
                                         ({"consignor": "IKM-9999"},
                                          "No IKM with code IKM-9999.")])
def test_a_report_of_a_code_that_names_nothing_is_not_found_for_the_agency_too(
        db, story, report, asked, says):
    """An empty report would read as "nothing there" for a hotel that was mistyped."""
    service = getattr(reports, report)
    args = (Period(2020, 11),) if report in ("sales", "shrinkage") else ()
    with pytest.raises(NotFound) as refused:
        run(db, service, *args, **asked)
    assert str(refused.value) == says


def test_a_dashboard_opens_on_the_latest_month_with_sales_in_the_role_s_view(db, story):
    """TUGU's last sale is on 6 November; ATRIA sells at 00:30 WIB on 1 December (still
    30 November in UTC). On 1 February, with nothing sold since, the agency opens on
    December and TUGU's staff on November; a moment before that sale, on November; before
    any sale, on the month it is."""
    from consign.services.audit_reports.sales import latest_month

    story.sell("ATRIA", "BTK-002", 1, at=wib("2020-12-01 00:30"))
    february = wib("2021-02-01 08:00")
    assert run(db, latest_month, now=february) == Period(2020, 12)
    assert run(db, latest_month, now=february, role=policy.Role("hotel", "TUGU")) == (
        Period(2020, 11))
    assert run(db, latest_month, now=february, role=policy.Role("consignor", "IKM-0001")) == (
        Period(2020, 12))
    # IKM-0002 sold last on 5 November; the placement of 1 December is no sale
    story.place("TUGU", "IKM-0002", [("KRM-001", 2, None)], at=wib("2020-12-01 09:00"))
    assert run(db, latest_month, now=february, role=policy.Role("consignor", "IKM-0002")) == (
        Period(2020, 11))
    assert run(db, latest_month, now=wib("2020-12-01 00:10")) == Period(2020, 11)
    assert run(db, latest_month, now=wib("2020-08-10 08:00")) == Period(2020, 8)
