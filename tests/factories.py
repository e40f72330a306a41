"""Factories that return callables with defaults: ``make_hotel(code="ATRIA")``."""

import pytest
from sqlalchemy import select

from consign.models import Consignor
from consign.services import registry, terms


@pytest.fixture
def make_hotel(db, ctx):
    def make(code="ATRIA", name="Hotel Atria Malang", commission_bp=2000, **fields):
        """``commission_bp`` (basis points) or ``commission`` (as add_hotel takes it:
        basis points or text like '20%'); None registers no default rate."""
        commission_bp = fields.pop("commission", commission_bp)
        fields.setdefault("address", "Jl. Letjen S. Parman No. 87, Malang")
        fields.setdefault("phone", "+62341417888")
        with db.transaction() as session:
            registry.add_hotel(session, ctx, code, name, commission=commission_bp, **fields)
        return code

    return make


@pytest.fixture
def make_consignor(db, ctx):
    def make(code="IKM-0001", name="Batik Tulis Celaket", **fields):
        fields.setdefault("owner", "Sri Wahyuni")
        fields.setdefault("sector", "fashion")
        fields.setdefault("address", "Jl. Celaket No. 12, Malang")
        fields.setdefault("bank", "BRI")
        fields.setdefault("account", "002101000123567")
        fields.setdefault("holder", "Sri Wahyuni")
        with db.transaction() as session:
            registry.add_consignor(session, ctx, code, name=name, **fields)
        return code

    return make


@pytest.fixture
def make_product(db, ctx, make_consignor):
    def make(
        sku="BTK-001",
        consignor="IKM-0001",
        name="Batik tulis motif Kendedes",
        price=150_000,
        category="kain",
    ):
        with db.transaction() as session:
            if (
                session.scalar(select(Consignor.id).where(Consignor.code == consignor)) is None
            ):
                registry.add_consignor(
                    session,
                    ctx,
                    consignor,
                    name=f"Usaha {consignor}",
                    owner="Pemilik",
                    sector="kriya",
                )
            registry.add_product(
                session, ctx, sku, consignor, name=name, price=price, category=category
            )
        return sku

    return make


@pytest.fixture
def make_terms(db, ctx):
    def make(hotel="ATRIA", rate_bp=2000, **kwargs):
        with db.transaction() as session:
            return terms.set_terms(session, ctx, hotel, rate_bp, **kwargs).id

    return make
