"""Helpers for the ledger tests: moments in WIB, a small shop, and the services called
each in its own transaction, as a command would."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from consign.models import Movement
from consign.services import ledger

WIB = ZoneInfo("Asia/Jakarta")


def wib(text: str) -> datetime:
    """``2020-10-05 14:30`` in Malang, as an aware UTC moment."""
    return datetime.fromisoformat(text).replace(tzinfo=WIB).astimezone(UTC)


class Book:
    """The ledger services, each call one transaction. ``book.sell(...)`` etc."""

    def __init__(self, db, ctx):
        self.db, self.ctx = db, ctx

    def __getattr__(self, name):
        service = getattr(ledger, name)

        def call(*args, **kwargs):
            with self.db.transaction() as session:
                return service(session, self.ctx, *args, **kwargs)

        return call

    def stock(self, **kwargs) -> dict[tuple[str, str], int]:
        """``{(hotel, sku): on_hand}``."""
        with self.db.transaction(readonly=True) as session:
            return {(r.hotel, r.sku): r.on_hand for r in ledger.stock(session, **kwargs)}

    def movements(self) -> list[Movement]:
        with self.db.transaction(readonly=True) as session:
            return list(session.scalars(select(Movement).order_by(Movement.id)))

    def count_movements(self) -> int:
        with self.db.transaction(readonly=True) as session:
            return session.scalar(select(func.count()).select_from(Movement))


@pytest.fixture
def book(db, ctx):
    return Book(db, ctx)


@pytest.fixture
def shop(make_hotel, make_product):
    """Two hotels; IKM-0001 with two batik SKUs, IKM-0002 with a ceramic one."""
    make_hotel("ATRIA")
    make_hotel("TUGU", name="Hotel Tugu Malang")
    make_product("BTK-001", price=150_000)
    make_product("BTK-002", name="Batik cap motif Teratai", price=90_000)
    make_product("KRM-001", consignor="IKM-0002", name="Vas keramik Dinoyo", price=75_000)
