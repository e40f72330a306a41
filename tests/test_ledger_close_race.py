"""A sale logged while a hotel's month is being closed either lands before the close (and is
on its statements) or waits for it and is refused: it never slips into the closed month."""

import threading
import time
from datetime import UTC, datetime

from sqlalchemy import select

from consign.context import Context
from consign.db import Database
from consign.errors import PeriodClosed
from consign.models import ClosedPeriod, Hotel
from consign.services import ledger
from tests.settlement_support import wib


def test_a_sale_dated_in_a_month_being_closed_waits_for_the_close_and_is_refused(
    db, office, make_hotel, make_product
):
    make_hotel()
    make_product()
    office.place("ATRIA", "IKM-0001", [("BTK-001", 3, None)], at=wib("2020-10-02 09:00"))
    outcome = {}

    def clerk():
        clerk_db = Database(str(db.engine.url.render_as_string(hide_password=False)))
        ctx = Context.make("clerk", now=office.now)
        try:
            with clerk_db.transaction() as session:
                ledger.sell(session, ctx, "ATRIA", "BTK-001", at=wib("2020-10-20 10:00"))
            outcome["sold"] = True
        except PeriodClosed as refused:
            outcome["refused"] = refused.message
        finally:
            clerk_db.dispose()

    with db.transaction() as session:  # what close does: lock the hotel, then lock its month
        hotel = session.scalar(select(Hotel).where(Hotel.code == "ATRIA").with_for_update())
        session.add(ClosedPeriod(hotel_id=hotel.id, period="2020-10", actor="agency",
                                 closed_at=datetime(2020, 12, 15, tzinfo=UTC)))
        session.flush()
        thread = threading.Thread(target=clerk)
        thread.start()
        time.sleep(0.5)
        assert thread.is_alive(), f"the sale did not wait for the close: {outcome}"
    thread.join(timeout=30)
    assert set(outcome) == {"refused"}
    assert "its books are closed through 2020-10" in outcome["refused"]
