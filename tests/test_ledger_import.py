"""Importing sales files: CSV and .xlsx, all or nothing, idempotent by receipt."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from consign.errors import Inactive, InvalidInput, InvalidRows
from consign.models import AuditEntry, ClosedPeriod
from consign.services import check, registry
from tests.ledger_support import WIB, wib

# the ledger tests' fixtures

HEADER = "sold_at,sku,qty,unit_price,receipt\n"


@pytest.fixture
def stocked(book, shop):
    book.place("ATRIA", "IKM-0001", [("BTK-001", 10, 140_000), ("BTK-002", 5, None)],
               at=wib("2020-10-01 09:00"))
    book.place("ATRIA", "IKM-0002", [("KRM-001", 3, None)], at=wib("2020-10-01 09:00"))
    return book


def write(tmp_path, text: str, name="sales.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def test_a_sales_file_records_every_row_at_its_price_or_the_placement_price(
    stocked, tmp_path, db
):
    path = write(tmp_path, HEADER + "2020-10-05 14:30,BTK-001,2,,INV-1\n"
                 "2020-10-05,BTK-002,1,95000,INV-1\n2020-10-06 10:15:30,KRM-001,1,,\n")
    result = stocked.import_sales("ATRIA", path)
    assert (result.added, result.already_recorded) == (3, 0)
    sold = [(m.product_id, m.qty, m.unit_price, m.receipt, m.at, m.actor)
            for m in stocked.movements() if m.kind == "sold"]
    assert sold == [
        (1, -2, 140_000, "INV-1", wib("2020-10-05 14:30"), "tester"),
        (2, -1, 95_000, "INV-1", wib("2020-10-05 00:00"), "tester"),
        (3, -1, 75_000, None, wib("2020-10-06 10:15:30"), "tester"),
    ]
    assert stocked.stock() == {("ATRIA", "BTK-001"): 8, ("ATRIA", "BTK-002"): 4,
                               ("ATRIA", "KRM-001"): 2}
    sale_ids = [m.id for m in stocked.movements() if m.kind == "sold"]
    with db.transaction(readonly=True) as session:
        entries = session.execute(
            select(AuditEntry.action, AuditEntry.record, AuditEntry.actor)
            .where(AuditEntry.action == "sold").order_by(AuditEntry.id)).all()
        assert entries == [("sold", f"movement:{n}", "tester") for n in sale_ids]
        assert check.run(session, WIB, check.LEDGER_CHECKS) == []


def test_an_excel_csv_with_semicolons_and_a_bom_is_read(stocked, tmp_path):
    path = write(tmp_path, "sold_at;sku;qty;unit_price;receipt\r\n"
                 "2020-10-05 14:30;BTK-001;2;Rp150.000;INV-1\r\n", encoding="utf-8-sig")
    assert stocked.import_sales("ATRIA", path).added == 1
    assert stocked.movements()[-1].unit_price == 150_000


def test_importing_the_same_file_again_changes_nothing_and_says_how_many_were_there(
    stocked, tmp_path, snapshot
):
    path = write(tmp_path, HEADER + "2020-10-05 14:30,BTK-001,2,,INV-1\n"
                 "2020-10-05 15:00,BTK-001,1,,INV-2\n")
    stocked.import_sales("ATRIA", path)
    before = snapshot()
    again = stocked.import_sales("ATRIA", path)
    assert (again.added, again.already_recorded) == (0, 2)
    assert snapshot() == before


def test_an_overlapping_file_adds_only_its_new_rows(stocked, tmp_path):
    rows = [f"2020-10-0{day} 10:00,BTK-001,1,,INV-{day}\n" for day in range(2, 8)]
    stocked.import_sales("ATRIA", write(tmp_path, HEADER + "".join(rows[:4]), "week1.csv"))
    result = stocked.import_sales("ATRIA", write(tmp_path, HEADER + "".join(rows[2:]),
                                                  "week2.csv"))
    assert (result.added, result.already_recorded) == (2, 2)
    assert stocked.stock()[("ATRIA", "BTK-001")] == 4


def test_an_xlsx_sales_file_is_read_and_is_idempotent_too(stocked, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["sold_at", "sku", "qty", "unit_price", "receipt"])
    sheet.append([datetime(2020, 10, 5, 14, 30), "BTK-001", 2, 150000, "INV-1"])
    sheet.append(["2020-10-06", "KRM-001", 1, None, "INV-2"])
    path = tmp_path / "sales.xlsx"
    workbook.save(path)
    first = stocked.import_sales("ATRIA", path)
    again = stocked.import_sales("ATRIA", path)
    assert (first.added, first.already_recorded) == (2, 0)
    assert (again.added, again.already_recorded) == (0, 2)
    assert stocked.movements()[-2].at == wib("2020-10-05 14:30")


def test_rows_without_a_receipt_carry_no_key_and_are_added_each_time(stocked, tmp_path):
    path = write(tmp_path, HEADER + "2020-10-05 14:30,BTK-001,1,,\n")
    stocked.import_sales("ATRIA", path)
    assert stocked.import_sales("ATRIA", path).added == 1
    assert stocked.stock()[("ATRIA", "BTK-001")] == 8


def test_the_same_receipt_twice_in_one_file_is_recorded_once(stocked, tmp_path):
    path = write(tmp_path, HEADER + "2020-10-05 14:30,BTK-001,1,,INV-1\n"
                 "2020-10-05 14:30,BTK-001,1,,INV-1\n")
    result = stocked.import_sales("ATRIA", path)
    assert (result.added, result.already_recorded) == (1, 1)


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_written(
    stocked, tmp_path, db, ctx, snapshot
):
    stocked.sell("ATRIA", "BTK-002", 1, receipt="OLD-1", at=wib("2020-10-02 09:00"))
    with db.transaction() as session:
        registry.add_product(session, ctx, "BTK-009", "IKM-0001", name="Selendang", price=50_000)
    path = write(tmp_path, HEADER + "\n".join([
        "2020-10-05 14:30,BTK-001,2,,INV-1",        # 2: fine
        "2020-10-05 14:30,NOPE-1,1,,",               # 3: unknown SKU
        "2020-10-05 14:30,BTK-009,1,,",              # 4: never placed at ATRIA
        "2020-13-05,BTK-001,1,,",                    # 5: bad date
        "2021-01-01 10:00,BTK-001,1,,",              # 6: future
        "2020-10-05 14:30,BTK-001,dua,,",            # 7: bad number
        "2020-10-05 14:30,BTK-001,0,,",              # 8: no units
        "2020-10-05 14:30,BTK-001,1,150000.50,",     # 9: fractional price
        "2020-10-06 10:00,KRM-001,2,,",              # 10: fine, 1 left
        "2020-10-07 10:00,KRM-001,2,,",              # 11: only 1 left after line 10
        "2020-10-07 10:00,BTK-002,2,,OLD-1",         # 12: receipt conflicts with the ledger
        "2020-10-08 10:00,BTK-001,3,,INV-1",         # 13: receipt conflicts with line 2
        "2020-09-30 10:00,BTK-001,1,,",              # 14: in a closed period
    ]) + "\n")
    with db.transaction() as session:
        session.add(ClosedPeriod(hotel_id=1, period="2020-09", closed_at=ctx.now, actor="t"))
    before = snapshot()
    with pytest.raises(InvalidRows) as raised:
        stocked.import_sales("ATRIA", path)
    assert raised.value.problems == [f"{path}:{line}: {message}" for line, message in [
        (3, "unknown SKU NOPE-1"),
        (4, "BTK-009 was never placed at ATRIA."),
        (5, "sold_at '2020-13-05' is not a date; write it as 2020-10-05, 2020-10-05 14:30, "
            "05/10/2020 14.30 or 5 Oktober 2020"),
        (6, "sold_at '2021-01-01 10:00' is in the future"),
        (7, "qty 'dua' is not a whole number from 1 to 100.000"),
        (8, "qty 0 is not between 1 and 100.000"),
        (9, "unit_price '150000.50' is not a whole rupiah amount (write 150000, 150.000 or "
            "Rp150.000)"),
        (11, "cannot sell 2 × KRM-001: only 1 on hand at 2020-10-07 10:00 counting the "
             "earlier rows of this file"),
        (12, "Receipt OLD-1 at ATRIA already records 1 × BTK-002 at Rp90.000 (the ledger); "
             "this sale says 2 × BTK-002 at Rp90.000."),
        (13, "Receipt INV-1 at ATRIA already records 2 × BTK-001 at Rp140.000 (line 2 of this "
             "file); this sale says 3 × BTK-001 at Rp140.000."),
        (14, "sold_at '2020-09-30 10:00' falls in a period already closed for ATRIA"),
    ]]
    assert snapshot() == before


def test_a_row_dated_before_later_ledger_sales_cannot_take_what_they_took(stocked, tmp_path,
                                                                           snapshot):
    stocked.sell("ATRIA", "KRM-001", 3, at=wib("2020-10-10 09:00"))
    stocked.place("ATRIA", "IKM-0002", [("KRM-001", 1, None)], at=wib("2020-10-12 09:00"))
    path = write(tmp_path, HEADER + "2020-10-05 10:00,KRM-001,1,,\n")
    before = snapshot()
    with pytest.raises(InvalidRows) as raised:
        stocked.import_sales("ATRIA", path)
    assert raised.value.problems == [
        f"{path}:2: cannot sell 1 × KRM-001: only 0 on hand at 2020-10-05 10:00"]
    assert snapshot() == before
    later = write(tmp_path, HEADER + "2020-10-12 10:00,KRM-001,1,,\n", "later.csv")
    assert stocked.import_sales("ATRIA", later).added == 1


def test_a_backdated_file_may_sell_what_was_on_hand_before_later_placements(stocked, tmp_path):
    stocked.place("ATRIA", "IKM-0002", [("KRM-001", 2, None)], at=wib("2020-10-20 09:00"))
    path = write(tmp_path, HEADER + "2020-10-15 10:00,KRM-001,3,,\n2020-10-21 10:00,KRM-001,2,,\n")
    assert stocked.import_sales("ATRIA", path).added == 2
    assert ("ATRIA", "KRM-001") not in stocked.stock()


def test_a_file_without_the_needed_columns_is_refused_at_its_header(stocked, tmp_path):
    path = write(tmp_path, "sold_at,sku,amount\n2020-10-05,BTK-001,1\n")
    with pytest.raises(InvalidRows) as raised:
        stocked.import_sales("ATRIA", path)
    expected = "(expected sold_at,sku,qty,unit_price,receipt,payment)"
    assert raised.value.problems == [
        f"{path}:1: unknown column(s) amount {expected}",
        f"{path}:1: missing column(s) qty {expected}"]


def test_a_deactivated_hotel_imports_no_sales(stocked, tmp_path, db, ctx):
    with db.transaction() as session:
        registry.deactivate(session, ctx, "hotel", "ATRIA")
    with pytest.raises(Inactive):
        stocked.import_sales("ATRIA", write(tmp_path, HEADER + "2020-10-05,BTK-001,1,,\n"))


def test_an_import_reports_its_progress_up_to_the_whole(stocked, tmp_path, db, ctx):
    from consign.services.ledger import import_sales
    from consign.tabular import Upload

    path = write(tmp_path, HEADER + "2020-10-05 14:30,BTK-001,1,,\n" * 5)
    calls = []
    with db.transaction() as session:
        import_sales(session, ctx, "ATRIA", Upload.read(path),
                     progress=lambda done, total: calls.append((done, total)))
    assert calls == [(5, 10), (10, 10)]


def test_rows_of_a_deactivated_product_or_with_an_overlong_receipt_are_refused(
    stocked, tmp_path, db, ctx, snapshot
):
    with db.transaction() as session:
        registry.deactivate(session, ctx, "product", "BTK-002")
    path = write(tmp_path, HEADER + "2020-10-05,BTK-002,1,,\n"
                 f"2020-10-05,BTK-001,1,,{'R' * 61}\n")
    before = snapshot()
    with pytest.raises(InvalidRows) as raised:
        stocked.import_sales("ATRIA", path)
    assert raised.value.problems == [
        f"{path}:2: product BTK-002 is deactivated and accepts no new sales",
        f"{path}:3: receipt is 61 characters long; at most 60 are allowed "
        "(RRRRRRRRRRRRRRRRRRRR…)",
    ]
    assert snapshot() == before


def test_a_sales_file_with_a_header_and_no_rows_adds_nothing(stocked, tmp_path, snapshot):
    before = snapshot()
    result = stocked.import_sales("ATRIA", write(tmp_path, HEADER))
    assert (result.added, result.already_recorded) == (0, 0)
    assert snapshot() == before


def test_a_placement_file_without_rows_is_refused(book, shop, tmp_path):
    path = write(tmp_path, "consignor,sku,qty,price\n", "kirim.csv")
    with pytest.raises(InvalidInput, match="no placements in the file"):
        book.place_file("ATRIA", path)


def test_a_sale_imported_at_midnight_on_the_first_counts_in_its_month_as_a_logged_one_does(
    stocked, tmp_path, db
):
    from sqlalchemy import text

    from consign.models import Movement
    from consign.periods import Period
    from consign.services.ledger import end_of_day

    path = write(tmp_path, HEADER + "2020-11-01,BTK-001,1,,INV-1\n"
                 "2020-11-01 00:00,BTK-001,1,,INV-2\n")
    assert stocked.import_sales("ATRIA", path).added == 2
    stocked.sell("ATRIA", "BTK-001", receipt="INV-3", at=wib("2020-11-01 00:00"))
    october_31 = end_of_day(date(2020, 10, 31), WIB)
    assert stocked.stock(as_of=october_31)[("ATRIA", "BTK-001")] == 10
    november = Period(2020, 11)
    with db.transaction(readonly=True) as session:
        in_november = session.scalars(
            select(Movement.receipt)
            .where(Movement.kind == "sold", Movement.at >= november.start(WIB),
                   Movement.at < november.end(WIB))
            .order_by(Movement.receipt)
        ).all()
        stored = session.execute(text(
            "SELECT receipt, CAST(at AS VARCHAR(40)) FROM movements WHERE kind = 'sold' "
            "ORDER BY receipt")).all()
    assert in_november == ["INV-1", "INV-2", "INV-3"]
    # the imported rows are stored exactly as the sale logged one by one at that moment
    assert len({at for _receipt, at in stored}) == 1, stored
