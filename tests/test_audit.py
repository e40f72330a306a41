"""The audit log is written by ``audit.record`` (a change) and, for movements, by
``audit.record_many`` from ``ledger.book.record`` (one entry per movement), at once and in
the caller's transaction; every ledger use case goes through them."""

import json

from sqlalchemy import func, select

from consign import records
from consign.models import AuditEntry, Movement
from consign.services import audit
from tests.ledger_support import wib

# the ledger tests' fixtures


def test_an_entry_is_inserted_at_once_in_the_callers_transaction_without_a_flush(db, ctx):
    with db.transaction() as session:
        audit.record(session, ctx, "hotel.add", "hotel:ATRIA", name="Hotel Atria", rate=None)
        assert not session.new  # nothing waits for a flush
        count = select(func.count()).select_from(AuditEntry.__table__)
        assert session.connection().scalar(count) == 1
    with db.transaction() as session:
        entry = session.scalars(select(AuditEntry)).one()
    assert (entry.at, entry.recorded_at, entry.actor, entry.action, entry.record) == (
        ctx.now, ctx.now, "tester", "hotel.add", "hotel:ATRIA")
    assert json.loads(entry.detail) == {"name": "Hotel Atria", "rate": None}


def test_an_entry_keeps_the_business_moment_apart_from_when_it_was_recorded(db, ctx):
    sold_at = wib("2020-10-02 10:00")
    with db.transaction() as session:
        audit.record(session, ctx, "sold", "movement:12", at=sold_at, qty=-1)
    with db.transaction(readonly=True) as session:
        [entry] = audit.entries(session)
        assert audit.entries(session, since=ctx.now) == [entry]
        assert isinstance(entry, records.AuditEntry)
    assert (entry.at, entry.recorded_at, entry.record) == (sold_at, ctx.now, "movement:12")
    assert json.loads(entry.detail) == {"qty": -1}


def test_a_refused_command_leaves_no_entry(db, ctx):
    try:
        with db.transaction() as session:
            audit.record(session, ctx, "hotel.add", "hotel:ATRIA")
            raise RuntimeError("refused after the entry was written")
    except RuntimeError:
        pass
    with db.transaction(readonly=True) as session:
        assert session.scalars(select(AuditEntry)).all() == []


def test_every_ledger_use_case_writes_its_entry_through_audit_record(
    book, shop, tmp_path, monkeypatch
):
    written = []
    original_record, original_many = audit.record, audit.record_many

    def spy(session, ctx, action, concerns, at=None, **detail):
        written.append((action, concerns))
        original_record(session, ctx, action, concerns, at, **detail)

    def spy_many(session, rows):
        written.extend((row["action"], row["record"]) for row in rows)
        original_many(session, rows)

    monkeypatch.setattr(audit, "record", spy)
    monkeypatch.setattr(audit, "record_many", spy_many)
    book.place("ATRIA", "IKM-0001", [("BTK-001", 5, None)], at=wib("2020-10-01 09:00"))
    sale = book.sell("ATRIA", "BTK-001", receipt="INV-1", at=wib("2020-10-02 10:00"))
    book.void(sale.movement.id, "rang up twice")
    book.return_goods("ATRIA", [("BTK-001", 1)])
    book.write_off("ATRIA", "lost", "hotel", "gone from the shelf", [("BTK-001", 1)])
    sheet = tmp_path / "opname.csv"
    sheet.write_text("sku,counted\nBTK-001,2\n")
    book.count("ATRIA", sheet, apply=True)
    sales = tmp_path / "till.csv"
    sales.write_text("sold_at,sku,qty,unit_price,receipt\n2020-10-03 10:00,BTK-001,1,,\n")
    book.import_sales("ATRIA", sales)
    with book.db.transaction(readonly=True) as session:
        movements = session.execute(
            select(Movement.id, Movement.kind, Movement.at).order_by(Movement.id)).all()
        logged = audit.entries(session)
    assert [kind for _id, kind, _at in movements] == [
        "placed", "sold", "reversal", "returned", "lost", "counted", "sold"]
    # one entry per movement, naming it, each written through the audit functions
    assert written == [("void" if kind == "reversal" else kind, f"movement:{mid}")
                       for mid, kind, _at in movements]
    assert [(e.action, e.record) for e in logged[-len(written):]] == written
    assert [e.at for e in logged[-len(written):]] == [at for _id, _kind, at in movements]
