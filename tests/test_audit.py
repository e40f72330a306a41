"""The audit log is written by one function, ``audit.record``, at once and in the caller's
transaction; every ledger use case goes through it."""

import json

from sqlalchemy import func, select

from consign.models import AuditEntry
from consign.services import audit
from tests.ledger_support import wib

# the ledger tests' fixtures


def test_an_entry_is_inserted_at_once_in_the_callers_transaction_without_a_flush(db, ctx):
    with db.transaction() as session:
        audit.record(session, ctx, "hotel.add", "hotel", "ATRIA", name="Hotel Atria", rate=None)
        assert not session.new  # nothing waits for a flush
        count = select(func.count()).select_from(AuditEntry.__table__)
        assert session.connection().scalar(count) == 1
    with db.transaction() as session:
        entry = session.scalars(select(AuditEntry)).one()
    assert (entry.at, entry.actor, entry.action, entry.entity, entry.key) == (
        ctx.now, "tester", "hotel.add", "hotel", "ATRIA")
    assert json.loads(entry.detail) == {"name": "Hotel Atria", "rate": None}


def test_a_refused_command_leaves_no_entry(db, ctx):
    try:
        with db.transaction() as session:
            audit.record(session, ctx, "hotel.add", "hotel", "ATRIA")
            raise RuntimeError("refused after the entry was written")
    except RuntimeError:
        pass
    with db.transaction(readonly=True) as session:
        assert session.scalars(select(AuditEntry)).all() == []


def test_every_ledger_use_case_writes_its_entry_through_audit_record(
    book, shop, tmp_path, monkeypatch
):
    written = []
    original = audit.record

    def spy(session, ctx, action, entity, key, **detail):
        written.append(action)
        original(session, ctx, action, entity, key, **detail)

    monkeypatch.setattr(audit, "record", spy)
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
    assert written == ["placement.record", "sale", "void", "return.record", "loss.record",
                       "count.record", "sales.import"]
    with book.db.transaction(readonly=True) as session:
        logged = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert logged[-len(written):] == written
